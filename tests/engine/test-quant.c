/* test-quant.c: the fp32-panel, bf16 and int8 weight products (plm-quant.h) against scalar
 * references of the same arithmetic written out here: fp32 panels and int8 bit-exact on every
 * kernel this CPU has (the AVX2 fallback is always run where AVX2 exists), through plm_linear_n
 * too (several targets, every epilogue, threads), bf16 within fp32 rounding; then a model's
 * forward pass in each precision against fp32. Prints which kernels ran. */
#include <float.h>
#include <math.h>
#include <string.h>

#include "plm-esm.h"
#include "plm-half.h"
#include "plm-linear.h"
#include "plm-ops.h"
#include "plm-model.h"
#include "plm-quant.h"
#include "plm-test-util.h"
#include "plm-tokenizer.h"

typedef struct { int M, K, N; gboolean bias; } Shape;

/* odd sizes: tails of every tile, panel and k-group; K = 1; the real projection shapes */
static const Shape shapes[] = {
  { 1, 1, 1, TRUE }, { 3, 5, 17, TRUE }, { 9, 6, 33, FALSE }, { 70, 130, 50, TRUE },
  { 17, 641, 47, TRUE }, { 131, 320, 1280, TRUE }, { 64, 1280, 320, FALSE },
};

static float *
random_floats (GRand *r, gsize n, double scale)
{
  float *x = g_new (float, n);
  plm_test_fill_random (r, x, n, -scale, scale);
  return x;
}

/* The int8 result written from the definition: weights per output channel, activations per row,
 * q = rne(v · 127 / max|v|) clamped to ±127, an integer sum, then fma(sum, s_x · s_w, b). */
static void
int8_reference (float *out, const float *x, const float *w, const float *b, int M, int K, int N)
{
  int32_t *qw = g_new (int32_t, (gsize) N * K), *qx = g_new (int32_t, K);
  float *sw = g_new (float, N);

  for (int n = 0; n < N; n++)
    {
      float amax = 0.0f;
      for (int k = 0; k < K; k++)
        amax = fmaxf (amax, fabsf (w[(gsize) n * K + k]));
      sw[n] = amax / 127.0f;
      for (int k = 0; k < K; k++)
        qw[(gsize) n * K + k] = amax > 0.0f ? CLAMP ((int) lrintf (w[(gsize) n * K + k] * (127.0f / amax)), -127, 127) : 0;
    }
  for (int m = 0; m < M; m++)
    {
      float amax = 0.0f;
      for (int k = 0; k < K; k++)
        amax = fmaxf (amax, fabsf (x[(gsize) m * K + k]));
      for (int k = 0; k < K; k++)
        qx[k] = amax > 0.0f ? CLAMP ((int) lrintf (x[(gsize) m * K + k] * (127.0f / amax)), -127, 127) : 0;
      for (int n = 0; n < N; n++)
        {
          gint64 s = 0;
          for (int k = 0; k < K; k++)
            s += (gint64) qx[k] * qw[(gsize) n * K + k];
          g_assert_cmpint (s, <, G_MAXINT32);
          out[(gsize) m * N + n] = fmaf ((float) s, (amax / 127.0f) * sw[n], b != NULL ? b[n] : 0.0f);
        }
    }
  g_free (qw);
  g_free (qx);
  g_free (sw);
}

/* bf16 from the definition: both operands rounded to bf16, pairs (odd element first) summed in
 * fp32 from 0, then + b. Also returns Σ|x||w| per output for the tolerances. */
static void
bf16_reference (float *out, double *mag, const float *x, const float *w, const float *b, int M, int K, int N)
{
  for (int m = 0; m < M; m++)
    for (int n = 0; n < N; n++)
      {
        float acc = 0.0f;
        double a = 0.0;
        for (int k = 0; k < K; k += 2)
          {
            if (k + 1 < K)
              acc += plm_bf16_to_f32 (plm_f32_to_bf16 (x[(gsize) m * K + k + 1]))
                     * plm_bf16_to_f32 (plm_f32_to_bf16 (w[(gsize) n * K + k + 1]));
            acc += plm_bf16_to_f32 (plm_f32_to_bf16 (x[(gsize) m * K + k]))
                   * plm_bf16_to_f32 (plm_f32_to_bf16 (w[(gsize) n * K + k]));
          }
        for (int k = 0; k < K; k++)
          a += fabs ((double) x[(gsize) m * K + k] * w[(gsize) n * K + k]);
        out[(gsize) m * N + n] = b != NULL ? acc + b[n] : acc;
        mag[(gsize) m * N + n] = a + (b != NULL ? fabs (b[n]) : 0.0);
      }
}

static void
test_int8_kernels (void)
{
  g_autoptr(GRand) r = g_rand_new_with_seed (17);

  for (guint s = 0; s < G_N_ELEMENTS (shapes); s++)
    {
      const Shape *sh = &shapes[s];
      g_autofree float *x = random_floats (r, (gsize) sh->M * sh->K, 2.0);
      g_autofree float *w = random_floats (r, (gsize) sh->N * sh->K, 0.1);
      g_autofree float *b = sh->bias ? random_floats (r, sh->N, 1.0) : NULL;
      g_autofree float *ref = g_new (float, (gsize) sh->M * sh->N);
      g_autofree float *got = g_new (float, (gsize) sh->M * sh->N);
      PlmInt8Matrix qm;

      /* an all-zero row and a row with one outlier: the scale's edge cases */
      memset (x, 0, sizeof (float) * sh->K);
      if (sh->M > 1)
        x[sh->K] = 1e3f;
      int8_reference (ref, x, w, b, sh->M, sh->K, sh->N);
      plm_int8_matrix_init (&qm, w, sh->N, sh->K);
      for (int isa = PLM_ISA_SCALAR; isa <= PLM_ISA_AVX512; isa++)
        {
          if (!plm_cpu_supports ((PlmIsa) isa, "int8"))
            {
              if (s == 0)
                g_test_message ("int8 kernel %s: not on this CPU", plm_isa_name ((PlmIsa) isa));
              continue;
            }
          if (s == 0)
            g_test_message ("int8 kernel %s: tested", plm_isa_name ((PlmIsa) isa));
          memset (got, 0xff, sizeof (float) * sh->M * sh->N);
          plm_gemm_int8 ((PlmIsa) isa, got, x, &qm, b, sh->M);
          for (gsize i = 0; i < (gsize) sh->M * sh->N; i++)
            if (memcmp (&got[i], &ref[i], sizeof (float)) != 0)
              g_error ("int8 %s %dx%dx%d at %zu: %.9g, reference %.9g", plm_isa_name ((PlmIsa) isa),
                       sh->M, sh->K, sh->N, i, got[i], ref[i]);
        }
      plm_int8_matrix_clear (&qm);
    }
}

static void
test_bf16_kernels (void)
{
  g_autoptr(GRand) r = g_rand_new_with_seed (16);

  for (guint s = 0; s < G_N_ELEMENTS (shapes); s++)
    {
      const Shape *sh = &shapes[s];
      gsize n = (gsize) sh->M * sh->N;
      g_autofree float *x = random_floats (r, (gsize) sh->M * sh->K, 2.0);
      g_autofree float *w = random_floats (r, (gsize) sh->N * sh->K, 0.1);
      g_autofree float *b = sh->bias ? random_floats (r, sh->N, 1.0) : NULL;
      g_autofree float *ref = g_new (float, n), *got = g_new (float, n);
      g_autofree double *mag = g_new (double, n);
      PlmBf16Matrix bm;

      bf16_reference (ref, mag, x, w, b, sh->M, sh->K, sh->N);
      plm_bf16_matrix_init (&bm, w, sh->N, sh->K);
      for (int isa = PLM_ISA_SCALAR; isa <= PLM_ISA_AVX512; isa += PLM_ISA_AVX512)
        {
          if (!plm_cpu_supports ((PlmIsa) isa, "bf16"))
            {
              if (s == 0)
                g_test_message ("bf16 kernel %s: not on this CPU", plm_isa_name ((PlmIsa) isa));
              continue;
            }
          if (s == 0)
            g_test_message ("bf16 kernel %s: tested", plm_isa_name ((PlmIsa) isa));
          plm_gemm_bf16 ((PlmIsa) isa, got, x, &bm, b, sh->M);
          double worst = 0.0;
          for (gsize i = 0; i < n; i++)
            worst = MAX (worst, fabs ((double) got[i] - ref[i]) / (mag[i] + 1e-30));
          /* the same operations in the same order; the hardware may flush denormals or fuse pairs,
           * so allow a few fp32 roundings of the magnitude */
          g_test_message ("bf16 %s %dx%dx%d: worst |d|/sum|xw| %.2e", plm_isa_name ((PlmIsa) isa),
                          sh->M, sh->K, sh->N, worst);
          g_assert_cmpfloat (worst, <=, 4.0 * FLT_EPSILON);
        }
      plm_bf16_matrix_clear (&bm);
    }
}

/* The env var PLM_ISA caps the kernels, as CI without AVX-512 would see them. */
/* fp32 panels, from their definition: fmaf over k in order from 0, then + b, then onto @old. */
static void
f32_reference (float *out, const float *x, const float *w, const float *b, const float *old, int M, int K, int N)
{
  for (int m = 0; m < M; m++)
    for (int n = 0; n < N; n++)
      {
        float acc = 0.0f;
        for (int k = 0; k < K; k++)
          acc = fmaf (x[(gsize) m * K + k], w[(gsize) n * K + k], acc);
        if (b != NULL)
          acc += b[n];
        out[(gsize) m * N + n] = old != NULL ? old[(gsize) m * N + n] + acc : acc;
      }
}

static void
assert_same_bits (const char *what, const float *got, const float *ref, gsize n)
{
  for (gsize i = 0; i < n; i++)
    if (memcmp (&got[i], &ref[i], sizeof (float)) != 0)
      g_error ("%s at %zu: %.9g, reference %.9g", what, i, got[i], ref[i]);
}

static void
test_f32_kernels (void)
{
  g_autoptr(GRand) r = g_rand_new_with_seed (23);

  for (guint s = 0; s < G_N_ELEMENTS (shapes); s++)
    {
      const Shape *sh = &shapes[s];
      const gsize n_out = (gsize) sh->M * sh->N;
      g_autofree float *x = random_floats (r, (gsize) sh->M * sh->K, 2.0);
      g_autofree float *w = random_floats (r, (gsize) sh->N * sh->K, 0.1);
      g_autofree float *b = sh->bias ? random_floats (r, sh->N, 1.0) : NULL;
      g_autofree float *old = random_floats (r, n_out, 1.0);
      g_autofree float *ref = g_new (float, n_out), *got = g_new (float, n_out);
      g_autofree float *near = g_new (float, n_out);
      PlmF32Matrix pm;

      plm_f32_matrix_init (&pm, w, sh->N, sh->K);
      g_assert_cmpint (pm.np % PLM_F32_TILE_N, ==, 0);
      /* the written-out arithmetic is an fp32 product: against OpenBLAS within rounding */
      f32_reference (ref, x, w, b, NULL, sh->M, sh->K, sh->N);
      plm_linear_forward (near, x, w, b, sh->M, sh->K, sh->N);
      for (gsize i = 0; i < n_out; i++)
        g_assert_cmpfloat (fabsf (ref[i] - near[i]), <=, 1e-5f * (1.0f + fabsf (near[i])) * sqrtf ((float) sh->K));
      for (int acc = 0; acc < 2; acc++)
        {
          f32_reference (ref, x, w, b, acc ? old : NULL, sh->M, sh->K, sh->N);
          for (int isa = PLM_ISA_SCALAR; isa <= PLM_ISA_AVX512; isa++)
            {
              if (!plm_cpu_supports ((PlmIsa) isa, "fp32"))
                {
                  if (s == 0 && acc == 0)
                    g_test_message ("fp32 panel kernel %s: not on this CPU", plm_isa_name ((PlmIsa) isa));
                  continue;
                }
              if (s == 0 && acc == 0)
                g_test_message ("fp32 panel kernel %s: tested", plm_isa_name ((PlmIsa) isa));
              memcpy (got, old, sizeof (float) * n_out);
              for (int t = 0; t < pm.np / PLM_F32_TILE_N; t++)
                plm_gemm_f32_block ((PlmIsa) isa, got, sh->N, x, sh->M, &pm, t, b, acc);
              g_autofree char *what = g_strdup_printf ("fp32 %s %dx%dx%d%s", plm_isa_name ((PlmIsa) isa), sh->M,
                                                       sh->K, sh->N, acc ? " accumulate" : "");
              assert_same_bits (what, got, ref, n_out);
            }
        }
      plm_f32_matrix_clear (&pm);
    }
}

/* plm_linear_n on fp32 panels: two targets in one call (the QKV path), 2 threads, every
 * epilogue, against the definition; rows beyond one task's 128 */
static void
test_f32_linear (void)
{
  enum { M = 150, K = 96, N0 = 100, N1 = 40 };
  g_autoptr(GRand) r = g_rand_new_with_seed (29);
  g_autofree float *x = random_floats (r, (gsize) M * K, 1.0);
  g_autofree float *w0 = random_floats (r, (gsize) N0 * K, 0.2), *w1 = random_floats (r, (gsize) N1 * K, 0.2);
  g_autofree float *b0 = random_floats (r, N0, 1.0);
  g_autofree float *old0 = random_floats (r, (gsize) M * N0, 1.0), *old1 = random_floats (r, (gsize) M * N1, 1.0);
  g_autofree float *o0 = g_new (float, (gsize) M * N0), *o1 = g_new (float, (gsize) M * N1);
  g_autofree float *r0 = g_new (float, (gsize) M * N0), *r1 = g_new (float, (gsize) M * N1);
  PlmLowp *lowp = plm_lowp_new (PLM_PRECISION_FP32, PLM_ISA_AVX512);

  if (lowp == NULL)
    {
      g_test_message ("no fp32 panels on this CPU (no AVX2 and FMA): plm_linear stays OpenBLAS's");
      return;
    }
  g_test_message ("plm_linear_n on fp32 panels, %s kernel", plm_isa_name (plm_lowp_isa (lowp)));
  plm_lowp_add (lowp, w0, N0, K);
  plm_lowp_add (lowp, w1, N1, K);
  g_assert_nonnull (plm_lowp_f32 (lowp, w0));
  for (int e = PLM_LINEAR_STORE; e <= PLM_LINEAR_GELU; e++)
    {
      gboolean acc = e == PLM_LINEAR_ACCUMULATE;
      memcpy (o0, old0, sizeof (float) * M * N0);
      memcpy (o1, old1, sizeof (float) * M * N1);
      PlmLinearTarget t[2] = { { o0, N0, w0, b0, N0 }, { o1, N1, w1, NULL, N1 } };
      plm_linear_n (lowp, x, M, K, t, 2, (PlmLinearEpilogue) e);
      f32_reference (r0, x, w0, b0, acc ? old0 : NULL, M, K, N0);
      f32_reference (r1, x, w1, NULL, acc ? old1 : NULL, M, K, N1);
      if (e == PLM_LINEAR_GELU)
        {
          plm_gelu_block (r0, M, N0, N0);
          plm_gelu_block (r1, M, N1, N1);
        }
      assert_same_bits ("plm_linear_n target 0", o0, r0, (gsize) M * N0);
      assert_same_bits ("plm_linear_n target 1", o1, r1, (gsize) M * N1);
    }
  plm_lowp_free (lowp);
}

static void
test_isa_cap (void)
{
  g_setenv ("PLM_ISA", "avx2", TRUE);
  PlmIsa capped = plm_cpu_best_isa ("int8");
  g_assert_cmpint (capped, <=, PLM_ISA_AVX2);
  g_assert_cmpint (plm_cpu_best_isa ("bf16"), ==, PLM_ISA_SCALAR);
  g_setenv ("PLM_ISA", "scalar", TRUE);
  g_assert_cmpint (plm_cpu_best_isa ("int8"), ==, PLM_ISA_SCALAR);
  g_unsetenv ("PLM_ISA");
  g_test_message ("best kernels here: int8 %s, bf16 %s", plm_isa_name (plm_cpu_best_isa ("int8")),
                  plm_isa_name (plm_cpu_best_isa ("bf16")));
}

static double
pearson (const float *a, const float *b, gsize n)
{
  double ma = 0, mb = 0, sab = 0, saa = 0, sbb = 0;
  for (gsize i = 0; i < n; i++)
    ma += a[i], mb += b[i];
  ma /= n;
  mb /= n;
  for (gsize i = 0; i < n; i++)
    {
      sab += (a[i] - ma) * (b[i] - mb);
      saa += (a[i] - ma) * (a[i] - ma);
      sbb += (b[i] - mb) * (b[i] - mb);
    }
  return sab / sqrt (saa * sbb);
}

/* The committed 8M-shape fixture end to end: every precision's logits and contacts follow fp32's. */
static void
test_forward (gconstpointer data)
{
  PlmPrecision precision = GPOINTER_TO_INT (data);
  const char *dir = g_getenv ("PLM_TEST_MODEL_8M");
  g_autoptr(GError) error = NULL;
  g_assert_nonnull (dir);
  g_autoptr(PlmModel) model = plm_model_load (dir, &error);
  g_assert_no_error (error);
  static const char seq[] = "MKTAYIAKQRQISFVKSHFSRQLEERLGLIEVQAPILSRVGDGTQDNLSGAEKAVQVKVKALPDAQFEVVHSLAKWKRQTLGQHDFSAGEGLYTHMKALRPDEDRLSPLHSVYVDQWDWERVMGDGERQFSTLKSTVEAIWAGIKATEAAVSEEFGLAPFLPDQIHFVHSQELLSRYPDLDAKGRERAIAKDLGAVFLVGIGGKLSDGHRHDVRAPDYDDWUAVSKEIDGLAFTAAGNGEKKRLSSSGYPGRGPRKNLPHFVTIGSNLNNQGSL";
  int T = 0;
  g_autofree int32_t *tokens = plm_tokenize (seq, &T);
  PlmForwardOutput ref, got;

  g_autoptr(PlmEsmState) state = plm_esm_state_new (model);
  g_assert_true (plm_esm_forward (state, tokens, T, NULL, &ref, &error));
  for (int cap = PLM_ISA_AVX2; cap <= PLM_ISA_AVX512; cap++)
    {
      PlmPrecision ran = plm_model_set_precision (model, precision, (PlmIsa) cap);
      if (ran != precision)
        {
          g_test_message ("%s capped at %s: not on this CPU (runs fp32)", plm_precision_name (precision),
                          plm_isa_name ((PlmIsa) cap));
          continue;
        }
      g_assert_true (plm_esm_forward (state, tokens, T, NULL, &got, &error));
      gsize nl = (gsize) T * got.vocab_size, nc = (gsize) got.n_residues * got.n_residues;
      int agree = 0;
      for (int t = 0; t < T; t++)
        {
          const float *a = ref.logits + (gsize) t * got.vocab_size, *b = got.logits + (gsize) t * got.vocab_size;
          int ia = 0, ib = 0;
          for (int v = 1; v < got.vocab_size; v++)
            {
              ia = a[v] > a[ia] ? v : ia;
              ib = b[v] > b[ib] ? v : ib;
            }
          agree += ia == ib;
        }
      double pl = pearson (ref.logits, got.logits, nl), pc = pearson (ref.contacts, got.contacts, nc);
      g_test_message ("%s on %s kernels: logits Pearson %.6f, argmax %d/%d, contacts Pearson %.6f",
                      plm_precision_name (precision), plm_isa_name (plm_lowp_isa (model->lowp)), pl, agree, T, pc);
      /* random weights give near-uniform logits, so argmax flips easily (README: drift tables) */
      gboolean int8 = precision == PLM_PRECISION_INT8;
      g_assert_cmpfloat (pl, >=, int8 ? 0.995 : 0.999);
      g_assert_cmpfloat (pc, >=, int8 ? 0.99 : 0.999);
      g_assert_cmpfloat (agree, >=, (int8 ? 0.9 : 0.95) * T);
      plm_forward_output_clear (&got);
    }
  plm_forward_output_clear (&ref);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  plm_engine_set_threads (2);
  g_test_add_func ("/quant/fp32/kernels", test_f32_kernels);
  g_test_add_func ("/quant/fp32/linear", test_f32_linear);
  g_test_add_func ("/quant/int8/kernels", test_int8_kernels);
  g_test_add_func ("/quant/bf16/kernels", test_bf16_kernels);
  g_test_add_func ("/quant/isa-cap", test_isa_cap);
  g_test_add_data_func ("/quant/forward/bf16", GINT_TO_POINTER (PLM_PRECISION_BF16), test_forward);
  g_test_add_data_func ("/quant/forward/int8", GINT_TO_POINTER (PLM_PRECISION_INT8), test_forward);
  return g_test_run ();
}
