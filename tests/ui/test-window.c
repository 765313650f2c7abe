/* test-window.c: the main window driven headlessly under Xvfb: opening records, running, results,
 * the cache, cancelling, responsiveness; screenshots of each step. */
#include "plm-ui-window.h"

/* No test asserts a time: the gaps and frame costs below are reported with g_test_message and
 * measured on a quiet machine by the benchmarks in tests/bench/. */

/* Opening a FASTA with several records, searching, and the no-model first page. */
static void
test_open_fasta (void)
{
  PlmWindow *window = plm_uiw_new_window ();
  g_autofree char *path = g_build_filename (plm_uiw_source_root, "data", "examples", "three_proteins.fasta", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  PlmSequence *seq;

  /* No model yet: the first-start page. */
  g_assert_cmpstr (plm_window_get_page (window), ==, "welcome");

  plm_window_open_files (window, &file, 1);
  g_assert_true (plm_ui_test_wait_until (plm_uiw_has_three, window, 5000));
  g_assert_cmpuint (plm_uiw_n_sequences (window), ==, 3);

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
  g_assert_cmpuint (plm_uiw_n_sequences (window), ==, 4);
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
  g_assert_cmpuint (plm_uiw_n_sequences (window), ==, 4);

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
  PlmWindow *window = plm_uiw_new_window ();
  g_autofree char *model = g_build_filename (plm_uiw_test_data, "models", "tiny-f32", NULL);
  g_autofree char *fasta = g_build_filename (plm_uiw_test_data, "ref-seqs.fasta", NULL);
  g_autofree char *ref = g_build_filename (plm_uiw_test_data, "ref", "tiny-f32", "medium", "attentions.npy", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (fasta);
  g_autoptr(GError) error = NULL;
  PlmNpyArray expected = { 0 };
  PlmInferenceResult *r;
  double worst = 0.0;
  guint medium = G_MAXUINT;

  plm_uiw_load_model (window, model);
  plm_window_open_files (window, &file, 1);
  g_assert_true (plm_ui_test_wait_until (plm_uiw_has_three, window, 5000));
  for (guint i = 0; i < plm_uiw_n_sequences (window); i++)
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
  g_assert_true (plm_ui_test_wait_until (plm_uiw_page_is_results, window, 30000));
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
                    (now - probe->start) / 1000.0, plm_inference_worker_get_busy (plm_application_get_worker (plm_uiw_app)));
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
  const char *model = plm_uiw_model_8m;
  g_autofree char *fasta = plm_uiw_synthetic_fasta (500);
  PlmWindow *window;
  GapProbe probe = { 0 };
  guint source;
  gint64 start;
  double load;

  window = plm_uiw_new_window ();
  plm_uiw_load_model (window, model);
  g_assert_true (plm_window_add_text (window, fasta, "synthetic", NULL));
  plm_ui_test_spin (200);

  frames = 0;
  g_signal_connect (plm_window_get_heatmap (window), "frame-drawn", G_CALLBACK (on_frame_drawn), NULL);
  source = g_timeout_add (10, on_tick, &probe);
  start = probe.start = g_get_monotonic_time ();
  plm_window_run (window);
  g_test_message ("plm_window_run () returned after %.1f ms", (g_get_monotonic_time () - start) / 1000.0);
  g_assert_true (plm_ui_test_wait_until (plm_uiw_page_is_results, window, 120000));
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
  g_autofree char *model = g_build_filename (plm_uiw_test_data, "models", "tiny-f32", NULL);
  g_autofree char *fasta = plm_uiw_synthetic_fasta (300);
  PlmWindow *window = plm_uiw_new_window ();
  double ms, cpu_ms, load;

  plm_uiw_load_model (window, model);
  g_assert_true (plm_window_add_text (window, fasta, "synthetic", NULL));
  plm_ui_test_spin (200);
  frames = 0;
  first_frame_time = 0;
  result_cpu = 0;
  g_signal_connect (plm_window_get_heatmap (window), "frame-drawn", G_CALLBACK (on_frame_drawn), NULL);
  g_signal_connect (plm_window_get_heatmap (window), "notify::result", G_CALLBACK (on_result_set), NULL);
  plm_window_run (window);
  g_assert_true (plm_ui_test_wait_until (plm_uiw_page_is_results, window, 60000));
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
  const char *model = plm_uiw_model_8m;
  g_autofree char *fasta = plm_uiw_synthetic_fasta (700);
  PlmInferenceWorker *worker = plm_application_get_worker (plm_uiw_app);
  PlmWindow *window;
  PlmSequence *seq;
  gint64 t0;

  window = plm_uiw_new_window ();
  plm_uiw_load_model (window, model);
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
  g_assert_true (plm_ui_test_wait_until (plm_uiw_worker_idle, NULL, 30000));
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
  g_autofree char *model = g_build_filename (plm_uiw_test_data, "models", "tiny-f32", NULL);
  g_autofree char *path = g_build_filename (plm_uiw_source_root, "data", "examples", "three_proteins.fasta", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  PlmInferenceWorker *worker = plm_application_get_worker (plm_uiw_app);
  PlmWindow *window = plm_uiw_new_window ();
  PlmInferenceResult *a, *b;
  guint progress;
  gint64 t0;
  double ms;

  plm_uiw_load_model (window, model);
  plm_window_open_files (window, &file, 1);
  g_assert_true (plm_ui_test_wait_until (plm_uiw_has_three, window, 5000));

  plm_window_select (window, 0);
  plm_window_run (window);
  g_assert_true (plm_ui_test_wait_until (plm_uiw_page_is_results, window, 30000));
  a = plm_window_get_result (window);
  g_assert_cmpint (a->n_residues, ==, 147);

  plm_window_select (window, 1);
  plm_ui_test_spin (50);
  g_assert_cmpstr (plm_window_get_page (window), ==, "ready");
  plm_window_run (window);
  g_assert_true (plm_ui_test_wait_until (plm_uiw_page_is_results, window, 30000));
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

int
main (int   argc,
      char *argv[])
{
  int ret;

  plm_uiw_init (&argc, &argv);
  g_test_add_func ("/ui/open-fasta", test_open_fasta);
  g_test_add_func ("/ui/run-results", test_run_results);
  g_test_add_func ("/ui/first-frame-300", test_first_frame);
  g_test_add_func ("/ui/switch-records-cache", test_switch_records_cache);
  g_test_add_func ("/ui/cancel", test_cancel);
  g_test_add_func ("/ui/responsiveness-500", test_responsiveness);
  ret = g_test_run ();
  plm_uiw_finish ();
  return ret;
}
