/* plm-nm-encoder-esm.c: the trainable ESM-2 (plm-esm-train.h) as the trainer's PlmNmEncoder,
 * for --plm finetune|scratch. It lives in nm/ because esm/ may not include nm/ headers. */
#include "plm-nm-train.h"
#include "plm-esm-train.h"

static const float *
esm_encode (gpointer self, int slot, const int32_t *tokens, int n_tokens, GError **error)
{
  return plm_esm_trainable_encode_slot (self, slot, tokens, n_tokens, error);
}

static void
esm_backward (gpointer self, int slot, const float *d_embeddings)
{
  g_autoptr(GError) error = NULL;
  /* plm_nm_encoder_init_esm reserved the activations for max_len, so this cannot fail */
  if (!plm_esm_trainable_backward_slot (self, slot, d_embeddings, &error))
    g_error ("encoder backward failed after reserve: %s", error->message);
}

static float *
esm_params (gpointer self, gsize *n)
{
  return plm_esm_trainable_get_params (self, n);
}

static float *
esm_grads (gpointer self, gsize *n)
{
  return plm_esm_trainable_get_grads (self, n);
}

static gboolean
esm_save (gpointer self, const char *path, GError **error)
{
  return plm_esm_trainable_save (self, path, error);
}

gboolean
plm_nm_encoder_init_esm (PlmNmEncoder *encoder, PlmEsmTrainable *esm, int max_len, GError **error)
{
  if (!plm_esm_trainable_reserve (esm, max_len, error))
    return FALSE;
  encoder->d_model = plm_esm_trainable_get_config (esm)->d_model;
  encoder->encode = esm_encode;
  encoder->backward = esm_backward;
  encoder->param_data = esm_params;
  encoder->grad_data = esm_grads;
  encoder->save = esm_save;
  encoder->self = esm;
  return TRUE;
}
