/* plm-window-dnd.c: sequences coming into the main window: pasted text, opened files (read
 * asynchronously), the recent-files list and drag and drop. */
#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "plm-application.h"
#include "plm-error.h"
#include "plm-esm.h"
#include "plm-tokenizer.h"
#include "plm-weak-ref.h"
#include "plm-window-private.h"

#define MAX_RECENT 8

/* A toast that answers what the user just did: shown at once, not queued behind older ones. */
static void
show_answer (PlmWindow  *self,
             const char *message)
{
  AdwToast *toast = adw_toast_new (message);

  adw_toast_set_timeout (toast, 6);
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

/* The position of a record with the same header and residues as @seq, or -1. */
static int
find_same (PlmWindow   *self,
           PlmSequence *seq)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->sequences));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PlmSequence) other = g_list_model_get_item (G_LIST_MODEL (self->sequences), i);

      if (g_str_equal (plm_sequence_get_header (other), plm_sequence_get_header (seq)) &&
          g_str_equal (plm_sequence_get_residues (other), plm_sequence_get_residues (seq)))
        return i;
    }
  return -1;
}

/* Adds the records that are not in the list yet (a file opened again adds nothing) and shows
 * the first of them, or the first one that was there already. */
static void
add_records (PlmWindow  *self,
             GListStore *records)
{
  guint first = g_list_model_get_n_items (G_LIST_MODEL (self->sequences));
  guint n = g_list_model_get_n_items (G_LIST_MODEL (records));
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  guint n_same = 0;
  int show = -1;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PlmSequence) seq = g_list_model_get_item (G_LIST_MODEL (records), i);
      int same = find_same (self, seq);

      if (same >= 0)
        {
          n_same++;
          if (show < 0)
            show = same;
          continue;
        }
      if (show < 0)
        show = first + items->len;
      g_ptr_array_add (items, g_steal_pointer (&seq));
    }
  g_list_store_splice (self->sequences, first, 0, items->pdata, items->len);

  /* What the user just added is what they want to see. */
  plm_window_select_and_show (self, show);
  if (n_same > 0)
    {
      g_autofree char *text = NULL;

      if (items->len == 0)
        text = g_strdup (g_dngettext (GETTEXT_PACKAGE, "This record is already in the list",
                                      "These records are already in the list", n_same));
      else
        /* Translators: some records of an opened file were in the list already */
        text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u record was already in the list",
                                             "%u records were already in the list", n_same), n_same);
      show_answer (self, text);
    }

  if (self->run_after_load && !self->loading_model && plm_inference_worker_get_model (self->worker) != NULL)
    {
      self->run_after_load = FALSE;
      plm_window_run (self);
    }
}

/* The records of an edited record's text take its place. */
static void
replace_record (PlmWindow   *self,
                PlmSequence *old,
                GListStore  *records)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (records));
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  guint position;

  if (!g_list_store_find (self->sequences, old, &position))
    {
      /* removed while the dialog was open */
      add_records (self, records);
      return;
    }
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (items, g_list_model_get_item (G_LIST_MODEL (records), i));
  g_list_store_splice (self->sequences, position, 1, items->pdata, n);
  plm_window_select_and_show (self, position);
}

/* Pasting and editing */

/* Pango breaks a long word anywhere when wrapping by character and marks the break with a
 * hyphen; a residue string is one word, and a hyphen in it would read as a gap. */
static void
on_text_inserted (GtkTextBuffer *buffer,
                  GtkTextIter   *end,
                  const char    *text,
                  int            length,
                  GtkTextTag    *no_hyphens)
{
  GtkTextIter start = *end;

  gtk_text_iter_backward_chars (&start, g_utf8_strlen (text, length));
  gtk_text_buffer_apply_tag (buffer, no_hyphens, &start, end);
}

static void
on_paste_response (AdwMessageDialog *dialog,
                   const char       *response,
                   PlmWindow        *self)
{
  GtkTextView *view = g_object_get_data (G_OBJECT (dialog), "text-view");
  PlmSequence *replace = g_object_get_data (G_OBJECT (dialog), "replace");
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (view);
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GListStore) records = NULL;
  GtkTextIter start, end;

  if (g_strcmp0 (response, "add") != 0)
    return;
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  if (text[strspn (text, " \t\r\n")] == '\0')
    {
      show_answer (self, replace ? _("Nothing was changed: the text box was empty")
                                           : _("Nothing was added: the text box was empty"));
      return;
    }
  records = plm_sequence_parse (text, -1, replace ? _("Edited record") : _("Pasted text"), &error);
  if (records == NULL)
    show_answer (self, error->message);
  else if (replace != NULL)
    replace_record (self, replace, records);
  else
    add_records (self, records);
}

GtkWindow *
plm_window_edit_dialog (PlmWindow   *self,
                        PlmSequence *replace)
{
  AdwMessageDialog *dialog;
  GtkWidget *scroller, *view;
  GtkTextBuffer *buffer;
  GtkTextTag *no_hyphens;

  if (replace != NULL)
    dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self), _("Edit Sequence"),
                                                         _("Correct the record, or paste it again. The records of the text replace it.")));
  else
    dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self), _("Paste Sequences"),
                                                         _("Paste one protein sequence or FASTA text with any number of records. White space, digits and lower case are normalised.")));
  view = gtk_text_view_new ();
  buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (view));
  no_hyphens = gtk_text_buffer_create_tag (buffer, "no-hyphens", "insert-hyphens", FALSE, NULL);
  g_signal_connect_after (buffer, "insert-text", G_CALLBACK (on_text_inserted), no_hyphens);
  gtk_text_view_set_monospace (GTK_TEXT_VIEW (view), TRUE);
  gtk_text_view_set_wrap_mode (GTK_TEXT_VIEW (view), GTK_WRAP_CHAR);
  gtk_text_view_set_top_margin (GTK_TEXT_VIEW (view), 6);
  gtk_text_view_set_left_margin (GTK_TEXT_VIEW (view), 6);
  gtk_accessible_update_property (GTK_ACCESSIBLE (view), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Sequence text"), -1);
  if (replace != NULL)
    {
      g_autofree char *fasta = g_strdup_printf (">%s\n%s\n", plm_sequence_get_header (replace),
                                                plm_sequence_get_residues (replace));

      gtk_text_buffer_set_text (buffer, fasta, -1);
      g_object_set_data_full (G_OBJECT (dialog), "replace", g_object_ref (replace), g_object_unref);
    }
  scroller = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), view);
  gtk_widget_set_size_request (scroller, 420, 220);
  gtk_widget_add_css_class (scroller, "card");
  adw_message_dialog_set_extra_child (dialog, scroller);
  g_object_set_data (G_OBJECT (dialog), "text-view", view);
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"),
                                    "add", replace ? _("_Replace") : _("_Add"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "add", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "add");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_paste_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (view);
  return GTK_WINDOW (dialog);
}

void
plm_window_paste_dialog (PlmWindow *self)
{
  plm_window_edit_dialog (self, NULL);
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
      plm_window_show_toast (self, error->message);
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
          plm_window_show_toast (self, error->message);
          return FALSE;
        }
      return TRUE;
    }
  return FALSE;
}

void
plm_window_dnd_init (PlmWindow *self)
{
  GtkDropTarget *drop = gtk_drop_target_new (G_TYPE_INVALID, GDK_ACTION_COPY);

  gtk_drop_target_set_gtypes (drop, (GType[]) { GDK_TYPE_FILE_LIST, G_TYPE_STRING }, 2);
  g_signal_connect (drop, "drop", G_CALLBACK (on_drop), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drop));
}
