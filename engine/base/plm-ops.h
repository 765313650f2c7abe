/* plm-ops.h: the ESM-2 layer functions (forward), over float* with explicit shapes. */
#pragma once

#include <stddef.h>

/* out[T,n_out] = x[T,n_in] · w[n_out,n_in]ᵀ + b[n_out] (b may be NULL). sgemm. */
void  plm_linear_forward     (float *out, const float *x, const float *w, const float *b,
                              int T, int n_in, int n_out);
/* out[T,C] = LayerNorm(x[T,C]) · w + b; saves mean[T], rstd[T] when non-NULL. out may be x. */
void  plm_layernorm_forward  (float *out, float *mean, float *rstd, const float *x,
                              const float *w, const float *b, int T, int C, float eps);
/* out[n] = 0.5·x·(1 + erf(x/√2)), exact erf GELU. out may be x. */
void  plm_gelu_forward       (float *out, const float *x, size_t n);
/* The same GELU in place on x[rows, cols] (rows ld apart), on the calling thread only. */
void  plm_gelu_block         (float *x, int rows, int cols, int ld);
/* cos/sin tables [T, hd/2]: angle t·10000^(−2i/hd). */
void  plm_rotary_tables      (float *cos_t, float *sin_t, int T, int hd);
/* Split-half (NeoX) rotation, in place on x[T, n_heads·hd] (head h at columns h·hd): each
 * pair (x[i], x[i + hd/2]) turns by @direction times its angle (+1: the rotary embedding;
 * −1: its inverse, which is also its transpose). _forward is direction +1. */
void  plm_rotary_rotate      (float *x, const float *cos_t, const float *sin_t,
                              int T, int n_heads, int hd, float direction);
void  plm_rotary_forward     (float *x, const float *cos_t, const float *sin_t,
                              int T, int n_heads, int hd);
/* Row-wise numerically stable softmax of x[rows, cols], in place. */
void  plm_softmax_rows       (float *x, int rows, int cols);
/* out[T,d] = x[T,d] + y[T,d] */
void  plm_add                (float *out, const float *x, const float *y, size_t n);
/* Fast exp for float (rel. error < 2e-7 on [-87.3, 88], clamped outside). */
float plm_expf               (float x);
