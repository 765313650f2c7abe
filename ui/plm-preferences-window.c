/* plm-preferences-window.c: binds the Preferences rows to GSettings. */
#include <glib/gi18n.h>

#include "plm-model-store.h"
#include "plm-preferences-window.h"
#include "plm-quant.h"

struct _PlmPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;
  GtkAdjustment        *threads_adjustment;
  AdwComboRow          *color_map_row;
  AdwComboRow          *precision_row;
  AdwActionRow         *model_dir_row;
  GSettings            *settings;
};

G_DEFINE_FINAL_TYPE (PlmPreferencesWindow, plm_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

enum {
  PROP_0,
  PROP_SETTINGS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
update_dir (PlmPreferencesWindow *self)
{
  g_autofree char *dir = g_settings_get_string (self->settings, "model-directory");

  if (dir[0] == '\0')
    {
      g_free (dir);
      dir = plm_model_store_default_directory ();
    }
  adw_action_row_set_subtitle (self->model_dir_row, dir);
}

static void
on_reset_dir (PlmPreferencesWindow *self)
{
  g_settings_reset (self->settings, "model-directory");
}

static void
on_dir_chosen (GtkNativeDialog      *dialog,
               int                   response,
               PlmPreferencesWindow *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = g_file_get_path (file);

      if (path != NULL)
        g_settings_set_string (self->settings, "model-directory", path);
    }
  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
}

static void
on_choose_dir (PlmPreferencesWindow *self)
{
  GtkFileChooserNative *dialog;

  dialog = gtk_file_chooser_native_new (_("Choose the Model Folder"), GTK_WINDOW (self),
                                        GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER, _("_Select"), _("_Cancel"));
  g_signal_connect (dialog, "response", G_CALLBACK (on_dir_chosen), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static gboolean
enum_to_index (GValue   *value,
               GVariant *variant,
               gpointer  user_data)
{
  static const char *nicks[] = { "viridis", "magma", "cividis", "grayscale" };
  const char *nick = g_variant_get_string (variant, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (nicks); i++)
    if (g_str_equal (nick, nicks[i]))
      {
        g_value_set_uint (value, i);
        return TRUE;
      }
  return FALSE;
}

static GVariant *
index_to_enum (const GValue       *value,
               const GVariantType *type,
               gpointer            user_data)
{
  static const char *nicks[] = { "viridis", "magma", "cividis", "grayscale" };
  guint i = g_value_get_uint (value);

  return i < G_N_ELEMENTS (nicks) ? g_variant_new_string (nicks[i]) : NULL;
}

static gboolean
precision_to_index (GValue   *value,
                    GVariant *variant,
                    gpointer  user_data)
{
  PlmPrecision precision;

  if (!plm_precision_parse (g_variant_get_string (variant, NULL), &precision))
    return FALSE;
  g_value_set_uint (value, precision);
  return TRUE;
}

static GVariant *
index_to_precision (const GValue       *value,
                    const GVariantType *type,
                    gpointer            user_data)
{
  guint i = g_value_get_uint (value);

  return i <= PLM_PRECISION_INT8 ? g_variant_new_string (plm_precision_name ((PlmPrecision) i)) : NULL;
}

static void
plm_preferences_window_constructed (GObject *object)
{
  PlmPreferencesWindow *self = PLM_PREFERENCES_WINDOW (object);

  G_OBJECT_CLASS (plm_preferences_window_parent_class)->constructed (object);

  g_settings_bind (self->settings, "threads", self->threads_adjustment, "value", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind_with_mapping (self->settings, "color-map", self->color_map_row, "selected",
                                G_SETTINGS_BIND_DEFAULT, enum_to_index, index_to_enum, NULL, NULL);
  g_settings_bind_with_mapping (self->settings, "precision", self->precision_row, "selected",
                                G_SETTINGS_BIND_DEFAULT, precision_to_index, index_to_precision, NULL, NULL);
  g_signal_connect_object (self->settings, "changed::model-directory", G_CALLBACK (update_dir),
                           self, G_CONNECT_SWAPPED);
  update_dir (self);
}

static void
plm_preferences_window_dispose (GObject *object)
{
  PlmPreferencesWindow *self = (PlmPreferencesWindow *) object;

  g_clear_object (&self->settings);
  gtk_widget_dispose_template (GTK_WIDGET (self), PLM_TYPE_PREFERENCES_WINDOW);
  G_OBJECT_CLASS (plm_preferences_window_parent_class)->dispose (object);
}

static void
plm_preferences_window_set_property (GObject      *object,
                                     guint         prop_id,
                                     const GValue *value,
                                     GParamSpec   *pspec)
{
  PlmPreferencesWindow *self = PLM_PREFERENCES_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      self->settings = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
plm_preferences_window_class_init (PlmPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = plm_preferences_window_constructed;
  object_class->dispose = plm_preferences_window_dispose;
  object_class->set_property = plm_preferences_window_set_property;

  properties[PROP_SETTINGS] = g_param_spec_object ("settings", NULL, NULL, G_TYPE_SETTINGS,
                                                   G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/plmlens/PlmLens/ui/plm-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, PlmPreferencesWindow, threads_adjustment);
  gtk_widget_class_bind_template_child (widget_class, PlmPreferencesWindow, color_map_row);
  gtk_widget_class_bind_template_child (widget_class, PlmPreferencesWindow, precision_row);
  gtk_widget_class_bind_template_child (widget_class, PlmPreferencesWindow, model_dir_row);
  gtk_widget_class_bind_template_callback (widget_class, on_reset_dir);
  gtk_widget_class_bind_template_callback (widget_class, on_choose_dir);
}

static void
plm_preferences_window_init (PlmPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
plm_preferences_window_new (GtkWindow *parent,
                            GSettings *settings)
{
  return g_object_new (PLM_TYPE_PREFERENCES_WINDOW,
                       "transient-for", parent,
                       "settings", settings,
                       NULL);
}
