/* plm-application-actions.c: application-wide actions: preferences, models, fine-tuning, about, quit. */
#include <glib/gi18n.h>

#include "plm-application-private.h"
#include "plm-models-window.h"
#include "plm-preferences-window.h"
#include "plm-training-window.h"

static void
action_preferences (GSimpleAction *action,
                    GVariant      *param,
                    gpointer       user_data)
{
  PlmApplication *self = user_data;
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));

  gtk_window_present (GTK_WINDOW (plm_preferences_window_new (parent, plm_application_get_settings (self))));
}

static void
action_models (GSimpleAction *action,
               GVariant      *param,
               gpointer       user_data)
{
  PlmApplication *self = user_data;
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));

  gtk_window_present (GTK_WINDOW (plm_models_window_new (parent, self)));
}

static void
action_training (GSimpleAction *action,
                 GVariant      *param,
                 gpointer       user_data)
{
  PlmApplication *self = user_data;
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));

  gtk_window_present (GTK_WINDOW (plm_training_window_new (parent, self)));
}

static void
action_about (GSimpleAction *action,
              GVariant      *param,
              gpointer       user_data)
{
  PlmApplication *self = user_data;
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  static const char *developers[] = { "The PLM Lens authors", NULL };

  adw_show_about_window (parent,
                         "application-name", _("PLM Lens"),
                         "application-icon", APP_ID,
                         "version", PLM_VERSION,
                         "developer-name", _("The PLM Lens authors"),
                         "developers", developers,
                         "website", "https://github.com/plmlens/plmlens",
                         "issue-url", "https://github.com/plmlens/plmlens/issues",
                         "license-type", GTK_LICENSE_GPL_3_0,
                         "comments", _("Run the ESM-2 protein language model on your computer and explore what it attends to."),
                         /* Translators: put your names here, one per line */
                         "translator-credits", _("translator-credits"),
                         NULL);
}

static void
action_quit (GSimpleAction *action,
             GVariant      *param,
             gpointer       user_data)
{
  GList *windows = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (user_data)));

  /* Close windows so each saves its state, then quit. */
  for (GList *l = windows; l; l = l->next)
    gtk_window_close (l->data);
  g_list_free (windows);
  g_application_quit (G_APPLICATION (user_data));
}

void
plm_application_actions_init (PlmApplication *self)
{
  static const GActionEntry entries[] = {
    { "preferences", action_preferences },
    { "models", action_models },
    { "training", action_training },
    { "about", action_about },
    { "quit", action_quit },
  };

  g_action_map_add_action_entries (G_ACTION_MAP (self), entries, G_N_ELEMENTS (entries), self);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", (const char *[]) { "<Control>q", NULL });
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.preferences", (const char *[]) { "<Control>comma", NULL });
}
