/* plm-models-window.h: installed and downloadable models, with download progress. */
#pragma once

#include "plm-application.h"

G_BEGIN_DECLS

#define PLM_TYPE_MODELS_WINDOW (plm_models_window_get_type ())
G_DECLARE_FINAL_TYPE (PlmModelsWindow, plm_models_window, PLM, MODELS_WINDOW, AdwPreferencesWindow)

GtkWidget *plm_models_window_new (GtkWindow      *parent,
                                  PlmApplication *application);

G_END_DECLS
