/* plm-windowed.h: windowed inference for proteins longer than a model's positions.
 *
 * The rule (README, "Long proteins"), exact so results are reproducible:
 *   - W = the model's maximum residues (or a test override), overlap O (0 ≤ O < W), stride W − O.
 *     Windows start at 0, W − O, 2(W − O), … as long as the window ends before the protein does;
 *     the last window is aligned to the end (start L − W); a start equal to an earlier one is
 *     dropped. L ≤ W gives one window [0, L). Each window runs as its own sequence with <cls>
 *     and <eos>.
 *   - The distance of residue i to the edges of window [s, s + W) is min(i − s, s + W − 1 − i).
 *   - Per-residue outputs of residue i come from the window where that distance is largest; ties
 *     go to the earlier window. <cls> comes from the first window, <eos> from the last.
 *   - Pair (i, j) comes from the window, among those containing both, where
 *     min(distance of i, distance of j) is largest (ties → the earlier window); pairs that share
 *     no window have none (NaN in contacts, 0 in the pairs mask).
 * Only one window's activations and attention exist at a time; what is kept between windows is
 * the per-residue rows each window owns and the pairs each window owns, folded into a banded
 * contact map (plm-contact-band.h: row i keeps the columns of the windows holding i, at most
 * 2W − 1 wide), O(L·W) however long the protein and whatever the overlap. */
#pragma once

#include <glib.h>
#include <stdint.h>

#include "plm-contact-band.h"
#include "plm-esm.h"

G_BEGIN_DECLS

#define PLM_WINDOW_DEFAULT_OVERLAP 256

typedef struct {
  int  length;      /* L residues */
  int  size;        /* residues per window: MIN (W, L) */
  int  overlap;
  int  n_windows;
  int *starts;      /* [n_windows] residue index of each window's first residue */
  int *owner;       /* [L] the window each residue's per-residue outputs come from */
  int *first;       /* [L] the windows holding residue i are first[i] … last[i] */
  int *last;
} PlmWindowPlan;

/* Plans windows of @size residues with @overlap for @length residues. FALSE with
 * PLM_ERROR_INPUT when @size < 1 or @overlap is not in 0..size−1. */
gboolean plm_window_plan_init   (PlmWindowPlan       *plan,
                                 int                  length,
                                 int                  size,
                                 int                  overlap,
                                 GError             **error);
void     plm_window_plan_clear  (PlmWindowPlan       *plan);
/* The window pair (i, j) comes from, or −1 when no window holds both. */
int      plm_window_pair_owner  (const PlmWindowPlan *plan,
                                 int                  i,
                                 int                  j);
/* The window of every pair (@i, j), j = 0 … L − 1, into @owners [L] (−1 where none holds both):
 * plm_window_pair_owner for a whole row in O(windows holding i × size) rather than O(L × windows). */
void     plm_window_pair_owner_row (const PlmWindowPlan *plan,
                                    int                  i,
                                    int                 *owners);
/* Tokens of window @k: <cls>, its residues' tokens from @tokens (the whole protein's, with
 * <cls>/<eos>), <eos>. Returns a new array of plan->size + 2 tokens. */
int32_t *plm_window_tokens      (const PlmWindowPlan *plan,
                                 int                  k,
                                 const int32_t       *tokens);

/* Assembles the whole protein's outputs from the windows' forward outputs, fed in order. */
typedef struct {
  PlmWindowPlan plan;
  int       vocab_size;
  int       d_model;
  float    *logits;       /* [L + 2, vocab] or NULL */
  float    *embeddings;   /* [L + 2, d] or NULL */
  PlmContactBand *contacts; /* [L, L] banded: the pairs the windows added so far own, NaN
                             * elsewhere; NULL without a contact head */
} PlmWindowedOutput;

gboolean plm_windowed_output_init  (PlmWindowedOutput      *wo,
                                    int                     length,
                                    int                     size,
                                    int                     overlap,
                                    GError                **error);
/* Takes window @k's rows it owns from @out, a forward pass of plm_window_tokens (plan, k, …),
 * and folds the pairs it owns into the banded contact map (out->contacts is taken and freed). */
void     plm_windowed_output_add   (PlmWindowedOutput      *wo,
                                    int                     k,
                                    PlmForwardOutput       *out);
/* Row @i of the assembled [L, L] contacts (NaN where no window holds the pair) and of the
 * pairs mask (1 computed, 0 not). Either may be NULL. */
void     plm_windowed_contacts_row (const PlmWindowedOutput *wo,
                                    int                     i,
                                    float                  *row,
                                    guint8                 *mask);
void     plm_windowed_output_clear (PlmWindowedOutput      *wo);

G_END_DECLS
