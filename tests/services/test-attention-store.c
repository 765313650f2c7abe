/* test-attention-store.c: fp16 conversion against the IEEE definition; the 650M budget. */
#include <glib/gstdio.h>
#include <math.h>
#include <signal.h>
#include <sys/resource.h>

#include "plm-attention-store.h"
#include "plm-error.h"
#include "plm-spill-file.h"
#include "plm-test-util.h"

/* Value of a binary16 bit pattern computed from the definition with ldexp (independent of
 * the bit-shuffling decoder under test). */
static double
half_reference (uint16_t h)
{
  int sign = h >> 15, exp = (h >> 10) & 31, mant = h & 1023;
  double v;

  if (exp == 31)
    return mant ? NAN : (sign ? -INFINITY : INFINITY);
  v = exp == 0 ? ldexp (mant, -24) : ldexp (1024 + mant, exp - 25);
  return sign ? -v : v;
}

static void
test_decode_all (void)
{
  for (guint32 h = 0; h < 65536; h++)
    {
      double want = half_reference (h);
      float got = plm_f16_to_f32 (h);

      if (isnan (want))
        g_assert_true (isnan (got));
      else
        g_assert_cmpfloat (got, ==, want);
    }
}

/* Encoding rounds to the nearest representable half (ties to even): check against a
 * brute-force search over every finite half. */
static void
test_encode_nearest (void)
{
  GRand *rand = g_rand_new_with_seed (5);

  for (int n = 0; n < 200000; n++)
    {
      /* Attention probabilities live in [0, 1]; also cover tiny and exact-tie values. */
      float x = n % 3 == 0 ? (float) g_rand_double (rand)
              : n % 3 == 1 ? (float) ldexp (g_rand_double (rand), -g_rand_int_range (rand, 0, 30))
              : (float) ((g_rand_int_range (rand, 0, 2048) + 0.5) * ldexp (1.0, -g_rand_int_range (rand, 11, 26)));
      uint16_t h = plm_f32_to_f16 (x);
      double err = fabs (half_reference (h) - x);
      /* Candidates: h − 1 and h + 1 must not be closer. */
      if (h > 0)
        g_assert_cmpfloat (err, <=, fabs (half_reference (h - 1) - x));
      g_assert_cmpfloat (err, <=, fabs (half_reference (h + 1) - x));
      if (err == fabs (half_reference (h + 1) - x) && err > 0)
        g_assert_cmpint (h & 1, ==, 0);
      /* And the relative error bound the store documents. */
      g_assert_cmpfloat (err, <=, ldexp (fabs (x), -11) + ldexp (1.0, -25));
    }
  g_assert_cmpint (plm_f32_to_f16 (1.0f), ==, 0x3c00);
  g_assert_cmpint (plm_f32_to_f16 (65504.0f), ==, 0x7bff);
  g_assert_cmpint (plm_f32_to_f16 (1e6f), ==, 0x7c00);
  g_assert_cmpint (plm_f32_to_f16 (-0.0f), ==, 0x8000);
  g_rand_free (rand);
}

static void
test_store_layer (void)
{
  const int L = 3, H = 4, T = 7;
  g_autoptr(GError) error = NULL;
  g_autoptr(PlmAttentionStore) store = plm_attention_store_new (L, H, T, &error);
  g_autofree float *probs = g_new (float, H * T * T);
  g_autofree float *map = g_new (float, T * T);

  g_assert_no_error (error);
  for (int i = 0; i < H * T * T; i++)
    probs[i] = (float) ((i * 7919) % 1000) / 1000.0f;
  g_assert_false (plm_attention_store_has_layer (store, 1));
  plm_attention_store_add_layer (store, 1, probs);
  g_assert_true (plm_attention_store_has_layer (store, 1));
  g_assert_false (plm_attention_store_has_layer (store, 0));

  for (int h = 0; h < H; h++)
    for (int q = 0; q < T; q++)
      for (int k = 0; k < T; k++)
        {
          float want = probs[(h * T + q) * T + k];
          g_assert_cmpfloat (fabs (plm_attention_store_get (store, 1, h, q, k) - want), <=, ldexp (want, -11) + 1e-7);
        }
  plm_attention_store_copy_map (store, 1, -1, map);
  for (int q = 0; q < T; q++)
    for (int k = 0; k < T; k++)
      {
        double mean = 0;
        for (int h = 0; h < H; h++)
          mean += probs[(h * T + q) * T + k];
        mean /= H;
        g_assert_cmpfloat (fabs (map[q * T + k] - mean), <=, ldexp (mean, -11) + 1e-7);
      }
  /* a region of a whole-length store: the same cells as the map */
  {
    float region[3 * 4];
    plm_attention_store_copy_region (store, 1, 2, 2, 5, 3, 7, region);
    for (int q = 2; q < 5; q++)
      for (int k = 3; k < 7; k++)
        g_assert_cmpfloat (region[(q - 2) * 4 + k - 3], ==, plm_attention_store_get (store, 1, 2, q, k));
  }
}

/* 650M (33 layers × 20 heads) at L = 1,000 must fit in 1.5 GB including the head means. */
static void
test_650m_budget (void)
{
  guint64 bytes = plm_attention_store_estimate (33, 20, 1002);

  g_test_message ("650M at L = 1,000: %.3f GB", bytes / 1e9);
  g_assert_cmpuint (bytes, ==, 33ull * 21 * 1002 * 1002 * 2);
  g_assert_cmpuint (bytes, <=, 1500000000ull);
}

static void
test_refuses_absurd (void)
{
  g_autoptr(GError) error = NULL;

  g_assert_null (plm_attention_store_new (0, 20, 10, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_assert_null (plm_attention_store_new (33, 20, 1000000, &error));
  g_assert_nonnull (error);
}

/* A windowed store against the rule evaluated pair by pair: every window's maps say where they
 * came from (value = window + layer/10 + slot/100 + local position/1e5, exact in fp16 up to the
 * rounding of the last term, so compared through the stored fp16 itself). */
static void
test_windowed_store (void)
{
  const int n_layers = 2, n_heads = 3, length = 40, size = 16, overlap = 6;
  PlmWindowPlan plan;
  g_autoptr(GError) error = NULL;
  g_autoptr(PlmAttentionStore) store = NULL;
  int T = length + 2, m = size + 2;

  g_assert_true (plm_window_plan_init (&plan, length, size, overlap, &error));
  store = plm_attention_store_new_windowed (n_layers, n_heads, &plan, &error);
  g_assert_no_error (error);
  g_assert_cmpint (plm_attention_store_get_n_tokens (store), ==, T);
  g_assert_cmpuint (plm_attention_store_get_bytes (store), ==,
                    plm_attention_store_estimate_windowed (n_layers, n_heads, plan.n_windows, m));
  for (int l = 0; l < n_layers; l++)
    {
      g_assert_false (plm_attention_store_has_layer (store, l));
      for (int k = 0; k < plan.n_windows; k++)
        {
          g_autofree float *probs = g_new (float, (gsize) n_heads * m * m);
          for (int h = 0; h < n_heads; h++)
            for (int i = 0; i < m * m; i++)
              probs[(gsize) h * m * m + i] = (float) (k + 1) + 0.1f * l + 0.01f * h + 1e-5f * i;
          g_assert_true (plm_attention_store_add_window_layer (store, k, l, probs, &error));
          g_assert_no_error (error);
        }
      g_assert_true (plm_attention_store_has_layer (store, l));
    }

  g_autofree float *map = g_new (float, (gsize) T * T);
  for (int l = 0; l < n_layers; l++)
    for (int h = -1; h < n_heads; h++)
      {
        plm_attention_store_copy_map (store, l, h, map);
        for (int q = 0; q < T; q++)
          for (int key = 0; key < T; key++)
            {
              /* the rule, token by token: residues by plm_window_pair_owner, a residue with a
               * special token by the residue's window, <cls>/<eos> with themselves by the first/last */
              gboolean qs = q == 0 || q == T - 1, ks = key == 0 || key == T - 1;
              int w = !qs && !ks ? plm_window_pair_owner (&plan, q - 1, key - 1)
                      : !qs ? plan.owner[q - 1] : !ks ? plan.owner[key - 1]
                      : q == key ? (q == 0 ? 0 : plan.n_windows - 1) : -1;
              float got = map[(gsize) q * T + key];
              g_assert_cmpint (plm_attention_store_get_window (store, q, key), ==, w);
              if (w < 0)
                {
                  g_assert_true (isnan (got));
                  g_assert_true (isnan (plm_attention_store_get (store, l, h, q, key)));
                  continue;
                }
              int lq = q == 0 ? 0 : q == T - 1 ? m - 1 : q - plan.starts[w];
              int lk = key == 0 ? 0 : key == T - 1 ? m - 1 : key - plan.starts[w];
              float want = h < 0 ? (float) (w + 1) + 0.1f * l + 0.01f * 1 + 1e-5f * (lq * m + lk)   /* mean of heads 0..2 */
                                 : (float) (w + 1) + 0.1f * l + 0.01f * h + 1e-5f * (lq * m + lk);
              g_assert_cmpfloat_with_epsilon (got, want, ldexpf (fabsf (want), -10));
              g_assert_cmpfloat (plm_attention_store_get (store, l, h, q, key), ==, got);
            }

        /* regions (a view's zoomed-in cells): the assembled map's, NaN included, for regions
         * with and without the special tokens and across window boundaries */
        const int regions[][4] = { { 0, T, 0, T }, { 0, 5, 30, T }, { 9, 23, 2, 37 }, { 17, 18, 17, 18 },
                                          { 30, T, 0, 12 }, { 20, 20, 3, 9 } };
        for (guint g = 0; g < G_N_ELEMENTS (regions); g++)
          {
            int r0 = regions[g][0], r1 = regions[g][1], c0 = regions[g][2], c1 = regions[g][3];
            g_autofree float *region = g_new (float, (gsize) MAX (1, (r1 - r0) * (c1 - c0)));
            plm_attention_store_copy_region (store, l, h, r0, r1, c0, c1, region);
            for (int q = r0; q < r1; q++)
              for (int key = c0; key < c1; key++)
                {
                  float got = region[(gsize) (q - r0) * (c1 - c0) + key - c0], want = map[(gsize) q * T + key];
                  g_assert_cmpint (isnan (got), ==, isnan (want));
                  if (!isnan (want))
                    g_assert_cmpfloat (got, ==, want);
                }
          }

        /* pooling: the max of the covered pairs of each block of the assembled map, NaN when none */
        int rows, cols, n = 8;
        g_autofree float *pooled = plm_attention_store_pool_max (store, l, h, n, &rows, &cols);
        g_autofree float *layer_pooled = g_new (float, (gsize) (n_heads + 1) * n * n);
        plm_attention_store_pool_layer (store, l, n, layer_pooled);
        for (int b = 0; b < n * n; b++)
          {
            float best = NAN;
            for (int r = 0; r < length; r++)
              for (int c = 0; c < length; c++)
                if ((gint64) r * n / length == b / n && (gint64) c * n / length == b % n)
                  {
                    float v = map[(gsize) (r + 1) * T + c + 1];
                    if (!isnan (v) && (isnan (best) || v > best))
                      best = v;
                  }
            g_assert_cmpint (isnan (pooled[b]), ==, isnan (best));
            if (!isnan (best))
              g_assert_cmpfloat (pooled[b], ==, best);
            float lp = layer_pooled[(gsize) (h + 1) * n * n + b];
            g_assert_true ((isnan (lp) && isnan (best)) || lp == pooled[b]);
          }
      }
  plm_window_plan_clear (&plan);
}

static guint
n_entries (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  guint n = 0;

  while (d != NULL && g_dir_read_name (d) != NULL)
    n++;
  return n;
}

/* The windowed store's maps live in an unlinked file of the cache dir: nothing shows there, and
 * a disk that cannot take them fails the store's creation, or a write, with a message naming
 * the directory (a file-size limit stands in for a full disk: EFBIG, like ENOSPC). */
static void
test_spill_file (void)
{
  if (g_test_subprocess ())
    {
      g_autofree char *tmp = g_dir_make_tmp ("plm-spill-XXXXXX", NULL);
      g_autofree char *dir = g_build_filename (tmp, "plmlens", NULL);
      struct rlimit limit = { 1 << 20, 1 << 20 };
      g_autoptr(GError) error = NULL;
      PlmWindowPlan plan;

      g_setenv ("XDG_CACHE_HOME", tmp, TRUE);
      g_assert_true (plm_window_plan_init (&plan, 400, 100, 20, &error));
      {
        g_autoptr(PlmAttentionStore) store = plm_attention_store_new_windowed (1, 2, &plan, &error);
        g_autofree float *probs = g_new0 (float, 2 * 102 * 102);

        g_assert_no_error (error);
        g_assert_cmpuint (n_entries (dir), ==, 0);   /* unlinked from the start */
        for (int k = 0; k < plan.n_windows; k++)
          g_assert_true (plm_attention_store_add_window_layer (store, k, 0, probs, &error));
        g_assert_cmpfloat (plm_attention_store_get (store, 0, 1, 5, 6), ==, 0.0f);
      }
      plm_window_plan_clear (&plan);

      signal (SIGXFSZ, SIG_IGN);
      g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &limit), ==, 0);
      {
        g_autoptr(PlmSpillFile) file = plm_spill_file_new (1 << 19, &error);
        char byte = 1;

        g_assert_no_error (error);
        g_assert_false (plm_spill_file_write (file, 2 << 20, &byte, 1, &error));
        g_assert_error (error, PLM_ERROR, PLM_ERROR_RESOURCES);
        g_assert_nonnull (strstr (error->message, "Not enough disk space in"));
        g_clear_error (&error);
      }
      g_assert_true (plm_window_plan_init (&plan, 2000, 500, 100, &error));
      g_assert_null (plm_attention_store_new_windowed (2, 4, &plan, &error));
      g_test_message ("%s", error->message);
      g_assert_error (error, PLM_ERROR, PLM_ERROR_RESOURCES);
      g_assert_nonnull (strstr (error->message, dir));
      g_assert_cmpuint (n_entries (dir), ==, 0);
      plm_window_plan_clear (&plan);
      plm_test_rm_rf (tmp);
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/attention-store/decode-all", test_decode_all);
  g_test_add_func ("/attention-store/encode-nearest", test_encode_nearest);
  g_test_add_func ("/attention-store/layer", test_store_layer);
  g_test_add_func ("/attention-store/650m-budget", test_650m_budget);
  g_test_add_func ("/attention-store/refuses-absurd", test_refuses_absurd);
  g_test_add_func ("/attention-store/windowed", test_windowed_store);
  g_test_add_func ("/attention-store/spill-file", test_spill_file);
  return g_test_run ();
}
