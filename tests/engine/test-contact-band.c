/* test-contact-band.c: the banded windowed contact map (plm-contact-band.c, plm-windowed.c)
 * against a dense map assembled here by a direct statement of the README rule (pair owner: the
 * window holding both residues where min(edge distance) is largest, ties to the earlier window),
 * for every (i, j), with windows fed in any order; and its memory bound, O(L·W) not O(L²). */
#include <math.h>
#include <string.h>

#include "plm-contact-band.h"
#include "plm-contacts.h"
#include "plm-windowed.h"

/* The rule written out over all windows, independent of plan.first/last and the band. */
static int
reference_owner (const PlmWindowPlan *p, int i, int j)
{
  int best = -1, best_d = -1;
  for (int k = 0; k < p->n_windows; k++)
    {
      int s = p->starts[k], e = s + p->size;
      if (i < s || i >= e || j < s || j >= e)
        continue;
      int d = MIN (MIN (i - s, e - 1 - i), MIN (j - s, e - 1 - j));
      if (d > best_d)
        {
          best = k;
          best_d = d;
        }
    }
  return best;
}

static gboolean
same_float (float a, float b)
{
  return memcmp (&a, &b, sizeof a) == 0;
}

static void
check_case (int L, int W, int O, guint32 seed, int skip)
{
  PlmWindowedOutput wo;
  g_assert_true (plm_windowed_output_init (&wo, L, W, O, NULL));
  const PlmWindowPlan *p = &wo.plan;
  int n = p->n_windows, size = p->size;
  GRand *rng = g_rand_new_with_seed (seed);
  float **maps = g_new0 (float *, n);
  int *order = g_new (int, n);
  for (int k = 0; k < n; k++)
    order[k] = k;
  for (int k = n - 1; k > 0; k--)      /* any order: the band does not depend on it */
    {
      int r = g_rand_int_range (rng, 0, k + 1), t = order[k];
      order[k] = order[r];
      order[r] = t;
    }
  for (int a = 0; a < n; a++)
    {
      int k = order[a];
      if (k == skip && n > 1)          /* a window never added: its pairs stay NaN */
        continue;
      maps[k] = g_new (float, (gsize) size * size);
      for (int c = 0; c < size * size; c++)   /* coarse values: ties in the ranking */
        maps[k][c] = (float) g_rand_int_range (rng, 0, 64) / 64.0f;
      PlmForwardOutput out = { .n_tokens = size + 2, .n_residues = size };
      out.contacts = g_memdup2 (maps[k], sizeof (float) * size * size);
      plm_windowed_output_add (&wo, k, &out);
      g_assert_null (out.contacts);
    }
  g_assert_nonnull (wo.contacts);
  g_autofree float *row = g_new (float, L);
  g_autofree guint8 *mask = g_new (guint8, L);
  for (int i = 0; i < L; i++)
    {
      plm_windowed_contacts_row (&wo, i, row, mask);
      for (int j = 0; j < L; j++)
        {
          int k = reference_owner (p, i, j);
          float expect = k >= 0 && maps[k] != NULL
            ? maps[k][(gsize) (i - p->starts[k]) * size + (j - p->starts[k])] : NAN;
          g_assert_true (same_float (plm_contact_band_get (wo.contacts, i, j), expect));
          g_assert_true (same_float (row[j], expect));
          g_assert_cmpint (mask[j], ==, k >= 0);
        }
    }
  /* ranking the band is ranking the dense map (plm_contacts_rank_known), with and without truth */
  g_autofree float *dense = g_new (float, (gsize) L * L);
  g_autofree guint8 *truth = g_new (guint8, (gsize) L * L);
  for (int i = 0; i < L; i++)
    plm_windowed_contacts_row (&wo, i, dense + (gsize) i * L, NULL);
  for (gsize a = 0; a < (gsize) L * L; a++)
    truth[a] = g_rand_int_range (rng, 0, 4) == 0 ? PLM_CONTACT_UNKNOWN : g_rand_int_range (rng, 0, 2);
  for (int kk = 1; kk <= L * L; kk = kk * 3 + 1)
    for (int sep = 1; sep <= 6; sep += 5)
      for (int t = 0; t < 2; t++)
        {
          g_autofree int *want = g_new (int, kk);
          g_autofree int *got = g_new (int, kk);
          int nw = plm_contacts_rank_known (dense, L, L, sep, kk, t ? truth : NULL, want);
          int ng = plm_contact_band_rank (wo.contacts, sep, kk, t ? truth : NULL, got);
          g_assert_cmpint (ng, ==, nw);
          g_assert_cmpmem (got, ng * sizeof (int), want, nw * sizeof (int));
        }
  /* any column range of a row, and the count of pairs that hold a value, as the dense map has them */
  for (int sep = 1; sep <= 6; sep += 5)
    {
      gint64 want = 0;
      for (int i = 0; i < L; i++)
        for (int j = i + sep; j < L; j++)
          want += !isnan (dense[(gsize) i * L + j]);
      g_assert_cmpint (plm_contact_band_count (wo.contacts, sep), ==, want);
    }
  for (int i = 0; i < L; i++)
    for (int c0 = 0; c0 <= L; c0 += MAX (L / 5, 1))
      for (int c1 = c0; c1 <= L; c1 += MAX (L / 3, 1))
        {
          plm_contact_band_copy_row (wo.contacts, i, c0, c1, row);
          for (int j = c0; j < c1; j++)
            g_assert_true (same_float (row[j - c0], dense[(gsize) i * L + j]));
        }
  /* outside the map */
  g_assert_true (isnan (plm_contact_band_get (wo.contacts, -1, 0)));
  g_assert_true (isnan (plm_contact_band_get (wo.contacts, L, 0)));
  g_assert_true (isnan (plm_contact_band_get (wo.contacts, 0, L)));
  /* memory: each row keeps at most the 2W − 1 columns of the windows holding it */
  g_assert_cmpuint (plm_contact_band_n_values (wo.contacts), <=, (gsize) L * MAX (2 * size - 1, 0));
  for (int k = 0; k < n; k++)
    g_free (maps[k]);
  g_free (maps);
  g_free (order);
  g_rand_free (rng);
  plm_windowed_output_clear (&wo);
}

static void
test_band_equals_dense (void)
{
  static const int cases[][3] = {
    { 40, 16, 6 }, { 40, 16, 0 }, { 40, 16, 15 }, { 97, 20, 7 }, { 12, 20, 5 },
    { 20, 20, 5 }, { 21, 20, 5 }, { 1, 8, 2 }, { 300, 64, 16 },
  };
  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      check_case (cases[c][0], cases[c][1], cases[c][2], 16 + c, -1);
      check_case (cases[c][0], cases[c][1], cases[c][2], 116 + c, 0);
    }
}

/* Long protein, large overlap: the band stays O(L·W) where W² per window would be O(L·W²/stride). */
static void
test_band_bounded (void)
{
  const int L = 5000, W = 100, O = 90;
  PlmWindowedOutput wo;
  g_assert_true (plm_windowed_output_init (&wo, L, W, O, NULL));
  for (int k = 0; k < wo.plan.n_windows; k++)
    {
      PlmForwardOutput out = { .n_tokens = W + 2, .n_residues = W };
      out.contacts = g_new (float, W * W);
      for (int c = 0; c < W * W; c++)
        out.contacts[c] = (float) k;
      plm_windowed_output_add (&wo, k, &out);
    }
  g_assert_cmpint (wo.plan.n_windows, ==, 491);
  g_assert_cmpuint (plm_contact_band_n_values (wo.contacts), <=, (gsize) L * (2 * W - 1));
  /* a pair in the middle of window 250's span comes from the window centred on it */
  int i = 2550, j = 2540;
  int k = reference_owner (&wo.plan, i, j);
  g_assert_cmpfloat (plm_contact_band_get (wo.contacts, i, j), ==, (float) k);
  g_assert_true (isnan (plm_contact_band_get (wo.contacts, 0, 200)));
  plm_windowed_output_clear (&wo);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/contact-band/equals-dense", test_band_equals_dense);
  g_test_add_func ("/contact-band/bounded", test_band_bounded);
  return g_test_run ();
}
