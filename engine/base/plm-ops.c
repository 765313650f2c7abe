/* plm-ops.c: ESM-2 layer functions (forward): sgemm-backed linear, LayerNorm, erf GELU, rotary, softmax. */
#include "plm-ops.h"
#include "plm-clones.h"

#include <cblas.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

/* element-wise kernels: PLM_CLONES (plm-clones.h) */

void
plm_linear_forward (float *out, const float *x, const float *w, const float *b,
                    int T, int n_in, int n_out)
{
  float beta = 0.0f;

  if (b != NULL)
    {
      for (int t = 0; t < T; t++)
        memcpy (out + (size_t) t * n_out, b, sizeof (float) * n_out);
      beta = 1.0f;
    }
  cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasTrans, T, n_out, n_in,
               1.0f, x, n_in, w, n_in, beta, out, n_out);
}

#define LN_LANES 16

/* Element-wise loops smaller than this run on the calling thread: waking the others (a futex
 * each, under OMP_WAIT_POLICY=passive) costs more than the work (8M shape, L = 100: 32k). */
#define PARALLEL_MIN_ELEMENTS (1L << 18)

PLM_CLONES void
plm_layernorm_forward (float *out, float *mean, float *rstd, const float *x,
                       const float *w, const float *b, int T, int C, float eps)
{
#pragma omp parallel for schedule(static) if ((long) T * C >= PARALLEL_MIN_ELEMENTS)
  for (int t = 0; t < T; t++)
    {
      const float *xt = x + (size_t) t * C;
      float *ot = out + (size_t) t * C;
      /* double sums in LN_LANES independent lanes: one sequential double sum per row was a
       * chain of dependent adds, 3% of a 150M forward (perf), and does not vectorise */
      double lane[LN_LANES] = { 0 }, s = 0.0, ss = 0.0;
      int i, body = C - C % LN_LANES;

      for (i = 0; i < body; i += LN_LANES)
        for (int u = 0; u < LN_LANES; u++)
          lane[u] += xt[i + u];
      for (; i < C; i++)
        s += xt[i];
      for (int u = 0; u < LN_LANES; u++)
        s += lane[u], lane[u] = 0.0;
      float m = (float) (s / C);
      for (i = 0; i < body; i += LN_LANES)
        for (int u = 0; u < LN_LANES; u++)
          {
            float d = xt[i + u] - m;
            lane[u] += (double) d * d;
          }
      for (; i < C; i++)
        {
          float d = xt[i] - m;
          ss += (double) d * d;
        }
      for (int u = 0; u < LN_LANES; u++)
        ss += lane[u];
      float r = 1.0f / sqrtf ((float) (ss / C) + eps);
      for (i = 0; i < C; i++)
        ot[i] = (xt[i] - m) * r * w[i] + b[i];
      if (mean != NULL)
        mean[t] = m;
      if (rstd != NULL)
        rstd[t] = r;
    }
}

/* exp(x) for float: 2^k · p(r) with a degree-6 polynomial, branch-free so that loops vectorise.
 * Relative error ≤ 2e-7 on [-87.3, 88]; clamped outside (softmax only needs that). */
static inline float
plm_expf_inline (float x)
{
  /* Plain a·b + c (not fmaf) so the baseline clone needs no libm call; -ffp-contract makes FMAs
   * where the ISA has them. Round-to-nearest by the 1.5·2^23 trick instead of nearbyintf. */
  x = x < -87.3f ? -87.3f : x;
  x = x > 88.0f ? 88.0f : x;
  float k = (x * 1.44269504088896341f + 12582912.0f) - 12582912.0f;
  float r = x - k * 0.693145751953125f;
  r = r - k * 1.428606765330187045e-06f;
  float p = 1.0f / 720.0f;
  p = p * r + 1.0f / 120.0f;
  p = p * r + 1.0f / 24.0f;
  p = p * r + 1.0f / 6.0f;
  p = p * r + 0.5f;
  p = p * r + 1.0f;
  p = p * r + 1.0f;
  int32_t ki = (int32_t) k;
  union { float f; int32_t i; } u = { .i = (ki + 127) << 23 };
  return p * u.f;
}

float
plm_expf (float x)
{
  return plm_expf_inline (x);
}

/* erf(x) via Abramowitz & Stegun 7.1.26 refined: max abs error 1.2e-7 (Numerical Recipes erfc
 * Chebyshev form), fully branch-free. */
static inline float
plm_erff_inline (float x)
{
  float z = fabsf (x);
  float t = 1.0f / (0.5f * z + 1.0f);
  float p = 0.17087277f;
  p = p * t - 0.82215223f;
  p = p * t + 1.48851587f;
  p = p * t - 1.13520398f;
  p = p * t + 0.27886807f;
  p = p * t - 0.18628806f;
  p = p * t + 0.09678418f;
  p = p * t + 0.37409196f;
  p = p * t + 1.00002368f;
  p = p * t - 1.26551223f;
  float erfc = t * plm_expf_inline (p - z * z);
  float r = 1.0f - erfc;
  return x < 0.0f ? -r : r;
}

PLM_CLONES void
plm_gelu_forward (float *out, const float *x, size_t n)
{
#pragma omp parallel for schedule(static) if (n > 65536)
  for (size_t i = 0; i < n; i++)
    {
      float v = x[i];
      out[i] = 0.5f * v * (1.0f + plm_erff_inline (v * 0.70710678118654752f));
    }
}

PLM_CLONES void
plm_gelu_block (float *x, int rows, int cols, int ld)
{
  for (int r = 0; r < rows; r++)
    {
      float *row = x + (size_t) r * ld;
      for (int j = 0; j < cols; j++)
        {
          float v = row[j];
          row[j] = 0.5f * v * (1.0f + plm_erff_inline (v * 0.70710678118654752f));
        }
    }
}

void
plm_rotary_tables (float *cos_t, float *sin_t, int T, int hd)
{
  int half = hd / 2;

  /* float32 throughout, as upstream computes inv_freq, t·inv_freq and cos/sin. */
  for (int i = 0; i < half; i++)
    {
      float inv_freq = 1.0f / powf (10000.0f, (float) (2 * i) / (float) hd);
      for (int t = 0; t < T; t++)
        {
          float angle = (float) t * inv_freq;
          cos_t[(size_t) t * half + i] = cosf (angle);
          sin_t[(size_t) t * half + i] = sinf (angle);
        }
    }
}

void
plm_rotary_rotate (float *x, const float *cos_t, const float *sin_t,
                   int T, int n_heads, int hd, float direction)
{
  int half = hd / 2;
  int d = n_heads * hd;

#pragma omp parallel for schedule(static) if ((long) T * d >= PARALLEL_MIN_ELEMENTS)
  for (int t = 0; t < T; t++)
    {
      const float *c = cos_t + (size_t) t * half;
      const float *s = sin_t + (size_t) t * half;
      for (int h = 0; h < n_heads; h++)
        {
          float *xh = x + (size_t) t * d + (size_t) h * hd;
          for (int i = 0; i < half; i++)
            {
              /* exact for direction ±1: negating sin changes no rounding */
              float x1 = xh[i], x2 = xh[i + half], si = direction * s[i];
              xh[i] = x1 * c[i] - x2 * si;
              xh[i + half] = x2 * c[i] + x1 * si;
            }
        }
    }
}

void
plm_rotary_forward (float *x, const float *cos_t, const float *sin_t,
                    int T, int n_heads, int hd)
{
  plm_rotary_rotate (x, cos_t, sin_t, T, n_heads, hd, 1.0f);
}

/* Sixteen independent partial maxima and sums: the compiler may vectorise reductions only when
 * they are written as separate lanes (float addition is not associative without -ffast-math). */
#define SOFTMAX_LANES 16

PLM_CLONES void
plm_softmax_rows (float *x, int rows, int cols)
{
#pragma omp parallel for schedule(static) if ((long) rows * cols >= PARALLEL_MIN_ELEMENTS)
  for (int r = 0; r < rows; r++)
    {
      float *row = x + (size_t) r * cols;
      float lane[SOFTMAX_LANES];
      int j, body = cols - cols % SOFTMAX_LANES;

      for (int u = 0; u < SOFTMAX_LANES; u++)
        lane[u] = -INFINITY;
      for (j = 0; j < body; j += SOFTMAX_LANES)
        for (int u = 0; u < SOFTMAX_LANES; u++)
          lane[u] = row[j + u] > lane[u] ? row[j + u] : lane[u];
      float m = -INFINITY;
      for (int u = 0; u < SOFTMAX_LANES; u++)
        m = lane[u] > m ? lane[u] : m;
      for (; j < cols; j++)
        m = row[j] > m ? row[j] : m;

      for (int u = 0; u < SOFTMAX_LANES; u++)
        lane[u] = 0.0f;
      for (j = 0; j < body; j += SOFTMAX_LANES)
        for (int u = 0; u < SOFTMAX_LANES; u++)
          {
            float e = plm_expf_inline (row[j + u] - m);
            row[j + u] = e;
            lane[u] += e;
          }
      float s = 0.0f;
      for (; j < cols; j++)
        {
          float e = plm_expf_inline (row[j] - m);
          row[j] = e;
          s += e;
        }
      for (int u = 0; u < SOFTMAX_LANES; u++)
        s += lane[u];
      float inv = 1.0f / s;
      for (j = 0; j < cols; j++)
        row[j] *= inv;
    }
}

void
plm_add (float *out, const float *x, const float *y, size_t n)
{
  for (size_t i = 0; i < n; i++)
    out[i] = x[i] + y[i];
}
