/* plm-structure.h: per-residue Cα/Cβ coordinates from PDB or mmCIF files. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * Reads the first model only; ATOM records plus HETATM MSE (selenomethionine, a standard residue
 * in crystal structures). Alternate locations: the first one seen for an atom wins. Residues are
 * keyed by (chain, author residue number, insertion code), kept in file order.
 * Cβ: Gly → its Cα (the usual contact-map convention); a missing Cβ on another residue → Cα,
 * with has_cb FALSE so callers can tell.
 * mmCIF: the `_atom_site` loop; auth_asym_id / auth_seq_id preferred, label_* as fallback.
 * Errors (PLM_ERROR_FORMAT) name file:line: unparsable coordinates or residue numbers, no atoms,
 * binary data, a truncated mmCIF loop.
 */

typedef struct {
  char   chain[8];     /* "" for a blank PDB chain id */
  int    number;       /* author residue number (PDB resSeq), as in the file */
  char   icode;        /* insertion code or ' ' */
  char   name[8];      /* residue name, e.g. "HIS" */
  float  ca[3];
  float  cb[3];
  gboolean has_ca;
  gboolean has_cb;     /* a real Cβ (or Gly's Cα) */
} PlmResidue;

typedef struct {
  char    *path;
  GArray  *residues;   /* PlmResidue, file order */
} PlmStructure;

/* Detects the format from the content ("data_" / "_atom_site." → mmCIF, else PDB).
 * Files ending in .gz are decompressed. */
PlmStructure     *plm_structure_read         (const char          *path,
                                              GError             **error);
PlmStructure     *plm_structure_parse        (const char          *text,
                                              gsize                length,
                                              const char          *source_name,
                                              GError             **error);
void              plm_structure_free         (PlmStructure        *structure);

/* The residue numbered @number (insertion code ' ') in @chain; @chain NULL = the first chain
 * in the file. NULL when absent or without Cα. */
const PlmResidue *plm_structure_find         (const PlmStructure  *structure,
                                              const char          *chain,
                                              int                  number);

/* Euclidean distance between two points. */
double            plm_structure_distance     (const float         *a,
                                              const float         *b);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PlmStructure, plm_structure_free)

G_END_DECLS
