/* plm-quant.h: weights packed once for the engine's own product kernels. fp32 panels (the
 * default precision's products, same arithmetic as any fp32 GEMM, in a fixed order), and the
 * opt-in reduced precisions: bf16 weights with fp32 accumulation, or int8 weights (per output
 * channel) times int8 activations (per row, dynamic) with int32 accumulation. Softmax, LayerNorm
 * and attention stay fp32 (their callers). */
#pragma once

#include <glib.h>
#include <stdint.h>

#include "plm-cpu.h"

G_BEGIN_DECLS

typedef enum {
  PLM_PRECISION_FP32,
  PLM_PRECISION_BF16,
  PLM_PRECISION_INT8,
} PlmPrecision;

/* "fp32", "bf16" or "int8"; FALSE for anything else. */
gboolean     plm_precision_parse (const char *name, PlmPrecision *precision);
const char  *plm_precision_name  (PlmPrecision precision);

/* fp32 W [n_out, n_in] as [np/16][n_in][16], np a multiple of PLM_F32_TILE_N (zero padding). */
#define PLM_F32_TILE_N 48
typedef struct {
  int    n_out, n_in, np;
  float *w;
} PlmF32Matrix;

/* A weight W [n_out, n_in] (PyTorch Linear layout) in panels of 16 outputs, zero-padded to np
 * outputs (a multiple of the kernels' 48-output tile) and kp inputs: bf16 [np/16][kp/2][16][2] (pairs for vdpbf16ps). */
typedef struct {
  int       n_out, n_in, np, kp;
  uint16_t *w;
} PlmBf16Matrix;

/* int8 [np/16][kp/4][16][4] (groups of 4 for vpdpbusd), W ≈ scale[n] · w[n,k] with w in
 * [-127, 127] (symmetric, per output channel); wsum[n] = Σ_k w[n,k] corrects a u8 offset. */
typedef struct {
  int       n_out, n_in, np, kp;
  int8_t   *w;
  float    *scale;
  int32_t  *wsum;
} PlmInt8Matrix;

void plm_f32_matrix_init   (PlmF32Matrix *m, const float *w, int n_out, int n_in);
void plm_f32_matrix_clear  (PlmF32Matrix *m);
void plm_bf16_matrix_init  (PlmBf16Matrix *m, const float *w, int n_out, int n_in);
void plm_bf16_matrix_clear (PlmBf16Matrix *m);
void plm_int8_matrix_init  (PlmInt8Matrix *m, const float *w, int n_out, int n_in);
void plm_int8_matrix_clear (PlmInt8Matrix *m);

/* x [M,K] → a [M,kp] bf16 (round to nearest even), zero-padded. */
void plm_bf16_convert_rows  (PlmIsa isa, uint16_t *a, const float *x, int M, int K, int kp);
/* x [M,K] → q [M,kp] = rne(x · 127 / max|x_row|) in [-127, 127] plus @offset (0: s8 for the
 * AVX2 and scalar kernels; 128: u8 for vpdpbusd), zero-padded; scale[M] = max|x_row| / 127. */
void plm_int8_quantize_rows (PlmIsa isa, uint8_t *q, float *scale, const float *x, int M, int K, int kp,
                             int offset);

/* out [M, n_out] = x [M, n_in] · Wᵀ + b (@b may be NULL). bf16: PLM_ISA_AVX512 or _SCALAR;
 * int8: any. The scalar kernels are the reference of the same arithmetic. */
void plm_gemm_bf16 (PlmIsa isa, float *out, const float *x, const PlmBf16Matrix *w, const float *b, int M);
void plm_gemm_int8 (PlmIsa isa, float *out, const float *x, const PlmInt8Matrix *w, const float *b, int M);

/* out [M, ld] columns [tile·48, tile·48 + 48) ∩ [0, n_out) = x [M, n_in] · Wᵀ + b, added to
 * what is in out when @accumulate; on the calling thread. Every output is fmaf over k in order,
 * then + b, then onto out: the same bits on every @isa (AVX512: avx512f; AVX2: avx2 and fma). */
void plm_gemm_f32_block (PlmIsa isa, float *out, int ld, const float *x, int M, const PlmF32Matrix *w,
                         int tile, const float *b, gboolean accumulate);

/* The reduced-precision copies of a model's weights, looked up by the fp32 weight's address. */
typedef struct _PlmLowp PlmLowp;

/* fp32: panels for plm-gemm-f32.c, NULL (OpenBLAS) where the CPU lacks AVX2 and FMA or
 * @isa_cap is PLM_ISA_SCALAR. bf16: NULL where the CPU lacks AVX512-BF16 (with one message on
 * stderr: the products then stay fp32). @isa_cap limits the kernels (PLM_ISA_AVX512: the best). */
PlmLowp     *plm_lowp_new       (PlmPrecision precision, PlmIsa isa_cap);
void         plm_lowp_free      (PlmLowp *lowp);
/* Converts W [n_out, n_in] once; not thread-safe against plm_lowp_linear. */
void         plm_lowp_add       (PlmLowp *lowp, const float *w, int n_out, int n_in);
PlmPrecision plm_lowp_precision (const PlmLowp *lowp);
PlmIsa       plm_lowp_isa       (const PlmLowp *lowp);
/* Whether @w has a reduced-precision copy in @lowp (NULL: none). */
gboolean     plm_lowp_has       (const PlmLowp *lowp, const float *w);
/* @w's fp32 panels when @lowp is an fp32 one holding @w, else NULL. */
const PlmF32Matrix *plm_lowp_f32 (const PlmLowp *lowp, const float *w);
/* plm_linear_forward () in @lowp's precision when it holds @w, else in fp32. */
void         plm_lowp_linear    (const PlmLowp *lowp, float *out, const float *x, const float *w,
                                 const float *b, int T, int n_in, int n_out);

G_END_DECLS
