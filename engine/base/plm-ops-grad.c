/* plm-ops-grad.c: ESM-2 layer backward passes (linear, LayerNorm, erf GELU, softmax, rotary,
 * attention core, token embedding), checked against finite differences in test-esm-grad. */
#include "plm-ops-grad.h"

#include <cblas.h>
#include <math.h>
#include <string.h>

#include "plm-ops.h"

void
plm_linear_backward (float *dx, float *dw, float *db, const float *dout,
                     const float *x, const float *w, int T, int n_in, int n_out)
{
  if (dx != NULL)
    cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasNoTrans, T, n_in, n_out,
                 1.0f, dout, n_out, w, n_in, 1.0f, dx, n_in);
  if (dw != NULL)
    cblas_sgemm (CblasRowMajor, CblasTrans, CblasNoTrans, n_out, n_in, T,
                 1.0f, dout, n_out, x, n_in, 1.0f, dw, n_in);
  if (db != NULL)
    for (int t = 0; t < T; t++)
      {
        const float *d = dout + (size_t) t * n_out;
        for (int o = 0; o < n_out; o++)
          db[o] += d[o];
      }
}

void
plm_layernorm_backward (float *dx, float *dw, float *db, const float *dout,
                        const float *x, const float *w, const float *mean,
                        const float *rstd, int T, int C)
{
  /* dx rows are independent; dw/db sum over rows, so they stay serial (C-wide, cheap). */
  if (dx != NULL)
    {
#pragma omp parallel for schedule(static) if ((size_t) T * C > 65536)
      for (int t = 0; t < T; t++)
        {
          const float *xt = x + (size_t) t * C, *gt = dout + (size_t) t * C;
          float *dxt = dx + (size_t) t * C;
          float m = mean[t], r = rstd[t];
          double s1 = 0.0, s2 = 0.0;
          for (int i = 0; i < C; i++)
            {
              float dn = w[i] * gt[i];
              s1 += dn;
              s2 += (double) dn * ((xt[i] - m) * r);
            }
          float mean_dn = (float) (s1 / C), mean_dn_n = (float) (s2 / C);
          for (int i = 0; i < C; i++)
            {
              float n = (xt[i] - m) * r;
              dxt[i] += (w[i] * gt[i] - mean_dn - n * mean_dn_n) * r;
            }
        }
    }
  if (dw != NULL || db != NULL)
    for (int t = 0; t < T; t++)
      {
        const float *xt = x + (size_t) t * C, *gt = dout + (size_t) t * C;
        float m = mean[t], r = rstd[t];
        for (int i = 0; i < C; i++)
          {
            if (dw != NULL)
              dw[i] += (xt[i] - m) * r * gt[i];
            if (db != NULL)
              db[i] += gt[i];
          }
      }
}

void
plm_gelu_backward (float *dx, const float *x, const float *dout, size_t n)
{
  const float inv_sqrt2 = 0.70710678118654752f, inv_sqrt_2pi = 0.39894228040143268f;
  int in_place = dx == dout;

#pragma omp parallel for schedule(static) if (n > 65536)
  for (size_t i = 0; i < n; i++)
    {
      float v = x[i];
      float cdf = 0.5f * (1.0f + erff (v * inv_sqrt2));
      float pdf = inv_sqrt_2pi * expf (-0.5f * v * v);
      float g = dout[i] * (cdf + v * pdf);
      dx[i] = in_place ? g : dx[i] + g;
    }
}

void
plm_softmax_rows_backward (float *dx, const float *probs, const float *dprobs, int rows, int cols)
{
  int in_place = dx == dprobs;

#pragma omp parallel for schedule(static) if ((size_t) rows * cols > 65536)
  for (int r = 0; r < rows; r++)
    {
      const float *p = probs + (size_t) r * cols, *dp = dprobs + (size_t) r * cols;
      float *d = dx + (size_t) r * cols;
      double dot = 0.0;
      for (int j = 0; j < cols; j++)
        dot += (double) p[j] * dp[j];
      float fdot = (float) dot;
      for (int j = 0; j < cols; j++)
        {
          float g = p[j] * (dp[j] - fdot);
          d[j] = in_place ? g : d[j] + g;
        }
    }
}

void
plm_rotary_backward (float *dx, const float *cos_t, const float *sin_t, int T, int n_heads, int hd)
{
  /* the forward pass rotates by +θ; its transpose rotates by −θ */
  plm_rotary_rotate (dx, cos_t, sin_t, T, n_heads, hd, -1.0f);
}

void
plm_attention_forward (float *ctx, float *probs, const float *q, const float *k, const float *v,
                       int T, int H, int hd)
{
  int d = H * hd;

  for (int h = 0; h < H; h++)
    {
      float *P = probs + (size_t) h * T * T;
      /* P[T,T] = q_h·k_hᵀ (heads interleaved in the rows, stride d) */
      cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasTrans, T, T, hd, 1.0f,
                   q + (size_t) h * hd, d, k + (size_t) h * hd, d, 0.0f, P, T);
      plm_softmax_rows (P, T, T);
      /* ctx_h[T,hd] = P·v_h */
      cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasNoTrans, T, hd, T, 1.0f,
                   P, T, v + (size_t) h * hd, d, 0.0f, ctx + (size_t) h * hd, d);
    }
}

void
plm_attention_backward (float *dq, float *dk, float *dv, float *dscores,
                        const float *dctx, const float *probs, const float *q,
                        const float *k, const float *v, int T, int H, int hd)
{
  int d = H * hd;

  for (int h = 0; h < H; h++)
    {
      const float *P = probs + (size_t) h * T * T;
      size_t off = (size_t) h * hd;
      /* dP[T,T] = dctx_h·v_hᵀ */
      cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasTrans, T, T, hd, 1.0f,
                   dctx + off, d, v + off, d, 0.0f, dscores, T);
      /* dv_h[T,hd] += Pᵀ·dctx_h */
      cblas_sgemm (CblasRowMajor, CblasTrans, CblasNoTrans, T, hd, T, 1.0f,
                   P, T, dctx + off, d, 1.0f, dv + off, d);
      /* dS = softmax backward, in place */
      plm_softmax_rows_backward (dscores, P, dscores, T, T);
      /* dq_h += dS·k_h,  dk_h += dSᵀ·q_h */
      cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasNoTrans, T, hd, T, 1.0f,
                   dscores, T, k + off, d, 1.0f, dq + off, d);
      cblas_sgemm (CblasRowMajor, CblasTrans, CblasNoTrans, T, hd, T, 1.0f,
                   dscores, T, q + off, d, 1.0f, dk + off, d);
    }
}

float
plm_token_dropout_scale (const int32_t *tokens, int T, int mask_token)
{
  int n_mask = 0;

  if (mask_token < 0)
    return 1.0f;
  for (int t = 0; t < T; t++)
    n_mask += tokens[t] == mask_token;
  /* same float operations as plm-esm.c so that both paths agree bit for bit */
  const float mask_ratio_train = 0.15f * 0.8f;
  float mask_ratio_observed = (float) n_mask / (float) T;
  return (1.0f - mask_ratio_train) / (1.0f - mask_ratio_observed);
}

void
plm_embedding_forward (float *x, const float *embed, const int32_t *tokens, int T, int d,
                       int mask_token, float scale)
{
  for (int t = 0; t < T; t++)
    {
      float *xt = x + (size_t) t * d;
      if (mask_token >= 0 && tokens[t] == mask_token)
        memset (xt, 0, sizeof (float) * d);
      else
        {
          const float *e = embed + (size_t) tokens[t] * d;
          for (int i = 0; i < d; i++)
            xt[i] = e[i] * scale;
        }
    }
}

void
plm_embedding_backward (float *dembed, const float *dx, const int32_t *tokens, int T, int d,
                        int mask_token, int pad_token, float scale)
{
  /* serial: several positions share a token row */
  for (int t = 0; t < T; t++)
    {
      if ((mask_token >= 0 && tokens[t] == mask_token) || (pad_token >= 0 && tokens[t] == pad_token))
        continue;
      const float *g = dx + (size_t) t * d;
      float *e = dembed + (size_t) tokens[t] * d;
      for (int i = 0; i < d; i++)
        e[i] += scale * g[i];
    }
}
