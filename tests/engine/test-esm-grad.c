/* test-esm-grad.c: every backward function against central finite differences, and the whole
 * trainable encoder against PyTorch autograd (tests/data/grad); the checkpoints it saves are
 * tested in test-esm-save.c. */
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "plm-error.h"
#include "plm-esm-train.h"
#include "plm-esm.h"
#include "plm-ops-grad.h"
#include "plm-ops.h"
#include "plm-test-util.h"
#include "plm-tokenizer.h"

/* Σ out ⊙ R in double, so the finite differences see the float outputs without summation noise. */
static double
dot_loss (const float *out, const float *R, gsize n)
{
  double s = 0.0;
  for (gsize i = 0; i < n; i++)
    s += (double) out[i] * R[i];
  return s;
}

typedef double (*LossFunc) (gpointer ctx);

/* Compares the analytic gradient @g[n] of loss() w.r.t. @x[n] with central differences (step
 * @h, divided by the step actually representable in float). Returns max|g − fd| / max|fd|. */
static double
fd_check (const char *what, LossFunc loss, gpointer ctx, float *x, const float *g, gsize n,
          float h, double tol)
{
  double max_err = 0.0, max_fd = 0.0;
  gsize worst = 0;
  g_autofree double *fd = g_new (double, n);

  for (gsize i = 0; i < n; i++)
    {
      float x0 = x[i];
      x[i] = x0 + h;
      float xp = x[i];
      double lp = loss (ctx);
      x[i] = x0 - h;
      float xm = x[i];
      double lm = loss (ctx);
      x[i] = x0;
      fd[i] = (lp - lm) / ((double) xp - (double) xm);
      max_fd = fmax (max_fd, fabs (fd[i]));
    }
  for (gsize i = 0; i < n; i++)
    {
      double e = fabs ((double) g[i] - fd[i]);
      if (!(e <= max_err))
        {
          max_err = isnan (e) ? INFINITY : e;
          worst = i;
        }
    }
  double rel = max_err / fmax (max_fd, 1e-12);
  g_test_message ("FD %-22s n=%-5zu max|fd|=%-9.3g max rel err %.3g (worst at %zu: %.7g vs fd %.7g)",
                  what, (size_t) n, max_fd, rel, (size_t) worst, g[worst], fd[worst]);
  if (!(rel <= tol))
    g_printerr ("# FD MISMATCH %s: rel err %.3g > %.3g\n", what, rel, tol);
  g_assert_cmpfloat (max_fd, >, 0.0);
  g_assert_cmpfloat (rel, <=, tol);
  return rel;
}

/* ---- linear ---- */

typedef struct { int T, I, O; float *x, *w, *b, *out, *R; } LinearCase;

static double
linear_loss (gpointer p)
{
  LinearCase *c = p;
  plm_linear_forward (c->out, c->x, c->w, c->b, c->T, c->I, c->O);
  return dot_loss (c->out, c->R, (gsize) c->T * c->O);
}

static void
test_linear_backward (void)
{
  g_autoptr(GRand) r = g_rand_new_with_seed (11);
  LinearCase c = { 5, 7, 6 };
  float x[35], w[42], b[6], out[30], R[30], dx[35] = { 0 }, dw[42] = { 0 }, db[6] = { 0 };
  c.x = x; c.w = w; c.b = b; c.out = out; c.R = R;
  plm_test_fill_random (r, x, 35, -1, 1);
  plm_test_fill_random (r, w, 42, -1, 1);
  plm_test_fill_random (r, b, 6, -1, 1);
  plm_test_fill_random (r, R, 30, -1, 1);

  plm_linear_backward (dx, dw, db, R, x, w, c.T, c.I, c.O);
  fd_check ("linear dx", linear_loss, &c, x, dx, 35, 1e-2f, 1e-4);
  fd_check ("linear dw", linear_loss, &c, w, dw, 42, 1e-2f, 1e-4);
  fd_check ("linear db", linear_loss, &c, b, db, 6, 1e-2f, 1e-4);

  /* a second call accumulates */
  float dw1[42];
  memcpy (dw1, dw, sizeof dw);
  plm_linear_backward (NULL, dw, NULL, R, x, w, c.T, c.I, c.O);
  for (int i = 0; i < 42; i++)
    g_assert_cmpfloat (fabsf (dw[i] - 2 * dw1[i]), <=, 1e-5f * (1 + fabsf (dw1[i])));
}

/* ---- layernorm ---- */

typedef struct { int T, C; float *x, *w, *b, *out, *R, *mean, *rstd; } LnCase;

static double
ln_loss (gpointer p)
{
  LnCase *c = p;
  plm_layernorm_forward (c->out, c->mean, c->rstd, c->x, c->w, c->b, c->T, c->C, 1e-5f);
  return dot_loss (c->out, c->R, (gsize) c->T * c->C);
}

static void
test_layernorm_backward (void)
{
  g_autoptr(GRand) r = g_rand_new_with_seed (12);
  enum { T = 4, C = 24 };
  float x[T * C], w[C], b[C], out[T * C], R[T * C], mean[T], rstd[T];
  float dx[T * C] = { 0 }, dw[C] = { 0 }, db[C] = { 0 };
  LnCase c = { T, C, x, w, b, out, R, mean, rstd };
  plm_test_fill_random (r, x, T * C, -2, 3);
  plm_test_fill_random (r, w, C, 0.5, 1.5);
  plm_test_fill_random (r, b, C, -0.5, 0.5);
  plm_test_fill_random (r, R, T * C, -1, 1);

  ln_loss (&c);   /* saves mean/rstd */
  plm_layernorm_backward (dx, dw, db, R, x, w, mean, rstd, T, C);
  fd_check ("layernorm dx", ln_loss, &c, x, dx, T * C, 1e-2f, 2e-3);
  fd_check ("layernorm dw", ln_loss, &c, w, dw, C, 1e-2f, 1e-4);
  fd_check ("layernorm db", ln_loss, &c, b, db, C, 1e-2f, 1e-4);

  /* accumulation into dx */
  float dx1[T * C];
  memcpy (dx1, dx, sizeof dx);
  ln_loss (&c);
  plm_layernorm_backward (dx, NULL, NULL, R, x, w, mean, rstd, T, C);
  for (int i = 0; i < T * C; i++)
    g_assert_cmpfloat (fabsf (dx[i] - 2 * dx1[i]), <=, 1e-5f * (1 + fabsf (dx1[i])));
}

/* ---- GELU ---- */

typedef struct { gsize n; float *x, *out, *R; } EwCase;

static double
gelu_loss (gpointer p)
{
  EwCase *c = p;
  plm_gelu_forward (c->out, c->x, c->n);
  return dot_loss (c->out, c->R, c->n);
}

static void
test_gelu_backward (void)
{
  g_autoptr(GRand) r = g_rand_new_with_seed (13);
  enum { N = 200 };
  float x[N], out[N], R[N], dx[N] = { 0 }, dx2[N];
  EwCase c = { N, x, out, R };
  plm_test_fill_random (r, x, N, -5, 5);
  plm_test_fill_random (r, R, N, -1, 1);

  plm_gelu_backward (dx, x, R, N);
  /* the forward's erf has 1.2e-7 absolute error: a larger step keeps that out of the FD */
  fd_check ("gelu dx", gelu_loss, &c, x, dx, N, 2e-2f, 1e-3);
  /* in place: dx == dout overwrites */
  memcpy (dx2, R, sizeof R);
  plm_gelu_backward (dx2, x, dx2, N);
  for (int i = 0; i < N; i++)
    g_assert_cmpfloat (dx2[i], ==, dx[i]);
}

/* ---- softmax ---- */

typedef struct { int rows, cols; float *x, *out, *R; } SmCase;

static double
softmax_loss (gpointer p)
{
  SmCase *c = p;
  memcpy (c->out, c->x, sizeof (float) * c->rows * c->cols);
  plm_softmax_rows (c->out, c->rows, c->cols);
  return dot_loss (c->out, c->R, (gsize) c->rows * c->cols);
}

static void
test_softmax_backward (void)
{
  g_autoptr(GRand) r = g_rand_new_with_seed (14);
  enum { ROWS = 3, COLS = 9 };
  float x[ROWS * COLS], out[ROWS * COLS], R[ROWS * COLS], dx[ROWS * COLS] = { 0 }, dp[ROWS * COLS];
  SmCase c = { ROWS, COLS, x, out, R };
  plm_test_fill_random (r, x, ROWS * COLS, -3, 3);
  plm_test_fill_random (r, R, ROWS * COLS, -1, 1);

  softmax_loss (&c);
  plm_softmax_rows_backward (dx, out, R, ROWS, COLS);
  fd_check ("softmax dx", softmax_loss, &c, x, dx, ROWS * COLS, 1e-2f, 1e-3);
  softmax_loss (&c);
  memcpy (dp, R, sizeof R);
  plm_softmax_rows_backward (dp, out, dp, ROWS, COLS);
  for (int i = 0; i < ROWS * COLS; i++)
    g_assert_cmpfloat (dp[i], ==, dx[i]);
}

/* ---- rotary ---- */

typedef struct { int T, H, hd; float *x, *out, *R, *cos_t, *sin_t; } RotCase;

static double
rotary_loss (gpointer p)
{
  RotCase *c = p;
  gsize n = (gsize) c->T * c->H * c->hd;
  memcpy (c->out, c->x, sizeof (float) * n);
  plm_rotary_forward (c->out, c->cos_t, c->sin_t, c->T, c->H, c->hd);
  return dot_loss (c->out, c->R, n);
}

static void
test_rotary_backward (void)
{
  g_autoptr(GRand) r = g_rand_new_with_seed (15);
  enum { T = 9, H = 2, HD = 8, N = T * H * HD };
  float x[N], out[N], R[N], g[N], cos_t[T * HD / 2], sin_t[T * HD / 2];
  RotCase c = { T, H, HD, x, out, R, cos_t, sin_t };
  plm_rotary_tables (cos_t, sin_t, T, HD);
  plm_test_fill_random (r, x, N, -1, 1);
  plm_test_fill_random (r, R, N, -1, 1);

  memcpy (g, R, sizeof R);
  plm_rotary_backward (g, cos_t, sin_t, T, H, HD);
  fd_check ("rotary dx", rotary_loss, &c, x, g, N, 1e-2f, 1e-4);
}

/* ---- attention core ---- */

typedef struct { int T, H, hd; float *q, *k, *v, *ctx, *probs, *R; } AttnCase;

static double
attn_loss (gpointer p)
{
  AttnCase *c = p;
  plm_attention_forward (c->ctx, c->probs, c->q, c->k, c->v, c->T, c->H, c->hd);
  return dot_loss (c->ctx, c->R, (gsize) c->T * c->H * c->hd);
}

static void
test_attention_backward (void)
{
  g_autoptr(GRand) r = g_rand_new_with_seed (16);
  enum { T = 6, H = 3, HD = 4, N = T * H * HD };
  float q[N], k[N], v[N], ctx[N], probs[H * T * T], R[N], scratch[T * T];
  float dq[N] = { 0 }, dk[N] = { 0 }, dv[N] = { 0 };
  AttnCase c = { T, H, HD, q, k, v, ctx, probs, R };
  plm_test_fill_random (r, q, N, -1.5, 1.5);
  plm_test_fill_random (r, k, N, -1.5, 1.5);
  plm_test_fill_random (r, v, N, -1, 1);
  plm_test_fill_random (r, R, N, -1, 1);

  attn_loss (&c);
  plm_attention_backward (dq, dk, dv, scratch, R, probs, q, k, v, T, H, HD);
  fd_check ("attention dq", attn_loss, &c, q, dq, N, 1e-2f, 2e-3);
  fd_check ("attention dk", attn_loss, &c, k, dk, N, 1e-2f, 2e-3);
  fd_check ("attention dv", attn_loss, &c, v, dv, N, 1e-2f, 1e-4);
}

/* ---- embedding with token dropout ---- */

typedef struct { int T, d; const int32_t *tokens; float *embed, *x, *R; } EmbCase;

static double
emb_loss (gpointer p)
{
  EmbCase *c = p;
  float scale = plm_token_dropout_scale (c->tokens, c->T, PLM_TOKEN_MASK);
  plm_embedding_forward (c->x, c->embed, c->tokens, c->T, c->d, PLM_TOKEN_MASK, scale);
  return dot_loss (c->x, c->R, (gsize) c->T * c->d);
}

static void
test_embedding_backward (void)
{
  g_autoptr(GRand) r = g_rand_new_with_seed (17);
  enum { T = 8, D = 5, V = PLM_VOCAB_SIZE };
  /* repeated tokens (scatter-add) and two <mask> rows (zeroed, scale 0.88 / (1 − 2/8)) */
  const int32_t tokens[T] = { PLM_TOKEN_CLS, 5, 32, 7, 5, 32, 5, PLM_TOKEN_EOS };
  float embed[V * D], x[T * D], R[T * D], dembed[V * D] = { 0 };
  EmbCase c = { T, D, tokens, embed, x, R };
  plm_test_fill_random (r, embed, V * D, -1, 1);
  plm_test_fill_random (r, R, T * D, -1, 1);

  float scale = plm_token_dropout_scale (tokens, T, PLM_TOKEN_MASK);
  g_assert_cmpfloat (fabsf (scale - 0.88f / 0.75f), <, 1e-6f);
  g_assert_cmpfloat (plm_token_dropout_scale (tokens, T, -1), ==, 1.0f);
  plm_embedding_backward (dembed, R, tokens, T, D, PLM_TOKEN_MASK, -1, scale);
  fd_check ("embedding dembed", emb_loss, &c, embed, dembed, V * D, 1e-2f, 1e-4);
  for (int i = 0; i < D; i++)
    g_assert_cmpfloat (dembed[PLM_TOKEN_MASK * D + i], ==, 0.0f);

  /* <pad> (padding_idx) collects no gradient even where it occurs */
  const int32_t padded[4] = { PLM_TOKEN_CLS, PLM_TOKEN_PAD, 5, PLM_TOKEN_EOS };
  memset (dembed, 0, sizeof dembed);
  plm_embedding_backward (dembed, R, padded, 4, D, PLM_TOKEN_MASK, PLM_TOKEN_PAD, 1.0f);
  for (int i = 0; i < D; i++)
    {
      g_assert_cmpfloat (dembed[PLM_TOKEN_PAD * D + i], ==, 0.0f);
      g_assert_cmpfloat (dembed[5 * D + i], ==, R[2 * D + i]);
    }
}

/* ---- the whole encoder: a few parameters by finite differences (random init, no torch) ---- */

typedef struct { PlmEsmTrainable *t; const int32_t *tokens; int T; float *emb, *R; } EncCase;

static double
enc_loss (gpointer p)
{
  EncCase *c = p;
  g_autoptr(GError) error = NULL;
  gboolean ok = plm_esm_trainable_forward (c->t, c->tokens, c->T, c->emb, &error);
  g_assert_no_error (error);
  g_assert_true (ok);
  return dot_loss (c->emb, c->R, (gsize) c->T * plm_esm_trainable_get_config (c->t)->d_model);
}

static PlmEsmConfig
small_config (void)
{
  PlmEsmConfig c = { .n_layers = 2, .d_model = 16, .n_heads = 2, .d_head = 8, .d_ffn = 24,
                     .vocab_size = PLM_VOCAB_SIZE, .max_positions = 1026, .layer_norm_eps = 1e-5f,
                     .token_dropout = TRUE, .mask_token_id = PLM_TOKEN_MASK, .pad_token_id = PLM_TOKEN_PAD };
  return c;
}

static void
encoder_fd (const PlmEsmConfig *config)
{
  PlmEsmConfig cfg = *config;
  g_autoptr(PlmEsmTrainable) t = plm_esm_trainable_new_random (&cfg, 3);
  g_autoptr(GRand) r = g_rand_new_with_seed (18);
  const int32_t tokens[] = { PLM_TOKEN_CLS, 20, 15, 32, 5, 9, 5, PLM_TOKEN_EOS };
  const int T = G_N_ELEMENTS (tokens), d = cfg.d_model;
  g_autofree float *emb = g_new (float, T * d);
  g_autofree float *R = g_new (float, T * d);
  g_autoptr(GError) error = NULL;
  EncCase c = { t, tokens, T, emb, R };
  gsize n;

  /* 0.02-scale weights make a near-linear model: widen the matrices to trained-model scales
   * (embeddings sd 1, projections sd 0.2) and give biases and LayerNorms some spread, so that
   * every path carries curvature the test can see */
  float *params = plm_esm_trainable_get_params (t, &n);
  guint n_tensors;
  const PlmEsmParamInfo *info = plm_esm_trainable_get_tensors (t, &n_tensors);
  for (guint i = 0; i < n_tensors; i++)
    {
      float *x = params + info[i].offset;
      float f = g_str_has_prefix (info[i].name, "esm.embeddings") ? 50.0f : 10.0f;
      for (gsize j = 0; j < info[i].n_elements; j++)
        x[j] = info[i].n_dims == 2 ? x[j] * f : x[j] + (float) g_rand_double_range (r, -0.2, 0.2);
    }
  plm_test_fill_random (r, R, (gsize) T * d, -1, 1);
  plm_esm_trainable_zero_grad (t);
  g_assert_true (plm_esm_trainable_backward (t, tokens, T, R, &error));
  g_assert_no_error (error);
  float *grads = plm_esm_trainable_get_grads (t, NULL);

  /* a slice of each tensor of layer 0 and the outer ones: up to 24 entries each */
  for (guint i = 0; i < n_tensors; i++)
    {
      if (strstr (info[i].name, "layer.1.") != NULL)
        continue;   /* layer 0 and the outer tensors suffice at this cost */
      gsize m = MIN (info[i].n_elements, 24);
      gsize start = info[i].n_elements > m ? info[i].n_elements / 3 : 0;
      if (g_str_has_prefix (info[i].name, "esm.embeddings.word_embeddings"))
        start = (gsize) 5 * d;   /* token 5 occurs twice */
      else if (g_str_has_prefix (info[i].name, "esm.embeddings.position_embeddings"))
        {
          /* the rows of positions 2 … T + 1 are used: the <cls> row and the one of the <mask>
           * token (position 3, row 5), whose token embedding is zeroed but whose position is not */
          gsize rows[] = { cfg.pad_token_id + 1, cfg.pad_token_id + 1 + 3 };
          for (guint k = 0; k < G_N_ELEMENTS (rows); k++)
            {
              g_autofree char *what = g_strdup_printf ("enc position row %zu", (size_t) rows[k]);
              fd_check (what, enc_loss, &c, params + info[i].offset + rows[k] * d,
                        grads + info[i].offset + rows[k] * d, (gsize) d, 1e-2f, 5e-3);
            }
          /* rows no position reaches get no gradient */
          for (gsize j = (gsize) (cfg.pad_token_id + 1 + T) * d; j < info[i].n_elements; j++)
            g_assert_cmpfloat (grads[info[i].offset + j], ==, 0.0f);
          for (gsize j = 0; j < (gsize) (cfg.pad_token_id + 1) * d; j++)
            g_assert_cmpfloat (grads[info[i].offset + j], ==, 0.0f);
          continue;
        }
      if (cfg.absolute_positions && g_str_has_suffix (info[i].name, "attention.self.key.bias"))
        {
          /* without a rotation the key bias adds q·b_k to a whole row of scores, which the
           * softmax ignores: its gradient is zero up to rounding, and there is nothing to
           * difference */
          double mx = 0.0;
          for (gsize j = 0; j < info[i].n_elements; j++)
            mx = fmax (mx, fabs (grads[info[i].offset + j]));
          g_test_message ("enc %s: max|g| = %.3g (zero without rotary)", info[i].name, mx);
          g_assert_cmpfloat (mx, <=, 1e-5);
          continue;
        }
      g_autofree char *what = g_strdup_printf ("enc %s", info[i].name + strlen ("esm."));
      fd_check (what, enc_loss, &c, params + info[i].offset + start, grads + info[i].offset + start,
                m, 1e-2f, 5e-3);
    }
}

static void
test_encoder_fd (void)
{
  PlmEsmConfig cfg = small_config ();
  encoder_fd (&cfg);
}

/* ESM-1b / ESM-1v: learned positions and the embedding LayerNorm get gradients too; no rotary. */
static void
test_encoder_fd_esm1b (void)
{
  PlmEsmConfig cfg = small_config ();
  cfg.absolute_positions = TRUE;
  cfg.emb_layer_norm_before = TRUE;
  cfg.max_positions = 12;   /* 10 tokens; the test's 8 leave rows 10 and 11 unused */
  encoder_fd (&cfg);
}

/* ---- the whole encoder against PyTorch autograd ---- */

static PlmModel *
load_tiny (void)
{
  g_autofree char *path = plm_test_data_path ("models", "tiny-f32", NULL);
  g_autoptr(GError) error = NULL;
  PlmModel *m = plm_model_load (path, &error);
  g_assert_no_error (error);
  return m;
}

static void
test_encoder_vs_torch (void)
{
  g_autoptr(PlmModel) m = load_tiny ();
  g_autoptr(GError) error = NULL;
  g_autoptr(PlmEsmTrainable) t = plm_esm_trainable_new_from_model (m, &error);
  g_assert_no_error (error);
  int d = m->config.d_model;
  gboolean ok;

  plm_esm_trainable_zero_grad (t);
  for (int s = 0; s < 2; s++)
    {
      g_autofree char *name_tok = g_strdup_printf ("tokens_%d.npy", s);
      g_autofree char *name_R = g_strdup_printf ("R_%d.npy", s);
      g_autofree char *name_emb = g_strdup_printf ("emb_%d.npy", s);
      g_autofree char *p_tok = plm_test_data_path ("grad", name_tok, NULL);
      g_autofree char *p_R = plm_test_data_path ("grad", name_R, NULL);
      g_autofree char *p_emb = plm_test_data_path ("grad", name_emb, NULL);
      PlmNpyArray tok, R, emb;
      plm_test_load_npy (p_tok, &tok);
      plm_test_load_npy (p_R, &R);
      plm_test_load_npy (p_emb, &emb);
      int T = (int) tok.n_elements;
      g_assert_cmpint (R.n_elements, ==, (guint64) T * d);

      g_autofree float *out = g_new (float, (gsize) T * d);
      g_assert_true (plm_esm_trainable_forward (t, tok.data, T, out, &error));
      g_assert_no_error (error);
      g_autofree char *what = g_strdup_printf ("emb_%d", s);
      plm_test_compare (what, out, emb.data, emb.n_elements, 1e-5, &ok);
      g_assert_true (ok);
      g_assert_true (plm_esm_trainable_backward (t, tok.data, T, R.data, &error));
      g_assert_no_error (error);
      plm_npy_array_clear (&tok);
      plm_npy_array_clear (&R);
      plm_npy_array_clear (&emb);
    }

  guint n_tensors;
  const PlmEsmParamInfo *info = plm_esm_trainable_get_tensors (t, &n_tensors);
  float *grads = plm_esm_trainable_get_grads (t, NULL);
  g_assert_cmpuint (n_tensors, ==, 3 + 16 * (guint) m->config.n_layers);
  double worst = 0.0;
  const char *worst_name = NULL;
  int n_fail = 0;
  for (guint i = 0; i < n_tensors; i++)
    {
      g_autofree char *file = g_strconcat (info[i].name, ".npy", NULL);
      g_autofree char *path = plm_test_data_path ("grad", "grad", file, NULL);
      PlmNpyArray ref;
      plm_test_load_npy (path, &ref);
      g_assert_cmpint (ref.n_dims, ==, info[i].n_dims);
      for (int k = 0; k < ref.n_dims; k++)
        g_assert_cmpint (ref.shape[k], ==, info[i].shape[k]);
      double max_b = 0.0;
      const float *b = ref.data;
      for (guint64 j = 0; j < ref.n_elements; j++)
        max_b = fmax (max_b, fabs (b[j]));
      double err = plm_test_compare (info[i].name, grads + info[i].offset, b, ref.n_elements, 1e-4, &ok);
      double rel = err / fmax (1.0, max_b);
      if (rel > worst)
        {
          worst = rel;
          worst_name = info[i].name;
        }
      n_fail += !ok;
      plm_npy_array_clear (&ref);
    }
  g_test_message ("torch gradients: %u tensors, worst max|a-b|/max(1,max|b|) = %.3g (%s)",
                  n_tensors, worst, worst_name);
  g_assert_cmpint (n_fail, ==, 0);
}

/* ---- checkpoints ---- */

/* Gradients accumulate across sequences and zero_grad clears them; bad tokens are refused. */
static void
test_accumulate_and_errors (void)
{
  PlmEsmConfig cfg = small_config ();
  g_autoptr(PlmEsmTrainable) t = plm_esm_trainable_new_random (&cfg, 5);
  const int32_t long_seq[] = { PLM_TOKEN_CLS, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, PLM_TOKEN_EOS };
  const int32_t short_seq[] = { PLM_TOKEN_CLS, 9, 32, 10, PLM_TOKEN_EOS };
  g_autoptr(GRand) r = g_rand_new_with_seed (20);
  float R1[13 * 16], R2[5 * 16];
  g_autoptr(GError) error = NULL;
  gsize n;
  plm_test_fill_random (r, R1, G_N_ELEMENTS (R1), -1, 1);
  plm_test_fill_random (r, R2, G_N_ELEMENTS (R2), -1, 1);
  float *g = plm_esm_trainable_get_grads (t, &n);

  plm_esm_trainable_zero_grad (t);
  g_assert_true (plm_esm_trainable_backward (t, short_seq, 5, R2, &error));
  g_autofree float *g_short = g_memdup2 (g, n * sizeof (float));
  plm_esm_trainable_zero_grad (t);
  for (gsize i = 0; i < n; i++)
    g_assert_cmpfloat (g[i], ==, 0.0f);
  g_assert_true (plm_esm_trainable_backward (t, long_seq, 13, R1, &error));
  g_autofree float *g_long = g_memdup2 (g, n * sizeof (float));
  /* the short sequence after a long one reuses the grown arena and adds on top */
  g_assert_true (plm_esm_trainable_backward (t, short_seq, 5, R2, &error));
  g_assert_no_error (error);
  for (gsize i = 0; i < n; i++)
    g_assert_cmpfloat (fabsf (g[i] - (g_long[i] + g_short[i])), <=, 1e-5f * (1.0f + fabsf (g[i])));

  float emb[13 * 16];
  const int32_t no_cls[] = { 5, 6, PLM_TOKEN_EOS };
  g_assert_false (plm_esm_trainable_forward (t, no_cls, 3, emb, &error));
  g_assert_error (error, PLM_ERROR, PLM_ERROR_INPUT);
  g_clear_error (&error);
  const int32_t bad[] = { PLM_TOKEN_CLS, 40, PLM_TOKEN_EOS };
  g_assert_false (plm_esm_trainable_backward (t, bad, 3, R2, &error));
  g_assert_error (error, PLM_ERROR, PLM_ERROR_INPUT);
  g_test_message ("%s", error->message);
  g_clear_error (&error);

  /* slots: encode two, back-propagate them out of order = direct calls on their tokens */
  float emb_long[13 * 16];
  g_assert_true (plm_esm_trainable_forward (t, long_seq, 13, emb_long, &error));
  const float *e0 = plm_esm_trainable_encode_slot (t, 0, short_seq, 5, &error);
  const float *e3 = plm_esm_trainable_encode_slot (t, 3, long_seq, 13, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (e3, sizeof emb_long, emb_long, sizeof emb_long);
  g_assert_true (e0 != e3);
  plm_esm_trainable_zero_grad (t);
  g_assert_true (plm_esm_trainable_backward_slot (t, 3, R1, &error));
  g_assert_true (plm_esm_trainable_backward_slot (t, 0, R2, &error));
  g_assert_no_error (error);
  for (gsize i = 0; i < n; i++)
    g_assert_cmpfloat (fabsf (g[i] - (g_long[i] + g_short[i])), <=, 1e-5f * (1.0f + fabsf (g[i])));
  g_assert_false (plm_esm_trainable_backward_slot (t, 2, R2, &error));   /* never encoded */
  g_assert_error (error, PLM_ERROR, PLM_ERROR_INPUT);
  g_clear_error (&error);
  g_assert_null (plm_esm_trainable_encode_slot (t, -1, short_seq, 5, &error));
  g_assert_error (error, PLM_ERROR, PLM_ERROR_INPUT);
  g_clear_error (&error);

  g_assert_true (plm_esm_trainable_reserve (t, 64, &error));
  g_assert_cmpuint (plm_esm_trainable_activation_bytes (&cfg, 64), >, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/esm-grad/ops/linear", test_linear_backward);
  g_test_add_func ("/esm-grad/ops/layernorm", test_layernorm_backward);
  g_test_add_func ("/esm-grad/ops/gelu", test_gelu_backward);
  g_test_add_func ("/esm-grad/ops/softmax", test_softmax_backward);
  g_test_add_func ("/esm-grad/ops/rotary", test_rotary_backward);
  g_test_add_func ("/esm-grad/ops/attention", test_attention_backward);
  g_test_add_func ("/esm-grad/ops/embedding", test_embedding_backward);
  g_test_add_func ("/esm-grad/encoder/finite-differences", test_encoder_fd);
  g_test_add_func ("/esm-grad/encoder/finite-differences-esm1b", test_encoder_fd_esm1b);
  g_test_add_func ("/esm-grad/encoder/vs-torch", test_encoder_vs_torch);
  g_test_add_func ("/esm-grad/encoder/accumulate-and-errors", test_accumulate_and_errors);
  return g_test_run ();
}
