/* test-windowed.c: the windowed-inference rule (plm-windowed.c) against a direct statement of it:
 * window starts, per-residue owners, pair owners and the assembled outputs. */
#include <math.h>
#include <string.h>

#include "plm-error.h"
#include "plm-hasites-windowed.h"
#include "plm-windowed.h"

static void
assert_starts (int L, int W, int O, const int *expect, int n)
{
  PlmWindowPlan p;
  g_autoptr(GError) error = NULL;
  g_assert_true (plm_window_plan_init (&p, L, W, O, &error));
  g_assert_cmpint (p.n_windows, ==, n);
  for (int k = 0; k < n; k++)
    g_assert_cmpint (p.starts[k], ==, expect[k]);
  plm_window_plan_clear (&p);
}

static void
test_starts (void)
{
  assert_starts (40, 16, 6, (int[]) { 0, 10, 20, 24 }, 4);
  assert_starts (36, 16, 6, (int[]) { 0, 10, 20 }, 3);       /* the end-aligned start is 20 too */
  assert_starts (12, 16, 6, (int[]) { 0 }, 1);
  assert_starts (16, 16, 6, (int[]) { 0 }, 1);
  assert_starts (17, 16, 6, (int[]) { 0, 1 }, 2);
  assert_starts (5000, 1022, 256, (int[]) { 0, 766, 1532, 2298, 3064, 3830, 3978 }, 7);
  assert_starts (32, 16, 0, (int[]) { 0, 16 }, 2);
  assert_starts (33, 16, 0, (int[]) { 0, 16, 17 }, 3);
  assert_starts (10, 4, 3, (int[]) { 0, 1, 2, 3, 4, 5, 6 }, 7);

  PlmWindowPlan p;
  g_autoptr(GError) error = NULL;
  g_assert_false (plm_window_plan_init (&p, 40, 16, 16, &error));
  g_assert_error (error, PLM_ERROR, PLM_ERROR_INPUT);
  g_clear_error (&error);
  g_assert_false (plm_window_plan_init (&p, 40, 16, -1, &error));
  g_clear_error (&error);
  g_assert_false (plm_window_plan_init (&p, 40, 0, 0, &error));
}

/* The rule written out directly, for every residue and pair of several plans. */
static void
test_owners (void)
{
  static const int cases[][3] = { { 40, 16, 6 }, { 36, 16, 6 }, { 33, 16, 0 }, { 57, 9, 4 }, { 10, 4, 3 },
                                  { 100, 30, 29 }, { 7, 16, 6 } };
  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      int L = cases[c][0], W = cases[c][1], O = cases[c][2];
      PlmWindowPlan p;
      g_assert_true (plm_window_plan_init (&p, L, W, O, NULL));
      int size = MIN (L, W);
      /* windows are sorted, cover every residue, end at L */
      g_assert_cmpint (p.starts[0], ==, 0);
      g_assert_cmpint (p.starts[p.n_windows - 1] + size, ==, L);
      for (int k = 1; k < p.n_windows; k++)
        {
          g_assert_cmpint (p.starts[k], >, p.starts[k - 1]);
          g_assert_cmpint (p.starts[k] - p.starts[k - 1], <=, W - O);
        }
      for (int i = 0; i < L; i++)
        {
          int best = -1, bd = -1;
          for (int k = 0; k < p.n_windows; k++)
            {
              int s = p.starts[k];
              if (i < s || i >= s + size)
                continue;
              int d = MIN (i - s, s + size - 1 - i);
              if (d > bd)   /* strictly greater: ties stay with the earlier window */
                bd = d, best = k;
            }
          g_assert_cmpint (p.owner[i], ==, best);
          g_autofree int *row = g_new (int, L);
          plm_window_pair_owner_row (&p, i, row);
          for (int j = 0; j < L; j++)
            {
              int pb = -1, pd = -1;
              for (int k = 0; k < p.n_windows; k++)
                {
                  int s = p.starts[k];
                  if (i < s || i >= s + size || j < s || j >= s + size)
                    continue;
                  int d = MIN (MIN (i - s, s + size - 1 - i), MIN (j - s, s + size - 1 - j));
                  if (d > pd)
                    pd = d, pb = k;
                }
              g_assert_cmpint (plm_window_pair_owner (&p, i, j), ==, pb);
              g_assert_cmpint (row[j], ==, pb);
              g_assert_cmpint (plm_window_pair_owner (&p, j, i), ==, pb);
            }
          g_assert_cmpint (plm_window_pair_owner (&p, i, i), ==, p.owner[i]);
        }
      plm_window_plan_clear (&p);
    }
}

/* Assembly: synthetic window outputs whose values say where they came from. */
static void
test_assembly (void)
{
  const int L = 40, W = 16, O = 6, V = 3, D = 2;
  PlmWindowedOutput wo;
  g_assert_true (plm_windowed_output_init (&wo, L, W, O, NULL));
  int32_t tokens[42];
  for (int t = 0; t < 42; t++)
    tokens[t] = t == 0 ? 0 : t == 41 ? 2 : 4 + t % 20;
  for (int k = 0; k < wo.plan.n_windows; k++)
    {
      g_autofree int32_t *wt = plm_window_tokens (&wo.plan, k, tokens);
      g_assert_cmpint (wt[0], ==, 0);
      g_assert_cmpint (wt[W + 1], ==, 2);
      g_assert_cmpmem (wt + 1, W * 4, tokens + 1 + wo.plan.starts[k], W * 4);
      PlmForwardOutput out = { .n_tokens = W + 2, .n_residues = W, .d_model = D, .vocab_size = V };
      out.logits = g_new (float, (W + 2) * V);
      out.embeddings = g_new (float, (W + 2) * D);
      out.contacts = g_new (float, W * W);
      for (int t = 0; t < W + 2; t++)
        {
          for (int v = 0; v < V; v++)
            out.logits[t * V + v] = 1000 * k + t;
          for (int d = 0; d < D; d++)
            out.embeddings[t * D + d] = -(1000 * k + t);
        }
      for (int a = 0; a < W * W; a++)
        out.contacts[a] = 100000 * k + a;
      plm_windowed_output_add (&wo, k, &out);
      g_assert_null (out.contacts);   /* taken, not copied */
      plm_forward_output_clear (&out);
    }
  int last = wo.plan.n_windows - 1;
  g_assert_cmpfloat (wo.logits[0], ==, 0);                              /* <cls> of window 0 */
  g_assert_cmpfloat (wo.logits[41 * V], ==, 1000 * last + W + 1);      /* <eos> of the last */
  for (int i = 0; i < L; i++)
    {
      int k = wo.plan.owner[i];
      g_assert_cmpfloat (wo.logits[(1 + i) * V + 2], ==, 1000 * k + 1 + i - wo.plan.starts[k]);
      g_assert_cmpfloat (wo.embeddings[(1 + i) * D + 1], ==, -(1000 * k + 1 + i - wo.plan.starts[k]));
    }
  float row[40];
  guint8 mask[40];
  for (int i = 0; i < L; i++)
    {
      plm_windowed_contacts_row (&wo, i, row, mask);
      for (int j = 0; j < L; j++)
        {
          int k = plm_window_pair_owner (&wo.plan, i, j);
          g_assert_cmpint (mask[j], ==, k >= 0);
          if (k < 0)
            g_assert_true (isnan (row[j]));
          else
            g_assert_cmpfloat (row[j], ==, 100000 * k + (i - wo.plan.starts[k]) * W + (j - wo.plan.starts[k]));
        }
    }
  /* residues 0 and 39 share no window */
  g_assert_cmpint (plm_window_pair_owner (&wo.plan, 0, 39), ==, -1);
  plm_windowed_output_clear (&wo);
}

/* One window: the windowed HA accumulator is exactly the plain one. */
static void
test_hasites_one_window (void)
{
  const int L = 30, T = L + 2, H = 3, NL = 4;
  PlmWindowPlan plan;
  g_assert_true (plm_window_plan_init (&plan, L, 40, 10, NULL));
  g_autoptr(PlmHaAccumulator) plain = plm_ha_accumulator_new (NL, L);
  g_autoptr(PlmHaWindowed) win = plm_ha_windowed_new (&plan, NL);
  g_autofree float *probs = g_new (float, H * T * T);
  GRand *rng = g_rand_new_with_seed (16);
  for (int l = 0; l < NL; l++)
    {
      for (int a = 0; a < H * T; a++)
        {
          double sum = 0;
          for (int j = 0; j < T; j++)
            sum += probs[a * T + j] = (float) pow (g_rand_double (rng), 4.0);
          for (int j = 0; j < T; j++)
            probs[a * T + j] = (float) (probs[a * T + j] / sum);
        }
      g_assert_true (plm_ha_accumulator_add_layer (plain, l, probs, H, T));
      g_assert_true (plm_ha_windowed_add_layer (win, 0, l, probs, H, T));
    }
  g_rand_free (rng);
  PlmHaResult a = { 0 }, b = { 0 };
  g_assert_true (plm_ha_accumulator_finish (plain, &a, NULL));
  g_assert_true (plm_ha_windowed_finish (win, &b, NULL));
  g_assert_cmpmem (a.heatmap, NL * L * 4, b.heatmap, NL * L * 4);
  g_assert_cmpint (a.loc, ==, b.loc);
  g_assert_cmpint (a.n_sites, ==, b.n_sites);
  plm_ha_result_clear (&a);
  plm_ha_result_clear (&b);
  plm_window_plan_clear (&plan);
}

/* A window whose layer is missing fails; a wrong shape is refused. */
static void
test_hasites_incomplete (void)
{
  PlmWindowPlan plan;
  g_autoptr(GError) error = NULL;
  g_assert_true (plm_window_plan_init (&plan, 20, 8, 2, NULL));
  g_autoptr(PlmHaWindowed) win = plm_ha_windowed_new (&plan, 1);
  g_autofree float *probs = g_new0 (float, 10 * 10);
  g_assert_false (plm_ha_windowed_add_layer (win, 0, 0, probs, 1, 9));
  g_assert_true (plm_ha_windowed_add_layer (win, 0, 0, probs, 1, 10));
  PlmHaResult r = { 0 };
  g_assert_false (plm_ha_windowed_finish (win, &r, &error));
  g_assert_error (error, PLM_ERROR, PLM_ERROR_INPUT);
  plm_window_plan_clear (&plan);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/window/starts", test_starts);
  g_test_add_func ("/window/owners", test_owners);
  g_test_add_func ("/window/assembly", test_assembly);
  g_test_add_func ("/window/hasites-one-window", test_hasites_one_window);
  g_test_add_func ("/window/hasites-incomplete", test_hasites_incomplete);
  return g_test_run ();
}
