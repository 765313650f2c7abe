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
  return n > PLM_HEATMAP_DISPLAY_CAP;
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

static void
fill_contacts (gpointer data, int r0, int r1, int c0, int c1, float *out)
{
  Source *s = data;
  int L = s->result->n_residues;

  for (int r = r0; r < r1; r++)
    memcpy (out + (gsize) (r - r0) * (c1 - c0), s->result->contacts + (gsize) r * L + c0,
            sizeof (float) * (c1 - c0));
}

void
plm_heatmap_sources_set_contacts (PlmHeatmapView *view, PlmInferenceResult *result)
{
  int L = result->n_residues;

  plm_heatmap_view_set_source (view, L, L, fill_contacts, source_new (result, 0, 0), source_free);
}
