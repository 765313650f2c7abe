/* plm-bench-frames.c: main-thread CPU per frame of the fine-tuning window while the 8M shape
 * trains, and of the main window while it runs inference, under Xvfb with GTK's cairo renderer.
 *
 *   plm-bench-frames [--runs N] [--model DIR] [--only training|inference]
 *
 * Without --model the build's random-weight 8M-shape checkpoint ($PLM_TEST_MODEL_8M, written
 * by tests/models/) is used: the frames do not depend on the weights. Runs of the two windows
 * are interleaved. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "plm-application.h"
#include "plm-runtime.h"
#include "plm-training-window.h"
#include "plm-ui-test.h"
#include "plm-window.h"

char *openblas_get_corename (void);
char *openblas_get_config (void);

static PlmApplication *app;
static char *tmp_dir;

/* Frame costs: the main thread's CPU from before-paint to after-paint (update, layout, snapshot
 * and the cairo renderer's paint), one entry per frame of the window's clock. */

static double verbose_ms = -1;   /* --verbose: frames above this are listed with their phases */

typedef struct
{
  gint64  origin;  /* monotonic time of the start of the run */
  gint64  start;
  gint64  start_wall;
  gint64  layout_done;
  gint64  paint_done;
  GArray *costs;   /* double, ms */
} FrameLog;

static void
on_before_paint (GdkFrameClock *clock,
                 FrameLog      *log)
{
  log->start = plm_ui_test_thread_cpu_us ();
  log->start_wall = g_get_monotonic_time ();
  log->layout_done = log->paint_done = 0;
}

/* connected after GTK's own handlers: the end of the update and layout phases, and of the paint */
static void
on_layout (GdkFrameClock *clock,
           FrameLog      *log)
{
  log->layout_done = plm_ui_test_thread_cpu_us ();
}

static void
on_paint (GdkFrameClock *clock,
          FrameLog      *log)
{
  log->paint_done = plm_ui_test_thread_cpu_us ();
}

static void
on_after_paint (GdkFrameClock *clock,
                FrameLog      *log)
{
  if (log->start != 0)
    {
      gint64 end = plm_ui_test_thread_cpu_us ();
      double ms = (end - log->start) / 1000.0;
      g_array_append_val (log->costs, ms);
      if (verbose_ms >= 0 && ms > verbose_ms)
        /* the monotonic clock's seconds, for perf report --time with perf record -k CLOCK_MONOTONIC */
        g_print ("  frame at %.3f s (%.6f–%.6f): %.2f ms (update + layout %.2f, paint %.2f)\n",
                 (log->start_wall - log->origin) / 1e6, log->start_wall / 1e6, g_get_monotonic_time () / 1e6, ms,
                 log->layout_done ? (log->layout_done - log->start) / 1000.0 : 0.0,
                 log->paint_done && log->layout_done ? (log->paint_done - log->layout_done) / 1000.0 : 0.0);
    }
  log->start = 0;
}

static FrameLog *
frame_log_start (GtkWidget *window)
{
  FrameLog *log = g_new0 (FrameLog, 1);
  GdkFrameClock *clock = gtk_widget_get_frame_clock (window);

  log->costs = g_array_new (FALSE, FALSE, sizeof (double));
  log->origin = g_get_monotonic_time ();
  g_signal_connect (clock, "before-paint", G_CALLBACK (on_before_paint), log);
  g_signal_connect_after (clock, "layout", G_CALLBACK (on_layout), log);
  g_signal_connect_after (clock, "paint", G_CALLBACK (on_paint), log);
  g_signal_connect_after (clock, "after-paint", G_CALLBACK (on_after_paint), log);
  return log;
}

static GArray *
frame_log_stop (GtkWidget *window,
                FrameLog  *log)
{
  GArray *costs = log->costs;

  g_signal_handlers_disconnect_by_data (gtk_widget_get_frame_clock (window), log);
  g_free (log);
  return costs;
}

static int
cmp_double (gconstpointer a,
            gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static double
median (GArray *values)
{
  if (values->len == 0)
    return NAN;
  g_array_sort (values, cmp_double);
  return values->len % 2 ? g_array_index (values, double, values->len / 2)
                         : 0.5 * (g_array_index (values, double, values->len / 2 - 1)
                                  + g_array_index (values, double, values->len / 2));
}

static double
worst (GArray *values)
{
  double w = 0.0;

  for (guint i = 0; i < values->len; i++)
    w = MAX (w, g_array_index (values, double, i));
  return w;
}

static double
quantile (GArray *sorted,
          double  q)
{
  if (sorted->len == 0)
    return NAN;
  return g_array_index (sorted, double, MIN (sorted->len - 1, (guint) floor (q * sorted->len)));
}

/* Per window: each run's median and worst frame. */
typedef struct
{
  const char *name;
  GArray     *medians;
  GArray     *worsts;
  GArray     *all;
} Summary;

static void
summary_add (Summary *sum,
             int      run,
             GArray  *costs,
             double   seconds)
{
  double m = median (costs), w = worst (costs);

  g_print ("%s run %d: %u frames in %.1f s, median %.2f ms, p90 %.2f ms, worst %.2f ms main-thread CPU\n",
           sum->name, run, costs->len, seconds, m, quantile (costs, 0.9), w);
  g_array_append_val (sum->medians, m);
  g_array_append_val (sum->worsts, w);
  g_array_append_vals (sum->all, costs->data, costs->len);
}

/* The fine-tuning window */

static PlmTrainingState
training_state (PlmTrainingWindow *window)
{
  PlmTrainingWorker *worker = plm_training_window_get_current (window);

  return worker != NULL ? plm_training_worker_get_state (worker) : PLM_TRAINING_IDLE;
}

static gboolean
training_ended (gpointer data)
{
  PlmTrainingState s = training_state (data);

  return s == PLM_TRAINING_FINISHED || s == PLM_TRAINING_CANCELLED || s == PLM_TRAINING_FAILED;
}

static gboolean
preview_ready (gpointer data)
{
  return plm_training_window_get_preview_ready (data);
}

/* As tests/ui/test-training.c's responsiveness test: 120 sequences of 60–160 residues, two epochs
 * of the NM head on the frozen encoder. */
static GArray *
run_training (const char *model,
              const char *screenshot,
              double     *seconds)
{
  g_autoptr(PlmTrainingSettings) s = plm_training_settings_new ();
  g_autoptr(GRand) rand = g_rand_new_with_seed (5);
  g_autoptr(GString) csv = g_string_new ("sequence,label\n");
  PlmWindow *main_window = plm_window_new (GTK_APPLICATION (app));
  PlmTrainingWindow *window;
  FrameLog *log;
  gint64 start;
  GArray *costs;

  for (int i = 0; i < 120; i++)
    {
      int len = 60 + g_rand_int_range (rand, 0, 100);
      for (int k = 0; k < len; k++)
        g_string_append_c (csv, "ACDEFGHIKLMNPQRSTVWY"[g_rand_int_range (rand, 0, 20)]);
      g_string_append_printf (csv, ",class%d\n", i % 3);
    }
  s->train = g_build_filename (tmp_dir, "train.csv", NULL);
  if (!g_file_set_contents (s->train, csv->str, csv->len, NULL))
    g_error ("cannot write %s", s->train);
  s->model_path = g_strdup (model);
  s->config.epochs = 2;
  s->config.batch = 20;
  s->config.patience = 0;
  s->config.max_len = 256;

  gtk_window_present (GTK_WINDOW (main_window));
  plm_ui_test_spin (100);
  window = PLM_TRAINING_WINDOW (plm_training_window_new (GTK_WINDOW (main_window), app));
  gtk_window_set_default_size (GTK_WINDOW (window), 1400, 940);
  gtk_window_present (GTK_WINDOW (window));
  plm_ui_test_spin (300);
  plm_training_window_set_output_dir (window, tmp_dir);
  plm_training_window_apply_settings (window, s);
  if (!plm_ui_test_wait_until (preview_ready, window, 10000))
    g_error ("the training data preview did not finish");
  plm_ui_test_spin (200);

  log = frame_log_start (GTK_WIDGET (window));
  start = g_get_monotonic_time ();
  gtk_widget_activate_action (GTK_WIDGET (window), "training.start", NULL);
  if (!plm_ui_test_wait_until (training_ended, window, 600000) || training_state (window) != PLM_TRAINING_FINISHED)
    g_error ("the training run did not finish");
  plm_ui_test_spin (1000);   /* the toast slides in */
  *seconds = (g_get_monotonic_time () - start) / 1e6;
  costs = frame_log_stop (GTK_WIDGET (window), log);

  if (screenshot != NULL)
    {
      g_autoptr(GdkTexture) texture = plm_ui_test_render (GTK_WIDGET (window));

      gdk_texture_save_to_png (texture, screenshot);
      g_print ("screenshot: %s\n", screenshot);
    }
  gtk_window_destroy (GTK_WINDOW (window));
  gtk_window_destroy (GTK_WINDOW (main_window));
  plm_ui_test_spin (200);
  return costs;
}

/* The main window */

static const char *wanted_model;

static gboolean
model_loaded (gpointer data)
{
  return g_strcmp0 (plm_inference_worker_get_model_path (plm_application_get_worker (app)), wanted_model) == 0
         && g_strcmp0 (plm_window_get_page (data), "welcome") != 0;
}

static gboolean
page_is_results (gpointer data)
{
  return g_strcmp0 (plm_window_get_page (data), "results") == 0;
}

/* As tests/ui/test-window.c's responsiveness test: one synthetic 500-residue sequence, another in
 * each run (the same one would come from the result cache without a run). The frames
 * from the start of the run to a second after the results are shown, the first heatmap included. */
static GArray *
run_inference (const char *model,
               int         run,
               double     *seconds)
{
  PlmWindow *window = plm_window_new (GTK_APPLICATION (app));
  g_autoptr(GString) fasta = g_string_new (NULL);
  guint32 x = 12345 + run;
  FrameLog *log;
  gint64 start;
  GArray *costs;

  g_string_append_printf (fasta, ">synthetic500-%d a synthetic 500-residue sequence\n", run);
  for (int i = 0; i < 500; i++)
    {
      x = x * 1664525u + 1013904223u;
      g_string_append_c (fasta, "ACDEFGHIKLMNPQRSTVWY"[(x >> 16) % 20]);
    }
  g_string_append_c (fasta, '\n');
  gtk_window_set_default_size (GTK_WINDOW (window), 1200, 760);
  gtk_window_present (GTK_WINDOW (window));
  plm_ui_test_spin (200);
  wanted_model = model;
  plm_window_load_model (window, model, FALSE);
  if (!plm_ui_test_wait_until (model_loaded, window, 60000))
    g_error ("the model did not load");
  if (!plm_window_add_text (window, fasta->str, "synthetic", NULL))
    g_error ("the sequence was refused");
  plm_ui_test_spin (200);

  log = frame_log_start (GTK_WIDGET (window));
  start = g_get_monotonic_time ();
  plm_window_run (window);
  if (!plm_ui_test_wait_until (page_is_results, window, 120000))
    g_error ("the inference run did not finish");
  plm_ui_test_spin (1000);
  *seconds = (g_get_monotonic_time () - start) / 1e6;
  costs = frame_log_stop (GTK_WIDGET (window), log);
  gtk_window_destroy (GTK_WINDOW (window));
  plm_ui_test_spin (200);
  return costs;
}

static void
print_summary (Summary *sum)
{
  if (sum->medians->len == 0)
    return;
  double m = median (sum->medians), w = worst (sum->worsts), pm = median (sum->all);
  g_print ("%s: median frame %.2f ms (median of %u runs' medians; all %u frames: median %.2f ms, p90 %.2f ms), "
           "worst %.2f ms main-thread CPU\n", sum->name, m, sum->medians->len, sum->all->len, pm,
           quantile (sum->all, 0.9), w);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *model = NULL;
  g_autofree char *only = NULL;
  g_autofree char *screenshot = NULL;
  int runs = 3;
  GOptionEntry entries[] = {
    { "runs", 0, 0, G_OPTION_ARG_INT, &runs, "Runs of each window (default 3)", "N" },
    { "model", 0, 0, G_OPTION_ARG_FILENAME, &model, "Checkpoint (default: a random 8M-shape one)", "DIR" },
    { "only", 0, 0, G_OPTION_ARG_STRING, &only, "training or inference", "WINDOW" },
    { "verbose", 0, 0, G_OPTION_ARG_DOUBLE, &verbose_ms, "List the frames above MS with their phases", "MS" },
    { "screenshot", 0, 0, G_OPTION_ARG_FILENAME, &screenshot, "PNG of the training window after its last run", "FILE" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("— frame costs of the training and main windows");
  g_autoptr(GError) error = NULL;
  Summary training = { "training window", g_array_new (FALSE, FALSE, sizeof (double)),
                       g_array_new (FALSE, FALSE, sizeof (double)), g_array_new (FALSE, FALSE, sizeof (double)) };
  Summary inference = { "inference window", g_array_new (FALSE, FALSE, sizeof (double)),
                        g_array_new (FALSE, FALSE, sizeof (double)), g_array_new (FALSE, FALSE, sizeof (double)) };

  plm_runtime_setup (argv);
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  if (only != NULL && g_strcmp0 (only, "training") != 0 && g_strcmp0 (only, "inference") != 0)
    {
      g_printerr ("--only takes training or inference\n");
      return 2;
    }

  g_print ("renderer %s, OpenBLAS core %s (%s), %s\n", g_getenv ("GSK_RENDERER") ? g_getenv ("GSK_RENDERER") : "default",
           openblas_get_corename (), openblas_get_config (),
           g_getenv ("OPENBLAS_CORETYPE") ? g_getenv ("OPENBLAS_CORETYPE") : "OPENBLAS_CORETYPE unset");
  tmp_dir = g_dir_make_tmp ("plm-bench-frames-XXXXXX", NULL);
  if (model == NULL)
    model = g_strdup (g_getenv ("PLM_TEST_MODEL_8M"));
  if (model == NULL)
    {
      g_printerr ("--model is required outside meson (PLM_TEST_MODEL_8M is unset)\n");
      return 2;
    }

  app = plm_application_new (G_APPLICATION_NON_UNIQUE);
  if (!g_application_register (G_APPLICATION (app), NULL, &error))
    g_error ("%s", error->message);
  g_application_hold (G_APPLICATION (app));

  for (int r = 1; r <= runs; r++)
    {
      double seconds;
      GArray *costs;

      if (only == NULL || g_str_equal (only, "training"))
        {
          costs = run_training (model, r == runs ? screenshot : NULL, &seconds);
          summary_add (&training, r, costs, seconds);
          g_array_unref (costs);
        }
      if (only == NULL || g_str_equal (only, "inference"))
        {
          costs = run_inference (model, r, &seconds);
          summary_add (&inference, r, costs, seconds);
          g_array_unref (costs);
        }
    }
  print_summary (&training);
  print_summary (&inference);

  g_application_release (G_APPLICATION (app));
  g_clear_object (&app);
  g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", tmp_dir);
  if (system (cmd) != 0)
    g_printerr ("could not remove %s\n", tmp_dir);
  return 0;
}
