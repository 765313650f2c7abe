/* plm-scan.h: variant effects from the masked-language-model head (fair-esm's rule, as in its
 * examples/variant-prediction): the score of wt → mt at a position is log p(mt) − log p(wt),
 * with log-softmax over the model's whole vocabulary. */
#pragma once

#include <gio/gio.h>
#include <stdint.h>

#include "plm-esm.h"

G_BEGIN_DECLS

typedef enum {
  PLM_SCAN_MASKED_MARGINAL,   /* one forward per position, that position set to <mask> */
  PLM_SCAN_WT_MARGINAL,       /* one forward of the unmasked sequence */
} PlmScanMode;

/* The 20 standard amino acids in fair-esm's alphabet order: the order of the mutants of a scan. */
#define PLM_SCAN_AMINO_ACIDS "LAGVSERTIDPKQNFYMHWC"

/* Receives residue @position's (0-based) log-probabilities [vocab] as soon as they are known. */
typedef void (*PlmScanPositionFunc) (int          position,
                                     const float *log_probs,
                                     int          vocab_size,
                                     gpointer     user_data);

typedef struct {
  PlmProgressFunc     progress_func;   /* positions done / L (masked), layers (wt) */
  gpointer            progress_data;
  PlmScanPositionFunc position_func;
  gpointer            position_data;
  GCancellable       *cancellable;
  int                 batch;           /* masked copies per forward; 0 = automatic */
} PlmScanOptions;

/* Log-probabilities of every token at every residue: @log_probs [L, vocab], L = @n_tokens − 2,
 * row i for residue i (token i + 1). Positions with @skip[i] set (may be NULL) are neither
 * computed nor written (resumed or not needed). PLM_ERROR_CANCELLED when cancelled. */
gboolean  plm_scan_log_probs      (PlmEsmState          *state,
                                   const int32_t        *tokens,
                                   int                   n_tokens,
                                   PlmScanMode           mode,
                                   const gboolean       *skip,
                                   const PlmScanOptions *options,
                                   float                *log_probs,
                                   GError              **error);

/* Default masked copies per forward for @model at @n_tokens. */
int       plm_scan_default_batch  (const PlmModel       *model,
                                   int                   n_tokens);

/* out[n] = log softmax (x[n]), accumulated in double. out may be x. */
void      plm_log_softmax         (float                *out,
                                   const float          *x,
                                   int                   n);

/* Wild-type-marginal log-probabilities @log_probs [L, vocab] read from the @logits [T, vocab]
 * of one unmasked forward (what the app's inference worker already has): row i is the
 * log-softmax of token i + 1's logits. */
void      plm_scan_wt_marginal    (const float          *logits,
                                   int                   n_tokens,
                                   int                   vocab_size,
                                   float                *log_probs);

/* Σ over residues of log p(the residue's own token) from masked-marginal @log_probs. */
double    plm_scan_pseudo_log_likelihood (const float   *log_probs,
                                          int            vocab_size,
                                          const int32_t *tokens,
                                          int            n_tokens);

typedef struct {
  int position;   /* 0-based residue */
  int wt, mt;     /* token ids */
} PlmMutation;

/* Parses "A23G" or "A23G:L45P" (1-based positions) against @tokens; the wild-type letter must
 * be the sequence's, the mutant one of the 20 standard amino acids, each position at most once.
 * Appends PlmMutation to @out. PLM_ERROR_INPUT with a message naming the problem. */
gboolean  plm_scan_parse_mutant   (const char           *text,
                                   const int32_t        *tokens,
                                   int                   n_tokens,
                                   GArray               *out,
                                   GError              **error);

/* Σ log p(mt) − log p(wt) over @n mutations (additive). */
double    plm_scan_mutant_score   (const float          *log_probs,
                                   int                   vocab_size,
                                   const PlmMutation    *mutations,
                                   int                   n);

G_END_DECLS
