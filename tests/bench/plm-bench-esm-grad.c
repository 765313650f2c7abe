/* plm-bench-esm-grad.c: times training steps through the ESM-2 encoder (forward, then backward
 * with its recomputed forward, as the NM trainer runs them) for comparison with torch_esm_grad.py.
 * Not run in CI. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "plm-esm-train.h"
#include "plm-bench-util.h"
#include "plm-esm.h"
#include "plm-model.h"
#include "plm-runtime.h"
#include "plm-tokenizer.h"

int
main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  const char *model_path = NULL;
  int L = 100, repeats = 20, threads = 0;
  guint64 seed = 1;

  plm_runtime_setup (argv);
  for (int i = 1; i < argc; i++)
    {
      if (strcmp (argv[i], "--model") == 0 && i + 1 < argc)
        model_path = argv[++i];
      else if (strcmp (argv[i], "--length") == 0 && i + 1 < argc)
        L = atoi (argv[++i]);
      else if (strcmp (argv[i], "--repeat") == 0 && i + 1 < argc)
        repeats = atoi (argv[++i]);
      else if (strcmp (argv[i], "--threads") == 0 && i + 1 < argc)
        threads = atoi (argv[++i]);
      else
        {
          fprintf (stderr, "usage: %s [--model DIR] [--length 100] [--repeat 20] [--threads N]\n"
                   "Without --model: a random ESM-2 8M-shape encoder (6 layers, 320 wide, 20 heads, FFN 1280).\n",
                   argv[0]);
          return 2;
        }
    }
  if (L < 1 || repeats < 1)
    {
      fprintf (stderr, "--length and --repeat must be positive\n");
      return 2;
    }
  plm_engine_set_threads (threads);

  g_autoptr(PlmEsmTrainable) t = NULL;
  const char *name = "8M-shape-random";
  g_autoptr(PlmModel) model = NULL;
  if (model_path != NULL)
    {
      model = plm_model_load (model_path, &error);
      if (model == NULL || (t = plm_esm_trainable_new_from_model (model, &error)) == NULL)
        {
          fprintf (stderr, "%s\n", error->message);
          return 2;
        }
      name = model->name;
    }
  else
    {
      PlmEsmConfig c = { .n_layers = 6, .d_model = 320, .n_heads = 20, .d_head = 16, .d_ffn = 1280,
                         .vocab_size = PLM_VOCAB_SIZE, .max_positions = 1026, .layer_norm_eps = 1e-5f,
                         .token_dropout = TRUE, .mask_token_id = PLM_TOKEN_MASK,
                         .pad_token_id = PLM_TOKEN_PAD };
      t = plm_esm_trainable_new_random (&c, seed);
    }
  const PlmEsmConfig *c = plm_esm_trainable_get_config (t);
  int T = L + 2, d = c->d_model;

  /* the same residues as torch_esm_grad.py: a fixed LCG over the 20 amino acids */
  g_autofree char *seq = g_new0 (char, L + 1);
  guint64 s = 12345;
  for (int i = 0; i < L; i++)
    {
      s = s * 6364136223846793005ull + 1442695040888963407ull;
      seq[i] = "ACDEFGHIKLMNPQRSTVWY"[(s >> 33) % 20];
    }
  int n_tokens = 0;
  g_autofree int32_t *tokens = plm_tokenize (seq, &n_tokens);
  g_assert (n_tokens == T);
  g_autofree float *emb = g_new (float, (gsize) T * d);
  g_autofree float *d_emb = g_new (float, (gsize) T * d);
  for (gsize i = 0; i < (gsize) T * d; i++)
    d_emb[i] = (float) ((i * 2654435761u) % 1000) / 1000.0f - 0.5f;

  if (!plm_esm_trainable_reserve (t, T, &error))
    {
      fprintf (stderr, "%s\n", error->message);
      return 1;
    }
  g_autofree double *t_fwd = g_new (double, repeats);
  g_autofree double *t_bwd = g_new (double, repeats);
  g_autofree double *t_step = g_new (double, repeats);
  double total0 = plm_bench_now ();
  for (int r = -2; r < repeats; r++)   /* two warm-up steps */
    {
      double a = plm_bench_now ();
      if (!plm_esm_trainable_forward (t, tokens, T, emb, &error))
        break;
      double b = plm_bench_now ();
      if (!plm_esm_trainable_backward (t, tokens, T, d_emb, &error))
        break;
      double e = plm_bench_now ();
      if (r == -1)
        total0 = e;
      if (r >= 0)
        {
          t_fwd[r] = b - a;
          t_bwd[r] = e - b;
          t_step[r] = e - a;
        }
    }
  if (error != NULL)
    {
      fprintf (stderr, "%s\n", error->message);
      return 1;
    }
  double total = plm_bench_now () - total0;
  struct rusage ru;
  getrusage (RUSAGE_SELF, &ru);
  printf ("{\"impl\": \"plmlens\", \"model\": \"%s\", \"L\": %d, \"threads\": %d, \"blas_core\": \"%s\", "
          "\"repeats\": %d, \"forward_median_s\": %.5f, \"backward_median_s\": %.5f, \"step_median_s\": %.5f, "
          "\"samples_per_s\": %.3f, \"activation_mb\": %.1f, \"peak_rss_mb\": %.1f}\n",
          name, L, plm_engine_get_threads (), plm_engine_blas_core (), repeats, plm_bench_median (t_fwd, repeats),
          plm_bench_median (t_bwd, repeats), plm_bench_median (t_step, repeats), repeats / total,
          plm_esm_trainable_activation_bytes (c, T) / 1048576.0, ru.ru_maxrss / 1024.0);
  return 0;
}
