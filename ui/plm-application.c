/* plm-application.c: starts windows, parses `plmlens [--model MODEL] [FILE.fasta ...]`. */
#include <glib/gi18n.h>

#include "plm-application-private.h"
#include "plm-window.h"

struct _PlmApplication
{
  AdwApplication      parent_instance;
  GSettings          *settings;
  PlmInferenceWorker *worker;
  PlmModelStore      *model_store;
  PlmCatalogue       *catalogue;
  GtkStringList      *heads;        /* trained NM heads (paths), see plm_application_add_head */
};

G_DEFINE_FINAL_TYPE (PlmApplication, plm_application, ADW_TYPE_APPLICATION)

enum {
  HEAD_ADDED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

#define EXAMPLE_RESOURCE "/io/github/plmlens/PlmLens/examples/hbb_human.fasta"

static void
on_threads_changed (PlmApplication *self)
{
  plm_inference_worker_set_threads (self->worker, g_settings_get_int (self->settings, "threads"));
}

static void
on_precision_changed (PlmApplication *self)
{
  plm_inference_worker_set_precision (self->worker, (PlmPrecision) g_settings_get_enum (self->settings, "precision"));
}

static void
plm_application_startup (GApplication *app)
{
  PlmApplication *self = PLM_APPLICATION (app);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  const char *catalogue_path;

  G_APPLICATION_CLASS (plm_application_parent_class)->startup (app);

  self->settings = g_settings_new (APP_ID);
  self->worker = plm_inference_worker_new ();
  self->model_store = plm_model_store_new (g_settings_get_string (self->settings, "model-directory"));
  g_settings_bind (self->settings, "model-directory", self->model_store, "directory", G_SETTINGS_BIND_GET);
  g_signal_connect_swapped (self->settings, "changed::threads", G_CALLBACK (on_threads_changed), self);
  on_threads_changed (self);
  g_signal_connect_swapped (self->settings, "changed::precision", G_CALLBACK (on_precision_changed), self);
  on_precision_changed (self);

  /* PLM_MODEL_CATALOGUE names another models.json, e.g. a mirror inside an institute. */
  catalogue_path = g_getenv ("PLM_MODEL_CATALOGUE");
  if (catalogue_path != NULL && catalogue_path[0] != '\0')
    {
      g_autoptr(GFile) file = g_file_new_for_path (catalogue_path);
      bytes = g_file_load_bytes (file, NULL, NULL, &error);
    }
  else
    {
      catalogue_path = "models.json";
      bytes = g_resources_lookup_data ("/io/github/plmlens/PlmLens/models.json", 0, &error);
    }
  if (bytes != NULL)
    self->catalogue = plm_catalogue_parse (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                                           catalogue_path, &error);
  if (self->catalogue == NULL)
    g_warning ("The model catalogue is unusable: %s", error->message);

  plm_application_actions_init (self);
}

static void
plm_application_shutdown (GApplication *app)
{
  PlmApplication *self = PLM_APPLICATION (app);

  G_APPLICATION_CLASS (plm_application_parent_class)->shutdown (app);

  g_clear_object (&self->worker);
  g_clear_object (&self->model_store);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->catalogue, plm_catalogue_free);
}

/* Which model to start with when none is given: the last one used, else any installed. */
static char *
initial_model (PlmApplication *self)
{
  g_autofree char *last = g_settings_get_string (self->settings, "last-model");
  g_auto(GStrv) installed = NULL;

  if (last[0] && g_file_test (last, G_FILE_TEST_EXISTS))
    return g_steal_pointer (&last);
  installed = plm_model_store_list_installed (self->model_store);
  return installed[0] ? g_strdup (installed[0]) : NULL;
}

static PlmWindow *
new_window (PlmApplication  *self,
            GFile          **files,
            guint            n_files,
            const char      *model)
{
  PlmWindow *window = plm_window_new (GTK_APPLICATION (self));

  if (n_files > 0)
    plm_window_open_files (window, files, n_files);
  else
    {
      g_autoptr(GBytes) bytes = g_resources_lookup_data (EXAMPLE_RESOURCE, 0, NULL);

      if (bytes != NULL)
        {
          g_autofree char *text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
          plm_window_add_text (window, text, "hbb_human.fasta", NULL);
        }
    }

  if (model != NULL)
    plm_window_load_model (window, model, TRUE);
  else if (plm_inference_worker_get_model (self->worker) == NULL)
    {
      g_autofree char *path = initial_model (self);
      if (path != NULL)
        plm_window_load_model (window, path, FALSE);
    }

  gtk_window_present (GTK_WINDOW (window));
  return window;
}

static void
plm_application_activate (GApplication *app)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  if (window != NULL)
    gtk_window_present (window);
  else
    new_window (PLM_APPLICATION (app), NULL, 0, NULL);
}

static void
plm_application_open (GApplication  *app,
                      GFile        **files,
                      int            n_files,
                      const char    *hint)
{
  new_window (PLM_APPLICATION (app), files, n_files, NULL);
}

static int
plm_application_command_line (GApplication            *app,
                              GApplicationCommandLine *cmdline)
{
  PlmApplication *self = PLM_APPLICATION (app);
  GVariantDict *options = g_application_command_line_get_options_dict (cmdline);
  g_autofree char *model = NULL;
  g_auto(GStrv) args = NULL;
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);

  g_variant_dict_lookup (options, "model", "^ay", &model);
  g_variant_dict_lookup (options, G_OPTION_REMAINING, "^aay", &args);
  for (guint i = 0; args && args[i]; i++)
    g_ptr_array_add (files, g_application_command_line_create_file_for_arg (cmdline, args[i]));

  if (model != NULL && !g_path_is_absolute (model))
    {
      g_autofree char *abs = g_build_filename (g_application_command_line_get_cwd (cmdline), model, NULL);
      g_free (model);
      model = g_steal_pointer (&abs);
    }
  if (model != NULL && !g_file_test (model, G_FILE_TEST_EXISTS))
    {
      g_application_command_line_printerr (cmdline, _("plmlens: %s: no such model file or directory\n"), model);
      return 2;
    }

  if (files->len == 0 && model == NULL && gtk_application_get_active_window (GTK_APPLICATION (app)))
    gtk_window_present (gtk_application_get_active_window (GTK_APPLICATION (app)));
  else
    new_window (self, (GFile **) files->pdata, files->len, model);
  return 0;
}

static void
plm_application_finalize (GObject *object)
{
  PlmApplication *self = PLM_APPLICATION (object);

  g_clear_object (&self->heads);
  G_OBJECT_CLASS (plm_application_parent_class)->finalize (object);
}

static void
plm_application_class_init (PlmApplicationClass *klass)
{
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  app_class->startup = plm_application_startup;
  app_class->shutdown = plm_application_shutdown;
  app_class->activate = plm_application_activate;
  app_class->open = plm_application_open;
  app_class->command_line = plm_application_command_line;
  G_OBJECT_CLASS (klass)->finalize = plm_application_finalize;

  /* (const char *path): a trained head became available (plm_application_add_head). */
  signals[HEAD_ADDED] = g_signal_new ("head-added", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                      0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
plm_application_init (PlmApplication *self)
{
  static const GOptionEntry entries[] = {
    { "model", 'm', 0, G_OPTION_ARG_FILENAME, NULL,
      N_("Load this checkpoint (a directory or .safetensors file) and run it at once"), N_("MODEL") },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, NULL, NULL, N_("[FILE.fasta…]") },
    { NULL }
  };

  self->heads = gtk_string_list_new (NULL);
  g_application_add_main_option_entries (G_APPLICATION (self), entries);
  g_application_set_option_context_summary (G_APPLICATION (self),
                                            _("Run ESM-2 on protein sequences and explore its attention."));
}

PlmApplication *
plm_application_new (GApplicationFlags flags)
{
  return g_object_new (PLM_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "resource-base-path", "/io/github/plmlens/PlmLens",
                       "flags", flags | G_APPLICATION_HANDLES_OPEN | G_APPLICATION_HANDLES_COMMAND_LINE,
                       NULL);
}

GSettings *
plm_application_get_settings (PlmApplication *self)
{
  g_return_val_if_fail (PLM_IS_APPLICATION (self), NULL);
  return self->settings;
}

PlmInferenceWorker *
plm_application_get_worker (PlmApplication *self)
{
  g_return_val_if_fail (PLM_IS_APPLICATION (self), NULL);
  return self->worker;
}

PlmModelStore *
plm_application_get_model_store (PlmApplication *self)
{
  g_return_val_if_fail (PLM_IS_APPLICATION (self), NULL);
  return self->model_store;
}

const PlmCatalogue *
plm_application_get_catalogue (PlmApplication *self)
{
  g_return_val_if_fail (PLM_IS_APPLICATION (self), NULL);
  return self->catalogue;
}

void
plm_application_add_head (PlmApplication *self,
                          const char     *path)
{
  guint n;

  g_return_if_fail (PLM_IS_APPLICATION (self));
  g_return_if_fail (path != NULL);

  n = g_list_model_get_n_items (G_LIST_MODEL (self->heads));
  for (guint i = 0; i < n; i++)
    if (g_strcmp0 (gtk_string_list_get_string (self->heads, i), path) == 0)
      {
        /* retrained into the same file: announce it again, but list it once */
        g_signal_emit (self, signals[HEAD_ADDED], 0, path);
        return;
      }
  gtk_string_list_append (self->heads, path);
  g_signal_emit (self, signals[HEAD_ADDED], 0, path);
}

GListModel *
plm_application_get_heads (PlmApplication *self)
{
  g_return_val_if_fail (PLM_IS_APPLICATION (self), NULL);
  return G_LIST_MODEL (self->heads);
}
