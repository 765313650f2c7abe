/* plm-file-chooser.c: the views' Load… buttons. */
#include <glib/gi18n.h>

#include "plm-file-chooser.h"

typedef struct {
  GtkWidget   *owner;
  PlmLoadFunc  load;
  GtkLabel    *error_label;
} LoadRequest;

static void
on_file_chosen (GtkNativeDialog *dialog,
                int              response,
                LoadRequest     *request)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = g_file_get_path (file);
      g_autoptr(GError) error = NULL;

      if (path != NULL && !request->load (request->owner, path, &error))
        gtk_label_set_text (request->error_label, error->message);
    }
  g_object_unref (dialog);
  g_object_unref (request->error_label);
  g_object_unref (request->owner);
  g_free (request);
}

void
plm_choose_file_to_load (GtkWidget          *owner,
                         const char         *title,
                         const char         *filter_name,
                         const char * const *patterns,
                         PlmLoadFunc         load,
                         GtkLabel           *error_label)
{
  GtkRoot *root = gtk_widget_get_root (owner);
  GtkFileChooserNative *dialog;
  LoadRequest *request;

  dialog = gtk_file_chooser_native_new (title, GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                        GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"), _("_Cancel"));
  if (patterns != NULL)
    {
      GtkFileFilter *filter = gtk_file_filter_new ();

      gtk_file_filter_set_name (filter, filter_name);
      for (int i = 0; patterns[i] != NULL; i++)
        gtk_file_filter_add_pattern (filter, patterns[i]);
      gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), filter);
      g_object_unref (filter);
    }
  request = g_new0 (LoadRequest, 1);
  request->owner = g_object_ref (owner);
  request->load = load;
  request->error_label = g_object_ref (error_label);
  g_signal_connect (dialog, "response", G_CALLBACK (on_file_chosen), request);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}
