/* plm-structure-bar.h: Load Structure…, the chain picker and Use Anyway, over the structure the
 * views share (PlmLoadedStructure). */
#pragma once

#include <gtk/gtk.h>

#include "plm-loaded-structure.h"

G_BEGIN_DECLS

#define PLM_TYPE_STRUCTURE_BAR (plm_structure_bar_get_type ())
G_DECLARE_FINAL_TYPE (PlmStructureBar, plm_structure_bar, PLM, STRUCTURE_BAR, GtkWidget)

GtkWidget          *plm_structure_bar_new               (void);
/* The structure the bar loads into and whose chains it lists. */
void                plm_structure_bar_set_structure     (PlmStructureBar    *self,
                                                         PlmLoadedStructure *structure);
/* A view's side of sharing @structure: follow its "changed" signal with @changed (called with
 * @view, once now too), show it in @bar, and align it to the view's @sequence (NULL: none yet). */
void                plm_structure_bar_share             (PlmStructureBar     *bar,
                                                         PlmLoadedStructure **slot,
                                                         gulong              *handler,
                                                         PlmLoadedStructure  *structure,
                                                         const char          *sequence,
                                                         int                  n_residues,
                                                         GCallback            changed,
                                                         gpointer             view);
PlmLoadedStructure *plm_structure_bar_get_structure     (PlmStructureBar    *self);
/* Where errors and refusals are shown (the owning view's status line). */
void                plm_structure_bar_set_message_label (PlmStructureBar    *self,
                                                         GtkLabel           *label);
/* Loads @path, the best chain first; a refusal for low identity makes Use Anyway appear. */
gboolean            plm_structure_bar_load              (PlmStructureBar    *self,
                                                         const char         *path,
                                                         GError            **error);
/* Picks @chain as the drop-down does; a refusal makes Use Anyway appear. */
gboolean            plm_structure_bar_select_chain      (PlmStructureBar    *self,
                                                         const char         *chain,
                                                         GError            **error);
/* Uses what was refused last (Use Anyway). FALSE when nothing was. */
gboolean            plm_structure_bar_force             (PlmStructureBar    *self,
                                                         GError            **error);
/* "Chain A · 100% identical · 92% coverage" for the drop-down's @position (its list shows it,
 * the button only "Chain A"); NULL past the end. */
const char         *plm_structure_bar_get_chain_text    (PlmStructureBar    *self,
                                                         guint               position);
/* The drop-down (visible with two or more chains) and the Use Anyway button, for tests. */
GtkWidget          *plm_structure_bar_get_chain_dropdown (PlmStructureBar   *self);
GtkWidget          *plm_structure_bar_get_force_button  (PlmStructureBar    *self);

G_END_DECLS
