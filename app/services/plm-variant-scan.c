/* plm-variant-scan.c: masked-marginal scans for the Mutations view, run like inference: a thread
 * of its own at lowered priority, the engine lease, progress through the hand-off. A windowed
 * result is scanned by the windowed rule, in the same windows (plm-scan-windowed.h). */
#include "plm-variant-scan.h"

#include <glib/gi18n.h>

#include "plm-compute.h"
#include "plm-error.h"
#include "plm-esm.h"
#include "plm-handoff.h"
#include "plm-scan-windowed.h"
#include "plm-scan.h"
#include "plm-tokenizer.h"

/* Scans kept per worker; a scan is L × vocab floats (132 KB for 1,000 residues). */
#define MAX_CACHED 64

typedef struct
{
  PlmModelRef        *model;
  char               *residues;
  int                 n_threads;
  int                 window_size;   /* 0: the whole sequence; else the result's windows */
  int                 window_overlap;
  char               *key;
  PlmHandoffProgress  progress;
  PlmInferenceProgressFunc progress_func;
  gpointer            progress_data;
} ScanData;

static void
scan_data_free (gpointer data)
{
  ScanData *sd = data;

  g_clear_pointer (&sd->model, plm_model_ref_unref);
  g_free (sd->residues);
  g_free (sd->key);
  plm_handoff_progress_clear (&sd->progress);
  g_free (sd);
}

static GHashTable *
get_cache (PlmInferenceWorker *worker)
{
  GHashTable *cache = g_object_get_data (G_OBJECT (worker), "plm-variant-scans");

  if (cache == NULL)
    {
      cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_bytes_unref);
      g_object_set_data_full (G_OBJECT (worker), "plm-variant-scans", cache, (GDestroyNotify) g_hash_table_unref);
    }
  return cache;
}

/* A windowed result's scan is by the windowed rule, so its windows are part of the key. */
static char *
scan_key (PlmInferenceResult *result)
{
  const PlmWindowPlan *plan = plm_inference_result_get_plan (result);

  if (plan != NULL)
    return g_strdup_printf ("%s\n%s\n%d/%d", result->model_path, result->sequence, plan->size, plan->overlap);
  return g_strconcat (result->model_path, "\n", result->sequence, NULL);
}

GBytes *
plm_variant_scan_lookup (PlmInferenceWorker *worker,
                         PlmInferenceResult *result)
{
  g_autofree char *key = NULL;
  GBytes *bytes;

  g_return_val_if_fail (PLM_IS_INFERENCE_WORKER (worker), NULL);
  g_return_val_if_fail (result != NULL, NULL);
  key = scan_key (result);
  bytes = g_hash_table_lookup (get_cache (worker), key);
  return bytes != NULL ? g_bytes_ref (bytes) : NULL;
}

static void
emit_progress (gint64 done, gint64 total, gpointer data)
{
  ScanData *sd = data;
  sd->progress_func ((int) done, (int) total, sd->progress_data);
}

static void
on_progress (int done, int total, gpointer data)
{
  GTask *task = data;
  ScanData *sd = g_task_get_task_data (task);

  plm_handoff_progress_post (&sd->progress, done, total);
}

static gpointer
scan_thread (gpointer data)
{
  g_autoptr(GTask) task = data;
  ScanData *sd = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  const PlmModel *model = plm_model_ref_get (sd->model);
  g_autoptr(PlmComputeLease) lease = NULL;
  g_autoptr(PlmEsmState) state = NULL;
  g_autofree int32_t *tokens = NULL;
  g_autofree float *log_probs = NULL;
  GError *error = NULL;
  PlmScanOptions options = { 0 };
  int T = 0, V = model->config.vocab_size;

  plm_compute_thread_init ();
  lease = plm_compute_acquire (sd->n_threads, cancellable, &error);
  if (lease == NULL || g_cancellable_set_error_if_cancelled (cancellable, &error))
    {
      g_task_return_error (task, error);
      return NULL;
    }
  tokens = plm_tokenize (sd->residues, &T);
  log_probs = g_new (float, (gsize) (T - 2) * V);
  options.progress_func = on_progress;
  options.progress_data = task;
  options.cancellable = cancellable;
  state = plm_esm_state_new (model);
  if (!(sd->window_size > 0
          ? plm_scan_log_probs_windowed (state, tokens, T, PLM_SCAN_MASKED_MARGINAL, NULL, &options,
                                         sd->window_size, sd->window_overlap, log_probs, &error)
          : plm_scan_log_probs (state, tokens, T, PLM_SCAN_MASKED_MARGINAL, NULL, &options, log_probs, &error)))
    {
      /* the engine's PLM_ERROR_CANCELLED becomes G_IO_ERROR_CANCELLED (check-cancellable) */
      g_task_return_error (task, error);
      return NULL;
    }
  g_task_return_pointer (task, g_bytes_new_take (g_steal_pointer (&log_probs), sizeof (float) * (gsize) (T - 2) * V),
                         (GDestroyNotify) g_bytes_unref);
  return NULL;
}

void
plm_variant_scan_async (PlmInferenceWorker       *worker,
                        PlmInferenceResult       *result,
                        PlmInferenceProgressFunc  progress_func,
                        gpointer                  progress_data,
                        GCancellable             *cancellable,
                        GAsyncReadyCallback       callback,
                        gpointer                  user_data)
{
  g_autoptr(GTask) task = NULL;
  GBytes *cached;
  ScanData *sd;

  g_return_if_fail (PLM_IS_INFERENCE_WORKER (worker));
  g_return_if_fail (result != NULL);

  task = g_task_new (worker, cancellable, callback, user_data);
  g_task_set_source_tag (task, plm_variant_scan_async);
  g_task_set_check_cancellable (task, TRUE);
  if ((cached = plm_variant_scan_lookup (worker, result)) != NULL)
    {
      g_task_return_pointer (task, cached, (GDestroyNotify) g_bytes_unref);
      return;
    }
  if (g_strcmp0 (plm_inference_worker_get_model_path (worker), result->model_path) != 0)
    {
      g_task_return_new_error (task, PLM_ERROR, PLM_ERROR_INPUT,
                               _("The model of this result is no longer loaded: run the sequence again"));
      return;
    }
  sd = g_new0 (ScanData, 1);
  sd->model = plm_inference_worker_ref_model (worker, &sd->n_threads);
  sd->residues = g_strdup (result->sequence);
  if (plm_inference_result_get_plan (result) != NULL)
    {
      sd->window_size = plm_inference_result_get_plan (result)->size;
      sd->window_overlap = plm_inference_result_get_plan (result)->overlap;
    }
  sd->key = scan_key (result);
  sd->progress_func = progress_func;
  sd->progress_data = progress_data;
  plm_handoff_progress_init (&sd->progress, task, progress_func != NULL ? emit_progress : NULL, sd);
  g_task_set_task_data (task, sd, scan_data_free);
  g_thread_unref (g_thread_new ("plm-variant-scan", scan_thread, g_object_ref (task)));
}

GBytes *
plm_variant_scan_finish (PlmInferenceWorker  *worker,
                         GAsyncResult        *result,
                         GError             **error)
{
  ScanData *sd;
  GBytes *bytes;

  g_return_val_if_fail (g_task_is_valid (result, worker), NULL);
  sd = g_task_get_task_data (G_TASK (result));
  bytes = g_task_propagate_pointer (G_TASK (result), error);
  if (bytes != NULL && sd != NULL)
    {
      GHashTable *cache = get_cache (worker);

      if (g_hash_table_size (cache) >= MAX_CACHED)
        g_hash_table_remove_all (cache);
      g_hash_table_replace (cache, g_strdup (sd->key), g_bytes_ref (bytes));
    }
  return bytes;
}
