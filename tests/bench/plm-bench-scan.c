/* plm-bench-scan.c: times a masked-marginal variant scan (L forwards, batched) of one random
 * sequence, for run_scan_bench.py. --loop instead runs one plm_esm_forward per position (logits
 * only, no contacts): what the batched logits-at-one-row path adds on top of it. --precision runs
 * the weight products in bf16 or int8, as `plmlens-cli scan --precision` does.
 *   plm-bench-scan MODEL L [--threads N] [--batch B] [--loop] [--positions N] [--seed S]
 *                  [--precision fp32|bf16|int8] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plm-esm.h"
#include "plm-model.h"
#include "plm-runtime.h"
#include "plm-scan.h"
#include "plm-tokenizer.h"

static double
now (void)
{
  return g_get_monotonic_time () / 1e6;
}

/* The benchmark's sequence: L residues from the 20 amino acids, a fixed LCG (run_scan_bench.py
 * hands the same sequence to the PyTorch side through --print-sequence). */
static char *
random_sequence (int L, guint32 seed)
{
  char *s = g_new (char, L + 1);
  for (int i = 0; i < L; i++)
    {
      seed = seed * 1664525u + 1013904223u;
      s[i] = PLM_SCAN_AMINO_ACIDS[(seed >> 16) % 20];
    }
  s[L] = '\0';
  return s;
}

int
main (int argc, char **argv)
{
  int threads = 2, batch = 0, positions = 0, seed = 1;
  gboolean loop = FALSE, print_sequence = FALSE;
  PlmPrecision precision = PLM_PRECISION_FP32;

  plm_runtime_setup (argv);
  if (argc < 3)
    {
      fprintf (stderr, "usage: plm-bench-scan MODEL L [--threads N] [--batch B] [--loop] [--positions N] "
                       "[--seed S] [--precision P] [--print-sequence]\n");
      return 2;
    }
  int L = atoi (argv[2]);
  for (int i = 3; i < argc; i++)
    {
      if (strcmp (argv[i], "--threads") == 0 && i + 1 < argc)
        threads = atoi (argv[++i]);
      else if (strcmp (argv[i], "--batch") == 0 && i + 1 < argc)
        batch = atoi (argv[++i]);
      else if (strcmp (argv[i], "--positions") == 0 && i + 1 < argc)
        positions = atoi (argv[++i]);
      else if (strcmp (argv[i], "--seed") == 0 && i + 1 < argc)
        seed = atoi (argv[++i]);
      else if (strcmp (argv[i], "--precision") == 0 && i + 1 < argc)
        {
          if (!plm_precision_parse (argv[++i], &precision))
            {
              fprintf (stderr, "plm-bench-scan: unknown precision %s\n", argv[i]);
              return 2;
            }
        }
      else if (strcmp (argv[i], "--loop") == 0)
        loop = TRUE;
      else if (strcmp (argv[i], "--print-sequence") == 0)
        print_sequence = TRUE;
      else
        {
          fprintf (stderr, "plm-bench-scan: unknown argument %s\n", argv[i]);
          return 2;
        }
    }
  g_autofree char *seq = random_sequence (L, (guint32) seed);
  if (print_sequence)
    {
      printf ("%s\n", seq);
      return 0;
    }
  plm_engine_set_threads (threads);

  g_autoptr(GError) error = NULL;
  double t0 = now ();
  g_autoptr(PlmModel) model = plm_model_load (argv[1], &error);
  if (model == NULL)
    {
      fprintf (stderr, "%s\n", error->message);
      return 1;
    }
  precision = plm_model_set_precision (model, precision, PLM_ISA_AVX512);
  double load_s = now () - t0;
  int T = 0;
  g_autofree int32_t *tokens = plm_tokenize (seq, &T);
  int n = positions > 0 ? MIN (positions, L) : L;
  g_autoptr(PlmEsmState) state = plm_esm_state_new (model);
  int V = model->config.vocab_size;
  g_autofree float *lp = g_new (float, (gsize) L * V);
  /* n evenly spaced positions (all by default): every forward costs the same */
  g_autofree gboolean *skip = g_new (gboolean, L);
  int todo = 0;
  for (int i = 0; i < L; i++)
    {
      skip[i] = n < L && ((gint64) (i + 1) * n) / L == ((gint64) i * n) / L;
      todo += !skip[i];
    }

  t0 = now ();
  if (loop)
    {
      PlmForwardOptions opt = { .want_logits = TRUE };
      g_autofree int32_t *masked = g_memdup2 (tokens, sizeof (int32_t) * T);
      for (int i = 0; i < L; i++)
        {
          if (skip[i])
            continue;
          PlmForwardOutput out = { 0 };
          masked[i + 1] = PLM_TOKEN_MASK;
          if (!plm_esm_forward (state, masked, T, &opt, &out, &error))
            {
              fprintf (stderr, "%s\n", error->message);
              return 1;
            }
          plm_log_softmax (lp + (gsize) i * V, out.logits + (gsize) (i + 1) * V, V);
          masked[i + 1] = tokens[i + 1];
          plm_forward_output_clear (&out);
        }
    }
  else
    {
      PlmScanOptions o = { .batch = batch };
      if (!plm_scan_log_probs (state, tokens, T, PLM_SCAN_MASKED_MARGINAL, skip, &o, lp, &error))
        {
          fprintf (stderr, "%s\n", error->message);
          return 1;
        }
    }
  double scan_s = now () - t0;
  printf ("{\"impl\": \"plmlens%s\", \"model\": \"%s\", \"L\": %d, \"positions\": %d, \"threads\": %d, "
          "\"batch\": %d, \"blas_core\": \"%s\", \"precision\": \"%s\", \"kernels\": \"%s\", "
          "\"load_s\": %.4f, \"scan_s\": %.4f, \"per_position_s\": %.5f}\n",
          loop ? "-loop" : "", model->name, L, todo, plm_engine_get_threads (),
          loop ? 1 : (batch > 0 ? batch : plm_scan_default_batch (model, T)), plm_engine_blas_core (),
          plm_precision_name (precision),
          model->lowp != NULL ? plm_isa_name (plm_lowp_isa (model->lowp)) : "openblas", load_s, scan_s,
          scan_s / todo);
  return 0;
}
