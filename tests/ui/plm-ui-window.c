/* plm-ui-window.c: see plm-ui-window.h. */
#include "plm-ui-window.h"
#include "plm-training-window.h"

PlmApplication *plm_uiw_app;

const char *plm_uiw_test_data;

const char *plm_uiw_model_8m;   /* the 8M shape, written at build time by tests/models */
const char *plm_uiw_source_root;

PlmWindow *
plm_uiw_new_window (void)
{
  PlmWindow *window = plm_window_new (GTK_APPLICATION (plm_uiw_app));

  gtk_window_set_default_size (GTK_WINDOW (window), 1200, 760);
  gtk_window_present (GTK_WINDOW (window));
  plm_ui_test_spin (200);
  return window;
}

guint
plm_uiw_n_sequences (gpointer data)
{
  return g_list_model_get_n_items (plm_window_get_sequences (data));
}

gboolean
plm_uiw_has_any (gpointer data)
{
  return plm_uiw_n_sequences (data) >= 1;
}

gboolean
plm_uiw_has_two (gpointer data)
{
  return plm_uiw_n_sequences (data) >= 2;
}

gboolean
plm_uiw_has_three (gpointer data)
{
  return plm_uiw_n_sequences (data) >= 3;
}

gboolean
plm_uiw_page_is_results (gpointer data)
{
  return g_strcmp0 (plm_window_get_page (data), "results") == 0;
}

const char *plm_uiw_wanted_model;

gboolean
plm_uiw_model_loaded (gpointer data)
{
  return g_strcmp0 (plm_inference_worker_get_model_path (plm_application_get_worker (plm_uiw_app)), plm_uiw_wanted_model) == 0 &&
         g_strcmp0 (plm_window_get_page (data), "welcome") != 0;
}

gboolean
plm_uiw_worker_idle (gpointer data)
{
  return !plm_inference_worker_get_busy (plm_application_get_worker (plm_uiw_app));
}

void
plm_uiw_load_model (PlmWindow  *window,
            const char *path)
{
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_DIR));
  plm_uiw_wanted_model = path;
  plm_window_load_model (window, path, FALSE);
  g_assert_true (plm_ui_test_wait_until (plm_uiw_model_loaded, window, 30000));
  g_assert_cmpstr (plm_inference_worker_get_model_path (plm_application_get_worker (plm_uiw_app)), ==, path);
}

char *
plm_uiw_synthetic_fasta (int length)
{
  static const char aa[] = "ACDEFGHIKLMNPQRSTVWY";
  GString *s = g_string_new (NULL);
  guint32 x = 12345;

  g_string_append_printf (s, ">synthetic%d a synthetic %d-residue sequence\n", length, length);
  for (int i = 0; i < length; i++)
    {
      x = x * 1664525u + 1013904223u;
      g_string_append_c (s, aa[(x >> 16) % 20]);
    }
  g_string_append_c (s, '\n');
  return g_string_free (s, FALSE);
}

GtkWindow *
plm_uiw_open_training_window (void)
{
  GtkWindow *window = NULL;

  g_action_group_activate_action (G_ACTION_GROUP (plm_uiw_app), "training", NULL);
  plm_ui_test_spin (200);
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (plm_uiw_app)); l != NULL; l = l->next)
    if (PLM_IS_TRAINING_WINDOW (l->data))
      window = l->data;
  g_assert_nonnull (window);
  return window;
}

void
plm_uiw_init (int    *argc,
              char ***argv)
{
  g_autoptr(GError) error = NULL;

  plm_ui_test_init (argc, argv);
  plm_uiw_test_data = g_getenv ("PLM_TEST_DATA");
  plm_uiw_model_8m = g_getenv ("PLM_TEST_MODEL_8M");
  plm_uiw_source_root = g_getenv ("PLM_SOURCE_ROOT");
  g_assert_nonnull (plm_uiw_test_data);
  g_assert_nonnull (plm_uiw_source_root);
  g_assert_nonnull (plm_uiw_model_8m);

  plm_uiw_app = plm_application_new (G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (plm_uiw_app), NULL, &error));
  g_assert_no_error (error);
  g_application_hold (G_APPLICATION (plm_uiw_app));
}

void
plm_uiw_finish (void)
{
  g_application_release (G_APPLICATION (plm_uiw_app));
  g_clear_object (&plm_uiw_app);
}
