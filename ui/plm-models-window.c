/* plm-models-window.c: lists the model directory and the catalogue; downloads on demand. */
#include <glib/gi18n.h>

#include "plm-install.h"
#include "plm-models-window.h"
#include "plm-window.h"

struct _PlmModelsWindow
{
  AdwPreferencesWindow  parent_instance;
  AdwPreferencesGroup  *installed_group;
  AdwPreferencesGroup  *recent_group;
  AdwPreferencesGroup  *available_group;
  PlmApplication       *application;
  GPtrArray            *rows;           /* rows we added, to remove them on refresh */
  GCancellable         *cancellable;
  gboolean              disposed;           /* a download finishing later must not touch widgets */
};

G_DEFINE_FINAL_TYPE (PlmModelsWindow, plm_models_window, ADW_TYPE_PREFERENCES_WINDOW)

static void refresh (PlmModelsWindow *self);

static PlmWindow *
main_window (PlmModelsWindow *self)
{
  GtkWindow *parent = gtk_window_get_transient_for (GTK_WINDOW (self));
  return PLM_IS_WINDOW (parent) ? PLM_WINDOW (parent) : NULL;
}

static void
on_use_clicked (GtkButton       *button,
                PlmModelsWindow *self)
{
  const char *path = g_object_get_data (G_OBJECT (button), "path");
  PlmWindow *window = main_window (self);

  if (window != NULL)
    plm_window_load_model (window, path, FALSE);
  gtk_window_close (GTK_WINDOW (self));
}

static void
on_open_checkpoint (PlmModelsWindow *self)
{
  PlmWindow *window = main_window (self);

  if (window != NULL)
    gtk_widget_activate_action (GTK_WIDGET (window), "win.open-checkpoint", NULL);
  gtk_window_close (GTK_WINDOW (self));
}

static void
on_installed (gpointer      owner,
              const char   *path,
              const char   *checks,
              const GError *error)
{
  PlmModelsWindow *self = owner;

  if (self->disposed)
    return;
  g_clear_object (&self->cancellable);
  if (path == NULL)
    {
      AdwToast *toast = adw_toast_new (error->message);

      adw_toast_set_timeout (toast, 0);
      adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), toast);
    }
  else
    {
      g_autofree char *name = g_path_get_basename (path);
      /* Translators: a model's name, then how each of its files was verified */
      g_autofree char *text = g_strdup_printf (_("%s installed. %s"), name, checks);
      AdwToast *toast = adw_toast_new (text);

      adw_toast_set_timeout (toast, 0);
      adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), toast);
    }
  refresh (self);
}

static void
on_download_clicked (GtkButton       *button,
                     PlmModelsWindow *self)
{
  const PlmCatalogueEntry *entry = g_object_get_data (G_OBJECT (button), "entry");
  PlmModelStore *store = plm_application_get_model_store (self->application);
  GtkWidget *box = gtk_widget_get_parent (GTK_WIDGET (button));
  GtkWidget *progress;

  if (self->cancellable != NULL)
    {
      /* One download at a time: the button of the running one cancels it. */
      g_cancellable_cancel (self->cancellable);
      return;
    }

  progress = gtk_progress_bar_new ();
  gtk_progress_bar_set_show_text (GTK_PROGRESS_BAR (progress), TRUE);
  gtk_widget_set_valign (progress, GTK_ALIGN_CENTER);
  gtk_widget_set_size_request (progress, 160, -1);
  gtk_box_prepend (GTK_BOX (box), progress);
  gtk_button_set_label (button, _("Cancel"));
  self->cancellable = g_cancellable_new ();
  plm_install_start (store, entry, GTK_PROGRESS_BAR (progress), self->cancellable, self, on_installed);
}

static void
add_row (PlmModelsWindow     *self,
         AdwPreferencesGroup *group,
         GtkWidget           *row)
{
  adw_preferences_group_add (group, row);
  g_ptr_array_add (self->rows, g_object_ref (row));
  g_object_set_data (G_OBJECT (row), "group", group);
}

static gboolean
same_path (const char *a,
           const char *b)
{
  g_autofree char *ca = NULL;
  g_autofree char *cb = NULL;

  if (a == NULL || b == NULL)
    return FALSE;
  ca = g_canonicalize_filename (a, NULL);
  cb = g_canonicalize_filename (b, NULL);
  return g_str_equal (ca, cb);
}

/* A checkpoint on disk: its name and path, then "Loaded" for the model in use, else Use. */
static void
add_model_row (PlmModelsWindow     *self,
               AdwPreferencesGroup *group,
               const char          *path)
{
  const char *loaded = plm_inference_worker_get_model_path (plm_application_get_worker (self->application));
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *name = g_path_get_basename (path);
  g_autofree char *escaped = g_markup_escape_text (name, -1);
  g_autofree char *subtitle = g_markup_escape_text (path, -1);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), escaped);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  if (same_path (path, loaded))
    {
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
      GtkWidget *icon = gtk_image_new_from_icon_name ("object-select-symbolic");
      GtkWidget *label = gtk_label_new (_("Loaded"));

      gtk_widget_add_css_class (box, "accent");
      gtk_box_append (GTK_BOX (box), icon);
      gtk_box_append (GTK_BOX (box), label);
      gtk_widget_set_valign (box, GTK_ALIGN_CENTER);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), box);
      g_object_set_data (G_OBJECT (row), "loaded", GINT_TO_POINTER (TRUE));
    }
  else
    {
      GtkWidget *button = gtk_button_new_with_mnemonic (_("_Use"));

      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      g_object_set_data_full (G_OBJECT (button), "path", g_strdup (path), g_free);
      g_signal_connect (button, "clicked", G_CALLBACK (on_use_clicked), self);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
    }
  g_object_set_data_full (G_OBJECT (row), "path", g_strdup (path), g_free);
  add_row (self, group, row);
}

static void
refresh (PlmModelsWindow *self)
{
  PlmModelStore *store = plm_application_get_model_store (self->application);
  const PlmCatalogue *catalogue = plm_application_get_catalogue (self->application);
  g_auto(GStrv) installed = plm_model_store_list_installed (store);
  g_auto(GStrv) old_recent = g_settings_get_strv (plm_application_get_settings (self->application), "recent-checkpoints");
  g_auto(GStrv) recent = plm_model_store_update_recent ((const char * const *) old_recent, NULL, G_MAXUINT);
  gboolean any_recent = FALSE;

  if (self->disposed)
    return;

  for (guint i = 0; i < self->rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (self->rows, i);
      adw_preferences_group_remove (g_object_get_data (G_OBJECT (row), "group"), row);
    }
  g_ptr_array_set_size (self->rows, 0);

  for (guint i = 0; installed[i]; i++)
    add_model_row (self, self->installed_group, installed[i]);
  /* most recent first, pruned of what no longer exists; the installed ones are listed above */
  for (guint i = 0; recent[i]; i++)
    {
      gboolean is_installed = FALSE;

      for (guint j = 0; installed[j] && !is_installed; j++)
        is_installed = same_path (recent[i], installed[j]);
      if (is_installed)
        continue;
      add_model_row (self, self->recent_group, recent[i]);
      any_recent = TRUE;
    }
  gtk_widget_set_visible (GTK_WIDGET (self->recent_group), any_recent);
  if (installed[0] == NULL)
    {
      GtkWidget *row = adw_action_row_new ();
      g_autofree char *dir = g_markup_escape_text (plm_model_store_get_directory (store), -1);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("No models installed"));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), dir);
      add_row (self, self->installed_group, row);
    }

  for (guint i = 0; catalogue && i < catalogue->n_entries; i++)
    {
      const PlmCatalogueEntry *e = &catalogue->entries[i];
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
      gint64 size = plm_catalogue_entry_size (e) > 0 ? plm_catalogue_entry_size (e) : e->approximate_size;
      g_autofree char *size_text = g_format_size (size);
      g_autofree char *subtitle = NULL;
      g_autofree char *title = g_markup_escape_text (e->name, -1);
      gboolean have = plm_model_store_is_installed (store, e->id);

      /* Translators: layers, attention heads, width, download size */
      subtitle = g_strdup_printf (_("%d layers · %d heads · width %d · %s"), e->n_layers, e->n_heads, e->d_model, size_text);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      if (have)
        {
          GtkWidget *label = gtk_label_new (_("Installed"));
          gtk_widget_add_css_class (label, "dim-label");
          gtk_box_append (GTK_BOX (box), label);
        }
      else
        {
          GtkWidget *button = gtk_button_new_with_mnemonic (_("_Download"));
          gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
          gtk_widget_set_sensitive (button, self->cancellable == NULL);
          g_object_set_data (G_OBJECT (button), "entry", (gpointer) e);
          g_signal_connect (button, "clicked", G_CALLBACK (on_download_clicked), self);
          gtk_box_append (GTK_BOX (box), button);
        }
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), box);
      add_row (self, self->available_group, row);
    }
}

static void
plm_models_window_dispose (GObject *object)
{
  PlmModelsWindow *self = (PlmModelsWindow *) object;

  self->disposed = TRUE;
  if (self->cancellable)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->rows, g_ptr_array_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), PLM_TYPE_MODELS_WINDOW);
  G_OBJECT_CLASS (plm_models_window_parent_class)->dispose (object);
}

static void
plm_models_window_class_init (PlmModelsWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = plm_models_window_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/plmlens/PlmLens/ui/plm-models-window.ui");
  gtk_widget_class_bind_template_child (widget_class, PlmModelsWindow, installed_group);
  gtk_widget_class_bind_template_child (widget_class, PlmModelsWindow, recent_group);
  gtk_widget_class_bind_template_child (widget_class, PlmModelsWindow, available_group);
  gtk_widget_class_bind_template_callback (widget_class, on_open_checkpoint);
}

static void
plm_models_window_init (PlmModelsWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->rows = g_ptr_array_new_with_free_func (g_object_unref);
}

GtkWidget *
plm_models_window_new (GtkWindow      *parent,
                       PlmApplication *application)
{
  PlmModelsWindow *self = g_object_new (PLM_TYPE_MODELS_WINDOW,
                                        "transient-for", parent,
                                        "application", application,
                                        NULL);

  self->application = application;
  /* the "Loaded" mark follows the model in use */
  g_signal_connect_object (plm_application_get_worker (application), "notify::model-path",
                           G_CALLBACK (refresh), self, G_CONNECT_SWAPPED);
  refresh (self);
  return GTK_WIDGET (self);
}
