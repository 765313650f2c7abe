/* test-nm-head.c: every backward of the NM head against finite differences, and one batch of
 * each head variant against the PyTorch reference in tests/data/nm (nm_head_reference.py). */
#include <math.h>
#include <string.h>

#include "plm-npy.h"
#include "plm-nm-head.h"
#include "plm-ops.h"
#include "plm-ops-grad.h"
#include "plm-rng.h"
#include "plm-test-util.h"

/* ---- helpers ---- */

static PlmRng test_rng;

static float *
rand_array (gsize n, float scale)
{
  float *x = g_new (float, n);
  for (gsize i = 0; i < n; i++)
    x[i] = (2.0f * plm_rng_float (&test_rng) - 1.0f) * scale;
  return x;
}

typedef double (*Objective) (gpointer data);

/* Central differences of @f w.r.t. every entry of x[n] (or @max_checks spread over it),
 * compared with the analytic gradient g. Returns max |num − g| / max |g|. */
static double
fd_check (const char *what, Objective f, gpointer data, float *x, const float *g, gsize n,
          float eps, int max_checks)
{
  double max_err = 0.0, max_g = 1e-12;
  gsize worst = 0;
  double worst_num = 0.0;
  gsize stride = max_checks > 0 && n > (gsize) max_checks ? n / max_checks : 1;

  for (gsize i = 0; i < n; i++)
    max_g = MAX (max_g, fabs (g[i]));
  for (gsize i = 0; i < n; i += stride)
    {
      float save = x[i];
      x[i] = save + eps;
      float xp = x[i];
      double fp = f (data);
      x[i] = save - eps;
      float xm = x[i];
      double fm = f (data);
      x[i] = save;
      double num = (fp - fm) / ((double) xp - xm);
      double err = fabs (num - g[i]);
      if (err > max_err)
        {
          max_err = err;
          worst = i;
          worst_num = num;
        }
    }
  double rel = max_err / max_g;
  /* the ReLU kink: a step of eps can cross it, so params use eps = 1e-3 */
  g_test_message ("FD %-28s n=%-6zu max|g|=%.3e worst rel err %.2e at [%zu] fd %.6e analytic %.6e",
                  what, n, max_g, rel, worst, worst_num, (double) g[worst]);
  return rel;
}

/* Σ_i out[i]·r[i] in double: the scalar objective used for layer-level checks. */
static double
dot (const float *out, const float *r, gsize n)
{
  double s = 0.0;
  for (gsize i = 0; i < n; i++)
    s += (double) out[i] * r[i];
  return s;
}

#define FD_TOL 2e-2  /* float32 forward with eps = 1e-2..1e-3: noise ≈ 1e-7·|f|/eps */

/* ---- linear ---- */

typedef struct { int T, n_in, n_out; float *x, *w, *b, *out, *r; } LinearCase;

static double
linear_objective (gpointer data)
{
  LinearCase *c = data;
  plm_linear_forward (c->out, c->x, c->w, c->b, c->T, c->n_in, c->n_out);
  return dot (c->out, c->r, (gsize) c->T * c->n_out);
}

static void
test_fd_linear (void)
{
  LinearCase c = { .T = 5, .n_in = 7, .n_out = 4 };
  c.x = rand_array (c.T * c.n_in, 1.0f);
  c.w = rand_array (c.n_out * c.n_in, 1.0f);
  c.b = rand_array (c.n_out, 1.0f);
  c.out = g_new (float, c.T * c.n_out);
  c.r = rand_array (c.T * c.n_out, 1.0f);
  float *dx = g_new0 (float, c.T * c.n_in), *dw = g_new0 (float, c.n_out * c.n_in);
  float *db = g_new0 (float, c.n_out);

  /* accumulate twice from half the upstream gradient: checks "+=" semantics too */
  float *half = g_new (float, c.T * c.n_out);
  for (int i = 0; i < c.T * c.n_out; i++)
    half[i] = 0.5f * c.r[i];
  plm_linear_backward (dx, dw, db, half, c.x, c.w, c.T, c.n_in, c.n_out);
  plm_linear_backward (dx, dw, db, half, c.x, c.w, c.T, c.n_in, c.n_out);

  g_assert_cmpfloat (fd_check ("linear dx", linear_objective, &c, c.x, dx, c.T * c.n_in, 1e-2f, 0), <, FD_TOL);
  g_assert_cmpfloat (fd_check ("linear dw", linear_objective, &c, c.w, dw, c.n_out * c.n_in, 1e-2f, 0), <, FD_TOL);
  g_assert_cmpfloat (fd_check ("linear db", linear_objective, &c, c.b, db, c.n_out, 1e-2f, 0), <, FD_TOL);

  g_free (c.x); g_free (c.w); g_free (c.b); g_free (c.out); g_free (c.r);
  g_free (dx); g_free (dw); g_free (db); g_free (half);
}

/* ---- attention (context and direct probability gradients, several heads, scaled) ---- */

typedef struct {
  int Tq, Tk, D, H;
  float scale;
  float *q, *k, *v, *ctx, *probs, *r_ctx, *r_probs;
} AttnCase;

static double
attn_objective (gpointer data)
{
  AttnCase *c = data;
  plm_nm_attention_forward (c->ctx, c->probs, c->q, c->k, c->v, c->Tq, c->Tk, c->D, c->H, c->scale);
  return dot (c->ctx, c->r_ctx, (gsize) c->Tq * c->D)
         + dot (c->probs, c->r_probs, (gsize) c->H * c->Tq * c->Tk);
}

static void
test_fd_attention_case (int H, float scale)
{
  AttnCase c = { .Tq = 6, .Tk = 9, .D = 8, .H = H, .scale = scale };
  c.q = rand_array (c.Tq * c.D, 1.0f);
  c.k = rand_array (c.Tk * c.D, 1.0f);
  c.v = rand_array (c.Tk * c.D, 1.0f);
  c.ctx = g_new (float, c.Tq * c.D);
  c.probs = g_new (float, c.H * c.Tq * c.Tk);
  c.r_ctx = rand_array (c.Tq * c.D, 1.0f);
  c.r_probs = rand_array (c.H * c.Tq * c.Tk, 1.0f);
  float *dq = g_new0 (float, c.Tq * c.D), *dk = g_new0 (float, c.Tk * c.D);
  float *dv = g_new0 (float, c.Tk * c.D), *scratch = g_new (float, c.Tq * c.Tk);

  attn_objective (&c);
  plm_nm_attention_backward (dq, dk, dv, scratch, c.r_ctx, c.r_probs, c.probs, c.q, c.k, c.v,
                             c.Tq, c.Tk, c.D, c.H, c.scale);
  /* rows of probabilities sum to one */
  for (int r = 0; r < c.H * c.Tq; r++)
    {
      double s = 0.0;
      for (int j = 0; j < c.Tk; j++)
        s += c.probs[r * c.Tk + j];
      g_assert_cmpfloat (fabs (s - 1.0), <, 1e-5);
    }
  g_assert_cmpfloat (fd_check ("attention dq", attn_objective, &c, c.q, dq, c.Tq * c.D, 1e-2f, 0), <, FD_TOL);
  g_assert_cmpfloat (fd_check ("attention dk", attn_objective, &c, c.k, dk, c.Tk * c.D, 1e-2f, 0), <, FD_TOL);
  g_assert_cmpfloat (fd_check ("attention dv", attn_objective, &c, c.v, dv, c.Tk * c.D, 1e-2f, 0), <, FD_TOL);

  g_free (c.q); g_free (c.k); g_free (c.v); g_free (c.ctx); g_free (c.probs);
  g_free (c.r_ctx); g_free (c.r_probs); g_free (dq); g_free (dk); g_free (dv); g_free (scratch);
}

static void
test_fd_attention (void)
{
  test_fd_attention_case (1, 1.0f);
  test_fd_attention_case (2, 0.5f);
}

/* ---- mean pool, ReLU, cross-entropy, uniform MSE ---- */

typedef struct { int T, D, C, label; float *x, *out, *r; } SmallCase;

static double
meanpool_objective (gpointer data)
{
  SmallCase *c = data;
  plm_nm_meanpool_forward (c->out, c->x, c->T, c->D);
  return dot (c->out, c->r, c->D);
}

static double
relu_objective (gpointer data)
{
  SmallCase *c = data;
  plm_nm_relu_forward (c->out, c->x, c->D);
  return dot (c->out, c->r, c->D);
}

static double
ce_objective (gpointer data)
{
  SmallCase *c = data;
  return plm_nm_crossentropy_forward (c->out, c->x, c->label, c->C);
}

static double
mse_objective (gpointer data)
{
  SmallCase *c = data; /* x holds probabilities [2, T, D] (H = 2) */
  return plm_nm_uniform_mse_forward (c->x, c->T, c->D, 2);
}

static void
test_fd_small_layers (void)
{
  SmallCase c = { .T = 7, .D = 5, .C = 6, .label = 4 };
  c.x = rand_array (c.T * c.D * 2, 1.0f);
  c.out = g_new (float, c.T * c.D * 2);
  c.r = rand_array (c.D, 1.0f);
  float *dx = g_new0 (float, c.T * c.D * 2);

  plm_nm_meanpool_backward (dx, c.r, c.T, c.D);
  g_assert_cmpfloat (fd_check ("meanpool", meanpool_objective, &c, c.x, dx, c.T * c.D, 1e-2f, 0), <, FD_TOL);

  /* ReLU: keep inputs away from the kink */
  for (int i = 0; i < c.D; i++)
    if (fabsf (c.x[i]) < 0.05f)
      c.x[i] = 0.3f;
  memset (dx, 0, sizeof (float) * c.D);
  relu_objective (&c);
  plm_nm_relu_backward (dx, c.r, c.out, c.D);
  g_assert_cmpfloat (fd_check ("relu", relu_objective, &c, c.x, dx, c.D, 1e-2f, 0), <, FD_TOL);

  memset (dx, 0, sizeof (float) * c.C);
  double l = ce_objective (&c);
  g_assert_cmpfloat (l, >, 0.0);
  plm_nm_crossentropy_backward (dx, c.out, c.label, c.C, 1.0f);
  g_assert_cmpfloat (fd_check ("cross-entropy", ce_objective, &c, c.x, dx, c.C, 1e-2f, 0), <, FD_TOL);

  /* uniform rows give zero loss */
  for (int i = 0; i < 2 * c.T * c.D; i++)
    c.x[i] = 1.0f / c.D;
  g_assert_cmpfloat (fabs (mse_objective (&c)), <, 1e-12);
  for (int i = 0; i < 2 * c.T * c.D; i++)
    c.x[i] = plm_rng_float (&test_rng);
  memset (dx, 0, sizeof (float) * 2 * c.T * c.D);
  plm_nm_uniform_mse_backward (dx, c.x, c.T, c.D, 2, 1.0f);
  g_assert_cmpfloat (fd_check ("uniform MSE", mse_objective, &c, c.x, dx, 2 * c.T * c.D, 1e-2f, 0), <, FD_TOL);

  g_free (c.x); g_free (c.out); g_free (c.r); g_free (dx);
}

/* ---- a batch of groups: used by both the FD check of the whole head and the torch check ---- */

typedef struct {
  PlmNmHead *head;
  int B, N;
  float lambda;
  PlmNmGroup *groups;
  /* storage */
  float *emb_a, *emb_b, *emb_neg, *d_a, *d_b, *d_neg;
  int *len_a, *len_b, *len_neg, *labels, *neg_side;
  const float **neg_ptr;
  float **dneg_ptr;
  gsize n_a, n_b, n_neg;   /* floats */
} Batch;

static void
batch_build (Batch *bt, gboolean pair)
{
  int D = plm_nm_head_get_config (bt->head)->d_model;
  gsize off_a = 0, off_b = 0, off_n = 0;

  bt->groups = g_new0 (PlmNmGroup, bt->B);
  bt->neg_ptr = g_new (const float *, bt->B * bt->N);
  bt->dneg_ptr = g_new (float *, bt->B * bt->N);
  bt->d_a = g_new0 (float, bt->n_a);
  bt->d_b = pair ? g_new0 (float, bt->n_b) : NULL;
  bt->d_neg = g_new0 (float, MAX (bt->n_neg, 1));
  for (int i = 0; i < bt->B * bt->N; i++)
    {
      bt->neg_ptr[i] = bt->emb_neg + off_n;
      bt->dneg_ptr[i] = bt->d_neg + off_n;
      off_n += (gsize) bt->len_neg[i] * D;
    }
  for (int i = 0; i < bt->B; i++)
    {
      PlmNmGroup *g = &bt->groups[i];
      g->a = bt->emb_a + off_a;
      g->d_a = bt->d_a + off_a;
      g->len_a = bt->len_a[i];
      off_a += (gsize) g->len_a * D;
      if (pair)
        {
          g->b = bt->emb_b + off_b;
          g->d_b = bt->d_b + off_b;
          g->len_b = bt->len_b[i];
          off_b += (gsize) g->len_b * D;
        }
      g->label = bt->labels[i];
      g->n_neg = bt->N;
      g->neg = bt->neg_ptr + i * bt->N;
      g->d_neg = bt->dneg_ptr + i * bt->N;
      g->len_neg = bt->len_neg + i * bt->N;
      g->neg_side = bt->neg_side != NULL ? bt->neg_side + i * bt->N : NULL;
    }
}

static void
batch_clear (Batch *bt)
{
  g_free (bt->groups); g_free (bt->neg_ptr); g_free (bt->dneg_ptr);
  g_free (bt->emb_a); g_free (bt->emb_b); g_free (bt->emb_neg);
  g_free (bt->d_a); g_free (bt->d_b); g_free (bt->d_neg);
  g_free (bt->len_a); g_free (bt->len_b); g_free (bt->len_neg);
  g_free (bt->labels); g_free (bt->neg_side);
  plm_nm_head_free (bt->head);
}

/* Loss of the batch; gradients too when @backward. */
static double
batch_run (Batch *bt, gboolean backward, PlmNmLossParts *parts_out)
{
  PlmNmLossParts parts = { 0 };
  float ce_scale = 1.0f / bt->B, neg_scale = bt->lambda / (bt->B * bt->N);
  if (backward)
    {
      plm_nm_head_zero_grad (bt->head);
      memset (bt->d_a, 0, sizeof (float) * bt->n_a);
      if (bt->d_b != NULL)
        memset (bt->d_b, 0, sizeof (float) * bt->n_b);
      memset (bt->d_neg, 0, sizeof (float) * bt->n_neg);
    }
  for (int i = 0; i < bt->B; i++)
    plm_nm_head_group (bt->head, &bt->groups[i], ce_scale, neg_scale, backward, NULL, &parts);
  if (parts_out != NULL)
    *parts_out = parts;
  return parts.ce * ce_scale + parts.neg * neg_scale;
}

static double
batch_objective (gpointer data)
{
  return batch_run (data, FALSE, NULL);
}

static void
test_fd_head (gconstpointer data)
{
  const char *variant = data;
  gboolean pair = strstr (variant, "pair") != NULL;
  gboolean mlp = strstr (variant, "mlp") != NULL;
  gboolean mh = strstr (variant, "heads") != NULL;
  PlmNmHeadConfig cfg = {
    .kind = mlp ? PLM_NM_HEAD_ATTENTION + 1 : PLM_NM_HEAD_ATTENTION,
    .d_model = 8, .d_hidden = 6, .n_classes = pair ? 2 : 3,
    .n_heads = mh ? 2 : 1, .scaled = mh, .pair = pair,
  };
  Batch bt = { .B = 2, .N = 2, .lambda = 0.7f };
  int D = cfg.d_model;

  bt.head = plm_nm_head_new (&cfg);
  plm_nm_head_init (bt.head, 7);
  /* larger attention weights so that the softmax is far from uniform */
  PlmNmHeadParams *p = plm_nm_head_params (bt.head);
  if (!mlp)
    for (int i = 0; i < D * D; i++)
      {
        p->wq[i] *= 3.0f;
        p->wk[i] *= 3.0f;
      }
  bt.len_a = g_memdup2 ((int[]) { 5, 7 }, 2 * sizeof (int));
  bt.len_b = g_memdup2 ((int[]) { 6, 4 }, 2 * sizeof (int));
  bt.len_neg = g_memdup2 ((int[]) { 3, 6, 8, 5 }, 4 * sizeof (int));
  bt.labels = g_memdup2 ((int[]) { 1, 0 }, 2 * sizeof (int));
  bt.neg_side = pair ? g_memdup2 ((int[]) { 0, 1, 1, 0 }, 4 * sizeof (int)) : NULL;
  bt.n_a = 12 * D;
  bt.n_b = 10 * D;
  bt.n_neg = 22 * D;
  bt.emb_a = rand_array (bt.n_a, 1.0f);
  bt.emb_b = rand_array (bt.n_b, 1.0f);
  bt.emb_neg = rand_array (bt.n_neg, 1.0f);
  batch_build (&bt, pair);

  batch_run (&bt, TRUE, NULL);
  gsize n_params;
  float *params = plm_nm_head_param_data (bt.head, &n_params);
  float *grads = g_memdup2 (plm_nm_head_grad_data (bt.head, &n_params), n_params * sizeof (float));
  float *d_a = g_memdup2 (bt.d_a, bt.n_a * sizeof (float));
  float *d_b = pair ? g_memdup2 (bt.d_b, bt.n_b * sizeof (float)) : NULL;
  float *d_neg = g_memdup2 (bt.d_neg, bt.n_neg * sizeof (float));
  char *label;

  label = g_strdup_printf ("%s params", variant);
  g_assert_cmpfloat (fd_check (label, batch_objective, &bt, params, grads, n_params, 1e-3f, 400), <, FD_TOL);
  g_free (label);
  label = g_strdup_printf ("%s d_emb_a", variant);
  g_assert_cmpfloat (fd_check (label, batch_objective, &bt, bt.emb_a, d_a, bt.n_a, 1e-2f, 0), <, FD_TOL);
  g_free (label);
  if (pair)
    {
      label = g_strdup_printf ("%s d_emb_b", variant);
      g_assert_cmpfloat (fd_check (label, batch_objective, &bt, bt.emb_b, d_b, bt.n_b, 1e-2f, 0), <, FD_TOL);
      g_free (label);
    }
  if (!mlp)
    {
      label = g_strdup_printf ("%s d_emb_neg", variant);
      g_assert_cmpfloat (fd_check (label, batch_objective, &bt, bt.emb_neg, d_neg, bt.n_neg, 1e-2f, 0), <, FD_TOL);
      g_free (label);
    }
  g_free (grads); g_free (d_a); g_free (d_b); g_free (d_neg);
  batch_clear (&bt);
}

/* ---- against the PyTorch reference ---- */

static void *
load_npy (const char *dir, const char *name, PlmNpyType type, gsize *n, gboolean required)
{
  g_autofree char *path = g_strdup_printf ("%s/%s.npy", dir, name);
  PlmNpyArray arr = { 0 };
  g_autoptr(GError) error = NULL;
  if (!g_file_test (path, G_FILE_TEST_EXISTS) && !required)
    return NULL;
  if (!plm_npy_read (path, &arr, &error))
    g_error ("%s: %s", path, error->message);
  g_assert_cmpint (arr.type, ==, type);
  if (n != NULL)
    *n = arr.n_elements;
  return arr.data;
}

/* max |c − r| / max |r| over the tensor, printing the worst entries. */
static double
compare (const char *what, const float *c, const float *r, gsize n)
{
  double max_r = 1e-30, max_err = 0.0;
  gsize worst[3] = { 0, 0, 0 };
  for (gsize i = 0; i < n; i++)
    max_r = MAX (max_r, fabs (r[i]));
  for (gsize i = 0; i < n; i++)
    {
      double e = fabs ((double) c[i] - r[i]);
      if (e > fabs ((double) c[worst[0]] - r[worst[0]]))
        {
          worst[2] = worst[1];
          worst[1] = worst[0];
          worst[0] = i;
        }
      max_err = MAX (max_err, e);
    }
  g_test_message ("torch %-10s n=%-5zu max|ref|=%.3e rel err %.2e; worst [%zu] %.7g vs %.7g, [%zu] %.7g vs %.7g",
                  what, n, max_r, max_err / max_r, worst[0], (double) c[worst[0]], (double) r[worst[0]],
                  worst[1], (double) c[worst[1]], (double) r[worst[1]]);
  return max_err / max_r;
}

static void
test_torch (gconstpointer data)
{
  const char *name = data;
  const char *root = g_getenv ("PLM_TEST_DATA");
  g_autofree char *dir = g_build_filename (root != NULL ? root : "tests/data", "nm", name, NULL);
  gsize n;

  int *cfgv = load_npy (dir, "config", PLM_NPY_I32, &n, TRUE);
  PlmNmHeadConfig cfg = {
    .kind = cfgv[6] ? PLM_NM_HEAD_MLP : PLM_NM_HEAD_ATTENTION,
    .d_model = cfgv[0], .d_hidden = cfgv[1], .n_classes = cfgv[2], .n_heads = cfgv[3],
    .scaled = cfgv[4], .pair = cfgv[5],
  };
  Batch bt = { .N = cfgv[7] };
  float *lam = load_npy (dir, "lambda", PLM_NPY_F32, NULL, TRUE);
  bt.lambda = lam[0];
  bt.head = plm_nm_head_new (&cfg);

  gsize nb;
  bt.labels = load_npy (dir, "labels", PLM_NPY_I32, &nb, TRUE);
  bt.B = nb;
  bt.emb_a = load_npy (dir, "emb_a", PLM_NPY_F32, &bt.n_a, TRUE);
  bt.len_a = load_npy (dir, "len_a", PLM_NPY_I32, NULL, TRUE);
  bt.emb_b = load_npy (dir, "emb_b", PLM_NPY_F32, &bt.n_b, cfg.pair);
  bt.len_b = load_npy (dir, "len_b", PLM_NPY_I32, NULL, cfg.pair);
  bt.emb_neg = load_npy (dir, "emb_neg", PLM_NPY_F32, &bt.n_neg, TRUE);
  bt.len_neg = load_npy (dir, "len_neg", PLM_NPY_I32, NULL, TRUE);
  bt.neg_side = load_npy (dir, "neg_side", PLM_NPY_I32, NULL, FALSE);
  batch_build (&bt, cfg.pair);

  static const char *names[] = { "wq", "wk", "wv", "w_read", "b_read", "w_cls", "b_cls" };
  PlmNmHeadParams *p = plm_nm_head_params (bt.head), *g = plm_nm_head_grads (bt.head);
  float **pp[] = { &p->wq, &p->wk, &p->wv, &p->w_read, &p->b_read, &p->w_cls, &p->b_cls };
  float **gp[] = { &g->wq, &g->wk, &g->wv, &g->w_read, &g->b_read, &g->w_cls, &g->b_cls };
  for (int i = 0; i < 7; i++)
    {
      if (*pp[i] == NULL)
        continue;
      float *w = load_npy (dir, names[i], PLM_NPY_F32, &n, TRUE);
      memcpy (*pp[i], w, n * sizeof (float));
      g_free (w);
    }

  PlmNmLossParts parts;
  double total = batch_run (&bt, TRUE, &parts);
  float *loss = load_npy (dir, "loss", PLM_NPY_F32, NULL, TRUE);
  float mine[3] = { parts.ce / bt.B, bt.N > 0 && !cfgv[6] && bt.lambda != 0 ? parts.neg / (bt.B * bt.N) : 0.0f, total };
  g_assert_cmpfloat (compare ("ce", &mine[0], &loss[0], 1), <, 1e-4);
  g_assert_cmpfloat (compare ("L_neg", &mine[1], &loss[1], 1), <, 1e-4);
  g_assert_cmpfloat (compare ("total", &mine[2], &loss[2], 1), <, 1e-4);
  g_test_message ("%s: authors' padded L_neg %.6f, valid-cells L_neg %.6f", name, loss[3], loss[1]);

  for (int i = 0; i < 7; i++)
    {
      if (*gp[i] == NULL)
        continue;
      g_autofree char *dn = g_strdup_printf ("d_%s", names[i]);
      float *ref = load_npy (dir, dn, PLM_NPY_F32, &n, TRUE);
      g_assert_cmpfloat (compare (dn, *gp[i], ref, n), <, 1e-4);
      g_free (ref);
    }
  float *ref = load_npy (dir, "d_emb_a", PLM_NPY_F32, &n, TRUE);
  g_assert_cmpfloat (compare ("d_emb_a", bt.d_a, ref, n), <, 1e-4);
  g_free (ref);
  if (cfg.pair)
    {
      ref = load_npy (dir, "d_emb_b", PLM_NPY_F32, &n, TRUE);
      g_assert_cmpfloat (compare ("d_emb_b", bt.d_b, ref, n), <, 1e-4);
      g_free (ref);
    }
  if (!cfgv[6] && bt.lambda != 0)
    {
      ref = load_npy (dir, "d_emb_neg", PLM_NPY_F32, &n, TRUE);
      g_assert_cmpfloat (compare ("d_emb_neg", bt.d_neg, ref, n), <, 1e-4);
      g_free (ref);
    }
  g_free (cfgv); g_free (lam); g_free (loss);
  batch_clear (&bt);
}

/* The cross-attention map equals the loss's probabilities and its rows are distributions. */
static void
test_cross_attention (void)
{
  PlmNmHeadConfig cfg = { .kind = PLM_NM_HEAD_ATTENTION, .d_model = 8, .d_hidden = 4,
                          .n_classes = 2, .n_heads = 1 };
  g_autoptr(PlmNmHead) head = plm_nm_head_new (&cfg);
  plm_nm_head_init (head, 3);
  float *x = rand_array (5 * 8, 1.0f), *y = rand_array (7 * 8, 1.0f);
  float probs[35], q[40], k[56], ref[35];
  plm_nm_head_cross_attention (head, x, 5, y, 7, probs);
  plm_linear_forward (q, x, plm_nm_head_params (head)->wq, NULL, 5, 8, 8);
  plm_linear_forward (k, y, plm_nm_head_params (head)->wk, NULL, 7, 8, 8);
  /* independent softmax in double */
  for (int i = 0; i < 5; i++)
    {
      double s[7], max = -1e300, sum = 0;
      for (int j = 0; j < 7; j++)
        {
          s[j] = 0;
          for (int d = 0; d < 8; d++)
            s[j] += (double) q[i * 8 + d] * k[j * 8 + d];
          max = MAX (max, s[j]);
        }
      for (int j = 0; j < 7; j++)
        sum += exp (s[j] - max);
      for (int j = 0; j < 7; j++)
        ref[i * 7 + j] = exp (s[j] - max) / sum;
    }
  g_assert_cmpfloat (compare ("crossattn", probs, ref, 35), <, 1e-5);
  g_free (x); g_free (y);
}

/* plm_nm_head_batch (groups data-parallel over worker heads) equals the serial loop over
 * plm_nm_head_group: same gradients and loss parts, for 1, 2 and 3 threads. */
static void
test_batch_parallel (void)
{
  const int D = 16, B = 7, N = 2;
  PlmNmHeadConfig hc = { .kind = PLM_NM_HEAD_ATTENTION, .d_model = D, .d_hidden = 8, .n_classes = 3,
                         .n_heads = 1 };
  g_autoptr(GRand) r = g_rand_new_with_seed (11);
  float *emb[12];
  int len[12];
  for (int i = 0; i < 12; i++)
    {
      len[i] = 3 + g_rand_int_range (r, 0, 9);
      emb[i] = g_new (float, (gsize) len[i] * D);
      for (int k = 0; k < len[i] * D; k++)
        emb[i][k] = (float) g_rand_double_range (r, -2, 2);
    }
  PlmNmGroup groups[7];
  const PlmNmGroup *gp[7];
  const float *negs[7][2];
  int neg_len[7][2];
  for (int k = 0; k < B; k++)
    {
      for (int n = 0; n < N; n++)
        {
          negs[k][n] = emb[(k + 3 + n) % 12];
          neg_len[k][n] = len[(k + 3 + n) % 12];
        }
      groups[k] = (PlmNmGroup) { .a = emb[k], .len_a = len[k], .label = k % 3, .n_neg = N,
                                 .neg = negs[k], .len_neg = neg_len[k] };
      gp[k] = &groups[k];
    }

  g_autoptr(PlmNmHead) serial = plm_nm_head_new (&hc);
  plm_nm_head_init (serial, 5);
  plm_nm_head_reserve (serial, 16, N);
  PlmNmLossParts ps = { 0 };
  plm_nm_head_zero_grad (serial);
  for (int k = 0; k < B; k++)
    plm_nm_head_group (serial, gp[k], 1.0f / B, 0.1f / (B * N), TRUE, NULL, &ps);
  gsize n;
  const float *gs = plm_nm_head_grad_data (serial, &n);

  for (int n_workers = 0; n_workers <= 2; n_workers++)
    {
      g_autoptr(PlmNmHead) head = plm_nm_head_new (&hc);
      plm_nm_head_init (head, 5);
      plm_nm_head_reserve (head, 16, N);
      PlmNmHead *workers[2];
      for (int w = 0; w < n_workers; w++)
        {
          workers[w] = plm_nm_head_new (&hc);   /* uninitialised: parameters come from head */
          plm_nm_head_reserve (workers[w], 16, N);
        }
      PlmNmLossParts pp = { 0 };
      plm_nm_head_zero_grad (head);
      plm_nm_head_batch (head, workers, n_workers, gp, B, 1.0f / B, 0.1f / (B * N), &pp);
      gboolean ok;
      g_autofree char *what = g_strdup_printf ("batch with %d workers vs serial", n_workers);
      plm_test_compare (what, plm_nm_head_grad_data (head, &n), gs, n, 1e-6, &ok);
      g_assert_true (ok);
      g_assert_cmpint (pp.n_groups, ==, ps.n_groups);
      g_assert_cmpint (pp.n_neg_pairs, ==, ps.n_neg_pairs);
      g_assert_cmpfloat (fabs (pp.ce - ps.ce), <, 1e-9 * fabs (ps.ce) + 1e-12);
      g_assert_cmpfloat (fabs (pp.neg - ps.neg), <, 1e-9 * fabs (ps.neg) + 1e-12);
      for (int w = 0; w < n_workers; w++)
        plm_nm_head_free (workers[w]);
    }
  for (int i = 0; i < 12; i++)
    g_free (emb[i]);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  plm_rng_seed (&test_rng, 12345);

  g_test_add_func ("/nm-head/fd/linear", test_fd_linear);
  g_test_add_func ("/nm-head/fd/attention", test_fd_attention);
  g_test_add_func ("/nm-head/fd/small-layers", test_fd_small_layers);
  g_test_add_data_func ("/nm-head/fd/head-protein", "protein", test_fd_head);
  g_test_add_data_func ("/nm-head/fd/head-protein-heads", "protein-heads", test_fd_head);
  g_test_add_data_func ("/nm-head/fd/head-pair", "pair", test_fd_head);
  g_test_add_data_func ("/nm-head/fd/head-mlp", "mlp", test_fd_head);
  g_test_add_data_func ("/nm-head/fd/head-mlp-pair", "mlp-pair", test_fd_head);
  g_test_add_func ("/nm-head/cross-attention", test_cross_attention);
  g_test_add_func ("/nm-head/batch-parallel", test_batch_parallel);
  g_test_add_data_func ("/nm-head/torch/protein", "protein", test_torch);
  g_test_add_data_func ("/nm-head/torch/protein_mh", "protein_mh", test_torch);
  g_test_add_data_func ("/nm-head/torch/pair", "pair", test_torch);
  g_test_add_data_func ("/nm-head/torch/mlp", "mlp", test_torch);
  g_test_add_data_func ("/nm-head/torch/mlp_pair", "mlp_pair", test_torch);
  return g_test_run ();
}
