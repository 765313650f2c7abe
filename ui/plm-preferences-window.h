/* plm-preferences-window.h: the Preferences window, a view of the GSettings keys. */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define PLM_TYPE_PREFERENCES_WINDOW (plm_preferences_window_get_type ())
G_DECLARE_FINAL_TYPE (PlmPreferencesWindow, plm_preferences_window, PLM, PREFERENCES_WINDOW, AdwPreferencesWindow)

GtkWidget *plm_preferences_window_new (GtkWindow *parent,
                                       GSettings *settings);

G_END_DECLS
