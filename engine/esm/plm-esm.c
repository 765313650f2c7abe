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
  int     capacity_rows;/* largest number of rows (copies × T) it holds */
  float  *arena;
  /* carved from the arena; a batch of B copies of T tokens has B·T rows */
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
  int n = engine_threads > 0 ? engine_threads : openblas_get_num_threads ();

#ifdef _OPENMP
  /* never more than an OpenMP team can have (see plm_engine_set_threads): a data-parallel region
   * of one thread is not "in parallel" to OpenBLAS, which then waits for threads that never come */
  n = MIN (n, omp_get_thread_limit ());
#endif
  return MAX (n, 1);
}

const char *
plm_engine_blas_core (void)
{
  return openblas_get_corename ();
}

/* Sizes of the arena's parts, in floats, for @rows rows of sequences of @T tokens. Overflow-safe
 * for rows, T ≤ 2^20 and the config bounds of plm-model.c (checked by the caller). */
static guint64
arena_floats (const PlmEsmConfig *c, guint64 rows, guint64 T, gboolean contacts)
{
  guint64 d = (guint64) c->d_model, L = T >= 2 ? T - 2 : 0;
  guint64 n = 6 * rows * d + rows * (guint64) c->d_ffn + (guint64) c->n_heads * T * T + T * (guint64) c->d_head;
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
  return 4 * (arena_floats (c, T, T, want_contacts) + outputs);
}

PlmEsmState *
plm_esm_state_new (const PlmModel *model)
{
  PlmEsmState *s = g_new0 (PlmEsmState, 1);

  /* a caller that never set the threads gets the environment's, within OpenMP's limit */
  if (engine_threads == 0)
    plm_engine_set_threads (plm_engine_get_threads ());
  s->model = model;
  return s;
}

const PlmModel *
plm_esm_state_get_model (PlmEsmState *s)
{
  return s->model;
}

void
plm_esm_state_free (PlmEsmState *s)
{
  if (s == NULL)
    return;
  g_free (s->arena);
  g_free (s);
}

/* Room for @B copies of @T tokens. */
static gboolean
ensure_capacity (PlmEsmState *s, int B, int T, GError **error)
{
  const PlmEsmConfig *c = &s->model->config;
  guint64 rows = (guint64) B * (guint64) T;
  if (T <= s->capacity && rows <= (guint64) s->capacity_rows)
    return TRUE;

  T = MAX (T, s->capacity);
  rows = MAX (rows, (guint64) s->capacity_rows);
  guint64 n = rows > (1u << 24) ? G_MAXUINT64 : arena_floats (c, rows, (guint64) T, TRUE);
  if (n > G_MAXSIZE / sizeof (float))
    {
      g_set_error (error, PLM_ERROR, PLM_ERROR_RESOURCES, "%d tokens need more memory than can be addressed", T);
      return FALSE;
    }
  g_free (s->arena);
  s->arena = g_try_malloc ((gsize) n * sizeof (float));
  if (s->arena == NULL)
    {
      s->capacity = s->capacity_rows = 0;
      g_set_error (error, PLM_ERROR, PLM_ERROR_RESOURCES,
                   "not enough memory for %d tokens (%" G_GUINT64_FORMAT " MB of activations)",
                   T, (n * sizeof (float)) >> 20);
      return FALSE;
    }
  s->capacity = T;
  s->capacity_rows = (int) rows;

  gsize d = (gsize) c->d_model, Tz = (gsize) T, L = Tz - 2, R = (gsize) rows;
  float *p = s->arena;
  s->x = p; p += R * d;
  s->h = p; p += R * d;
  s->q = p; p += R * d;
  s->k = p; p += R * d;
  s->v = p; p += R * d;
  s->ctx = p; p += R * d;
  s->ffn = p; p += R * (gsize) c->d_ffn;
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

static gboolean
check_tokens (const PlmModel *m, const int32_t *tokens, int T, gboolean logits, GError **error)
{
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
    if (tokens[t] < 0 || tokens[t] >= m->config.vocab_size)
      {
        g_set_error (error, PLM_ERROR, PLM_ERROR_INPUT, "token %d at position %d is outside the vocabulary",
                     tokens[t], t);
        return FALSE;
      }
  int max_tokens = plm_esm_config_max_tokens (&m->config);
  if (max_tokens > 0 && T > max_tokens)
    {
      g_set_error (error, PLM_ERROR, PLM_ERROR_INPUT, "%d residues is beyond the %d that %s can run "
                   "(learned positions for %d tokens)", T - 2, max_tokens - 2, m->name ? m->name : "this model",
                   max_tokens);
      return FALSE;
    }
  if (logits && !m->has_lm_head)
    {
      g_set_error (error, PLM_ERROR, PLM_ERROR_TENSOR, "%s: this checkpoint has no LM head, so no logits", m->path);
      return FALSE;
    }
  return TRUE;
}

/* Self-attention of @B copies of @T tokens when nobody looks at the probabilities: one task per
 * (copy, head), each on one thread with its own scratch map (the threads ≤ heads), so the thin
 * per-head products do not pay for a threaded sgemm's synchronisation. Copy b's @M query rows
 * start at @q + b·@stride (rows d apart) and its context rows at @ctx + b·@stride; its keys and
 * values are rows b·T … b·T + T − 1 of s->k and s->v. */
static void
attention_unobserved (PlmEsmState *s, int B, int T, int M, const float *q, float *ctx, size_t stride)
{
  const PlmEsmConfig *c = &s->model->config;
  const int d = c->d_model, H = c->n_heads, hd = c->d_head, n = B * H;
  int n_threads = 1;
#ifdef _OPENMP
  n_threads = MAX (1, MIN (omp_get_max_threads (), H));
#endif

#pragma omp parallel for schedule(dynamic) num_threads(n_threads)
  for (int i = 0; i < n; i++)
    {
      int b = i / H, hh = i % H, tid = 0;
#ifdef _OPENMP
      tid = omp_get_thread_num ();
#endif
      float *P = s->probs + (size_t) tid * T * T;
      size_t kv = (size_t) b * T * d + (size_t) hh * hd, qc = b * stride + (size_t) hh * hd;
      cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasTrans, M, T, hd, 1.0f,
                   q + qc, d, s->k + kv, d, 0.0f, P, T);
      plm_softmax_rows (P, M, T);
      cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasNoTrans, M, hd, T, 1.0f,
                   P, T, s->v + kv, d, 0.0f, ctx + qc, d);
    }
}

/* The rest of a layer over @R rows of the residual stream @x, given the attention context
 * @ctx: x += OutProj(ctx); x += FC2(GELU(FC1(LN_ffn(x)))). @h [R,d] is scratch, s->ffn too. */
static void
output_and_ffn (PlmEsmState *s, const PlmEsmLayerWeights *w, float *x, const float *ctx, float *h, int R)
{
  const PlmEsmConfig *c = &s->model->config;
  const int d = c->d_model, F = c->d_ffn;

  plm_lowp_linear (s->model->lowp, h, ctx, w->wo, w->bo, R, d, d);
  plm_add (x, x, h, (size_t) R * d);
  /* feed-forward block (pre-LN) */
  plm_layernorm_forward (h, NULL, NULL, x, w->ln_ffn_w, w->ln_ffn_b, R, d, c->layer_norm_eps);
  plm_lowp_linear (s->model->lowp, s->ffn, h, w->w1, w->b1, R, d, F);
  plm_gelu_forward (s->ffn, s->ffn, (size_t) R * F);
  plm_lowp_linear (s->model->lowp, h, s->ffn, w->w2, w->b2, R, F, d);
  plm_add (x, x, h, (size_t) R * d);
}

/* One pre-LN layer over the @B copies of @T tokens in s->x. The attention probabilities go to
 * the options' callback and the contact head only when @B is 1. FALSE when the callback cancels. */
static gboolean
layer_forward (PlmEsmState *s, int l, int B, int T, const PlmForwardOptions *opt, gboolean contacts)
{
  const PlmModel *m = s->model;
  const PlmEsmConfig *c = &m->config;
  const PlmEsmLayerWeights *w = &m->layers[l];
  const int d = c->d_model, H = c->n_heads, hd = c->d_head, R = B * T;
  float *x = s->x, *h = s->h, *q = s->q, *k = s->k, *v = s->v, *ctx = s->ctx;
  const float scaling = 1.0f / sqrtf ((float) hd);
  gboolean observed = B == 1 && (opt->attention_func != NULL || contacts);

  /* self-attention block (pre-LN) */
  plm_layernorm_forward (h, NULL, NULL, x, w->ln_attn_w, w->ln_attn_b, R, d, c->layer_norm_eps);
  plm_lowp_linear (s->model->lowp, q, h, w->wq, w->bq, R, d, d);
  plm_lowp_linear (s->model->lowp, k, h, w->wk, w->bk, R, d, d);
  plm_lowp_linear (s->model->lowp, v, h, w->wv, w->bv, R, d, d);
  /* upstream scales q before the rotation; ESM-1b/1v have learned positions instead */
  for (size_t i = 0; i < (size_t) R * d; i++)
    q[i] *= scaling;
  for (int b = 0; b < B && !c->absolute_positions; b++)
    {
      plm_rotary_forward (q + (size_t) b * T * d, s->cos_t, s->sin_t, T, H, hd);
      plm_rotary_forward (k + (size_t) b * T * d, s->cos_t, s->sin_t, T, H, hd);
    }

  if (observed)
    {
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
        return FALSE;
      if (contacts)
        contacts_accumulate (s, l, T);
    }
  else
    attention_unobserved (s, B, T, T, q, ctx, (size_t) T * d);

  output_and_ffn (s, w, x, ctx, h, R);
  return TRUE;
}

/* Embeds @B copies of @T tokens and runs the first @n_layers layers. FALSE (with the error set)
 * when cancelled. */
static gboolean
trunk_forward (PlmEsmState *s, const int32_t *tokens, int B, int T, const PlmForwardOptions *opt,
               gboolean contacts, int n_layers, GError **error)
{
  const PlmModel *m = s->model;
  const PlmEsmConfig *c = &m->config;
  const int d = c->d_model;

  for (int b = 0; b < B; b++)
    embed_tokens (s->x + (size_t) b * T * d, m, tokens + (size_t) b * T, T);
  if (!c->absolute_positions)
    plm_rotary_tables (s->cos_t, s->sin_t, T, c->d_head);
  if (contacts)
    memset (s->contact_acc, 0, sizeof (float) * (size_t) (T - 2) * (T - 2));

  for (int l = 0; l < n_layers; l++)
    {
      if (is_cancelled (opt) || !layer_forward (s, l, B, T, opt, contacts))
        goto cancelled;
      if (opt->progress_func != NULL)
        opt->progress_func (l + 1, c->n_layers, opt->progress_data);
    }
  if (!is_cancelled (opt))
    return TRUE;

cancelled:
  g_set_error (error, PLM_ERROR, PLM_ERROR_CANCELLED, "cancelled");
  return FALSE;
}

/* LM head of @n rows of @x [n,d] (after the final LayerNorm) into @logits [n,vocab]; uses s->h. */
static void
lm_head (PlmEsmState *s, const float *x, int n, float *logits)
{
  const PlmModel *m = s->model;
  const PlmEsmConfig *c = &m->config;
  const int d = c->d_model;

  /* dense → GELU → LayerNorm → decoder (tied) + bias */
  plm_lowp_linear (s->model->lowp, s->h, x, m->lm_dense_w, m->lm_dense_b, n, d, d);
  plm_gelu_forward (s->h, s->h, (size_t) n * d);
  plm_layernorm_forward (s->h, NULL, NULL, s->h, m->lm_ln_w, m->lm_ln_b, n, d, c->layer_norm_eps);
  plm_lowp_linear (s->model->lowp, logits, s->h, m->lm_decoder, m->lm_bias, n, d, c->vocab_size);
}

gboolean
plm_esm_forward (PlmEsmState *s, const int32_t *tokens, int T, const PlmForwardOptions *opt,
                 PlmForwardOutput *out, GError **error)
{
  static const PlmForwardOptions defaults = { .want_logits = TRUE, .want_embeddings = TRUE, .want_contacts = TRUE };
  const PlmModel *m = s->model;
  const PlmEsmConfig *c = &m->config;
  const int d = c->d_model;

  if (opt == NULL)
    opt = &defaults;
  memset (out, 0, sizeof *out);
  if (!check_tokens (m, tokens, T, opt->want_logits, error))
    return FALSE;
  gboolean contacts = opt->want_contacts && m->has_contact_head && T > 2;
  if (!ensure_capacity (s, 1, T, error))
    return FALSE;

  const int L = T - 2;
  if (!trunk_forward (s, tokens, 1, T, opt, contacts, c->n_layers, error))
    return FALSE;

  out->n_tokens = T;
  out->n_residues = L;
  out->d_model = d;
  out->vocab_size = c->vocab_size;

  /* final LayerNorm: the embeddings */
  plm_layernorm_forward (s->x, NULL, NULL, s->x, m->final_ln_w, m->final_ln_b, T, d, c->layer_norm_eps);
  if (opt->want_embeddings)
    out->embeddings = g_memdup2 (s->x, sizeof (float) * (size_t) T * d);

  if (opt->want_logits)
    {
      out->logits = g_new (float, (size_t) T * c->vocab_size);
      lm_head (s, s->x, T, out->logits);
    }

  if (contacts)
    {
      out->contacts = g_new (float, (size_t) L * L);
      for (size_t i = 0; i < (size_t) L * L; i++)
        out->contacts[i] = 1.0f / (1.0f + expf (-(s->contact_acc[i] + m->contact_b)));
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
  plm_lowp_linear (s->model->lowp, s->k, s->h, w->wk, w->bk, R, d, d);
  plm_lowp_linear (s->model->lowp, s->v, s->h, w->wv, w->bv, R, d, d);
  for (int b = 0; b < B; b++)
    {
      if (!c->absolute_positions)
        plm_rotary_forward (s->k + (size_t) b * T * d, s->cos_t, s->sin_t, T, H, hd);
      memcpy (hs + (size_t) b * d, s->h + ((size_t) b * T + rows[b]) * d, sizeof (float) * d);
    }
  plm_lowp_linear (s->model->lowp, qs, hs, w->wq, w->bq, B, d, d);
  for (size_t i = 0; i < (size_t) B * d; i++)
    qs[i] *= scaling;
  for (int b = 0; b < B && !c->absolute_positions; b++)
    plm_rotary_forward (qs + (size_t) b * d, s->cos_t + (size_t) rows[b] * hd / 2,
                        s->sin_t + (size_t) rows[b] * hd / 2, 1, H, hd);

  /* one query row per copy */
  attention_unobserved (s, B, T, 1, qs, cs, (size_t) d);

  output_and_ffn (s, w, sel, cs, hs, B);
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
      if (!check_tokens (m, tokens + (size_t) b * T, T, TRUE, error))
        return FALSE;
      if (rows[b] < 0 || rows[b] >= T)
        {
          g_set_error (error, PLM_ERROR, PLM_ERROR_INPUT, "row %d is outside the %d tokens", rows[b], T);
          return FALSE;
        }
    }
  /* nothing observes the attention here */
  o.attention_func = NULL;
  if (!ensure_capacity (s, B, T, error) || !trunk_forward (s, tokens, B, T, &o, FALSE, c->n_layers - 1, error))
    return FALSE;

  /* the wanted rows of the last layer's input */
  float *sel = s->q;
  for (int b = 0; b < B; b++)
    memcpy (sel + (size_t) b * d, s->x + ((size_t) b * T + rows[b]) * d, sizeof (float) * d);
  last_layer_at_rows (s, B, T, rows, sel);
  if (is_cancelled (&o))
    {
      g_set_error (error, PLM_ERROR, PLM_ERROR_CANCELLED, "cancelled");
      return FALSE;
    }
  if (o.progress_func != NULL)
    o.progress_func (c->n_layers, c->n_layers, o.progress_data);

  /* final LayerNorm and LM head on the wanted row of each copy only */
  plm_layernorm_forward (sel, NULL, NULL, sel, m->final_ln_w, m->final_ln_b, B, d, c->layer_norm_eps);
  lm_head (s, sel, B, logits);
  return TRUE;
}

void
plm_forward_output_clear (PlmForwardOutput *out)
{
  g_clear_pointer (&out->logits, g_free);
  g_clear_pointer (&out->embeddings, g_free);
  g_clear_pointer (&out->contacts, g_free);
  memset (out, 0, sizeof *out);
}
