/* plm-training-run.h: one entry of the fine-tuning window's runs: a run of this session with
 * its worker, or a head file loaded with the configuration and metrics it records. */
#pragma once

#include <gio/gio.h>

#include "plm-training-worker.h"

G_BEGIN_DECLS

#define PLM_TYPE_TRAINING_RUN (plm_training_run_get_type ())
G_DECLARE_FINAL_TYPE (PlmTrainingRun, plm_training_run, PLM, TRAINING_RUN, GObject)

/* A new run of @settings (out_path set) with its own worker, not started yet. */
PlmTrainingRun            *plm_training_run_new           (const PlmTrainingSettings *settings);
/* The head file at @path, with what it records (plm_nm_head_read_summary). */
PlmTrainingRun            *plm_training_run_new_for_head  (const char                *path,
                                                           GError                   **error);
/* NULL for a loaded head. */
PlmTrainingWorker         *plm_training_run_get_worker    (PlmTrainingRun            *self);
/* NULL for a loaded head that records no configuration. */
const PlmTrainingSettings *plm_training_run_get_settings  (PlmTrainingRun            *self);
const char                *plm_training_run_get_head_path (PlmTrainingRun            *self);
/* The worker's state; PLM_TRAINING_IDLE for a loaded head. */
PlmTrainingState           plm_training_run_get_state     (PlmTrainingRun            *self);
/* Loading, embedding, training or paused. */
gboolean                   plm_training_run_is_active     (PlmTrainingRun            *self);
/* The state in a word ("Training", "Loaded"). */
const char                *plm_training_run_get_status    (PlmTrainingRun            *self);
/* The final figures, or NULL before the run has finished. */
const PlmTrainingResults  *plm_training_run_get_results   (PlmTrainingRun            *self);
/* λ of the loss (0 unless the objective is NM). */
double                     plm_training_run_get_lambda    (PlmTrainingRun            *self);
/* Starts the worker (or resumes it from its last completed epoch); "ended" is emitted when it
 * stops, after the results are set on success. */
void                       plm_training_run_start         (PlmTrainingRun            *self,
                                                           gboolean                   resume);
void                       plm_training_run_cancel        (PlmTrainingRun            *self);

G_END_DECLS
