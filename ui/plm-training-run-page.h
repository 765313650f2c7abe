/* plm-training-run-page.h: the run shown in the fine-tuning window: its state, progress and
 * times above live curves of the losses and the validation metrics per epoch. */
#pragma once

#include <adwaita.h>

#include "plm-training-run.h"

G_BEGIN_DECLS

#define PLM_TYPE_TRAINING_RUN_PAGE (plm_training_run_page_get_type ())
G_DECLARE_FINAL_TYPE (PlmTrainingRunPage, plm_training_run_page, PLM, TRAINING_RUN_PAGE, GtkWidget)

/* Its buttons use the window's "training" actions (pause, resume, cancel). */
GtkWidget      *plm_training_run_page_new             (void);
/* Shows @run (one with a worker; NULL shows nothing new) and follows it from now on. */
void            plm_training_run_page_set_run         (PlmTrainingRunPage *self,
                                                       PlmTrainingRun     *run);
PlmTrainingRun *plm_training_run_page_get_run         (PlmTrainingRunPage *self);
/* A cancelled run that can be resumed: its Resume button instead of Pause. */
void            plm_training_run_page_set_resumable   (PlmTrainingRunPage *self,
                                                       gboolean            resumable);
/* Replaces the state line, e.g. with why the run failed. */
void            plm_training_run_page_set_state_text  (PlmTrainingRunPage *self,
                                                       const char         *text);
GtkWidget      *plm_training_run_page_get_loss_plot   (PlmTrainingRunPage *self);
GtkWidget      *plm_training_run_page_get_metric_plot (PlmTrainingRunPage *self);

G_END_DECLS
