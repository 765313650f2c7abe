/* plm-structure-negative.h: the Structure view's second panel in the NM pair mode: the Pair
 * view's negative pair (its chain A beside the negative partner's own structure), titled
 * "Negative pair", with the chains' top cross-attention residues red and blue (the
 * NM-Transformer paper's Figure 4, positive vs negative pair). */
#pragma once

#include <gtk/gtk.h>

#include "plm-structure-area.h"
#include "plm-structure-map.h"

G_BEGIN_DECLS

#define PLM_TYPE_STRUCTURE_NEGATIVE (plm_structure_negative_get_type ())
G_DECLARE_FINAL_TYPE (PlmStructureNegative, plm_structure_negative, PLM, STRUCTURE_NEGATIVE, GtkWidget)

typedef struct _PlmPairView PlmPairView;

GtkWidget        *plm_structure_negative_new         (void);
/* Reads the negative partner's structure (PDB or mmCIF). When the Pair view (@pair, may be
 * NULL) has computed a negative pair, a chain must be at least 90% identical to its partner
 * (chain B), else it is refused with a translated message naming the best chain. Emits
 * "changed" when loaded. */
gboolean          plm_structure_negative_load        (PlmStructureNegative *self,
                                                      PlmPairView          *pair,
                                                      const char           *path,
                                                      GError              **error);
/* Builds the panel from @pair's negative pair: chain A from @positive (the complex shown on the
 * left) or else from the negative partner's file, chain B from that file. TRUE when it is
 * shown; FALSE hides the panel, with plm_structure_negative_get_message saying why (NULL when
 * nothing is missing but the file). */
gboolean          plm_structure_negative_update      (PlmStructureNegative *self,
                                                      PlmPairView          *pair,
                                                      const PlmStructure   *positive);
void              plm_structure_negative_hide        (PlmStructureNegative *self);
const char       *plm_structure_negative_get_message (PlmStructureNegative *self);
/* The loaded file's base name, or NULL. */
const char       *plm_structure_negative_get_name    (PlmStructureNegative *self);
/* The chain ids shown for the negative pair's chain A and B ("" before). */
const char       *plm_structure_negative_get_chain   (PlmStructureNegative *self,
                                                      int                   chain);
PlmStructureArea *plm_structure_negative_get_area    (PlmStructureNegative *self);
/* The tooltip of scene residue @residue of a pair's scene (sequence 0 chain A, 1 chain B, with
 * @sequences their residues): "K144 · chain A 144". */
char             *plm_structure_pair_readout         (const PlmStructureScene *scene,
                                                      int                      residue,
                                                      const char              *sequences[2]);

G_END_DECLS
