/* plm-window-actions.c: the window's actions (open, paste, run, cancel, models, navigation). */
#include <glib/gi18n.h>

#include "plm-install.h"
#include "plm-step-shortcuts.h"
#include "plm-window-private.h"

/* Opening FASTA files */

static void
on_files_chosen (GtkNativeDialog *dialog,
                 int              response,
                 PlmWindow       *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GListModel) files = gtk_file_chooser_get_files (GTK_FILE_CHOOSER (dialog));
      g_autoptr(GPtrArray) array = g_ptr_array_new_with_free_func (g_object_unref);

      for (guint i = 0; i < g_list_model_get_n_items (files); i++)
        g_ptr_array_add (array, g_list_model_get_item (files, i));
      plm_window_open_files (self, (GFile **) array->pdata, array->len);
    }
  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
}

void
plm_window_choose_files (PlmWindow *self)
{
  /* GtkFileDialog needs GTK 4.10; the native chooser goes through the portal in Flatpak. */
  GtkFileChooserNative *dialog;
  GtkFileFilter *filter;

  dialog = gtk_file_chooser_native_new (_("Open FASTA Files"), GTK_WINDOW (self),
                                        GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"), _("_Cancel"));
  gtk_file_chooser_set_select_multiple (GTK_FILE_CHOOSER (dialog), TRUE);
  filter = gtk_file_filter_new ();
  gtk_file_filter_set_name (filter, _("FASTA files"));
  gtk_file_filter_add_pattern (filter, "*.fasta");
  gtk_file_filter_add_pattern (filter, "*.fa");
  gtk_file_filter_add_pattern (filter, "*.faa");
  gtk_file_filter_add_pattern (filter, "*.fas");
  gtk_file_filter_add_pattern (filter, "*.txt");
  gtk_file_filter_add_mime_type (filter, "chemical/x-fasta");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), filter);
  g_object_unref (filter);
  filter = gtk_file_filter_new ();
  gtk_file_filter_set_name (filter, _("All files"));
  gtk_file_filter_add_pattern (filter, "*");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), filter);
  g_object_unref (filter);
  g_signal_connect (dialog, "response", G_CALLBACK (on_files_chosen), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

/* Opening a checkpoint */

static void
on_checkpoint_chosen (GtkNativeDialog *dialog,
                      int              response,
                      PlmWindow       *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = g_file_get_path (file);
      g_autofree char *base = g_file_get_basename (file);

      /* config.json or an index stands for its directory. */
      if (path && (g_str_equal (base, "config.json") || g_str_has_suffix (base, ".index.json")))
        {
          char *dir = g_path_get_dirname (path);
          g_free (path);
          path = dir;
        }
      if (path)
        plm_window_load_model (self, path, FALSE);
    }
  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
}

void
plm_window_choose_checkpoint (PlmWindow *self)
{
  GtkFileChooserNative *dialog;
  GtkFileFilter *filter;

  dialog = gtk_file_chooser_native_new (_("Open a Checkpoint"), GTK_WINDOW (self),
                                        GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"), _("_Cancel"));
  filter = gtk_file_filter_new ();
  /* Translators: fair-esm is the name of Meta's package; .pt its checkpoint files */
  gtk_file_filter_set_name (filter, _("ESM checkpoints (model.safetensors, config.json, fair-esm .pt)"));
  gtk_file_filter_add_pattern (filter, "*.safetensors");
  gtk_file_filter_add_pattern (filter, "config.json");
  gtk_file_filter_add_pattern (filter, "*.safetensors.index.json");
  gtk_file_filter_add_pattern (filter, "*.pt");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), filter);
  g_object_unref (filter);
  g_signal_connect (dialog, "response", G_CALLBACK (on_checkpoint_chosen), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

/* Downloading the default model */

static void
on_installed (gpointer      owner,
              const char   *path,
              const char   *checks,
              const GError *error)
{
  PlmWindow *self = owner;

  if (self->lifetime == NULL)   /* closed while downloading */
    return;
  g_clear_object (&self->download_cancellable);
  gtk_widget_set_visible (GTK_WIDGET (self->download_box), FALSE);
  plm_window_update_actions (self);

  if (path == NULL)
    {
      gtk_label_set_text (self->download_error, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->download_error), TRUE);
      return;
    }
  {
    g_autofree char *name = g_path_get_basename (path);
    /* Translators: a model's name, then how each of its files was verified */
    g_autofree char *text = g_strdup_printf (_("%s installed. %s"), name, checks);
    AdwToast *toast = adw_toast_new (text);

    adw_toast_set_timeout (toast, 8);
    adw_toast_overlay_add_toast (self->toast_overlay, toast);
  }
  plm_window_load_model (self, path, TRUE);
}

void
plm_window_download_default (PlmWindow *self)
{
  const PlmCatalogueEntry *entry;

  if (self->catalogue == NULL || self->catalogue->n_entries == 0 || self->download_cancellable)
    return;
  entry = &self->catalogue->entries[0];

  /* Already there (for example downloaded by another window): just use it. */
  if (plm_model_store_is_installed (self->model_store, entry->id))
    {
      g_autofree char *path = plm_model_store_get_path (self->model_store, entry->id);
      plm_window_load_model (self, path, TRUE);
      return;
    }

  self->download_cancellable = g_cancellable_new ();
  gtk_widget_set_visible (GTK_WIDGET (self->download_error), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->download_box), TRUE);
  plm_install_start (self->model_store, entry, self->download_progress, self->download_cancellable,
                     self, on_installed);
  plm_window_update_actions (self);
}

void
plm_window_cancel_download (PlmWindow *self)
{
  if (self->download_cancellable)
    g_cancellable_cancel (self->download_cancellable);
}

/* Navigation */

/* Layers and heads step wherever the focus is, as long as results are on show. */
static gboolean
results_shown (PlmWindow *self)
{
  return self->result != NULL && g_strcmp0 (plm_window_get_page (self), "results") == 0;
}

void
plm_window_step_layer (PlmWindow *self,
                       int        delta)
{
  if (results_shown (self))
    plm_attention_view_step_layer (self->attention_view, delta);
}

static void
step_head (PlmWindow *self,
           int        delta)
{
  if (results_shown (self))
    plm_attention_view_step_head (self->attention_view, delta);
}

/* The shortcuts' side: a key left alone while no results are on show goes on to the focus. */
static gboolean
step_layer_shortcut (GtkWidget *widget, GVariant *args, gpointer data)
{
  if (!results_shown (PLM_WINDOW (widget)))
    return FALSE;
  plm_window_step_layer (PLM_WINDOW (widget), g_variant_get_int32 (args));
  return TRUE;
}

static gboolean
step_head_shortcut (GtkWidget *widget, GVariant *args, gpointer data)
{
  if (!results_shown (PLM_WINDOW (widget)))
    return FALSE;
  step_head (PLM_WINDOW (widget), g_variant_get_int32 (args));
  return TRUE;
}

static void
step_record (PlmWindow *self,
             int        delta)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->selection));
  guint pos = gtk_single_selection_get_selected (self->selection);

  if (n == 0 || pos == GTK_INVALID_LIST_POSITION)
    return;
  if ((delta < 0 && pos == 0) || (delta > 0 && pos + 1 >= n))
    return;
  gtk_single_selection_set_selected (self->selection, pos + delta);
  /* GTK 4.8 has no gtk_list_view_scroll_to (); the list's own action does the same. */
  gtk_widget_activate_action (GTK_WIDGET (self->sequence_list), "list.scroll-to-item", "u", pos + delta);
}

void
plm_window_update_recent (PlmWindow *self)
{
  g_auto(GStrv) recent = g_settings_get_strv (self->settings, "recent-files");
  g_autoptr(GMenu) submenu = g_menu_new ();

  g_menu_remove_all (self->recent_section);
  for (guint i = 0; recent[i]; i++)
    {
      g_autofree char *base = g_path_get_basename (recent[i]);
      g_autoptr(GMenuItem) item = g_menu_item_new (base, NULL);

      g_menu_item_set_action_and_target_value (item, "win.open-recent", g_variant_new_string (recent[i]));
      g_menu_append_item (submenu, item);
    }
  if (recent[0])
    g_menu_append_submenu (self->recent_section, _("_Recent Files"), G_MENU_MODEL (submenu));
}

static void
action_open (GtkWidget *widget, const char *name, GVariant *param)
{
  plm_window_choose_files (PLM_WINDOW (widget));
}

static void
action_open_recent (GtkWidget *widget, const char *name, GVariant *param)
{
  g_autoptr(GFile) file = g_file_new_for_path (g_variant_get_string (param, NULL));
  plm_window_open_files (PLM_WINDOW (widget), &file, 1);
}

static void
action_paste (GtkWidget *widget, const char *name, GVariant *param)
{
  plm_window_paste_dialog (PLM_WINDOW (widget));
}

static void
action_run (GtkWidget *widget, const char *name, GVariant *param)
{
  plm_window_run (PLM_WINDOW (widget));
}

static void
action_cancel (GtkWidget *widget, const char *name, GVariant *param)
{
  plm_window_cancel (PLM_WINDOW (widget));
}

static void
action_open_checkpoint (GtkWidget *widget, const char *name, GVariant *param)
{
  plm_window_choose_checkpoint (PLM_WINDOW (widget));
}

static void
action_download_default (GtkWidget *widget, const char *name, GVariant *param)
{
  plm_window_download_default (PLM_WINDOW (widget));
}

static void
action_cancel_download (GtkWidget *widget, const char *name, GVariant *param)
{
  plm_window_cancel_download (PLM_WINDOW (widget));
}

static void
action_search (GtkWidget *widget, const char *name, GVariant *param)
{
  gtk_widget_grab_focus (GTK_WIDGET (PLM_WINDOW (widget)->search_entry));
}

static void
action_next_record (GtkWidget *widget, const char *name, GVariant *param)
{
  step_record (PLM_WINDOW (widget), +1);
}

static void
action_previous_record (GtkWidget *widget, const char *name, GVariant *param)
{
  step_record (PLM_WINDOW (widget), -1);
}

static void
action_next_layer (GtkWidget *widget, const char *name, GVariant *param)
{
  plm_window_step_layer (PLM_WINDOW (widget), +1);
}

static void
action_previous_layer (GtkWidget *widget, const char *name, GVariant *param)
{
  plm_window_step_layer (PLM_WINDOW (widget), -1);
}

static void
action_next_head (GtkWidget *widget, const char *name, GVariant *param)
{
  step_head (PLM_WINDOW (widget), +1);
}

static void
action_previous_head (GtkWidget *widget, const char *name, GVariant *param)
{
  step_head (PLM_WINDOW (widget), -1);
}

/* Exporting a figure of the current view */

static void
on_figure_exported (PlmWindow  *self,
                    const char *path)
{
  g_autofree char *name = g_filename_display_basename (path);
  /* Translators: a toast after a figure was written; the file name follows */
  g_autofree char *message = g_strdup_printf (_("Figure saved as “%s”"), name);
  AdwToast *toast = adw_toast_new (message);

  adw_toast_set_timeout (toast, 6);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

/* A file name stem from the record and view: "HBB_HUMAN-attention". */
static char *
figure_basename (const char *record,
                 const char *view)
{
  GString *s = g_string_new (NULL);

  for (const char *p = record ? record : "sequence"; *p && s->len < 64; p++)
    g_string_append_c (s, g_ascii_isalnum (*p) || *p == '-' || *p == '.' ? *p : '_');
  g_string_append_printf (s, "-%s", view);
  return g_string_free (s, FALSE);
}

PlmExportDialog *
plm_window_export_figure (PlmWindow *self)
{
  const char *view = adw_view_stack_get_visible_child_name (self->views_stack);
  PlmSequence *seq = gtk_single_selection_get_selected_item (self->selection);
  const char *record = seq ? plm_sequence_get_id (seq) : NULL;
  g_autofree char *basename = NULL;
  PlmExportDialog *dialog = NULL;
  PlmFigure *figure = NULL;

  /* the results page only: a stale result stays behind "ready" when another record is chosen */
  if (self->result == NULL || view == NULL || g_strcmp0 (plm_window_get_page (self), "results") != 0)
    return NULL;
  basename = figure_basename (record, view);
  if (g_str_equal (view, "overview"))
    dialog = plm_export_dialog_new_grid (GTK_WINDOW (self), self->settings, self->result, record, basename);
  else
    {
      if (g_str_equal (view, "attention"))
        figure = plm_attention_view_create_figure (self->attention_view, record);
      else if (g_str_equal (view, "ha-sites"))
        figure = plm_ha_view_create_figure (self->ha_view, record);
      else if (g_str_equal (view, "contacts"))
        figure = plm_contacts_view_create_figure (self->contacts_view, record);
      else if (g_str_equal (view, "pair"))
        {
          /* the figure shows the two pairs, not the record chosen in the sidebar */
          figure = plm_pair_view_create_figure (self->pair_view);
          if (figure != NULL)
            {
              g_free (basename);
              basename = plm_pair_view_dup_figure_name (self->pair_view);
            }
        }
      else if (g_str_equal (view, "mutations"))
        figure = plm_mutations_view_create_figure (self->mutations_view, record);
      else if (g_str_equal (view, "structure"))
        figure = plm_structure_view_create_figure (self->structure_view, record);
      if (figure == NULL)
        {
          AdwToast *toast = adw_toast_new (g_str_equal (view, "pair")
                                             ? _("Compute the pairs first: there is no figure to export yet")
                                             : g_str_equal (view, "structure")
                                             ? _("Load a structure first: there is no figure to export yet")
                                             : _("This view has nothing to export for this model"));

          /* the answer to what was just asked: shown at once, not queued */
          adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
          adw_toast_overlay_add_toast (self->toast_overlay, toast);
          return NULL;
        }
      dialog = plm_export_dialog_new (GTK_WINDOW (self), self->settings, figure, basename);
    }
  g_signal_connect_object (dialog, "exported", G_CALLBACK (on_figure_exported), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
  return dialog;
}

static void
action_export_figure (GtkWidget *widget, const char *name, GVariant *param)
{
  plm_window_export_figure (PLM_WINDOW (widget));
}

void
plm_window_update_actions (PlmWindow *self)
{
  PlmSequence *seq = gtk_single_selection_get_selected_item (self->selection);
  gboolean have_model = plm_inference_worker_get_model (self->worker) != NULL;
  gboolean running = self->run_cancellable != NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.run",
                                 have_model && !running && !self->loading_model &&
                                 seq != NULL && plm_sequence_is_valid (seq));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.cancel", running);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.download-default", self->download_cancellable == NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.cancel-download", self->download_cancellable != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.next-layer", self->result != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.previous-layer", self->result != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.next-head", self->result != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.previous-head", self->result != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.export-figure", self->result != NULL);
}

void
plm_window_actions_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.open", NULL, action_open);
  gtk_widget_class_install_action (widget_class, "win.open-recent", "s", action_open_recent);
  gtk_widget_class_install_action (widget_class, "win.paste", NULL, action_paste);
  gtk_widget_class_install_action (widget_class, "win.run", NULL, action_run);
  gtk_widget_class_install_action (widget_class, "win.cancel", NULL, action_cancel);
  gtk_widget_class_install_action (widget_class, "win.open-checkpoint", NULL, action_open_checkpoint);
  gtk_widget_class_install_action (widget_class, "win.download-default", NULL, action_download_default);
  gtk_widget_class_install_action (widget_class, "win.cancel-download", NULL, action_cancel_download);
  gtk_widget_class_install_action (widget_class, "win.search", NULL, action_search);
  gtk_widget_class_install_action (widget_class, "win.next-record", NULL, action_next_record);
  gtk_widget_class_install_action (widget_class, "win.previous-record", NULL, action_previous_record);
  gtk_widget_class_install_action (widget_class, "win.next-layer", NULL, action_next_layer);
  gtk_widget_class_install_action (widget_class, "win.previous-layer", NULL, action_previous_layer);
  gtk_widget_class_install_action (widget_class, "win.next-head", NULL, action_next_head);
  gtk_widget_class_install_action (widget_class, "win.previous-head", NULL, action_previous_head);
  gtk_widget_class_install_action (widget_class, "win.export-figure", NULL, action_export_figure);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_o, GDK_CONTROL_MASK, "win.open", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_v, GDK_CONTROL_MASK | GDK_SHIFT_MASK, "win.paste", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK, "win.run", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "win.cancel", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "win.search", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Down, GDK_ALT_MASK, "win.next-record", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Up, GDK_ALT_MASK, "win.previous-record", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, GDK_CONTROL_MASK | GDK_SHIFT_MASK, "win.export-figure", NULL);
}

void
plm_window_actions_init (PlmWindow *self)
{
  g_signal_connect_swapped (self->settings, "changed::recent-files", G_CALLBACK (plm_window_update_recent), self);

  /* Layers and heads: in the capture phase, before the focus widget (the sidebar's list takes
   * Ctrl+Page Up/Down for itself), and only while results are on show. */
  {
    static const PlmStepShortcut keys[] = {
      { GDK_KEY_Page_Down, GDK_CONTROL_MASK, step_layer_shortcut, +1 },
      { GDK_KEY_Page_Up, GDK_CONTROL_MASK, step_layer_shortcut, -1 },
      { GDK_KEY_Right, GDK_ALT_MASK, step_head_shortcut, +1 },
      { GDK_KEY_Left, GDK_ALT_MASK, step_head_shortcut, -1 },
    };
    GtkEventController *shortcuts = plm_step_shortcuts_new (keys, G_N_ELEMENTS (keys));

    gtk_widget_add_controller (GTK_WIDGET (self), shortcuts);
  }
}
