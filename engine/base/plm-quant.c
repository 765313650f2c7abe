/* plm-quant.c: packing weights into bf16/int8 panels, converting activation rows, and the
 * per-model table of packed weights that plm_lowp_linear () dispatches through. */
#include "plm-quant.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#if defined(__x86_64__) && defined(__GNUC__)
# include <immintrin.h>
# define PLM_X86 1
#endif

#include "plm-half.h"
#include "plm-ops.h"

#define ROUND_UP(n, m) (((n) + (m) - 1) / (m) * (m))

gboolean
plm_precision_parse (const char *name, PlmPrecision *precision)
{
  static const char *const names[] = { "fp32", "bf16", "int8" };

  for (int i = 0; i < 3; i++)
    if (g_strcmp0 (name, names[i]) == 0)
      {
        *precision = (PlmPrecision) i;
        return TRUE;
      }
  return FALSE;
}

const char *
plm_precision_name (PlmPrecision precision)
{
  return precision == PLM_PRECISION_BF16 ? "bf16" : precision == PLM_PRECISION_INT8 ? "int8" : "fp32";
}

void
plm_bf16_matrix_init (PlmBf16Matrix *m, const float *w, int n_out, int n_in)
{
  m->n_out = n_out;
  m->n_in = n_in;
  m->np = ROUND_UP (n_out, 48);
  m->kp = ROUND_UP (n_in, 2);
  m->w = g_new0 (uint16_t, (gsize) m->np * m->kp);
#pragma omp parallel for schedule(static)
  for (int n = 0; n < n_out; n++)
    for (int k = 0; k < n_in; k++)
      m->w[((gsize) (n / 16) * m->kp + (k & ~1)) * 16 + (n % 16) * 2 + (k & 1)]
        = plm_f32_to_bf16 (w[(gsize) n * n_in + k]);
}

void
plm_bf16_matrix_clear (PlmBf16Matrix *m)
{
  g_clear_pointer (&m->w, g_free);
}

void
plm_int8_matrix_init (PlmInt8Matrix *m, const float *w, int n_out, int n_in)
{
  m->n_out = n_out;
  m->n_in = n_in;
  m->np = ROUND_UP (n_out, 48);
  m->kp = ROUND_UP (n_in, 4);
  m->w = g_new0 (int8_t, (gsize) m->np * m->kp);
  m->scale = g_new0 (float, m->np);
  m->wsum = g_new0 (int32_t, m->np);
#pragma omp parallel for schedule(static)
  for (int n = 0; n < n_out; n++)
    {
      const float *row = w + (gsize) n * n_in;
      float amax = 0.0f;
      for (int k = 0; k < n_in; k++)
        amax = fabsf (row[k]) > amax ? fabsf (row[k]) : amax;   /* not fmaxf: a libm call here */
      float inv = amax > 0.0f ? 127.0f / amax : 0.0f;
      m->scale[n] = amax / 127.0f;
      for (int k = 0; k < n_in; k++)
        {
          int q = (int) CLAMP (lrintf (row[k] * inv), -127, 127);
          m->w[((gsize) (n / 16) * m->kp + (k & ~3)) * 16 + (n % 16) * 4 + (k & 3)] = (int8_t) q;
          m->wsum[n] += q;
        }
    }
}

void
plm_int8_matrix_clear (PlmInt8Matrix *m)
{
  g_clear_pointer (&m->w, g_free);
  g_clear_pointer (&m->scale, g_free);
  g_clear_pointer (&m->wsum, g_free);
}

#ifdef PLM_X86
__attribute__((target ("avx512f,avx512bw,avx512vl,avx512bf16"))) static void
bf16_row_avx512 (uint16_t *a, const float *x, int K)
{
  int k = 0;
  for (; k + 32 <= K; k += 32)
    {
      __m512bh v = _mm512_cvtne2ps_pbh (_mm512_loadu_ps (x + k + 16), _mm512_loadu_ps (x + k));
      _mm512_storeu_si512 (a + k, (__m512i) v);
    }
  for (; k < K; k++)
    a[k] = plm_f32_to_bf16 (x[k]);
}
#endif

void
plm_bf16_convert_rows (PlmIsa isa, uint16_t *a, const float *x, int M, int K, int kp)
{
#pragma omp parallel for schedule(static) if (M >= 64)
  for (int m = 0; m < M; m++)
    {
      uint16_t *am = a + (gsize) m * kp;
      const float *xm = x + (gsize) m * K;
#ifdef PLM_X86
      if (isa == PLM_ISA_AVX512)
        bf16_row_avx512 (am, xm, K);
      else
#endif
        for (int k = 0; k < K; k++)
          am[k] = plm_f32_to_bf16 (xm[k]);
      for (int k = K; k < kp; k++)
        am[k] = 0;
    }
  (void) isa;
}

static void
quantize_row_scalar (uint8_t *q, const float *x, int K, float inv, int offset)
{
  for (int k = 0; k < K; k++)
    q[k] = (uint8_t) (CLAMP (lrintf (x[k] * inv), -127, 127) + offset);
}

#ifdef PLM_X86
__attribute__((target ("avx512f,avx512bw,avx512vl"))) static float
absmax_avx512 (const float *x, int K)
{
  __m512 mx = _mm512_setzero_ps ();
  int k = 0;
  for (; k + 16 <= K; k += 16)
    mx = _mm512_max_ps (mx, _mm512_abs_ps (_mm512_loadu_ps (x + k)));
  float r = _mm512_reduce_max_ps (mx);
  for (; k < K; k++)
    r = fmaxf (r, fabsf (x[k]));
  return r;
}

/* cvtps rounds to nearest even (the default MXCSR), as lrintf does */
__attribute__((target ("avx512f,avx512bw,avx512vl"))) static void
quantize_row_avx512 (uint8_t *q, const float *x, int K, float inv, int offset)
{
  const __m512 vinv = _mm512_set1_ps (inv);
  const __m512i lo = _mm512_set1_epi32 (-127), hi = _mm512_set1_epi32 (127), off = _mm512_set1_epi32 (offset);
  int k = 0;
  for (; k + 16 <= K; k += 16)
    {
      __m512i v = _mm512_cvtps_epi32 (_mm512_mul_ps (_mm512_loadu_ps (x + k), vinv));
      v = _mm512_add_epi32 (_mm512_min_epi32 (_mm512_max_epi32 (v, lo), hi), off);
      _mm_storeu_si128 ((__m128i *) (q + k), _mm512_cvtepi32_epi8 (v));
    }
  quantize_row_scalar (q + k, x + k, K - k, inv, offset);
}

__attribute__((target ("avx2,fma"))) static float
absmax_avx2 (const float *x, int K)
{
  const __m256 sign = _mm256_set1_ps (-0.0f);
  __m256 mx = _mm256_setzero_ps ();
  int k = 0;
  for (; k + 8 <= K; k += 8)
    mx = _mm256_max_ps (mx, _mm256_andnot_ps (sign, _mm256_loadu_ps (x + k)));
  float lane[8], r = 0.0f;
  _mm256_storeu_ps (lane, mx);
  for (int i = 0; i < 8; i++)
    r = fmaxf (r, lane[i]);
  for (; k < K; k++)
    r = fmaxf (r, fabsf (x[k]));
  return r;
}

__attribute__((target ("avx2,fma"))) static void
quantize_row_avx2 (uint8_t *q, const float *x, int K, float inv, int offset)
{
  const __m256 vinv = _mm256_set1_ps (inv);
  const __m256i lo = _mm256_set1_epi32 (-127), hi = _mm256_set1_epi32 (127), off = _mm256_set1_epi32 (offset);
  int k = 0;
  for (; k + 8 <= K; k += 8)
    {
      __m256i v = _mm256_cvtps_epi32 (_mm256_mul_ps (_mm256_loadu_ps (x + k), vinv));
      v = _mm256_add_epi32 (_mm256_min_epi32 (_mm256_max_epi32 (v, lo), hi), off);
      int32_t lane[8];
      _mm256_storeu_si256 ((__m256i *) lane, v);
      for (int i = 0; i < 8; i++)
        q[k + i] = (uint8_t) lane[i];
    }
  quantize_row_scalar (q + k, x + k, K - k, inv, offset);
}
#endif

void
plm_int8_quantize_rows (PlmIsa isa, uint8_t *q, float *scale, const float *x, int M, int K, int kp, int offset)
{
#pragma omp parallel for schedule(static) if (M >= 64)
  for (int m = 0; m < M; m++)
    {
      const float *xm = x + (gsize) m * K;
      uint8_t *qm = q + (gsize) m * kp;
      float amax = 0.0f;
#ifdef PLM_X86
      if (isa == PLM_ISA_AVX512)
        amax = absmax_avx512 (xm, K);
      else if (isa == PLM_ISA_AVX2)
        amax = absmax_avx2 (xm, K);
      else
#endif
        for (int k = 0; k < K; k++)
          amax = fmaxf (amax, fabsf (xm[k]));
      float inv = amax > 0.0f ? 127.0f / amax : 0.0f;
      scale[m] = amax / 127.0f;
#ifdef PLM_X86
      if (isa == PLM_ISA_AVX512)
        quantize_row_avx512 (qm, xm, K, inv, offset);
      else if (isa == PLM_ISA_AVX2)
        quantize_row_avx2 (qm, xm, K, inv, offset);
      else
#endif
        quantize_row_scalar (qm, xm, K, inv, offset);
      memset (qm + K, offset, (gsize) (kp - K));
    }
  (void) isa;
}

/* The packed copy of one weight */
typedef struct {
  PlmF32Matrix  f32;
  PlmBf16Matrix bf16;
  PlmInt8Matrix int8;
} Packed;

struct _PlmLowp {
  PlmPrecision precision;
  PlmIsa       isa;
  GHashTable  *packed;   /* const float * → Packed * */
};

static void
packed_free (gpointer p)
{
  Packed *pk = p;
  plm_f32_matrix_clear (&pk->f32);
  plm_bf16_matrix_clear (&pk->bf16);
  plm_int8_matrix_clear (&pk->int8);
  g_free (pk);
}

PlmLowp *
plm_lowp_new (PlmPrecision precision, PlmIsa isa_cap)
{
  const char *name = plm_precision_name (precision);
  static gsize warned = 0;

  PlmIsa isa = MIN (plm_cpu_best_isa (name), isa_cap);
  while (isa > PLM_ISA_SCALAR && !plm_cpu_supports (isa, name))
    isa--;
  /* fp32 without AVX2: OpenBLAS, quietly (nothing changes in the numbers' meaning) */
  if (precision == PLM_PRECISION_FP32 && isa == PLM_ISA_SCALAR)
    return NULL;
  /* bf16 has no fallback kernel worth running; int8 runs on AVX2 too */
  if (isa == PLM_ISA_SCALAR && isa_cap != PLM_ISA_SCALAR)
    {
      if (g_once_init_enter (&warned))
        {
          fprintf (stderr, "plmlens: this CPU lacks %s for --precision %s; running in fp32\n",
                   precision == PLM_PRECISION_BF16 ? "AVX512-BF16" : "AVX2", name);
          g_once_init_leave (&warned, 1);
        }
      return NULL;
    }
  PlmLowp *lp = g_new0 (PlmLowp, 1);
  lp->precision = precision;
  lp->isa = isa;
  lp->packed = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL, packed_free);
  return lp;
}

void
plm_lowp_free (PlmLowp *lowp)
{
  if (lowp == NULL)
    return;
  g_hash_table_unref (lowp->packed);
  g_free (lowp);
}

void
plm_lowp_add (PlmLowp *lowp, const float *w, int n_out, int n_in)
{
  if (w == NULL || g_hash_table_contains (lowp->packed, w))
    return;
  Packed *pk = g_new0 (Packed, 1);
  if (lowp->precision == PLM_PRECISION_FP32)
    plm_f32_matrix_init (&pk->f32, w, n_out, n_in);
  else if (lowp->precision == PLM_PRECISION_BF16)
    plm_bf16_matrix_init (&pk->bf16, w, n_out, n_in);
  else
    plm_int8_matrix_init (&pk->int8, w, n_out, n_in);
  g_hash_table_insert (lowp->packed, (gpointer) w, pk);
}

PlmPrecision
plm_lowp_precision (const PlmLowp *lowp)
{
  return lowp != NULL ? lowp->precision : PLM_PRECISION_FP32;
}

PlmIsa
plm_lowp_isa (const PlmLowp *lowp)
{
  return lowp != NULL ? lowp->isa : PLM_ISA_SCALAR;
}

gboolean
plm_lowp_has (const PlmLowp *lowp, const float *w)
{
  return lowp != NULL && g_hash_table_contains (lowp->packed, w);
}

const PlmF32Matrix *
plm_lowp_f32 (const PlmLowp *lowp, const float *w)
{
  if (lowp == NULL || lowp->precision != PLM_PRECISION_FP32)
    return NULL;
  const Packed *pk = g_hash_table_lookup (lowp->packed, w);
  return pk != NULL ? &pk->f32 : NULL;
}

void
plm_lowp_linear (const PlmLowp *lowp, float *out, const float *x, const float *w, const float *b,
                 int T, int n_in, int n_out)
{
  const Packed *pk = lowp != NULL ? g_hash_table_lookup (lowp->packed, w) : NULL;

  if (pk == NULL)
    plm_linear_forward (out, x, w, b, T, n_in, n_out);
  else if (lowp->precision == PLM_PRECISION_FP32)
    {
      g_assert (pk->f32.n_out == n_out && pk->f32.n_in == n_in);
      for (int t = 0; t < pk->f32.np / PLM_F32_TILE_N; t++)
        plm_gemm_f32_block (lowp->isa, out, n_out, x, T, &pk->f32, t, b, FALSE);
    }
  else if (lowp->precision == PLM_PRECISION_BF16)
    {
      g_assert (pk->bf16.n_out == n_out && pk->bf16.n_in == n_in);
      plm_gemm_bf16 (lowp->isa, out, x, &pk->bf16, b, T);
    }
  else
    {
      g_assert (pk->int8.n_out == n_out && pk->int8.n_in == n_in);
      plm_gemm_int8 (lowp->isa, out, x, &pk->int8, b, T);
    }
}
