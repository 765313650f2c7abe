/* plm-esm-train.c: forward and backward through the ESM-2 / ESM-1b encoder for fine-tuning, with params,
 * grads (one allocation) and activations (one allocation) carved into named pointers. */
#include "plm-esm-train-private.h"

#include <errno.h>
#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include "plm-error.h"
#include "plm-ops-grad.h"
#include "plm-ops.h"
#include "plm-safetensors.h"
#include "plm-tokenizer.h"

/* ---- parameter layout ---- */

static void
add_info (GArray *info, GPtrArray *names, char *name, gsize *offset, int n_dims, int64_t d0, int64_t d1)
{
  PlmEsmParamInfo pi = { .name = name, .offset = *offset, .n_dims = n_dims, .shape = { d0, d1 } };
  pi.n_elements = (gsize) d0 * (n_dims == 2 ? (gsize) d1 : 1);
  g_ptr_array_add (names, name);
  g_array_append_val (info, pi);
  *offset += pi.n_elements;
}

/* Fills t->info (HF order) and returns the total floats. */
static gsize
build_layout (PlmEsmTrainable *t)
{
  const PlmEsmConfig *c = &t->config;
  int64_t d = c->d_model, F = c->d_ffn, V = c->vocab_size;
  gsize off = 0;

  t->info = g_array_new (FALSE, FALSE, sizeof (PlmEsmParamInfo));
  t->names = g_ptr_array_new_with_free_func (g_free);
#define ADD(nd, a, b, ...) add_info (t->info, t->names, g_strdup_printf (__VA_ARGS__), &off, nd, a, b)
  ADD (2, V, d, "esm.embeddings.word_embeddings.weight");
  if (c->absolute_positions)
    ADD (2, c->max_positions, d, "esm.embeddings.position_embeddings.weight");
  if (c->emb_layer_norm_before)
    {
      ADD (1, d, 0, "esm.embeddings.layer_norm.weight");
      ADD (1, d, 0, "esm.embeddings.layer_norm.bias");
    }
  for (int l = 0; l < c->n_layers; l++)
    {
      const char *p = "esm.encoder.layer";
      ADD (2, d, d, "%s.%d.attention.self.query.weight", p, l);
      ADD (1, d, 0, "%s.%d.attention.self.query.bias", p, l);
      ADD (2, d, d, "%s.%d.attention.self.key.weight", p, l);
      ADD (1, d, 0, "%s.%d.attention.self.key.bias", p, l);
      ADD (2, d, d, "%s.%d.attention.self.value.weight", p, l);
      ADD (1, d, 0, "%s.%d.attention.self.value.bias", p, l);
      ADD (2, d, d, "%s.%d.attention.output.dense.weight", p, l);
      ADD (1, d, 0, "%s.%d.attention.output.dense.bias", p, l);
      ADD (1, d, 0, "%s.%d.attention.LayerNorm.weight", p, l);
      ADD (1, d, 0, "%s.%d.attention.LayerNorm.bias", p, l);
      ADD (2, F, d, "%s.%d.intermediate.dense.weight", p, l);
      ADD (1, F, 0, "%s.%d.intermediate.dense.bias", p, l);
      ADD (2, d, F, "%s.%d.output.dense.weight", p, l);
      ADD (1, d, 0, "%s.%d.output.dense.bias", p, l);
      ADD (1, d, 0, "%s.%d.LayerNorm.weight", p, l);
      ADD (1, d, 0, "%s.%d.LayerNorm.bias", p, l);
    }
  ADD (1, d, 0, "esm.encoder.emb_layer_norm_after.weight");
  ADD (1, d, 0, "esm.encoder.emb_layer_norm_after.bias");
#undef ADD
  return off;
}

/* Carves @base (laid out as t->info) into @ts. */
static void
bind_tensors (PlmEsmTrainable *t, float *base, Tensors *ts)
{
  const PlmEsmParamInfo *info = (const PlmEsmParamInfo *) t->info->data;
  guint i = 0;

  ts->embed = base + info[i++].offset;
  ts->pos_embed = t->config.absolute_positions ? base + info[i++].offset : NULL;
  ts->emb_ln_w = ts->emb_ln_b = NULL;
  if (t->config.emb_layer_norm_before)
    {
      ts->emb_ln_w = base + info[i++].offset;
      ts->emb_ln_b = base + info[i++].offset;
    }
  ts->layers = g_new0 (LayerTensors, t->config.n_layers);
  for (int l = 0; l < t->config.n_layers; l++)
    {
      LayerTensors *L = &ts->layers[l];
      float **slots[] = { &L->wq, &L->bq, &L->wk, &L->bk, &L->wv, &L->bv, &L->wo, &L->bo,
                          &L->ln_attn_w, &L->ln_attn_b, &L->w1, &L->b1, &L->w2, &L->b2,
                          &L->ln_ffn_w, &L->ln_ffn_b };
      for (guint s = 0; s < G_N_ELEMENTS (slots); s++)
        *slots[s] = base + info[i++].offset;
    }
  ts->final_ln_w = base + info[i++].offset;
  ts->final_ln_b = base + info[i++].offset;
  g_assert (i == t->info->len);
}

static PlmEsmTrainable *
trainable_alloc (const PlmEsmConfig *c)
{
  PlmEsmTrainable *t = g_new0 (PlmEsmTrainable, 1);
  t->config = *c;
  t->config.d_head = c->d_model / c->n_heads;
  t->n_params = build_layout (t);
  t->memory = g_try_new0 (float, 2 * t->n_params);
  if (t->memory == NULL)
    {
      plm_esm_trainable_free (t);
      return NULL;
    }
  bind_tensors (t, t->memory, &t->p);
  bind_tensors (t, t->memory + t->n_params, &t->g);
  t->frozen_info = g_array_new (FALSE, FALSE, sizeof (PlmEsmParamInfo));
  t->frozen_names = g_ptr_array_new_with_free_func (g_free);
  return t;
}

void
plm_esm_trainable_free (PlmEsmTrainable *t)
{
  if (t == NULL)
    return;
  g_free (t->memory);
  g_free (t->p.layers);
  g_free (t->g.layers);
  g_clear_pointer (&t->info, g_array_unref);
  g_clear_pointer (&t->names, g_ptr_array_unref);
  g_free (t->frozen);
  g_clear_pointer (&t->frozen_info, g_array_unref);
  g_clear_pointer (&t->frozen_names, g_ptr_array_unref);
  g_free (t->acts_memory);
  g_free (t->acts);
  g_clear_pointer (&t->slots, g_ptr_array_unref);
  g_free (t);
}

static gboolean
config_ok (const PlmEsmConfig *c)
{
  return c->n_layers >= 1 && c->d_model >= 2 && c->n_heads >= 1 && c->d_ffn >= 1
         && c->d_model % c->n_heads == 0 && (c->d_model / c->n_heads) % 2 == 0
         && c->vocab_size == PLM_VOCAB_SIZE && c->layer_norm_eps > 0.0f
         && (!c->absolute_positions || plm_esm_config_max_tokens (c) >= 3);
}

PlmEsmTrainable *
plm_esm_trainable_new_from_model (const PlmModel *m, GError **error)
{
  const PlmEsmConfig *c = &m->config;
  PlmEsmTrainable *t = trainable_alloc (c);
  int d = c->d_model;

  if (t == NULL)
    {
      g_set_error (error, PLM_ERROR, PLM_ERROR_RESOURCES, "%s: not enough memory for the trainable weights "
                   "and their gradients", m->path ? m->path : "model");
      return NULL;
    }
  size_t dd = (size_t) d * d, dF = (size_t) d * c->d_ffn;
#define CP(dst, src, n) memcpy ((dst), (src), sizeof (float) * (n))
  CP (t->p.embed, m->embed, (size_t) c->vocab_size * d);
  if (c->absolute_positions)
    CP (t->p.pos_embed, m->pos_embed, (size_t) c->max_positions * d);
  if (c->emb_layer_norm_before)
    {
      CP (t->p.emb_ln_w, m->emb_ln_w, d);
      CP (t->p.emb_ln_b, m->emb_ln_b, d);
    }
  for (int l = 0; l < c->n_layers; l++)
    {
      const PlmEsmLayerWeights *w = &m->layers[l];
      LayerTensors *L = &t->p.layers[l];
      CP (L->wq, w->wq, dd); CP (L->bq, w->bq, d);
      CP (L->wk, w->wk, dd); CP (L->bk, w->bk, d);
      CP (L->wv, w->wv, dd); CP (L->bv, w->bv, d);
      CP (L->wo, w->wo, dd); CP (L->bo, w->bo, d);
      CP (L->ln_attn_w, w->ln_attn_w, d); CP (L->ln_attn_b, w->ln_attn_b, d);
      CP (L->w1, w->w1, dF); CP (L->b1, w->b1, c->d_ffn);
      CP (L->w2, w->w2, dF); CP (L->b2, w->b2, d);
      CP (L->ln_ffn_w, w->ln_ffn_w, d); CP (L->ln_ffn_b, w->ln_ffn_b, d);
    }
  CP (t->p.final_ln_w, m->final_ln_w, d);
  CP (t->p.final_ln_b, m->final_ln_b, d);

  /* the heads are not trained: copy them aside for save */
  typedef struct { const char *name; const float *src; int nd; int64_t a, b; } Frozen;
  Frozen fr[10];
  guint n_fr = 0;
  if (m->has_lm_head)
    {
      fr[n_fr++] = (Frozen) { "lm_head.dense.weight", m->lm_dense_w, 2, d, d };
      fr[n_fr++] = (Frozen) { "lm_head.dense.bias", m->lm_dense_b, 1, d, 0 };
      fr[n_fr++] = (Frozen) { "lm_head.layer_norm.weight", m->lm_ln_w, 1, d, 0 };
      fr[n_fr++] = (Frozen) { "lm_head.layer_norm.bias", m->lm_ln_b, 1, d, 0 };
      fr[n_fr++] = (Frozen) { "lm_head.bias", m->lm_bias, 1, c->vocab_size, 0 };
      /* HF ties the decoder to the embeddings (saved without it); an untied one goes through */
      if (m->lm_decoder != m->embed
          && memcmp (m->lm_decoder, m->embed, sizeof (float) * (size_t) c->vocab_size * d) != 0)
        fr[n_fr++] = (Frozen) { "lm_head.decoder.weight", m->lm_decoder, 2, c->vocab_size, d };
    }
  if (m->has_contact_head)
    {
      fr[n_fr++] = (Frozen) { "esm.contact_head.regression.weight", m->contact_w, 2, 1,
                              (int64_t) c->n_layers * c->n_heads };
      fr[n_fr++] = (Frozen) { "esm.contact_head.regression.bias", &m->contact_b, 1, 1, 0 };
    }
  gsize off = 0;
  for (guint i = 0; i < n_fr; i++)
    add_info (t->frozen_info, t->frozen_names, g_strdup (fr[i].name), &off, fr[i].nd, fr[i].a, fr[i].b);
  t->frozen = g_new (float, MAX (off, 1));
  for (guint i = 0; i < n_fr; i++)
    {
      const PlmEsmParamInfo *pi = &g_array_index (t->frozen_info, PlmEsmParamInfo, i);
      CP (t->frozen + pi->offset, fr[i].src, pi->n_elements);
    }
#undef CP
  return t;
}

PlmEsmTrainable *
plm_esm_trainable_new_random (const PlmEsmConfig *c, guint64 seed)
{
  g_return_val_if_fail (config_ok (c), NULL);
  PlmEsmTrainable *t = trainable_alloc (c);
  g_return_val_if_fail (t != NULL, NULL);
  guint32 seed_words[2] = { (guint32) seed, (guint32) (seed >> 32) };
  g_autoptr(GRand) rng = g_rand_new_with_seed_array (seed_words, 2);
  const PlmEsmParamInfo *info = (const PlmEsmParamInfo *) t->info->data;

  for (guint i = 0; i < t->info->len; i++)
    {
      const PlmEsmParamInfo *pi = &info[i];
      float *x = t->memory + pi->offset;
      if (pi->n_dims == 2)
        /* normal(0, 0.02) by Box–Muller */
        for (gsize j = 0; j < pi->n_elements; j++)
          {
            double u1 = 1.0 - g_rand_double (rng), u2 = g_rand_double (rng);
            x[j] = (float) (0.02 * sqrt (-2.0 * log (u1)) * cos (2.0 * G_PI * u2));
          }
      else if (g_str_has_suffix (pi->name, "LayerNorm.weight")
               || g_str_has_suffix (pi->name, "layer_norm.weight")
               || g_str_has_suffix (pi->name, "emb_layer_norm_after.weight"))
        for (gsize j = 0; j < pi->n_elements; j++)
          x[j] = 1.0f;
      /* biases stay 0 (calloc) */
    }
  /* nn.Embedding(padding_idx=<pad>) keeps that row at zero */
  memset (t->p.embed + (size_t) c->pad_token_id * c->d_model, 0, sizeof (float) * c->d_model);
  if (t->p.pos_embed != NULL)   /* HF's position table has the same padding_idx */
    memset (t->p.pos_embed + (size_t) c->pad_token_id * c->d_model, 0, sizeof (float) * c->d_model);
  t->frozen = g_new (float, 1);
  return t;
}

const PlmEsmConfig *
plm_esm_trainable_get_config (PlmEsmTrainable *t)
{
  return &t->config;
}

float *
plm_esm_trainable_get_params (PlmEsmTrainable *t, gsize *n)
{
  if (n != NULL)
    *n = t->n_params;
  return t->memory;
}

float *
plm_esm_trainable_get_grads (PlmEsmTrainable *t, gsize *n)
{
  if (n != NULL)
    *n = t->n_params;
  return t->memory + t->n_params;
}

const PlmEsmParamInfo *
plm_esm_trainable_get_tensors (PlmEsmTrainable *t, guint *n)
{
  *n = t->info->len;
  return (const PlmEsmParamInfo *) t->info->data;
}

const PlmEsmParamInfo *
plm_esm_trainable_lookup (PlmEsmTrainable *t, const char *name)
{
  for (guint i = 0; i < t->info->len; i++)
    if (strcmp (g_array_index (t->info, PlmEsmParamInfo, i).name, name) == 0)
      return &g_array_index (t->info, PlmEsmParamInfo, i);
  return NULL;
}

void
plm_esm_trainable_zero_grad (PlmEsmTrainable *t)
{
  memset (t->memory + t->n_params, 0, sizeof (float) * t->n_params);
}

/* ---- activations ---- */

/* Floats of the activation arena for @slots saved layers at @T tokens. */
static guint64
acts_floats (const PlmEsmConfig *c, guint64 T, guint64 slots)
{
  guint64 d = (guint64) c->d_model, F = (guint64) c->d_ffn, H = (guint64) c->n_heads;
  guint64 per_layer = 7 * T * d + 2 * T * F + H * T * T + 4 * T;
  guint64 shared = (slots + 1) * T * d + 2 * T + T * (guint64) c->d_head   /* x_res, final stats, cos/sin */
                   + T * d + 2 * T                                          /* ESM-1b embedding LayerNorm */
                   + 6 * T * d + T * F + T * T;                             /* backward scratch */
  return slots * per_layer + shared;
}

guint64
plm_esm_trainable_activation_bytes (const PlmEsmConfig *c, int n_tokens)
{
  return 4 * acts_floats (c, (guint64) MAX (n_tokens, 0), (guint64) c->n_layers);
}

static gboolean
ensure_acts (PlmEsmTrainable *t, int T, int slots, GError **error)
{
  const PlmEsmConfig *c = &t->config;
  if (T <= t->acts_T && slots <= t->acts_slots)
    return TRUE;
  T = MAX (T, t->acts_T);
  slots = MAX (slots, t->acts_slots);

  guint64 n = acts_floats (c, (guint64) T, (guint64) slots);
  g_clear_pointer (&t->acts_memory, g_free);
  t->acts_T = t->acts_slots = 0;
  if (n > G_MAXSIZE / sizeof (float) || (t->acts_memory = g_try_malloc ((gsize) n * sizeof (float))) == NULL)
    {
      g_set_error (error, PLM_ERROR, PLM_ERROR_RESOURCES,
                   "not enough memory to train on %d tokens (%" G_GUINT64_FORMAT " MB of activations)",
                   T, (n * sizeof (float)) >> 20);
      return FALSE;
    }
  t->acts_T = T;
  t->acts_slots = slots;
  g_free (t->acts);
  t->acts = g_new0 (LayerActs, slots);

  gsize Tz = (gsize) T, d = (gsize) c->d_model, F = (gsize) c->d_ffn, H = (gsize) c->n_heads;
  float *p = t->acts_memory;
#define CARVE(ptr, n) do { (ptr) = p; p += (n); } while (0)
  CARVE (t->x_res, ((gsize) slots + 1) * Tz * d);
  for (int l = 0; l < slots; l++)
    {
      LayerActs *a = &t->acts[l];
      CARVE (a->x_mid, Tz * d);
      CARVE (a->h1, Tz * d);
      CARVE (a->q, Tz * d);
      CARVE (a->k, Tz * d);
      CARVE (a->v, Tz * d);
      CARVE (a->ctx, Tz * d);
      CARVE (a->h2, Tz * d);
      CARVE (a->probs, H * Tz * Tz);
      CARVE (a->pre, Tz * F);
      CARVE (a->act, Tz * F);
      CARVE (a->mean1, Tz);
      CARVE (a->rstd1, Tz);
      CARVE (a->mean2, Tz);
      CARVE (a->rstd2, Tz);
    }
  CARVE (t->final_mean, Tz);
  CARVE (t->final_rstd, Tz);
  CARVE (t->emb_pre, Tz * d);
  CARVE (t->emb_mean, Tz);
  CARVE (t->emb_rstd, Tz);
  CARVE (t->cos_t, Tz * (gsize) c->d_head / 2);
  CARVE (t->sin_t, Tz * (gsize) c->d_head / 2);
  CARVE (t->dx, Tz * d);
  CARVE (t->dh, Tz * d);
  CARVE (t->dq, Tz * d);
  CARVE (t->dk, Tz * d);
  CARVE (t->dv, Tz * d);
  CARVE (t->dctx, Tz * d);
  CARVE (t->dff, Tz * F);
  CARVE (t->dscores, Tz * Tz);
#undef CARVE
  g_assert ((guint64) (p - t->acts_memory) == n);
  return TRUE;
}

gboolean
plm_esm_trainable_reserve (PlmEsmTrainable *t, int n_tokens, GError **error)
{
  return ensure_acts (t, n_tokens, t->config.n_layers, error);
}

static gboolean
check_tokens (const PlmEsmConfig *c, const int32_t *tokens, int T, GError **error)
{
  if (T < 2 || tokens[0] != PLM_TOKEN_CLS || tokens[T - 1] != PLM_TOKEN_EOS)
    {
      g_set_error (error, PLM_ERROR, PLM_ERROR_INPUT, "token sequence must be <cls> … <eos>");
      return FALSE;
    }
  if (T > (1 << 16))
    {
      g_set_error (error, PLM_ERROR, PLM_ERROR_RESOURCES, "%d tokens is beyond the trainer's limit", T);
      return FALSE;
    }
  int max_tokens = plm_esm_config_max_tokens (c);
  if (max_tokens > 0 && T > max_tokens)
    {
      g_set_error (error, PLM_ERROR, PLM_ERROR_INPUT, "%d residues is beyond the %d this model can run "
                   "(learned positions for %d tokens)", T - 2, max_tokens - 2, max_tokens);
      return FALSE;
    }
  for (int i = 0; i < T; i++)
    if (tokens[i] < 0 || tokens[i] >= c->vocab_size)
      {
        g_set_error (error, PLM_ERROR, PLM_ERROR_INPUT, "token %d at position %d is outside the vocabulary",
                     tokens[i], i);
        return FALSE;
      }
  return TRUE;
}

static int
mask_token (const PlmEsmConfig *c)
{
  return c->token_dropout ? c->mask_token_id : -1;
}

/* x_res[0] = the layers' input: token embeddings (token-dropout rescale), and for ESM-1b plus the
 * learned positions (ids pad + 1 + t), then the embedding LayerNorm (its input kept in emb_pre). */
static void
embed_forward (PlmEsmTrainable *t, const int32_t *tokens, int T)
{
  const PlmEsmConfig *c = &t->config;
  const int d = c->d_model;
  float *e = c->emb_layer_norm_before ? t->emb_pre : t->x_res;

  plm_embedding_forward (e, t->p.embed, tokens, T, d, mask_token (c),
                         plm_token_dropout_scale (tokens, T, mask_token (c)));
  if (c->absolute_positions)
    for (int i = 0; i < T; i++)
      plm_add (e + (size_t) i * d, e + (size_t) i * d,
               t->p.pos_embed + (size_t) (c->pad_token_id + 1 + i) * d, (size_t) d);
  if (c->emb_layer_norm_before)
    plm_layernorm_forward (t->x_res, t->emb_mean, t->emb_rstd, e, t->p.emb_ln_w, t->p.emb_ln_b, T, d,
                           c->layer_norm_eps);
}

/* Accumulates the gradients of embed_forward's parameters from @dx = d loss / d x_res[0]
 * (overwritten when the embedding LayerNorm turns it into d loss / d emb_pre). */
static void
embed_backward (PlmEsmTrainable *t, const int32_t *tokens, int T, float *dx)
{
  const PlmEsmConfig *c = &t->config;
  const int d = c->d_model;
  const size_t Td = (size_t) T * d;

  if (c->emb_layer_norm_before)
    {
      /* dh is free here: d loss / d emb_pre */
      memset (t->dh, 0, sizeof (float) * Td);
      plm_layernorm_backward (t->dh, t->g.emb_ln_w, t->g.emb_ln_b, dx, t->emb_pre, t->p.emb_ln_w,
                              t->emb_mean, t->emb_rstd, T, d);
      memcpy (dx, t->dh, sizeof (float) * Td);
    }
  if (c->absolute_positions)
    /* every position row gets its token's gradient, <mask> included (added after the zeroing) */
    for (int i = 0; i < T; i++)
      plm_add (t->g.pos_embed + (size_t) (c->pad_token_id + 1 + i) * d,
               t->g.pos_embed + (size_t) (c->pad_token_id + 1 + i) * d, dx + (size_t) i * d, (size_t) d);
  plm_embedding_backward (t->g.embed, dx, tokens, T, d, mask_token (c), c->pad_token_id,
                          plm_token_dropout_scale (tokens, T, mask_token (c)));
}

/* The forward pass; with @save every layer keeps its activations in its own slot, else all
 * layers share slot 0. The final LayerNorm input stays in x_res[n_layers] (saving) or x_res[0]. */
static void
run_forward (PlmEsmTrainable *t, const int32_t *tokens, int T, gboolean save, float *emb_out)
{
  const PlmEsmConfig *c = &t->config;
  const int d = c->d_model, H = c->n_heads, hd = c->d_head, F = c->d_ffn;
  const size_t Td = (size_t) T * d;
  const float scaling = 1.0f / sqrtf ((float) hd);
  float *x_final = save ? t->x_res + (size_t) c->n_layers * Td : t->x_res;

  embed_forward (t, tokens, T);
  gboolean rotary = !c->absolute_positions;
  if (rotary)
    plm_rotary_tables (t->cos_t, t->sin_t, T, hd);

  for (int l = 0; l < c->n_layers; l++)
    {
      const LayerTensors *w = &t->p.layers[l];
      int s = save ? l : 0;
      LayerActs *a = &t->acts[s];
      float *x_in = t->x_res + (size_t) s * Td;
      /* without saving, the residual stream is updated in place */
      float *x_out = save ? x_in + Td : x_in;

      /* self-attention block (pre-LN); q scaled before the rotation, as upstream */
      plm_layernorm_forward (a->h1, a->mean1, a->rstd1, x_in, w->ln_attn_w, w->ln_attn_b, T, d,
                             c->layer_norm_eps);
      plm_linear_forward (a->q, a->h1, w->wq, w->bq, T, d, d);
      plm_linear_forward (a->k, a->h1, w->wk, w->bk, T, d, d);
      plm_linear_forward (a->v, a->h1, w->wv, w->bv, T, d, d);
      for (size_t i = 0; i < Td; i++)
        a->q[i] *= scaling;
      if (rotary)
        {
          plm_rotary_forward (a->q, t->cos_t, t->sin_t, T, H, hd);
          plm_rotary_forward (a->k, t->cos_t, t->sin_t, T, H, hd);
        }
      plm_attention_forward (a->ctx, a->probs, a->q, a->k, a->v, T, H, hd);
      plm_linear_forward (t->dctx, a->ctx, w->wo, w->bo, T, d, d);   /* dctx: free until backward */
      plm_add (a->x_mid, x_in, t->dctx, Td);

      /* feed-forward block (pre-LN) */
      plm_layernorm_forward (a->h2, a->mean2, a->rstd2, a->x_mid, w->ln_ffn_w, w->ln_ffn_b, T, d,
                             c->layer_norm_eps);
      plm_linear_forward (a->pre, a->h2, w->w1, w->b1, T, d, F);
      plm_gelu_forward (a->act, a->pre, (size_t) T * F);
      plm_linear_forward (t->dctx, a->act, w->w2, w->b2, T, F, d);
      plm_add (x_out, a->x_mid, t->dctx, Td);
    }
  plm_layernorm_forward (emb_out, t->final_mean, t->final_rstd, x_final, t->p.final_ln_w,
                         t->p.final_ln_b, T, d, c->layer_norm_eps);
}

gboolean
plm_esm_trainable_forward (PlmEsmTrainable *t, const int32_t *tokens, int T, float *emb_out,
                           GError **error)
{
  if (!check_tokens (&t->config, tokens, T, error) || !ensure_acts (t, T, 1, error))
    return FALSE;
  run_forward (t, tokens, T, FALSE, emb_out);
  return TRUE;
}

gboolean
plm_esm_trainable_backward (PlmEsmTrainable *t, const int32_t *tokens, int T, const float *d_emb,
                            GError **error)
{
  const PlmEsmConfig *c = &t->config;
  if (!check_tokens (c, tokens, T, error) || !ensure_acts (t, T, c->n_layers, error))
    return FALSE;

  const int d = c->d_model, H = c->n_heads, hd = c->d_head, F = c->d_ffn;
  const size_t Td = (size_t) T * d;
  const float scaling = 1.0f / sqrtf ((float) hd);

  /* recompute, saving; the embeddings themselves land in dh (scratch, overwritten below) */
  run_forward (t, tokens, T, TRUE, t->dh);

  float *dx = t->dx, *dh = t->dh;
  memset (dx, 0, sizeof (float) * Td);
  plm_layernorm_backward (dx, t->g.final_ln_w, t->g.final_ln_b, d_emb,
                          t->x_res + (size_t) c->n_layers * Td, t->p.final_ln_w,
                          t->final_mean, t->final_rstd, T, d);

  for (int l = c->n_layers - 1; l >= 0; l--)
    {
      const LayerTensors *w = &t->p.layers[l];
      LayerTensors *gw = &t->g.layers[l];
      const LayerActs *a = &t->acts[l];
      const float *x_in = t->x_res + (size_t) l * Td;

      /* x_out = x_mid + fc2(gelu(fc1(LN2(x_mid)))): dx flows through the residual unchanged */
      memset (t->dff, 0, sizeof (float) * (size_t) T * F);
      plm_linear_backward (t->dff, gw->w2, gw->b2, dx, a->act, w->w2, T, F, d);
      plm_gelu_backward (t->dff, a->pre, t->dff, (size_t) T * F);
      memset (dh, 0, sizeof (float) * Td);
      plm_linear_backward (dh, gw->w1, gw->b1, t->dff, a->h2, w->w1, T, d, F);
      plm_layernorm_backward (dx, gw->ln_ffn_w, gw->ln_ffn_b, dh, a->x_mid, w->ln_ffn_w,
                              a->mean2, a->rstd2, T, d);

      /* x_mid = x_in + out(attn(LN1(x_in))) */
      memset (t->dctx, 0, sizeof (float) * Td);
      plm_linear_backward (t->dctx, gw->wo, gw->bo, dx, a->ctx, w->wo, T, d, d);
      memset (t->dq, 0, sizeof (float) * Td);
      memset (t->dk, 0, sizeof (float) * Td);
      memset (t->dv, 0, sizeof (float) * Td);
      plm_attention_backward (t->dq, t->dk, t->dv, t->dscores, t->dctx, a->probs, a->q, a->k, a->v,
                              T, H, hd);
      if (!c->absolute_positions)
        {
          plm_rotary_backward (t->dq, t->cos_t, t->sin_t, T, H, hd);
          plm_rotary_backward (t->dk, t->cos_t, t->sin_t, T, H, hd);
        }
      for (size_t i = 0; i < Td; i++)
        t->dq[i] *= scaling;
      memset (dh, 0, sizeof (float) * Td);
      plm_linear_backward (dh, gw->wq, gw->bq, t->dq, a->h1, w->wq, T, d, d);
      plm_linear_backward (dh, gw->wk, gw->bk, t->dk, a->h1, w->wk, T, d, d);
      plm_linear_backward (dh, gw->wv, gw->bv, t->dv, a->h1, w->wv, T, d, d);
      plm_layernorm_backward (dx, gw->ln_attn_w, gw->ln_attn_b, dh, x_in, w->ln_attn_w,
                              a->mean1, a->rstd1, T, d);
    }

  embed_backward (t, tokens, T, dx);
  return TRUE;
}

/* ---- slots ---- */

static void
slot_free (gpointer p)
{
  Slot *s = p;
  g_free (s->tokens);
  g_free (s->emb);
  g_free (s);
}

const float *
plm_esm_trainable_encode_slot (PlmEsmTrainable *t, int slot, const int32_t *tokens, int T,
                               GError **error)
{
  if (slot < 0 || slot >= MAX_SLOTS)
    {
      g_set_error (error, PLM_ERROR, PLM_ERROR_INPUT, "encoder slot %d is outside 0..%d", slot, MAX_SLOTS - 1);
      return NULL;
    }
  if (!check_tokens (&t->config, tokens, T, error))
    return NULL;
  if (t->slots == NULL)
    t->slots = g_ptr_array_new_with_free_func (slot_free);
  while (t->slots->len <= (guint) slot)
    g_ptr_array_add (t->slots, g_new0 (Slot, 1));
  Slot *s = t->slots->pdata[slot];
  if (T > s->capacity)
    {
      g_free (s->tokens);
      g_free (s->emb);
      s->tokens = g_new (int32_t, T);
      s->emb = g_try_new (float, (gsize) T * t->config.d_model);
      s->capacity = s->emb != NULL ? T : 0;
      if (s->emb == NULL)
        {
          g_set_error (error, PLM_ERROR, PLM_ERROR_RESOURCES, "not enough memory for %d tokens of embeddings", T);
          return NULL;
        }
    }
  s->n_tokens = 0;
  if (!plm_esm_trainable_forward (t, tokens, T, s->emb, error))
    return NULL;
  memcpy (s->tokens, tokens, sizeof (int32_t) * T);
  s->n_tokens = T;
  return s->emb;
}

gboolean
plm_esm_trainable_backward_slot (PlmEsmTrainable *t, int slot, const float *d_emb, GError **error)
{
  Slot *s = t->slots != NULL && slot >= 0 && (guint) slot < t->slots->len ? t->slots->pdata[slot] : NULL;
  if (s == NULL || s->n_tokens == 0)
    {
      g_set_error (error, PLM_ERROR, PLM_ERROR_INPUT, "encoder slot %d holds no sequence", slot);
      return FALSE;
    }
  return plm_esm_trainable_backward (t, s->tokens, s->n_tokens, d_emb, error);
}
