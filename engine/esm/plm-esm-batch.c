/* plm-esm-batch.c: several sequences per forward. Packed batches (sequences of any lengths one
 * after the other along the token axis, attention within each) and batches of masked copies that
 * want the logits at one row each (variant scans). */
#include "plm-esm-private.h"

#include <math.h>
#include <string.h>

#include "plm-error.h"
#include "plm-linear.h"
#include "plm-ops.h"

guint64
plm_esm_pack_token_budget (const PlmEsmConfig *c)
{
  /* Packing pays where the weights are large and the rows few: at the 150M shape, 64 sequences of
   * 50-400 residues in packs of 2,048 tokens ran 0.79-1.27x the time of one per forward (median
   * 1.06x faster, 1.27x in the least loaded run); at the 8M shape on DeepLoc proteins (mean 575
   * residues) packs of 1,024 ran slower than one per forward, its weights fitting the cache
   * anyway (tests/bench/README.md; loaded machine). */
  return c->d_model >= 640 ? 2048 : 512;
}

gboolean
plm_esm_forward_packed (PlmEsmState *s, int n_seqs, const int32_t *const *tokens, const int *n_tokens,
                        const PlmForwardOptions *const *options, PlmForwardOutput *outs, GError **error)
{
  const PlmModel *m = s->model;
  const PlmEsmConfig *c = &m->config;
  const int d = c->d_model, V = c->vocab_size;
  gboolean any_logits = FALSE;
  int t_max = 0;

  g_return_val_if_fail (n_seqs >= 1, FALSE);
  memset (outs, 0, sizeof *outs * n_seqs);
  g_autofree int *off = g_new (int, n_seqs + 1);
  off[0] = 0;
  for (int b = 0; b < n_seqs; b++)
    {
      if (!plm_esm_check_tokens (m, tokens[b], n_tokens[b], options[b]->want_logits, error))
        return FALSE;
      if ((guint64) off[b] + (guint64) n_tokens[b] > (1u << 24))
        {
          g_set_error (error, PLM_ERROR, PLM_ERROR_RESOURCES, "a packed batch of more than %u tokens", 1u << 24);
          return FALSE;
        }
      off[b + 1] = off[b] + n_tokens[b];
      t_max = MAX (t_max, n_tokens[b]);
      any_logits |= options[b]->want_logits;
    }
  const int R = off[n_seqs];
  if (!plm_esm_ensure_capacity (s, (guint64) R, t_max, error))
    return FALSE;

  g_autofree int32_t *all = g_new (int32_t, R);
  g_autofree float **acc = g_new0 (float *, n_seqs);
  for (int b = 0; b < n_seqs; b++)
    {
      int T = n_tokens[b];
      memcpy (all + off[b], tokens[b], sizeof (int32_t) * T);
      outs[b].n_tokens = T;
      outs[b].n_residues = T - 2;
      outs[b].d_model = d;
      outs[b].vocab_size = V;
      if (options[b]->want_contacts && m->has_contact_head && T > 2)
        acc[b] = outs[b].contacts = g_new (float, (gsize) (T - 2) * (T - 2));
    }
  const PlmEsmPack pack = { options[0], n_seqs, off, t_max, options, acc };
  if (!plm_esm_trunk (s, all, &pack, c->n_layers, error))
    {
      for (int b = 0; b < n_seqs; b++)
        plm_forward_output_clear (&outs[b]);
      return FALSE;
    }

  /* final LayerNorm: the embeddings; the LM head over every row at once */
  plm_layernorm_forward (s->x, NULL, NULL, s->x, m->final_ln_w, m->final_ln_b, R, d, c->layer_norm_eps);
  g_autofree float *logits = any_logits ? g_new (float, (gsize) R * V) : NULL;
  if (any_logits)
    plm_esm_lm_head (s, s->x, R, logits);
  for (int b = 0; b < n_seqs; b++)
    {
      gsize T = (gsize) n_tokens[b], L = T - 2;
      if (options[b]->want_embeddings)
        outs[b].embeddings = g_memdup2 (s->x + (gsize) off[b] * d, sizeof (float) * T * d);
      if (options[b]->want_logits)
        outs[b].logits = g_memdup2 (logits + (gsize) off[b] * V, sizeof (float) * T * V);
      if (acc[b] != NULL)
        plm_esm_contacts_finish (acc[b], (int) L, m->contact_b);
    }
  return TRUE;
}

/* The last layer, whose output is only wanted at one row of each copy: keys and values of every
 * row, but the query, attention, projection and FFN of the wanted rows only. @sel [B,d] (the
 * start of s->q) holds those rows of the layer's input and receives its output. Uses s->h, s->k,
 * s->v for all rows, and s->ctx, the rest of s->q, s->ffn and s->probs (2·B·d ≤ B·T·d). */
static void
last_layer_at_rows (PlmEsmState *s, int B, int T, const int *rows, float *sel)
{
  const PlmModel *m = s->model;
  const PlmEsmConfig *c = &m->config;
  const PlmEsmLayerWeights *w = &m->layers[c->n_layers - 1];
  const int d = c->d_model, H = c->n_heads, hd = c->d_head, R = B * T;
  float *hs = s->ctx, *qs = s->ctx + (size_t) B * d, *cs = sel + (size_t) B * d;
  const float scaling = 1.0f / sqrtf ((float) hd);

  plm_layernorm_forward (s->h, NULL, NULL, s->x, w->ln_attn_w, w->ln_attn_b, R, d, c->layer_norm_eps);
  const PlmLinearTarget kv[2] = { { s->k, d, w->wk, w->bk, d }, { s->v, d, w->wv, w->bv, d } };
  plm_linear_n (s->model->lowp, s->h, R, d, kv, 2, PLM_LINEAR_STORE);
  for (int b = 0; b < B; b++)
    {
      if (!c->absolute_positions)
        plm_rotary_forward (s->k + (size_t) b * T * d, s->cos_t, s->sin_t, T, H, hd);
      memcpy (hs + (size_t) b * d, s->h + ((size_t) b * T + rows[b]) * d, sizeof (float) * d);
    }
  plm_linear (s->model->lowp, qs, hs, w->wq, w->bq, B, d, d, PLM_LINEAR_STORE);
  for (size_t i = 0; i < (size_t) B * d; i++)
    qs[i] *= scaling;
  for (int b = 0; b < B && !c->absolute_positions; b++)
    plm_rotary_forward (qs + (size_t) b * d, s->cos_t + (size_t) rows[b] * hd / 2,
                        s->sin_t + (size_t) rows[b] * hd / 2, 1, H, hd);

  /* one query row per copy: copy b's query and context are row b of qs and cs */
  g_autofree int *idx = g_new (int, 4 * (gsize) B);
  int *q_row = idx, *q_len = idx + B, *kv_row = idx + 2 * B, *kv_len = idx + 3 * B;
  for (int b = 0; b < B; b++)
    {
      q_row[b] = b;
      q_len[b] = 1;
      kv_row[b] = b * T;
      kv_len[b] = T;
    }
  plm_esm_attention (s, B, q_row, q_len, kv_row, kv_len, qs, cs, FALSE);

  plm_esm_output_and_ffn (s, w, sel, cs, hs, B);
}

gboolean
plm_esm_forward_logits_at (PlmEsmState *s, const int32_t *tokens, int B, int T, const int *rows,
                           const PlmForwardOptions *opt, float *logits, GError **error)
{
  static const PlmForwardOptions defaults = { 0 };
  const PlmModel *m = s->model;
  const PlmEsmConfig *c = &m->config;
  const int d = c->d_model;
  PlmForwardOptions o = opt != NULL ? *opt : defaults;

  g_return_val_if_fail (B >= 1, FALSE);
  for (int b = 0; b < B; b++)
    {
      if (!plm_esm_check_tokens (m, tokens + (size_t) b * T, T, TRUE, error))
        return FALSE;
      if (rows[b] < 0 || rows[b] >= T)
        {
          g_set_error (error, PLM_ERROR, PLM_ERROR_INPUT, "row %d is outside the %d tokens", rows[b], T);
          return FALSE;
        }
    }
  /* nothing observes the attention here */
  g_autofree int *off = g_new (int, B + 1);
  for (int b = 0; b <= B; b++)
    off[b] = b * T;
  const PlmEsmPack pack = { &o, B, off, T, NULL, NULL };
  if (!plm_esm_ensure_capacity (s, (guint64) B * T, T, error) || !plm_esm_trunk (s, tokens, &pack, c->n_layers - 1, error))
    return FALSE;

  /* the wanted rows of the last layer's input */
  float *sel = s->q;
  for (int b = 0; b < B; b++)
    memcpy (sel + (size_t) b * d, s->x + ((size_t) b * T + rows[b]) * d, sizeof (float) * d);
  last_layer_at_rows (s, B, T, rows, sel);
  if (plm_esm_is_cancelled (&o))
    {
      g_set_error (error, PLM_ERROR, PLM_ERROR_CANCELLED, "cancelled");
      return FALSE;
    }
  if (o.progress_func != NULL)
    o.progress_func (c->n_layers, c->n_layers, o.progress_data);

  /* final LayerNorm and LM head on the wanted row of each copy only */
  plm_layernorm_forward (sel, NULL, NULL, sel, m->final_ln_w, m->final_ln_b, B, d, c->layer_norm_eps);
  plm_esm_lm_head (s, sel, B, logits);
  return TRUE;
}

