/* plm-nm-session.c: the set-up sequence of a fine-tuning run, written once. */
#include "plm-nm-session.h"

#include "plm-error.h"
#include "plm-esm-train.h"

struct _PlmNmSession {
  PlmNmTrainConfig  config;
  char             *out_path;
  char             *embedding_cache;
  PlmNmData         data;
  PlmModel         *model;
  PlmEsmTrainable  *esm;        /* finetune/scratch */
  PlmNmEncoder      encoder;
  PlmNmTrainer     *trainer;    /* after start */
  PlmNmEpochFunc    epoch_func;
  PlmNmEmbedFunc    embed_func;
  PlmNmBatchFunc    batch_func;
  gpointer          user_data;
};

PlmNmSession *
plm_nm_session_load (const PlmNmTrainConfig *config, const PlmNmSessionFiles *files, GError **error)
{
  g_autoptr(PlmNmSession) s = g_new0 (PlmNmSession, 1);
  const PlmNmTrainConfig *c = config;

  s->config = *config;
  s->out_path = g_strdup (files->out);
  s->embedding_cache = g_strdup (files->embedding_cache);
  /* λ weighs the negative-mining loss, which only the nm objective has */
  if (c->objective != PLM_NM_OBJECTIVE_NM)
    s->config.lambda = 0.0f;
  if (!plm_nm_data_load (&s->data, c->task, c->fasta_label, files->dictionary, files->train,
                         files->valid, files->test, c->valid_fraction, c->test_fraction,
                         c->split_seed >= 0 ? (guint64) c->split_seed : c->seed,
                         c->max_train, c->max_eval, error))
    return NULL;
  s->model = plm_model_load (files->model, error);
  if (s->model == NULL)
    return NULL;
  s->config.max_len = MIN (c->max_len, plm_esm_config_max_residues (&s->model->config) + 2);
  return g_steal_pointer (&s);
}

void
plm_nm_session_free (PlmNmSession *s)
{
  if (s == NULL)
    return;
  plm_nm_trainer_free (s->trainer);
  g_clear_pointer (&s->esm, plm_esm_trainable_free);
  g_clear_pointer (&s->model, plm_model_free);
  plm_nm_data_clear (&s->data);
  g_free (s->out_path);
  g_free (s->embedding_cache);
  g_free (s);
}

const PlmNmTrainConfig *
plm_nm_session_get_config (PlmNmSession *s)
{
  return &s->config;
}

PlmModel *
plm_nm_session_get_model (PlmNmSession *s)
{
  return s->model;
}

const PlmNmData *
plm_nm_session_get_data (PlmNmSession *s)
{
  return &s->data;
}

void
plm_nm_session_set_callbacks (PlmNmSession *s, PlmNmEpochFunc epoch_func, PlmNmEmbedFunc embed_func,
                              PlmNmBatchFunc batch_func, gpointer user_data)
{
  s->epoch_func = epoch_func;
  s->embed_func = embed_func;
  s->batch_func = batch_func;
  s->user_data = user_data;
}

gboolean
plm_nm_session_start (PlmNmSession *s, gboolean resume, gboolean *resumed, GError **error)
{
  const PlmNmTrainConfig *c = &s->config;
  gboolean trainable = c->plm_mode != PLM_NM_PLM_FROZEN;

  g_return_val_if_fail (s->trainer == NULL, FALSE);

  *resumed = FALSE;
  if (c->n_heads < 1 || s->model->config.d_model % c->n_heads != 0)
    {
      g_set_error (error, PLM_ERROR, PLM_ERROR_INPUT, "%d heads do not divide the model width %d",
                   c->n_heads, s->model->config.d_model);
      return FALSE;
    }
  /* finetune starts from the checkpoint's weights, scratch from a random init of the same
   * architecture; both back-propagate through every ESM-2 layer */
  if (trainable)
    {
      s->esm = c->plm_mode == PLM_NM_PLM_FINETUNE ? plm_esm_trainable_new_from_model (s->model, error)
                                                  : plm_esm_trainable_new_random (&s->model->config, c->seed);
      if (s->esm == NULL || !plm_nm_encoder_init_esm (&s->encoder, s->esm, c->max_len, error))
        return FALSE;
    }
  s->trainer = plm_nm_trainer_new (c, s->model, trainable ? &s->encoder : NULL, s->data.sets[0],
                                   s->data.sets[1], s->data.sets[2], s->data.classes);
  plm_nm_trainer_set_output (s->trainer, s->out_path);
  plm_nm_trainer_set_embedding_cache (s->trainer, s->embedding_cache);
  plm_nm_trainer_set_callbacks (s->trainer, s->epoch_func, s->embed_func, s->user_data);
  plm_nm_trainer_set_batch_func (s->trainer, s->batch_func, s->user_data);
  return !resume || plm_nm_trainer_resume (s->trainer, resumed, error);
}

PlmNmTrainer *
plm_nm_session_get_trainer (PlmNmSession *s)
{
  return s->trainer;
}

gboolean
plm_nm_session_run (PlmNmSession *s, GCancellable *cancellable, GError **error)
{
  g_return_val_if_fail (s->trainer != NULL, FALSE);

  return plm_nm_trainer_embed (s->trainer, cancellable, error)
         && plm_nm_trainer_run (s->trainer, cancellable, error);
}
