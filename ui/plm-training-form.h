/* plm-training-form.h: the fine-tuning settings: task, data files with a background preview
 * (classes, lengths, bad rows), the ESM-2 checkpoint, the PLM mode, objective and numbers. */
#pragma once

#include <adwaita.h>

#include "plm-training-worker.h"

G_BEGIN_DECLS

typedef enum
{
  PLM_TRAINING_FILE_TRAIN,
  PLM_TRAINING_FILE_VALID,
  PLM_TRAINING_FILE_TEST,
  PLM_TRAINING_FILE_DICTIONARY,
} PlmTrainingFile;

#define PLM_TYPE_TRAINING_FORM (plm_training_form_get_type ())
G_DECLARE_FINAL_TYPE (PlmTrainingForm, plm_training_form, PLM, TRAINING_FORM, GtkWidget)

/* "changed": a data file or the model was set. Its Current button activates the window's
 * "training.use-current-model". Starts from plm_nm_train_config_init's defaults. */
GtkWidget           *plm_training_form_new                (void);
/* Sets a data file (NULL clears) and previews it in the background. */
void                 plm_training_form_set_file           (PlmTrainingForm        *self,
                                                           PlmTrainingFile         which,
                                                           const char             *path);
const char          *plm_training_form_get_file           (PlmTrainingForm        *self,
                                                           PlmTrainingFile         which);
void                 plm_training_form_set_model          (PlmTrainingForm        *self,
                                                           const char             *path);
const char          *plm_training_form_get_model          (PlmTrainingForm        *self);
/* Fills the form (files, model, task, modes and numbers) from @settings. */
void                 plm_training_form_apply_settings     (PlmTrainingForm        *self,
                                                           const PlmTrainingSettings *settings);
/* The form as settings (out_path unset). */
PlmTrainingSettings *plm_training_form_get_settings       (PlmTrainingForm        *self);
/* TRUE once the preview of the last chosen file is on screen. */
gboolean             plm_training_form_get_preview_ready  (PlmTrainingForm        *self);
GtkWidget           *plm_training_form_get_histogram      (PlmTrainingForm        *self);
/* The preview's errors text ("" when none). */
/* What the form lacks for a run to start (a sentence for the user), or NULL. */
const char          *plm_training_form_get_missing        (PlmTrainingForm        *self);
const char          *plm_training_form_get_preview_errors (PlmTrainingForm        *self);

G_END_DECLS
