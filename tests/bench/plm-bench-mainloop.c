/* plm-bench-mainloop.c: how long the main loop waits while the app's inference worker runs.
 *
 * A 1 ms timeout source on the main thread records the gaps between its dispatches while
 * PlmInferenceWorker runs one forward pass (through the engine lease, as in the app). Prints one
 * JSON line: the median and longest gap and the forward's wall time. Run by
 * bench-mainloop.sh, which compares the GUI's process set-up before and after it called
 * plm_runtime_setup (passive OpenMP waits, AVX-512 kernels where the CPU has them).
 *   plm-bench-mainloop MODEL LENGTH SETUP [THREADS]
 * SETUP "runtime" calls plm_runtime_setup (), "none" does not; THREADS as the Preferences'
 * setting (0, the default: every core but one). */
#include <stdio.h>
#include <stdlib.h>

#include "plm-esm.h"
#include "plm-inference-worker.h"
#include "plm-runtime.h"

typedef struct {
  GArray   *gaps;       /* ms */
  gint64    last;
  gboolean  done;
  GError   *error;
  PlmInferenceResult *result;
} Probe;

static gboolean
on_tick (gpointer data)
{
  Probe *p = data;
  gint64 now = g_get_monotonic_time ();
  double gap = (now - p->last) / 1000.0;

  g_array_append_val (p->gaps, gap);
  p->last = now;
  return p->done ? G_SOURCE_REMOVE : G_SOURCE_CONTINUE;
}

static void
on_loaded (GObject *object, GAsyncResult *result, gpointer data)
{
  Probe *p = data;

  /* a failure leaves p->error set, which main () reports */
  plm_inference_worker_load_model_finish (PLM_INFERENCE_WORKER (object), result, &p->error);
  p->done = TRUE;
}

static void
on_run (GObject *object, GAsyncResult *result, gpointer data)
{
  Probe *p = data;

  p->result = plm_inference_worker_run_finish (PLM_INFERENCE_WORKER (object), result, &p->error);
  p->done = TRUE;
}

static int
compare_double (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y;
}

int
main (int argc, char **argv)
{
  if (argc > 3 && g_str_equal (argv[3], "runtime"))
    plm_runtime_setup (argv);
  if (argc < 4)
    {
      fprintf (stderr, "usage: %s MODEL LENGTH none|runtime [THREADS]\n", argv[0]);
      return 2;
    }
  static const char aa[] = "ACDEFGHIKLMNPQRSTVWY";
  int length = atoi (argv[2]);
  g_autofree char *seq = g_new (char, length + 1);
  guint32 x = 1;
  for (int i = 0; i < length; i++)
    {
      x = x * 1664525u + 1013904223u;
      seq[i] = aa[(x >> 16) % 20];
    }
  seq[length] = '\0';

  g_autoptr(PlmInferenceWorker) worker = plm_inference_worker_new ();
  plm_inference_worker_set_threads (worker, argc > 4 ? atoi (argv[4]) : 0);
  Probe p = { .gaps = g_array_new (FALSE, FALSE, sizeof (double)) };
  plm_inference_worker_load_model_async (worker, argv[1], NULL, on_loaded, &p);
  while (!p.done)
    g_main_context_iteration (NULL, TRUE);
  if (p.error != NULL)
    {
      fprintf (stderr, "%s\n", p.error->message);
      return 2;
    }

  p.done = FALSE;
  p.last = g_get_monotonic_time ();
  gint64 t0 = p.last;
  g_timeout_add (1, on_tick, &p);
  plm_inference_worker_run_async (worker, seq, NULL, NULL, NULL, on_run, &p);
  while (!p.done)
    g_main_context_iteration (NULL, TRUE);
  double wall = (g_get_monotonic_time () - t0) / 1e6;
  if (p.result == NULL)
    {
      fprintf (stderr, "%s\n", p.error->message);
      return 1;
    }
  g_array_sort (p.gaps, compare_double);
  double median = p.gaps->len ? g_array_index (p.gaps, double, p.gaps->len / 2) : 0;
  double worst = p.gaps->len ? g_array_index (p.gaps, double, p.gaps->len - 1) : 0;
  printf ("{\"L\": %d, \"setup\": \"%s\", \"omp_wait_policy\": \"%s\", \"blas_core\": \"%s\", "
          "\"engine_threads\": %d, \"ticks\": %u, \"gap_median_ms\": %.2f, \"gap_max_ms\": %.2f, "
          "\"run_s\": %.3f}\n",
          length, argv[3], g_getenv ("OMP_WAIT_POLICY") ? g_getenv ("OMP_WAIT_POLICY") : "(unset)",
          plm_engine_blas_core (), plm_engine_get_threads (), p.gaps->len, median, worst, wall);
  plm_inference_result_unref (p.result);
  g_array_unref (p.gaps);
  return 0;
}
