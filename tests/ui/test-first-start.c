/* test-first-start.c: the first-start page downloads the offered model from a local mirror
 * (SoupServer on 127.0.0.1), shows a readable error when the server fails, installs the
 * model atomically on the retry and runs the example protein. */
#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <string.h>

#include "plm-application.h"
#include "plm-window.h"
#include "plm-ui-test.h"

static guint n_weight_requests;
static gboolean fail_next = TRUE;

static void
handler (SoupServer        *server,
         SoupServerMessage *msg,
         const char        *path,
         GHashTable        *query,
         gpointer           user_data)
{
  const char *model_dir = user_data;
  g_autofree char *base = g_path_get_basename (path);
  g_autofree char *file = g_build_filename (model_dir, base, NULL);
  g_autofree char *contents = NULL;
  gsize len = 0;

  if (g_str_equal (base, "model.safetensors") && n_weight_requests++ == 0 && fail_next)
    {
      fail_next = FALSE;
      soup_server_message_set_status (msg, SOUP_STATUS_SERVICE_UNAVAILABLE, NULL);
      return;
    }
  if (!g_file_get_contents (file, &contents, &len, NULL))
    {
      soup_server_message_set_status (msg, SOUP_STATUS_NOT_FOUND, NULL);
      return;
    }
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "application/octet-stream", SOUP_MEMORY_COPY, contents, len);
}

static gboolean
error_shown (gpointer data)
{
  return plm_ui_test_find_label (data, "503", TRUE) != NULL;
}

static gboolean
results_shown (gpointer data)
{
  return g_strcmp0 (plm_window_get_page (data), "results") == 0;
}

/* Lets the window map and draw the latest state first. */
static void
save_screenshot (GtkWidget  *widget,
                 const char *name)
{
  plm_ui_test_spin (400);
  plm_ui_test_save_screenshot (widget, name);
}

static char *
sha256_of (const char *path)
{
  g_autofree char *contents = NULL;
  gsize len = 0;

  g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) contents, len);
}

static void
test_first_start_download (void)
{
  g_autofree char *model_dir = g_build_filename (g_getenv ("PLM_TEST_DATA"), "models", "tiny-f32", NULL);
  g_autofree char *weights = g_build_filename (model_dir, "model.safetensors", NULL);
  g_autofree char *weights_sha = sha256_of (weights);
  g_autofree char *tmp = g_dir_make_tmp ("plm-first-start-XXXXXX", NULL);
  g_autofree char *catalogue_path = g_build_filename (tmp, "models.json", NULL);
  g_autofree char *store_dir = g_build_filename (tmp, "models", NULL);
  g_autofree char *installed = g_build_filename (store_dir, "tiny", "model.safetensors", NULL);
  g_autofree char *partial = g_build_filename (store_dir, "tiny.partial", NULL);
  g_autoptr(SoupServer) server = soup_server_new (NULL, NULL);
  g_autoptr(GSettings) settings = NULL;
  g_autoptr(PlmApplication) app = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *catalogue = NULL;
  PlmWindow *window;
  GStatBuf st;
  GSList *uris;
  guint port;

  soup_server_add_handler (server, "/tiny", handler, model_dir, NULL);
  g_assert_true (soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error));
  uris = soup_server_get_uris (server);
  port = g_uri_get_port (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  g_assert_cmpint (g_stat (weights, &st), ==, 0);

  catalogue = g_strdup_printf ("{\"version\":1,\"models\":[{\"id\":\"tiny\",\"name\":\"Tiny ESM-2\","
                               "\"layers\":2,\"heads\":4,\"width\":32,\"files\":["
                               "{\"name\":\"config.json\",\"url\":\"http://127.0.0.1:%u/tiny/config.json\"},"
                               "{\"name\":\"model.safetensors\",\"url\":\"http://127.0.0.1:%u/tiny/model.safetensors\","
                               "\"size\":%" G_GINT64_FORMAT ",\"sha256\":\"%s\"}]}]}",
                               port, port, (gint64) st.st_size, weights_sha);
  g_assert_true (g_file_set_contents (catalogue_path, catalogue, -1, NULL));
  g_setenv ("PLM_MODEL_CATALOGUE", catalogue_path, TRUE);

  settings = g_settings_new ("io.github.plmlens.PlmLens");
  g_settings_set_string (settings, "model-directory", store_dir);

  app = plm_application_new (G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, NULL));
  window = plm_window_new (GTK_APPLICATION (app));
  gtk_window_set_default_size (GTK_WINDOW (window), 1200, 760);
  g_assert_true (plm_window_add_text (window, ">sp|P68871|HBB_HUMAN\nMVHLTPEEKSAVTALWGKVNVDEVGGEALGRLLVVYPWTQRFFESFGDLSTPDAVMGNPK\n",
                                      "example", NULL));
  gtk_window_present (GTK_WINDOW (window));
  g_assert_cmpstr (plm_window_get_page (window), ==, "welcome");

  /* First attempt: the mirror answers 503; the page says so and nothing is installed. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.download-default", NULL));
  g_assert_true (plm_ui_test_wait_until (error_shown, window, 30000));
  g_test_message ("shown: %s", gtk_label_get_text (GTK_LABEL (plm_ui_test_find_label (GTK_WIDGET (window), "503", TRUE))));
  g_assert_cmpstr (plm_window_get_page (window), ==, "welcome");
  g_assert_false (g_file_test (installed, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (partial, G_FILE_TEST_IS_DIR));
  save_screenshot (GTK_WIDGET (window), "ui-download-error.png");

  /* Second attempt: installed, loaded and the example runs without another click. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.download-default", NULL));
  g_assert_true (plm_ui_test_wait_until (results_shown, window, 60000));
  g_assert_true (g_file_test (installed, G_FILE_TEST_IS_REGULAR));
  g_assert_false (g_file_test (partial, G_FILE_TEST_EXISTS));
  g_assert_cmpint (plm_window_get_result (window)->n_residues, ==, 60);
  {
    g_autofree char *got = sha256_of (installed);
    g_assert_cmpstr (got, ==, weights_sha);
  }
  save_screenshot (GTK_WIDGET (window), "ui-downloaded.png");

  gtk_window_destroy (GTK_WINDOW (window));
  g_settings_reset (settings, "model-directory");
  soup_server_disconnect (server);
}

int
main (int   argc,
      char *argv[])
{
  plm_ui_test_init (&argc, &argv);
  g_test_add_func ("/first-start/download", test_first_start_download);
  return g_test_run ();
}
