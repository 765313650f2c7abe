/* plm-application.h: the PLM Lens application: command line, shared model and settings. */
#pragma once

#include <adwaita.h>

#include "plm-catalogue.h"
#include "plm-inference-worker.h"
#include "plm-model-store.h"

G_BEGIN_DECLS

#define PLM_TYPE_APPLICATION (plm_application_get_type ())
G_DECLARE_FINAL_TYPE (PlmApplication, plm_application, PLM, APPLICATION, AdwApplication)

PlmApplication     *plm_application_new             (GApplicationFlags  flags);
GSettings          *plm_application_get_settings    (PlmApplication    *self);
PlmInferenceWorker *plm_application_get_worker      (PlmApplication    *self);
PlmModelStore      *plm_application_get_model_store (PlmApplication    *self);
/* The bundled catalogue of downloadable models; NULL only if the resource is broken. */
const PlmCatalogue *plm_application_get_catalogue   (PlmApplication    *self);
/* Trained NM heads (.safetensors written by plm_nm_head_save) available to the whole app:
 * the fine-tuning window adds each finished or loaded head here. The Pair view
 * lists plm_application_get_heads () (a GListModel of GtkStringObject paths, in the order
 * added) and listens to "head-added" (const char *path) to offer a new head at once. */
void                plm_application_add_head        (PlmApplication    *self,
                                                     const char        *path);
GListModel         *plm_application_get_heads       (PlmApplication    *self);

G_END_DECLS
