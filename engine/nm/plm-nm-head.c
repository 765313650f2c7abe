/* plm-nm-head.c: the NM-Transformer head of Xu et al. (att.py), forward and backward by hand.
 *
 * Sequences are never padded here: every sequence keeps its own length T (<cls> and <eos>
 * included, as the authors' HF attention mask includes them). The authors' −1e10 masking then
 * reduces exactly to restricting each softmax to the valid keys, and their L_neg reduces to
 * the sum over valid cells (padding cells only add a constant, see plm_nm_uniform_mse_forward). */
#include "plm-nm-head.h"
#ifdef _OPENMP
# include <omp.h>
#endif
#include "plm-ops-grad.h"
#include "plm-ops.h"

#include <cblas.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "plm-rng.h"

/* ---- layer functions ---- */

void
plm_nm_attention_forward (float *ctx, float *probs, const float *q, const float *k,
                          const float *v, int Tq, int Tk, int D, int H, float scale)
{
  int dh = D / H;

  for (int h = 0; h < H; h++)
    {
      float *p = probs + (gsize) h * Tq * Tk;
      cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasTrans, Tq, Tk, dh,
                   scale, q + h * dh, D, k + h * dh, D, 0.0f, p, Tk);
      plm_softmax_rows (p, Tq, Tk);
      if (ctx != NULL)
        cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasNoTrans, Tq, dh, Tk,
                     1.0f, p, Tk, v + h * dh, D, 0.0f, ctx + h * dh, D);
    }
}

void
plm_nm_attention_backward (float *dq, float *dk, float *dv, float *scratch,
                           const float *dctx, const float *dprobs, const float *probs,
                           const float *q, const float *k, const float *v,
                           int Tq, int Tk, int D, int H, float scale)
{
  int dh = D / H;
  gsize cells = (gsize) Tq * Tk;

  for (int h = 0; h < H; h++)
    {
      const float *p = probs + h * cells;
      float *ds = scratch;

      /* dP = dctx·Vᵀ (+ the loss's direct gradient on P) */
      if (dctx != NULL)
        {
          cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasTrans, Tq, Tk, dh,
                       1.0f, dctx + h * dh, D, v + h * dh, D, 0.0f, ds, Tk);
          cblas_sgemm (CblasRowMajor, CblasTrans, CblasNoTrans, Tk, dh, Tq,
                       1.0f, p, Tk, dctx + h * dh, D, 1.0f, dv + h * dh, D);
        }
      else
        memset (ds, 0, sizeof (float) * cells);
      if (dprobs != NULL)
        for (gsize i = 0; i < cells; i++)
          ds[i] += dprobs[h * cells + i];

      /* softmax backward: dS = P ⊙ (dP − Σ_j P·dP) */
      for (int i = 0; i < Tq; i++)
        {
          const float *pr = p + (gsize) i * Tk;
          float *dr = ds + (gsize) i * Tk;
          double dot = 0.0;
          for (int j = 0; j < Tk; j++)
            dot += (double) pr[j] * dr[j];
          for (int j = 0; j < Tk; j++)
            dr[j] = pr[j] * (dr[j] - (float) dot);
        }

      cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasNoTrans, Tq, dh, Tk,
                   scale, ds, Tk, k + h * dh, D, 1.0f, dq + h * dh, D);
      cblas_sgemm (CblasRowMajor, CblasTrans, CblasNoTrans, Tk, dh, Tq,
                   scale, ds, Tk, q + h * dh, D, 1.0f, dk + h * dh, D);
    }
}

void
plm_nm_meanpool_forward (float *out, const float *x, int T, int D)
{
  for (int d = 0; d < D; d++)
    {
      double s = 0.0;
      for (int t = 0; t < T; t++)
        s += x[(gsize) t * D + d];
      out[d] = (float) (s / T);
    }
}

void
plm_nm_meanpool_backward (float *dx, const float *dout, int T, int D)
{
  float inv = 1.0f / T;
  for (int t = 0; t < T; t++)
    for (int d = 0; d < D; d++)
      dx[(gsize) t * D + d] += dout[d] * inv;
}

void
plm_nm_relu_forward (float *out, const float *x, int n)
{
  for (int i = 0; i < n; i++)
    out[i] = x[i] > 0.0f ? x[i] : 0.0f;
}

void
plm_nm_relu_backward (float *dx, const float *dout, const float *out, int n)
{
  for (int i = 0; i < n; i++)
    if (out[i] > 0.0f)
      dx[i] += dout[i];
}

float
plm_nm_crossentropy_forward (float *probs, const float *logits, int label, int C)
{
  float max = logits[0];
  for (int c = 1; c < C; c++)
    max = MAX (max, logits[c]);
  double sum = 0.0;
  for (int c = 0; c < C; c++)
    sum += exp ((double) logits[c] - max);
  for (int c = 0; c < C; c++)
    probs[c] = (float) (exp ((double) logits[c] - max) / sum);
  return (float) (log (sum) + max - logits[label]);
}

void
plm_nm_crossentropy_backward (float *dlogits, const float *probs, int label, int C, float scale)
{
  for (int c = 0; c < C; c++)
    dlogits[c] += scale * (probs[c] - (c == label ? 1.0f : 0.0f));
}

/* The authors' version runs on padded [m, m] blocks: P is zeroed outside valid(x)×valid(y)
 * and compared with 1/n_gt everywhere, so each padding cell adds the constant 1/n_gt² and no
 * gradient. We sum the valid cells only: the authors' value minus
 * (m² − Tq·Tk)/(Tk²·√(Tq·Tk)), which depends on their max_length, not on the model. */
float
plm_nm_uniform_mse_forward (const float *probs, int Tq, int Tk, int H)
{
  double u = 1.0 / Tk;
  double sum = 0.0;
  gsize n = (gsize) H * Tq * Tk;
  for (gsize i = 0; i < n; i++)
    {
      double e = probs[i] - u;
      sum += e * e;
    }
  return (float) (sum / (H * sqrt ((double) Tq * Tk)));
}

void
plm_nm_uniform_mse_backward (float *dprobs, const float *probs, int Tq, int Tk, int H,
                             float scale)
{
  float u = 1.0f / Tk;
  float c = (float) (2.0 * scale / (H * sqrt ((double) Tq * Tk)));
  gsize n = (gsize) H * Tq * Tk;
  for (gsize i = 0; i < n; i++)
    dprobs[i] += c * (probs[i] - u);
}

/* ---- the head ---- */

/* Activations and backward buffers of one chain (anchor a or partner b). */
typedef struct {
  float *q, *k, *v, *ctx;       /* [M,D] */
  float *dq, *dk, *dv, *dctx;   /* [M,D] */
  float *pooled, *dpooled;      /* [D] */
} ChainActs;

struct _PlmNmHead {
  PlmNmHeadConfig  config;
  PlmNmHeadParams  params, grads;
  float           *param_mem, *grad_mem;
  gsize            n_params;

  /* activations arena for one group, grown by plm_nm_head_reserve */
  float           *act_mem;
  int              cap_tokens;
  ChainActs        chain[2];
  float           *probs[2];    /* [H,M,M]: self-attention of a (pair: P_ab and P_ba) */
  float           *neg_q, *neg_dq, *neg_probs, *dprobs, *scratch;
  float           *pooled, *dpooled;         /* [D] the readout's input */
  float           *hid, *dhid;               /* [Hd] after ReLU */
  float           *out, *dout;               /* [Hd+C] */
  float           *ce_probs;                 /* [C] */
};

static gsize
param_count (const PlmNmHeadConfig *c, gsize *offsets)
{
  gsize D = c->d_model, Hd = c->d_hidden, O = c->d_hidden + c->n_classes;
  gsize attn = c->kind == PLM_NM_HEAD_ATTENTION ? D * D : 0;
  gsize sizes[7] = { attn, attn, attn, Hd * D, Hd, O * Hd, O };
  gsize total = 0;
  for (int i = 0; i < 7; i++)
    {
      offsets[i] = total;
      total += sizes[i];
    }
  return total;
}

static void
carve_params (PlmNmHeadParams *p, float *mem, const PlmNmHeadConfig *c)
{
  gsize off[7];
  param_count (c, off);
  gboolean attn = c->kind == PLM_NM_HEAD_ATTENTION;
  p->wq = attn ? mem + off[0] : NULL;
  p->wk = attn ? mem + off[1] : NULL;
  p->wv = attn ? mem + off[2] : NULL;
  p->w_read = mem + off[3];
  p->b_read = mem + off[4];
  p->w_cls = mem + off[5];
  p->b_cls = mem + off[6];
}

PlmNmHead *
plm_nm_head_new (const PlmNmHeadConfig *config)
{
  g_return_val_if_fail (config->d_model > 0 && config->d_hidden > 0 && config->n_classes > 1, NULL);
  g_return_val_if_fail (config->n_heads >= 1 && config->d_model % config->n_heads == 0, NULL);

  PlmNmHead *head = g_new0 (PlmNmHead, 1);
  gsize off[7];
  head->config = *config;
  head->n_params = param_count (config, off);
  head->param_mem = g_new0 (float, head->n_params);
  head->grad_mem = g_new0 (float, head->n_params);
  carve_params (&head->params, head->param_mem, config);
  carve_params (&head->grads, head->grad_mem, config);
  return head;
}

void
plm_nm_head_free (PlmNmHead *head)
{
  if (head == NULL)
    return;
  g_free (head->param_mem);
  g_free (head->grad_mem);
  g_free (head->act_mem);
  g_free (head);
}

const PlmNmHeadConfig *
plm_nm_head_get_config (PlmNmHead *head)
{
  return &head->config;
}

PlmNmHeadParams *
plm_nm_head_params (PlmNmHead *head)
{
  return &head->params;
}

PlmNmHeadParams *
plm_nm_head_grads (PlmNmHead *head)
{
  return &head->grads;
}

float *
plm_nm_head_param_data (PlmNmHead *head, gsize *n_floats)
{
  *n_floats = head->n_params;
  return head->param_mem;
}

float *
plm_nm_head_grad_data (PlmNmHead *head, gsize *n_floats)
{
  *n_floats = head->n_params;
  return head->grad_mem;
}

void
plm_nm_head_zero_grad (PlmNmHead *head)
{
  memset (head->grad_mem, 0, sizeof (float) * head->n_params);
}

static void
init_uniform (PlmRng *rng, float *x, gsize n, int fan_in)
{
  float bound = 1.0f / sqrtf ((float) fan_in);
  for (gsize i = 0; i < n; i++)
    x[i] = (2.0f * plm_rng_float (rng) - 1.0f) * bound;
}

void
plm_nm_head_init (PlmNmHead *head, uint64_t seed)
{
  const PlmNmHeadConfig *c = &head->config;
  PlmNmHeadParams *p = &head->params;
  int D = c->d_model, Hd = c->d_hidden, O = c->d_hidden + c->n_classes;
  PlmRng rng;

  plm_rng_seed (&rng, seed);
  if (c->kind == PLM_NM_HEAD_ATTENTION)
    {
      init_uniform (&rng, p->wq, (gsize) D * D, D);
      init_uniform (&rng, p->wk, (gsize) D * D, D);
      init_uniform (&rng, p->wv, (gsize) D * D, D);
    }
  init_uniform (&rng, p->w_read, (gsize) Hd * D, D);
  init_uniform (&rng, p->b_read, Hd, D);
  init_uniform (&rng, p->w_cls, (gsize) O * Hd, Hd);
  init_uniform (&rng, p->b_cls, O, Hd);
}

void
plm_nm_head_reserve (PlmNmHead *head, int max_tokens, int max_neg)
{
  if (max_tokens <= head->cap_tokens)
    return;

  const PlmNmHeadConfig *c = &head->config;
  gsize M = max_tokens, D = c->d_model, H = c->n_heads;
  gsize O = c->d_hidden + c->n_classes;
  gsize md = M * D, hmm = H * M * M;
  gsize total = 2 * (8 * md + 2 * D) + 2 * hmm + 2 * md + 2 * hmm + M * M
                + 2 * D + 2 * c->d_hidden + 2 * O + c->n_classes;

  g_free (head->act_mem);
  head->act_mem = g_new0 (float, total);
  head->cap_tokens = max_tokens;

  float *m = head->act_mem;
#define TAKE(ptr, n) do { (ptr) = m; m += (n); } while (0)
  for (int i = 0; i < 2; i++)
    {
      ChainActs *ch = &head->chain[i];
      TAKE (ch->q, md); TAKE (ch->k, md); TAKE (ch->v, md); TAKE (ch->ctx, md);
      TAKE (ch->dq, md); TAKE (ch->dk, md); TAKE (ch->dv, md); TAKE (ch->dctx, md);
      TAKE (ch->pooled, D); TAKE (ch->dpooled, D);
    }
  TAKE (head->probs[0], hmm);
  TAKE (head->probs[1], hmm);
  TAKE (head->neg_q, md);
  TAKE (head->neg_dq, md);
  TAKE (head->neg_probs, hmm);
  TAKE (head->dprobs, hmm);
  TAKE (head->scratch, M * M);
  TAKE (head->pooled, D);
  TAKE (head->dpooled, D);
  TAKE (head->hid, c->d_hidden);
  TAKE (head->dhid, c->d_hidden);
  TAKE (head->out, O);
  TAKE (head->dout, O);
  TAKE (head->ce_probs, c->n_classes);
#undef TAKE
  g_assert ((gsize) (m - head->act_mem) == total);
  (void) max_neg; /* negatives are processed one at a time: one slot suffices */
}

static float
attn_scale (const PlmNmHeadConfig *c)
{
  return c->scaled ? 1.0f / sqrtf ((float) (c->d_model / c->n_heads)) : 1.0f;
}

static void
project_qkv (PlmNmHead *head, ChainActs *ch, const float *x, int T)
{
  const PlmNmHeadParams *p = &head->params;
  int D = head->config.d_model;
  plm_linear_forward (ch->q, x, p->wq, NULL, T, D, D);
  plm_linear_forward (ch->k, x, p->wk, NULL, T, D, D);
  plm_linear_forward (ch->v, x, p->wv, NULL, T, D, D);
}

/* Backward of the three projections of one chain, from its dq/dk/dv buffers. */
static void
project_qkv_backward (PlmNmHead *head, ChainActs *ch, const float *x, float *dx, int T)
{
  const PlmNmHeadParams *p = &head->params;
  PlmNmHeadParams *g = &head->grads;
  int D = head->config.d_model;
  plm_linear_backward (dx, g->wq, NULL, ch->dq, x, p->wq, T, D, D);
  plm_linear_backward (dx, g->wk, NULL, ch->dk, x, p->wk, T, D, D);
  plm_linear_backward (dx, g->wv, NULL, ch->dv, x, p->wv, T, D, D);
}

static void
zero_chain_grads (ChainActs *ch, int T, int D)
{
  gsize n = sizeof (float) * T * D;
  memset (ch->dq, 0, n);
  memset (ch->dk, 0, n);
  memset (ch->dv, 0, n);
  memset (ch->dctx, 0, n);
}

void
plm_nm_head_group (PlmNmHead *head, const PlmNmGroup *g, float ce_scale, float neg_scale,
                   gboolean backward, float *logits, PlmNmLossParts *parts)
{
  const PlmNmHeadConfig *c = &head->config;
  const PlmNmHeadParams *p = &head->params;
  PlmNmHeadParams *gr = &head->grads;
  int D = c->d_model, H = c->n_heads, Hd = c->d_hidden, C = c->n_classes, O = Hd + C;
  gboolean attn = c->kind == PLM_NM_HEAD_ATTENTION;
  gboolean pair = c->pair;
  float scale = attn_scale (c);
  int Ta = g->len_a, Tb = pair ? g->len_b : 0;
  ChainActs *A = &head->chain[0], *B = &head->chain[1];

  g_return_if_fail (Ta > 0 && (!pair || (g->b != NULL && Tb > 0)));
  g_return_if_fail (g->label >= 0 && g->label < C);

  int max_t = MAX (Ta, Tb);
  if (neg_scale != 0.0f)
    for (int n = 0; n < g->n_neg; n++)
      max_t = MAX (max_t, g->len_neg[n]);
  plm_nm_head_reserve (head, max_t, g->n_neg);

  /* ---- forward: pooled representation ---- */
  if (attn && !pair)
    {
      project_qkv (head, A, g->a, Ta);
      plm_nm_attention_forward (A->ctx, head->probs[0], A->q, A->k, A->v, Ta, Ta, D, H, scale);
      plm_nm_meanpool_forward (head->pooled, A->ctx, Ta, D);
    }
  else if (attn && pair)
    {
      /* a's tokens attend over b and b's over a; the representation is the mean of both. */
      project_qkv (head, A, g->a, Ta);
      project_qkv (head, B, g->b, Tb);
      plm_nm_attention_forward (A->ctx, head->probs[0], A->q, B->k, B->v, Ta, Tb, D, H, scale);
      plm_nm_attention_forward (B->ctx, head->probs[1], B->q, A->k, A->v, Tb, Ta, D, H, scale);
      plm_nm_meanpool_forward (A->pooled, A->ctx, Ta, D);
      plm_nm_meanpool_forward (B->pooled, B->ctx, Tb, D);
      for (int d = 0; d < D; d++)
        head->pooled[d] = 0.5f * (A->pooled[d] + B->pooled[d]);
    }
  else if (!pair)
    plm_nm_meanpool_forward (head->pooled, g->a, Ta, D);
  else
    {
      plm_nm_meanpool_forward (A->pooled, g->a, Ta, D);
      plm_nm_meanpool_forward (B->pooled, g->b, Tb, D);
      for (int d = 0; d < D; d++)
        head->pooled[d] = 0.5f * (A->pooled[d] + B->pooled[d]);
    }

  /* readout and classifier; the logits are the classifier's last C outputs (as the authors) */
  plm_linear_forward (head->hid, head->pooled, p->w_read, p->b_read, 1, D, Hd);
  plm_nm_relu_forward (head->hid, head->hid, Hd);
  plm_linear_forward (head->out, head->hid, p->w_cls, p->b_cls, 1, Hd, O);
  float ce = plm_nm_crossentropy_forward (head->ce_probs, head->out + Hd, g->label, C);
  if (logits != NULL)
    memcpy (logits, head->out + Hd, sizeof (float) * C);
  if (parts != NULL)
    {
      parts->ce += ce;
      parts->n_groups++;
    }

  if (backward)
    {
      if (attn)
        {
          zero_chain_grads (A, Ta, D);
          if (pair)
            zero_chain_grads (B, Tb, D);
        }
      memset (head->dout, 0, sizeof (float) * O);
      memset (head->dhid, 0, sizeof (float) * Hd);
      memset (head->dpooled, 0, sizeof (float) * D);
      plm_nm_crossentropy_backward (head->dout + Hd, head->ce_probs, g->label, C, ce_scale);
      plm_linear_backward (head->dhid, gr->w_cls, gr->b_cls, head->dout, head->hid, p->w_cls,
                              1, Hd, O);
      /* ReLU backward in place: hid holds the ReLU output */
      for (int i = 0; i < Hd; i++)
        if (head->hid[i] <= 0.0f)
          head->dhid[i] = 0.0f;
      plm_linear_backward (head->dpooled, gr->w_read, gr->b_read, head->dhid, head->pooled,
                              p->w_read, 1, D, Hd);
    }

  /* ---- negatives: cross-attention from each negative's tokens over its anchor's tokens ---- */
  if (attn && neg_scale != 0.0f)
    for (int n = 0; n < g->n_neg; n++)
      {
        int Tn = g->len_neg[n];
        int side = pair && g->neg_side != NULL ? g->neg_side[n] : 0;
        ChainActs *K = side == 0 ? A : B;
        int Tk = side == 0 ? Ta : Tb;

        plm_linear_forward (head->neg_q, g->neg[n], p->wq, NULL, Tn, D, D);
        plm_nm_attention_forward (NULL, head->neg_probs, head->neg_q, K->k, NULL,
                                  Tn, Tk, D, H, scale);
        float l = plm_nm_uniform_mse_forward (head->neg_probs, Tn, Tk, H);
        if (parts != NULL)
          {
            parts->neg += l;
            parts->n_neg_pairs++;
          }
        if (backward)
          {
            memset (head->dprobs, 0, sizeof (float) * H * Tn * Tk);
            memset (head->neg_dq, 0, sizeof (float) * Tn * D);
            plm_nm_uniform_mse_backward (head->dprobs, head->neg_probs, Tn, Tk, H, neg_scale);
            plm_nm_attention_backward (head->neg_dq, K->dk, NULL, head->scratch, NULL,
                                       head->dprobs, head->neg_probs, head->neg_q, K->k, NULL,
                                       Tn, Tk, D, H, scale);
            plm_linear_backward (g->d_neg != NULL ? g->d_neg[n] : NULL, gr->wq, NULL,
                                    head->neg_dq, g->neg[n], p->wq, Tn, D, D);
          }
      }

  if (!backward)
    return;

  /* ---- backward of the pooled representation ---- */
  if (attn && !pair)
    {
      plm_nm_meanpool_backward (A->dctx, head->dpooled, Ta, D);
      plm_nm_attention_backward (A->dq, A->dk, A->dv, head->scratch, A->dctx, NULL,
                                 head->probs[0], A->q, A->k, A->v, Ta, Ta, D, H, scale);
      project_qkv_backward (head, A, g->a, g->d_a, Ta);
    }
  else if (attn && pair)
    {
      for (int d = 0; d < D; d++)
        A->dpooled[d] = B->dpooled[d] = 0.5f * head->dpooled[d];
      plm_nm_meanpool_backward (A->dctx, A->dpooled, Ta, D);
      plm_nm_meanpool_backward (B->dctx, B->dpooled, Tb, D);
      plm_nm_attention_backward (A->dq, B->dk, B->dv, head->scratch, A->dctx, NULL,
                                 head->probs[0], A->q, B->k, B->v, Ta, Tb, D, H, scale);
      plm_nm_attention_backward (B->dq, A->dk, A->dv, head->scratch, B->dctx, NULL,
                                 head->probs[1], B->q, A->k, A->v, Tb, Ta, D, H, scale);
      project_qkv_backward (head, A, g->a, g->d_a, Ta);
      project_qkv_backward (head, B, g->b, g->d_b, Tb);
    }
  else if (!pair)
    {
      if (g->d_a != NULL)
        plm_nm_meanpool_backward (g->d_a, head->dpooled, Ta, D);
    }
  else
    {
      for (int d = 0; d < D; d++)
        A->dpooled[d] = 0.5f * head->dpooled[d];
      if (g->d_a != NULL)
        plm_nm_meanpool_backward (g->d_a, A->dpooled, Ta, D);
      if (g->d_b != NULL)
        plm_nm_meanpool_backward (g->d_b, A->dpooled, Tb, D);
    }
}

void
plm_nm_head_cross_attention (PlmNmHead *head, const float *x, int len_x, const float *y,
                             int len_y, float *probs)
{
  const PlmNmHeadConfig *c = &head->config;
  int D = c->d_model, H = c->n_heads;
  g_return_if_fail (c->kind == PLM_NM_HEAD_ATTENTION);

  plm_nm_head_reserve (head, MAX (len_x, len_y), 0);
  plm_linear_forward (head->neg_q, x, head->params.wq, NULL, len_x, D, D);
  plm_linear_forward (head->chain[1].k, y, head->params.wk, NULL, len_y, D, D);
  plm_nm_attention_forward (NULL, head->neg_probs, head->neg_q, head->chain[1].k, NULL,
                            len_x, len_y, D, H, attn_scale (c));
  gsize cells = (gsize) len_x * len_y;
  for (gsize i = 0; i < cells; i++)
    {
      float s = 0.0f;
      for (int h = 0; h < H; h++)
        s += head->neg_probs[h * cells + i];
      probs[i] = s / H;
    }
}

typedef struct { int pos; double value; } Ranked;

static int
compare_ranked (const void *a, const void *b)
{
  double x = ((const Ranked *) a)->value, y = ((const Ranked *) b)->value;
  return x < y ? 1 : x > y ? -1 : ((const Ranked *) a)->pos - ((const Ranked *) b)->pos;
}

int
plm_nm_rank_keys (const float *probs, int tq, int tk, int k, int *pos, double *value)
{
  int L = tk - 2;
  if (L <= 0 || k <= 0)
    return 0;
  g_autofree Ranked *r = g_new0 (Ranked, L);
  for (int j = 0; j < L; j++)
    {
      r[j].pos = j;
      for (int i = 1; i < tq - 1; i++)
        r[j].value += probs[(gsize) i * tk + j + 1];
    }
  qsort (r, (size_t) L, sizeof (Ranked), compare_ranked);
  k = MIN (k, L);
  for (int i = 0; i < k; i++)
    {
      pos[i] = r[i].pos;
      if (value != NULL)
        value[i] = r[i].value;
    }
  return k;
}

float *
plm_nm_residue_block (const float *probs, int tq, int tk)
{
  int lq = MAX (tq - 2, 0), lk = MAX (tk - 2, 0);
  float *m = g_new (float, MAX ((gsize) lq * lk, 1));
  for (int i = 0; i < lq; i++)
    memcpy (m + (gsize) i * lk, probs + (gsize) (i + 1) * tk + 1, sizeof (float) * lk);
  return m;
}

void
plm_nm_head_batch (PlmNmHead *head, PlmNmHead *const *workers, int n_workers,
                   const PlmNmGroup *const *groups, int n_groups, float ce_scale, float neg_scale,
                   PlmNmLossParts *parts)
{
  int nt = MAX (1, MIN (MIN (n_workers + 1, n_groups), 64));
  PlmNmLossParts local[64] = { { 0 } };
  gsize n_params, n_grads;
  const float *params = plm_nm_head_param_data (head, &n_params);
  float *grads = plm_nm_head_grad_data (head, &n_grads);

  for (int w = 0; w < nt - 1; w++)
    {
      gsize n;
      memcpy (plm_nm_head_param_data (workers[w], &n), params, n_params * sizeof (float));
      plm_nm_head_zero_grad (workers[w]);
    }
#pragma omp parallel num_threads(nt)
  {
#ifdef _OPENMP
    /* the team may be smaller than asked (OMP_THREAD_LIMIT, nesting): stride by what we got,
     * or the groups of the missing threads would be skipped */
    int t = omp_get_thread_num (), team = omp_get_num_threads ();
#else
    int t = 0, team = 1;
#endif
    PlmNmHead *h = t == 0 ? head : workers[t - 1];
    for (int k = t; k < n_groups; k += team)
      plm_nm_head_group (h, groups[k], ce_scale, neg_scale, TRUE, NULL, &local[t]);
  }
  for (int w = 0; w < nt - 1; w++)
    {
      gsize n;
      const float *wg = plm_nm_head_grad_data (workers[w], &n);
      for (gsize i = 0; i < n_grads; i++)
        grads[i] += wg[i];
    }
  for (int t = 0; t < nt; t++)
    {
      parts->ce += local[t].ce;
      parts->neg += local[t].neg;
      parts->n_groups += local[t].n_groups;
      parts->n_neg_pairs += local[t].n_neg_pairs;
    }
}
