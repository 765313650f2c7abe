/* plm-model-store.c: the model directory and atomic installation of catalogue models. */
#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "plm-download.h"
#include "plm-error.h"
#include "plm-handoff.h"
#include "plm-model-store.h"

struct _PlmModelStore
{
  GObject  parent_instance;
  char    *directory;
};

G_DEFINE_FINAL_TYPE (PlmModelStore, plm_model_store, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_DIRECTORY,
  N_PROPS
};

enum {
  PROGRESS,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

char *
plm_model_store_default_directory (void)
{
  return g_build_filename (g_get_user_data_dir (), "plmlens", "models", NULL);
}

static void
plm_model_store_finalize (GObject *object)
{
  PlmModelStore *self = (PlmModelStore *) object;

  g_clear_pointer (&self->directory, g_free);
  G_OBJECT_CLASS (plm_model_store_parent_class)->finalize (object);
}

static void
plm_model_store_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  PlmModelStore *self = PLM_MODEL_STORE (object);

  switch (prop_id)
    {
    case PROP_DIRECTORY:
      g_value_set_string (value, plm_model_store_get_directory (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
plm_model_store_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  PlmModelStore *self = PLM_MODEL_STORE (object);

  switch (prop_id)
    {
    case PROP_DIRECTORY:
      plm_model_store_set_directory (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
plm_model_store_class_init (PlmModelStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = plm_model_store_finalize;
  object_class->get_property = plm_model_store_get_property;
  object_class->set_property = plm_model_store_set_property;

  properties[PROP_DIRECTORY] = g_param_spec_string ("directory", NULL, NULL, NULL,
                                                    G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY |
                                                    G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[PROGRESS] = g_signal_new ("progress", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                    0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_INT64, G_TYPE_INT64);
}

static void
plm_model_store_init (PlmModelStore *self)
{
  self->directory = plm_model_store_default_directory ();
}

PlmModelStore *
plm_model_store_new (const char *directory)
{
  return g_object_new (PLM_TYPE_MODEL_STORE, "directory", directory, NULL);
}

const char *
plm_model_store_get_directory (PlmModelStore *self)
{
  g_return_val_if_fail (PLM_IS_MODEL_STORE (self), NULL);
  return self->directory;
}

void
plm_model_store_set_directory (PlmModelStore *self,
                               const char    *directory)
{
  g_autofree char *dir = NULL;

  g_return_if_fail (PLM_IS_MODEL_STORE (self));

  dir = directory && directory[0] ? g_strdup (directory) : plm_model_store_default_directory ();
  if (g_strcmp0 (dir, self->directory) == 0)
    return;
  g_free (self->directory);
  self->directory = g_steal_pointer (&dir);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DIRECTORY]);
}

static gboolean
is_complete_model (const char *path)
{
  g_autofree char *config = g_build_filename (path, "config.json", NULL);
  g_autofree char *weights = g_build_filename (path, "model.safetensors", NULL);
  g_autofree char *index = g_build_filename (path, "model.safetensors.index.json", NULL);

  return g_file_test (config, G_FILE_TEST_IS_REGULAR) &&
         (g_file_test (weights, G_FILE_TEST_IS_REGULAR) || g_file_test (index, G_FILE_TEST_IS_REGULAR));
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(char **) a, *(char **) b);
}

GStrv
plm_model_store_list_installed (PlmModelStore *self)
{
  g_autoptr(GPtrArray) paths = g_ptr_array_new ();
  g_autoptr(GDir) dir = NULL;
  const char *name;

  g_return_val_if_fail (PLM_IS_MODEL_STORE (self), NULL);

  dir = g_dir_open (self->directory, 0, NULL);
  while (dir && (name = g_dir_read_name (dir)))
    {
      g_autofree char *path = NULL;

      /* In-progress installs live in hidden or ".partial" directories. */
      if (name[0] == '.' || g_str_has_suffix (name, ".partial"))
        continue;
      path = g_build_filename (self->directory, name, NULL);
      if (is_complete_model (path))
        g_ptr_array_add (paths, g_steal_pointer (&path));
    }
  g_ptr_array_sort (paths, compare_strings);
  g_ptr_array_add (paths, NULL);
  return (GStrv) g_ptr_array_free (g_steal_pointer (&paths), FALSE);
}

char *
plm_model_store_get_path (PlmModelStore *self,
                          const char    *id)
{
  g_return_val_if_fail (PLM_IS_MODEL_STORE (self), NULL);
  return g_build_filename (self->directory, id, NULL);
}

gboolean
plm_model_store_is_installed (PlmModelStore *self,
                              const char    *id)
{
  g_autofree char *path = plm_model_store_get_path (self, id);
  return is_complete_model (path);
}

/* Installation */

typedef struct
{
  PlmModelStore    *store;
  char             *id;
  char             *final_dir;
  char             *partial_dir;
  PlmCatalogueFile *files;
  guint             n_files;
  gint64            total;
  gint64            done_before;   /* bytes of files already finished */
  PlmHandoffProgress progress;
  GString          *checks;        /* how each file was verified, for install_finish */
} InstallData;

static void
install_data_free (gpointer data)
{
  InstallData *id = data;

  for (guint i = 0; i < id->n_files; i++)
    {
      g_free (id->files[i].name);
      g_free (id->files[i].url);
      g_free (id->files[i].sha256);
    }
  g_free (id->files);
  g_clear_object (&id->store);
  g_free (id->id);
  g_free (id->final_dir);
  g_free (id->partial_dir);
  plm_handoff_progress_clear (&id->progress);
  if (id->checks != NULL)
    g_string_free (id->checks, TRUE);
  g_free (id);
}

static void
install_progress_emit (gint64   received,
                       gint64   total,
                       gpointer data)
{
  g_signal_emit (data, signals[PROGRESS], 0, received, total);
}

static void
install_file_progress (gint64   received,
                       gint64   total,
                       gpointer user_data)
{
  GTask *task = user_data;
  InstallData *id = g_task_get_task_data (task);

  plm_handoff_progress_post (&id->progress, id->done_before + received, id->total);
}

static void
install_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  InstallData *id = task_data;
  GError *error = NULL;

  if (g_mkdir_with_parents (id->partial_dir, 0700) != 0)
    {
      int saved = errno;
      g_task_return_new_error (task, PLM_ERROR, PLM_ERROR_IO, _("Could not create %s: %s"),
                               id->partial_dir, g_strerror (saved));
      return;
    }

  for (guint i = 0; i < id->n_files; i++)
    {
      const PlmCatalogueFile *f = &id->files[i];
      g_autofree char *dest = g_build_filename (id->partial_dir, f->name, NULL);
      PlmDownloadCheck check = PLM_DOWNLOAD_CHECK_SIZE_ONLY;
      const char *how;

      if (g_file_test (dest, G_FILE_TEST_IS_REGULAR))
        /* Translators: how a model file was verified */
        how = _("verified by an earlier attempt");
      else if (!plm_download_file_sync (f->url, dest, f->size, f->sha256,
                                        install_file_progress, task, cancellable, &check, &error))
        {
          g_task_return_error (task, error);
          return;
        }
      else
        how = plm_download_check_describe (check);
      if (id->checks->len > 0)
        g_string_append (id->checks, "; ");
      /* Translators: a file name, then how it was verified */
      g_string_append_printf (id->checks, _("%s: %s"), f->name, how);
      id->done_before += f->size > 0 ? f->size : 0;
    }

  if (g_file_test (id->final_dir, G_FILE_TEST_EXISTS))
    {
      g_task_return_new_error (task, PLM_ERROR, PLM_ERROR_IO,
                               _("%s already exists; remove it to install the model again"), id->final_dir);
      return;
    }
  /* rename(2) of a directory is atomic: the model appears complete or not at all. */
  if (g_rename (id->partial_dir, id->final_dir) != 0)
    {
      int saved = errno;
      g_task_return_new_error (task, PLM_ERROR, PLM_ERROR_IO, _("Could not rename %s: %s"),
                               id->partial_dir, g_strerror (saved));
      return;
    }
  g_task_return_pointer (task, g_strdup (id->final_dir), g_free);
}

void
plm_model_store_install_async (PlmModelStore           *self,
                               const PlmCatalogueEntry *entry,
                               GCancellable            *cancellable,
                               GAsyncReadyCallback      callback,
                               gpointer                 user_data)
{
  g_autoptr(GTask) task = NULL;
  InstallData *id;

  g_return_if_fail (PLM_IS_MODEL_STORE (self));
  g_return_if_fail (entry != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, plm_model_store_install_async);

  id = g_new0 (InstallData, 1);
  id->store = g_object_ref (self);
  id->id = g_strdup (entry->id);
  id->final_dir = g_build_filename (self->directory, entry->id, NULL);
  id->partial_dir = g_strconcat (id->final_dir, ".partial", NULL);
  id->files = g_new0 (PlmCatalogueFile, entry->n_files);
  id->n_files = entry->n_files;
  for (guint i = 0; i < entry->n_files; i++)
    {
      id->files[i].name = g_strdup (entry->files[i].name);
      id->files[i].url = g_strdup (entry->files[i].url);
      id->files[i].size = entry->files[i].size;
      id->files[i].sha256 = g_strdup (entry->files[i].sha256);
    }
  id->checks = g_string_new (NULL);
  id->total = plm_catalogue_entry_size (entry);
  if (id->total <= 0)
    id->total = entry->approximate_size;
  plm_handoff_progress_init (&id->progress, task, install_progress_emit, id->store);
  g_task_set_task_data (task, id, install_data_free);
  g_task_run_in_thread (task, install_thread);
}

char *
plm_model_store_install_finish (PlmModelStore  *self,
                                GAsyncResult   *result,
                                char          **checks,
                                GError        **error)
{
  char *path;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  path = g_task_propagate_pointer (G_TASK (result), error);
  if (checks != NULL)
    *checks = path != NULL
      ? g_strdup (((InstallData *) g_task_get_task_data (G_TASK (result)))->checks->str) : NULL;
  return path;
}

GStrv
plm_model_store_update_recent (const char * const *recent,
                               const char         *path,
                               guint               max)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(GPtrArray) seen = g_ptr_array_new ();
  guint n = 0;

  if (path != NULL && max > 0)
    {
      g_strv_builder_add (builder, path);
      g_ptr_array_add (seen, (gpointer) path);
      n++;
    }
  for (guint i = 0; recent != NULL && recent[i] != NULL && n < max; i++)
    {
      gboolean dup = FALSE;

      for (guint j = 0; j < seen->len && !dup; j++)
        dup = g_str_equal (recent[i], g_ptr_array_index (seen, j));
      if (dup || !g_file_test (recent[i], G_FILE_TEST_EXISTS))
        continue;
      g_strv_builder_add (builder, recent[i]);
      g_ptr_array_add (seen, (gpointer) recent[i]);
      n++;
    }
  return g_strv_builder_end (builder);
}
