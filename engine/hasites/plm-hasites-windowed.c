/* plm-hasites-windowed.c: received attention per residue from its own window (plm-hasites-windowed.h). */
#include "plm-hasites-windowed.h"

#include "plm-error.h"

struct _PlmHaWindowed {
  const PlmWindowPlan *plan;
  int       n_layers;
  double   *received;   /* [n_layers, L] */
  gboolean *seen;       /* [n_windows, n_layers] */
};

PlmHaWindowed *
plm_ha_windowed_new (const PlmWindowPlan *plan, int n_layers)
{
  PlmHaWindowed *acc = g_new0 (PlmHaWindowed, 1);
  acc->plan = plan;
  acc->n_layers = n_layers;
  acc->received = g_new0 (double, (gsize) n_layers * MAX (plan->length, 1));
  acc->seen = g_new0 (gboolean, (gsize) plan->n_windows * n_layers);
  return acc;
}

void
plm_ha_windowed_free (PlmHaWindowed *acc)
{
  if (acc == NULL)
    return;
  g_free (acc->received);
  g_free (acc->seen);
  g_free (acc);
}

gboolean
plm_ha_windowed_add_layer (PlmHaWindowed *acc, int window, int layer, const float *probs, int n_heads,
                           int n_tokens)
{
  const PlmWindowPlan *p = acc->plan;
  int W = p->size;
  if (window < 0 || window >= p->n_windows || layer < 0 || layer >= acc->n_layers || n_tokens != W + 2
      || n_heads < 1)
    return FALSE;
  /* The same sums in the same order as plm_hasites_layer_profile. */
  g_autofree double *col = g_new0 (double, MAX (W, 1));
  for (int h = 0; h < n_heads; h++)
    for (int i = 1; i <= W; i++)
      {
        const float *row = probs + ((gsize) h * n_tokens + i) * n_tokens + 1;
        for (int j = 0; j < W; j++)
          col[j] += row[j];
      }
  int s = p->starts[window];
  for (int j = 0; j < W; j++)
    if (p->owner[s + j] == window)
      acc->received[(gsize) layer * p->length + s + j] = col[j] / n_heads;
  acc->seen[(gsize) window * acc->n_layers + layer] = TRUE;
  return TRUE;
}

gboolean
plm_ha_windowed_finish (PlmHaWindowed *acc, PlmHaResult *result, GError **error)
{
  const PlmWindowPlan *p = acc->plan;
  int L = p->length;
  for (int k = 0; k < p->n_windows; k++)
    for (int l = 0; l < acc->n_layers; l++)
      if (!acc->seen[(gsize) k * acc->n_layers + l])
        {
          g_set_error (error, PLM_ERROR, PLM_ERROR_INPUT, "layer %d of window %d was never added", l, k);
          return FALSE;
        }
  g_autofree float *heatmap = g_new0 (float, (gsize) acc->n_layers * MAX (L, 1));
  for (int l = 0; l < acc->n_layers; l++)
    {
      const double *c = acc->received + (gsize) l * L;
      double cmax = 0.0;
      for (int j = 0; j < L; j++)
        if (c[j] > cmax)
          cmax = c[j];
      for (int j = 0; j < L; j++)
        heatmap[(gsize) l * L + j] = cmax > 0.0 ? plm_hasites_round2 ((float) (c[j] / cmax)) : 0.0f;
    }
  plm_ha_result_from_heatmap (heatmap, acc->n_layers, L, result);
  return TRUE;
}
