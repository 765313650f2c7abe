/* plm-model-precision.c: packs a loaded model's weight products once, in fp32 panels or in bf16
 * or int8 (plm-quant.h). */
#include "plm-model.h"

/* fp32 panels are a second copy of the weights; past this size (650M and up, where OpenBLAS's
 * per-call packing is a small part of a product) the model keeps OpenBLAS and one copy. */
#define F32_PANELS_MAX_BYTES ((gint64) 1 << 30)

PlmPrecision
plm_model_set_precision (PlmModel *m, PlmPrecision precision, PlmIsa isa_cap)
{
  const PlmEsmConfig *c = &m->config;
  const int d = c->d_model, F = c->d_ffn;

  g_clear_pointer (&m->lowp, plm_lowp_free);
  if (precision == PLM_PRECISION_FP32
      && (gint64) c->n_layers * (4 * (gint64) d * d + 2 * (gint64) d * F) * 4 > F32_PANELS_MAX_BYTES)
    return PLM_PRECISION_FP32;
  m->lowp = plm_lowp_new (precision, isa_cap);
  if (m->lowp == NULL)
    return PLM_PRECISION_FP32;
  for (int l = 0; l < c->n_layers; l++)
    {
      const PlmEsmLayerWeights *w = &m->layers[l];
      plm_lowp_add (m->lowp, w->wq, d, d);
      plm_lowp_add (m->lowp, w->wk, d, d);
      plm_lowp_add (m->lowp, w->wv, d, d);
      plm_lowp_add (m->lowp, w->wo, d, d);
      plm_lowp_add (m->lowp, w->w1, F, d);
      plm_lowp_add (m->lowp, w->w2, d, F);
    }
  /* the LM head stays fp32: one d × d product and the decoder against the trunk's n_layers ×
   * (4 d² + 2 d F), and the logits (and so argmax and the variant scores) take no rounding of
   * their own; in fp32 it gets panels too */
  if (precision == PLM_PRECISION_FP32)
    {
      plm_lowp_add (m->lowp, m->lm_dense_w, d, d);
      plm_lowp_add (m->lowp, m->lm_decoder, c->vocab_size, d);
    }
  return precision;
}
