/* plm-esm.c: the ESM-2 / ESM-1b forward pass for one sequence, streaming each layer's attention to the
 * caller and folding it into the contact head on the fly, so no consumer holds all layers. */
#include "plm-esm.h"

#include <cblas.h>
#include <math.h>
#include <string.h>
#ifdef _OPENMP
# include <omp.h>
#endif

#include "plm-error.h"
#include "plm-ops.h"
#include "plm-tokenizer.h"

void openblas_set_num_threads (int n);
int openblas_get_num_threads (void);
char *openblas_get_corename (void);

struct _PlmEsmState {
  const PlmModel *model;
  int     capacity;     /* largest T the arena holds */
  float  *arena;
  /* carved from the arena */
  float  *x;            /* [T,d] residual stream */
  float  *h;            /* [T,d] normalised input */
  float  *q, *k, *v;    /* [T,d] */
  float  *ctx;          /* [T,d] */
  float  *ffn;          /* [T,ffn] */
  float  *probs;        /* [H,T,T] */
  float  *cos_t, *sin_t;/* [T,hd/2] */
  float  *contact_acc;  /* [L,L] contact logits */
  float  *sym;          /* [L] column sums of one head's map */
  float  *rowsum;       /* [L] */
};

static int engine_threads = 0;

double
plm_esm_mean_log_probability (const float   *logits,
                              int            vocab_size,
                              const int32_t *tokens,
                              int            n_tokens)
{
  double total = 0.0;

  for (int t = 1; t < n_tokens - 1; t++)
    {
      const float *row = logits + (gsize) t * vocab_size;
      double mx = row[0], sum = 0.0;

      for (int v = 1; v < vocab_size; v++)
        mx = MAX (mx, row[v]);
      for (int v = 0; v < vocab_size; v++)
        sum += exp (row[v] - mx);
      total += row[tokens[t]] - mx - log (sum);
    }
  return total / MAX (1, n_tokens - 2);
}

void
plm_engine_set_threads (int n)
{
  if (n <= 0)
    n = (int) g_get_num_processors ();
#ifdef _OPENMP
  /* OMP_THREAD_LIMIT caps the OpenMP team; OpenBLAS's OpenMP build asked for more threads than
   * the team gets waits for them for ever */
  n = MIN (n, omp_get_thread_limit ());
#endif
  engine_threads = n;
  openblas_set_num_threads (n);
#ifdef _OPENMP
  omp_set_num_threads (n);
#endif
}

void
plm_engine_thread_init (void)
{
#ifdef _OPENMP
  omp_set_num_threads (plm_engine_get_threads ());
#endif
}

int
plm_engine_get_threads (void)
{
  return engine_threads > 0 ? engine_threads : openblas_get_num_threads ();
}

const char *
plm_engine_blas_core (void)
{
  return openblas_get_corename ();
}

/* Sizes of the arena's parts, in floats, for @T tokens. Overflow-safe for T ≤ 2^20 and the
 * config bounds of plm-model.c (checked by the caller). */
static guint64
arena_floats (const PlmEsmConfig *c, guint64 T, gboolean contacts)
{
  guint64 d = (guint64) c->d_model, L = T >= 2 ? T - 2 : 0;
  guint64 n = 6 * T * d + T * (guint64) c->d_ffn + (guint64) c->n_heads * T * T + T * (guint64) c->d_head;
  if (contacts)
    n += L * L + 2 * L;   /* contact logits, column sums, row sums */
  return n;
}

guint64
plm_esm_activation_bytes (const PlmEsmConfig *c, int n_tokens, gboolean want_contacts)
{
  guint64 T = (guint64) MAX (n_tokens, 0);
  /* outputs: logits, embeddings, contacts */
  guint64 outputs = T * (guint64) c->vocab_size + T * (guint64) c->d_model + (T >= 2 ? (T - 2) * (T - 2) : 0);
  return 4 * (arena_floats (c, T, want_contacts) + outputs);
}

PlmEsmState *
plm_esm_state_new (const PlmModel *model)
{
  PlmEsmState *s = g_new0 (PlmEsmState, 1);
  s->model = model;
  return s;
}

void
plm_esm_state_free (PlmEsmState *s)
{
  if (s == NULL)
    return;
  g_free (s->arena);
  g_free (s);
}

static gboolean
ensure_capacity (PlmEsmState *s, int T, GError **error)
{
  const PlmEsmConfig *c = &s->model->config;
  if (T <= s->capacity)
    return TRUE;

  guint64 n = arena_floats (c, (guint64) T, TRUE);
  if (n > G_MAXSIZE / sizeof (float))
    {
      g_set_error (error, PLM_ERROR, PLM_ERROR_RESOURCES, "%d tokens need more memory than can be addressed", T);
      return FALSE;
    }
  g_free (s->arena);
  s->arena = g_try_malloc ((gsize) n * sizeof (float));
  if (s->arena == NULL)
    {
      s->capacity = 0;
      g_set_error (error, PLM_ERROR, PLM_ERROR_RESOURCES,
                   "not enough memory for %d tokens (%" G_GUINT64_FORMAT " MB of activations)",
                   T, (n * sizeof (float)) >> 20);
      return FALSE;
    }
  s->capacity = T;

  gsize d = (gsize) c->d_model, Tz = (gsize) T, L = Tz - 2;
  float *p = s->arena;
  s->x = p; p += Tz * d;
  s->h = p; p += Tz * d;
  s->q = p; p += Tz * d;
  s->k = p; p += Tz * d;
  s->v = p; p += Tz * d;
  s->ctx = p; p += Tz * d;
  s->ffn = p; p += Tz * (gsize) c->d_ffn;
  s->probs = p; p += (gsize) c->n_heads * Tz * Tz;
  s->cos_t = p; p += Tz * (gsize) c->d_head / 2;
  s->sin_t = p; p += Tz * (gsize) c->d_head / 2;
  s->contact_acc = p; p += L * L;
  s->sym = p; p += L;
  s->rowsum = p; p += L;
  g_assert ((guint64) (p - s->arena) == n);
  return TRUE;
}

/* Embedding lookup with ESM-2's token-dropout rescale (also at inference): <mask> rows are
 * zeroed and everything is scaled by (1 − 0.15·0.8) / (1 − mask ratio). x[T,d]. */
static void
embed_tokens (float *x, const PlmModel *m, const int32_t *tokens, int T)
{
  const PlmEsmConfig *c = &m->config;
  int d = c->d_model;
  int n_mask = 0;

  for (int t = 0; t < T; t++)
    {
      float *xt = x + (size_t) t * d;
      if (c->token_dropout && tokens[t] == c->mask_token_id)
        {
          memset (xt, 0, sizeof (float) * d);
          n_mask++;
        }
      else
        memcpy (xt, m->embed + (size_t) tokens[t] * d, sizeof (float) * d);
    }
  if (c->token_dropout)
    {
      const float mask_ratio_train = 0.15f * 0.8f;
      float mask_ratio_observed = (float) n_mask / (float) T;
      float scale = (1.0f - mask_ratio_train) / (1.0f - mask_ratio_observed);
      for (size_t i = 0; i < (size_t) T * d; i++)
        x[i] *= scale;
    }
  /* ESM-1b / ESM-1v: learned positions (ids pad + 1 + t) after the rescale, then a LayerNorm */
  if (m->pos_embed != NULL)
    for (int t = 0; t < T; t++)
      plm_add (x + (size_t) t * d, x + (size_t) t * d,
               m->pos_embed + (size_t) (c->pad_token_id + 1 + t) * d, (size_t) d);
  if (m->emb_ln_w != NULL)
    plm_layernorm_forward (x, NULL, NULL, x, m->emb_ln_w, m->emb_ln_b, T, d, c->layer_norm_eps);
}

/* Adds this layer's contact features: per head, the <cls>/<eos>-stripped map A is symmetrised
 * (S = A + Aᵀ), APC-corrected and weighted by the regression weight, straight into acc[L,L].
 * S's row sums are A's row sums plus its column sums, both read contiguously; the transposed
 * read happens once, in cache-sized tiles, in the accumulating pass. */
static void
contacts_accumulate (PlmEsmState *s, int layer, int T)
{
  const PlmModel *m = s->model;
  int H = m->config.n_heads, L = T - 2;
  float *r = s->rowsum, *colsum = s->sym, *acc = s->contact_acc;
  const int B = 64;

  for (int h = 0; h < H; h++)
    {
      const float *P = s->probs + (size_t) h * T * T;
      float w = m->contact_w[layer * H + h];
      double total = 0.0;

#pragma omp parallel
      {
#pragma omp for schedule(static)
        for (int jb = 0; jb < L; jb += B)
          {
            int je = MIN (jb + B, L);
            for (int j = jb; j < je; j++)
              colsum[j] = 0.0f;
            for (int i = 0; i < L; i++)
              {
                const float *row = P + (size_t) (i + 1) * T + 1;
                for (int j = jb; j < je; j++)
                  colsum[j] += row[j];
              }
          }
#pragma omp for schedule(static) reduction(+:total)
        for (int i = 0; i < L; i++)
          {
            const float *row = P + (size_t) (i + 1) * T + 1;
            float lane[16] = { 0 };
            int j = 0;
            for (; j + 16 <= L; j += 16)
              for (int u = 0; u < 16; u++)
                lane[u] += row[j + u];
            float rs = 0.0f;
            for (; j < L; j++)
              rs += row[j];
            for (int u = 0; u < 16; u++)
              rs += lane[u];
            r[i] = rs + colsum[i];
            total += r[i];
          }
      }
      float inv_total = total > 0.0 ? (float) (1.0 / total) : 0.0f;
#pragma omp parallel for schedule(static)
      for (int ib = 0; ib < L; ib += B)
        for (int jb = 0; jb < L; jb += B)
          for (int i = ib; i < MIN (ib + B, L); i++)
            {
              float ri = r[i] * inv_total;
              float *a = acc + (size_t) i * L;
              const float *pi = P + (size_t) (i + 1) * T + 1;
              for (int j = jb; j < MIN (jb + B, L); j++)
                a[j] += w * (pi[j] + P[(size_t) (j + 1) * T + (i + 1)] - ri * r[j]);
            }
    }
}

static gboolean
is_cancelled (const PlmForwardOptions *o)
{
  return o != NULL && o->cancellable != NULL && g_cancellable_is_cancelled (o->cancellable);
}

gboolean
plm_esm_forward (PlmEsmState *s, const int32_t *tokens, int T, const PlmForwardOptions *opt,
                 PlmForwardOutput *out, GError **error)
{
  static const PlmForwardOptions defaults = { .want_logits = TRUE, .want_embeddings = TRUE, .want_contacts = TRUE };
  const PlmModel *m = s->model;
  const PlmEsmConfig *c = &m->config;
  const int d = c->d_model, H = c->n_heads, hd = c->d_head, F = c->d_ffn;

  if (opt == NULL)
    opt = &defaults;
  memset (out, 0, sizeof *out);
  if (T < 2 || tokens[0] != PLM_TOKEN_CLS || tokens[T - 1] != PLM_TOKEN_EOS)
    {
      g_set_error (error, PLM_ERROR, PLM_ERROR_INPUT, "token sequence must be <cls> … <eos>");
      return FALSE;
    }
  if (T > (1 << 20))
    {
      g_set_error (error, PLM_ERROR, PLM_ERROR_RESOURCES, "%d tokens is beyond the engine's limit", T);
      return FALSE;
    }
  for (int t = 0; t < T; t++)
    if (tokens[t] < 0 || tokens[t] >= c->vocab_size)
      {
        g_set_error (error, PLM_ERROR, PLM_ERROR_INPUT, "token %d at position %d is outside the vocabulary",
                     tokens[t], t);
        return FALSE;
      }
  int max_tokens = plm_esm_config_max_tokens (c);
  if (max_tokens > 0 && T > max_tokens)
    {
      g_set_error (error, PLM_ERROR, PLM_ERROR_INPUT, "%d residues is beyond the %d that %s can run "
                   "(learned positions for %d tokens)", T - 2, max_tokens - 2, m->name ? m->name : "this model",
                   max_tokens);
      return FALSE;
    }
  gboolean contacts = opt->want_contacts && m->has_contact_head && T > 2;
  if (opt->want_logits && !m->has_lm_head)
    {
      g_set_error (error, PLM_ERROR, PLM_ERROR_TENSOR, "%s: this checkpoint has no LM head, so no logits", m->path);
      return FALSE;
    }
  if (!ensure_capacity (s, T, error))
    return FALSE;

  const int L = T - 2;
  float *x = s->x, *h = s->h, *q = s->q, *k = s->k, *v = s->v, *ctx = s->ctx;
  const float scaling = 1.0f / sqrtf ((float) hd);

  embed_tokens (x, m, tokens, T);
  gboolean rotary = !c->absolute_positions;
  if (rotary)
    plm_rotary_tables (s->cos_t, s->sin_t, T, hd);
  if (contacts)
    memset (s->contact_acc, 0, sizeof (float) * (size_t) L * L);

  for (int l = 0; l < c->n_layers; l++)
    {
      const PlmEsmLayerWeights *w = &m->layers[l];

      if (is_cancelled (opt))
        goto cancelled;

      /* self-attention block (pre-LN) */
      plm_layernorm_forward (h, NULL, NULL, x, w->ln_attn_w, w->ln_attn_b, T, d, c->layer_norm_eps);
      plm_linear_forward (q, h, w->wq, w->bq, T, d, d);
      plm_linear_forward (k, h, w->wk, w->bk, T, d, d);
      plm_linear_forward (v, h, w->wv, w->bv, T, d, d);
      /* upstream scales q before the rotation */
      for (size_t i = 0; i < (size_t) T * d; i++)
        q[i] *= scaling;
      if (rotary)
        {
          plm_rotary_forward (q, s->cos_t, s->sin_t, T, H, hd);
          plm_rotary_forward (k, s->cos_t, s->sin_t, T, H, hd);
        }

      for (int hh = 0; hh < H; hh++)
        {
          float *P = s->probs + (size_t) hh * T * T;
          /* P[T,T] = q_h · k_hᵀ, heads interleaved in the row (stride d) */
          cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasTrans, T, T, hd, 1.0f,
                       q + (size_t) hh * hd, d, k + (size_t) hh * hd, d, 0.0f, P, T);
          plm_softmax_rows (P, T, T);
          /* ctx_h[T,hd] = P · v_h */
          cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasNoTrans, T, hd, T, 1.0f,
                       P, T, v + (size_t) hh * hd, d, 0.0f, ctx + (size_t) hh * hd, d);
        }

      if (opt->attention_func != NULL
          && !opt->attention_func (l, s->probs, H, T, opt->attention_data))
        goto cancelled;
      if (contacts)
        contacts_accumulate (s, l, T);

      plm_linear_forward (h, ctx, w->wo, w->bo, T, d, d);
      plm_add (x, x, h, (size_t) T * d);

      /* feed-forward block (pre-LN) */
      plm_layernorm_forward (h, NULL, NULL, x, w->ln_ffn_w, w->ln_ffn_b, T, d, c->layer_norm_eps);
      plm_linear_forward (s->ffn, h, w->w1, w->b1, T, d, F);
      plm_gelu_forward (s->ffn, s->ffn, (size_t) T * F);
      plm_linear_forward (h, s->ffn, w->w2, w->b2, T, F, d);
      plm_add (x, x, h, (size_t) T * d);

      if (opt->progress_func != NULL)
        opt->progress_func (l + 1, c->n_layers, opt->progress_data);
    }

  if (is_cancelled (opt))
    goto cancelled;

  out->n_tokens = T;
  out->n_residues = L;
  out->d_model = d;
  out->vocab_size = c->vocab_size;

  /* final LayerNorm: the embeddings */
  plm_layernorm_forward (x, NULL, NULL, x, m->final_ln_w, m->final_ln_b, T, d, c->layer_norm_eps);
  if (opt->want_embeddings)
    out->embeddings = g_memdup2 (x, sizeof (float) * (size_t) T * d);

  if (opt->want_logits)
    {
      /* LM head: dense → GELU → LayerNorm → decoder (tied) + bias */
      plm_linear_forward (h, x, m->lm_dense_w, m->lm_dense_b, T, d, d);
      plm_gelu_forward (h, h, (size_t) T * d);
      plm_layernorm_forward (h, NULL, NULL, h, m->lm_ln_w, m->lm_ln_b, T, d, c->layer_norm_eps);
      out->logits = g_new (float, (size_t) T * c->vocab_size);
      plm_linear_forward (out->logits, h, m->lm_decoder, m->lm_bias, T, d, c->vocab_size);
    }

  if (contacts)
    {
      out->contacts = g_new (float, (size_t) L * L);
      for (size_t i = 0; i < (size_t) L * L; i++)
        out->contacts[i] = 1.0f / (1.0f + expf (-(s->contact_acc[i] + m->contact_b)));
    }
  return TRUE;

cancelled:
  plm_forward_output_clear (out);
  g_set_error (error, PLM_ERROR, PLM_ERROR_CANCELLED, "cancelled");
  return FALSE;
}

void
plm_forward_output_clear (PlmForwardOutput *out)
{
  g_clear_pointer (&out->logits, g_free);
  g_clear_pointer (&out->embeddings, g_free);
  g_clear_pointer (&out->contacts, g_free);
  memset (out, 0, sizeof *out);
}
