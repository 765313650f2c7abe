/* plm-structure-chains.h: how well a sequence fits each chain of a structure, and which to use. */
#pragma once

#include <glib.h>

#include "plm-structure.h"

G_BEGIN_DECLS

typedef struct {
  char    chain[8];       /* author chain id ("" for a blank PDB chain id) */
  int     n_observed;     /* the chain's amino-acid residues with a Cα */
  int     aligned;        /* sequence residues aligned to one of them */
  int     identical;      /* … of the same amino acid */
  double  identity;       /* identical / aligned (NaN when nothing aligned) */
  double  coverage;       /* aligned / sequence length */
} PlmChainFit;

/* Aligns @sequence (@length letters) to every chain of @structure with amino-acid residues, in
 * file order, as plm_structure_map_align does (forced: no identity threshold). Chains without
 * amino acids (ligands, waters, DNA) are left out. NULL with the aligner's error when it
 * refuses a size, or PLM_ERROR_INPUT when no chain has amino acids. */
GArray *plm_structure_chain_fits (const PlmStructure  *structure,
                                  const char          *sequence,
                                  int                  length,
                                  GError             **error);

/* The index in @fits (PlmChainFit) of the chain to use by default: of the chains at or above
 * PLM_STRUCTURE_MIN_IDENTITY, the one with the most identical residues (so a short peptide of
 * the same protein does not beat the full chain); when none is, the one with the highest
 * identity. Ties go to the first in the file. −1 for an empty array. */
int     plm_structure_chain_best (const GArray        *fits);

G_END_DECLS
