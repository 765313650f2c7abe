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

#define MAX_RECENT_CHECKPOINTS 10

G_DEFINE_FINAL_TYPE (PlmWindow, plm_window, ADW_TYPE_APPLICATION_WINDOW)

PlmSequence *
plm_window_get_selected (PlmWindow *self)
{
  return gtk_single_selection_get_selected_item (self->selection);
}

void
plm_window_show_toast (PlmWindow  *self,
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
      plm_window_show_toast (self, message);
      plm_window_update_actions (self);
      return;
    }

  g_settings_set_string (self->settings, "last-model", plm_inference_worker_get_model_path (self->worker));
  {
    /* the Models window offers them again, so switching back needs no file browsing */
    g_auto(GStrv) old = g_settings_get_strv (self->settings, "recent-checkpoints");
    g_auto(GStrv) recent = plm_model_store_update_recent ((const char * const *) old,
                                                          plm_inference_worker_get_model_path (self->worker),
                                                          MAX_RECENT_CHECKPOINTS);

    g_settings_set_strv (self->settings, "recent-checkpoints", (const char * const *) recent);
  }
  update_model_label (self);
  plm_window_update_actions (self);
  /* With files still loading (command line), the run starts when the records arrive. */
  if (self->run_after_load && plm_window_get_selected (self) != NULL)
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

static void
on_color_map_changed (PlmWindow *self)
{
  PlmColorMap map = g_settings_get_enum (self->settings, "color-map");

  plm_attention_view_set_color_map (self->attention_view, map);
  plm_overview_view_set_color_map (self->overview_view, map);
  plm_contacts_view_set_color_map (self->contacts_view, map);
  plm_ha_view_set_color_map (self->ha_view, map);
  plm_pair_view_set_color_map (self->pair_view, map);
  plm_mutations_view_set_color_map (self->mutations_view, map);
  plm_structure_view_set_color_map (self->structure_view, map);
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
  plm_window_refilter (self);
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

GtkWidget *
plm_window_get_structure_view (PlmWindow *self)
{
  g_return_val_if_fail (PLM_IS_WINDOW (self), NULL);
  return GTK_WIDGET (self->structure_view);
}

GtkWidget *
plm_window_get_mutations_view (PlmWindow *self)
{
  g_return_val_if_fail (PLM_IS_WINDOW (self), NULL);
  return GTK_WIDGET (self->mutations_view);
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
/* The popover focuses its first focusable child, the selectable details, and a label selects
 * all its text when focused: open with the first button focused and nothing selected. */
static void
on_model_popover_map (PlmWindow *self)
{
  gtk_widget_grab_focus (self->manage_models_button);
  gtk_label_select_region (self->model_details, 0, 0);
}

/* The views' switcher belongs to the results; the other pages show the title alone. */
static void
on_page_changed (PlmWindow *self)
{
  adw_view_switcher_title_set_view_switcher_enabled (self->switcher_title,
                                                     g_strcmp0 (plm_window_get_page (self), "results") == 0);
  plm_window_update_long_banner (self);
}

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
  plm_mutations_view_set_worker (self->mutations_view, self->worker);
  g_signal_connect_object (self->main_stack, "notify::visible-child-name", G_CALLBACK (on_page_changed),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->model_popover, "map", G_CALLBACK (on_model_popover_map),
                           self, G_CONNECT_SWAPPED | G_CONNECT_AFTER);
  on_page_changed (self);
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
    {
      g_object_set_data (G_OBJECT (self->run_cancellable), "plm-window", NULL);
      g_cancellable_cancel (self->run_cancellable);
    }
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
  g_clear_object (&self->sequence_menu);
  g_clear_object (&self->residue_selection);
  g_clear_object (&self->structure);
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
  g_type_ensure (PLM_TYPE_MUTATIONS_VIEW);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/plmlens/PlmLens/ui/plm-window.ui");
  gtk_widget_class_bind_template_child (widget_class, PlmWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, PlmWindow, switcher_title);
  gtk_widget_class_bind_template_child (widget_class, PlmWindow, flap);
  gtk_widget_class_bind_template_child (widget_class, PlmWindow, model_label);
  gtk_widget_class_bind_template_child (widget_class, PlmWindow, model_details);
  gtk_widget_class_bind_template_child (widget_class, PlmWindow, model_popover);
  gtk_widget_class_bind_template_child (widget_class, PlmWindow, manage_models_button);
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
  gtk_widget_class_bind_template_child (widget_class, PlmWindow, long_banner);
  gtk_widget_class_bind_template_child (widget_class, PlmWindow, long_banner_label);
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
  gtk_widget_class_bind_template_child (widget_class, PlmWindow, mutations_view);
  gtk_widget_class_bind_template_child (widget_class, PlmWindow, structure_view);
  gtk_widget_class_bind_template_child (widget_class, PlmWindow, recent_section);

  plm_window_actions_class_init (widget_class);
  plm_window_sidebar_class_init (widget_class);
}

static void
plm_window_init (PlmWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->lifetime = g_cancellable_new ();
  self->residue_selection = plm_selection_new ();
  plm_attention_view_set_selection (self->attention_view, self->residue_selection);
  plm_contacts_view_set_selection (self->contacts_view, self->residue_selection);
  plm_ha_view_set_selection (self->ha_view, self->residue_selection);
  plm_mutations_view_set_selection (self->mutations_view, self->residue_selection);
  plm_mutations_view_set_track_source (self->mutations_view, self->ha_view);
  plm_structure_view_set_selection (self->structure_view, self->residue_selection);
  plm_structure_view_set_track_source (self->structure_view, self->ha_view);
  plm_structure_view_set_pair_source (self->structure_view, self->pair_view);
  /* one structure for the Contacts, HA and Structure views: loading it in any shows it in all */
  self->structure = plm_loaded_structure_new ();
  plm_contacts_view_set_structure (self->contacts_view, self->structure);
  plm_ha_view_set_structure (self->ha_view, self->structure);
  plm_structure_view_set_structure (self->structure_view, self->structure);
  g_signal_connect_swapped (self->overview_view, "open-map", G_CALLBACK (plm_window_open_map), self);

  self->settings = g_settings_new (APP_ID);

  plm_window_sidebar_init (self);

  g_signal_connect_swapped (self->settings, "changed::color-map", G_CALLBACK (on_color_map_changed), self);
  on_color_map_changed (self);

  plm_window_dnd_init (self);

  plm_window_actions_init (self);
}

PlmWindow *
plm_window_new (GtkApplication *application)
{
  PlmWindow *self = g_object_new (PLM_TYPE_WINDOW, "application", application, NULL);

  plm_window_setup (self);
  return self;
}
