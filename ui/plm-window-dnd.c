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
  plm_window_refilter (self);

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
