/* plm-structure.h: per-residue Cα/Cβ coordinates from PDB or mmCIF files. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * What is read:
 * - the first model only (PDB: up to the first ENDMDL; mmCIF: the first pdbx_PDB_model_num);
 * - PDB: ATOM records of any residue, and HETATM records of modified amino acids (MSE, SEP,
 *   TPO, …; see plm_structure_parent_letter) unless they follow their chain's TER (ligands);
 *   mmCIF: the polymer's records, those with a label_seq_id (without that column, as in PDB
 *   files). Waters, ions, ligands and every residue without a Cα are skipped; residue names
 *   not in the table get the letter X;
 * - alternate locations: per atom (Cα, Cβ) the one with the highest occupancy, the first one
 *   seen when occupancies tie (a missing occupancy counts as 1);
 * - residues keyed by (chain, author residue number, insertion code), kept in file order.
 * Numbering: the author's (PDB chain id and resSeq + iCode; mmCIF auth_asym_id, auth_seq_id,
 * pdbx_PDB_ins_code) is what users see, as in PDB files. mmCIF files also carry the label_*
 * numbering (label_asym_id, label_seq_id), kept beside it; label_* stands in for a missing
 * auth_* column.
 * Cβ: Gly → its Cα (the usual contact-map convention); a missing Cβ on another residue → Cα,
 * with has_cb FALSE so callers can tell.
 * Errors (PLM_ERROR_FORMAT) name file:line: unparsable coordinates, occupancies or residue
 * numbers, no amino-acid residues, binary data, a truncated mmCIF loop.
 */

typedef struct {
  char   chain[8];       /* author chain id; "" for a blank PDB chain id */
  int    number;         /* author residue number (PDB resSeq), as in the file */
  char   icode;          /* insertion code or ' ' */
  char   name[8];        /* residue name as in the file, e.g. "MSE" */
  char   letter;         /* one-letter code of the (parent) amino acid, e.g. 'M' for MSE; 'X' unknown */
  char   label_chain[8]; /* mmCIF label_asym_id; "" in PDB files */
  int    label_number;   /* mmCIF label_seq_id; 0 in PDB files */
  float  ca[3];
  float  cb[3];
  float  ca_occupancy;   /* of the alternate location kept */
  float  cb_occupancy;
  gboolean has_ca;       /* always TRUE for residues in PlmStructure.residues */
  gboolean has_cb;       /* a real Cβ (or Gly's Cα) */
} PlmResidue;

typedef struct {
  char      *path;
  GArray    *residues;   /* PlmResidue, file order; each has a Cα */
  GPtrArray *chains;     /* char *: every chain id with atoms in the first model, file order
                          * (also those without amino-acid residues: ligands, waters, DNA) */
} PlmStructure;

/* Detects the format from the content ("data_" / "_atom_site." → mmCIF, else PDB).
 * Files ending in .gz are decompressed. */
PlmStructure     *plm_structure_read          (const char          *path,
                                               GError             **error);
PlmStructure     *plm_structure_parse         (const char          *text,
                                               gsize                length,
                                               const char          *source_name,
                                               GError             **error);
void              plm_structure_free          (PlmStructure        *structure);

/* The one-letter code of the amino acid @name (three letters, upper case) is or derives from:
 * the 20 standard ones, SEC → U, PYL → O, UNK → X, and modified residues → their parent
 * (MSE → M, SEP → S, PCA → Q, …: the table in plm-structure.c). '\0' for anything else
 * (waters, ligands, nucleotides). */
char              plm_structure_parent_letter (const char          *name);

/* The residue numbered @number (insertion code ' ') in @chain; @chain NULL = the first chain
 * in the file. NULL when absent. */
const PlmResidue *plm_structure_find          (const PlmStructure  *structure,
                                               const char          *chain,
                                               int                  number);

/* Euclidean distance between two points. */
double            plm_structure_distance      (const float         *a,
                                               const float         *b);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PlmStructure, plm_structure_free)

G_END_DECLS
