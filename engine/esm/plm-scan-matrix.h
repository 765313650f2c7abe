/* plm-scan-matrix.h: the 20 × L score matrix of a variant scan and its per-position summaries,
 * as the Mutations view shows them and `plmlens-cli export --view mutations` draws them. */
#pragma once

#include <glib.h>
#include <stdint.h>

G_BEGIN_DECLS

/* Row orders of the matrix (20 one-letter codes each). */
/* Kyte–Doolittle hydropathy, most hydrophobic first (Kyte & Doolittle 1982). */
#define PLM_SCAN_ORDER_HYDROPHOBICITY "IVLFCMAGTSWYPHEQDNKR"
#define PLM_SCAN_ORDER_ALPHABETICAL   "ACDEFGHIKLMNPQRSTVWY"
/* fair-esm's alphabet order is PLM_SCAN_AMINO_ACIDS (plm-scan.h). */

/* @scores [20, L] (L = @n_tokens − 2): row a, column i = log p(@order[a]) − log p(wt_i) at
 * residue i, from @log_probs [L, vocab] (masked- or wild-type-marginal). The wild type's own
 * row is 0. Columns whose wild type is not a standard amino acid score against it all the same
 * (X, B, Z, U, O are tokens of the vocabulary). */
void  plm_scan_score_matrix      (const float   *log_probs,
                                  int            vocab_size,
                                  const int32_t *tokens,
                                  int            n_tokens,
                                  const char    *order,
                                  float         *scores);
/* Row of @order holding residue @letter's amino acid, −1 when it is not one of the 20. */
int   plm_scan_order_row         (const char    *order,
                                  char           letter);
/* Mean over the 19 substitutions of each column of @scores [20, L] (the wild-type row left out;
 * all 20 rows for a column whose wild type is not in @order). */
void  plm_scan_column_means      (const float   *scores,
                                  int            length,
                                  const char    *order,
                                  const char    *sequence,
                                  float         *means);
/* Entropy in nats of each residue's distribution over the 20 amino acids (the vocabulary's
 * probabilities of the 20, renormalised): 0 … ln 20 ≈ 3.0. */
void  plm_scan_entropies         (const float   *log_probs,
                                  int            vocab_size,
                                  int            length,
                                  float         *entropies);

G_END_DECLS
