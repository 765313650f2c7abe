/* plm-windowed-readout.c: the window a value of a windowed run came from, and the legend of the
 * grey cells (plm-windowed-readout.h). */
#include <glib/gi18n.h>

#include "plm-color-map.h"
#include "plm-windowed-readout.h"

char *
plm_windowed_readout_pair (PlmInferenceResult *r,
                           int                 query,
                           int                 key)
{
  const PlmWindowPlan *plan = r != NULL ? plm_inference_result_get_plan (r) : NULL;
  int w;

  if (plan == NULL || query < 0 || key < 0 || query >= r->n_tokens || key >= r->n_tokens)
    return NULL;
  w = plm_attention_store_get_window (r->attention, query, key);
  if (w < 0)
    /* Translators: a pair of residues of a long protein run in windows that no window contains */
    return g_strdup (_("not computed: no window holds both"));
  /* Translators: the window of a long protein a value came from, and the residues it covers */
  return g_strdup_printf (_("window %d · residues %d–%d"), w + 1, plan->starts[w] + 1,
                          plan->starts[w] + plan->size);
}

char *
plm_windowed_readout_legend (void)
{
  g_autofree char *text = g_markup_escape_text (_("Grey: pairs that share no window, not computed"), -1);

  return g_strdup_printf ("<span background=\"#%06x\">\u00a0\u00a0\u00a0</span>\u00a0%s", PLM_COLOR_MISSING & 0xffffff,
                          text);
}
