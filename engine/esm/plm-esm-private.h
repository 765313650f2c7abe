/* plm-esm-private.h: the forward pass's internals shared by plm-esm.c (one sequence, the layer
 * loop) and plm-esm-batch.c (several sequences per forward: packed batches, masked copies). */
#pragma once

#include "plm-esm.h"

struct _PlmEsmState {
  const PlmModel *model;
  int     capacity;     /* largest T the arena holds */
  int     capacity_rows;/* largest number of rows (all sequences' tokens) it holds */
  float  *arena;
  /* carved from the arena; a batch of sequences is its rows one after the other */
  float  *x;            /* [rows,d] residual stream */
  float  *h;            /* [rows,d] normalised input */
  float  *q, *k, *v;    /* [rows,d] */
  float  *ctx;          /* [rows,d] */
  float  *ffn;          /* [rows,ffn] */
  float  *probs;        /* [H,T,T] */
  float  *cos_t, *sin_t;/* [T,hd/2] */
  float  *contact_acc;  /* [L,L] contact logits */
  float  *sym;          /* [L] column sums of one head's map */
  float  *rowsum;       /* [L] */
};

/* Sequences of one forward: sequence b is rows off[b] … off[b + 1] − 1 of the activations.
 * @main (may be NULL) gives the cancellable and the progress; @opts [n] (may be NULL: nothing
 * observed) are each sequence's options, for its attention callback; @acc [n] (may be NULL) each
 * sequence's contact logits [L_b, L_b] (NULL entries: no contacts). */
typedef struct {
  const PlmForwardOptions         *main;
  int                              n;
  const int                       *off;
  int                              t_max;
  const PlmForwardOptions * const *opts;
  float                          **acc;
} PlmEsmPack;

gboolean plm_esm_check_tokens     (const PlmModel *m, const int32_t *tokens, int T, gboolean logits, GError **error);
gboolean plm_esm_ensure_capacity  (PlmEsmState *s, guint64 rows, int T, GError **error);
/* Embeds the pack's sequences (@tokens, all of them one after the other) and runs the first
 * @n_layers layers. FALSE (with the error set) when cancelled. */
gboolean plm_esm_trunk            (PlmEsmState *s, const int32_t *tokens, const PlmEsmPack *p, int n_layers,
                                   GError **error);
/* Self-attention: for each of @B sequences, the @q_len[b] query rows from row q_row[b] of @q
 * (rows d apart) against its keys and values, rows kv_row[b] … + kv_len[b] − 1 of s->k, s->v,
 * context into the same rows of @ctx. With @keep (B = 1) head h's map stays in s->probs. */
void     plm_esm_attention        (PlmEsmState *s, int B, const int *q_row, const int *q_len, const int *kv_row,
                                   const int *kv_len, const float *q, float *ctx, gboolean keep);
void     plm_esm_output_and_ffn   (PlmEsmState *s, const PlmEsmLayerWeights *w, float *x, const float *ctx,
                                   float *h, int R);
void     plm_esm_lm_head          (PlmEsmState *s, const float *x, int n, float *logits);
/* The contact head's last step over the [L, L] sums the layers gathered: symmetrised, then the
 * regression's bias and the sigmoid, in place. */
void     plm_esm_contacts_finish  (float *acc, int L, float bias);
gboolean plm_esm_is_cancelled     (const PlmForwardOptions *o);
