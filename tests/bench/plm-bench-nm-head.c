/* plm-bench-nm-head.c: training throughput of the NM head on synthetic frozen embeddings (the
 * frozen path's hot loop), for comparison with nm_head_torch_bench.py on the same shapes.
 *
 *   plm-bench-nm-head [--d 320] [--batch 50] [--negatives 2] [--min-len 100] [--max-len 300]
 *                     [--batches 10] [--threads 2] [--objective nm|ce|mlp] [--seed 1]
 * Prints samples/s (anchors per second, each with its negatives) over the timed batches. */
#include <glib.h>
#include <stdio.h>
#include <string.h>

#include "plm-adam.h"
#include "plm-esm.h"
#include "plm-nm-head.h"
#include "plm-rng.h"
#include "plm-runtime.h"

int
main (int argc, char **argv)
{
  plm_runtime_setup (argv);
  int D = 320, B = 50, N = 2, min_len = 100, max_len = 300, batches = 10, threads = 2;
  gint64 seed = 1;
  g_autofree char *objective = NULL;
  GOptionEntry entries[] = {
    { "d", 0, 0, G_OPTION_ARG_INT, &D, "Embedding width", "D" },
    { "batch", 0, 0, G_OPTION_ARG_INT, &B, "Anchors per batch", "B" },
    { "negatives", 0, 0, G_OPTION_ARG_INT, &N, "Negatives per anchor", "N" },
    { "min-len", 0, 0, G_OPTION_ARG_INT, &min_len, "Shortest sequence (tokens)", "T" },
    { "max-len", 0, 0, G_OPTION_ARG_INT, &max_len, "Longest sequence (tokens)", "T" },
    { "batches", 0, 0, G_OPTION_ARG_INT, &batches, "Timed batches", "K" },
    { "threads", 0, 0, G_OPTION_ARG_INT, &threads, "BLAS threads", "N" },
    { "objective", 0, 0, G_OPTION_ARG_STRING, &objective, "nm (default), ce or mlp", "OBJ" },
    { "seed", 0, 0, G_OPTION_ARG_INT64, &seed, "Seed of lengths and embeddings", "S" },
    { NULL }
  };
  g_autoptr(GOptionContext) ctx = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!g_option_context_parse (ctx, &argc, &argv, &error) || D < 1 || B < 1 || N < 0 || min_len < 3
      || max_len < min_len || batches < 1)
    {
      fprintf (stderr, "plm-bench-nm-head: %s\n", error != NULL ? error->message : "bad arguments");
      return 2;
    }
  gboolean mlp = objective != NULL && strcmp (objective, "mlp") == 0;
  gboolean nm = objective == NULL || strcmp (objective, "nm") == 0;
  plm_engine_set_threads (threads);

  /* a pool of sequences with seeded lengths and N(0,1)-ish embeddings, as after a LayerNorm */
  PlmRng rng;
  plm_rng_seed (&rng, seed);
  int pool = 4 * B;
  g_autofree int *len = g_new (int, pool);
  g_autofree float **emb = g_new (float *, pool);
  for (int i = 0; i < pool; i++)
    {
      len[i] = min_len + (int) plm_rng_below (&rng, max_len - min_len + 1);
      emb[i] = g_new (float, (gsize) len[i] * D);
      for (gsize k = 0; k < (gsize) len[i] * D; k++)
        emb[i][k] = 2.0f * (plm_rng_float (&rng) + plm_rng_float (&rng) + plm_rng_float (&rng)) - 3.0f;
    }

  PlmNmHeadConfig hc = { .kind = mlp ? PLM_NM_HEAD_MLP : PLM_NM_HEAD_ATTENTION, .d_model = D,
                         .d_hidden = 128, .n_classes = 2, .n_heads = 1 };
  g_autoptr(PlmNmHead) head = plm_nm_head_new (&hc);
  plm_nm_head_init (head, 42);
  plm_nm_head_reserve (head, max_len, N);
  gsize n_params;
  float *params = plm_nm_head_param_data (head, &n_params);
  g_autoptr(PlmAdam) adam = plm_adam_new (1e-4f, 0.9f, 0.999f, 1e-8f);
  plm_adam_add_group (adam, params, plm_nm_head_grad_data (head, &n_params), n_params, 1.0f, 1e-5f);

  /* the trainer's frozen path: one head per extra thread, groups data-parallel */
  int n_workers = threads > 1 ? threads - 1 : 0;
  g_autofree PlmNmHead **workers = g_new0 (PlmNmHead *, MAX (n_workers, 1));
  for (int w = 0; w < n_workers; w++)
    {
      workers[w] = plm_nm_head_new (&hc);
      plm_nm_head_reserve (workers[w], max_len, N);
    }
  N = MIN (N, 64);
  g_autofree PlmNmGroup *groups = g_new0 (PlmNmGroup, B);
  g_autofree const PlmNmGroup **gp = g_new0 (const PlmNmGroup *, B);
  g_autofree const float **negs = g_new0 (const float *, (gsize) B * N);
  g_autofree int *neg_lens = g_new0 (int, (gsize) B * N);
  double total_loss = 0;
  gint64 t0 = 0;
  for (int b = -1; b < batches; b++)   /* batch −1 warms up */
    {
      if (b == 0)
        t0 = g_get_monotonic_time ();
      PlmNmLossParts parts = { 0 };
      plm_nm_head_zero_grad (head);
      for (int k = 0; k < B; k++)
        {
          int a = (int) plm_rng_below (&rng, pool);
          const float **neg = negs + (gsize) k * N;
          int *neg_len = neg_lens + (gsize) k * N;
          for (int n = 0; n < N; n++)
            {
              int j = (int) plm_rng_below (&rng, pool);
              neg[n] = emb[j];
              neg_len[n] = len[j];
            }
          groups[k] = (PlmNmGroup) { .a = emb[a], .len_a = len[a], .label = a % 2, .n_neg = nm ? N : 0,
                                     .neg = neg, .len_neg = neg_len };
          gp[k] = &groups[k];
        }
      plm_nm_head_batch (head, workers, n_workers, gp, B, 1.0f / B, nm ? 0.1f / (B * N) : 0.0f, &parts);
      plm_adam_step (adam);
      total_loss += parts.ce;
    }
  double s = (g_get_monotonic_time () - t0) / 1e6;
  for (int w = 0; w < n_workers; w++)
    plm_nm_head_free (workers[w]);
  printf ("{\"impl\": \"c\", \"objective\": \"%s\", \"d\": %d, \"batch\": %d, \"negatives\": %d, "
          "\"threads\": %d, \"seconds\": %.4f, \"samples_per_second\": %.2f, \"blas\": \"%s\"}\n",
          objective != NULL ? objective : "nm", D, B, N, threads, s, batches * B / s,
          plm_engine_blas_core ());
  for (int i = 0; i < pool; i++)
    g_free (emb[i]);
  return total_loss > 0 ? 0 : 1;
}
