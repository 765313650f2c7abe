/* test-lifetimes.c: asynchronous results that come back after their window was closed, or after
 * a newer request replaced them. Each test closes a window (or restarts a computation) while a
 * model loads, a file is read, a run or a pair computation is under way, then lets the work
 * finish: a callback that touched the disposed window would hit a cleared field (a critical,
 * fatal here) or freed memory (ASan, in the sanitizer build of CI). */
#include <glib/gstdio.h>

#include "plm-application.h"
#include "plm-nm-train.h"
#include "plm-pair-view.h"
#include "plm-sequence.h"
#include "plm-test-util.h"
#include "plm-ui-test.h"
#include "plm-ui-window.h"
#include "plm-window.h"


static PlmWindow *
new_window (void)
{
  PlmWindow *window = plm_window_new (GTK_APPLICATION (plm_uiw_app));

  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 700);
  gtk_window_present (GTK_WINDOW (window));
  plm_ui_test_spin (100);
  return window;
}

static gboolean
worker_idle (gpointer data)
{
  return !plm_inference_worker_get_busy (plm_application_get_worker (plm_uiw_app));
}

static gboolean
model_is (gpointer data)
{
  return g_strcmp0 (plm_inference_worker_get_model_path (plm_application_get_worker (plm_uiw_app)), data) == 0;
}

static char *
tiny_model (void)
{
  return g_build_filename (plm_uiw_test_data, "models", "tiny-f32", NULL);
}

static void
load_and_wait (PlmWindow  *window,
               const char *path)
{
  plm_window_load_model (window, path, FALSE);
  g_assert_true (plm_ui_test_wait_until (model_is, (gpointer) path, 30000));
  g_assert_true (plm_ui_test_wait_until (worker_idle, NULL, 30000));
}

/* Closes @window and lets everything it started come back. Pending work holds no reference:
 * the window (and every result it shows) is freed when it closes, not when the work ends. */
static void
close_and_drain (PlmWindow *window)
{
  GWeakRef weak;

  g_weak_ref_init (&weak, window);
  gtk_window_destroy (GTK_WINDOW (window));
  {
    g_autoptr(GObject) still = g_weak_ref_get (&weak);
    g_assert_null (still);
  }
  g_weak_ref_clear (&weak);
  g_assert_true (plm_ui_test_wait_until (worker_idle, NULL, 60000));
  plm_ui_test_spin (300);
}

static char *
random_protein (int    length,
                guint32 seed)
{
  static const char aa[] = "ACDEFGHIKLMNPQRSTVWY";
  char *s = g_new (char, length + 1);

  for (int i = 0; i < length; i++)
    {
      seed = seed * 1664525u + 1013904223u;
      s[i] = aa[(seed >> 16) % 20];
    }
  s[length] = '\0';
  return s;
}

/* The model finishes loading after the window is gone: on_model_loaded must not store the
 * setting or update the labels of a disposed window. */
static void
test_close_mid_load (void)
{
  g_autofree char *model = tiny_model ();
  PlmWindow *window = new_window ();

  plm_window_load_model (window, model, TRUE);
  close_and_drain (window);
  /* closing cancelled the load: the worker did not take the model */
  g_assert_false (model_is (model));
}

/* A FASTA file is read after the window is gone. */
static void
test_close_mid_file_read (void)
{
  g_autofree char *path = g_build_filename (plm_uiw_test_data, "ref-seqs.fasta", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  PlmWindow *window = new_window ();

  plm_window_open_files (window, &file, 1);
  close_and_drain (window);
}

/* A run is under way when the window closes: it is cancelled, and its result (or error) finds
 * no window. */
static void
test_close_mid_run (void)
{
  g_autofree char *model = tiny_model ();
  g_autofree char *seq = random_protein (400, 7);
  g_autofree char *fasta = g_strdup_printf (">long\n%s\n", seq);
  PlmWindow *window = new_window ();

  load_and_wait (window, model);
  g_assert_true (plm_window_add_text (window, fasta, "lifetimes", NULL));
  plm_ui_test_spin (50);
  plm_window_run (window);
  g_assert_cmpstr (plm_window_get_page (window), ==, "running");
  close_and_drain (window);
  /* cancelled, so nothing was cached for it */
  g_assert_null (plm_inference_worker_lookup (plm_application_get_worker (plm_uiw_app), seq));
}

static char *
write_head (void)
{
  g_autofree char *dir = g_dir_make_tmp ("plm-lifetimes-XXXXXX", NULL);

  return plm_test_write_random_head (dir, "head.safetensors", PLM_NM_HEAD_ATTENTION);
}

static PlmPairView *
pair_view_with_head (PlmWindow *window)
{
  g_autofree char *head = write_head ();
  PlmPairView *view = PLM_PAIR_VIEW (plm_window_get_pair_view (window));
  g_autoptr(GError) error = NULL;

  g_assert_true (plm_pair_view_load_head (view, head, &error));
  g_assert_no_error (error);
  return view;
}

static void
set_random_chains (PlmPairView *view,
                   int          length,
                   guint32      seed)
{
  for (int s = 0; s < 2; s++)
    {
      g_autofree char *a = random_protein (length, seed + 2 * s);
      g_autofree char *b = random_protein (length + 3, seed + 2 * s + 1);

      plm_pair_view_set_chains (view, s, a, b);
    }
}

/* The Pair view is embedding its chains when the window closes. */
static void
test_close_mid_pair_compute (void)
{
  g_autofree char *model = tiny_model ();
  PlmWindow *window = new_window ();
  PlmPairView *view;

  load_and_wait (window, model);
  view = pair_view_with_head (window);
  set_random_chains (view, 300, 11);
  plm_pair_view_compute (view);
  close_and_drain (window);
  /* closing cancelled the computation: the last chain (negative pair, B) was never embedded */
  {
    g_autofree char *last = random_protein (303, 11 + 3);
    g_assert_null (plm_inference_worker_lookup (plm_application_get_worker (plm_uiw_app), last));
  }
}

typedef struct {
  PlmPairView *view;
  int          computed;
  int          enabled;         /* times the Compute button was re-enabled */
  int          enabled_stale;   /* ... without the newest pair's maps on screen */
} PairWatch;

static void
on_computed (PlmPairView *view,
             PairWatch   *w)
{
  w->computed++;
}

static void
on_sensitive (GtkWidget  *button,
              GParamSpec *pspec,
              PairWatch  *w)
{
  int rows = 0, cols = 0;

  if (!gtk_widget_get_sensitive (button))
    return;
  w->enabled++;
  if (plm_pair_view_get_matrix (w->view, 0, &rows, &cols) == NULL || rows != 40)
    w->enabled_stale++;
}

static gboolean
pair_done (gpointer data)
{
  return ((PairWatch *) data)->computed > 0;
}

/* Compute, then Compute again at once with other chains: the first computation's (cancelled)
 * completion must neither re-enable the button under the second nor show its maps. */
static void
test_stale_pair_completion (void)
{
  g_autofree char *model = tiny_model ();
  PlmWindow *window = new_window ();
  PlmPairView *view;
  GtkWidget *label, *button;
  PairWatch w = { NULL };
  int rows, cols;

  load_and_wait (window, model);
  view = pair_view_with_head (window);
  w.view = view;
  plm_window_set_view (window, "pair");
  plm_ui_test_spin (100);
  label = plm_ui_test_find_label (GTK_WIDGET (view), "Compute", FALSE);
  g_assert_nonnull (label);
  button = gtk_widget_get_ancestor (label, GTK_TYPE_BUTTON);
  g_assert_nonnull (button);

  g_signal_connect (view, "computed", G_CALLBACK (on_computed), &w);
  g_signal_connect (button, "notify::sensitive", G_CALLBACK (on_sensitive), &w);
  set_random_chains (view, 200, 21);
  plm_pair_view_compute (view);
  set_random_chains (view, 40, 31);
  plm_pair_view_compute (view);
  g_assert_true (plm_ui_test_wait_until (pair_done, &w, 60000));
  plm_ui_test_spin (300);
  /* once, by the computation that finished, with its maps shown; a stale completion would have
   * enabled it while the second pair was still being computed */
  g_assert_cmpint (w.enabled_stale, ==, 0);
  g_assert_cmpint (w.enabled, ==, 1);
  g_assert_cmpint (w.computed, ==, 1);
  /* the second pair's maps: 40 × 43 residues */
  g_assert_nonnull (plm_pair_view_get_matrix (view, 0, &rows, &cols));
  g_assert_cmpint (rows, ==, 40);
  g_assert_cmpint (cols, ==, 43);
  g_assert_true (gtk_widget_get_sensitive (button));
  g_signal_handlers_disconnect_by_data (button, &w);
  close_and_drain (window);
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  plm_uiw_init (&argc, &argv);

  g_test_add_func ("/lifetimes/close-mid-load", test_close_mid_load);
  g_test_add_func ("/lifetimes/close-mid-file-read", test_close_mid_file_read);
  g_test_add_func ("/lifetimes/close-mid-run", test_close_mid_run);
  g_test_add_func ("/lifetimes/close-mid-pair-compute", test_close_mid_pair_compute);
  g_test_add_func ("/lifetimes/stale-pair-completion", test_stale_pair_completion);
  ret = g_test_run ();
  plm_uiw_finish ();
  return ret;
}
