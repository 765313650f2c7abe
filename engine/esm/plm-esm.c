/* plm-esm.c: the ESM-2 / ESM-1b forward pass (one sequence, or the layers of a packed batch),
 * streaming each layer's attention to the caller and folding it into the contact head on the fly,
 * so no consumer holds all layers. */
#include "plm-esm-private.h"

#include <cblas.h>
#include <math.h>
#include <string.h>
#ifdef _OPENMP
# include <omp.h>
#endif

#include "plm-clones.h"
#include "plm-error.h"
#include "plm-linear.h"
#include "plm-ops.h"
#include "plm-tokenizer.h"

void openblas_set_num_threads (int n);
int openblas_get_num_threads (void);
char *openblas_get_corename (void);

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
  /* inside a region the count is the region's task's: OpenBLAS runs on one thread there anyway */
  if (!omp_in_parallel ())
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

/* Room for @rows rows of sequences of at most @T tokens. */
gboolean
plm_esm_ensure_capacity (PlmEsmState *s, guint64 rows, int T, GError **error)
{
  const PlmEsmConfig *c = &s->model->config;
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

/* Adds this layer's contact features to @acc [L,L]. Upstream's contact head takes, per head, the
 * <cls>/<eos>-stripped map A, symmetrises it (S = A + Aᵀ), APC-corrects it (S − r rᵀ / Σr, r the
 * row sums of S) and weights it. Since r rᵀ is symmetric, Σ_h w_h (A + Aᵀ − r rᵀ / t) = C + Cᵀ
 * with C = Σ_h w_h (A − ½ r rᵀ / t): so @acc gathers the unsymmetrised C, reading every map once,
 * row by row and contiguously, and plm_esm_contacts_finish adds the transpose once at the end.
 * A's row sums come from the same read; its column sums per block of CONTACT_ROWS rows, added
 * in a fixed order, so the result does not depend on the thread count. */
#define CONTACT_ROWS 64

PLM_CLONES static void
contacts_accumulate (PlmEsmState *s, int layer, int T, float *acc)
{
  const PlmModel *m = s->model;
  const int H = m->config.n_heads, L = T - 2, n_blocks = (L + CONTACT_ROWS - 1) / CONTACT_ROWS;
  const float *w = m->contact_w + (size_t) layer * H;
  /* r [H, L]: S's row sums; part [n_blocks, H, L]: column sums of A per block of rows;
   * u [L, H]: ½ w_h r_hi / t_h, the rank-1 APC term's left factor */
  float *r = g_new (float, (size_t) H * L), *part = g_new (float, (size_t) n_blocks * H * L);
  float *u = g_new (float, (size_t) L * H);

#pragma omp parallel
  {
#pragma omp for schedule(static)
    for (int blk = 0; blk < n_blocks; blk++)
      {
        int ib = blk * CONTACT_ROWS, ie = MIN (ib + CONTACT_ROWS, L);
        float *cs_blk = part + (size_t) blk * H * L;
        memset (cs_blk, 0, sizeof (float) * (size_t) H * L);
        for (int i = ib; i < ie; i++)
          {
            float *a = acc + (size_t) i * L;
            for (int h = 0; h < H; h++)
              {
                const float *row = s->probs + (size_t) h * T * T + (size_t) (i + 1) * T + 1;
                float *cs = cs_blk + (size_t) h * L;
                const float wh = w[h];
                float lane[16] = { 0 };
                int j = 0;
                for (; j + 16 <= L; j += 16)
                  for (int e = 0; e < 16; e++)
                    {
                      float v = row[j + e];
                      a[j + e] += wh * v;
                      cs[j + e] += v;
                      lane[e] += v;
                    }
                float rs = 0.0f;
                for (; j < L; j++)
                  {
                    a[j] += wh * row[j];
                    cs[j] += row[j];
                    rs += row[j];
                  }
                for (int e = 0; e < 16; e++)
                  rs += lane[e];
                r[(size_t) h * L + i] = rs;
              }
          }
      }
#pragma omp for schedule(static)
    for (int h = 0; h < H; h++)
      {
        float *rh = r + (size_t) h * L;
        double total = 0.0;
        for (int blk = 0; blk < n_blocks; blk++)
          {
            const float *cs = part + ((size_t) blk * H + h) * L;
            for (int j = 0; j < L; j++)
              rh[j] += cs[j];
          }
        for (int j = 0; j < L; j++)
          total += rh[j];
        float half = total > 0.0 ? (float) (0.5 * w[h] / total) : 0.0f;
        for (int i = 0; i < L; i++)
          u[(size_t) i * H + h] = half * rh[i];
      }
#pragma omp for schedule(static)
    for (int i = 0; i < L; i++)
      {
        float *a = acc + (size_t) i * L;
        for (int h = 0; h < H; h++)
          {
            const float ui = u[(size_t) i * H + h], *rh = r + (size_t) h * L;
            for (int j = 0; j < L; j++)
              a[j] -= ui * rh[j];
          }
      }
  }
  g_free (r);
  g_free (part);
  g_free (u);
}

PLM_CLONES void
plm_esm_contacts_finish (float *acc, int L, float bias)
{
  /* C + Cᵀ (contacts_accumulate), then the logistic regression's bias and sigmoid; in place,
   * pair by pair, in tiles so that the transposed reads stay in cache */
  const int B = 64;
#pragma omp parallel for schedule(dynamic)
  for (int ib = 0; ib < L; ib += B)
    for (int jb = ib; jb < L; jb += B)
      for (int i = ib; i < MIN (ib + B, L); i++)
        for (int j = MAX (jb, i); j < MIN (jb + B, L); j++)
          {
            float v = acc[(size_t) i * L + j] + acc[(size_t) j * L + i];
            v = 1.0f / (1.0f + expf (-(v + bias)));
            acc[(size_t) i * L + j] = acc[(size_t) j * L + i] = v;
          }
}

gboolean
plm_esm_is_cancelled (const PlmForwardOptions *o)
{
  return o != NULL && o->cancellable != NULL && g_cancellable_is_cancelled (o->cancellable);
}

gboolean
plm_esm_check_tokens (const PlmModel *m, const int32_t *tokens, int T, gboolean logits, GError **error)
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

/* One task per (sequence, head), each on one thread (the threads ≤ heads), so the thin per-head
 * products do not pay for a threaded sgemm's synchronisation. Without @keep each thread has a
 * scratch map of the arena's largest size. */
void
plm_esm_attention (PlmEsmState *s, int B, const int *q_row, const int *q_len, const int *kv_row,
                   const int *kv_len, const float *q, float *ctx, gboolean keep)
{
  const PlmEsmConfig *c = &s->model->config;
  const int d = c->d_model, H = c->n_heads, hd = c->d_head, n = B * H;
  const size_t cap = (size_t) s->capacity;
  int n_threads = 1;
#ifdef _OPENMP
  n_threads = omp_in_parallel () ? 1 : MAX (1, MIN (plm_engine_get_threads (), MIN (H, n)));
#endif

  g_assert (!keep || B == 1);
#pragma omp parallel for schedule(dynamic) num_threads(n_threads)
  for (int i = 0; i < n; i++)
    {
      int b = i / H, hh = i % H, tid = 0, T = kv_len[b], M = q_len[b];
#ifdef _OPENMP
      tid = omp_get_thread_num ();
#endif
      float *P = keep ? s->probs + (size_t) hh * T * T : s->probs + (size_t) tid * cap * cap;
      size_t kv = (size_t) kv_row[b] * d + (size_t) hh * hd, qc = (size_t) q_row[b] * d + (size_t) hh * hd;
      cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasTrans, M, T, hd, 1.0f,
                   q + qc, d, s->k + kv, d, 0.0f, P, T);
      plm_softmax_rows (P, M, T);
      cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasNoTrans, M, hd, T, 1.0f,
                   P, T, s->v + kv, d, 0.0f, ctx + qc, d);
    }
}

/* The rest of a layer over @R rows of the residual stream @x, given the attention context
 * @ctx: x += OutProj(ctx); x += FC2(GELU(FC1(LN_ffn(x)))). @h [R,d] is scratch, s->ffn too. */
void
plm_esm_output_and_ffn (PlmEsmState *s, const PlmEsmLayerWeights *w, float *x, const float *ctx, float *h, int R)
{
  const PlmEsmConfig *c = &s->model->config;
  const int d = c->d_model, F = c->d_ffn;

  plm_linear (s->model->lowp, x, ctx, w->wo, w->bo, R, d, d, PLM_LINEAR_ACCUMULATE);
  /* feed-forward block (pre-LN) */
  plm_layernorm_forward (h, NULL, NULL, x, w->ln_ffn_w, w->ln_ffn_b, R, d, c->layer_norm_eps);
  plm_linear (s->model->lowp, s->ffn, h, w->w1, w->b1, R, d, F, PLM_LINEAR_GELU);
  plm_linear (s->model->lowp, x, s->ffn, w->w2, w->b2, R, F, d, PLM_LINEAR_ACCUMULATE);
}

static gboolean
observed (const PlmEsmPack *p, int b)
{
  return p->opts != NULL && p->opts[b] != NULL
         && (p->opts[b]->attention_func != NULL || (p->acc != NULL && p->acc[b] != NULL));
}

/* One pre-LN layer over the pack's sequences in s->x: the projections and the FFN over all rows
 * at once, the attention per sequence. A sequence someone observes (attention callback, contact
 * head) has its maps computed head-parallel and handed over before the next one's; the others
 * share one parallel pass. FALSE when a callback cancels. */
static gboolean
layer_forward (PlmEsmState *s, int l, const PlmEsmPack *p, int *scratch)
{
  const PlmModel *m = s->model;
  const PlmEsmConfig *c = &m->config;
  const PlmEsmLayerWeights *w = &m->layers[l];
  const int d = c->d_model, H = c->n_heads, hd = c->d_head, R = p->off[p->n];
  float *x = s->x, *h = s->h, *q = s->q, *k = s->k, *v = s->v, *ctx = s->ctx;
  const float scaling = 1.0f / sqrtf ((float) hd);

  /* self-attention block (pre-LN) */
  plm_layernorm_forward (h, NULL, NULL, x, w->ln_attn_w, w->ln_attn_b, R, d, c->layer_norm_eps);
  const PlmLinearTarget qkv[3] = { { q, d, w->wq, w->bq, d }, { k, d, w->wk, w->bk, d }, { v, d, w->wv, w->bv, d } };
  plm_linear_n (s->model->lowp, h, R, d, qkv, 3, PLM_LINEAR_STORE);
  /* upstream scales q before the rotation; ESM-1b/1v have learned positions instead */
  for (size_t i = 0; i < (size_t) R * d; i++)
    q[i] *= scaling;
  for (int b = 0; b < p->n && !c->absolute_positions; b++)
    {
      int T = p->off[b + 1] - p->off[b];
      plm_rotary_forward (q + (size_t) p->off[b] * d, s->cos_t, s->sin_t, T, H, hd);
      plm_rotary_forward (k + (size_t) p->off[b] * d, s->cos_t, s->sin_t, T, H, hd);
    }

  /* scratch [2n]: rows and lengths of the sequences nobody observes */
  int *row = scratch, *len = scratch + p->n, n_free = 0;
  for (int b = 0; b < p->n; b++)
    {
      int T = p->off[b + 1] - p->off[b];
      if (!observed (p, b))
        {
          row[n_free] = p->off[b];
          len[n_free++] = T;
          continue;
        }
      const PlmForwardOptions *o = p->opts[b];
      plm_esm_attention (s, 1, &p->off[b], &T, &p->off[b], &T, q, ctx, TRUE);
      if (o->attention_func != NULL && !o->attention_func (l, s->probs, H, T, o->attention_data))
        return FALSE;
      if (p->acc != NULL && p->acc[b] != NULL)
        contacts_accumulate (s, l, T, p->acc[b]);
    }
  if (n_free > 0)
    plm_esm_attention (s, n_free, row, len, row, len, q, ctx, FALSE);

  plm_esm_output_and_ffn (s, w, x, ctx, h, R);
  return TRUE;
}

gboolean
plm_esm_trunk (PlmEsmState *s, const int32_t *tokens, const PlmEsmPack *p, int n_layers, GError **error)
{
  const PlmModel *m = s->model;
  const PlmEsmConfig *c = &m->config;
  const int d = c->d_model;
  const PlmForwardOptions *o = p->main;
  g_autofree int *scratch = g_new (int, 2 * (gsize) p->n);

  /* every forward pass starts here, in whichever thread: a worker thread's OpenMP count is the
   * process default (all cores), not plm_engine_set_threads ()'s, and under OMP_THREAD_LIMIT
   * OpenBLAS's OpenMP build then waits for ever for threads its team never gets */
  plm_engine_thread_init ();
  for (int b = 0; b < p->n; b++)
    {
      int T = p->off[b + 1] - p->off[b];
      embed_tokens (s->x + (size_t) p->off[b] * d, m, tokens + p->off[b], T);
      if (p->acc != NULL && p->acc[b] != NULL)
        memset (p->acc[b], 0, sizeof (float) * (size_t) (T - 2) * (T - 2));
    }
  if (!c->absolute_positions)
    plm_rotary_tables (s->cos_t, s->sin_t, p->t_max, c->d_head);

  for (int l = 0; l < n_layers; l++)
    {
      if (plm_esm_is_cancelled (o) || !layer_forward (s, l, p, scratch))
        goto cancelled;
      if (o != NULL && o->progress_func != NULL)
        o->progress_func (l + 1, c->n_layers, o->progress_data);
    }
  if (!plm_esm_is_cancelled (o))
    return TRUE;

cancelled:
  g_set_error (error, PLM_ERROR, PLM_ERROR_CANCELLED, "cancelled");
  return FALSE;
}

/* LM head of @n rows of @x [n,d] (after the final LayerNorm) into @logits [n,vocab]; uses s->h. */
void
plm_esm_lm_head (PlmEsmState *s, const float *x, int n, float *logits)
{
  const PlmModel *m = s->model;
  const PlmEsmConfig *c = &m->config;
  const int d = c->d_model;

  /* dense → GELU → LayerNorm → decoder (tied) + bias */
  plm_linear (s->model->lowp, s->h, x, m->lm_dense_w, m->lm_dense_b, n, d, d, PLM_LINEAR_GELU);
  plm_layernorm_forward (s->h, NULL, NULL, s->h, m->lm_ln_w, m->lm_ln_b, n, d, c->layer_norm_eps);
  plm_linear (s->model->lowp, logits, s->h, m->lm_decoder, m->lm_bias, n, d, c->vocab_size, PLM_LINEAR_STORE);
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
  if (!plm_esm_check_tokens (m, tokens, T, opt->want_logits, error))
    return FALSE;
  gboolean contacts = opt->want_contacts && m->has_contact_head && T > 2;
  if (!plm_esm_ensure_capacity (s, (guint64) T, T, error))
    return FALSE;

  const int L = T - 2;
  const int off[2] = { 0, T };
  float *acc = contacts ? s->contact_acc : NULL;
  const PlmEsmPack pack = { opt, 1, off, T, &opt, &acc };
  if (!plm_esm_trunk (s, tokens, &pack, c->n_layers, error))
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
      plm_esm_lm_head (s, s->x, T, out->logits);
    }

  if (contacts)
    {
      plm_esm_contacts_finish (s->contact_acc, L, m->contact_b);
      out->contacts = g_memdup2 (s->contact_acc, sizeof (float) * (size_t) L * L);
    }
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
