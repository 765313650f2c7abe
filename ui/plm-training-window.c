/* plm-training-window.c: the fine-tuning form, live curves of the current run, and the list of
 * runs with their settings and final metrics so that NM and the baselines can be compared. */
#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <math.h>

#include "plm-dataset-preview.h"
#include "plm-error.h"
#include "plm-length-histogram.h"
#include "plm-loss-plot.h"
#include "plm-nm-train.h"
#include "plm-training-window.h"

/* One row of the runs list: a run of this session, or a head loaded from a file. */
typedef struct
{
  gpointer             window;      /* the PlmTrainingWindow its signal handlers belong to */
  PlmTrainingWorker   *worker;      /* NULL for a loaded head */
  PlmTrainingSettings *settings;    /* NULL for a loaded head */
  char                *head_path;
  char                *summary;     /* loaded head: its configuration in words */
  PlmTrainingResults   results;
  gboolean             have_results;
  GtkLabel            *status_label;  /* its cell in the runs list, updated in place */
} Run;

struct _PlmTrainingWindow
{
  AdwWindow            parent_instance;

  AdwToastOverlay     *toast_overlay;
  AdwComboRow         *task_row;
  AdwActionRow        *train_row;
  AdwActionRow        *valid_row;
  AdwActionRow        *test_row;
  AdwActionRow        *dict_row;
  GtkLabel            *preview_label;
  PlmLengthHistogram  *histogram;
  GtkLabel            *errors_label;
  AdwActionRow        *model_row;
  AdwComboRow         *plm_row;
  AdwComboRow         *objective_row;
  AdwActionRow        *lambda_row;
  AdwActionRow        *negatives_row;
  GtkSpinButton       *lambda_spin;
  GtkSpinButton       *negatives_spin;
  GtkSpinButton       *lr_spin;
  GtkSpinButton       *epochs_spin;
  GtkSpinButton       *patience_spin;
  GtkSpinButton       *batch_spin;
  GtkSpinButton       *max_len_spin;
  GtkSpinButton       *seed_spin;
  GtkLabel            *state_label;
  GtkProgressBar      *progress_bar;
  GtkLabel            *time_label;
  GtkButton           *pause_button;
  PlmLossPlot         *loss_plot;
  PlmLossPlot         *metric_plot;
  GtkGrid             *runs_grid;

  PlmApplication      *application;
  GSimpleActionGroup  *actions;
  char                *files[4];
  char                *model_path;
  char                *output_dir;
  GPtrArray           *runs;           /* Run* */
  Run                 *current;
  guint                clock_source;
  GCancellable        *preview_cancellable;
  gboolean             preview_ready;
  PlmDatasetPreview   *preview;
  int                  series_ce, series_nm, series_total, series_valid;
  int                  series_acc, series_f1, series_auroc;
};

G_DEFINE_FINAL_TYPE (PlmTrainingWindow, plm_training_window, ADW_TYPE_WINDOW)

static void
run_free (gpointer data)
{
  Run *run = data;

  if (run->worker != NULL)
    {
      plm_training_worker_cancel (run->worker);
      g_signal_handlers_disconnect_matched (run->worker, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL, run->window);
    }
  g_clear_object (&run->worker);
  g_clear_pointer (&run->settings, plm_training_settings_free);
  g_free (run->head_path);
  g_free (run->summary);
  g_free (run);
}

static void
toast (PlmTrainingWindow *self,
       const char        *text)
{
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (text));
}

/* Formatting */

static char *
format_duration (double seconds)
{
  int s = (int) round (seconds);

  if (s >= 3600)
    return g_strdup_printf ("%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60);
  return g_strdup_printf ("%d:%02d", s / 60, s % 60);
}

static const char *
objective_label (PlmNmObjective objective)
{
  switch (objective)
    {
    case PLM_NM_OBJECTIVE_NM:
      return _("NM");
    case PLM_NM_OBJECTIVE_CE:
      return _("CE baseline");
    case PLM_NM_OBJECTIVE_MLP:
    default:
      return _("MLP baseline");
    }
}

static const char *
plm_mode_label (PlmNmPlmMode mode)
{
  switch (mode)
    {
    case PLM_NM_PLM_FINETUNE:
      return _("Fine-tune");
    case PLM_NM_PLM_SCRATCH:
      return _("From scratch");
    case PLM_NM_PLM_FROZEN:
    default:
      return _("Frozen");
    }
}

static char *
format_metric (double value)
{
  return isnan (value) ? g_strdup ("—") : g_strdup_printf ("%.3f", value);
}

/* The runs list */

static void
add_cell (PlmTrainingWindow *self,
          const char        *text,
          int                column,
          int                row,
          gboolean           heading)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0.0);
  if (heading)
    gtk_widget_add_css_class (label, "dim-label");
  else
    gtk_widget_add_css_class (label, "numeric");
  gtk_grid_attach (self->runs_grid, label, column, row, 1, 1);
}

static void show_run (PlmTrainingWindow *self, Run *run);

static void
on_show_run (GtkButton         *button,
             PlmTrainingWindow *self)
{
  Run *run = g_object_get_data (G_OBJECT (button), "run");

  show_run (self, run);
}

static void
on_save_as_response (GtkNativeDialog   *dialog,
                     int                response,
                     PlmTrainingWindow *self)
{
  Run *run = g_object_get_data (G_OBJECT (dialog), "run");

  if (response == GTK_RESPONSE_ACCEPT && g_ptr_array_find (self->runs, run, NULL))
    {
      g_autoptr(GFile) dest = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autoptr(GFile) src = g_file_new_for_path (run->head_path);
      g_autoptr(GError) error = NULL;

      if (!g_file_copy (src, dest, G_FILE_COPY_OVERWRITE, NULL, NULL, NULL, &error))
        toast (self, error->message);
      else
        {
          g_autofree char *name = g_file_get_basename (dest);
          g_autofree char *text = g_strdup_printf (_("Head saved as %s"), name);
          toast (self, text);
        }
    }
  g_object_unref (dialog);
}

static void
on_save_run (GtkButton         *button,
             PlmTrainingWindow *self)
{
  Run *run = g_object_get_data (G_OBJECT (button), "run");
  GtkFileChooserNative *dialog;
  g_autofree char *name = g_path_get_basename (run->head_path);

  dialog = gtk_file_chooser_native_new (_("Save Head"), GTK_WINDOW (self), GTK_FILE_CHOOSER_ACTION_SAVE,
                                        _("_Save"), _("_Cancel"));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), name);
  g_object_set_data (G_OBJECT (dialog), "run", run);
  g_signal_connect (dialog, "response", G_CALLBACK (on_save_as_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static const char *
run_status (Run *run)
{
  if (run->worker == NULL)
    return _("Loaded");
  switch (plm_training_worker_get_state (run->worker))
    {
    case PLM_TRAINING_IDLE:
    case PLM_TRAINING_LOADING:
      return _("Loading");
    case PLM_TRAINING_EMBEDDING:
      return _("Embedding");
    case PLM_TRAINING_TRAINING:
      return _("Training");
    case PLM_TRAINING_PAUSED:
      return _("Paused");
    case PLM_TRAINING_FINISHED:
      return _("Finished");
    case PLM_TRAINING_CANCELLED:
      return _("Cancelled");
    case PLM_TRAINING_FAILED:
    default:
      return _("Failed");
    }
}

static void
rebuild_runs (PlmTrainingWindow *self)
{
  GtkWidget *child;
  const char *headings[] = {
    /* Translators: the run's number in the list */
    N_("Run"), N_("Objective"), N_("PLM"), N_("λ"), N_("Neg."), N_("LR"), N_("Epochs"), N_("Batch"),
    N_("Best"), N_("Valid Acc."), N_("Test Acc."), N_("Test F1"), N_("Test AUROC"), N_("Status"),
  };
  int n_cols = G_N_ELEMENTS (headings);

  for (guint i = 0; i < self->runs->len; i++)
    ((Run *) g_ptr_array_index (self->runs, i))->status_label = NULL;
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->runs_grid))) != NULL)
    gtk_grid_remove (self->runs_grid, child);
  if (self->runs->len == 0)
    {
      add_cell (self, _("Finished runs and loaded heads are listed here."), 0, 0, TRUE);
      return;
    }
  for (int c = 0; c < n_cols; c++)
    add_cell (self, _(headings[c]), c, 0, TRUE);

  for (guint i = 0; i < self->runs->len; i++)
    {
      Run *run = g_ptr_array_index (self->runs, i);
      const PlmTrainingSettings *s = run->settings;
      int row = i + 1, c = 0;
      char buf[64];

      /* the number keeps the table narrow; the file is in the tooltip */
      g_snprintf (buf, sizeof buf, "%u", i + 1);
      add_cell (self, buf, c++, row, FALSE);
      gtk_widget_set_tooltip_text (gtk_grid_get_child_at (self->runs_grid, c - 1, row), run->head_path);
      if (s != NULL)
        {
          add_cell (self, objective_label (s->config.objective), c++, row, FALSE);
          add_cell (self, plm_mode_label (s->config.plm_mode), c++, row, FALSE);
          g_snprintf (buf, sizeof buf, "%g", s->config.lambda);
          add_cell (self, s->config.objective == PLM_NM_OBJECTIVE_NM ? buf : "—", c++, row, FALSE);
          g_snprintf (buf, sizeof buf, "%d", s->config.n_neg);
          add_cell (self, s->config.objective == PLM_NM_OBJECTIVE_NM ? buf : "—", c++, row, FALSE);
          g_snprintf (buf, sizeof buf, "%g", s->config.lr);
          add_cell (self, buf, c++, row, FALSE);
          g_snprintf (buf, sizeof buf, "%d", s->config.epochs);
          add_cell (self, buf, c++, row, FALSE);
          g_snprintf (buf, sizeof buf, "%d", s->config.batch);
          add_cell (self, buf, c++, row, FALSE);
        }
      else
        {
          GtkWidget *label = gtk_label_new (run->summary);
          gtk_label_set_xalign (GTK_LABEL (label), 0.0);
          gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
          gtk_grid_attach (self->runs_grid, label, c, row, 7, 1);
          c += 7;
        }
      if (run->have_results)
        {
          g_autofree char *va = format_metric (run->results.have_valid ? run->results.valid.accuracy : NAN);
          g_autofree char *ta = format_metric (run->results.have_test ? run->results.test.accuracy : NAN);
          g_autofree char *tf = format_metric (run->results.have_test ? run->results.test.macro_f1 : NAN);
          g_autofree char *tu = format_metric (run->results.have_test ? run->results.test.auroc : NAN);
          g_snprintf (buf, sizeof buf, "%d", run->results.best_epoch);
          add_cell (self, run->results.best_epoch > 0 ? buf : "—", c++, row, FALSE);
          add_cell (self, va, c++, row, FALSE);
          add_cell (self, ta, c++, row, FALSE);
          add_cell (self, tf, c++, row, FALSE);
          add_cell (self, tu, c++, row, FALSE);
        }
      else
        for (int k = 0; k < 5; k++)
          add_cell (self, "—", c++, row, FALSE);
      add_cell (self, run_status (run), c++, row, FALSE);
      run->status_label = GTK_LABEL (gtk_grid_get_child_at (self->runs_grid, c - 1, row));

      if (run->worker != NULL)
        {
          GtkWidget *show = gtk_button_new_with_mnemonic (_("_Show"));
          gtk_widget_set_tooltip_text (show, _("Show the curves of this run"));
          gtk_widget_add_css_class (show, "flat");
          g_object_set_data (G_OBJECT (show), "run", run);
          g_signal_connect (show, "clicked", G_CALLBACK (on_show_run), self);
          gtk_grid_attach (self->runs_grid, show, c, row, 1, 1);
        }
      c++;
      if (g_file_test (run->head_path, G_FILE_TEST_EXISTS))
        {
          GtkWidget *save = gtk_button_new_with_mnemonic (_("Save _As…"));
          gtk_widget_set_tooltip_text (save, _("Save the head as…"));
          gtk_widget_add_css_class (save, "flat");
          g_object_set_data (G_OBJECT (save), "run", run);
          g_signal_connect (save, "clicked", G_CALLBACK (on_save_run), self);
          gtk_grid_attach (self->runs_grid, save, c, row, 1, 1);
        }
    }
}

/* The current run */

static void
update_actions (PlmTrainingWindow *self)
{
  PlmTrainingState state = self->current != NULL && self->current->worker != NULL
                           ? plm_training_worker_get_state (self->current->worker) : PLM_TRAINING_IDLE;
  gboolean active = state == PLM_TRAINING_LOADING || state == PLM_TRAINING_EMBEDDING
                    || state == PLM_TRAINING_TRAINING || state == PLM_TRAINING_PAUSED;
  gboolean any_active = FALSE;

  for (guint i = 0; i < self->runs->len; i++)
    {
      Run *run = g_ptr_array_index (self->runs, i);
      PlmTrainingState s = run->worker != NULL ? plm_training_worker_get_state (run->worker) : PLM_TRAINING_IDLE;
      if (s == PLM_TRAINING_LOADING || s == PLM_TRAINING_EMBEDDING || s == PLM_TRAINING_TRAINING
          || s == PLM_TRAINING_PAUSED)
        any_active = TRUE;
    }

  /* one run at a time: the engine's thread pool is shared */
  g_simple_action_set_enabled (G_SIMPLE_ACTION (g_action_map_lookup_action (G_ACTION_MAP (self->actions), "start")),
                               !any_active && self->files[PLM_TRAINING_FILE_TRAIN] != NULL && self->model_path != NULL);
  /* a pause requested while loading takes effect before the first batch */
  g_simple_action_set_enabled (G_SIMPLE_ACTION (g_action_map_lookup_action (G_ACTION_MAP (self->actions), "pause")),
                               active);
  g_simple_action_set_enabled (G_SIMPLE_ACTION (g_action_map_lookup_action (G_ACTION_MAP (self->actions), "cancel")),
                               active);
  g_simple_action_set_enabled (G_SIMPLE_ACTION (g_action_map_lookup_action (G_ACTION_MAP (self->actions), "resume")),
                               !any_active && state == PLM_TRAINING_CANCELLED
                               && self->current->settings->config.plm_mode == PLM_NM_PLM_FROZEN
                               && g_file_test (plm_training_worker_get_last_path (self->current->worker),
                                               G_FILE_TEST_EXISTS));
  gtk_button_set_label (self->pause_button, state == PLM_TRAINING_PAUSED ? _("C_ontinue") : _("_Pause"));
}

static void
update_status (PlmTrainingWindow *self)
{
  PlmTrainingWorker *worker = self->current != NULL ? self->current->worker : NULL;
  g_autofree char *elapsed = NULL, *eta = NULL, *times = NULL, *fraction_text = NULL;
  GArray *history;
  const char *state_text;

  if (worker == NULL)
    return;
  history = plm_training_worker_get_history (worker);
  switch (plm_training_worker_get_state (worker))
    {
    case PLM_TRAINING_LOADING:
      state_text = _("Reading the data and the model…");
      break;
    case PLM_TRAINING_EMBEDDING:
      state_text = _("Computing embeddings…");
      break;
    case PLM_TRAINING_TRAINING:
      state_text = _("Training…");
      break;
    case PLM_TRAINING_PAUSED:
      state_text = _("Paused");
      break;
    case PLM_TRAINING_FINISHED:
      state_text = _("Finished");
      break;
    case PLM_TRAINING_CANCELLED:
      state_text = _("Cancelled: the last completed epoch can be resumed");
      break;
    case PLM_TRAINING_FAILED:
      state_text = NULL;   /* the error message stays */
      break;
    case PLM_TRAINING_IDLE:
    default:
      state_text = "";
    }
  if (state_text != NULL)
    gtk_label_set_text (self->state_label, state_text);

  gtk_progress_bar_set_fraction (self->progress_bar, plm_training_worker_get_fraction (worker));
  if (plm_training_worker_get_state (worker) == PLM_TRAINING_EMBEDDING)
    fraction_text = g_strdup_printf (_("Embeddings %.0f %%"), 100 * plm_training_worker_get_fraction (worker));
  else
    fraction_text = g_strdup_printf (_("Epoch %u of %d"), history->len, self->current->settings->config.epochs);
  gtk_progress_bar_set_text (self->progress_bar, fraction_text);

  elapsed = format_duration (plm_training_worker_get_elapsed (worker));
  if (plm_training_worker_get_eta (worker) >= 0.0
      && plm_training_worker_get_state (worker) == PLM_TRAINING_TRAINING)
    {
      eta = format_duration (plm_training_worker_get_eta (worker));
      /* Translators: elapsed time, then the estimated time left (an upper bound with early stopping) */
      times = g_strdup_printf (_("Elapsed %s · at most %s left"), elapsed, eta);
    }
  else if (plm_training_worker_get_state (worker) == PLM_TRAINING_FINISHED)
    {
      g_autofree char *head_name = g_path_get_basename (self->current->head_path);
      /* Translators: elapsed time, then the file name of the trained head */
      times = g_strdup_printf (_("Elapsed %s · head saved to %s"), elapsed, head_name);
    }
  else
    times = g_strdup_printf (_("Elapsed %s"), elapsed);
  gtk_label_set_text (self->time_label, times);
}

static void
plot_epoch (PlmTrainingWindow      *self,
            const PlmNmEpochReport *r,
            double                  lambda)
{
  plm_loss_plot_add_point (self->loss_plot, self->series_ce, r->epoch, r->train_ce);
  plm_loss_plot_add_point (self->loss_plot, self->series_nm, r->epoch, lambda * r->train_neg);
  plm_loss_plot_add_point (self->loss_plot, self->series_total, r->epoch, r->train_loss);
  plm_loss_plot_add_point (self->loss_plot, self->series_valid, r->epoch, r->valid.loss);
  plm_loss_plot_add_point (self->metric_plot, self->series_acc, r->epoch, r->valid.accuracy);
  plm_loss_plot_add_point (self->metric_plot, self->series_f1, r->epoch, r->valid.macro_f1);
  plm_loss_plot_add_point (self->metric_plot, self->series_auroc, r->epoch, r->valid.auroc);
}

static double
run_lambda (Run *run)
{
  return run->settings->config.objective == PLM_NM_OBJECTIVE_NM ? run->settings->config.lambda : 0.0;
}

static void
show_run (PlmTrainingWindow *self,
          Run               *run)
{
  GArray *history;

  if (run == NULL || run->worker == NULL)
    return;
  self->current = run;
  history = plm_training_worker_get_history (run->worker);
  plm_loss_plot_clear_points (self->loss_plot);
  plm_loss_plot_clear_points (self->metric_plot);
  plm_loss_plot_set_x_max (self->loss_plot, run->settings->config.epochs);
  plm_loss_plot_set_x_max (self->metric_plot, run->settings->config.epochs);
  for (guint i = 0; i < history->len; i++)
    plot_epoch (self, &g_array_index (history, PlmNmEpochReport, i), run_lambda (run));
  update_status (self);
  update_actions (self);
}

static Run *
find_run (PlmTrainingWindow *self,
          PlmTrainingWorker *worker)
{
  if (self->runs == NULL)
    return NULL;   /* disposed: a run that was cancelled on closing has ended */
  for (guint i = 0; i < self->runs->len; i++)
    if (((Run *) g_ptr_array_index (self->runs, i))->worker == worker)
      return g_ptr_array_index (self->runs, i);
  return NULL;
}

static void
on_worker_epoch (PlmTrainingWorker      *worker,
                 const PlmNmEpochReport *report,
                 PlmTrainingWindow      *self)
{
  if (self->current == NULL || self->current->worker != worker)
    return;
  plot_epoch (self, report, run_lambda (self->current));
  update_status (self);
}

static void
on_worker_progress (PlmTrainingWorker *worker,
                    PlmTrainingWindow *self)
{
  if (self->current != NULL && self->current->worker == worker)
    update_status (self);
}

static void
on_worker_state (PlmTrainingWorker *worker,
                 GParamSpec        *pspec,
                 PlmTrainingWindow *self)
{
  Run *run = find_run (self, worker);

  if (self->current != NULL && self->current->worker == worker)
    update_status (self);
  update_actions (self);
  /* only the status cell changes: rebuilding the list would cost the main loop a frame */
  if (run != NULL && run->status_label != NULL)
    gtk_label_set_text (run->status_label, run_status (run));
}

static gboolean
on_clock (gpointer data)
{
  PlmTrainingWindow *self = data;

  update_status (self);
  return G_SOURCE_CONTINUE;
}

static void
on_run_finished (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GWeakRef *ref = user_data;
  g_autoptr(PlmTrainingWindow) self = g_weak_ref_get (ref);
  PlmTrainingWorker *worker = PLM_TRAINING_WORKER (object);
  g_autoptr(GError) error = NULL;
  gboolean ok = plm_training_worker_start_finish (worker, result, &error);
  Run *run;

  g_weak_ref_clear (ref);
  g_free (ref);
  if (self == NULL || (run = find_run (self, worker)) == NULL)
    return;   /* the window was closed, which cancelled the run */
  g_clear_handle_id (&self->clock_source, g_source_remove);
  /* The end of a run is told by the status line above the curves, not by a toast: sliding one
   * in costs two frames of 8–30 ms of main-thread CPU with the cairo renderer (plm-bench-frames). */
  if (ok)
    {
      run->results = *plm_training_worker_get_results (worker);
      run->have_results = TRUE;
      /* the Pair view (and anything else) may use the new head at once */
      plm_application_add_head (self->application, run->head_path);
    }
  else if (!g_error_matches (error, PLM_ERROR, PLM_ERROR_CANCELLED))
    {
      g_autofree char *text = g_strdup_printf (_("Training failed: %s"), error->message);
      if (self->current == run)
        gtk_label_set_text (self->state_label, text);
      toast (self, text);
    }
  if (self->current == run)
    update_status (self);
  update_actions (self);
  rebuild_runs (self);
}

static void
start_worker (PlmTrainingWindow *self,
              Run               *run,
              gboolean           resume)
{
  show_run (self, run);
  /* a weak reference: closing the window disposes it, and disposing cancels its runs */
  GWeakRef *ref = g_new0 (GWeakRef, 1);
  g_weak_ref_init (ref, self);
  plm_training_worker_start_async (run->worker, resume, on_run_finished, ref);
  if (self->clock_source == 0)
    self->clock_source = g_timeout_add_seconds (1, on_clock, self);
  update_status (self);
  update_actions (self);
  rebuild_runs (self);
}

static void
action_start (GSimpleAction *action,
              GVariant      *param,
              gpointer       user_data)
{
  PlmTrainingWindow *self = user_data;
  g_autoptr(GError) error = NULL;
  /* UTC: loading the local time zone is file I/O on the main loop */
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%d-%H%M%S");
  PlmTrainingSettings *s = plm_training_window_get_settings (self);
  const char *obj = plm_nm_objective_name (s->config.objective);
  g_autofree char *name = NULL;
  Run *run;

  if (g_mkdir_with_parents (self->output_dir, 0755) != 0)
    {
      g_autofree char *text = g_strdup_printf (_("Cannot create %s"), self->output_dir);
      toast (self, text);
      plm_training_settings_free (s);
      return;
    }
  name = g_strdup_printf ("head-%s-%s-%u.safetensors", stamp, obj, self->runs->len + 1);
  s->out_path = g_build_filename (self->output_dir, name, NULL);

  run = g_new0 (Run, 1);
  run->window = self;
  run->settings = s;
  run->head_path = g_strdup (s->out_path);
  run->worker = plm_training_worker_new (s);
  g_signal_connect (run->worker, "epoch", G_CALLBACK (on_worker_epoch), self);
  g_signal_connect (run->worker, "progress", G_CALLBACK (on_worker_progress), self);
  g_signal_connect (run->worker, "notify::state", G_CALLBACK (on_worker_state), self);
  g_ptr_array_add (self->runs, run);
  start_worker (self, run, FALSE);
}

static void
action_pause (GSimpleAction *action,
              GVariant      *param,
              gpointer       user_data)
{
  PlmTrainingWindow *self = user_data;

  if (self->current == NULL || self->current->worker == NULL)
    return;
  if (plm_training_worker_get_state (self->current->worker) == PLM_TRAINING_PAUSED)
    plm_training_worker_unpause (self->current->worker);
  else
    plm_training_worker_pause (self->current->worker);
}

static void
action_cancel (GSimpleAction *action,
               GVariant      *param,
               gpointer       user_data)
{
  PlmTrainingWindow *self = user_data;

  if (self->current != NULL && self->current->worker != NULL)
    plm_training_worker_cancel (self->current->worker);
}

static void
action_resume (GSimpleAction *action,
               GVariant      *param,
               gpointer       user_data)
{
  PlmTrainingWindow *self = user_data;

  if (self->current != NULL && self->current->worker != NULL)
    start_worker (self, self->current, TRUE);
}

/* The form */

static AdwActionRow *
file_row (PlmTrainingWindow *self,
          PlmTrainingFile    which)
{
  AdwActionRow *rows[] = { self->train_row, self->valid_row, self->test_row, self->dict_row };

  return rows[which];
}

static void
on_preview_done (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  PlmTrainingWindow *self = user_data;
  g_autoptr(GError) error = NULL;
  PlmDatasetPreview *p = g_task_propagate_pointer (G_TASK (result), &error);
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GString) errors = g_string_new (NULL);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->preview_ready = TRUE;
  g_clear_pointer (&self->preview, plm_dataset_preview_free);
  if (p == NULL)
    {
      gtk_label_set_text (self->preview_label, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->histogram), FALSE);
      gtk_widget_set_visible (GTK_WIDGET (self->errors_label), FALSE);
      gtk_label_set_text (self->errors_label, "");
      return;
    }
  self->preview = p;

  g_autofree char *name = g_path_get_basename (p->path);
  g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, "%s: %d item", "%s: %d items", p->n_items),
                          name, p->n_items);
  for (guint c = 0; c < p->classes->len; c++)
    {
      int n = g_array_index (p->counts, int, c);
      g_string_append_printf (text, "%s%s %d (%.1f %%)", c == 0 ? "\n" : ", ",
                              (const char *) g_ptr_array_index (p->classes, c), n,
                              p->n_items > 0 ? 100.0 * n / p->n_items : 0.0);
    }
  if (p->n_skipped > 0)
    g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, "\n%d record without a usable label skipped",
                                               "\n%d records without a usable label skipped", p->n_skipped),
                            p->n_skipped);
  gtk_label_set_text (self->preview_label, text->str);

  plm_length_histogram_set_lengths (self->histogram, p->lengths,
                                    gtk_spin_button_get_value_as_int (self->max_len_spin) - 2);
  gtk_widget_set_visible (GTK_WIDGET (self->histogram), p->lengths->len > 0);

  for (guint i = 0; i < p->errors->len && i < 50; i++)
    {
      PlmPreviewError *e = &g_array_index (p->errors, PlmPreviewError, i);
      if (e->line > 0)
        g_string_append_printf (errors, _("Line %d: %s\n"), e->line, e->message);
      else
        g_string_append_printf (errors, "%s\n", e->message);
    }
  if (p->errors->len > 50)
    g_string_append_printf (errors, _("… and %u more rows with errors\n"), p->errors->len - 50);
  if (errors->len > 0)
    g_string_truncate (errors, errors->len - 1);
  gtk_label_set_text (self->errors_label, errors->str);
  gtk_widget_set_visible (GTK_WIDGET (self->errors_label), errors->len > 0);
}

typedef struct
{
  char              *path;
  PlmDataTask        task;
  PlmDatasetOptions  options;
  char              *dictionary;
} PreviewJob;

static void
preview_job_free (gpointer data)
{
  PreviewJob *job = data;

  g_free (job->path);
  g_free (job->dictionary);
  g_free (job);
}

static void
preview_thread (GTask        *task,
                gpointer      source,
                gpointer      data,
                GCancellable *cancellable)
{
  PreviewJob *job = data;
  GError *error = NULL;
  PlmDatasetPreview *p;

  job->options.dictionary = job->dictionary;
  p = plm_dataset_preview_new (job->path, job->task, &job->options, &error);
  if (p == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, p, (GDestroyNotify) plm_dataset_preview_free);
}

static PlmDataTask
current_task (PlmTrainingWindow *self)
{
  return adw_combo_row_get_selected (self->task_row) == 1 ? PLM_DATA_PAIR : PLM_DATA_PROTEIN;
}

/* Previews the training file (or another one just chosen) off the main thread. */
static void
start_preview (PlmTrainingWindow *self,
               const char        *path)
{
  g_autoptr(GTask) task = NULL;
  PreviewJob *job;

  if (self->preview_cancellable != NULL)
    g_cancellable_cancel (self->preview_cancellable);
  g_clear_object (&self->preview_cancellable);
  self->preview_ready = FALSE;
  if (path == NULL)
    return;
  if (current_task (self) == PLM_DATA_PAIR && self->files[PLM_TRAINING_FILE_DICTIONARY] == NULL)
    {
      self->preview_ready = TRUE;
      gtk_label_set_text (self->preview_label, _("Choose the sequence dictionary to preview pair data."));
      return;
    }
  self->preview_cancellable = g_cancellable_new ();
  job = g_new0 (PreviewJob, 1);
  job->path = g_strdup (path);
  job->task = current_task (self);
  job->options.fasta_label = PLM_FASTA_LABEL_LOCATION;
  job->dictionary = g_strdup (self->files[PLM_TRAINING_FILE_DICTIONARY]);
  task = g_task_new (NULL, self->preview_cancellable, on_preview_done, self);
  g_task_set_task_data (task, job, preview_job_free);
  g_task_set_return_on_cancel (task, TRUE);
  g_task_run_in_thread (task, preview_thread);
}

void
plm_training_window_set_file (PlmTrainingWindow *self,
                              PlmTrainingFile    which,
                              const char        *path)
{
  static const char *empty[] = {
    N_("None"), N_("Split from the training data"), N_("Split from the training data"),
    N_("Pair task: id and sequence per line"),
  };

  g_return_if_fail (PLM_IS_TRAINING_WINDOW (self));

  g_free (self->files[which]);
  self->files[which] = g_strdup (path);
  adw_action_row_set_subtitle (file_row (self, which), path != NULL ? path : _(empty[which]));
  if (which == PLM_TRAINING_FILE_DICTIONARY)
    start_preview (self, self->files[PLM_TRAINING_FILE_TRAIN]);
  else
    start_preview (self, path);
  update_actions (self);
}

static void
on_file_response (GtkNativeDialog   *dialog,
                  int                response,
                  PlmTrainingWindow *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = g_file_get_path (file);
      int which = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (dialog), "which"));

      if (which < 0)
        plm_training_window_set_model (self, path);
      else
        plm_training_window_set_file (self, which, path);
    }
  g_object_unref (dialog);
}

static void
choose_file (PlmTrainingWindow *self,
             int                which,   /* a PlmTrainingFile, or -1 for the model */
             const char        *title)
{
  GtkFileChooserNative *dialog;

  dialog = gtk_file_chooser_native_new (title, GTK_WINDOW (self), GTK_FILE_CHOOSER_ACTION_OPEN,
                                        _("_Open"), _("_Cancel"));
  g_object_set_data (G_OBJECT (dialog), "which", GINT_TO_POINTER (which));
  g_signal_connect (dialog, "response", G_CALLBACK (on_file_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
on_choose_train (PlmTrainingWindow *self)
{
  choose_file (self, PLM_TRAINING_FILE_TRAIN, _("Choose the Training Data"));
}

static void
on_choose_valid (PlmTrainingWindow *self)
{
  choose_file (self, PLM_TRAINING_FILE_VALID, _("Choose the Validation Data"));
}

static void
on_choose_test (PlmTrainingWindow *self)
{
  choose_file (self, PLM_TRAINING_FILE_TEST, _("Choose the Test Data"));
}

static void
on_choose_dict (PlmTrainingWindow *self)
{
  choose_file (self, PLM_TRAINING_FILE_DICTIONARY, _("Choose the Sequence Dictionary"));
}

static void
on_choose_model (PlmTrainingWindow *self)
{
  choose_file (self, -1, _("Choose an ESM-2 Checkpoint"));
}

static void
on_use_current_model (PlmTrainingWindow *self)
{
  const char *path = plm_inference_worker_get_model_path (plm_application_get_worker (self->application));

  if (path == NULL)
    toast (self, _("The main window has no model loaded"));
  else
    plm_training_window_set_model (self, path);
}

static void
on_task_changed (PlmTrainingWindow *self)
{
  gtk_widget_set_sensitive (GTK_WIDGET (self->dict_row), current_task (self) == PLM_DATA_PAIR);
  start_preview (self, self->files[PLM_TRAINING_FILE_TRAIN]);
}

static void
on_objective_changed (PlmTrainingWindow *self)
{
  gboolean nm = adw_combo_row_get_selected (self->objective_row) == 0;

  /* λ and the negatives only matter to the NM objective */
  gtk_widget_set_sensitive (GTK_WIDGET (self->lambda_row), nm);
  gtk_widget_set_sensitive (GTK_WIDGET (self->negatives_row), nm);
}

static void
on_max_len_changed (PlmTrainingWindow *self)
{
  if (self->preview != NULL)
    plm_length_histogram_set_lengths (self->histogram, self->preview->lengths,
                                      gtk_spin_button_get_value_as_int (self->max_len_spin) - 2);
}

/* Loading a head file */

static char *
describe_head (GHashTable *metadata,
               PlmTrainingResults *results,
               gboolean           *have_results)
{
  const char *config = metadata != NULL ? g_hash_table_lookup (metadata, "config") : NULL;
  const char *metrics = metadata != NULL ? g_hash_table_lookup (metadata, "metrics") : NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  GString *out = g_string_new (NULL);

  if (config != NULL && json_parser_load_from_data (parser, config, -1, NULL)
      && JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      JsonObject *o = json_node_get_object (json_parser_get_root (parser));
      g_string_append_printf (out, "%s · %s",
                              json_object_get_string_member_with_default (o, "objective", "?"),
                              json_object_get_string_member_with_default (o, "plm", plm_nm_plm_mode_name (PLM_NM_PLM_FROZEN)));
      if (json_object_has_member (o, "lambda"))
        g_string_append_printf (out, " · λ %g", json_object_get_double_member (o, "lambda"));
      if (json_object_has_member (o, "lr"))
        g_string_append_printf (out, " · lr %g", json_object_get_double_member (o, "lr"));
    }
  else
    g_string_append (out, _("No configuration recorded"));

  *have_results = FALSE;
  if (metrics != NULL && json_parser_load_from_data (parser, metrics, -1, NULL)
      && JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      JsonObject *o = json_node_get_object (json_parser_get_root (parser));
      JsonObject *v = json_object_get_object_member (o, "valid");
      JsonObject *t = json_object_get_object_member (o, "test");

      results->valid.accuracy = v ? json_object_get_double_member_with_default (v, "accuracy", NAN) : NAN;
      results->test.accuracy = t ? json_object_get_double_member_with_default (t, "accuracy", NAN) : NAN;
      results->test.macro_f1 = t ? json_object_get_double_member_with_default (t, "macro_f1", NAN) : NAN;
      results->test.auroc = t ? json_object_get_double_member_with_default (t, "auroc", NAN) : NAN;
      results->best_epoch = json_object_get_int_member_with_default (o, "best_epoch", 0);
      results->have_valid = v != NULL;
      results->have_test = t != NULL;
      *have_results = TRUE;
    }
  return g_string_free (out, FALSE);
}

gboolean
plm_training_window_load_head (PlmTrainingWindow  *self,
                               const char         *path,
                               GError            **error)
{
  GHashTable *metadata = NULL;
  PlmNmHead *head;
  Run *run;

  g_return_val_if_fail (PLM_IS_TRAINING_WINDOW (self), FALSE);

  head = plm_nm_head_load (path, &metadata, error);
  if (head == NULL)
    return FALSE;
  run = g_new0 (Run, 1);
  run->window = self;
  run->head_path = g_strdup (path);
  run->summary = describe_head (metadata, &run->results, &run->have_results);
  g_ptr_array_add (self->runs, run);
  plm_nm_head_free (head);
  g_clear_pointer (&metadata, g_hash_table_unref);
  plm_application_add_head (self->application, path);
  rebuild_runs (self);
  return TRUE;
}

static void
on_load_head_response (GtkNativeDialog   *dialog,
                       int                response,
                       PlmTrainingWindow *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = g_file_get_path (file);
      g_autoptr(GError) error = NULL;

      if (!plm_training_window_load_head (self, path, &error))
        toast (self, error->message);
    }
  g_object_unref (dialog);
}

static void
on_load_head (PlmTrainingWindow *self)
{
  GtkFileChooserNative *dialog;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  dialog = gtk_file_chooser_native_new (_("Load a Trained Head"), GTK_WINDOW (self), GTK_FILE_CHOOSER_ACTION_OPEN,
                                        _("_Open"), _("_Cancel"));
  gtk_file_filter_set_name (filter, _("Heads (.safetensors)"));
  gtk_file_filter_add_pattern (filter, "*.safetensors");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), filter);
  g_signal_connect (dialog, "response", G_CALLBACK (on_load_head_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

/* Object */

static void
plm_training_window_dispose (GObject *object)
{
  PlmTrainingWindow *self = PLM_TRAINING_WINDOW (object);

  g_clear_handle_id (&self->clock_source, g_source_remove);
  if (self->preview_cancellable != NULL)
    g_cancellable_cancel (self->preview_cancellable);
  g_clear_object (&self->preview_cancellable);
  /* cancelling makes the running threads stop at the next batch; they hold their own refs */
  g_clear_pointer (&self->runs, g_ptr_array_unref);
  self->current = NULL;
  g_clear_object (&self->actions);

  G_OBJECT_CLASS (plm_training_window_parent_class)->dispose (object);
}

static void
plm_training_window_finalize (GObject *object)
{
  PlmTrainingWindow *self = PLM_TRAINING_WINDOW (object);

  for (int i = 0; i < 4; i++)
    g_free (self->files[i]);
  g_free (self->model_path);
  g_free (self->output_dir);
  g_clear_pointer (&self->preview, plm_dataset_preview_free);
  g_clear_object (&self->application);

  G_OBJECT_CLASS (plm_training_window_parent_class)->finalize (object);
}

static void
plm_training_window_class_init (PlmTrainingWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = plm_training_window_dispose;
  object_class->finalize = plm_training_window_finalize;

  g_type_ensure (PLM_TYPE_LOSS_PLOT);
  g_type_ensure (PLM_TYPE_LENGTH_HISTOGRAM);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/plmlens/PlmLens/ui/plm-training-window.ui");
  gtk_widget_class_bind_template_child (widget_class, PlmTrainingWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, PlmTrainingWindow, task_row);
  gtk_widget_class_bind_template_child (widget_class, PlmTrainingWindow, train_row);
  gtk_widget_class_bind_template_child (widget_class, PlmTrainingWindow, valid_row);
  gtk_widget_class_bind_template_child (widget_class, PlmTrainingWindow, test_row);
  gtk_widget_class_bind_template_child (widget_class, PlmTrainingWindow, dict_row);
  gtk_widget_class_bind_template_child (widget_class, PlmTrainingWindow, preview_label);
  gtk_widget_class_bind_template_child (widget_class, PlmTrainingWindow, histogram);
  gtk_widget_class_bind_template_child (widget_class, PlmTrainingWindow, errors_label);
  gtk_widget_class_bind_template_child (widget_class, PlmTrainingWindow, model_row);
  gtk_widget_class_bind_template_child (widget_class, PlmTrainingWindow, plm_row);
  gtk_widget_class_bind_template_child (widget_class, PlmTrainingWindow, objective_row);
  gtk_widget_class_bind_template_child (widget_class, PlmTrainingWindow, lambda_row);
  gtk_widget_class_bind_template_child (widget_class, PlmTrainingWindow, negatives_row);
  gtk_widget_class_bind_template_child (widget_class, PlmTrainingWindow, lambda_spin);
  gtk_widget_class_bind_template_child (widget_class, PlmTrainingWindow, negatives_spin);
  gtk_widget_class_bind_template_child (widget_class, PlmTrainingWindow, lr_spin);
  gtk_widget_class_bind_template_child (widget_class, PlmTrainingWindow, epochs_spin);
  gtk_widget_class_bind_template_child (widget_class, PlmTrainingWindow, patience_spin);
  gtk_widget_class_bind_template_child (widget_class, PlmTrainingWindow, batch_spin);
  gtk_widget_class_bind_template_child (widget_class, PlmTrainingWindow, max_len_spin);
  gtk_widget_class_bind_template_child (widget_class, PlmTrainingWindow, seed_spin);
  gtk_widget_class_bind_template_child (widget_class, PlmTrainingWindow, state_label);
  gtk_widget_class_bind_template_child (widget_class, PlmTrainingWindow, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, PlmTrainingWindow, time_label);
  gtk_widget_class_bind_template_child (widget_class, PlmTrainingWindow, pause_button);
  gtk_widget_class_bind_template_child (widget_class, PlmTrainingWindow, loss_plot);
  gtk_widget_class_bind_template_child (widget_class, PlmTrainingWindow, metric_plot);
  gtk_widget_class_bind_template_child (widget_class, PlmTrainingWindow, runs_grid);
  gtk_widget_class_bind_template_callback (widget_class, on_load_head);
  gtk_widget_class_bind_template_callback (widget_class, on_task_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_objective_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_max_len_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_choose_train);
  gtk_widget_class_bind_template_callback (widget_class, on_choose_valid);
  gtk_widget_class_bind_template_callback (widget_class, on_choose_test);
  gtk_widget_class_bind_template_callback (widget_class, on_choose_dict);
  gtk_widget_class_bind_template_callback (widget_class, on_choose_model);
  gtk_widget_class_bind_template_callback (widget_class, on_use_current_model);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK, "window.close", NULL);
}

/* The run parameters of @c in the form (the files aside). */
static void
show_config (PlmTrainingWindow      *self,
             const PlmNmTrainConfig *c)
{
  adw_combo_row_set_selected (self->task_row, c->task == PLM_DATA_PAIR ? 1 : 0);
  adw_combo_row_set_selected (self->plm_row, c->plm_mode);   /* the rows are in enum order */
  adw_combo_row_set_selected (self->objective_row, c->objective);
  gtk_spin_button_set_value (self->lambda_spin, c->lambda);
  gtk_spin_button_set_value (self->negatives_spin, c->n_neg);
  gtk_spin_button_set_value (self->lr_spin, c->lr);
  gtk_spin_button_set_value (self->epochs_spin, c->epochs);
  gtk_spin_button_set_value (self->patience_spin, c->patience);
  gtk_spin_button_set_value (self->batch_spin, c->batch);
  gtk_spin_button_set_value (self->max_len_spin, c->max_len);
  gtk_spin_button_set_value (self->seed_spin, (double) c->seed);
}

static void
plm_training_window_init (PlmTrainingWindow *self)
{
  static const GActionEntry entries[] = {
    { "start", action_start },
    { "pause", action_pause },
    { "cancel", action_cancel },
    { "resume", action_resume },
  };

  self->runs = g_ptr_array_new_with_free_func (run_free);
  self->output_dir = g_build_filename (g_get_user_data_dir (), "plmlens", "heads", NULL);
  self->actions = g_simple_action_group_new ();
  g_action_map_add_action_entries (G_ACTION_MAP (self->actions), entries, G_N_ELEMENTS (entries), self);
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_insert_action_group (GTK_WIDGET (self), "training", G_ACTION_GROUP (self->actions));
  gtk_progress_bar_set_text (self->progress_bar, "");
  /* the form starts from the engine's defaults (plm_nm_train_config_init) */
  {
    PlmNmTrainConfig defaults;
    plm_nm_train_config_init (&defaults);
    show_config (self, &defaults);
  }

  /* GNOME palette: CE blue, NM orange, total dark, validation dashed green */
  plm_loss_plot_set_title (self->loss_plot, _("Training loss per epoch"));
  plm_loss_plot_set_log_scale (self->loss_plot, TRUE);
  self->series_ce = plm_loss_plot_add_series (self->loss_plot, _("CE"), "#3584e4", FALSE);
  self->series_nm = plm_loss_plot_add_series (self->loss_plot, _("λ·NM"), "#ff7800", FALSE);
  self->series_total = plm_loss_plot_add_series (self->loss_plot, _("Total"), "#9141ac", FALSE);
  self->series_valid = plm_loss_plot_add_series (self->loss_plot, _("Validation CE"), "#2ec27e", TRUE);
  plm_loss_plot_set_title (self->metric_plot, _("Validation metrics per epoch"));
  plm_loss_plot_set_y_range (self->metric_plot, 0.0, 1.0);
  self->series_acc = plm_loss_plot_add_series (self->metric_plot, _("Accuracy"), "#3584e4", FALSE);
  self->series_f1 = plm_loss_plot_add_series (self->metric_plot, _("Macro-F1"), "#e01b24", FALSE);
  self->series_auroc = plm_loss_plot_add_series (self->metric_plot, _("AUROC"), "#2ec27e", TRUE);
  rebuild_runs (self);
  update_actions (self);
}

GtkWidget *
plm_training_window_new (GtkWindow      *parent,
                         PlmApplication *application)
{
  PlmTrainingWindow *self;
  const char *model;

  g_return_val_if_fail (PLM_IS_APPLICATION (application), NULL);

  self = g_object_new (PLM_TYPE_TRAINING_WINDOW, "transient-for", parent, "application", application, NULL);
  self->application = g_object_ref (application);
  model = plm_inference_worker_get_model_path (plm_application_get_worker (application));
  if (model != NULL)
    plm_training_window_set_model (self, model);
  return GTK_WIDGET (self);
}

void
plm_training_window_set_model (PlmTrainingWindow *self,
                               const char        *path)
{
  g_return_if_fail (PLM_IS_TRAINING_WINDOW (self));

  g_free (self->model_path);
  self->model_path = g_strdup (path);
  adw_action_row_set_subtitle (self->model_row, path != NULL ? path : _("None"));
  update_actions (self);
}

void
plm_training_window_set_output_dir (PlmTrainingWindow *self,
                                    const char        *dir)
{
  g_return_if_fail (PLM_IS_TRAINING_WINDOW (self));
  g_return_if_fail (dir != NULL);

  g_free (self->output_dir);
  self->output_dir = g_strdup (dir);
}

void
plm_training_window_apply_settings (PlmTrainingWindow         *self,
                                    const PlmTrainingSettings *s)
{
  g_return_if_fail (PLM_IS_TRAINING_WINDOW (self));

  show_config (self, &s->config);
  if (s->model_path != NULL)
    plm_training_window_set_model (self, s->model_path);
  plm_training_window_set_file (self, PLM_TRAINING_FILE_DICTIONARY, s->dictionary);
  plm_training_window_set_file (self, PLM_TRAINING_FILE_VALID, s->valid);
  plm_training_window_set_file (self, PLM_TRAINING_FILE_TEST, s->test);
  plm_training_window_set_file (self, PLM_TRAINING_FILE_TRAIN, s->train);
}

PlmTrainingSettings *
plm_training_window_get_settings (PlmTrainingWindow *self)
{
  PlmTrainingSettings *s;

  g_return_val_if_fail (PLM_IS_TRAINING_WINDOW (self), NULL);

  s = plm_training_settings_new ();
  s->config.task = current_task (self);
  s->config.plm_mode = (PlmNmPlmMode) MIN (adw_combo_row_get_selected (self->plm_row), PLM_NM_PLM_SCRATCH);
  s->config.objective = (PlmNmObjective) MIN (adw_combo_row_get_selected (self->objective_row), 2);
  s->config.lambda = gtk_spin_button_get_value (self->lambda_spin);
  s->config.n_neg = gtk_spin_button_get_value_as_int (self->negatives_spin);
  s->config.lr = gtk_spin_button_get_value (self->lr_spin);
  s->config.epochs = gtk_spin_button_get_value_as_int (self->epochs_spin);
  s->config.patience = gtk_spin_button_get_value_as_int (self->patience_spin);
  s->config.batch = gtk_spin_button_get_value_as_int (self->batch_spin);
  s->config.max_len = gtk_spin_button_get_value_as_int (self->max_len_spin);
  s->config.seed = (guint64) gtk_spin_button_get_value (self->seed_spin);
  s->train = g_strdup (self->files[PLM_TRAINING_FILE_TRAIN]);
  s->valid = g_strdup (self->files[PLM_TRAINING_FILE_VALID]);
  s->test = g_strdup (self->files[PLM_TRAINING_FILE_TEST]);
  s->dictionary = g_strdup (self->files[PLM_TRAINING_FILE_DICTIONARY]);
  s->model_path = g_strdup (self->model_path);
  return s;
}

PlmTrainingWorker *
plm_training_window_get_current (PlmTrainingWindow *self)
{
  g_return_val_if_fail (PLM_IS_TRAINING_WINDOW (self), NULL);
  return self->current != NULL ? self->current->worker : NULL;
}

guint
plm_training_window_get_n_runs (PlmTrainingWindow *self)
{
  g_return_val_if_fail (PLM_IS_TRAINING_WINDOW (self), 0);
  return self->runs->len;
}

gboolean
plm_training_window_get_preview_ready (PlmTrainingWindow *self)
{
  g_return_val_if_fail (PLM_IS_TRAINING_WINDOW (self), FALSE);
  return self->preview_ready;
}

GtkWidget *
plm_training_window_get_loss_plot (PlmTrainingWindow *self)
{
  g_return_val_if_fail (PLM_IS_TRAINING_WINDOW (self), NULL);
  return GTK_WIDGET (self->loss_plot);
}

GtkWidget *
plm_training_window_get_metric_plot (PlmTrainingWindow *self)
{
  g_return_val_if_fail (PLM_IS_TRAINING_WINDOW (self), NULL);
  return GTK_WIDGET (self->metric_plot);
}

GtkWidget *
plm_training_window_get_histogram (PlmTrainingWindow *self)
{
  g_return_val_if_fail (PLM_IS_TRAINING_WINDOW (self), NULL);
  return GTK_WIDGET (self->histogram);
}

const char *
plm_training_window_get_preview_errors (PlmTrainingWindow *self)
{
  g_return_val_if_fail (PLM_IS_TRAINING_WINDOW (self), NULL);
  return gtk_label_get_text (self->errors_label);
}
