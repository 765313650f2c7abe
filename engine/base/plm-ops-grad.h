/* plm-ops-grad.h: backward passes of the ESM-2 layer functions (and the forward halves that only
 * training needs), llm.c style: free functions over float* with explicit shapes. */
#pragma once

#include <stddef.h>
#include <stdint.h>

/* Backward functions ACCUMULATE (+=) into every gradient they write, unless a comment says
 * "in place". Gradient outputs that are NULL are skipped. */

/* out[T,n_out] = x[T,n_in]·w[n_out,n_in]ᵀ + b:  dx[T,n_in] += dout·w,  dw[n_out,n_in] += doutᵀ·x,
 * db[n_out] += Σ_t dout. sgemm. */
void  plm_linear_backward       (float *dx, float *dw, float *db, const float *dout,
                                 const float *x, const float *w, int T, int n_in, int n_out);

/* LayerNorm over x[T,C] with the mean[T]/rstd[T] its forward saved: dx[T,C] += …, dw[C], db[C] += …
 * dx must not alias dout or x. */
void  plm_layernorm_backward    (float *dx, float *dw, float *db, const float *dout,
                                 const float *x, const float *w, const float *mean,
                                 const float *rstd, int T, int C);

/* erf GELU on the saved pre-activation x[n]: dx[n] += dout·(Φ(x) + x·φ(x)).
 * dx may be dout: then it is overwritten in place with the result. */
void  plm_gelu_backward         (float *dx, const float *x, const float *dout, size_t n);

/* Row softmax with the saved probs[rows,cols]: dx += p ⊙ (dprobs − ⟨p, dprobs⟩_row).
 * dx may be dprobs: then it is overwritten in place with the result. */
void  plm_softmax_rows_backward (float *dx, const float *probs, const float *dprobs,
                                 int rows, int cols);

/* In place on dx[T, n_heads·hd]: the gradient through plm_rotary_forward is the inverse
 * (transposed) rotation of the output gradient. */
void  plm_rotary_backward       (float *dx, const float *cos_t, const float *sin_t,
                                 int T, int n_heads, int hd);

/* The attention core for all heads, saving probs[H,T,T]: per head h (columns h·hd.. of the
 * [T,d] rows, d = H·hd) ctx_h[T,hd] = softmax(q_h·k_hᵀ)·v_h. No scaling: q arrives scaled. */
void  plm_attention_forward     (float *ctx, float *probs, const float *q, const float *k,
                                 const float *v, int T, int H, int hd);
/* Its backward: dq, dk, dv [T,d] += …; dscores is scratch [T,T]. */
void  plm_attention_backward    (float *dq, float *dk, float *dv, float *dscores,
                                 const float *dctx, const float *probs, const float *q,
                                 const float *k, const float *v, int T, int H, int hd);

/* ESM-2's token-dropout factor (1 − 0.15·0.8) / (1 − n_mask/T), applied at inference too;
 * 1 when @mask_token < 0 (token_dropout off). */
float plm_token_dropout_scale   (const int32_t *tokens, int T, int mask_token);
/* x[T,d] = scale · embed[tokens[t]], with the rows of @mask_token zeroed (mask_token < 0: none). */
void  plm_embedding_forward     (float *x, const float *embed, const int32_t *tokens, int T,
                                 int d, int mask_token, float scale);
/* dembed[vocab,d]: scatter-add of scale·dx[t] into row tokens[t]. <mask> rows get no gradient
 * (they were zeroed), nor does the @pad_token row (nn.Embedding's padding_idx); < 0: none. */
void  plm_embedding_backward    (float *dembed, const float *dx, const int32_t *tokens, int T,
                                 int d, int mask_token, int pad_token, float scale);
