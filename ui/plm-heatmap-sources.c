/* plm-heatmap-sources.c: see plm-heatmap-sources.h. */
#include "plm-heatmap-sources.h"

#include <string.h>

typedef struct
{
  PlmInferenceResult *result;
  int                 layer;
  int                 head;
} Source;

static void
source_free (gpointer data)
{
  Source *s = data;

  plm_inference_result_unref (s->result);
  g_free (s);
}

static Source *
source_new (PlmInferenceResult *result, int layer, int head)
{
  Source *s = g_new0 (Source, 1);

  s->result = plm_inference_result_ref (result);
  s->layer = layer;
  s->head = head;
  return s;
}

gboolean
plm_heatmap_sources_is_large (int n)
{
  return n > plm_heatmap_display_cap ();
}

static void
fill_attention (gpointer data, int r0, int r1, int c0, int c1, float *out)
{
  Source *s = data;

  /* one value (the readout): the store keeps the one window's map it read last */
  if (r1 - r0 == 1 && c1 - c0 == 1)
    *out = plm_attention_store_get (s->result->attention, s->layer, s->head, r0, c0);
  else
    plm_attention_store_copy_region (s->result->attention, s->layer, s->head, r0, r1, c0, c1, out);
}

void
plm_heatmap_sources_set_attention (PlmHeatmapView *view, PlmInferenceResult *result, int layer, int head)
{
  int T = result->n_tokens;

  plm_heatmap_view_set_source (view, T, T, fill_attention, source_new (result, layer, head), source_free);
}

void
plm_heatmap_sources_attention_window (PlmInferenceResult *result, gboolean show_special, int window[4])
{
  int T = result->n_tokens, skip = show_special ? 0 : 1;

  window[0] = window[1] = skip;
  window[2] = window[3] = T - skip;
}

float *
plm_heatmap_sources_pool_attention (PlmInferenceResult *result, int layer, int head, const int window[4],
                                    int *out_rows, int *out_cols)
{
  Source s = { result, layer, head };

  return plm_heatmap_pool_source (fill_attention, &s, window, plm_heatmap_display_cap (), out_rows, out_cols);
}

void
plm_heatmap_sources_set_attention_pooled (PlmHeatmapView *view, PlmInferenceResult *result, int layer, int head,
                                          float *pooled, int pooled_rows, int pooled_cols, const int window[4])
{
  int T = result->n_tokens;

  plm_heatmap_view_set_source_pooled (view, T, T, fill_attention, source_new (result, layer, head), source_free,
                                      pooled, pooled_rows, pooled_cols, window);
}

typedef struct
{
  PlmInferenceResult    *result;
  int                    layer;
  int                    head;
  int                    window[4];
  float                 *pooled;
  int                    rows;
  int                    cols;
  PlmHeatmapSourcesReady ready;
  gpointer               user_data;
} PoolTask;

static void
pool_task_free (gpointer data)
{
  PoolTask *t = data;

  plm_inference_result_unref (t->result);
  g_free (t->pooled);
  g_free (t);
}

static void
pool_in_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  PoolTask *t = data;

  if (g_task_return_error_if_cancelled (task))
    return;
  t->pooled = plm_heatmap_sources_pool_attention (t->result, t->layer, t->head, t->window, &t->rows, &t->cols);
  g_task_return_boolean (task, TRUE);
}

static void
on_pooled (GObject *source, GAsyncResult *res, gpointer data)
{
  PoolTask *t = g_task_get_task_data (G_TASK (res));

  /* cancelled: a newer map was asked for, or the view went away */
  if (!g_task_propagate_boolean (G_TASK (res), NULL) || g_cancellable_is_cancelled (g_task_get_cancellable (G_TASK (res))))
    return;
  plm_heatmap_sources_set_attention_pooled (PLM_HEATMAP_VIEW (source), t->result, t->layer, t->head,
                                            g_steal_pointer (&t->pooled), t->rows, t->cols, t->window);
  if (t->ready)
    t->ready (t->user_data);
}

void
plm_heatmap_sources_set_attention_async (PlmHeatmapView *view, PlmInferenceResult *result, int layer, int head,
                                         GCancellable **pending, PlmHeatmapSourcesReady ready, gpointer user_data)
{
  g_autoptr(GTask) task = NULL;
  PoolTask *t = g_new0 (PoolTask, 1);

  if (*pending != NULL)
    g_cancellable_cancel (*pending);
  g_clear_object (pending);
  *pending = g_cancellable_new ();
  t->result = plm_inference_result_ref (result);
  t->layer = layer;
  t->head = head;
  t->ready = ready;
  t->user_data = user_data;
  plm_heatmap_sources_attention_window (result, plm_heatmap_view_get_show_special_tokens (view), t->window);
  task = g_task_new (view, *pending, on_pooled, NULL);
  g_task_set_source_tag (task, plm_heatmap_sources_set_attention_async);
  g_task_set_task_data (task, t, pool_task_free);
  g_task_run_in_thread (task, pool_in_thread);
}

static void
fill_contacts (gpointer data, int r0, int r1, int c0, int c1, float *out)
{
  Source *s = data;

  plm_inference_result_copy_contacts (s->result, r0, r1, c0, c1, out);
}

void
plm_heatmap_sources_set_contacts (PlmHeatmapView *view, PlmInferenceResult *result)
{
  int L = result->n_residues;

  plm_heatmap_view_set_source (view, L, L, fill_contacts, source_new (result, 0, 0), source_free);
}
