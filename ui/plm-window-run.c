/* plm-window-run.c: running the model from the main window: the run, its progress and
 * cancellation, and the results page every view is handed. */
#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "plm-application.h"
#include "plm-error.h"
#include "plm-esm.h"
#include "plm-tokenizer.h"
#include "plm-weak-ref.h"
#include "plm-window-private.h"

/* Results */

/* A thumbnail clicked in the overview opens in the attention view. */
void
plm_window_open_map (PlmWindow       *self,
             int              layer,
             int              head,
             PlmOverviewView *overview)
{
  plm_attention_view_show (self->attention_view, layer, head);
  adw_view_stack_set_visible_child_name (self->views_stack, "attention");
  gtk_widget_grab_focus (plm_attention_view_get_heatmap (self->attention_view));
}

static void
show_result (PlmWindow          *self,
             PlmInferenceResult *r)
{
  g_autofree char *summary = NULL;
  double mean_logp = 0.0;

  if (self->result != r)
    {
      g_clear_pointer (&self->result, plm_inference_result_unref);
      self->result = plm_inference_result_ref (r);
    }
  self->result_time = g_get_monotonic_time ();
  plm_selection_set_residue (self->residue_selection, -1);
  plm_attention_view_set_result (self->attention_view, r);
  plm_overview_view_set_result (self->overview_view, r);
  plm_contacts_view_set_result (self->contacts_view, r);
  {
    PlmSequence *seq = plm_window_get_selected (self);

    plm_ha_view_set_protein_id (self->ha_view, seq && g_str_equal (plm_sequence_get_residues (seq), r->sequence)
                                               ? plm_sequence_get_id (seq) : NULL);
  }
  plm_ha_view_set_result (self->ha_view, r);
  plm_mutations_view_set_result (self->mutations_view, r);
  plm_structure_view_set_result (self->structure_view, r);

  /* Mean log-probability the model gives the residues actually present. */
  if (r->logits)
    {
      int n_tokens = 0;
      g_autofree int32_t *tokens = plm_tokenize (r->sequence, &n_tokens);

      if (n_tokens == r->n_tokens)
        mean_logp = plm_esm_mean_log_probability (r->logits, r->vocab_size, tokens, n_tokens);
    }
  if (plm_inference_result_is_windowed (r))
    {
      const PlmWindowPlan *plan = plm_inference_result_get_plan (r);

      /* Translators: a long protein run in overlapping windows of the model's length */
      summary = g_strdup_printf (_("%d residues in %d windows of %d · %d layers × %d heads · %.2f s · mean log-probability %.3f"),
                                 r->n_residues, plan->n_windows, plan->size, r->n_layers, r->n_heads, r->seconds,
                                 mean_logp);
    }
  else
    summary = g_strdup_printf (_("%d residues · %d layers × %d heads · %.2f s · mean log-probability %.3f"),
                               r->n_residues, r->n_layers, r->n_heads, r->seconds, mean_logp);
  gtk_label_set_text (self->summary_label, summary);
  adw_view_stack_set_visible_child_name (self->main_stack, "results");
  plm_window_update_long_banner (self);
  plm_window_update_actions (self);
}

/* A record longer than the model was trained on has a banner over its page (ready, running,
 * results, error), whatever the sidebar shows. */
void
plm_window_update_long_banner (PlmWindow *self)
{
  PlmSequence *seq = plm_window_get_selected (self);
  const char *page = plm_window_get_page (self);
  gboolean show = seq != NULL && plm_window_is_too_long_for_model (self, seq) && page != NULL &&
                  !g_str_equal (page, "welcome");

  if (show)
    {
      g_autofree char *text = NULL;
      PlmInferenceResult *r = self->result;

      if (g_str_equal (page, "results") && r != NULL && plm_inference_result_is_windowed (r) &&
          g_str_equal (r->sequence, plm_sequence_get_residues (seq)))
        /* Translators: the banner over the results of a long protein run in windows */
        text = g_strdup_printf (_("%s has %d residues and ran in %d overlapping windows of %d: values come from one window each, pairs that share no window are grey."),
                                plm_sequence_get_id (seq), plm_sequence_get_length (seq),
                                plm_inference_result_get_plan (r)->n_windows, plm_inference_result_get_plan (r)->size);
      else
        text = g_strdup_printf (_("%s has %d residues. ESM-2 was trained on at most %d; results for longer sequences are less reliable and need much more memory."),
                                plm_sequence_get_id (seq), plm_sequence_get_length (seq), PLM_SEQUENCE_TRAINED_MAX);
      gtk_label_set_text (self->long_banner_label, text);
    }
  gtk_revealer_set_reveal_child (self->long_banner, show);
}

void
plm_window_show_current (PlmWindow *self)
{
  PlmSequence *seq = plm_window_get_selected (self);
  g_autoptr(PlmInferenceResult) cached = NULL;

  plm_window_update_long_banner (self);

  if (self->run_cancellable != NULL)
    return;  /* the running page stays until the run ends */

  if (plm_inference_worker_get_model (self->worker) == NULL)
    {
      if (!self->loading_model)
        adw_view_stack_set_visible_child_name (self->main_stack, "welcome");
      return;
    }
  if (seq == NULL)
    {
      adw_status_page_set_title (self->ready_page, _("No Sequence"));
      adw_status_page_set_description (self->ready_page, _("Open a FASTA file, paste a sequence or drop a file here."));
      adw_view_stack_set_visible_child_name (self->main_stack, "ready");
      return;
    }

  cached = plm_inference_worker_lookup (self->worker, plm_sequence_get_residues (seq));
  if (cached != NULL)
    {
      show_result (self, cached);
      return;
    }

  {
    g_autofree char *description = NULL;
    const PlmModel *model = plm_inference_worker_get_model (self->worker);

    if (!plm_sequence_is_valid (seq))
      description = g_strdup (_("The sequence contains characters that are not amino acids (marked in the sidebar). Correct them to run the model."));
    else
      description = g_strdup_printf (_("Run %s on %s (%d residues)."), model->name,
                                     plm_sequence_get_id (seq), plm_sequence_get_length (seq));
    adw_status_page_set_title (self->ready_page, _("Ready to Run"));
    adw_status_page_set_description (self->ready_page, description);
    adw_view_stack_set_visible_child_name (self->main_stack, "ready");
  }
}

/* Running */

static void
set_running_ui (PlmWindow *self,
                gboolean   running)
{
  gtk_widget_set_visible (GTK_WIDGET (self->progress_box), running);
  gtk_widget_set_visible (GTK_WIDGET (self->cancel_button), running);
  gtk_widget_set_visible (GTK_WIDGET (self->run_button), !running);
  gtk_spinner_set_spinning (self->running_spinner, running);
  if (running)
    {
      gtk_label_set_text (self->progress_label, _("Starting…"));
      gtk_progress_bar_set_fraction (self->progress_bar, 0.0);
      self->progress_shown = 0;
    }
}

/* A run's progress goes to the bar only while it is the window's current run, and never
 * backwards: a replaced run's last hand-off may still be queued when the next one starts. */
void
plm_window_run_progress (PlmWindow    *self,
                         GCancellable *run,
                         int           done,
                         int           total)
{
  g_autofree char *text = NULL;

  if (run == NULL || run != self->run_cancellable || g_cancellable_is_cancelled (run) || total <= 0 ||
      done <= self->progress_shown)
    return;
  self->progress_shown = done;
  self->progress_updates++;
  /* Translators: progress of the forward pass, e.g. "Layer 3 of 33" */
  text = g_strdup_printf (_("Layer %d of %d"), done, total);
  gtk_label_set_text (self->progress_label, text);
  gtk_progress_bar_set_fraction (self->progress_bar, (double) done / total);
}

static void
on_progress (int      done,
             int      total,
             gpointer user_data)
{
  GCancellable *run = user_data;   /* the run's, held by its task while it can report */
  PlmWindow *self = g_object_get_data (G_OBJECT (run), "plm-window");   /* alive: dispose cancels */

  if (self != NULL)
    plm_window_run_progress (self, run, done, total);
}

static void
on_run_finished (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(PlmInferenceResult) r = NULL;
  g_autoptr(GError) error = NULL;
  GCancellable *cancellable = g_task_get_cancellable (G_TASK (result));
  g_autoptr(PlmWindow) self = NULL;

  r = plm_inference_worker_run_finish (PLM_INFERENCE_WORKER (object), result, &error);
  self = plm_weak_ref_take (user_data);

  /* The window was closed, or a newer run replaced this one: its cancellable is no longer ours. */
  if (self == NULL || cancellable != self->run_cancellable)
    return;
  g_clear_object (&self->run_cancellable);
  set_running_ui (self, FALSE);
  plm_window_update_actions (self);

  if (r == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
          g_error_matches (error, PLM_ERROR, PLM_ERROR_CANCELLED))
        {
          plm_window_show_toast (self, _("Cancelled"));
          plm_window_show_current (self);
          return;
        }
      adw_status_page_set_title (self->error_page, _("The Model Could Not Run"));
      adw_status_page_set_description (self->error_page, error->message);
      adw_view_stack_set_visible_child_name (self->main_stack, "error");
      return;
    }

  {
    PlmSequence *seq = plm_window_get_selected (self);

    if (seq != NULL && g_strcmp0 (plm_sequence_get_residues (seq), r->sequence) == 0)
      show_result (self, r);
    else
      plm_window_show_current (self);
  }
}

static void
run_confirmed (PlmWindow *self,
               gboolean   windowed)
{
  PlmSequence *seq = plm_window_get_selected (self);

  plm_window_cancel (self);
  self->run_cancellable = g_cancellable_new ();
  g_object_set_data (G_OBJECT (self->run_cancellable), "plm-window", self);
  set_running_ui (self, TRUE);
  {
    g_autofree char *title = g_strdup_printf (_("Running %s…"), plm_sequence_get_id (seq));
    adw_status_page_set_title (self->running_page, title);
  }
  adw_view_stack_set_visible_child_name (self->main_stack, "running");
  plm_window_update_actions (self);
  /* progress of this run only: a cancelled run's or the Pair view's never shows here */
  (windowed ? plm_inference_worker_run_windowed_async : plm_inference_worker_run_async)
    (self->worker, plm_sequence_get_residues (seq), on_progress, self->run_cancellable,
     self->run_cancellable, on_run_finished, plm_weak_ref_new (self));
}

static void
on_long_response (AdwMessageDialog *dialog,
                  const char       *response,
                  PlmWindow        *self)
{
  if (g_strcmp0 (response, "run") == 0)
    run_confirmed (self, FALSE);
  else if (g_strcmp0 (response, "windowed") == 0)
    run_confirmed (self, TRUE);
}

void
plm_window_run (PlmWindow *self)
{
  PlmSequence *seq;
  g_autoptr(PlmInferenceResult) cached = NULL;

  g_return_if_fail (PLM_IS_WINDOW (self));

  seq = plm_window_get_selected (self);
  if (seq == NULL || plm_inference_worker_get_model (self->worker) == NULL || !plm_sequence_is_valid (seq))
    return;

  /* Switching back to a sequence that already ran costs nothing. */
  cached = plm_inference_worker_lookup (self->worker, plm_sequence_get_residues (seq));
  if (cached != NULL)
    {
      show_result (self, cached);
      return;
    }

  if (plm_window_is_too_long_for_model (self, seq))
    {
      const PlmModel *model = plm_inference_worker_get_model (self->worker);
      int max_residues = plm_esm_config_max_residues (&model->config);
      /* ESM-1b/1v's learned positions end there: windows are the only way to run it */
      gboolean must_window = plm_esm_config_max_tokens (&model->config) > 0;
      g_autofree char *body = NULL;
      AdwMessageDialog *dialog;

      if (must_window)
        body = g_strdup_printf (_("%s has %d residues, but %s can read at most %d. It can run in overlapping windows of %d residues; pairs that share no window are left out."),
                                plm_sequence_get_id (seq), plm_sequence_get_length (seq), model->name, max_residues,
                                max_residues);
      else
        body = g_strdup_printf (_("%s has %d residues, but ESM-2 was trained on sequences of at most %d. Run it in overlapping windows of %d residues (pairs that share no window are left out), or whole: attention and contacts beyond that length are then extrapolated and the run needs much more time and memory."),
                                plm_sequence_get_id (seq), plm_sequence_get_length (seq), PLM_SEQUENCE_TRAINED_MAX,
                                max_residues);
      dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self), _("Run on a Long Sequence?"), body));
      adw_message_dialog_add_response (dialog, "cancel", _("_Cancel"));
      if (!must_window)
        {
          adw_message_dialog_add_response (dialog, "run", _("_Run Anyway"));
          adw_message_dialog_set_response_appearance (dialog, "run", ADW_RESPONSE_DESTRUCTIVE);
        }
      adw_message_dialog_add_response (dialog, "windowed", _("Run in _Windows"));
      adw_message_dialog_set_response_appearance (dialog, "windowed", ADW_RESPONSE_SUGGESTED);
      adw_message_dialog_set_default_response (dialog, "cancel");
      adw_message_dialog_set_close_response (dialog, "cancel");
      g_signal_connect_object (dialog, "response", G_CALLBACK (on_long_response), self, 0);
      gtk_window_present (GTK_WINDOW (dialog));
      return;
    }

  run_confirmed (self, FALSE);
}

void
plm_window_run_windowed (PlmWindow *self)
{
  PlmSequence *seq;

  g_return_if_fail (PLM_IS_WINDOW (self));
  seq = plm_window_get_selected (self);
  if (seq == NULL || plm_inference_worker_get_model (self->worker) == NULL || !plm_sequence_is_valid (seq))
    return;
  run_confirmed (self, TRUE);
}

gboolean
plm_window_is_too_long_for_model (PlmWindow   *self,
                                  PlmSequence *seq)
{
  const PlmModel *model = plm_inference_worker_get_model (self->worker);

  return plm_sequence_is_too_long (seq) ||
         (model != NULL && plm_sequence_get_length (seq) > plm_esm_config_max_residues (&model->config));
}

guint
plm_window_get_progress_updates (PlmWindow *self)
{
  g_return_val_if_fail (PLM_IS_WINDOW (self), 0);
  return self->progress_updates;
}

GCancellable *
plm_window_get_run (PlmWindow *self)
{
  g_return_val_if_fail (PLM_IS_WINDOW (self), NULL);
  return self->run_cancellable;
}

const char *
plm_window_get_progress_text (PlmWindow *self)
{
  g_return_val_if_fail (PLM_IS_WINDOW (self), NULL);
  return gtk_label_get_text (self->progress_label);
}

void
plm_window_cancel (PlmWindow *self)
{
  g_return_if_fail (PLM_IS_WINDOW (self));

  if (self->run_cancellable == NULL)
    return;
  g_cancellable_cancel (self->run_cancellable);
  /* The UI goes idle now; the worker thread stops at the next layer. */
  g_clear_object (&self->run_cancellable);
  set_running_ui (self, FALSE);
  plm_window_update_actions (self);
  plm_window_show_current (self);
}
