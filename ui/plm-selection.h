/* plm-selection.h: the residue hovered or selected in any view, shared by every view of a result. */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define PLM_TYPE_SELECTION (plm_selection_get_type ())
G_DECLARE_FINAL_TYPE (PlmSelection, plm_selection, PLM, SELECTION, GObject)

PlmSelection *plm_selection_new         (void);
/* 0-based residue index (no special tokens), -1 for none. Notifies only on change. */
void          plm_selection_set_residue (PlmSelection *self,
                                         int           residue);
int           plm_selection_get_residue (PlmSelection *self);

/* Called as changed (view, NULL, selection) when the residue changes, and once on binding. */
typedef void (*PlmSelectionChanged) (gpointer view, GParamSpec *pspec, PlmSelection *selection);

/* Moves a view from the selection in *@slot (with its "notify::residue" handler *@handler) to
 * @selection, calling @changed once with it; the one place views bind to a selection. */
void          plm_selection_bind        (PlmSelection       **slot,
                                         gulong              *handler,
                                         PlmSelection        *selection,
                                         PlmSelectionChanged  changed,
                                         gpointer             view);

G_END_DECLS
