/* plm-training-window.h: set up, run and compare NM-Transformer fine-tuning runs. */
#pragma once

#include "plm-application.h"
#include "plm-training-form.h"
#include "plm-training-worker.h"

G_BEGIN_DECLS

#define PLM_TYPE_TRAINING_WINDOW (plm_training_window_get_type ())
G_DECLARE_FINAL_TYPE (PlmTrainingWindow, plm_training_window, PLM, TRAINING_WINDOW, AdwWindow)

/* The "training" action group: start, pause (toggles), resume, cancel, use-current-model. */
GtkWidget         *plm_training_window_new             (GtkWindow               *parent,
                                                        PlmApplication          *application);
/* Sets a data file (NULL clears) and previews it in the background. */
void               plm_training_window_set_file        (PlmTrainingWindow       *self,
                                                        PlmTrainingFile          which,
                                                        const char              *path);
void               plm_training_window_set_model       (PlmTrainingWindow       *self,
                                                        const char              *path);
/* Where heads are written (default: $XDG_DATA_HOME/plmlens/heads). */
void               plm_training_window_set_output_dir  (PlmTrainingWindow       *self,
                                                        const char              *dir);
/* Fills the form (files, model, task, modes and numbers) from @settings. */
void               plm_training_window_apply_settings  (PlmTrainingWindow       *self,
                                                        const PlmTrainingSettings *settings);
/* The form as settings (out_path unset). */
PlmTrainingSettings *plm_training_window_get_settings  (PlmTrainingWindow       *self);
/* Adds a head file (written by a run, here or by `plmlens-cli train`) to the runs list with
 * the configuration and metrics recorded in it, and offers it to the app. */
gboolean           plm_training_window_load_head       (PlmTrainingWindow       *self,
                                                        const char              *path,
                                                        GError                 **error);
/* The run shown in the plots, or NULL. */
PlmTrainingWorker *plm_training_window_get_current     (PlmTrainingWindow       *self);
guint              plm_training_window_get_n_runs      (PlmTrainingWindow       *self);
/* TRUE once the preview of the last chosen file is on screen. */
gboolean           plm_training_window_get_preview_ready (PlmTrainingWindow     *self);
GtkWidget         *plm_training_window_get_loss_plot   (PlmTrainingWindow       *self);
GtkWidget         *plm_training_window_get_metric_plot (PlmTrainingWindow       *self);
GtkWidget         *plm_training_window_get_histogram   (PlmTrainingWindow       *self);
/* The preview's errors text ("" when none). */
const char        *plm_training_window_get_preview_errors (PlmTrainingWindow    *self);

G_END_DECLS
