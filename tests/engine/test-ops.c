/* test-ops.c: each layer function against a naive double-precision implementation. */
#include <math.h>

#include "plm-ops.h"
#include "plm-test-util.h"

static void
fill_random (GRand *r, float *x, gsize n, double lo, double hi)
{
  for (gsize i = 0; i < n; i++)
    x[i] = (float) g_rand_double_range (r, lo, hi);
}

static void
test_linear (void)
{
  g_autoptr(GRand) r = g_rand_new_with_seed (1);
  const int T = 7, I = 13, O = 5;
  float x[7 * 13], w[5 * 13], b[5], out[7 * 5], ref[7 * 5];
  gboolean ok;

  fill_random (r, x, G_N_ELEMENTS (x), -1, 1);
  fill_random (r, w, G_N_ELEMENTS (w), -1, 1);
  fill_random (r, b, G_N_ELEMENTS (b), -1, 1);
  for (int t = 0; t < T; t++)
    for (int o = 0; o < O; o++)
      {
        double s = b[o];
        for (int i = 0; i < I; i++)
          s += (double) x[t * I + i] * w[o * I + i];
        ref[t * O + o] = (float) s;
      }
  plm_linear_forward (out, x, w, b, T, I, O);
  g_assert_cmpfloat (plm_test_compare ("linear", out, ref, T * O, 1e-6, &ok), <, 1e-5);
  g_assert_true (ok);
  /* without bias */
  plm_linear_forward (out, x, w, NULL, T, I, O);
  for (int t = 0; t < T; t++)
    for (int o = 0; o < O; o++)
      ref[t * O + o] -= b[o];
  plm_test_compare ("linear/no-bias", out, ref, T * O, 1e-6, &ok);
  g_assert_true (ok);
}

static void
test_layernorm (void)
{
  g_autoptr(GRand) r = g_rand_new_with_seed (2);
  const int T = 4, C = 33;
  float x[4 * 33], w[33], b[33], out[4 * 33], ref[4 * 33], mean[4], rstd[4];
  gboolean ok;

  fill_random (r, x, G_N_ELEMENTS (x), -3, 5);
  fill_random (r, w, C, 0.5, 1.5);
  fill_random (r, b, C, -0.5, 0.5);
  for (int t = 0; t < T; t++)
    {
      double m = 0, v = 0;
      for (int i = 0; i < C; i++)
        m += x[t * C + i];
      m /= C;
      for (int i = 0; i < C; i++)
        v += (x[t * C + i] - m) * (x[t * C + i] - m);
      v /= C;   /* biased variance, as torch.nn.LayerNorm */
      for (int i = 0; i < C; i++)
        ref[t * C + i] = (float) ((x[t * C + i] - m) / sqrt (v + 1e-5) * w[i] + b[i]);
    }
  plm_layernorm_forward (out, mean, rstd, x, w, b, T, C, 1e-5f);
  plm_test_compare ("layernorm", out, ref, T * C, 1e-5, &ok);
  g_assert_true (ok);
  /* in place */
  plm_layernorm_forward (x, NULL, NULL, x, w, b, T, C, 1e-5f);
  plm_test_compare ("layernorm/in-place", x, ref, T * C, 1e-5, &ok);
  g_assert_true (ok);
}

static void
test_gelu_is_erf (void)
{
  const int n = 4001;
  g_autofree float *x = g_new (float, n);
  g_autofree float *out = g_new (float, n);
  g_autofree float *ref = g_new (float, n);
  g_autofree float *tanh_ref = g_new (float, n);
  gboolean ok;

  for (int i = 0; i < n; i++)
    {
      double v = -10.0 + 20.0 * i / (n - 1);
      x[i] = (float) v;
      ref[i] = (float) (0.5 * v * (1.0 + erf (v / sqrt (2.0))));
      tanh_ref[i] = (float) (0.5 * v * (1.0 + tanh (sqrt (2.0 / G_PI) * (v + 0.044715 * v * v * v))));
    }
  plm_gelu_forward (out, x, n);
  double err = plm_test_compare ("gelu vs erf", out, ref, n, 1e-6, &ok);
  g_assert_true (ok);
  /* and it must not be the tanh approximation (differs by ~1e-4 near |x| ≈ 2) */
  gboolean same_as_tanh;
  double err_tanh = plm_test_compare ("gelu vs tanh form", out, tanh_ref, n, 1e-6, &same_as_tanh);
  g_assert_false (same_as_tanh);
  g_assert_cmpfloat (err_tanh, >, 10 * err);
}

static void
test_expf (void)
{
  double worst = 0;
  for (double v = -87.0; v <= 88.0; v += 0.001)
    {
      double e = fabs (plm_expf ((float) v) - exp ((float) v)) / exp ((float) v);
      worst = fmax (worst, e);
    }
  g_test_message ("expf worst relative error %.3g", worst);
  g_assert_cmpfloat (worst, <, 3e-7);
}

static void
test_softmax (void)
{
  g_autoptr(GRand) r = g_rand_new_with_seed (3);
  const int R = 5, C = 37;
  float x[5 * 37], ref[5 * 37];
  gboolean ok;

  fill_random (r, x, G_N_ELEMENTS (x), -30, 30);
  x[3] = -INFINITY;   /* masked keys must get exactly 0 */
  for (int i = 0; i < R; i++)
    {
      double m = -INFINITY, s = 0;
      for (int j = 0; j < C; j++)
        m = fmax (m, x[i * C + j]);
      for (int j = 0; j < C; j++)
        s += exp (x[i * C + j] - m);
      for (int j = 0; j < C; j++)
        ref[i * C + j] = (float) (exp (x[i * C + j] - m) / s);
    }
  plm_softmax_rows (x, R, C);
  plm_test_compare ("softmax", x, ref, R * C, 1e-6, &ok);
  g_assert_true (ok);
  g_assert_cmpfloat (x[3], <, 1e-30);
}

/* Split-half (NeoX) rotation: pairs (i, i + hd/2) rotate by angle t·10000^(−2i/hd). */
static void
test_rotary (void)
{
  g_autoptr(GRand) r = g_rand_new_with_seed (4);
  const int T = 9, H = 3, hd = 8, d = H * hd;
  float x[9 * 24], ref[9 * 24], cos_t[9 * 4], sin_t[9 * 4];
  gboolean ok;

  fill_random (r, x, G_N_ELEMENTS (x), -1, 1);
  for (int t = 0; t < T; t++)
    for (int h = 0; h < H; h++)
      for (int i = 0; i < hd / 2; i++)
        {
          double ang = t * pow (10000.0, -2.0 * i / hd);
          double a = x[t * d + h * hd + i], b = x[t * d + h * hd + i + hd / 2];
          ref[t * d + h * hd + i] = (float) (a * cos (ang) - b * sin (ang));
          ref[t * d + h * hd + i + hd / 2] = (float) (b * cos (ang) + a * sin (ang));
        }
  plm_rotary_tables (cos_t, sin_t, T, hd);
  plm_rotary_forward (x, cos_t, sin_t, T, H, hd);
  plm_test_compare ("rotary", x, ref, T * d, 1e-6, &ok);
  g_assert_true (ok);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/ops/linear", test_linear);
  g_test_add_func ("/ops/layernorm", test_layernorm);
  g_test_add_func ("/ops/gelu-erf", test_gelu_is_erf);
  g_test_add_func ("/ops/expf", test_expf);
  g_test_add_func ("/ops/softmax", test_softmax);
  g_test_add_func ("/ops/rotary-split-half", test_rotary);
  return g_test_run ();
}
