/* plm-window.c: the main window's state: sequences, the current model and what is shown. */
#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "plm-application.h"
#include "plm-error.h"
#include "plm-esm.h"
#include "plm-tokenizer.h"
#include "plm-weak-ref.h"
#include "plm-window-private.h"

G_DEFINE_FINAL_TYPE (PlmWindow, plm_window, ADW_TYPE_APPLICATION_WINDOW)

#define MAX_RECENT 8

static void plm_window_show_current (PlmWindow *self);

static PlmSequence *
get_selected (PlmWindow *self)
{
  return gtk_single_selection_get_selected_item (self->selection);
}

static void
show_toast (PlmWindow  *self,
            const char *message)
{
  AdwToast *toast = adw_toast_new (message);

  adw_toast_set_timeout (toast, 6);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

/* "31 MB", "2.6 GB": a precise byte count is noise on a button. */
static char *
format_size (gint64 bytes)
{
  if (bytes >= 1000000000)
    return g_strdup_printf (_("%.1f GB"), bytes / 1e9);
  if (bytes < 1000000)
    return g_format_size (bytes);
  return g_strdup_printf (_("%.0f MB"), bytes / 1e6);
}

/* Sequence list */

static void
sequence_setup (GtkSignalListItemFactory *factory,
                GtkListItem              *item,
                gpointer                  user_data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *title = gtk_label_new (NULL);
  GtkWidget *subtitle = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_ellipsize (GTK_LABEL (title), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (title, "heading");
  gtk_label_set_xalign (GTK_LABEL (subtitle), 0);
  gtk_label_set_ellipsize (GTK_LABEL (subtitle), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (subtitle, "dim-label");
  gtk_widget_add_css_class (subtitle, "caption");
  gtk_box_append (GTK_BOX (box), title);
  gtk_box_append (GTK_BOX (box), subtitle);
  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_list_item_set_child (item, box);
}

static void
sequence_bind (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               gpointer                  user_data)
{
  PlmSequence *seq = gtk_list_item_get_item (item);
  GtkWidget *box = gtk_list_item_get_child (item);
  GtkWidget *title = gtk_widget_get_first_child (box);
  GtkWidget *subtitle = gtk_widget_get_next_sibling (title);
  g_autofree char *sub = NULL;
  int n = plm_sequence_get_length (seq);
  const char *desc = plm_sequence_get_description (seq);

  gtk_label_set_text (GTK_LABEL (title), plm_sequence_get_id (seq));
  if (desc[0])
    /* Translators: residue count, then the FASTA description */
    sub = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d residue · %s", "%d residues · %s", n), n, desc);
  else
    sub = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d residue", "%d residues", n), n);
  gtk_label_set_text (GTK_LABEL (subtitle), sub);
  gtk_widget_set_tooltip_text (box, plm_sequence_get_header (seq));
  if (!plm_sequence_is_valid (seq))
    gtk_widget_add_css_class (title, "error");
  else
    gtk_widget_remove_css_class (title, "error");
}

static gboolean
sequence_filter (gpointer item,
                 gpointer user_data)
{
  PlmWindow *self = user_data;
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  g_autofree char *needle = NULL;
  g_autofree char *haystack = NULL;

  if (text == NULL || text[0] == '\0')
    return TRUE;
  needle = g_utf8_casefold (text, -1);
  haystack = g_utf8_casefold (plm_sequence_get_header (item), -1);
  return strstr (haystack, needle) != NULL;
}

static void
on_search_changed (PlmWindow      *self,
                   GtkSearchEntry *entry)
{
  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
  gtk_stack_set_visible_child_name (self->sidebar_stack,
                                    g_list_model_get_n_items (G_LIST_MODEL (self->filtered)) > 0 ? "list" : "empty");
}

/* Sequence details: normalisation note, invalid characters, length warning. */
static void
update_details (PlmWindow *self)
{
  PlmSequence *seq = get_selected (self);
  guint n_invalid = 0;
  const int *invalid;

  if (seq == NULL)
    {
      gtk_widget_set_visible (GTK_WIDGET (self->note_label), FALSE);
      gtk_widget_set_visible (GTK_WIDGET (self->invalid_label), FALSE);
      gtk_widget_set_visible (GTK_WIDGET (self->long_label), FALSE);
      return;
    }

  gtk_label_set_text (self->note_label, plm_sequence_get_note (seq));
  gtk_widget_set_visible (GTK_WIDGET (self->note_label), plm_sequence_get_note (seq) != NULL);

  invalid = plm_sequence_get_invalid (seq, &n_invalid);
  if (n_invalid > 0)
    {
      g_autoptr(GString) markup = g_string_new (NULL);
      g_autofree char *residues = plm_sequence_dup_markup (seq, 2000);
      const char *res = plm_sequence_get_residues (seq);

      g_string_append_printf (markup, "<b>%s</b> ",
                              g_dngettext (GETTEXT_PACKAGE, "Not an amino acid:", "Not amino acids:", n_invalid));
      for (guint i = 0; i < MIN (n_invalid, 10u); i++)
        {
          char c[2] = { res[invalid[i]], 0 };
          g_autofree char *escaped = g_markup_escape_text (c, -1);
          /* Translators: a 1-based position and the character found there, e.g. 12 “J” */
          g_autofree char *item = g_strdup_printf (_("%d “%s”"), invalid[i] + 1, escaped);

          g_string_append_printf (markup, "%s%s", i ? ", " : "", item);
        }
      if (n_invalid > 10)
        g_string_append (markup, ", …");
      g_string_append_printf (markup, "\n<tt>%s</tt>", residues);
      gtk_label_set_markup (self->invalid_label, markup->str);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->invalid_label), n_invalid > 0);

  if (plm_sequence_is_too_long (seq))
    {
      g_autofree char *text =
        g_strdup_printf (_("This sequence has %d residues. ESM-2 was trained on at most %d; results for longer sequences are less reliable and need much more memory."),
                         plm_sequence_get_length (seq), PLM_SEQUENCE_TRAINED_MAX);
      gtk_label_set_text (self->long_label, text);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->long_label), plm_sequence_is_too_long (seq));
}

static void
on_selection_changed (PlmWindow *self)
{
  PlmSequence *seq = get_selected (self);

  adw_window_title_set_subtitle (self->window_title, seq ? plm_sequence_get_id (seq) : NULL);
  update_details (self);
  plm_window_show_current (self);
  plm_window_update_actions (self);
}

/* Model */

static void
update_model_label (PlmWindow *self)
{
  const PlmModel *model = plm_inference_worker_get_model (self->worker);
  g_autofree char *details = NULL;
  g_autofree char *size = NULL;
  const char *dtype;

  if (self->loading_model)
    {
      gtk_label_set_text (self->model_label, _("Loading…"));
      return;
    }
  if (model == NULL)
    {
      gtk_label_set_text (self->model_label, _("No Model"));
      gtk_label_set_text (self->model_details, _("No model is loaded."));
      return;
    }

  gtk_label_set_text (self->model_label, model->name);
  switch (model->dtype)
    {
    case PLM_DTYPE_F16: dtype = "F16"; break;
    case PLM_DTYPE_BF16: dtype = "BF16"; break;
    default: dtype = "F32"; break;
    }
  size = g_format_size (model->file_size);
  {
    /* Paths may contain markup characters. */
    g_autofree char *name = g_markup_escape_text (model->name, -1);
    g_autofree char *path = g_markup_escape_text (model->path, -1);
    g_autofree char *params = g_strdup_printf ("%'" G_GINT64_FORMAT, model->n_params);

    details = g_strdup_printf (_("<b>%s</b>\n%s\n\nLayers: %d\nAttention heads: %d\nWidth: %d\nParameters: %s\nWeights: %s, %s\nContact head: %s"),
                               name, path,
                               model->config.n_layers, model->config.n_heads, model->config.d_model,
                               params, dtype, size,
                               model->has_contact_head ? _("yes") : _("no"));
  }
  gtk_label_set_markup (self->model_details, details);
}

static void
on_model_loaded (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GCancellable *cancellable = g_task_get_cancellable (G_TASK (result));
  g_autoptr(GError) error = NULL;
  gboolean ok = plm_inference_worker_load_model_finish (PLM_INFERENCE_WORKER (object), result, &error);
  g_autoptr(PlmWindow) self = plm_weak_ref_take (user_data);

  /* the window was closed, or a newer load replaced this one */
  if (self == NULL || g_cancellable_is_cancelled (cancellable) || cancellable != self->load_cancellable)
    return;
  g_clear_object (&self->load_cancellable);
  self->loading_model = FALSE;
  if (!ok)
    {
      g_autofree char *message = g_strdup_printf (_("Could not load the model: %s"), error->message);

      self->run_after_load = FALSE;
      update_model_label (self);
      adw_status_page_set_title (self->error_page, _("Could Not Load the Model"));
      adw_status_page_set_description (self->error_page, error->message);
      adw_view_stack_set_visible_child_name (self->main_stack, "error");
      show_toast (self, message);
      plm_window_update_actions (self);
      return;
    }

  g_settings_set_string (self->settings, "last-model", plm_inference_worker_get_model_path (self->worker));
  update_model_label (self);
  plm_window_update_actions (self);
  /* With files still loading (command line), the run starts when the records arrive. */
  if (self->run_after_load && get_selected (self) != NULL)
    {
      self->run_after_load = FALSE;
      plm_window_run (self);
    }
  else
    plm_window_show_current (self);
}

void
plm_window_load_model (PlmWindow  *self,
                       const char *path,
                       gboolean    run_after)
{
  g_return_if_fail (PLM_IS_WINDOW (self));
  g_return_if_fail (path != NULL);

  plm_window_cancel (self);
  if (self->load_cancellable != NULL)
    g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);
  self->load_cancellable = g_cancellable_new ();
  self->loading_model = TRUE;
  self->run_after_load = run_after;
  update_model_label (self);
  plm_window_update_actions (self);
  plm_inference_worker_load_model_async (self->worker, path, self->load_cancellable, on_model_loaded,
                                         plm_weak_ref_new (self));
}

static void
on_worker_model_changed (PlmWindow *self)
{
  update_model_label (self);
  plm_window_show_current (self);
  plm_window_update_actions (self);
}

/* Results */

/* A thumbnail clicked in the overview opens in the attention view. */
static void
on_open_map (PlmWindow       *self,
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
    PlmSequence *seq = get_selected (self);

    plm_ha_view_set_protein_id (self->ha_view, seq && g_str_equal (plm_sequence_get_residues (seq), r->sequence)
                                               ? plm_sequence_get_id (seq) : NULL);
  }
  plm_ha_view_set_result (self->ha_view, r);

  /* Mean log-probability the model gives the residues actually present. */
  if (r->logits)
    {
      int n_tokens = 0;
      g_autofree int32_t *tokens = plm_tokenize (r->sequence, &n_tokens);

      if (n_tokens == r->n_tokens)
        mean_logp = plm_esm_mean_log_probability (r->logits, r->vocab_size, tokens, n_tokens);
    }
  summary = g_strdup_printf (_("%d residues · %d layers × %d heads · %.2f s · mean log-probability %.3f"),
                             r->n_residues, r->n_layers, r->n_heads, r->seconds, mean_logp);
  gtk_label_set_text (self->summary_label, summary);
  adw_view_stack_set_visible_child_name (self->main_stack, "results");
  plm_window_update_actions (self);
}

static void
plm_window_show_current (PlmWindow *self)
{
  PlmSequence *seq = get_selected (self);
  g_autoptr(PlmInferenceResult) cached = NULL;

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
    }
}

static void
on_progress (int      done,
             int      total,
             gpointer user_data)
{
  PlmWindow *self = user_data;   /* alive: the run's cancellable fires in dispose */
  g_autofree char *text = NULL;

  if (self->run_cancellable == NULL || total <= 0)
    return;
  self->progress_updates++;
  /* Translators: progress of the forward pass, e.g. "Layer 3 of 33" */
  text = g_strdup_printf (_("Layer %d of %d"), done, total);
  gtk_label_set_text (self->progress_label, text);
  gtk_progress_bar_set_fraction (self->progress_bar, (double) done / total);
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
          show_toast (self, _("Cancelled"));
          plm_window_show_current (self);
          return;
        }
      adw_status_page_set_title (self->error_page, _("The Model Could Not Run"));
      adw_status_page_set_description (self->error_page, error->message);
      adw_view_stack_set_visible_child_name (self->main_stack, "error");
      return;
    }

  {
    PlmSequence *seq = get_selected (self);

    if (seq != NULL && g_strcmp0 (plm_sequence_get_residues (seq), r->sequence) == 0)
      show_result (self, r);
    else
      plm_window_show_current (self);
  }
}

static void
run_confirmed (PlmWindow *self)
{
  PlmSequence *seq = get_selected (self);

  plm_window_cancel (self);
  self->run_cancellable = g_cancellable_new ();
  set_running_ui (self, TRUE);
  {
    g_autofree char *title = g_strdup_printf (_("Running %s…"), plm_sequence_get_id (seq));
    adw_status_page_set_title (self->running_page, title);
  }
  adw_view_stack_set_visible_child_name (self->main_stack, "running");
  plm_window_update_actions (self);
  /* progress of this run only: a cancelled run's or the Pair view's never shows here */
  plm_inference_worker_run_async (self->worker, plm_sequence_get_residues (seq), on_progress, self,
                                  self->run_cancellable, on_run_finished, plm_weak_ref_new (self));
}

static void
on_long_response (AdwMessageDialog *dialog,
                  const char       *response,
                  PlmWindow        *self)
{
  if (g_strcmp0 (response, "run") == 0)
    run_confirmed (self);
}

void
plm_window_run (PlmWindow *self)
{
  PlmSequence *seq;
  g_autoptr(PlmInferenceResult) cached = NULL;

  g_return_if_fail (PLM_IS_WINDOW (self));

  seq = get_selected (self);
  if (seq == NULL || plm_inference_worker_get_model (self->worker) == NULL || !plm_sequence_is_valid (seq))
    return;

  /* Switching back to a sequence that already ran costs nothing. */
  cached = plm_inference_worker_lookup (self->worker, plm_sequence_get_residues (seq));
  if (cached != NULL)
    {
      show_result (self, cached);
      return;
    }

  if (plm_sequence_is_too_long (seq))
    {
      g_autofree char *body =
        g_strdup_printf (_("%s has %d residues, but ESM-2 was trained on sequences of at most %d. Attention and contacts beyond that length are extrapolated and the run needs much more time and memory."),
                         plm_sequence_get_id (seq), plm_sequence_get_length (seq), PLM_SEQUENCE_TRAINED_MAX);
      AdwMessageDialog *dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self),
                                                                           _("Run on a Long Sequence?"), body));

      adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "run", _("_Run Anyway"), NULL);
      adw_message_dialog_set_response_appearance (dialog, "run", ADW_RESPONSE_DESTRUCTIVE);
      adw_message_dialog_set_default_response (dialog, "cancel");
      adw_message_dialog_set_close_response (dialog, "cancel");
      g_signal_connect_object (dialog, "response", G_CALLBACK (on_long_response), self, 0);
      gtk_window_present (GTK_WINDOW (dialog));
      return;
    }

  run_confirmed (self);
}

guint
plm_window_get_progress_updates (PlmWindow *self)
{
  g_return_val_if_fail (PLM_IS_WINDOW (self), 0);
  return self->progress_updates;
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

/* Adding sequences */

static void
add_records (PlmWindow  *self,
             GListStore *records)
{
  guint first = g_list_model_get_n_items (G_LIST_MODEL (self->sequences));
  guint n = g_list_model_get_n_items (G_LIST_MODEL (records));
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < n; i++)
    g_ptr_array_add (items, g_list_model_get_item (G_LIST_MODEL (records), i));
  g_list_store_splice (self->sequences, first, 0, items->pdata, n);

  /* Select the first new record: what the user just added is what they want to see. */
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  gtk_single_selection_set_selected (self->selection, first);
  on_search_changed (self, self->search_entry);

  if (self->run_after_load && !self->loading_model && plm_inference_worker_get_model (self->worker) != NULL)
    {
      self->run_after_load = FALSE;
      plm_window_run (self);
    }
}

gboolean
plm_window_add_text (PlmWindow   *self,
                     const char  *text,
                     const char  *source,
                     GError     **error)
{
  g_autoptr(GListStore) records = NULL;

  g_return_val_if_fail (PLM_IS_WINDOW (self), FALSE);

  records = plm_sequence_parse (text, -1, source, error);
  if (records == NULL)
    return FALSE;
  add_records (self, records);
  return TRUE;
}

static void
add_recent (PlmWindow *self,
            GFile     *file)
{
  g_autofree char *path = g_file_get_path (file);
  g_auto(GStrv) old = NULL;
  g_autoptr(GStrvBuilder) builder = NULL;
  g_auto(GStrv) recent = NULL;
  guint n = 1;

  if (path == NULL)
    return;
  old = g_settings_get_strv (self->settings, "recent-files");
  builder = g_strv_builder_new ();
  g_strv_builder_add (builder, path);
  for (guint i = 0; old[i] && n < MAX_RECENT; i++)
    if (g_strcmp0 (old[i], path) != 0)
      {
        g_strv_builder_add (builder, old[i]);
        n++;
      }
  recent = g_strv_builder_end (builder);
  g_settings_set_strv (self->settings, "recent-files", (const char * const *) recent);
}

static void
on_file_loaded (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  GFile *file = G_FILE (object);
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *name = g_file_get_basename (file);
  g_autoptr(GListStore) records = NULL;
  gsize length = 0;
  gboolean loaded = g_file_load_contents_finish (file, result, &contents, &length, NULL, &error);
  g_autoptr(PlmWindow) self = plm_weak_ref_take (user_data);

  if (self == NULL || self->lifetime == NULL)   /* closed while reading */
    return;
  if (!loaded ||
      !(records = plm_sequence_parse (contents, length, name, &error)))
    {
      show_toast (self, error->message);
      return;
    }
  add_records (self, records);
  add_recent (self, file);
}

void
plm_window_open_files (PlmWindow  *self,
                       GFile     **files,
                       guint       n_files)
{
  g_return_if_fail (PLM_IS_WINDOW (self));

  for (guint i = 0; i < n_files; i++)
    g_file_load_contents_async (files[i], self->lifetime, on_file_loaded, plm_weak_ref_new (self));
}

static gboolean
on_drop (GtkDropTarget *target,
         const GValue  *value,
         double         x,
         double         y,
         PlmWindow     *self)
{
  if (G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST))
    {
      GSList *list = g_value_get_boxed (value);
      g_autoptr(GPtrArray) files = g_ptr_array_new ();

      for (GSList *l = list; l; l = l->next)
        g_ptr_array_add (files, l->data);
      plm_window_open_files (self, (GFile **) files->pdata, files->len);
      return files->len > 0;
    }
  if (G_VALUE_HOLDS_STRING (value))
    {
      g_autoptr(GError) error = NULL;

      if (!plm_window_add_text (self, g_value_get_string (value), _("Dropped text"), &error))
        {
          show_toast (self, error->message);
          return FALSE;
        }
      return TRUE;
    }
  return FALSE;
}

static void
on_color_map_changed (PlmWindow *self)
{
  PlmColorMap map = g_settings_get_enum (self->settings, "color-map");

  plm_attention_view_set_color_map (self->attention_view, map);
  plm_overview_view_set_color_map (self->overview_view, map);
  plm_contacts_view_set_color_map (self->contacts_view, map);
  plm_ha_view_set_color_map (self->ha_view, map);
  plm_pair_view_set_color_map (self->pair_view, map);
}

/* Public accessors */

GListModel *
plm_window_get_sequences (PlmWindow *self)
{
  g_return_val_if_fail (PLM_IS_WINDOW (self), NULL);
  return G_LIST_MODEL (self->sequences);
}

void
plm_window_select (PlmWindow *self,
                   guint      position)
{
  g_return_if_fail (PLM_IS_WINDOW (self));
  gtk_single_selection_set_selected (self->selection, position);
}

void
plm_window_set_search (PlmWindow  *self,
                       const char *text)
{
  g_return_if_fail (PLM_IS_WINDOW (self));
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), text);
  on_search_changed (self, self->search_entry);
}

guint
plm_window_get_n_visible (PlmWindow *self)
{
  g_return_val_if_fail (PLM_IS_WINDOW (self), 0);
  return g_list_model_get_n_items (G_LIST_MODEL (self->filtered));
}

PlmInferenceResult *
plm_window_get_result (PlmWindow *self)
{
  g_return_val_if_fail (PLM_IS_WINDOW (self), NULL);
  return self->result;
}

const char *
plm_window_get_page (PlmWindow *self)
{
  g_return_val_if_fail (PLM_IS_WINDOW (self), NULL);
  return adw_view_stack_get_visible_child_name (self->main_stack);
}

GtkWidget *
plm_window_get_heatmap (PlmWindow *self)
{
  g_return_val_if_fail (PLM_IS_WINDOW (self), NULL);
  return GTK_WIDGET (self->attention_view);
}

void
plm_window_set_view (PlmWindow  *self,
                     const char *name)
{
  g_return_if_fail (PLM_IS_WINDOW (self));
  adw_view_stack_set_visible_child_name (self->views_stack, name);
}

GtkWidget *
plm_window_get_pair_view (PlmWindow *self)
{
  g_return_val_if_fail (PLM_IS_WINDOW (self), NULL);
  return GTK_WIDGET (self->pair_view);
}

gint64
plm_window_get_result_time (PlmWindow *self)
{
  g_return_val_if_fail (PLM_IS_WINDOW (self), 0);
  return self->result_time;
}

/* Life cycle */

static gboolean
plm_window_close_request (GtkWindow *window)
{
  PlmWindow *self = PLM_WINDOW (window);
  int width, height;

  gtk_window_get_default_size (window, &width, &height);
  g_settings_set_int (self->settings, "window-width", width);
  g_settings_set_int (self->settings, "window-height", height);
  g_settings_set_boolean (self->settings, "window-maximized", gtk_window_is_maximized (window));
  plm_window_cancel (self);
  plm_window_cancel_download (self);

  return GTK_WINDOW_CLASS (plm_window_parent_class)->close_request (window);
}

static void
update_download_button (PlmWindow *self)
{
  const PlmCatalogueEntry *entry = self->catalogue && self->catalogue->n_entries ? &self->catalogue->entries[0] : NULL;
  g_autofree char *label = NULL;
  g_autofree char *size = NULL;

  gtk_widget_set_visible (GTK_WIDGET (self->download_button), entry != NULL);
  if (entry == NULL)
    return;
  size = format_size (plm_catalogue_entry_size (entry) > 0 ? plm_catalogue_entry_size (entry) : entry->approximate_size);
  /* Translators: model name and download size, e.g. "Download ESM-2 8M (31 MB)" */
  label = g_strdup_printf (_("_Download %s (%s)"), entry->name, size);
  gtk_button_set_label (self->download_button, label);
  gtk_button_set_use_underline (self->download_button, TRUE);
}

/* "application" is not a construct property, so it is only known after constructed (). */
static void
on_head_added (PlmWindow  *self,
               const char *path)
{
  g_autoptr(GError) error = NULL;

  /* MLP-baseline heads have no cross-attention to show: the Pair view keeps its current head */
  if (!plm_pair_view_load_head (self->pair_view, path, &error))
    g_debug ("not offered to the Pair view: %s", error->message);
}

static void
plm_window_setup (PlmWindow *self)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));

  if (PLM_IS_APPLICATION (app))
    {
      self->worker = g_object_ref (plm_application_get_worker (PLM_APPLICATION (app)));
      self->model_store = g_object_ref (plm_application_get_model_store (PLM_APPLICATION (app)));
      self->catalogue = plm_application_get_catalogue (PLM_APPLICATION (app));
    }
  else
    {
      self->worker = plm_inference_worker_new ();
      self->model_store = plm_model_store_new (NULL);
    }

  if (PLM_IS_APPLICATION (app))
    {
      /* heads trained or loaded in the fine-tuning window go to the Pair view at once */
      GListModel *heads = plm_application_get_heads (PLM_APPLICATION (app));
      guint n = g_list_model_get_n_items (heads);
      g_signal_connect_object (app, "head-added", G_CALLBACK (on_head_added), self, G_CONNECT_SWAPPED);
      if (n > 0)
        {
          g_autoptr(GtkStringObject) last = g_list_model_get_item (heads, n - 1);
          on_head_added (self, gtk_string_object_get_string (last));
        }
    }

  plm_pair_view_set_worker (self->pair_view, self->worker);
  g_signal_connect_object (self->worker, "notify::model-path", G_CALLBACK (on_worker_model_changed),
                           self, G_CONNECT_SWAPPED);

  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));

  update_download_button (self);
  update_model_label (self);
  plm_window_update_recent (self);
  plm_window_update_actions (self);
  plm_window_show_current (self);
}

static void
plm_window_dispose (GObject *object)
{
  PlmWindow *self = (PlmWindow *) object;

  if (self->run_cancellable)
    g_cancellable_cancel (self->run_cancellable);
  if (self->download_cancellable)
    g_cancellable_cancel (self->download_cancellable);
  if (self->load_cancellable)
    g_cancellable_cancel (self->load_cancellable);
  if (self->lifetime)
    g_cancellable_cancel (self->lifetime);
  g_clear_object (&self->run_cancellable);
  g_clear_object (&self->download_cancellable);
  g_clear_object (&self->load_cancellable);
  g_clear_object (&self->lifetime);
  g_clear_pointer (&self->result, plm_inference_result_unref);
  g_clear_object (&self->selection);
  g_clear_object (&self->residue_selection);
  g_clear_object (&self->sequences);
  g_clear_object (&self->worker);
  g_clear_object (&self->model_store);
  g_clear_object (&self->settings);

  gtk_widget_dispose_template (GTK_WIDGET (self), PLM_TYPE_WINDOW);

  G_OBJECT_CLASS (plm_window_parent_class)->dispose (object);
}

static void
plm_window_class_init (PlmWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = plm_window_dispose;
  window_class->close_request = plm_window_close_request;

  g_type_ensure (PLM_TYPE_ATTENTION_VIEW);
  g_type_ensure (PLM_TYPE_OVERVIEW_VIEW);
  g_type_ensure (PLM_TYPE_CONTACTS_VIEW);
  g_type_ensure (PLM_TYPE_HA_VIEW);
  g_type_ensure (PLM_TYPE_PAIR_VIEW);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/plmlens/PlmLens/ui/plm-window.ui");
  gtk_widget_class_bind_template_child (widget_class, PlmWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, PlmWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, PlmWindow, model_label);
  gtk_widget_class_bind_template_child (widget_class, PlmWindow, model_details);
  gtk_widget_class_bind_template_child (widget_class, PlmWindow, run_button);
  gtk_widget_class_bind_template_child (widget_class, PlmWindow, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, PlmWindow, progress_box);
  gtk_widget_class_bind_template_child (widget_class, PlmWindow, progress_label);
  gtk_widget_class_bind_template_child (widget_class, PlmWindow, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, PlmWindow, search_entry);
  gtk_widget_class_bind_template_child (widget_class, PlmWindow, sidebar_stack);
  gtk_widget_class_bind_template_child (widget_class, PlmWindow, sequence_list);
  gtk_widget_class_bind_template_child (widget_class, PlmWindow, sequence_factory);
  gtk_widget_class_bind_template_child (widget_class, PlmWindow, note_label);
  gtk_widget_class_bind_template_child (widget_class, PlmWindow, invalid_label);
  gtk_widget_class_bind_template_child (widget_class, PlmWindow, long_label);
  gtk_widget_class_bind_template_child (widget_class, PlmWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, PlmWindow, welcome_page);
  gtk_widget_class_bind_template_child (widget_class, PlmWindow, ready_page);
  gtk_widget_class_bind_template_child (widget_class, PlmWindow, running_page);
  gtk_widget_class_bind_template_child (widget_class, PlmWindow, running_spinner);
  gtk_widget_class_bind_template_child (widget_class, PlmWindow, error_page);
  gtk_widget_class_bind_template_child (widget_class, PlmWindow, download_button);
  gtk_widget_class_bind_template_child (widget_class, PlmWindow, download_box);
  gtk_widget_class_bind_template_child (widget_class, PlmWindow, download_progress);
  gtk_widget_class_bind_template_child (widget_class, PlmWindow, download_error);
  gtk_widget_class_bind_template_child (widget_class, PlmWindow, views_stack);
  gtk_widget_class_bind_template_child (widget_class, PlmWindow, summary_label);
  gtk_widget_class_bind_template_child (widget_class, PlmWindow, attention_view);
  gtk_widget_class_bind_template_child (widget_class, PlmWindow, overview_view);
  gtk_widget_class_bind_template_child (widget_class, PlmWindow, contacts_view);
  gtk_widget_class_bind_template_child (widget_class, PlmWindow, ha_view);
  gtk_widget_class_bind_template_child (widget_class, PlmWindow, pair_view);
  gtk_widget_class_bind_template_child (widget_class, PlmWindow, recent_section);

  plm_window_actions_class_init (widget_class);
}

static void
plm_window_init (PlmWindow *self)
{
  GtkDropTarget *drop;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->lifetime = g_cancellable_new ();
  self->residue_selection = plm_selection_new ();
  plm_attention_view_set_selection (self->attention_view, self->residue_selection);
  plm_contacts_view_set_selection (self->contacts_view, self->residue_selection);
  plm_ha_view_set_selection (self->ha_view, self->residue_selection);
  g_signal_connect_swapped (self->overview_view, "open-map", G_CALLBACK (on_open_map), self);

  self->settings = g_settings_new (APP_ID);

  self->sequences = g_list_store_new (PLM_TYPE_SEQUENCE);
  self->filter = gtk_custom_filter_new (sequence_filter, self, NULL);
  self->filtered = gtk_filter_list_model_new (g_object_ref (G_LIST_MODEL (self->sequences)),
                                              GTK_FILTER (self->filter));
  self->selection = gtk_single_selection_new (G_LIST_MODEL (self->filtered));
  gtk_single_selection_set_autoselect (self->selection, TRUE);
  gtk_list_view_set_model (self->sequence_list, GTK_SELECTION_MODEL (self->selection));
  g_signal_connect (self->sequence_factory, "setup", G_CALLBACK (sequence_setup), self);
  g_signal_connect (self->sequence_factory, "bind", G_CALLBACK (sequence_bind), self);
  g_signal_connect_swapped (self->selection, "notify::selected-item", G_CALLBACK (on_selection_changed), self);
  g_signal_connect_swapped (self->search_entry, "search-changed", G_CALLBACK (on_search_changed), self);

  g_signal_connect_swapped (self->settings, "changed::color-map", G_CALLBACK (on_color_map_changed), self);
  on_color_map_changed (self);

  drop = gtk_drop_target_new (G_TYPE_INVALID, GDK_ACTION_COPY);
  gtk_drop_target_set_gtypes (drop, (GType[]) { GDK_TYPE_FILE_LIST, G_TYPE_STRING }, 2);
  g_signal_connect (drop, "drop", G_CALLBACK (on_drop), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drop));

  plm_window_actions_init (self);
}

PlmWindow *
plm_window_new (GtkApplication *application)
{
  PlmWindow *self = g_object_new (PLM_TYPE_WINDOW, "application", application, NULL);

  plm_window_setup (self);
  return self;
}
