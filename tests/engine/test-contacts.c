/* test-contacts.c: contact ranking and precision (plm-contacts.h) and the mean log-probability
 * (plm_esm_mean_log_probability) against values worked out by hand. */
#include <math.h>

#include "plm-contacts.h"
#include "plm-esm.h"

/* A 10 × 10 map whose value at (i, j) is known: ranks follow from it directly. */
static void
test_rank_order_and_ties (void)
{
  enum { L = 10 };
  float m[L * L];
  int pairs[64];
  int n;

  for (int i = 0; i < L; i++)
    for (int j = 0; j < L; j++)
      m[i * L + j] = (float) (j - i);     /* larger separation, higher value */
  m[0 * L + 7] = 100.0f;                  /* the best pair */
  m[1 * L + 9] = 8.0f;                    /* ties with (0, 8): i decides */
  n = plm_contacts_rank (m, L, L, 6, 5, pairs);
  g_assert_cmpint (n, ==, 5);
  g_assert_cmpint (pairs[0], ==, 0 * L + 7);
  g_assert_cmpint (pairs[1], ==, 0 * L + 9);   /* 9 */
  g_assert_cmpint (pairs[2], ==, 0 * L + 8);   /* 8, tie with (1, 9): smaller i first */
  g_assert_cmpint (pairs[3], ==, 1 * L + 9);
  g_assert_cmpint (pairs[4], ==, 1 * L + 8);   /* 7: (1, 8) and (2, 9) tie, i = 1 first */

  /* only pairs at least 6 apart count: L = 10 has 4 + 3 + 2 + 1 = 10 */
  g_assert_cmpint (plm_contacts_rank (m, L, L, 6, 64, pairs), ==, 10);
  for (int t = 0; t < 10; t++)
    g_assert_cmpint (pairs[t] % L - pairs[t] / L, >=, 6);
  g_assert_cmpint (plm_contacts_rank (m, 6, L, 6, 5, pairs), ==, 0);
  g_assert_cmpint (plm_contacts_rank (m, L, L, 6, 0, pairs), ==, 0);
}

/* The same 4 × 4 map inside a 6 × 6 block with <cls>/<eos> rows and columns (the figure's
 * layout): a row stride ranks the residue block alone. */
static void
test_rank_with_stride (void)
{
  float inner[16], outer[36];
  int a[6], b[6];

  for (int i = 0; i < 16; i++)
    inner[i] = (float) ((i * 7) % 16);
  for (int i = 0; i < 36; i++)
    outer[i] = 1000.0f;    /* specials: never ranked */
  for (int i = 0; i < 4; i++)
    for (int j = 0; j < 4; j++)
      outer[(i + 1) * 6 + j + 1] = inner[i * 4 + j];
  g_assert_cmpint (plm_contacts_rank (inner, 4, 4, 1, 6, a), ==, 6);
  g_assert_cmpint (plm_contacts_rank (outer + 7, 4, 6, 1, 6, b), ==, 6);
  for (int t = 0; t < 6; t++)
    g_assert_cmpint (a[t], ==, b[t]);
}

static void
test_precision (void)
{
  guint8 truth[16] = { 0 };
  int pairs[3] = { 0 * 4 + 3, 1 * 4 + 3, 0 * 4 + 2 };
  int hits = -1;

  truth[0 * 4 + 3] = truth[0 * 4 + 2] = 1;
  g_assert_cmpfloat_with_epsilon (plm_contacts_precision (pairs, 3, truth, &hits), 2.0 / 3.0, 1e-12);
  g_assert_cmpint (hits, ==, 2);
  g_assert_true (isnan (plm_contacts_precision (pairs, 0, truth, NULL)));
}

static void
test_mean_log_probability (void)
{
  enum { V = 5, T = 4 };
  float logits[T * V] = { 0 };
  int32_t tokens[T] = { 0, 2, 4, 1 };

  /* uniform logits: every residue gets log (1/V) */
  g_assert_cmpfloat_with_epsilon (plm_esm_mean_log_probability (logits, V, tokens, T), -log (V), 1e-9);
  /* residue 1 certain (logit 50 on its token), residue 2 uniform: (≈0 + log (1/V)) / 2 */
  logits[1 * V + 2] = 50.0f;
  g_assert_cmpfloat_with_epsilon (plm_esm_mean_log_probability (logits, V, tokens, T), -log (V) / 2, 1e-9);
  /* <cls> and <eos> rows never count */
  logits[0 * V + 3] = logits[3 * V + 0] = 80.0f;
  g_assert_cmpfloat_with_epsilon (plm_esm_mean_log_probability (logits, V, tokens, T), -log (V) / 2, 1e-9);
  /* no residues */
  g_assert_cmpfloat (plm_esm_mean_log_probability (logits, V, tokens, 2), ==, 0.0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/contacts/rank-order-and-ties", test_rank_order_and_ties);
  g_test_add_func ("/contacts/rank-with-stride", test_rank_with_stride);
  g_test_add_func ("/contacts/precision", test_precision);
  g_test_add_func ("/esm/mean-log-probability", test_mean_log_probability);
  return g_test_run ();
}
