/* plm-structure-map.h: which structure residue each residue of a sequence is. */
#pragma once

#include <glib.h>

#include "plm-structure.h"

G_BEGIN_DECLS

/* Below this identity (identical / aligned pairs) a sequence and a chain are not taken for the
 * same protein unless the caller forces it. */
#define PLM_STRUCTURE_MIN_IDENTITY 0.9

typedef struct {
  char    chain[8];       /* the chain mapped (author chain id) */
  int     length;         /* sequence length L */
  int    *residue;        /* [L]: index into structure->residues, or −1 (not observed) */
  int     n_observed;     /* residues of the chain in the structure */
  int     aligned;        /* sequence residues with a structure residue */
  int     identical;      /* … of the same amino acid (modified residues count as their parent) */
  double  identity;       /* identical / aligned (NaN when nothing aligned) */
  double  coverage;       /* aligned / L */
} PlmStructureMap;

/* Aligns @sequence (@length letters) to the residues of @chain (NULL: the chain it fits best,
 * plm_structure_chain_best ()) as observed, in file order (plm-align.h: BLOSUM62, free end gaps on the structure
 * side). Errors, all PLM_ERROR_INPUT unless the aligner refuses the size: no such chain (the
 * message lists the chains), a chain without amino-acid residues, identity below
 * PLM_STRUCTURE_MIN_IDENTITY (unless @force). */
PlmStructureMap  *plm_structure_map_align    (const PlmStructure     *structure,
                                              const char             *chain,
                                              const char             *sequence,
                                              int                     length,
                                              gboolean                force,
                                              GError                **error);
/* No alignment: sequence residue i is the residue numbered @start + i (blank insertion code)
 * of @chain. The same chain errors and identity check as plm_structure_map_align. */
PlmStructureMap  *plm_structure_map_numbered (const PlmStructure     *structure,
                                              const char             *chain,
                                              const char             *sequence,
                                              int                     length,
                                              int                     start,
                                              gboolean                force,
                                              GError                **error);
/* The structure residue of sequence residue @i, or NULL. */
const PlmResidue *plm_structure_map_get      (const PlmStructureMap  *map,
                                              const PlmStructure     *structure,
                                              int                     i);
void              plm_structure_map_free     (PlmStructureMap        *map);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PlmStructureMap, plm_structure_map_free)

G_END_DECLS
