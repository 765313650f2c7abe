/* plm-linear.h: activations × weight matrix products (projections, FFN, LM head), the one place
 * where the forward pass multiplies by a model weight, so the weights' storage format (fp32 today,
 * reduced precision later) is chosen here and nowhere else. */
#pragma once

#include <stddef.h>

#include "plm-quant.h"

typedef enum {
  PLM_LINEAR_STORE,       /* out  = x·Wᵀ + b */
  PLM_LINEAR_ACCUMULATE,  /* out += x·Wᵀ + b (a residual connection) */
  PLM_LINEAR_GELU,        /* out  = GELU (x·Wᵀ + b), exact erf GELU */
} PlmLinearEpilogue;

/* One weight of a product: W [n_out, n_in] row-major (PyTorch's layout), bias b [n_out] or NULL,
 * and where its result goes: out [M, n_out] with rows ld_out floats apart. */
typedef struct {
  float       *out;
  int          ld_out;
  const float *w;
  const float *b;
  int          n_out;
} PlmLinearTarget;

/* For each of the @n_targets weights: target.out = epilogue (x [M, n_in] · Wᵀ + b). The products
 * share the input, so Q, K and V are one call: the columns of all targets are shared out among
 * the engine's threads as one piece of work, each block an sgemm on one thread. With @lowp
 * (--precision bf16/int8, NULL for fp32) the weights it holds a reduced-precision copy of are
 * multiplied by its kernels instead (plm-quant.h), then the same epilogue is applied. */
void plm_linear_n (const PlmLowp *lowp, const float *x, int M, int n_in, const PlmLinearTarget *targets,
                   int n_targets, PlmLinearEpilogue epilogue);

/* out [M, n_out] (rows n_out apart) = epilogue (x [M, n_in] · w [n_out, n_in]ᵀ + b). */
void plm_linear   (const PlmLowp *lowp, float *out, const float *x, const float *w, const float *b, int M, int n_in, int n_out,
                   PlmLinearEpilogue epilogue);
