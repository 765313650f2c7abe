/* test-scale-thresholds.c: the GL shader's threshold lookup equals plm_scale_index for every
 * scale kind, on random values and on the floats either side of each threshold. */
#include <math.h>

#include "plm-scale-thresholds.h"

static void
check_scale (const PlmScale *scale)
{
  float thresholds[PLM_SCALE_N_THRESHOLDS];
  int at_inf, mismatches = 0, checked = 0;
  GRand *rand = g_rand_new_with_seed (7);
  float specials[] = { 0.0f, -0.0f, INFINITY, -INFINITY, NAN, FLT_MIN, -FLT_MIN, FLT_MAX, -FLT_MAX,
                       1e-30f, scale->vmin, scale->vmax };

  plm_scale_thresholds (scale, thresholds, &at_inf);
  for (int k = 2; k < PLM_SCALE_N_THRESHOLDS; k++)
    g_assert_cmpfloat (thresholds[k - 1], <=, thresholds[k]);

  for (guint i = 0; i < G_N_ELEMENTS (specials); i++, checked++)
    mismatches += plm_scale_thresholds_index (thresholds, at_inf, specials[i]) !=
                  plm_scale_index (scale, specials[i]);
  /* exactly at and just below every breakpoint: where a re-derived formula would round wrongly */
  for (int k = 1; k < PLM_SCALE_N_THRESHOLDS; k++)
    {
      float t = thresholds[k];
      float probes[] = { t, nextafterf (t, -INFINITY), nextafterf (t, INFINITY) };
      for (guint i = 0; i < G_N_ELEMENTS (probes); i++, checked++)
        if (!isnan (probes[i]))
          mismatches += plm_scale_thresholds_index (thresholds, at_inf, probes[i]) !=
                        plm_scale_index (scale, probes[i]);
    }
  /* random values over and beyond the scale's range */
  for (int i = 0; i < 200000; i++, checked++)
    {
      double span = fabs (scale->vmax - scale->vmin) + 1e-3;
      float v = i % 2 ? (float) g_rand_double_range (rand, scale->vmin - span, scale->vmax + span)
                      : (float) exp (g_rand_double_range (rand, -30, 5));
      int a = plm_scale_thresholds_index (thresholds, at_inf, v), b = plm_scale_index (scale, v);
      if (a != b && mismatches < 5)
        g_printerr ("v = %.9g: thresholds %d, plm_scale_index %d\n", v, a, b);
      mismatches += a != b;
    }
  g_test_message ("kind %d [%g, %g]: %d values, %d mismatches", scale->kind, scale->vmin,
                  scale->vmax, checked, mismatches);
  g_assert_cmpint (mismatches, ==, 0);
  g_rand_free (rand);
}

static void
test_linear (void)
{
  check_scale (&(PlmScale) { PLM_SCALE_LINEAR, 0.0f, 1.0f });
  check_scale (&(PlmScale) { PLM_SCALE_LINEAR, 0.0013f, 0.0371f });
  check_scale (&(PlmScale) { PLM_SCALE_LINEAR, -2.5f, 3.25f });
  check_scale (&(PlmScale) { PLM_SCALE_PERCENTILE, 1e-5f, 0.2f });
}

static void
test_log (void)
{
  check_scale (&(PlmScale) { PLM_SCALE_LOG, 1e-6f, 1.0f });
  check_scale (&(PlmScale) { PLM_SCALE_LOG, 3.7e-4f, 0.93f });
  check_scale (&(PlmScale) { PLM_SCALE_LOG, 0.0f, 0.5f });     /* vmin ≤ 0: floor 1e-12 */
}

static void
test_degenerate (void)
{
  check_scale (&(PlmScale) { PLM_SCALE_LINEAR, 0.5f, 0.5f });  /* empty range: all index 0 */
  check_scale (&(PlmScale) { PLM_SCALE_LINEAR, 1.0f, 0.0f });  /* inverted */
  check_scale (&(PlmScale) { PLM_SCALE_LOG, 0.5f, 0.1f });     /* hi ≤ lo: lo × 10 */
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/heatmap/thresholds/linear", test_linear);
  g_test_add_func ("/heatmap/thresholds/log", test_log);
  g_test_add_func ("/heatmap/thresholds/degenerate", test_degenerate);
  return g_test_run ();
}
