/* plm-nm-head.h: the NM-Transformer head (shared-QKV attention, mean pool, readout) with its
 * negative-mining loss, forward and backward by hand over float*, llm.c style.
 *
 * Definitions (authors' att.py/train.py, without padding; see plm-nm-head.c):
 * - Protein model: x [T,D] (T includes <cls>/<eos>); Q,K,V = x·Wq/k/vᵀ (bias-free, shared);
 *   P = softmax_row(s·Q Kᵀ) with s = 1 (authors) or 1/√(D/H); pooled = mean_t (P V);
 *   logits = last C outputs of Linear(128→128+C)(ReLU(Linear(D→128)(pooled))); CE.
 * - L_neg for a negative n [Tn,D] and its anchor a [Ta,D]: P = softmax over a's tokens of
 *   s·Q_n K_aᵀ ([H,Tn,Ta]); L = (1/H) Σ_h Σ_ij (P_hij − 1/Ta)² / √(Tn·Ta). Summing valid cells
 *   only equals the authors' padded value minus (m² − Tn·Ta)/(Ta²·√(Tn·Ta)) (m = their
 *   max_length): the same gradient. Batch loss = mean_b CE + λ·mean_{b,n} L_neg.
 * - Pair model (PPI; our definition, the released code has none): chains a, b; a's tokens
 *   attend over b (P_ab = softmax(s·Q_a K_bᵀ), ctx_a = P_ab V_b) and b's over a (ctx_b);
 *   pooled = (mean_t ctx_a + mean_t ctx_b)/2, symmetric in a and b; same readout and CE.
 *   L_neg: negative k is a non-partner of a (k even) or of b (k odd) and its cross-attention
 *   over that chain's tokens is pushed to uniform exactly as above.
 * - MLP baseline: pooled = mean_t x (pair: mean of both chains' means); no attention. */
#pragma once

#include <glib.h>
#include <stdint.h>

G_BEGIN_DECLS

/* All matrices use the PyTorch Linear layout: weight [out, in], y = x·Wᵀ + b. */

/* ---- layer functions (backward passes accumulate into their outputs) ---- */

/* Linear layers use plm_linear_forward (plm-ops.h) and plm_linear_backward (plm-ops-grad.h). */

/* probs[H,Tq,Tk] = softmax_k(scale·q_h·k_hᵀ) with head h on columns h·D/H; ctx[Tq,D] = P_h·v_h
 * (ctx and v may be NULL when only the probabilities are wanted). */
void  plm_nm_attention_forward (float *ctx, float *probs, const float *q, const float *k,
                                const float *v, int Tq, int Tk, int D, int H, float scale);
/* Given dctx[Tq,D] (or NULL) and/or dprobs[H,Tq,Tk] (or NULL): dq[Tq,D] += …, dk[Tk,D] += …,
 * dv[Tk,D] += …. scratch holds Tq·Tk floats. */
void  plm_nm_attention_backward (float *dq, float *dk, float *dv, float *scratch,
                                 const float *dctx, const float *dprobs, const float *probs,
                                 const float *q, const float *k, const float *v,
                                 int Tq, int Tk, int D, int H, float scale);

/* out[D] = mean_t x[T,D] */
void  plm_nm_meanpool_forward  (float *out, const float *x, int T, int D);
/* dx[T,D] += dout[D] / T */
void  plm_nm_meanpool_backward (float *dx, const float *dout, int T, int D);

void  plm_nm_relu_forward      (float *out, const float *x, int n);
/* dx += dout where out > 0 */
void  plm_nm_relu_backward     (float *dx, const float *dout, const float *out, int n);

/* Cross-entropy of one sample; probs[C] saved for backward. Returns −log p[label]. */
float plm_nm_crossentropy_forward  (float *probs, const float *logits, int label, int C);
/* dlogits[C] += scale·(probs − onehot(label)) */
void  plm_nm_crossentropy_backward (float *dlogits, const float *probs, int label, int C,
                                    float scale);

/* The authors' negative-mining term for one (negative, anchor) pair over valid cells only:
 * mean over heads of Σ_ij (P_ij − 1/Tk)² / √(Tq·Tk) for probs[H,Tq,Tk]. Computed in double. */
float plm_nm_uniform_mse_forward   (const float *probs, int Tq, int Tk, int H);
/* dprobs[H,Tq,Tk] += scale·∂/∂P */
void  plm_nm_uniform_mse_backward  (float *dprobs, const float *probs, int Tq, int Tk, int H,
                                    float scale);

/* ---- the head ---- */

typedef enum {
  PLM_NM_HEAD_ATTENTION,   /* NM-Transformer / "Transformer" baseline */
  PLM_NM_HEAD_MLP,         /* mean-pooled embeddings → readout (authors' CustomMLP) */
} PlmNmHeadKind;

typedef struct {
  PlmNmHeadKind kind;
  int       d_model;       /* D, the PLM width */
  int       d_hidden;      /* readout width, 128 as the authors */
  int       n_classes;     /* C; the classifier has d_hidden + C outputs, logits = last C */
  int       n_heads;       /* 1 as the authors; >1 splits D into heads */
  gboolean  scaled;        /* multiply scores by 1/√(D/H); FALSE as the authors */
  gboolean  pair;          /* protein-pair model: classify from cross-attention of two chains */
} PlmNmHeadConfig;

/* One arena of floats carved into these pointers; the gradients use the same struct. */
typedef struct {
  float *wq, *wk, *wv;     /* [D,D] each, NULL for the MLP head */
  float *w_read, *b_read;  /* [Hd,D], [Hd] */
  float *w_cls, *b_cls;    /* [Hd+C,Hd], [Hd+C] */
} PlmNmHeadParams;

/* One training group: an anchor (protein task) or an anchor pair a/b (pair task), with its
 * negatives. Embeddings are [T,D] after the PLM's final LayerNorm, <cls>/<eos> included. */
typedef struct {
  const float  *a;          int len_a;
  const float  *b;          int len_b;      /* pair task only, else NULL/0 */
  int           label;
  int           n_neg;
  const float *const *neg;  const int *len_neg;
  const int    *neg_side;   /* pair task: 0 = the negative is a non-partner of a, 1 = of b */
  /* Optional (encoder fine-tuning): gradients w.r.t. the embeddings are accumulated here. */
  float        *d_a, *d_b;
  float *const *d_neg;
} PlmNmGroup;

typedef struct {
  double ce;          /* Σ over groups of cross-entropy */
  double neg;         /* Σ over (group, negative) of L_neg */
  int    n_groups;
  int    n_neg_pairs;
} PlmNmLossParts;

typedef struct _PlmNmHead PlmNmHead;

PlmNmHead             *plm_nm_head_new          (const PlmNmHeadConfig *config);
void                   plm_nm_head_free         (PlmNmHead             *head);
const PlmNmHeadConfig *plm_nm_head_get_config   (PlmNmHead             *head);
PlmNmHeadParams       *plm_nm_head_params       (PlmNmHead             *head);
PlmNmHeadParams       *plm_nm_head_grads        (PlmNmHead             *head);
/* The arenas as flat arrays (for the optimiser and checkpoints). */
float                 *plm_nm_head_param_data   (PlmNmHead             *head,
                                                 gsize                 *n_floats);
float                 *plm_nm_head_grad_data    (PlmNmHead             *head,
                                                 gsize                 *n_floats);
void                   plm_nm_head_zero_grad    (PlmNmHead             *head);
/* PyTorch's default Linear init, U(−1/√in, 1/√in), from a seeded generator. */
void                   plm_nm_head_init         (PlmNmHead             *head,
                                                 uint64_t               seed);
/* Grows the activations arena once for sequences up to @max_tokens and @max_neg negatives,
 * so that the training loop never allocates. Called implicitly when needed. */
void                   plm_nm_head_reserve      (PlmNmHead             *head,
                                                 int                    max_tokens,
                                                 int                    max_neg);

/* Forward (and backward when @backward) of one group. The group's loss is
 * ce_scale·CE + neg_scale·Σ_n L_neg(n); gradients of that are accumulated into the grads
 * arena (and the group's d_* buffers). For a batch of B groups with N negatives use
 * ce_scale = 1/B, neg_scale = λ/(B·N) (λ = 0 skips the negatives entirely).
 * Adds the unscaled parts to @parts; @logits[C] receives the logits when non-NULL. */
void                   plm_nm_head_group        (PlmNmHead             *head,
                                                 const PlmNmGroup      *group,
                                                 float                  ce_scale,
                                                 float                  neg_scale,
                                                 gboolean               backward,
                                                 float                 *logits,
                                                 PlmNmLossParts        *parts);
/* Forward + backward of @n_groups groups (training), data-parallel: whole groups per thread,
 * @head on thread 0 and @workers[w] (heads of the same configuration and reserve) on the others,
 * with BLAS single-threaded inside the parallel region. A group's head work is a chain of small
 * GEMMs (tokens × D × D) that gains little from a threaded BLAS; whole groups per thread scale.
 * Workers get @head's parameters first; their gradients are added into @head's in worker order
 * (results do not depend on scheduling). Without OpenMP, or @n_workers 0, runs serially. */
void plm_nm_head_batch (PlmNmHead *head, PlmNmHead *const *workers, int n_workers,
                        const PlmNmGroup *const *groups, int n_groups, float ce_scale,
                        float neg_scale, PlmNmLossParts *parts);

/* Mean-over-heads cross-attention probabilities probs[Tq,Tk] = softmax over y's tokens of
 * Q_x K_yᵀ (the loss's P_xy and the paper's Figure 3). Attention heads only. */
void                   plm_nm_head_cross_attention (PlmNmHead          *head,
                                                    const float        *x,
                                                    int                 len_x,
                                                    const float        *y,
                                                    int                 len_y,
                                                    float              *probs);

/* The key chain's residues ranked by the cross-attention they receive from the query chain's
 * residues: column sums of @probs [Tq, Tk] over residue rows and columns (<cls>/<eos> excluded),
 * descending, ties by position. Writes up to @k 0-based residues to @pos (and their sums to
 * @value unless NULL); returns how many. Used by the Pair view, `crossattn` and `export`. */
int                    plm_nm_rank_keys         (const float        *probs,
                                                 int                 tq,
                                                 int                 tk,
                                                 int                 k,
                                                 int                *pos,
                                                 double             *value);
/* The residue block [Tq − 2, Tk − 2] of a [Tq, Tk] cross-attention matrix (g_malloc'ed). */
float                 *plm_nm_residue_block     (const float        *probs,
                                                 int                 tq,
                                                 int                 tk);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PlmNmHead, plm_nm_head_free)

G_END_DECLS
