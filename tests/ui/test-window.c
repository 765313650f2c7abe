/* test-window.c: the main window driven headlessly under Xvfb, with screenshots of each step. */
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "plm-application.h"
#include "plm-attention-view.h"
#include "plm-models-window.h"
#include "plm-preferences-window.h"
#include "plm-error.h"
#include "plm-npy.h"
#include "plm-nm-train.h"
#include "plm-pair-view.h"
#include "plm-sequence.h"
#include "plm-window.h"
#include "plm-ui-test.h"

/* No test asserts a time: the gaps and frame costs below are reported with g_test_message and
 * measured on a quiet machine by the benchmarks in tests/bench/. */

static PlmApplication *app;

static const char *test_data;
static const char *model_8m;   /* the 8M shape, written at build time by tests/models */
static const char *source_root;

static PlmWindow *
new_window (void)
{
  PlmWindow *window = plm_window_new (GTK_APPLICATION (app));

  gtk_window_set_default_size (GTK_WINDOW (window), 1200, 760);
  gtk_window_present (GTK_WINDOW (window));
  plm_ui_test_spin (200);
  return window;
}

static guint
n_sequences (gpointer data)
{
  return g_list_model_get_n_items (plm_window_get_sequences (data));
}

static gboolean
has_any (gpointer data)
{
  return n_sequences (data) >= 1;
}

static gboolean
has_two (gpointer data)
{
  return n_sequences (data) >= 2;
}

static gboolean
has_three (gpointer data)
{
  return n_sequences (data) >= 3;
}

static gboolean
page_is_results (gpointer data)
{
  return g_strcmp0 (plm_window_get_page (data), "results") == 0;
}

static const char *wanted_model;

static gboolean
model_loaded (gpointer data)
{
  return g_strcmp0 (plm_inference_worker_get_model_path (plm_application_get_worker (app)), wanted_model) == 0 &&
         g_strcmp0 (plm_window_get_page (data), "welcome") != 0;
}

static gboolean
worker_idle (gpointer data)
{
  return !plm_inference_worker_get_busy (plm_application_get_worker (app));
}

static void
load_model (PlmWindow  *window,
            const char *path)
{
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_DIR));
  wanted_model = path;
  plm_window_load_model (window, path, FALSE);
  g_assert_true (plm_ui_test_wait_until (model_loaded, window, 30000));
  g_assert_cmpstr (plm_inference_worker_get_model_path (plm_application_get_worker (app)), ==, path);
}

static char *
synthetic_fasta (int length)
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

/* Opening a FASTA with several records, searching, and the no-model first page. */
static void
test_open_fasta (void)
{
  PlmWindow *window = new_window ();
  g_autofree char *path = g_build_filename (source_root, "data", "examples", "three_proteins.fasta", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  PlmSequence *seq;

  /* No model yet: the first-start page. */
  g_assert_cmpstr (plm_window_get_page (window), ==, "welcome");

  plm_window_open_files (window, &file, 1);
  g_assert_true (plm_ui_test_wait_until (has_three, window, 5000));
  g_assert_cmpuint (n_sequences (window), ==, 3);

  seq = g_list_model_get_item (plm_window_get_sequences (window), 0);
  g_assert_cmpstr (plm_sequence_get_id (seq), ==, "sp|P68871|HBB_HUMAN");
  g_assert_cmpint (plm_sequence_get_length (seq), ==, 147);
  g_object_unref (seq);
  seq = g_list_model_get_item (plm_window_get_sequences (window), 2);
  g_assert_cmpint (plm_sequence_get_length (seq), ==, 393);
  g_object_unref (seq);

  /* Opened files are remembered, most recent first. */
  {
    g_autoptr(GSettings) settings = g_settings_new ("io.github.plmlens.PlmLens");
    g_auto(GStrv) recent = g_settings_get_strv (settings, "recent-files");

    g_assert_nonnull (recent[0]);
    g_assert_cmpstr (recent[0], ==, path);
  }

  plm_window_set_search (window, "p53");
  g_assert_cmpuint (plm_window_get_n_visible (window), ==, 1);
  plm_window_set_search (window, "no such protein");
  g_assert_cmpuint (plm_window_get_n_visible (window), ==, 0);
  plm_window_set_search (window, "");
  g_assert_cmpuint (plm_window_get_n_visible (window), ==, 3);

  /* Pasted text: digits, spaces and lower case are normalised; J and ! are flagged. */
  g_assert_true (plm_window_add_text (window, ">pasted test\n1 mkta yiak\n11 QRJSF!V\n", "paste", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_sequences (window), ==, 4);
  seq = g_list_model_get_item (plm_window_get_sequences (window), 3);
  g_assert_cmpstr (plm_sequence_get_residues (seq), ==, "MKTAYIAKQRJSF!V");
  g_assert_nonnull (plm_sequence_get_note (seq));
  {
    guint n = 0;
    const int *pos = plm_sequence_get_invalid (seq, &n);
    g_assert_cmpuint (n, ==, 2);
    g_assert_cmpint (pos[0], ==, 10);
    g_assert_cmpint (pos[1], ==, 13);
  }
  g_object_unref (seq);

  /* Garbage is refused with a message, nothing added. */
  g_assert_false (plm_window_add_text (window, ">empty\n\n", "paste", &error));
  g_assert_error (error, PLM_ERROR, PLM_ERROR_FORMAT);
  g_assert_cmpuint (n_sequences (window), ==, 4);

  plm_ui_test_spin (300);
  plm_ui_test_save_screenshot (GTK_WIDGET (window), "ui-open-fasta.png");
  plm_window_select (window, 0);
  plm_ui_test_spin (300);
  plm_ui_test_save_screenshot (GTK_WIDGET (window), "ui-welcome.png");
  gtk_window_destroy (GTK_WINDOW (window));
}

static int frames;
static gint64 first_frame_time;

static gint64 first_frame_cpu;


static void
on_frame_drawn (GtkWidget *heatmap,
                gpointer   data)
{
  if (frames++ == 0)
    {
      first_frame_time = g_get_monotonic_time ();
      first_frame_cpu = plm_ui_test_thread_cpu_us ();
    }
}

static gint64 result_cpu;

/* Main-thread CPU clock when the window reports the result, sampled from a "notify" on the
 * heatmap's result (set in the same call that stamps plm_window_get_result_time ()). */
static void
on_result_set (GtkWidget  *heatmap,
               GParamSpec *pspec,
               gpointer    data)
{
  result_cpu = plm_ui_test_thread_cpu_us ();
}

/* Runs the project's tiny model on ubiquitin and checks the stored attention against the
 * PyTorch reference (fp16 storage: ≤ 2⁻¹¹ relative + the engine's 1e-4). */
static void
test_run_results (void)
{
  PlmWindow *window = new_window ();
  g_autofree char *model = g_build_filename (test_data, "models", "tiny-f32", NULL);
  g_autofree char *fasta = g_build_filename (test_data, "ref-seqs.fasta", NULL);
  g_autofree char *ref = g_build_filename (test_data, "ref", "tiny-f32", "medium", "attentions.npy", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (fasta);
  g_autoptr(GError) error = NULL;
  PlmNpyArray expected = { 0 };
  PlmInferenceResult *r;
  double worst = 0.0;
  guint medium = G_MAXUINT;

  load_model (window, model);
  plm_window_open_files (window, &file, 1);
  g_assert_true (plm_ui_test_wait_until (has_three, window, 5000));
  for (guint i = 0; i < n_sequences (window); i++)
    {
      g_autoptr(PlmSequence) seq = g_list_model_get_item (plm_window_get_sequences (window), i);
      if (g_str_equal (plm_sequence_get_id (seq), "medium"))
        medium = i;
    }
  g_assert_cmpuint (medium, !=, G_MAXUINT);
  plm_window_select (window, medium);
  plm_ui_test_spin (50);
  g_assert_cmpstr (plm_window_get_page (window), ==, "ready");

  frames = 0;
  g_signal_connect (plm_window_get_heatmap (window), "frame-drawn", G_CALLBACK (on_frame_drawn), NULL);
  plm_window_run (window);
  g_assert_true (plm_ui_test_wait_until (page_is_results, window, 30000));
  plm_ui_test_spin (300);
  g_assert_cmpint (frames, >, 0);

  r = plm_window_get_result (window);
  g_assert_nonnull (r);
  g_assert_true (plm_npy_read (ref, &expected, &error));
  g_assert_no_error (error);
  g_assert_cmpint (expected.shape[0], ==, r->n_layers);
  g_assert_cmpint (expected.shape[1], ==, r->n_heads);
  g_assert_cmpint (expected.shape[2], ==, r->n_tokens);
  for (int l = 0; l < r->n_layers; l++)
    for (int h = 0; h < r->n_heads; h++)
      for (int i = 0; i < r->n_tokens; i++)
        for (int j = 0; j < r->n_tokens; j++)
          {
            float want = ((float *) expected.data)[(((gsize) l * r->n_heads + h) * r->n_tokens + i) * r->n_tokens + j];
            float got = plm_attention_store_get (r->attention, l, h, i, j);
            worst = MAX (worst, fabs (got - want) - 4.9e-4 * fabs (want));
          }
  g_test_message ("worst |fp16 store − reference| beyond fp16 rounding: %.2e", worst);
  g_assert_cmpfloat (worst, <=, 1e-4);
  plm_npy_array_clear (&expected);

  /* The model details: what `plmlens-cli info` reports for the same checkpoint. */
  {
    GtkWidget *details = plm_ui_test_find_label (GTK_WIDGET (window), "Attention heads:", FALSE);
    const char *text;

    g_assert_nonnull (details);
    text = gtk_label_get_text (GTK_LABEL (details));
    g_test_message ("model details: %s", text);
    g_assert_nonnull (strstr (text, "Layers: 2\n"));
    g_assert_nonnull (strstr (text, "Attention heads: 4\n"));
    g_assert_nonnull (strstr (text, "Width: 32\n"));
    g_assert_nonnull (strstr (text, "Parameters: 27690\n"));
    g_assert_nonnull (strstr (text, "Weights: F32, "));
  }

  plm_ui_test_save_screenshot (GTK_WIDGET (window), "ui-results-tiny.png");
  gtk_window_destroy (GTK_WINDOW (window));
}

typedef struct
{
  gint64 start;
  gint64 last;
  gint64 longest;
  gint64 last_cpu;
  gint64 longest_cpu;   /* main-thread CPU time spent between two ticks */
  guint  ticks;
} GapProbe;

static gboolean
on_tick (gpointer data)
{
  GapProbe *probe = data;
  gint64 now = g_get_monotonic_time ();
  gint64 cpu = plm_ui_test_thread_cpu_us ();

  if (probe->last)
    {
      probe->longest = MAX (probe->longest, now - probe->last);
      probe->longest_cpu = MAX (probe->longest_cpu, cpu - probe->last_cpu);
    }
  probe->last_cpu = cpu;
  if (probe->last && now - probe->last > 30000)
    g_test_message ("gap of %.1f ms ending at +%.0f ms (worker busy: %d)", (now - probe->last) / 1000.0,
                    (now - probe->start) / 1000.0, plm_inference_worker_get_busy (plm_application_get_worker (app)));
  probe->last = now;
  probe->ticks++;
  return G_SOURCE_CONTINUE;
}

static gboolean
page_is_running (gpointer data)
{
  return g_strcmp0 (plm_window_get_page (data), "running") == 0;
}

static gboolean
page_not_running (gpointer data)
{
  return g_strcmp0 (plm_window_get_page (data), "running") != 0;
}

/* The 8M shape on a 500-residue sequence: a 10 ms timeout keeps firing for the whole run,
 * including the hand-over of the result and the first frame. The longest gap is reported, not
 * bounded (tests/bench/ measures it). */
static void
test_responsiveness (void)
{
  const char *model = model_8m;
  g_autofree char *fasta = synthetic_fasta (500);
  PlmWindow *window;
  GapProbe probe = { 0 };
  guint source;
  gint64 start;
  double load;

  window = new_window ();
  load_model (window, model);
  g_assert_true (plm_window_add_text (window, fasta, "synthetic", NULL));
  plm_ui_test_spin (200);

  frames = 0;
  g_signal_connect (plm_window_get_heatmap (window), "frame-drawn", G_CALLBACK (on_frame_drawn), NULL);
  source = g_timeout_add (10, on_tick, &probe);
  start = probe.start = g_get_monotonic_time ();
  plm_window_run (window);
  g_test_message ("plm_window_run () returned after %.1f ms", (g_get_monotonic_time () - start) / 1000.0);
  g_assert_true (plm_ui_test_wait_until (page_is_results, window, 120000));
  plm_ui_test_spin (300);
  g_source_remove (source);

  load = plm_ui_test_machine_load ();
  g_test_message ("L=500 8M shape: run %.2f s, %u ticks, longest main-loop gap %.1f ms wall, "
                  "%.1f ms of main-thread CPU; machine load %.2f per core",
                  (g_get_monotonic_time () - start) / 1e6, probe.ticks, probe.longest / 1000.0,
                  probe.longest_cpu / 1000.0, load);
  g_assert_cmpint (frames, >, 0);
  plm_ui_test_save_screenshot (GTK_WIDGET (window), "ui-results-500.png");
  gtk_window_destroy (GTK_WINDOW (window));
}

/* Time from the result being handed to the view to the first heatmap frame at L = 300. */
static void
test_first_frame (void)
{
  g_autofree char *model = g_build_filename (test_data, "models", "tiny-f32", NULL);
  g_autofree char *fasta = synthetic_fasta (300);
  PlmWindow *window = new_window ();
  double ms, cpu_ms, load;

  load_model (window, model);
  g_assert_true (plm_window_add_text (window, fasta, "synthetic", NULL));
  plm_ui_test_spin (200);
  frames = 0;
  first_frame_time = 0;
  result_cpu = 0;
  g_signal_connect (plm_window_get_heatmap (window), "frame-drawn", G_CALLBACK (on_frame_drawn), NULL);
  g_signal_connect (plm_window_get_heatmap (window), "notify::result", G_CALLBACK (on_result_set), NULL);
  plm_window_run (window);
  g_assert_true (plm_ui_test_wait_until (page_is_results, window, 60000));
  plm_ui_test_spin (500);
  g_assert_cmpint (frames, >, 0);
  ms = (first_frame_time - plm_window_get_result_time (window)) / 1000.0;
  cpu_ms = (first_frame_cpu - result_cpu) / 1000.0;
  load = plm_ui_test_machine_load ();
  g_test_message ("L=300: results ready → first heatmap frame %.1f ms wall, %.1f ms main-thread CPU; "
                  "machine load %.2f per core", ms, cpu_ms, load);
  g_assert_cmpfloat (ms, >=, 0.0);
  g_assert_cmpint (result_cpu, >, 0);
  plm_ui_test_save_screenshot (GTK_WIDGET (window), "ui-results-300.png");
  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
progress_seen (gpointer data)
{
  return plm_window_get_progress_updates (data) > 0;
}

/* Cancel while running: the window goes back to "ready" at once, the worker stops, and no
 * result is cached for the sequence. */
static void
test_cancel (void)
{
  const char *model = model_8m;
  g_autofree char *fasta = synthetic_fasta (700);
  PlmInferenceWorker *worker = plm_application_get_worker (app);
  PlmWindow *window;
  PlmSequence *seq;
  gint64 t0;

  window = new_window ();
  load_model (window, model);
  g_assert_true (plm_window_add_text (window, fasta, "synthetic", NULL));
  plm_ui_test_spin (100);
  seq = g_list_model_get_item (plm_window_get_sequences (window), 0);

  plm_window_run (window);
  g_assert_true (plm_ui_test_wait_until (page_is_running, window, 1000));
  g_assert_true (plm_ui_test_wait_until (progress_seen, window, 60000));
  plm_ui_test_spin (100);
  plm_ui_test_save_screenshot (GTK_WIDGET (window), "ui-running.png");

  t0 = g_get_monotonic_time ();
  gtk_widget_activate_action (GTK_WIDGET (window), "win.cancel", NULL);
  g_assert_true (page_not_running (window));
  g_assert_cmpstr (plm_window_get_page (window), ==, "ready");
  g_assert_true (plm_ui_test_wait_until (worker_idle, NULL, 30000));
  g_test_message ("cancel → worker idle in %.0f ms", (g_get_monotonic_time () - t0) / 1000.0);
  g_assert_null (plm_inference_worker_lookup (worker, plm_sequence_get_residues (seq)));
  g_assert_null (plm_window_get_result (window));
  plm_ui_test_spin (200);
  plm_ui_test_save_screenshot (GTK_WIDGET (window), "ui-cancelled.png");

  g_object_unref (seq);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* Record A, record B, back to A: the third is served from the cache, with no new run. */
static void
test_switch_records_cache (void)
{
  g_autofree char *model = g_build_filename (test_data, "models", "tiny-f32", NULL);
  g_autofree char *path = g_build_filename (source_root, "data", "examples", "three_proteins.fasta", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  PlmInferenceWorker *worker = plm_application_get_worker (app);
  PlmWindow *window = new_window ();
  PlmInferenceResult *a, *b;
  guint progress;
  gint64 t0;
  double ms;

  load_model (window, model);
  plm_window_open_files (window, &file, 1);
  g_assert_true (plm_ui_test_wait_until (has_three, window, 5000));

  plm_window_select (window, 0);
  plm_window_run (window);
  g_assert_true (plm_ui_test_wait_until (page_is_results, window, 30000));
  a = plm_window_get_result (window);
  g_assert_cmpint (a->n_residues, ==, 147);

  plm_window_select (window, 1);
  plm_ui_test_spin (50);
  g_assert_cmpstr (plm_window_get_page (window), ==, "ready");
  plm_window_run (window);
  g_assert_true (plm_ui_test_wait_until (page_is_results, window, 30000));
  b = plm_window_get_result (window);
  g_assert_cmpint (b->n_residues, ==, 238);
  g_assert_true (a != b);

  progress = plm_window_get_progress_updates (window);
  t0 = g_get_monotonic_time ();
  plm_window_select (window, 0);
  ms = (g_get_monotonic_time () - t0) / 1000.0;
  /* Synchronous: no main-loop iteration was needed to show the cached result. */
  g_assert_cmpstr (plm_window_get_page (window), ==, "results");
  g_assert_true (plm_window_get_result (window) == a);
  g_assert_false (plm_inference_worker_get_busy (worker));
  plm_ui_test_spin (200);
  g_assert_cmpuint (plm_window_get_progress_updates (window), ==, progress);
  g_test_message ("switch back to a cached record: %.2f ms", ms);
  plm_ui_test_save_screenshot (GTK_WIDGET (window), "ui-cached.png");
  gtk_window_destroy (GTK_WINDOW (window));
}

static GtkWindow *
find_toplevel (GType type)
{
  g_autoptr(GList) list = gtk_window_list_toplevels ();

  for (GList *l = list; l; l = l->next)
    if (G_TYPE_CHECK_INSTANCE_TYPE (l->data, type) && gtk_widget_get_visible (l->data))
      return l->data;
  return NULL;
}

static gboolean
toplevel_shown (gpointer data)
{
  return find_toplevel ((GType) GPOINTER_TO_SIZE (data)) != NULL;
}

/* Preferences, keyboard shortcuts, About and the model manager open from their actions; the
 * colour-map preference reaches the heatmap through GSettings. */
static void
test_secondary_windows (void)
{
  PlmWindow *window = new_window ();
  g_autoptr(GSettings) settings = g_settings_new ("io.github.plmlens.PlmLens");
  const struct { const char *action; GType type; const char *shot; } cases[] = {
    { "app.preferences", PLM_TYPE_PREFERENCES_WINDOW, "ui-preferences.png" },
    { "win.show-help-overlay", GTK_TYPE_SHORTCUTS_WINDOW, "ui-shortcuts.png" },
    { "app.about", ADW_TYPE_ABOUT_WINDOW, "ui-about.png" },
    { "app.models", PLM_TYPE_MODELS_WINDOW, "ui-models.png" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      GType type = cases[i].type;
      GtkWindow *shown;

      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), cases[i].action, NULL));
      g_assert_true (plm_ui_test_wait_until (toplevel_shown, GSIZE_TO_POINTER (type), 5000));
      shown = find_toplevel (type);
      plm_ui_test_spin (300);
      plm_ui_test_save_screenshot (GTK_WIDGET (shown), cases[i].shot);
      gtk_window_destroy (shown);
      plm_ui_test_spin (50);
    }

  /* The model directory preference moves the model store. */
  g_settings_set_string (settings, "model-directory", "/tmp/plm-elsewhere");
  g_assert_cmpstr (plm_model_store_get_directory (plm_application_get_model_store (app)), ==, "/tmp/plm-elsewhere");
  g_settings_reset (settings, "model-directory");
  {
    g_autofree char *def = plm_model_store_default_directory ();
    g_assert_cmpstr (plm_model_store_get_directory (plm_application_get_model_store (app)), ==, def);
  }

  g_settings_set_string (settings, "color-map", "magma");
  g_assert_cmpint (plm_attention_view_get_color_map (PLM_ATTENTION_VIEW (plm_window_get_heatmap (window))), ==,
                   PLM_COLOR_MAP_MAGMA);
  g_settings_reset (settings, "color-map");
  g_assert_cmpint (plm_attention_view_get_color_map (PLM_ATTENTION_VIEW (plm_window_get_heatmap (window))), ==,
                   PLM_COLOR_MAP_VIRIDIS);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* Files dropped on the window are opened like files chosen in the dialog. */
static void
test_drop_files (void)
{
  PlmWindow *window = new_window ();
  g_autofree char *a = g_build_filename (source_root, "data", "examples", "gfp_aequorea.fasta", NULL);
  g_autofree char *b = g_build_filename (source_root, "data", "examples", "p53_human.fasta", NULL);
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (GTK_WIDGET (window));
  GtkDropTarget *drop = NULL;
  GSList *files = NULL;
  GValue value = G_VALUE_INIT;
  gboolean accepted = FALSE;

  for (guint i = 0; i < g_list_model_get_n_items (controllers) && drop == NULL; i++)
    {
      g_autoptr(GObject) c = g_list_model_get_item (controllers, i);
      if (GTK_IS_DROP_TARGET (c))
        drop = GTK_DROP_TARGET (c);
    }
  g_assert_nonnull (drop);

  files = g_slist_append (files, g_file_new_for_path (a));
  files = g_slist_append (files, g_file_new_for_path (b));
  g_value_init (&value, GDK_TYPE_FILE_LIST);
  g_value_take_boxed (&value, gdk_file_list_new_from_list (files));
  g_signal_emit_by_name (drop, "drop", &value, 10.0, 10.0, &accepted);
  g_assert_true (accepted);
  g_assert_true (plm_ui_test_wait_until (has_two, window, 5000));
  g_assert_cmpuint (n_sequences (window), ==, 2);

  g_value_unset (&value);
  g_slist_free_full (files, g_object_unref);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* A sequence longer than ESM-2's training crops asks first; Cancel runs nothing, Run Anyway runs. */
static void
test_long_sequence_warning (void)
{
  g_autofree char *model = g_build_filename (test_data, "models", "tiny-f32", NULL);
  g_autofree char *fasta = synthetic_fasta (1100);
  PlmWindow *window = new_window ();
  GType dialog_type = ADW_TYPE_MESSAGE_DIALOG;
  AdwMessageDialog *dialog;

  load_model (window, model);
  g_assert_true (plm_window_add_text (window, fasta, "synthetic", NULL));
  plm_ui_test_spin (100);
  plm_window_run (window);
  g_assert_true (plm_ui_test_wait_until (toplevel_shown, GSIZE_TO_POINTER (dialog_type), 5000));
  g_assert_cmpstr (plm_window_get_page (window), ==, "ready");
  g_assert_false (plm_inference_worker_get_busy (plm_application_get_worker (app)));
  dialog = ADW_MESSAGE_DIALOG (find_toplevel (dialog_type));
  plm_ui_test_spin (300);
  plm_ui_test_save_screenshot (GTK_WIDGET (window), "ui-long-warning-window.png");
  plm_ui_test_save_screenshot (GTK_WIDGET (dialog), "ui-long-warning.png");
  adw_message_dialog_response (dialog, "cancel");
  plm_ui_test_spin (100);
  g_assert_cmpstr (plm_window_get_page (window), ==, "ready");

  plm_window_run (window);
  g_assert_true (plm_ui_test_wait_until (toplevel_shown, GSIZE_TO_POINTER (dialog_type), 5000));
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (find_toplevel (dialog_type)), "run");
  g_assert_true (plm_ui_test_wait_until (page_is_results, window, 60000));
  g_assert_cmpint (plm_window_get_result (window)->n_residues, ==, 1100);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* Closing the window stores its size in GSettings. */
static void
test_window_state (void)
{
  g_autoptr(GSettings) settings = g_settings_new ("io.github.plmlens.PlmLens");
  PlmWindow *window = new_window ();

  gtk_window_set_default_size (GTK_WINDOW (window), 1111, 777);
  plm_ui_test_spin (200);
  gtk_window_close (GTK_WINDOW (window));
  plm_ui_test_spin (100);
  g_assert_cmpint (g_settings_get_int (settings, "window-width"), ==, 1111);
  g_assert_cmpint (g_settings_get_int (settings, "window-height"), ==, 777);
  g_assert_false (g_settings_get_boolean (settings, "window-maximized"));
}

/* The AppStream screenshots: the first start (example protein, no model) and a result. The PNGs
 * are written to the build directory; resources/screenshots/ holds reviewed copies. */
static void
test_screenshot_welcome (void)
{
  g_autofree char *path = g_build_filename (source_root, "data", "examples", "hbb_human.fasta", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  PlmWindow *window;

  g_assert_null (plm_inference_worker_get_model (plm_application_get_worker (app)));
  window = new_window ();
  plm_window_open_files (window, &file, 1);
  g_assert_true (plm_ui_test_wait_until (has_any, window, 5000));
  plm_ui_test_spin (300);
  g_assert_cmpstr (plm_window_get_page (window), ==, "welcome");
  plm_ui_test_save_screenshot (GTK_WIDGET (window), "screenshot-welcome.png");
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_screenshot_results (void)
{
  const char *model = model_8m;
  g_autofree char *path = g_build_filename (source_root, "data", "examples", "three_proteins.fasta", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  PlmWindow *window;

  window = new_window ();
  load_model (window, model);
  plm_window_open_files (window, &file, 1);
  g_assert_true (plm_ui_test_wait_until (has_three, window, 5000));
  plm_window_select (window, 0);
  plm_window_run (window);
  g_assert_true (plm_ui_test_wait_until (page_is_results, window, 60000));
  plm_ui_test_spin (400);
  plm_ui_test_save_screenshot (GTK_WIDGET (window), "screenshot-results.png");
  gtk_window_destroy (GTK_WINDOW (window));
}

static char *exported_figure;

static void
on_figure_exported (PlmExportDialog *dialog,
                    const char      *path,
                    gpointer         data)
{
  g_free (exported_figure);
  exported_figure = g_strdup (path);
}

static gboolean
figure_exported (gpointer data)
{
  return exported_figure != NULL;
}

static PlmExportDialog *
find_export_dialog (void)
{
  GtkWindow *w = find_toplevel (PLM_TYPE_EXPORT_DIALOG);

  return w ? PLM_EXPORT_DIALOG (w) : NULL;
}

/* Export Figure from the window: the shortcut opens the dialog for the view on screen, with
 * the record's name in the title and the file name; every view builds its figure; the Pair
 * view without computed pairs says so. */
static void
test_export_figure (void)
{
  g_autofree char *model = g_build_filename (test_data, "models", "tiny-f32", NULL);
  g_autofree char *dir = g_dir_make_tmp ("plm-export-XXXXXX", NULL);
  g_autofree char *out = g_build_filename (dir, "figure.png", NULL);
  g_autoptr(GSettings) settings = g_settings_new ("io.github.plmlens.PlmLens");
  g_autoptr(GError) error = NULL;
  static const struct { const char *view; PlmFigureView kind; } views[] = {
    { "attention", PLM_FIGURE_ATTENTION }, { "overview", PLM_FIGURE_GRID }, { "ha-sites", PLM_FIGURE_HASITES },
    { "contacts", PLM_FIGURE_CONTACTS },
  };
  PlmWindow *window = new_window ();
  PlmExportDialog *dialog;

  g_assert_null (plm_window_export_figure (window));   /* nothing shown yet */
  load_model (window, model);
  g_assert_true (plm_window_add_text (window, ">P69905 HBA_HUMAN\nMVLSPADKTNVKAAWGKVGAHAGEYGAEALERMFLSFPTTKTYFPHF\n",
                                      "test", &error));
  g_assert_no_error (error);
  plm_window_run (window);
  g_assert_true (plm_ui_test_wait_until (page_is_results, window, 60000));
  plm_ui_test_spin (200);

  /* Ctrl+Shift+E on the attention view */
  plm_window_set_view (window, "attention");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.export-figure", NULL));
  plm_ui_test_spin (300);
  dialog = find_export_dialog ();
  g_assert_nonnull (dialog);
  g_assert_cmpint (plm_figure_get_view (plm_export_dialog_get_figure (dialog)), ==, PLM_FIGURE_ATTENTION);
  g_assert_nonnull (strstr (plm_figure_get_text (plm_export_dialog_get_figure (dialog), PLM_FIGURE_TEXT_TITLE), "P69905"));
  plm_ui_test_save_screenshot (GTK_WIDGET (dialog), "export-dialog.png");
  g_settings_set_boolean (settings, "export-transparent", TRUE);
  g_settings_set_double (settings, "export-dpi", 120);
  plm_export_dialog_set_size (dialog, PLM_FIGURE_UNIT_MM, 100, 0);
  g_signal_connect (dialog, "exported", G_CALLBACK (on_figure_exported), NULL);
  plm_export_dialog_export_to (dialog, out);
  g_assert_true (plm_ui_test_wait_until (figure_exported, NULL, 30000));
  g_assert_cmpstr (exported_figure, ==, out);
  g_assert_true (g_file_test (out, G_FILE_TEST_IS_REGULAR));
  plm_ui_test_spin (200);
  g_assert_null (find_export_dialog ());   /* closed after writing */
  g_assert_nonnull (plm_ui_test_find_label (GTK_WIDGET (window), "figure.png", FALSE));   /* the toast */
  {
    /* the choices made in the dialog (here through its settings) reach the file, and stay */
    cairo_surface_t *img = cairo_image_surface_create_from_png (out);
    const guint32 *px = (const guint32 *) cairo_image_surface_get_data (img);

    g_assert_cmpint (cairo_image_surface_get_width (img), ==, (int) lround (100 / 25.4 * 120));
    g_assert_cmpint (px[0] >> 24, ==, 0);   /* transparent background */
    cairo_surface_destroy (img);
  }
  {
    g_autofree char *format = g_settings_get_string (settings, "export-format");
    g_autofree char *folder = g_settings_get_string (settings, "export-folder");

    g_assert_cmpstr (format, ==, "png");
    g_assert_cmpstr (folder, ==, dir);
  }
  g_settings_reset (settings, "export-transparent");
  g_settings_reset (settings, "export-dpi");

  for (guint v = 0; v < G_N_ELEMENTS (views); v++)
    {
      PlmFigure *figure;

      plm_window_set_view (window, views[v].view);
      plm_ui_test_spin (100);
      dialog = plm_window_export_figure (window);
      g_assert_nonnull (dialog);
      figure = plm_export_dialog_get_figure (dialog);
      g_assert_nonnull (figure);
      g_assert_cmpint (plm_figure_get_view (figure), ==, views[v].kind);
      g_assert_nonnull (strstr (plm_figure_get_text (figure, PLM_FIGURE_TEXT_TITLE), "P69905"));
      g_test_message ("%s: \"%s\"", views[v].view, plm_figure_get_text (figure, PLM_FIGURE_TEXT_TITLE));
      gtk_window_destroy (GTK_WINDOW (dialog));
    }
  plm_window_set_view (window, "pair");
  plm_ui_test_spin (100);
  g_assert_null (plm_window_export_figure (window));
  g_assert_nonnull (plm_ui_test_find_label (GTK_WIDGET (window), "Compute the pairs first", FALSE));

  g_unlink (out);
  g_rmdir (dir);
  g_clear_pointer (&exported_figure, g_free);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* A head trained (or loaded) in the fine-tuning window reaches the Pair view through the
 * application: windows open before and after it was added both offer it. */
static void
test_head_to_pair_view (void)
{
  g_autofree char *dir = g_dir_make_tmp ("plm-ui-head-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "trained-head.safetensors", NULL);
  PlmNmHeadConfig hc = { .kind = PLM_NM_HEAD_ATTENTION, .d_model = 32, .d_hidden = 8, .n_classes = 2,
                         .n_heads = 1 };
  g_autoptr(GError) error = NULL;
  PlmNmHead *head = plm_nm_head_new (&hc);
  plm_nm_head_init (head, 1);
  g_assert_true (plm_nm_head_save (head, path, NULL, &error));
  g_assert_no_error (error);
  plm_nm_head_free (head);

  PlmWindow *before = new_window ();
  plm_application_add_head (app, path);
  plm_ui_test_spin (50);
  g_assert_cmpstr (plm_pair_view_get_head_name (PLM_PAIR_VIEW (plm_window_get_pair_view (before))), ==,
                   "trained-head.safetensors");
  PlmWindow *after = new_window ();
  g_assert_cmpstr (plm_pair_view_get_head_name (PLM_PAIR_VIEW (plm_window_get_pair_view (after))), ==,
                   "trained-head.safetensors");

  /* an MLP-baseline head has no cross-attention: it is listed, but the Pair view keeps its head */
  g_autofree char *mlp_path = g_build_filename (dir, "mlp-head.safetensors", NULL);
  PlmNmHeadConfig mc = hc;
  mc.kind = PLM_NM_HEAD_MLP;
  PlmNmHead *mlp = plm_nm_head_new (&mc);
  plm_nm_head_init (mlp, 2);
  g_assert_true (plm_nm_head_save (mlp, mlp_path, NULL, &error));
  plm_nm_head_free (mlp);
  plm_application_add_head (app, mlp_path);
  plm_ui_test_spin (50);
  g_assert_cmpstr (plm_pair_view_get_head_name (PLM_PAIR_VIEW (plm_window_get_pair_view (after))), ==,
                   "trained-head.safetensors");
  gtk_window_destroy (GTK_WINDOW (before));
  gtk_window_destroy (GTK_WINDOW (after));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int ret;

  g_test_init (&argc, &argv, NULL);
  plm_ui_test_require_display ();
  g_test_log_set_fatal_handler (plm_ui_test_fatal_log_handler, NULL);
  test_data = g_getenv ("PLM_TEST_DATA");
  model_8m = g_getenv ("PLM_TEST_MODEL_8M");
  source_root = g_getenv ("PLM_SOURCE_ROOT");
  g_assert_nonnull (test_data);
  g_assert_nonnull (source_root);
  g_assert_nonnull (model_8m);

  app = plm_application_new (G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  g_application_hold (G_APPLICATION (app));

  g_test_add_func ("/ui/screenshot-welcome", test_screenshot_welcome);
  g_test_add_func ("/ui/open-fasta", test_open_fasta);
  g_test_add_func ("/ui/run-results", test_run_results);
  g_test_add_func ("/ui/first-frame-300", test_first_frame);
  g_test_add_func ("/ui/switch-records-cache", test_switch_records_cache);
  g_test_add_func ("/ui/cancel", test_cancel);
  g_test_add_func ("/ui/secondary-windows", test_secondary_windows);
  g_test_add_func ("/ui/drop-files", test_drop_files);
  g_test_add_func ("/ui/long-sequence-warning", test_long_sequence_warning);
  g_test_add_func ("/ui/window-state", test_window_state);
  g_test_add_func ("/ui/responsiveness-500", test_responsiveness);
  g_test_add_func ("/ui/screenshot-results", test_screenshot_results);
  g_test_add_func ("/ui/head-to-pair-view", test_head_to_pair_view);
  g_test_add_func ("/ui/export-figure", test_export_figure);
  ret = g_test_run ();

  g_application_release (G_APPLICATION (app));
  g_clear_object (&app);
  return ret;
}
