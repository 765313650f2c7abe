/* plm-scan-windowed.c: a scan window by window, each residue scanned in the window that owns it. */
#include <string.h>

#include "plm-scan-windowed.h"

typedef struct {
  const PlmScanOptions *o;
  int                   start;   /* the window's first residue */
  int                   done;    /* residues finished in earlier windows */
  int                   length;  /* L */
  float                *log_probs;
} Relay;

static void
relay_position (int          position,
                const float *row,
                int          vocab_size,
                gpointer     data)
{
  Relay *r = data;

  /* the window's scan writes only owned rows (the others are skipped), so a copy is all */
  memcpy (r->log_probs + (gsize) (r->start + position) * vocab_size, row, sizeof (float) * vocab_size);
  if (r->o->position_func != NULL)
    r->o->position_func (r->start + position, row, vocab_size, r->o->position_data);
}

static void
relay_progress (int      done,
                int      total,
                gpointer data)
{
  Relay *r = data;

  r->o->progress_func (r->done + done, r->length, r->o->progress_data);
}

gboolean
plm_scan_log_probs_windowed (PlmEsmState          *state,
                             const int32_t        *tokens,
                             int                   T,
                             PlmScanMode           mode,
                             const gboolean       *skip,
                             const PlmScanOptions *options,
                             int                   size,
                             int                   overlap,
                             float                *log_probs,
                             GError              **error)
{
  static const PlmScanOptions defaults = { 0 };
  const PlmScanOptions *o = options != NULL ? options : &defaults;
  PlmWindowPlan plan;
  Relay relay = { o, 0, 0, T - 2, log_probs };
  gboolean ok = TRUE;
  int V = plm_esm_state_get_model (state)->config.vocab_size;

  if (T - 2 <= size)
    return plm_scan_log_probs (state, tokens, T, mode, skip, options, log_probs, error);
  if (!plm_window_plan_init (&plan, T - 2, size, overlap, error))
    return FALSE;

  g_autofree gboolean *wskip = g_new (gboolean, plan.size);
  g_autofree float *wlog = g_new (float, (gsize) plan.size * V);
  for (int k = 0; k < plan.n_windows && ok; k++)
    {
      g_autofree int32_t *wt = plm_window_tokens (&plan, k, tokens);
      PlmScanOptions wo = *o;
      int s = plan.starts[k], todo = 0;

      /* only the residues this window owns; wt-marginal needs its one forward anyway */
      for (int i = 0; i < plan.size; i++)
        {
          wskip[i] = plan.owner[s + i] != k || (skip != NULL && skip[s + i]);
          todo += !wskip[i];
        }
      if (todo == 0)
        continue;
      relay.start = s;
      wo.position_func = relay_position;
      wo.position_data = &relay;
      wo.progress_func = mode == PLM_SCAN_MASKED_MARGINAL && o->progress_func != NULL ? relay_progress : NULL;
      wo.progress_data = &relay;
      ok = plm_scan_log_probs (state, wt, plan.size + 2, mode, wskip, &wo, wlog, error);
      for (int i = 0; i < plan.size; i++)
        relay.done += plan.owner[s + i] == k;
      if (ok && mode == PLM_SCAN_WT_MARGINAL && o->progress_func != NULL)
        o->progress_func (relay.done, relay.length, o->progress_data);
    }
  plm_window_plan_clear (&plan);
  return ok;
}
