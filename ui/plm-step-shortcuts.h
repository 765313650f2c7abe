/* plm-step-shortcuts.h: keyboard shortcuts that step something (a layer, a head) by ±1. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

typedef struct
{
  guint            key;
  GdkModifierType  mods;
  GtkShortcutFunc  func;    /* called with an int32 argument: @delta */
  int              delta;
} PlmStepShortcut;

/* A shortcut controller in the capture phase (before the focus widget's own key handling) with
 * one shortcut per entry of @keys. */
GtkEventController *plm_step_shortcuts_new (const PlmStepShortcut *keys,
                                            guint                  n_keys);

G_END_DECLS
