/* test-inference-worker.c: background inference against the PyTorch reference; cache; cancel. */
#include <math.h>
#include <string.h>

#include "plm-compute.h"
#include "plm-error.h"
#include "plm-inference-worker.h"
#include "plm-npy.h"

static const char *test_data;

typedef struct
{
  gboolean            done;
  PlmInferenceResult *result;
  GError             *error;
  int                 progress_calls;
  int                 last_done;
  int                 last_total;
  GCancellable       *cancel_at_progress;
} Wait;

static void
on_loaded (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Wait *w = user_data;

  g_assert_true (plm_inference_worker_load_model_finish (PLM_INFERENCE_WORKER (object), result, &w->error));
  w->done = TRUE;
}

static void
on_run (GObject      *object,
        GAsyncResult *result,
        gpointer      user_data)
{
  Wait *w = user_data;

  w->result = plm_inference_worker_run_finish (PLM_INFERENCE_WORKER (object), result, &w->error);
  w->done = TRUE;
}

static void
on_progress (int      done,
             int      total,
             gpointer data)
{
  Wait *w = data;

  g_assert_true (done >= 1 && done <= total);
  g_assert_true (done > w->last_done || total != w->last_total);
  w->progress_calls++;
  w->last_done = done;
  w->last_total = total;
  if (w->cancel_at_progress)
    g_cancellable_cancel (w->cancel_at_progress);
}

static void
wait_for (Wait *w)
{
  while (!w->done)
    g_main_context_iteration (NULL, TRUE);
}

static PlmInferenceWorker *
load (const char *model)
{
  PlmInferenceWorker *worker = plm_inference_worker_new ();
  g_autofree char *path = g_build_filename (test_data, "models", model, NULL);
  Wait w = { 0 };

  plm_inference_worker_load_model_async (worker, path, NULL, on_loaded, &w);
  wait_for (&w);
  g_assert_no_error (w.error);
  return worker;
}

static PlmInferenceResult *
run (PlmInferenceWorker *worker,
     const char         *residues,
     Wait               *w)
{
  plm_inference_worker_run_async (worker, residues, on_progress, w, w->cancel_at_progress, on_run, w);
  wait_for (w);
  return w->result;
}

static double
compare (const char  *dir,
         const char  *name,
         const float *got,
         guint64      n)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;
  PlmNpyArray ref = { 0 };
  double worst = 0, scale = 1;

  g_assert_true (plm_npy_read (path, &ref, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (ref.n_elements, ==, n);
  for (guint64 i = 0; i < n; i++)
    scale = MAX (scale, fabs (((float *) ref.data)[i]));
  for (guint64 i = 0; i < n; i++)
    worst = MAX (worst, fabs (got[i] - ((float *) ref.data)[i]) / scale);
  plm_npy_array_clear (&ref);
  return worst;
}

/* Every record of ref-seqs.fasta: logits, embeddings, contacts to 1e-4 (the engine's
 * contract) and attentions to 1e-4 beyond fp16 rounding. */
static void
test_matches_reference (void)
{
  static const struct { const char *id; const char *seq; } records[] = {
    { "short", "MKTAYIAKQRQISFV" },
    { "masked", "MKTAYIAKQR<mask>ISFVKSHFSRQL<mask>EERLGLIEVQ" },
  };
  g_autoptr(PlmInferenceWorker) worker = load ("tiny-f32");

  for (guint i = 0; i < G_N_ELEMENTS (records); i++)
    {
      g_autofree char *dir = g_build_filename (test_data, "ref", "tiny-f32", records[i].id, NULL);
      g_autofree char *att_path = g_build_filename (dir, "attentions.npy", NULL);
      g_autoptr(PlmInferenceResult) r = NULL;
      PlmNpyArray att = { 0 };
      double e_logits, e_emb, e_con, e_att = 0;
      Wait w = { 0 };

      r = run (worker, records[i].seq, &w);
      g_assert_no_error (w.error);
      g_assert_cmpint (w.progress_calls, >=, 1);
      g_assert_cmpint (w.last_done, ==, r->n_layers);
      e_logits = compare (dir, "logits.npy", r->logits, (guint64) r->n_tokens * r->vocab_size);
      e_emb = compare (dir, "last_hidden.npy", r->embeddings, (guint64) r->n_tokens * r->d_model);
      e_con = compare (dir, "contacts.npy", r->contacts, (guint64) r->n_residues * r->n_residues);
      g_assert_true (plm_npy_read (att_path, &att, NULL));
      for (guint64 k = 0; k < att.n_elements; k++)
        {
          int j = k % r->n_tokens, q = (k / r->n_tokens) % r->n_tokens;
          int h = (k / ((guint64) r->n_tokens * r->n_tokens)) % r->n_heads;
          int l = k / ((guint64) r->n_tokens * r->n_tokens * r->n_heads);
          float want = ((float *) att.data)[k];
          e_att = MAX (e_att, fabs (plm_attention_store_get (r->attention, l, h, q, j) - want) - ldexp (want, -11));
        }
      plm_npy_array_clear (&att);
      g_test_message ("%s: logits %.1e, embeddings %.1e, contacts %.1e, attention %.1e",
                      records[i].id, e_logits, e_emb, e_con, e_att);
      /* wild-type-marginal log-probabilities, against esm2_reference.scan_log_probs */
      if (strcmp (records[i].id, "short") == 0)
        {
          double e_wt = compare (dir, "scan-wt.npy", r->wt_log_probs, (guint64) r->n_residues * r->vocab_size);
          g_test_message ("short: wt-marginal log-probabilities %.1e", e_wt);
          g_assert_cmpfloat (e_wt, <=, 1e-4);
        }
      g_assert_cmpfloat (e_logits, <=, 1e-4);
      g_assert_cmpfloat (e_emb, <=, 1e-4);
      g_assert_cmpfloat (e_con, <=, 1e-4);
      g_assert_cmpfloat (e_att, <=, 1e-4);
    }
}

static void
test_cache (void)
{
  g_autoptr(PlmInferenceWorker) worker = load ("tiny-f32");
  g_autoptr(PlmInferenceResult) a = NULL;
  g_autoptr(PlmInferenceResult) b = NULL;
  g_autoptr(PlmInferenceResult) c = NULL;
  g_autoptr(PlmInferenceResult) again = NULL;
  Wait w1 = { 0 }, w2 = { 0 }, w3 = { 0 }, w4 = { 0 };

  a = plm_inference_result_ref (run (worker, "MKTAYIAKQR", &w1));
  g_assert_null (plm_inference_worker_lookup (worker, "MKTAYIAKQRQ"));
  b = plm_inference_result_ref (run (worker, "MKTAYIAKQRQ", &w2));
  /* Cached: the same object, no thread, no progress. */
  again = plm_inference_result_ref (run (worker, "MKTAYIAKQR", &w3));
  g_assert_true (again == a);
  g_assert_cmpint (w3.progress_calls, ==, 0);

  /* A limit below one result keeps only the newest. */
  plm_inference_worker_set_cache_limit (worker, 1);
  c = plm_inference_result_ref (run (worker, "MKTAYIAKQRQIS", &w4));
  g_assert_null (plm_inference_worker_lookup (worker, "MKTAYIAKQR"));
  g_assert_null (plm_inference_worker_lookup (worker, "MKTAYIAKQRQ"));
  {
    g_autoptr(PlmInferenceResult) hit = plm_inference_worker_lookup (worker, "MKTAYIAKQRQIS");
    g_assert_true (hit == c);
  }
  g_clear_pointer (&w1.result, plm_inference_result_unref);
  g_clear_pointer (&w2.result, plm_inference_result_unref);
  g_clear_pointer (&w3.result, plm_inference_result_unref);
  g_clear_pointer (&w4.result, plm_inference_result_unref);
}

/* The precision applies to the next model loaded, and its results are not served from the cache
 * of the same checkpoint in fp32. */
static void
test_precision (void)
{
  g_autoptr(PlmInferenceWorker) worker = load ("tiny-f32");
  g_autofree char *path = g_build_filename (test_data, "models", "tiny-f32", NULL);
  Wait w1 = { 0 }, w2 = { 0 }, wl = { 0 };

  g_assert_nonnull (run (worker, "MKTAYIAKQR", &w1));
  plm_inference_worker_set_precision (worker, PLM_PRECISION_INT8);
  g_assert_cmpint (plm_lowp_precision (plm_inference_worker_get_model (worker)->lowp), ==, PLM_PRECISION_FP32);
  plm_inference_worker_load_model_async (worker, path, NULL, on_loaded, &wl);
  wait_for (&wl);
  g_assert_no_error (wl.error);
  g_assert_cmpint (plm_lowp_precision (plm_inference_worker_get_model (worker)->lowp), ==, PLM_PRECISION_INT8);
  g_assert_null (plm_inference_worker_lookup (worker, "MKTAYIAKQR"));
  g_assert_nonnull (run (worker, "MKTAYIAKQR", &w2));
  g_assert_cmpint (w2.progress_calls, >, 0);
  g_clear_pointer (&w1.result, plm_inference_result_unref);
  g_clear_pointer (&w2.result, plm_inference_result_unref);
}

static void
test_cancel (void)
{
  g_autoptr(PlmInferenceWorker) worker = load ("tiny-f32");
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  Wait w = { 0 };

  w.cancel_at_progress = cancellable;
  g_assert_null (run (worker, "MKTAYIAKQRQISFVKSHFSRQLEERLGLIEVQ", &w));
  g_assert_true (g_error_matches (w.error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
                 g_error_matches (w.error, PLM_ERROR, PLM_ERROR_CANCELLED));
  g_clear_error (&w.error);
  g_assert_null (plm_inference_worker_lookup (worker, "MKTAYIAKQRQISFVKSHFSRQLEERLGLIEVQ"));
  g_assert_false (plm_inference_worker_get_busy (worker));
}

/* Windowed runs: tiny-esm1b (126 residues at most) runs 300 residues in 3 windows, progress
 * counting the layers of every window; on tiny-f32 (1,024) the same residues are one window, equal
 * to the whole-length run, cached beside it. Cancelling stops a windowed run. */
static void
test_windowed (void)
{
  static const char aa[] = "ACDEFGHIKLMNPQRSTVWY";
  char residues[301];
  guint32 x = 7;

  for (int i = 0; i < 300; i++)
    x = x * 1664525u + 1013904223u, residues[i] = aa[(x >> 16) % 20];
  residues[300] = 0;
  {
    g_autoptr(PlmInferenceWorker) worker = load ("tiny-esm1b");
    Wait w = { 0 };

    plm_inference_worker_run_windowed_async (worker, residues, on_progress, &w, NULL, on_run, &w);
    wait_for (&w);
    g_assert_no_error (w.error);
    g_assert_true (plm_inference_result_is_windowed (w.result));
    g_assert_cmpint (plm_inference_result_get_plan (w.result)->n_windows, ==, 3);
    g_assert_cmpint (w.last_total, ==, 3 * w.result->n_layers);
    g_assert_cmpint (w.progress_calls, >=, 1);
    g_assert_nonnull (w.result->ha_profiles);
    g_assert_nonnull (w.result->thumbnails);
    g_clear_pointer (&w.result, plm_inference_result_unref);

    g_autoptr(GCancellable) cancellable = g_cancellable_new ();
    Wait c = { 0 };
    c.cancel_at_progress = cancellable;
    plm_inference_worker_run_windowed_async (worker, residues + 1, on_progress, &c, cancellable, on_run, &c);
    wait_for (&c);
    g_assert_null (c.result);
    g_assert_true (g_error_matches (c.error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
                   g_error_matches (c.error, PLM_ERROR, PLM_ERROR_CANCELLED));
    g_clear_error (&c.error);
  }
  {
    g_autoptr(PlmInferenceWorker) worker = load ("tiny-f32");
    Wait ww = { 0 }, wh = { 0 };

    plm_inference_worker_run_windowed_async (worker, residues, NULL, NULL, NULL, on_run, &ww);
    wait_for (&ww);
    g_assert_no_error (ww.error);
    g_assert_cmpint (plm_inference_result_get_plan (ww.result)->n_windows, ==, 1);
    run (worker, residues, &wh);
    g_assert_no_error (wh.error);
    g_assert_false (plm_inference_result_is_windowed (wh.result));
    g_assert_true (wh.result != ww.result);
    for (gsize i = 0; i < (gsize) wh.result->n_tokens * wh.result->vocab_size; i++)
      g_assert_cmpfloat (ww.result->logits[i], ==, wh.result->logits[i]);
    for (int q = 0; q < wh.result->n_tokens; q += 7)
      for (int k = 0; k < wh.result->n_tokens; k += 5)
        g_assert_cmpfloat (plm_attention_store_get (ww.result->attention, 1, -1, q, k), ==,
                           plm_attention_store_get (wh.result->attention, 1, -1, q, k));
    {
      g_autoptr(PlmInferenceResult) hit = plm_inference_worker_lookup (worker, residues);
      g_assert_true (hit == wh.result);   /* the whole-length result first */
    }
    g_clear_pointer (&ww.result, plm_inference_result_unref);
    g_clear_pointer (&wh.result, plm_inference_result_unref);
  }
}

static gboolean
stop_spinning (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

/* While someone else holds the engine a run waits, shows no progress and allocates nothing; one
 * cancelled while it waits ends without ever running. */
static void
test_waits_for_engine (void)
{
  g_autoptr(PlmInferenceWorker) worker = load ("tiny-f32");
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  PlmComputeLease *held = plm_compute_acquire (1, NULL, NULL);
  gboolean spun = FALSE;
  Wait w = { 0 };

  plm_inference_worker_run_async (worker, "MKTAYIAKQRQISF", on_progress, &w, cancellable, on_run, &w);
  g_timeout_add (100, stop_spinning, &spun);
  while (!spun)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (w.done);
  g_assert_cmpint (w.progress_calls, ==, 0);
  g_assert_cmpuint (plm_compute_n_waiting (), ==, 1);
  g_cancellable_cancel (cancellable);
  wait_for (&w);
  g_assert_error (w.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&w.error);
  g_assert_cmpint (w.progress_calls, ==, 0);
  g_assert_cmpuint (plm_compute_n_waiting (), ==, 0);
  plm_compute_release (held);

  /* and once the engine is free, the same request runs to the end */
  {
    Wait w2 = { 0 };
    PlmInferenceResult *r = run (worker, "MKTAYIAKQRQISF", &w2);   /* owned by w2 */
    g_assert_nonnull (r);
    g_assert_cmpint (w2.last_done, ==, r->n_layers);
    g_clear_pointer (&w2.result, plm_inference_result_unref);
  }
}

static void
test_no_model (void)
{
  g_autoptr(PlmInferenceWorker) worker = plm_inference_worker_new ();
  Wait w = { 0 };

  g_assert_null (run (worker, "MKT", &w));
  g_assert_error (w.error, PLM_ERROR, PLM_ERROR_INPUT);
  g_clear_error (&w.error);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  test_data = g_getenv ("PLM_TEST_DATA");
  g_assert_nonnull (test_data);
  g_test_add_func ("/inference-worker/matches-reference", test_matches_reference);
  g_test_add_func ("/inference-worker/cache", test_cache);
  g_test_add_func ("/inference-worker/precision", test_precision);
  g_test_add_func ("/inference-worker/cancel", test_cancel);
  g_test_add_func ("/inference-worker/windowed", test_windowed);
  g_test_add_func ("/inference-worker/no-model", test_no_model);
  g_test_add_func ("/inference-worker/waits-for-engine", test_waits_for_engine);
  return g_test_run ();
}
