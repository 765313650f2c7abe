/* plm-training-runs-view.h: the table of the fine-tuning window's runs (PlmTrainingRun items)
 * with their settings, final metrics and status, so that NM and the baselines can be compared. */
#pragma once

#include <adwaita.h>

#include "plm-training-run.h"

G_BEGIN_DECLS

#define PLM_TYPE_TRAINING_RUNS_VIEW (plm_training_runs_view_get_type ())
G_DECLARE_FINAL_TYPE (PlmTrainingRunsView, plm_training_runs_view, PLM, TRAINING_RUNS_VIEW, GtkWidget)

/* "show-run" (PlmTrainingRun *): the Show button of a run of this session was clicked. */
GtkWidget  *plm_training_runs_view_new       (void);
/* @runs: PlmTrainingRun items, only ever appended to (a run's number is its position + 1). */
void        plm_training_runs_view_set_model (PlmTrainingRunsView *self,
                                              GListModel          *runs);

G_END_DECLS
