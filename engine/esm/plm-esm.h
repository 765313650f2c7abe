/* plm-esm.h: the ESM-2 / ESM-1b forward pass with per-layer attention streaming. */
#pragma once

#include <gio/gio.h>
#include <stdint.h>

#include "plm-model.h"

G_BEGIN_DECLS

/* Receives layer @layer's post-softmax attention probabilities [n_heads, T, T]
 * (rows = query, including <cls>/<eos>) as soon as they exist. The buffer is reused
 * for the next layer: copy what must be kept. Return FALSE to cancel the forward pass. */
typedef gboolean (*PlmAttentionFunc) (int          layer,
                                      const float *probs,
                                      int          n_heads,
                                      int          n_tokens,
                                      gpointer     user_data);

/* Called after each layer: @done of @total layers finished. */
typedef void     (*PlmProgressFunc)  (int          done,
                                      int          total,
                                      gpointer     user_data);

typedef struct {
  PlmAttentionFunc  attention_func;
  gpointer          attention_data;
  PlmProgressFunc   progress_func;
  gpointer          progress_data;
  GCancellable     *cancellable;
  gboolean          want_logits;
  gboolean          want_embeddings;
  gboolean          want_contacts;
} PlmForwardOptions;

typedef struct {
  int      n_tokens;        /* T = L + 2 */
  int      n_residues;      /* L */
  int      d_model;
  int      vocab_size;
  float   *logits;          /* [T, vocab] or NULL */
  float   *embeddings;      /* [T, d] after the final LayerNorm, or NULL */
  float   *contacts;        /* [L, L] or NULL */
} PlmForwardOutput;

/* Activations arena for one model; grows once when a longer input arrives. Not thread-safe:
 * one state per thread. */
typedef struct _PlmEsmState PlmEsmState;

PlmEsmState *plm_esm_state_new       (const PlmModel          *model);
void         plm_esm_state_free      (PlmEsmState             *state);
const PlmModel *plm_esm_state_get_model (PlmEsmState        *state);

/* Runs the model on @tokens (from plm_tokenize). Fills @out (free with
 * plm_forward_output_clear). Fails with PLM_ERROR_CANCELLED when cancelled. */
gboolean     plm_esm_forward         (PlmEsmState             *state,
                                      const int32_t           *tokens,
                                      int                      n_tokens,
                                      const PlmForwardOptions *options,
                                      PlmForwardOutput        *out,
                                      GError                 **error);
void         plm_forward_output_clear (PlmForwardOutput       *out);

/* Several sequences in one forward (a packed batch): their tokens one after the other along the
 * token axis, so every projection and FFN product runs over all of them at once, while attention
 * stays within each sequence. @tokens [n_seqs] and @n_tokens [n_seqs] as for plm_esm_forward;
 * @options [n_seqs] are each sequence's (attention callback, want_*); the first one's cancellable
 * and progress apply to the batch. @outs [n_seqs] receive what plm_esm_forward gives each
 * sequence alone, up to summation order. Keep the tokens within plm_esm_pack_token_budget. */
gboolean     plm_esm_forward_packed  (PlmEsmState             *state,
                                      int                      n_seqs,
                                      const int32_t * const   *tokens,
                                      const int               *n_tokens,
                                      const PlmForwardOptions * const *options,
                                      PlmForwardOutput        *outs,
                                      GError                 **error);
/* Tokens worth packing into one forward of this model (512; 2,048 from width 640). */
guint64      plm_esm_pack_token_budget (const PlmEsmConfig    *config);

/* Logits only, at one token of each of @n_seqs sequences of @n_tokens tokens (@tokens
 * [n_seqs, n_tokens], e.g. copies of one sequence each masked elsewhere): @logits [n_seqs, vocab]
 * receives row @rows[b] of sequence b. The copies run as one batch through the projections and
 * the FFN; no attention callback, no contacts, no embeddings. Uses @options' progress (per layer)
 * and cancellable. Same numerics as plm_esm_forward up to summation order. */
gboolean     plm_esm_forward_logits_at (PlmEsmState             *state,
                                        const int32_t           *tokens,
                                        int                      n_seqs,
                                        int                      n_tokens,
                                        const int               *rows,
                                        const PlmForwardOptions *options,
                                        float                   *logits,
                                        GError                 **error);

/* Mean log-probability the model gives the tokens present, over the residues (positions 1 to
 * @n_tokens − 2, <cls>/<eos> excluded): Σ log softmax (@logits [T, @vocab_size])[t, token t]
 * / (T − 2). 0 when there are no residues. */
double       plm_esm_mean_log_probability (const float        *logits,
                                           int                 vocab_size,
                                           const int32_t      *tokens,
                                           int                 n_tokens);

/* Bytes the activations arena needs at @n_tokens (for memory estimates). */
guint64      plm_esm_activation_bytes (const PlmEsmConfig     *config,
                                       int                     n_tokens,
                                       gboolean                want_contacts);

/* Threads for BLAS and element-wise kernels (0 = all cores). */
void         plm_engine_set_threads   (int                     n_threads);
int          plm_engine_get_threads   (void);
/* OpenMP's thread count is per thread: a thread other than the one that called
 * plm_engine_set_threads () calls this before it computes, or its BLAS calls use every core. */
void         plm_engine_thread_init   (void);
/* OpenBLAS's kernel name ("Haswell", "SkylakeX", ...). */
const char  *plm_engine_blas_core     (void);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PlmEsmState, plm_esm_state_free)

G_END_DECLS
