/* plm-align.h: global alignment of a protein sequence to the residues a structure observed. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * Gotoh's global alignment with affine gaps, scored by BLOSUM62: a gap of k residues costs
 * PLM_ALIGN_GAP_OPEN + (k − 1) × PLM_ALIGN_GAP_EXTEND (−10 − (k − 1), EMBOSS needle's and
 * Biopython's usual protein setting, in whole numbers).
 * End gaps are free on the structure side: residues of @sequence before the first or after the
 * last aligned pair (signal peptides, termini the experiment did not resolve) cost nothing.
 * Residues of @observed left unaligned always cost a gap (an expression tag the sequence lacks).
 * Letters are upper-cased; B and Z have BLOSUM62's own rows, every other letter outside the
 * twenty amino acids (X, U, O, J, *, …) scores as BLOSUM62's X row. Identical pairs are the same
 * letter, one of the twenty, B, Z, U or O (so U–U counts, X–X does not).
 * Ties are broken the same way every time: a pair before a gap in the structure row before a
 * gap in the sequence row, and of equal-scoring ends the one leaving the fewest residues of
 * @sequence after it.
 */
#define PLM_ALIGN_GAP_OPEN   (-10)
#define PLM_ALIGN_GAP_EXTEND (-1)
/* The traceback takes one byte per cell of the (n + 1) × (m + 1) table: refuse more. */
#define PLM_ALIGN_MAX_CELLS  ((gsize) 1 << 28)
/* Either side longer than this is refused too (titin has 34,350 residues). */
#define PLM_ALIGN_MAX_LENGTH 100000

typedef struct {
  int     seq_length;
  int    *seq_to_observed;   /* [seq_length]: index into @observed, or −1 */
  int     aligned;           /* pairs (residue of @sequence, residue of @observed) */
  int     identical;         /* pairs of the same letter */
  double  identity;          /* identical / aligned, NaN when nothing aligned */
  double  coverage;          /* aligned / seq_length */
  int     score;
} PlmAlignment;

/* BLOSUM62 score of two letters (case-insensitive; unknown letters as X). */
int            plm_align_blosum62 (char           a,
                                   char           b);

/* Aligns @sequence (@n letters) to @observed (@m letters). NULL with PLM_ERROR_INPUT for an
 * empty side, PLM_ERROR_RESOURCES when (n + 1) × (m + 1) exceeds PLM_ALIGN_MAX_CELLS or a side
 * PLM_ALIGN_MAX_LENGTH. */
PlmAlignment  *plm_align_global   (const char    *sequence,
                                   int            n,
                                   const char    *observed,
                                   int            m,
                                   GError       **error);
void           plm_alignment_free (PlmAlignment  *alignment);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PlmAlignment, plm_alignment_free)

G_END_DECLS
