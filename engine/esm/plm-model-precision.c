/* plm-model-precision.c: converts a loaded model's weight products to bf16 or int8 (plm-quant.h). */
#include "plm-model.h"

PlmPrecision
plm_model_set_precision (PlmModel *m, PlmPrecision precision, PlmIsa isa_cap)
{
  const PlmEsmConfig *c = &m->config;
  const int d = c->d_model, F = c->d_ffn;

  g_clear_pointer (&m->lowp, plm_lowp_free);
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
  /* the decoder (vocabulary × d) is tiny and stays fp32 */
  if (m->has_lm_head)
    plm_lowp_add (m->lowp, m->lm_dense_w, d, d);
  return precision;
}
