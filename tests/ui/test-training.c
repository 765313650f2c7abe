/* test-training.c: the fine-tuning window under Xvfb: data preview with bad rows, a short NM
 * run whose curves are drawn and whose head is saved and offered to the plm_uiw_app, a cancelled run
 * with a consistent checkpoint that resumes, the main loop's longest gap, screenshots. */
#include <math.h>
#include <string.h>

#include "plm-application.h"
#include "plm-length-histogram.h"
#include "plm-loss-plot.h"
#include "plm-nm-train.h"
#include "plm-training-window.h"
#include "plm-window.h"
#include "plm-test-util.h"
#include "plm-ui-test.h"
#include "plm-ui-window.h"

/* No test asserts a time: the gaps and frame costs below are reported with g_test_message and
 * measured on a quiet machine by the benchmarks in tests/bench/. */

static char *tmp_dir;
static struct _PlmTrainingWindow *the_window;

/* Pixels of @widget within @tolerance of the colour #rrggbb: a curve drawn in that colour. */
static int
count_colour (GtkWidget *widget,
              guint32    rgb,
              int        tolerance)
{
  g_autoptr(GdkTexture) texture = plm_ui_test_render (widget);
  int w = gdk_texture_get_width (texture), h = gdk_texture_get_height (texture), n = 0;
  g_autofree guchar *data = g_malloc ((gsize) w * h * 4);
  int r = rgb >> 16 & 0xff, g = rgb >> 8 & 0xff, b = rgb & 0xff;

  /* GDK_MEMORY_DEFAULT: B, G, R, A premultiplied on little-endian */
  gdk_texture_download (texture, data, (gsize) w * 4);
  for (int i = 0; i < w * h; i++)
    {
      const guchar *p = data + (gsize) i * 4;
      if (abs (p[2] - r) <= tolerance && abs (p[1] - g) <= tolerance && abs (p[0] - b) <= tolerance)
        n++;
    }
  return n;
}

static char *
make_csv (const char *name,
          int         n,
          guint32     seed,
          const char *extra)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  g_autoptr(GString) csv = g_string_new ("label,sequence\n");
  char *path = g_build_filename (tmp_dir, name, NULL);

  for (int i = 0; i < n; i++)
    {
      int label = i % 2, len = 10 + g_rand_int_range (rand, 0, 40);
      const char *alphabet = label ? "KRHDE" : "LIVFAW";
      g_string_append_printf (csv, "%s,", label ? "polar" : "apolar");
      for (int k = 0; k < len; k++)
        g_string_append_c (csv, alphabet[g_rand_int_range (rand, 0, strlen (alphabet))]);
      g_string_append_c (csv, '\n');
    }
  if (extra != NULL)
    g_string_append (csv, extra);
  g_assert_true (g_file_set_contents (path, csv->str, csv->len, NULL));
  return path;
}

static PlmTrainingWindow *
open_training_window (void)
{
  PlmWindow *main_window = plm_window_new (GTK_APPLICATION (plm_uiw_app));
  PlmTrainingWindow *window;

  gtk_window_present (GTK_WINDOW (main_window));
  plm_ui_test_spin (100);
  /* through the main window's menu action */
  window = PLM_TRAINING_WINDOW (plm_uiw_open_training_window ());
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (window)) == GTK_WINDOW (main_window));
  gtk_window_set_default_size (GTK_WINDOW (window), 1400, 940);
  plm_ui_test_spin (200);
  return window;
}

static gboolean
preview_ready (gpointer data)
{
  return plm_training_window_get_preview_ready (data);
}

static PlmTrainingState
current_state (PlmTrainingWindow *window)
{
  PlmTrainingWorker *worker = plm_training_window_get_current (window);

  return worker != NULL ? plm_training_worker_get_state (worker) : PLM_TRAINING_IDLE;
}

static gboolean
run_finished (gpointer data)
{
  return current_state (data) == PLM_TRAINING_FINISHED;
}

static gboolean
run_cancelled (gpointer data)
{
  return current_state (data) == PLM_TRAINING_CANCELLED;
}

static gboolean
run_ended (gpointer data)
{
  PlmTrainingState s = current_state (data);
  return s == PLM_TRAINING_FINISHED || s == PLM_TRAINING_CANCELLED || s == PLM_TRAINING_FAILED;
}

/* Main-loop gap probe, as tests/ui/test-window.c: wall time and the main thread's CPU time. */
typedef struct
{
  gint64 last;
  gint64 longest;
  gint64 last_cpu;
  gint64 longest_cpu;
  guint  ticks;
} GapProbe;

static gboolean
on_tick (gpointer data)
{
  GapProbe *probe = data;
  gint64 now = g_get_monotonic_time (), cpu = plm_ui_test_thread_cpu_us ();

  if (probe->last)
    {
      probe->longest = MAX (probe->longest, now - probe->last);
      probe->longest_cpu = MAX (probe->longest_cpu, cpu - probe->last_cpu);
    }
  if (probe->last && (now - probe->last > 30000 || cpu - probe->last_cpu > 20000))
    g_test_message ("gap of %.1f ms wall, %.1f ms CPU (state %d, epoch %u)", (now - probe->last) / 1000.0,
                    (cpu - probe->last_cpu) / 1000.0, the_window ? (int) current_state (the_window) : -1,
                    the_window && plm_training_window_get_current (the_window)
                    ? plm_training_worker_get_history (plm_training_window_get_current (the_window))->len : 0);
  probe->last = now;
  probe->last_cpu = cpu;
  probe->ticks++;
  return G_SOURCE_CONTINUE;
}

/* How long each frame's layout and paint take: the main thread's own share of a gap. */
static gint64 paint_start, longest_paint;

static void
on_before_layout (GdkFrameClock *clock)
{
  paint_start = plm_ui_test_thread_cpu_us ();
}

static void
on_after_paint (GdkFrameClock *clock)
{
  if (paint_start != 0)
    {
      gint64 d = plm_ui_test_thread_cpu_us () - paint_start;
      if (d > 20000)
        g_test_message ("frame of %.1f ms main-thread CPU", d / 1000.0);
      longest_paint = MAX (longest_paint, d);
    }
  paint_start = 0;
}

static int heads_added;

static void
on_head_added (PlmApplication *application,
               const char     *path,
               char          **last)
{
  heads_added++;
  g_free (*last);
  *last = g_strdup (path);
}

/* Visible labels under @root that read exactly @text. */
static int
count_labels (GtkWidget  *root,
              const char *text)
{
  int n = GTK_IS_LABEL (root) && gtk_widget_is_visible (root)
          && g_strcmp0 (gtk_label_get_text (GTK_LABEL (root)), text) == 0;

  for (GtkWidget *c = gtk_widget_get_first_child (root); c; c = gtk_widget_get_next_sibling (c))
    n += count_labels (c, text);
  return n;
}

static GtkWidget *
find_type (GtkWidget *root,
           GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type))
    return root;
  for (GtkWidget *c = gtk_widget_get_first_child (root); c; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_type (c, type);
      if (found)
        return found;
    }
  return NULL;
}

static gboolean
start_enabled (PlmTrainingWindow *window)
{
  GtkWidget *label = plm_ui_test_find_label (GTK_WIDGET (window), "Start Training", TRUE);
  GtkWidget *button = gtk_widget_get_ancestor (label, GTK_TYPE_BUTTON);

  return gtk_widget_get_sensitive (button);
}

/* Start says what it lacks; the split sizes are shown; the preview follows the task. */
static void
test_form_checks (void)
{
  g_autofree char *model = g_build_filename (plm_uiw_test_data, "models", "tiny-f32", NULL);
  AdwComboRow *task_row = ADW_COMBO_ROW (find_type (GTK_WIDGET (the_window), ADW_TYPE_COMBO_ROW));
  GtkWidget *histogram = plm_training_window_get_histogram (the_window);

  /* the training data of /training/preview: 61 readable rows, 6 + 6 split off */
  g_assert_nonnull (plm_ui_test_find_label (GTK_WIDGET (the_window), "train 49 · validation 6 · test 6", TRUE));
  g_assert_false (start_enabled (the_window));
  g_assert_nonnull (plm_ui_test_find_label (GTK_WIDGET (the_window), "To start, choose the ESM-2 model", TRUE));
  plm_training_window_set_model (the_window, model);
  plm_ui_test_spin (50);
  g_assert_true (start_enabled (the_window));
  g_assert_null (plm_ui_test_find_label (GTK_WIDGET (the_window), "To start", TRUE));

  /* the pair task: no dictionary, so no preview and no start, and the reason shown */
  adw_combo_row_set_selected (task_row, 1);
  g_assert_true (plm_ui_test_wait_until (preview_ready, the_window, 10000));
  plm_ui_test_spin (100);
  g_assert_false (start_enabled (the_window));
  g_assert_nonnull (plm_ui_test_find_label (GTK_WIDGET (the_window), "choose its sequence dictionary", TRUE));
  g_assert_nonnull (plm_ui_test_find_label (GTK_WIDGET (the_window), "Choose the sequence dictionary to preview", TRUE));
  g_assert_false (gtk_widget_get_visible (histogram));
  g_assert_null (plm_ui_test_find_label (GTK_WIDGET (the_window), "train 49", TRUE));
  g_assert_cmpstr (plm_training_window_get_preview_errors (the_window), ==, "");
  plm_ui_test_save_screenshot (GTK_WIDGET (the_window), "ui-training-pair-missing.png");

  /* back to proteins: the file is read again */
  adw_combo_row_set_selected (task_row, 0);
  g_assert_false (plm_training_window_get_preview_ready (the_window));
  g_assert_true (plm_ui_test_wait_until (preview_ready, the_window, 10000));
  plm_ui_test_spin (100);
  g_assert_true (gtk_widget_get_visible (histogram));
  g_assert_nonnull (plm_ui_test_find_label (GTK_WIDGET (the_window), "bad.csv: 61 items", TRUE));
  g_assert_nonnull (plm_ui_test_find_label (GTK_WIDGET (the_window), "train 49 · validation 6 · test 6", TRUE));
  g_assert_true (start_enabled (the_window));
}

static void
test_preview (void)
{
  g_autofree char *bad = make_csv ("bad.csv", 60, 7, "polar,KR1K\nLLLV\napolar,LIVF\n");
  g_autofree char *errors = NULL;
  int n_bins, width, total = 0;
  const int *bins;

  the_window = open_training_window ();
  plm_training_window_set_file (the_window, PLM_TRAINING_FILE_TRAIN, bad);
  g_assert_true (plm_ui_test_wait_until (preview_ready, the_window, 10000));
  plm_ui_test_spin (100);

  /* both bad rows with their lines (the header is line 1, 60 good rows follow) */
  errors = g_strdup (plm_training_window_get_preview_errors (the_window));
  g_test_message ("preview errors: %s", errors);
  g_assert_nonnull (strstr (errors, "62"));
  g_assert_nonnull (strstr (errors, "63"));
  g_assert_null (strstr (errors, "64"));
  /* the histogram holds the 61 good rows */
  bins = plm_length_histogram_get_bins (PLM_LENGTH_HISTOGRAM (plm_training_window_get_histogram (the_window)),
                                        &n_bins, &width);
  for (int b = 0; b < n_bins; b++)
    total += bins[b];
  g_assert_cmpint (total, ==, 61);
  g_assert_true (gtk_widget_get_visible (plm_training_window_get_histogram (the_window)));
  g_assert_cmpint (count_colour (plm_training_window_get_histogram (the_window), 0x3584e4, 10), >, 200);
  plm_ui_test_save_screenshot (GTK_WIDGET (the_window), "ui-training-preview.png");
}

static void
test_short_run (void)
{
  g_autoptr(PlmTrainingSettings) s = plm_training_settings_new ();
  g_autofree char *last_head = NULL;
  GapProbe probe = { 0 };
  gulong handler;
  guint source;
  gint64 start;
  double load;

  s->train = make_csv ("train.csv", 300, 1, NULL);
  s->valid = make_csv ("valid.csv", 40, 2, NULL);
  s->test = make_csv ("test.csv", 40, 3, NULL);
  s->model_path = g_build_filename (plm_uiw_test_data, "models", "tiny-f32", NULL);
  s->config.epochs = 12;
  s->config.batch = 10;
  s->config.lr = 3e-3;
  s->config.patience = 0;
  s->config.max_len = 64;
  plm_training_window_set_output_dir (the_window, tmp_dir);
  plm_training_window_apply_settings (the_window, s);
  g_assert_true (plm_ui_test_wait_until (preview_ready, the_window, 10000));
  g_assert_cmpstr (plm_training_window_get_preview_errors (the_window), ==, "");
  /* validation and test from their files: nothing split off the training data */
  g_assert_nonnull (plm_ui_test_find_label (GTK_WIDGET (the_window), "train 300 · validation 40 · test 40", TRUE));

  /* before the run only the legend's swatches carry the series' colours */
  int blue_before = count_colour (plm_training_window_get_loss_plot (the_window), 0x3584e4, 12);
  int orange_before = count_colour (plm_training_window_get_loss_plot (the_window), 0xff7800, 12);
  GtkWidget *metric_plot = plm_training_window_get_metric_plot (the_window);
  /* accuracy, macro-F1 and AUROC may coincide (and cover each other) on easy data: all three count */
  int metrics_before = count_colour (metric_plot, 0x3584e4, 12) + count_colour (metric_plot, 0xe01b24, 12)
                       + count_colour (metric_plot, 0x2ec27e, 12);
  handler = g_signal_connect (plm_uiw_app, "head-added", G_CALLBACK (on_head_added), &last_head);
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (the_window));
  gulong h1 = g_signal_connect (clock, "before-paint", G_CALLBACK (on_before_layout), NULL);
  gulong h2 = g_signal_connect_after (clock, "after-paint", G_CALLBACK (on_after_paint), NULL);
  source = g_timeout_add (10, on_tick, &probe);
  start = g_get_monotonic_time ();
  gtk_widget_activate_action (GTK_WIDGET (the_window), "training.start", NULL);
  g_assert_true (plm_ui_test_wait_until (run_ended, the_window, 120000));
  g_assert_cmpint (current_state (the_window), ==, PLM_TRAINING_FINISHED);
  plm_ui_test_spin (300);
  g_source_remove (source);
  g_signal_handler_disconnect (clock, h1);
  g_signal_handler_disconnect (clock, h2);
  g_test_message ("longest frame (layout + paint): %.1f ms main-thread CPU", longest_paint / 1000.0);
  load = plm_ui_test_machine_load ();
  g_test_message ("short run: %.2f s, %u ticks, longest main-loop gap %.1f ms wall, %.1f ms main-thread CPU; "
                  "machine load %.2f per core", (g_get_monotonic_time () - start) / 1e6, probe.ticks,
                  probe.longest / 1000.0, probe.longest_cpu / 1000.0, load);

  /* the curves: 12 epochs per series, and pixels of the CE (blue) and NM (orange) lines drawn */
  PlmLossPlot *loss = PLM_LOSS_PLOT (plm_training_window_get_loss_plot (the_window));
  PlmLossPlot *metric = PLM_LOSS_PLOT (plm_training_window_get_metric_plot (the_window));
  for (int series = 0; series < 4; series++)
    g_assert_cmpuint (plm_loss_plot_get_n_points (loss, series), ==, 12);
  for (int series = 0; series < 3; series++)
    g_assert_cmpuint (plm_loss_plot_get_n_points (metric, series), ==, 12);
  int blue = count_colour (GTK_WIDGET (loss), 0x3584e4, 12);
  int orange = count_colour (GTK_WIDGET (loss), 0xff7800, 12);
  int metrics = count_colour (metric_plot, 0x3584e4, 12) + count_colour (metric_plot, 0xe01b24, 12)
                + count_colour (metric_plot, 0x2ec27e, 12);
  g_test_message ("curve pixels: CE %d (legend alone %d), NM %d (%d), metrics %d (%d)", blue, blue_before,
                  orange, orange_before, metrics, metrics_before);
  g_assert_cmpint (blue, >, blue_before + 150);
  g_assert_cmpint (orange, >, orange_before + 150);
  g_assert_cmpint (metrics, >, metrics_before + 150);

  /* the head is saved, loadable and offered to the rest of the plm_uiw_app */
  PlmTrainingWorker *worker = plm_training_window_get_current (the_window);
  const char *out = plm_training_worker_get_settings (worker)->out_path;
  g_autoptr(GError) error = NULL;
  PlmNmHead *head = plm_nm_head_load (out, NULL, &error);
  g_assert_no_error (error);
  plm_nm_head_free (head);
  g_assert_cmpint (heads_added, ==, 1);
  g_assert_cmpstr (last_head, ==, out);
  GListModel *heads = plm_application_get_heads (plm_uiw_app);
  g_assert_cmpuint (g_list_model_get_n_items (heads), ==, 1);
  g_assert_cmpstr (gtk_string_list_get_string (GTK_STRING_LIST (heads), 0), ==, out);
  const PlmTrainingResults *r = plm_training_worker_get_results (worker);
  g_test_message ("test accuracy %.3f, macro-F1 %.3f, AUROC %.3f", r->test.accuracy, r->test.macro_f1, r->test.auroc);
  g_assert_cmpfloat (r->test.accuracy, >, 0.6);
  g_assert_cmpuint (plm_training_window_get_n_runs (the_window), ==, 1);
  g_signal_handler_disconnect (plm_uiw_app, handler);
  /* the toast names the head's folder and offers to show it */
  {
    g_autofree char *dir = g_path_get_dirname (out);
    g_autofree char *want = g_strdup_printf ("Head saved in %s", dir);
    GtkWidget *button = gtk_widget_get_ancestor (plm_ui_test_find_label (GTK_WIDGET (the_window), "Show in Files", TRUE),
                                                 GTK_TYPE_BUTTON);

    g_assert_nonnull (plm_ui_test_find_label (GTK_WIDGET (the_window), want, TRUE));
    g_assert_nonnull (button);
    g_assert_cmpstr (gtk_actionable_get_action_name (GTK_ACTIONABLE (button)), ==, "training.show-in-files");
    g_assert_cmpstr (g_variant_get_string (gtk_actionable_get_action_target_value (GTK_ACTIONABLE (button)), NULL), ==, out);
    g_assert_true (gtk_widget_get_sensitive (button));   /* the action exists and is enabled */
  }
  /* the runs table has the task */
  {
    GtkColumnView *view = GTK_COLUMN_VIEW (find_type (GTK_WIDGET (the_window), GTK_TYPE_COLUMN_VIEW));
    GListModel *columns = gtk_column_view_get_columns (view);
    gboolean task = FALSE;

    for (guint i = 0; i < g_list_model_get_n_items (columns); i++)
      {
        g_autoptr(GtkColumnViewColumn) c = g_list_model_get_item (columns, i);
        task |= g_strcmp0 (gtk_column_view_column_get_title (c), "Task") == 0;
      }
    g_assert_true (task);
    g_assert_cmpint (count_labels (GTK_WIDGET (view), "Protein"), ==, 1);
  }
  plm_ui_test_save_screenshot (GTK_WIDGET (the_window), "ui-training-finished.png");
}

static gboolean
two_epochs (gpointer data)
{
  PlmTrainingWorker *worker = plm_training_window_get_current (data);
  return worker != NULL && plm_training_worker_get_history (worker)->len >= 2;
}

static void
test_cancel_resume (void)
{
  g_autoptr(PlmTrainingSettings) s = plm_training_window_get_settings (the_window);
  g_autoptr(GError) error = NULL;
  GHashTable *md = NULL;

  /* the cross-entropy baseline this time, long enough to be cancelled midway */
  s->config.objective = PLM_NM_OBJECTIVE_CE;
  s->config.epochs = 400;
  plm_training_window_apply_settings (the_window, s);
  g_assert_true (plm_ui_test_wait_until (preview_ready, the_window, 10000));
  gtk_widget_activate_action (GTK_WIDGET (the_window), "training.start", NULL);
  PlmTrainingWorker *worker = plm_training_window_get_current (the_window);
  g_assert_cmpuint (plm_training_window_get_n_runs (the_window), ==, 2);
  g_assert_true (plm_ui_test_wait_until (two_epochs, the_window, 60000));
  gtk_widget_activate_action (GTK_WIDGET (the_window), "training.cancel", NULL);
  g_assert_true (plm_ui_test_wait_until (run_ended, the_window, 30000));
  g_assert_cmpint (current_state (the_window), ==, PLM_TRAINING_CANCELLED);
  plm_ui_test_spin (200);

  /* consistent: the checkpoint holds exactly the epochs the the_window reported */
  guint k = plm_training_worker_get_history (worker)->len;
  g_test_message ("cancelled after epoch %u of 400", k);
  g_assert_cmpuint (k, <, 400);
  PlmNmHead *head = plm_nm_head_load (plm_training_worker_get_last_path (worker), &md, &error);
  g_assert_no_error (error);
  plm_nm_head_free (head);
  g_autofree char *want = g_strdup_printf ("\"epochs_done\":%u", k);
  g_assert_nonnull (strstr (g_hash_table_lookup (md, "state"), want));
  g_hash_table_unref (md);
  g_assert_cmpuint (plm_loss_plot_get_n_points (PLM_LOSS_PLOT (plm_training_window_get_loss_plot (the_window)), 0), ==, k);
  plm_ui_test_save_screenshot (GTK_WIDGET (the_window), "ui-training-cancelled.png");
  /* one Resume button, and no Pause beside it */
  g_assert_cmpint (count_labels (GTK_WIDGET (the_window), "Resume"), ==, 1);
  g_assert_cmpint (count_labels (GTK_WIDGET (the_window), "Pause"), ==, 0);

  /* resume continues from epoch k + 1 (pause right away, then cancel again: still consistent) */
  gtk_widget_activate_action (GTK_WIDGET (the_window), "training.resume", NULL);
  g_assert_true (current_state (the_window) != PLM_TRAINING_CANCELLED);
  gtk_widget_activate_action (GTK_WIDGET (the_window), "training.pause", NULL);
  g_assert_cmpint (current_state (the_window), ==, PLM_TRAINING_PAUSED);
  plm_ui_test_spin (500);
  g_assert_cmpint (current_state (the_window), ==, PLM_TRAINING_PAUSED);
  plm_ui_test_save_screenshot (GTK_WIDGET (the_window), "ui-training-paused.png");
  /* paused: Pause became Resume, the only one, and nothing reads "Continue" */
  g_assert_cmpint (count_labels (GTK_WIDGET (the_window), "Resume"), ==, 1);
  g_assert_null (plm_ui_test_find_label (GTK_WIDGET (the_window), "Continue", TRUE));
  guint k2 = plm_training_worker_get_history (worker)->len;
  g_assert_cmpuint (k2, >=, k);
  gtk_widget_activate_action (GTK_WIDGET (the_window), "training.pause", NULL);   /* continue */
  plm_ui_test_spin (300);
  gtk_widget_activate_action (GTK_WIDGET (the_window), "training.cancel", NULL);
  g_assert_true (plm_ui_test_wait_until (run_cancelled, the_window, 30000));
  GArray *h = plm_training_worker_get_history (worker);
  for (guint i = 0; i < h->len; i++)
    g_assert_cmpint (g_array_index (h, PlmNmEpochReport, i).epoch, ==, (int) i + 1);
  g_test_message ("after resume and a second cancel: %u epochs", h->len);
  g_assert_cmpuint (h->len, >=, k);
}

static void
test_mlp_baseline (void)
{
  g_autoptr(PlmTrainingSettings) s = plm_training_window_get_settings (the_window);

  s->config.objective = PLM_NM_OBJECTIVE_MLP;
  s->config.epochs = 12;
  plm_training_window_apply_settings (the_window, s);
  g_assert_true (plm_ui_test_wait_until (preview_ready, the_window, 10000));
  gtk_widget_activate_action (GTK_WIDGET (the_window), "training.start", NULL);
  g_assert_true (plm_ui_test_wait_until (run_finished, the_window, 120000));
  plm_ui_test_spin (300);
  g_assert_cmpuint (plm_training_window_get_n_runs (the_window), ==, 3);
  g_assert_cmpuint (g_list_model_get_n_items (plm_application_get_heads (plm_uiw_app)), ==, 2);

  /* a head file from elsewhere joins the list (and the plm_uiw_app); a non-head file is refused */
  g_autofree char *copy = g_build_filename (tmp_dir, "copied-head.safetensors", NULL);
  g_autofree char *contents = NULL;
  gsize len;
  g_autoptr(GError) error = NULL;
  const char *out = plm_training_worker_get_settings (plm_training_window_get_current (the_window))->out_path;
  g_assert_true (g_file_get_contents (out, &contents, &len, NULL));
  g_assert_true (g_file_set_contents (copy, contents, len, NULL));
  g_assert_true (plm_training_window_load_head (the_window, copy, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (plm_training_window_get_n_runs (the_window), ==, 4);
  g_assert_cmpuint (g_list_model_get_n_items (plm_application_get_heads (plm_uiw_app)), ==, 3);
  g_autofree char *not_head = g_build_filename (tmp_dir, "train.csv", NULL);
  g_assert_false (plm_training_window_load_head (the_window, not_head, &error));
  g_assert_nonnull (error);
  g_test_message ("loading a CSV as a head: %s", error->message);
  g_assert_cmpuint (plm_training_window_get_n_runs (the_window), ==, 4);
  plm_ui_test_spin (200);
  plm_ui_test_save_screenshot (GTK_WIDGET (the_window), "ui-training-runs.png");
  gtk_window_destroy (GTK_WINDOW (the_window));
  the_window = NULL;
  plm_ui_test_spin (200);
}

/* The 8M-shape ESM-2 (written at build time by tests/models): embedding 120 sequences of 60–160 residues and two
 * epochs of the NM head keep a worker core busy for seconds; the main loop keeps ticking. */
static void
test_responsiveness_8m (void)
{
  const char *model = g_getenv ("PLM_TEST_MODEL_8M");
  g_autoptr(PlmTrainingSettings) s = plm_training_settings_new ();
  g_autoptr(GRand) rand = g_rand_new_with_seed (5);
  g_autoptr(GString) csv = g_string_new ("sequence,label\n");
  GapProbe probe = { 0 };
  gint64 start;
  guint source;
  double load;

  g_assert_nonnull (model);
  for (int i = 0; i < 120; i++)
    {
      int len = 60 + g_rand_int_range (rand, 0, 100);
      for (int k = 0; k < len; k++)
        g_string_append_c (csv, "ACDEFGHIKLMNPQRSTVWY"[g_rand_int_range (rand, 0, 20)]);
      g_string_append_printf (csv, ",class%d\n", i % 3);
    }
  s->train = g_build_filename (tmp_dir, "responsive.csv", NULL);
  g_assert_true (g_file_set_contents (s->train, csv->str, csv->len, NULL));
  s->model_path = g_strdup (model);
  s->config.epochs = 2;
  s->config.batch = 20;
  s->config.patience = 0;
  s->config.max_len = 256;

  the_window = open_training_window ();
  plm_training_window_set_output_dir (the_window, tmp_dir);
  plm_training_window_apply_settings (the_window, s);
  g_assert_true (plm_ui_test_wait_until (preview_ready, the_window, 10000));
  source = g_timeout_add (10, on_tick, &probe);
  start = g_get_monotonic_time ();
  gtk_widget_activate_action (GTK_WIDGET (the_window), "training.start", NULL);
  g_assert_true (plm_ui_test_wait_until (run_ended, the_window, 240000));
  g_assert_cmpint (current_state (the_window), ==, PLM_TRAINING_FINISHED);
  plm_ui_test_spin (300);
  g_source_remove (source);
  load = plm_ui_test_machine_load ();
  g_test_message ("8M shape, 120 sequences, 2 epochs: %.2f s, %u ticks, longest main-loop gap %.1f ms wall, "
                  "%.1f ms main-thread CPU; machine load %.2f per core", (g_get_monotonic_time () - start) / 1e6,
                  probe.ticks, probe.longest / 1000.0, probe.longest_cpu / 1000.0, load);
  plm_ui_test_save_screenshot (GTK_WIDGET (the_window), "ui-training-8m.png");
  gtk_window_destroy (GTK_WINDOW (the_window));
  the_window = NULL;
  plm_ui_test_spin (200);
}

static gboolean
worker_ended (gpointer data)
{
  PlmTrainingState s = plm_training_worker_get_state (data);
  return s == PLM_TRAINING_CANCELLED || s == PLM_TRAINING_FINISHED || s == PLM_TRAINING_FAILED;
}

/* Closing the window cancels its run; the thread's late completion must find no dangling window. */
static void
test_close_while_running (void)
{
  g_autoptr(PlmTrainingSettings) s = plm_training_settings_new ();
  PlmTrainingWorker *worker;

  the_window = open_training_window ();
  s->train = make_csv ("close.csv", 200, 11, NULL);
  s->model_path = g_build_filename (plm_uiw_test_data, "models", "tiny-f32", NULL);
  s->config.epochs = 400;
  s->config.batch = 10;
  s->config.patience = 0;
  s->config.max_len = 64;
  plm_training_window_set_output_dir (the_window, tmp_dir);
  plm_training_window_apply_settings (the_window, s);
  g_assert_true (plm_ui_test_wait_until (preview_ready, the_window, 10000));
  gtk_widget_activate_action (GTK_WIDGET (the_window), "training.start", NULL);
  worker = g_object_ref (plm_training_window_get_current (the_window));
  g_assert_true (plm_ui_test_wait_until (two_epochs, the_window, 60000));
  gtk_window_destroy (GTK_WINDOW (the_window));
  the_window = NULL;
  g_assert_true (plm_ui_test_wait_until (worker_ended, worker, 30000));
  plm_ui_test_spin (200);
  g_assert_cmpint (plm_training_worker_get_state (worker), ==, PLM_TRAINING_CANCELLED);
  g_object_unref (worker);
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  plm_uiw_init (&argc, &argv);
  tmp_dir = g_dir_make_tmp ("plm-ui-training-XXXXXX", NULL);

  /* the steps build on each other: one the_window, runs accumulating in its list */
  g_test_add_func ("/training/preview", test_preview);
  g_test_add_func ("/training/form-checks", test_form_checks);
  g_test_add_func ("/training/short-run", test_short_run);
  g_test_add_func ("/training/cancel-resume", test_cancel_resume);
  g_test_add_func ("/training/mlp-baseline", test_mlp_baseline);
  g_test_add_func ("/training/close-while-running", test_close_while_running);
  g_test_add_func ("/training/responsiveness-8m", test_responsiveness_8m);
  ret = g_test_run ();
  plm_uiw_finish ();
  g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", tmp_dir);
  if (system (cmd) != 0)
    g_printerr ("could not remove %s\n", tmp_dir);
  g_free (tmp_dir);
  return ret;
}
