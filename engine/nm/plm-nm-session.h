/* plm-nm-session.h: one fine-tuning run set up from its files, the same for `plmlens-cli train`
 * and the app's training worker: load (data and model, checked; no PLM runs yet), start (the
 * trainable encoder for finetune/scratch, the trainer, resume), then run (embed and train). */
#pragma once

#include <gio/gio.h>

#include "plm-model.h"
#include "plm-nm-data.h"
#include "plm-nm-train.h"

G_BEGIN_DECLS

/* What a run reads and writes. */
typedef struct {
  const char *train;            /* required */
  const char *valid;            /* NULL: split from train */
  const char *test;             /* NULL: split from train when valid is NULL too */
  const char *dictionary;       /* pair task: "id<TAB>sequence" */
  const char *model;            /* ESM-2 checkpoint */
  const char *out;              /* best head; "<out>.last.safetensors" is the resumable state */
  const char *embedding_cache;  /* frozen PLM: embeddings kept across runs, or NULL */
} PlmNmSessionFiles;

typedef struct _PlmNmSession PlmNmSession;

/* Reads and splits the data sets, then the model (in that order: all input is validated before
 * the model is read). The session's configuration is @config as it runs: λ is 0 unless the
 * objective is nm, max_len is at most the model's positions. */
PlmNmSession           *plm_nm_session_load          (const PlmNmTrainConfig  *config,
                                                      const PlmNmSessionFiles *files,
                                                      GError                 **error);
void                    plm_nm_session_free          (PlmNmSession            *session);

const PlmNmTrainConfig *plm_nm_session_get_config    (PlmNmSession            *session);
PlmModel               *plm_nm_session_get_model     (PlmNmSession            *session);
/* The train, valid and test sets (valid/test may be NULL) and the classes. */
const PlmNmData        *plm_nm_session_get_data      (PlmNmSession            *session);

/* The trainer's callbacks (plm_nm_trainer_set_callbacks, _set_batch_func); set before start. */
void                    plm_nm_session_set_callbacks (PlmNmSession            *session,
                                                      PlmNmEpochFunc           epoch_func,
                                                      PlmNmEmbedFunc           embed_func,
                                                      PlmNmBatchFunc           batch_func,
                                                      gpointer                 user_data);
/* Creates the trainable encoder (finetune: the model's weights, scratch: a random init seeded
 * with the configuration's seed) and the trainer; with @resume continues from
 * "<out>.last.safetensors" when it exists (*resumed says whether it did). */
gboolean                plm_nm_session_start         (PlmNmSession            *session,
                                                      gboolean                 resume,
                                                      gboolean                *resumed,
                                                      GError                 **error);
/* After start: the trainer (results, metrics). */
PlmNmTrainer           *plm_nm_session_get_trainer   (PlmNmSession            *session);
/* After start: computes the frozen PLM's embeddings, then trains to the end (cancellable). */
gboolean                plm_nm_session_run           (PlmNmSession            *session,
                                                      GCancellable            *cancellable,
                                                      GError                 **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PlmNmSession, plm_nm_session_free)

G_END_DECLS
