/* plm-training-worker.h: runs one NM-Transformer fine-tuning run off the main thread, with
 * pause, cancel and resume from the last completed epoch. */
#pragma once

#include <gio/gio.h>

#include "plm-dataset.h"
#include "plm-nm-train.h"

G_BEGIN_DECLS

/* Everything that defines a run: the engine's configuration, whose defaults are the paper's
 * (plm_nm_train_config_init), and the files. */
typedef struct
{
  PlmNmTrainConfig  config;
  char             *train;         /* required */
  char             *valid;         /* NULL: split from train */
  char             *test;          /* NULL: split from train when valid is NULL too */
  char             *dictionary;    /* pair task: "id<TAB>sequence" */
  char             *model_path;    /* ESM-2 checkpoint */
  char             *out_path;      /* best head; "<out>.last.safetensors" is the resumable state */
  int               n_threads;     /* 0: every core but one */
} PlmTrainingSettings;

#define PLM_TYPE_TRAINING_SETTINGS (plm_training_settings_get_type ())
GType                plm_training_settings_get_type (void) G_GNUC_CONST;
PlmTrainingSettings *plm_training_settings_new      (void);
PlmTrainingSettings *plm_training_settings_copy     (const PlmTrainingSettings *settings);
void                 plm_training_settings_free     (PlmTrainingSettings       *settings);

typedef enum
{
  PLM_TRAINING_IDLE,
  PLM_TRAINING_LOADING,     /* reading data and model */
  PLM_TRAINING_EMBEDDING,   /* frozen PLM: computing the cached embeddings */
  PLM_TRAINING_TRAINING,
  PLM_TRAINING_PAUSED,
  PLM_TRAINING_FINISHED,
  PLM_TRAINING_CANCELLED,   /* "<out>.last.safetensors" holds the last completed epoch */
  PLM_TRAINING_FAILED,
} PlmTrainingState;

/* Final figures of a finished run. */
typedef struct
{
  PlmNmMetrics valid;
  PlmNmMetrics test;
  double       l_neg_before;
  double       l_neg_after;
  int          best_epoch;
  int          n_classes;
  gboolean     have_valid;
  gboolean     have_test;
} PlmTrainingResults;

#define PLM_TYPE_TRAINING_WORKER (plm_training_worker_get_type ())
G_DECLARE_FINAL_TYPE (PlmTrainingWorker, plm_training_worker, PLM, TRAINING_WORKER, GObject)

PlmTrainingWorker         *plm_training_worker_new          (const PlmTrainingSettings *settings);
const PlmTrainingSettings *plm_training_worker_get_settings (PlmTrainingWorker   *self);
/* Starts (or, with @resume, continues from "<out>.last.safetensors") in a thread of its own.
 * "epoch" (a const PlmNmEpochReport *) and "progress" are emitted on the caller's main
 * context; @callback runs there when the run ends. */
void                plm_training_worker_start_async  (PlmTrainingWorker   *self,
                                                      gboolean             resume,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
gboolean            plm_training_worker_start_finish (PlmTrainingWorker   *self,
                                                      GAsyncResult        *result,
                                                      GError             **error);
/* Pause takes effect before the next batch (or the next sequence while embedding); cancel
 * stops there too (the last completed epoch stays resumable) and also ends a pause. */
void                plm_training_worker_pause        (PlmTrainingWorker   *self);
void                plm_training_worker_unpause      (PlmTrainingWorker   *self);
void                plm_training_worker_cancel       (PlmTrainingWorker   *self);

PlmTrainingState    plm_training_worker_get_state    (PlmTrainingWorker   *self);
/* The epoch reports received so far (PlmNmEpochReport, in epoch order). */
GArray             *plm_training_worker_get_history  (PlmTrainingWorker   *self);
/* Fraction of the current phase done (embedding or training), 0..1. */
double              plm_training_worker_get_fraction (PlmTrainingWorker   *self);
/* Seconds of work so far, pauses excluded. */
double              plm_training_worker_get_elapsed  (PlmTrainingWorker   *self);
/* Seconds left until the last epoch at the current pace (an upper bound with early
 * stopping), or a negative value while unknown. */
double              plm_training_worker_get_eta      (PlmTrainingWorker   *self);
/* Valid after a successful finish, else NULL. */
const PlmTrainingResults *plm_training_worker_get_results (PlmTrainingWorker *self);
const char         *plm_training_worker_get_last_path (PlmTrainingWorker  *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PlmTrainingSettings, plm_training_settings_free)

G_END_DECLS
