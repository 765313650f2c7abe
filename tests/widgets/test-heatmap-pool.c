/* test-heatmap-pool.c: thumbnail max-pooling against a direct per-cell reference, and the
 * colour bar's tick values. */
#include <math.h>

#include "plm-color-bar.h"
#include "plm-heatmap-thumbnail.h"

/* Reference: every input cell goes to block floor (r × orows / rows), floor (c × ocols / cols). */
static void
check_pool (int rows, int cols, int max_cells, double nan_fraction, guint32 seed)
{
  GRand *rand = g_rand_new_with_seed (seed);
  float *v = g_new (float, (gsize) rows * cols);
  int orows = MIN (rows, max_cells), ocols = MIN (cols, max_cells), pr, pc;
  float *expect = g_new (float, (gsize) orows * ocols);
  float *got;

  for (int i = 0; i < rows * cols; i++)
    v[i] = g_rand_double (rand) < nan_fraction ? NAN : (float) g_rand_double_range (rand, -1, 1);
  for (int i = 0; i < orows * ocols; i++)
    expect[i] = NAN;
  for (int r = 0; r < rows; r++)
    for (int c = 0; c < cols; c++)
      {
        float *e = &expect[(r * orows / rows) * ocols + c * ocols / cols];
        float x = v[(gsize) r * cols + c];
        if (!isnan (x) && (isnan (*e) || x > *e))
          *e = x;
      }
  got = plm_heatmap_pool_max (v, rows, cols, max_cells, &pr, &pc);
  g_assert_cmpint (pr, ==, orows);
  g_assert_cmpint (pc, ==, ocols);
  for (int i = 0; i < orows * ocols; i++)
    {
      if (isnan (expect[i]))
        g_assert_true (isnan (got[i]));
      else
        g_assert_cmpfloat (got[i], ==, expect[i]);
    }
  g_free (got);
  g_free (expect);
  g_free (v);
  g_rand_free (rand);
}

static void
test_pool (void)
{
  check_pool (1000, 1000, 64, 0.0, 1);
  check_pool (157, 211, 64, 0.01, 2);
  check_pool (40, 30, 64, 0.0, 3);       /* smaller than the thumbnail: a copy */
  check_pool (65, 64, 64, 0.0, 4);       /* one block of two rows */
  check_pool (130, 129, 64, 0.97, 5);    /* blocks of NaN only stay NaN */
  check_pool (1, 500, 64, 0.0, 6);
}

static void
check_ticks (PlmScale scale, int max_ticks)
{
  double ticks[32];
  int n = plm_color_bar_compute_ticks (&scale, ticks, max_ticks);
  double lo = MIN (scale.vmin, scale.vmax), hi = MAX (scale.vmin, scale.vmax);

  g_assert_cmpint (n, >=, 1);
  g_assert_cmpint (n, <=, max_ticks);
  for (int i = 0; i < n; i++)
    {
      g_assert_cmpfloat (ticks[i], >=, lo - 1e-9 * fabs (hi - lo) - 1e-30);
      g_assert_cmpfloat (ticks[i], <=, hi + 1e-9 * fabs (hi - lo) + 1e-30);
      if (i > 0)
        g_assert_cmpfloat (ticks[i], >, ticks[i - 1]);
      if (scale.kind == PLM_SCALE_LOG)
        {
          /* 1, 2 or 5 × a power of ten */
          double m = ticks[i] / pow (10, floor (log10 (ticks[i]) + 1e-9));
          g_assert_true (fabs (m - 1) < 1e-6 || fabs (m - 2) < 1e-6 || fabs (m - 5) < 1e-6);
        }
      else if (n > 1 && i > 0)
        {
          /* equal 1-2-5 steps */
          double step = ticks[1] - ticks[0], m = step / pow (10, floor (log10 (step) + 1e-9));
          g_assert_cmpfloat_with_epsilon (ticks[i] - ticks[i - 1], step, step * 1e-6);
          g_assert_true (fabs (m - 1) < 1e-6 || fabs (m - 2) < 1e-6 || fabs (m - 5) < 1e-6);
        }
    }
  if (hi > lo && scale.kind != PLM_SCALE_LOG)
    g_assert_cmpint (n, >=, 2);
}

static void
test_ticks (void)
{
  check_ticks ((PlmScale) { PLM_SCALE_LINEAR, 0.0f, 0.093f }, 10);
  check_ticks ((PlmScale) { PLM_SCALE_LINEAR, -0.37f, 0.41f }, 6);
  check_ticks ((PlmScale) { PLM_SCALE_PERCENTILE, 2.5e-4f, 3.1e-3f }, 8);
  check_ticks ((PlmScale) { PLM_SCALE_LINEAR, 0.5f, 0.5f }, 8);
  check_ticks ((PlmScale) { PLM_SCALE_LOG, 1e-6f, 1.0f }, 8);
  check_ticks ((PlmScale) { PLM_SCALE_LOG, 3e-4f, 0.2f }, 12);
  {
    double t[8];
    /* linear 0 … 0.093 with at most 8 ticks: step 0.02 */
    int n = plm_color_bar_compute_ticks (&(PlmScale) { PLM_SCALE_LINEAR, 0.0f, 0.093f }, t, 8);
    g_assert_cmpint (n, ==, 5);   /* 0, 0.02, …, 0.08 */
    g_assert_cmpfloat_with_epsilon (t[4], 0.08, 1e-12);
  }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/heatmap/thumbnail/pool-max", test_pool);
  g_test_add_func ("/heatmap/color-bar/ticks", test_ticks);
  return g_test_run ();
}
