/* plm-structure-view.h: the Structure page: the loaded PDB/mmCIF structure in 3D (a spline tube
 * through Cα), coloured by attention received, HA sites, annotations, contact agreement or
 * chain, with the strongest attention pairs as links; linked to the shared residue selection. */
#pragma once

#include <gtk/gtk.h>

#include "plm-figure.h"
#include "plm-ha-view.h"
#include "plm-inference-worker.h"
#include "plm-loaded-structure.h"
#include "plm-selection.h"
#include "plm-structure-area.h"
#include "plm-structure-bar.h"
#include "plm-structure-color.h"

G_BEGIN_DECLS

#define PLM_TYPE_STRUCTURE_VIEW (plm_structure_view_get_type ())
G_DECLARE_FINAL_TYPE (PlmStructureView, plm_structure_view, PLM, STRUCTURE_VIEW, GtkWidget)

GtkWidget        *plm_structure_view_new            (void);
void              plm_structure_view_set_result     (PlmStructureView     *self,
                                                     PlmInferenceResult   *result);
/* The structure the window's views share (Contacts, HA sites, Structure): loading it in any
 * shows it in all. The view has one of its own until this is called. */
void              plm_structure_view_set_structure  (PlmStructureView     *self,
                                                     PlmLoadedStructure   *structure);
/* Loads @path into the shared structure through the view's structure bar (the best chain; a
 * chain below 90% identity is refused, with Use Anyway). */
gboolean          plm_structure_view_load_structure (PlmStructureView     *self,
                                                     const char           *path,
                                                     GError              **error);
/* The loaded file when it is shown (aligned to the result), or NULL. */
const char       *plm_structure_view_get_path       (PlmStructureView     *self);
/* Picks another chain of the shared structure, as the bar's drop-down does. */
gboolean          plm_structure_view_set_chain      (PlmStructureView     *self,
                                                     const char           *chain,
                                                     GError              **error);
/* The chain shown, or NULL. */
const char       *plm_structure_view_get_chain      (PlmStructureView     *self);
/* Load Structure…, the chain picker and Use Anyway (for tests). */
PlmStructureBar  *plm_structure_view_get_structure_bar (PlmStructureView  *self);
void              plm_structure_view_set_coloring   (PlmStructureView     *self,
                                                     PlmStructureColoring  coloring);
/* 0-based layer; @head −1 = the mean over heads. */
void              plm_structure_view_set_attention  (PlmStructureView     *self,
                                                     int                   layer,
                                                     int                   head);
/* Attention links shown (the strongest pairs). */
void              plm_structure_view_set_links      (PlmStructureView     *self,
                                                     int                   k);
void              plm_structure_view_set_color_map  (PlmStructureView     *self,
                                                     PlmColorMap           map);
void              plm_structure_view_set_selection  (PlmStructureView     *self,
                                                     PlmSelection         *selection);
/* The Pair view whose positive pair the NM pair colouring shows on two chains (the NM-Transformer
 * paper's Figure 4: chain A's top cross-attention residues red, chain B's blue). */
typedef struct _PlmPairView PlmPairView;
void              plm_structure_view_set_pair_source (PlmStructureView    *self,
                                                      PlmPairView         *pair_view);
/* The negative partner's structure (chain B of the Pair view's negative pair): in the NM pair
 * mode the negative pair is then drawn beside the positive one, each panel titled, and Export
 * Figure writes both. Refused with @error when the Pair view has a negative pair none of whose
 * file's chains match at ≥ 90% identity. */
typedef struct _PlmStructureNegative PlmStructureNegative;
gboolean          plm_structure_view_load_negative  (PlmStructureView     *self,
                                                     const char           *path,
                                                     GError              **error);
PlmStructureNegative *plm_structure_view_get_negative (PlmStructureView   *self);
/* The HA view whose loaded annotations the "active" colouring shows. */
void              plm_structure_view_set_track_source (PlmStructureView   *self,
                                                       PlmHaView          *ha_view);
/* 0-based sequence residue highlighted from the selection, −1 for none. */
int               plm_structure_view_get_highlighted (PlmStructureView    *self);
/* The tooltip of sequence residue @index: "K144 · chain A 144 · attention 0.31". */
char             *plm_structure_view_readout        (PlmStructureView     *self,
                                                     int                   index);
/* The status line (identity, coverage, residues observed, or what to do). */
const char       *plm_structure_view_get_status     (PlmStructureView     *self);
PlmStructureArea *plm_structure_view_get_area       (PlmStructureView     *self);
/* The figure of what is shown (same colouring, rotation, links); NULL without a structure. */
PlmFigure        *plm_structure_view_create_figure  (PlmStructureView     *self,
                                                     const char           *record);

G_END_DECLS
