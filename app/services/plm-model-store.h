/* plm-model-store.h: installed models on disk and installing new ones from the catalogue. */
#pragma once

#include <gio/gio.h>

#include "plm-catalogue.h"

G_BEGIN_DECLS

#define PLM_TYPE_MODEL_STORE (plm_model_store_get_type ())
G_DECLARE_FINAL_TYPE (PlmModelStore, plm_model_store, PLM, MODEL_STORE, GObject)

/* $XDG_DATA_HOME/plmlens/models */
char          *plm_model_store_default_directory (void);
/* @directory: NULL or "" for the default. */
PlmModelStore *plm_model_store_new               (const char         *directory);
const char    *plm_model_store_get_directory     (PlmModelStore      *self);
void           plm_model_store_set_directory     (PlmModelStore      *self,
                                                  const char         *directory);
/* Paths of complete model directories (config.json + weights), sorted. */
GStrv          plm_model_store_list_installed    (PlmModelStore      *self);
/* Path where @id is (or would be) installed. */
char          *plm_model_store_get_path          (PlmModelStore      *self,
                                                  const char         *id);
gboolean       plm_model_store_is_installed      (PlmModelStore      *self,
                                                  const char         *id);
/* Downloads every file of @entry into "<id>.partial/" and renames the directory to "<id>"
 * only when all files are verified, so a model directory is never incomplete. "progress"
 * (received, total bytes) is emitted on the caller's main context. */
void           plm_model_store_install_async     (PlmModelStore      *self,
                                                  const PlmCatalogueEntry *entry,
                                                  GCancellable       *cancellable,
                                                  GAsyncReadyCallback callback,
                                                  gpointer            user_data);
/* Returns the installed model's path. @checks (may be NULL) receives, translated, how each file
 * was verified, e.g. "model.safetensors: checked against the SHA-256 the server reported;
 * config.json: only its size was checked (no SHA-256 known)". */
char          *plm_model_store_install_finish    (PlmModelStore      *self,
                                                  GAsyncResult       *result,
                                                  char              **checks,
                                                  GError            **error);

/* The list of recently loaded checkpoints with @path (may be NULL) first: without duplicates
 * and paths that no longer exist, at most @max entries. */
GStrv          plm_model_store_update_recent     (const char * const *recent,
                                                  const char         *path,
                                                  guint               max);

G_END_DECLS
