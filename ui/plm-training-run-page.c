/* plm-training-run-page.c: the state line, progress, times and curves of the run on show,
 * updated from its worker's "epoch" and "progress" signals and a clock while it runs. */
#include <glib/gi18n.h>
#include <math.h>

#include "plm-loss-plot.h"
#include "plm-training-run-page.h"

struct _PlmTrainingRunPage
{
  GtkWidget       parent_instance;

  GtkLabel       *state_label;
  GtkProgressBar *progress_bar;
  GtkLabel       *time_label;
  GtkButton      *pause_button;
  GtkButton      *resume_button;
  PlmLossPlot    *loss_plot;
  PlmLossPlot    *metric_plot;

  PlmTrainingRun *run;
  guint           clock_source;
  int             series_ce, series_nm, series_total, series_valid;
  int             series_acc, series_f1, series_auroc;
};

G_DEFINE_FINAL_TYPE (PlmTrainingRunPage, plm_training_run_page, GTK_TYPE_WIDGET)

static char *
format_duration (double seconds)
{
  int s = (int) round (seconds);

  if (s >= 3600)
    return g_strdup_printf ("%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60);
  return g_strdup_printf ("%d:%02d", s / 60, s % 60);
}

static void
update_status (PlmTrainingRunPage *self)
{
  PlmTrainingWorker *worker = self->run != NULL ? plm_training_run_get_worker (self->run) : NULL;
  g_autofree char *elapsed = NULL, *eta = NULL, *times = NULL, *fraction_text = NULL;
  PlmTrainingState state;
  const char *state_text;

  if (worker == NULL)
    return;
  state = plm_training_worker_get_state (worker);
  switch (state)
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
  if (state == PLM_TRAINING_EMBEDDING)
    fraction_text = g_strdup_printf (_("Embeddings %.0f %%"), 100 * plm_training_worker_get_fraction (worker));
  else
    fraction_text = g_strdup_printf (_("Epoch %u of %d"), plm_training_worker_get_history (worker)->len,
                                     plm_training_run_get_settings (self->run)->config.epochs);
  gtk_progress_bar_set_text (self->progress_bar, fraction_text);

  elapsed = format_duration (plm_training_worker_get_elapsed (worker));
  if (plm_training_worker_get_eta (worker) >= 0.0 && state == PLM_TRAINING_TRAINING)
    {
      eta = format_duration (plm_training_worker_get_eta (worker));
      /* Translators: elapsed time, then the estimated time left (an upper bound with early stopping) */
      times = g_strdup_printf (_("Elapsed %s · at most %s left"), elapsed, eta);
    }
  else if (state == PLM_TRAINING_FINISHED)
    {
      g_autofree char *head_name = g_path_get_basename (plm_training_run_get_head_path (self->run));
      /* Translators: elapsed time, then the file name of the trained head */
      times = g_strdup_printf (_("Elapsed %s · head saved to %s"), elapsed, head_name);
    }
  else
    times = g_strdup_printf (_("Elapsed %s"), elapsed);
  gtk_label_set_text (self->time_label, times);
}

static void
plot_epoch (PlmTrainingRunPage     *self,
            const PlmNmEpochReport *r)
{
  double lambda = plm_training_run_get_lambda (self->run);

  plm_loss_plot_add_point (self->loss_plot, self->series_ce, r->epoch, r->train_ce);
  plm_loss_plot_add_point (self->loss_plot, self->series_nm, r->epoch, lambda * r->train_neg);
  plm_loss_plot_add_point (self->loss_plot, self->series_total, r->epoch, r->train_loss);
  plm_loss_plot_add_point (self->loss_plot, self->series_valid, r->epoch, r->valid.loss);
  plm_loss_plot_add_point (self->metric_plot, self->series_acc, r->epoch, r->valid.accuracy);
  plm_loss_plot_add_point (self->metric_plot, self->series_f1, r->epoch, r->valid.macro_f1);
  plm_loss_plot_add_point (self->metric_plot, self->series_auroc, r->epoch, r->valid.auroc);
}

static void
on_epoch (PlmTrainingWorker      *worker,
          const PlmNmEpochReport *report,
          PlmTrainingRunPage     *self)
{
  plot_epoch (self, report);
  update_status (self);
}

static gboolean
on_clock (gpointer data)
{
  update_status (data);
  return G_SOURCE_CONTINUE;
}

static void
on_state (PlmTrainingRunPage *self)
{
  PlmTrainingState state = plm_training_run_get_state (self->run);

  /* the clock ticks the elapsed time and the ETA while the run has a thread */
  if (plm_training_run_is_active (self->run))
    {
      if (self->clock_source == 0)
        self->clock_source = g_timeout_add_seconds (1, on_clock, self);
    }
  else
    g_clear_handle_id (&self->clock_source, g_source_remove);
  gtk_button_set_label (self->pause_button, state == PLM_TRAINING_PAUSED ? _("_Resume") : _("_Pause"));
  update_status (self);
}

static void
disconnect_run (PlmTrainingRunPage *self)
{
  if (self->run == NULL)
    return;
  g_signal_handlers_disconnect_by_data (self->run, self);
  g_signal_handlers_disconnect_by_data (plm_training_run_get_worker (self->run), self);
  g_clear_handle_id (&self->clock_source, g_source_remove);
  g_clear_object (&self->run);
}

/* Object */

static void
plm_training_run_page_dispose (GObject *object)
{
  PlmTrainingRunPage *self = PLM_TRAINING_RUN_PAGE (object);
  GtkWidget *child;

  disconnect_run (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), PLM_TYPE_TRAINING_RUN_PAGE);
  /* the template's top-level box has no id */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (plm_training_run_page_parent_class)->dispose (object);
}

static void
plm_training_run_page_class_init (PlmTrainingRunPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = plm_training_run_page_dispose;

  g_type_ensure (PLM_TYPE_LOSS_PLOT);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/plmlens/PlmLens/ui/plm-training-run-page.ui");
  gtk_widget_class_bind_template_child (widget_class, PlmTrainingRunPage, state_label);
  gtk_widget_class_bind_template_child (widget_class, PlmTrainingRunPage, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, PlmTrainingRunPage, time_label);
  gtk_widget_class_bind_template_child (widget_class, PlmTrainingRunPage, pause_button);
  gtk_widget_class_bind_template_child (widget_class, PlmTrainingRunPage, resume_button);
  gtk_widget_class_bind_template_child (widget_class, PlmTrainingRunPage, loss_plot);
  gtk_widget_class_bind_template_child (widget_class, PlmTrainingRunPage, metric_plot);
}

static void
plm_training_run_page_init (PlmTrainingRunPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_progress_bar_set_text (self->progress_bar, "");

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
}

GtkWidget *
plm_training_run_page_new (void)
{
  return g_object_new (PLM_TYPE_TRAINING_RUN_PAGE, NULL);
}

void
plm_training_run_page_set_run (PlmTrainingRunPage *self,
                               PlmTrainingRun     *run)
{
  PlmTrainingWorker *worker;
  GArray *history;
  int epochs;

  g_return_if_fail (PLM_IS_TRAINING_RUN_PAGE (self));
  g_return_if_fail (run == NULL || PLM_IS_TRAINING_RUN (run));

  if (run == NULL || (worker = plm_training_run_get_worker (run)) == NULL)
    return;
  if (run != self->run)
    {
      disconnect_run (self);
      self->run = g_object_ref (run);
      g_signal_connect (worker, "epoch", G_CALLBACK (on_epoch), self);
      g_signal_connect_swapped (worker, "progress", G_CALLBACK (update_status), self);
      g_signal_connect_swapped (run, "notify::state", G_CALLBACK (on_state), self);
    }
  /* redrawn from the history, also when the same run is resumed */
  history = plm_training_worker_get_history (worker);
  epochs = plm_training_run_get_settings (run)->config.epochs;
  plm_loss_plot_clear_points (self->loss_plot);
  plm_loss_plot_clear_points (self->metric_plot);
  plm_loss_plot_set_x_max (self->loss_plot, epochs);
  plm_loss_plot_set_x_max (self->metric_plot, epochs);
  for (guint i = 0; i < history->len; i++)
    plot_epoch (self, &g_array_index (history, PlmNmEpochReport, i));
  on_state (self);
}

PlmTrainingRun *
plm_training_run_page_get_run (PlmTrainingRunPage *self)
{
  g_return_val_if_fail (PLM_IS_TRAINING_RUN_PAGE (self), NULL);
  return self->run;
}

void
plm_training_run_page_set_resumable (PlmTrainingRunPage *self,
                                     gboolean            resumable)
{
  g_return_if_fail (PLM_IS_TRAINING_RUN_PAGE (self));
  /* one Resume at a time: Pause (Resume while paused) for a live run, Resume for a cancelled one */
  gtk_widget_set_visible (GTK_WIDGET (self->pause_button), !resumable);
  gtk_widget_set_visible (GTK_WIDGET (self->resume_button), resumable);
}

void
plm_training_run_page_set_state_text (PlmTrainingRunPage *self,
                                      const char         *text)
{
  g_return_if_fail (PLM_IS_TRAINING_RUN_PAGE (self));
  gtk_label_set_text (self->state_label, text);
}

GtkWidget *
plm_training_run_page_get_loss_plot (PlmTrainingRunPage *self)
{
  g_return_val_if_fail (PLM_IS_TRAINING_RUN_PAGE (self), NULL);
  return GTK_WIDGET (self->loss_plot);
}

GtkWidget *
plm_training_run_page_get_metric_plot (PlmTrainingRunPage *self)
{
  g_return_val_if_fail (PLM_IS_TRAINING_RUN_PAGE (self), NULL);
  return GTK_WIDGET (self->metric_plot);
}
