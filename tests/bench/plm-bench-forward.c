/* plm-bench-forward.c: times PLM Lens's forward pass (with contacts, so every attention map is
 * computed) and measures OpenBLAS's sgemm peak in the same process, for tests/bench/run-bench.sh. */
#include <cblas.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>

#include "plm-bench-util.h"
#include "plm-esm.h"
#include "plm-fasta.h"
#include "plm-model.h"
#include "plm-runtime.h"
#include "plm-tokenizer.h"

/* Peak sgemm rate for square matrices of the size that dominates ESM-2: best of 5. */
static double
sgemm_peak_gflops (int n)
{
  float *a = g_new (float, (gsize) n * n), *b = g_new (float, (gsize) n * n), *c = g_new (float, (gsize) n * n);
  double best = 1e30;
  for (gsize i = 0; i < (gsize) n * n; i++)
    {
      a[i] = (float) (i % 7) * 0.1f;
      b[i] = (float) (i % 5) * 0.1f;
    }
  for (int r = 0; r < 5; r++)
    {
      double t = plm_bench_now ();
      cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasTrans, n, n, n, 1.0f, a, n, b, n, 0.0f, c, n);
      best = MIN (best, plm_bench_now () - t);
    }
  g_free (a);
  g_free (b);
  g_free (c);
  return 2.0 * n * n * (double) n / best / 1e9;
}

/* Multiply-adds of one forward pass ×2: projections, attention, FFN, LM head. */
static double
forward_flops (const PlmEsmConfig *c, int T)
{
  double d = c->d_model, f = c->d_ffn, t = T;
  double per_layer = 2 * t * (4 * d * d + 2 * d * f) + 2 * 2 * t * t * d;
  return c->n_layers * per_layer + 2 * t * (d * d + d * c->vocab_size);
}

int
main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;

  plm_runtime_setup (argv);
  if (argc == 2 && g_strcmp0 (argv[1], "--core") == 0)
    {
      /* the OpenBLAS kernel this process runs (after the runtime's choice), for the scripts */
      printf ("%s\n", plm_engine_blas_core ());
      return 0;
    }
  if (argc < 4)
    {
      fprintf (stderr, "usage: %s MODEL FASTA REPEATS [THREADS [fp32|bf16|int8 [contacts|embeddings]]] | --core\n", argv[0]);
      return 2;
    }
  int repeats = atoi (argv[3]);
  plm_engine_set_threads (argc > 4 ? atoi (argv[4]) : 0);

  double t0 = plm_bench_now ();
  g_autoptr(PlmModel) model = plm_model_load (argv[1], &error);
  if (model == NULL)
    {
      fprintf (stderr, "%s\n", error->message);
      return 2;
    }
  PlmPrecision precision = PLM_PRECISION_FP32;
  if (argc > 5 && !plm_precision_parse (argv[5], &precision))
    {
      fprintf (stderr, "unknown precision %s\n", argv[5]);
      return 2;
    }
  /* "embeddings": logits and embeddings only, what PyTorch's plain forward returns */
  gboolean contacts = argc <= 6 || g_strcmp0 (argv[6], "contacts") == 0;
  if (argc > 6 && !contacts && g_strcmp0 (argv[6], "embeddings") != 0)
    {
      fprintf (stderr, "unknown output set %s (contacts or embeddings)\n", argv[6]);
      return 2;
    }
  precision = plm_model_set_precision (model, precision, PLM_ISA_AVX512);
  double load_s = plm_bench_now () - t0;
  g_autoptr(GPtrArray) recs = plm_fasta_read (argv[2], &error);
  if (recs == NULL)
    {
      fprintf (stderr, "%s\n", error->message);
      return 2;
    }
  PlmFastaRecord *r = recs->pdata[0];
  int T = 0;
  g_autofree int32_t *tokens = plm_tokenize (r->sequence, &T);
  g_autoptr(PlmEsmState) state = plm_esm_state_new (model);
  PlmForwardOptions opt = { .want_logits = TRUE, .want_embeddings = TRUE, .want_contacts = contacts };
  g_autofree double *times = g_new (double, repeats);
  double first_s = 0.0;

  /* one untimed forward first: it maps the weights in from the file (F32 weights are used in
   * place) and grows the heap, which a steady-state figure should not count; torch_infer.py
   * warms up the same way */
  for (int i = -1; i < repeats; i++)
    {
      PlmForwardOutput out;
      double t = plm_bench_now ();
      if (!plm_esm_forward (state, tokens, T, &opt, &out, &error))
        {
          fprintf (stderr, "%s\n", error->message);
          return 1;
        }
      if (i < 0)
        first_s = plm_bench_now () - t;
      else
        times[i] = plm_bench_now () - t;
      plm_forward_output_clear (&out);
    }
  double median = plm_bench_median (times, repeats);
  double flops = forward_flops (&model->config, T);
  double peak = sgemm_peak_gflops (2048);
  struct rusage ru;
  getrusage (RUSAGE_SELF, &ru);
  printf ("{\"model\": \"%s\", \"L\": %d, \"threads\": %d, \"blas_core\": \"%s\", \"load_s\": %.4f, "
          "\"first_forward_s\": %.4f, \"forward_median_s\": %.4f, \"forward_min_s\": %.4f, \"gflops\": %.2f, \"sgemm_peak_gflops\": %.2f, "
          "\"fraction_of_peak\": %.3f, \"peak_rss_mb\": %.1f, \"precision\": \"%s\", \"kernels\": \"%s\", \"contacts\": %s}\n",
          model->name, T - 2, plm_engine_get_threads (), plm_engine_blas_core (), load_s, first_s, median, times[0],
          flops / median / 1e9, peak, flops / median / 1e9 / peak, ru.ru_maxrss / 1024.0,
          plm_precision_name (precision), model->lowp != NULL ? plm_isa_name (plm_lowp_isa (model->lowp)) : "openblas",
          contacts ? "true" : "false");
  return 0;
}
