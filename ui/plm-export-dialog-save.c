/* plm-export-dialog-save.c: the Export Figure window's file side: the save dialog, and the
 * figure written in a worker thread while the controls wait. */
#include <glib/gi18n.h>
#include <string.h>

#include "plm-export-dialog-private.h"

typedef struct {
  char            *path;
  PlmFigureFormat  format;
} ExportJob;

static void
export_job_free (gpointer data)
{
  ExportJob *job = data;

  g_free (job->path);
  g_free (job);
}

static void
export_thread (GTask        *task,
               gpointer      source,
               gpointer      data,
               GCancellable *cancellable)
{
  PlmExportDialog *self = source;
  ExportJob *job = data;
  GError *error = NULL;

  if (plm_figure_export (self->figure, job->format, job->path, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
set_exporting (PlmExportDialog *self,
               gboolean         exporting)
{
  self->exporting = exporting;
  gtk_widget_set_sensitive (self->body, !exporting);
  gtk_widget_set_sensitive (GTK_WIDGET (self->export_button), !exporting && self->figure != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), exporting);
  gtk_spinner_set_spinning (self->spinner, exporting);
}

static void
on_exported (GObject      *source,
             GAsyncResult *result,
             gpointer      data)
{
  PlmExportDialog *self = PLM_EXPORT_DIALOG (source);
  ExportJob *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;

  set_exporting (self, FALSE);
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      AdwToast *toast = adw_toast_new (error->message);

      adw_toast_set_timeout (toast, 0);
      adw_toast_overlay_add_toast (self->toast_overlay, toast);
      return;
    }
  if (self->settings != NULL)
    {
      g_autofree char *dir = g_path_get_dirname (job->path);

      g_settings_set_string (self->settings, "export-folder", dir);
    }
  plm_export_dialog_emit_exported (self, job->path);
  gtk_window_close (GTK_WINDOW (self));
}

void
plm_export_dialog_export_to (PlmExportDialog *self,
                             const char      *path)
{
  g_autoptr(GTask) task = NULL;
  ExportJob *job;
  const char *dot;

  g_return_if_fail (PLM_IS_EXPORT_DIALOG (self));
  g_return_if_fail (path != NULL);

  if (self->exporting || self->figure == NULL)
    return;
  g_clear_handle_id (&self->update_source, g_source_remove);
  plm_export_dialog_apply_style (self);
  job = g_new0 (ExportJob, 1);
  job->format = plm_export_dialog_get_format (self);
  dot = strrchr (path, '.');
  if (dot != NULL && strchr (dot, G_DIR_SEPARATOR) == NULL && plm_figure_format_from_name (dot + 1, &job->format))
    job->path = g_strdup (path);
  else
    job->path = g_strconcat (path, ".", plm_export_format_ext[job->format], NULL);
  plm_export_dialog_set_format (self, job->format);
  set_exporting (self, TRUE);
  task = g_task_new (self, NULL, on_exported, NULL);
  g_task_set_source_tag (task, plm_export_dialog_export_to);
  g_task_set_task_data (task, job, export_job_free);
  g_task_run_in_thread (task, export_thread);
}

static void
on_file_chosen (GtkNativeDialog *chooser,
                int              response,
                PlmExportDialog *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = file ? g_file_get_path (file) : NULL;

      if (path != NULL)
        plm_export_dialog_export_to (self, path);
      else
        adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (_("Figures can only be written to local files")));
    }
  gtk_native_dialog_destroy (chooser);
  g_object_unref (chooser);
  g_object_unref (self);
}

void
plm_export_dialog_choose_file (PlmExportDialog *self)
{
  GtkFileChooserNative *chooser;
  GtkFileFilter *filter;
  PlmFigureFormat format = plm_export_dialog_get_format (self);
  static const char *const names[] = { N_("PNG images"), N_("SVG drawings"), N_("PDF documents") };
  static const char *const mime[] = { "image/png", "image/svg+xml", "application/pdf" };
  g_autofree char *name = g_strdup_printf ("%s.%s", self->basename, plm_export_format_ext[format]);
  g_autofree char *folder = self->settings ? g_settings_get_string (self->settings, "export-folder") : NULL;

  if (self->figure == NULL)
    return;
  chooser = gtk_file_chooser_native_new (_("Export Figure"), GTK_WINDOW (self), GTK_FILE_CHOOSER_ACTION_SAVE,
                                         _("_Export"), _("_Cancel"));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  if (folder != NULL && folder[0] != '\0' && g_file_test (folder, G_FILE_TEST_IS_DIR))
    {
      g_autoptr(GFile) dir = g_file_new_for_path (folder);

      gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (chooser), dir, NULL);
    }
  filter = gtk_file_filter_new ();
  gtk_file_filter_set_name (filter, _(names[format]));
  gtk_file_filter_add_mime_type (filter, mime[format]);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  g_object_unref (filter);
  g_signal_connect (chooser, "response", G_CALLBACK (on_file_chosen), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}
