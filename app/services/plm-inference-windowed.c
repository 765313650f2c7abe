/* plm-inference-windowed.c: a windowed run for the inference worker (plm-windowed.h): one
 * window's forward at a time; the store keeps each window's maps, per-residue rows and contacts
 * are assembled by the rule, HA profiles by plm-hasites-windowed. */
#include "plm-hasites-windowed.h"
#include "plm-inference-windowed.h"

typedef struct
{
  PlmInferenceResult *result;
  PlmHaWindowed      *ha;
  GCancellable       *cancellable;
  GError             *error;       /* why on_attention stopped the run, when not cancelled */
  int                 window;      /* the window running */
  int                 n_windows;
  void              (*progress_func) (int done, int total, gpointer data);
  gpointer            progress_data;
} Run;

const PlmWindowPlan *
plm_inference_result_get_plan (PlmInferenceResult *r)
{
  return r->attention != NULL ? plm_attention_store_get_plan (r->attention) : NULL;
}

gboolean
plm_inference_result_is_windowed (PlmInferenceResult *r)
{
  return plm_inference_result_get_plan (r) != NULL;
}

int
plm_inference_result_window_size (const PlmModel *model,
                                  int             n_residues,
                                  int            *overlap)
{
  int W = plm_esm_config_max_residues (&model->config);

  /* the default overlap is for full-size models; a small test model's window may be shorter */
  if (overlap != NULL)
    *overlap = PLM_WINDOW_DEFAULT_OVERLAP < W ? PLM_WINDOW_DEFAULT_OVERLAP : W / 4;
  return W;
}

static void
on_progress (int      done,
             int      total,
             gpointer data)
{
  Run *run = data;

  /* a windowed run's layers count over all its windows */
  run->progress_func (run->window * total + done, run->n_windows * total, run->progress_data);
}

static gboolean
on_attention (int          layer,
              const float *probs,
              int          n_heads,
              int          n_tokens,
              gpointer     data)
{
  Run *run = data;
  PlmInferenceResult *r = run->result;

  /* Returning FALSE makes the engine stop and fail with PLM_ERROR_CANCELLED. */
  if (g_cancellable_is_cancelled (run->cancellable))
    return FALSE;
  if (!plm_attention_store_add_window_layer (r->attention, run->window, layer, probs,
                                             run->error == NULL ? &run->error : NULL))
    return FALSE;
  if (!plm_ha_windowed_add_layer (run->ha, run->window, layer, probs, n_heads, n_tokens))
    return FALSE;
  /* the assembled map's thumbnails once the last window has the layer */
  if (run->window == run->n_windows - 1 && r->thumbnails != NULL)
    plm_inference_result_pool_layer (r, layer);
  return TRUE;
}

static gboolean
run_windows (Run               *run,
             const PlmModel    *model,
             const int32_t     *tokens,
             PlmWindowedOutput *wo,
             GError           **error)
{
  PlmInferenceResult *r = run->result;
  g_autoptr(PlmEsmState) state = NULL;
  PlmHaResult ha;
  gint64 start;

  r->attention = plm_attention_store_new_windowed (r->n_layers, r->n_heads, &wo->plan, error);
  if (r->attention == NULL)
    return FALSE;
  run->n_windows = wo->plan.n_windows;
  run->ha = plm_ha_windowed_new (plm_attention_store_get_plan (r->attention), r->n_layers);
  r->thumbnail_cells = MIN (r->n_residues, PLM_INFERENCE_THUMBNAIL_CELLS);
  r->thumbnails = g_new0 (float, (gsize) r->n_layers * (r->n_heads + 1) * r->thumbnail_cells * r->thumbnail_cells);

  state = plm_esm_state_new (model);
  start = g_get_monotonic_time ();
  for (int k = 0; k < wo->plan.n_windows; k++)
    {
      g_autofree int32_t *wt = plm_window_tokens (&wo->plan, k, tokens);
      PlmForwardOptions options = { 0 };
      PlmForwardOutput out = { 0 };

      run->window = k;
      options.attention_func = on_attention;
      options.attention_data = run;
      options.progress_func = run->progress_func != NULL ? on_progress : NULL;
      options.progress_data = run;
      options.cancellable = run->cancellable;
      options.want_logits = TRUE;
      options.want_embeddings = TRUE;
      options.want_contacts = model->has_contact_head;
      if (!plm_esm_forward (state, wt, wo->plan.size + 2, &options, &out, error))
        {
          /* the engine reports a stopped callback as cancelled; say why it stopped */
          if (run->error != NULL)
            {
              g_clear_error (error);
              g_propagate_error (error, g_steal_pointer (&run->error));
            }
          return FALSE;
        }
      plm_windowed_output_add (wo, k, &out);
      plm_forward_output_clear (&out);
    }
  r->seconds = (g_get_monotonic_time () - start) / 1e6;
  r->logits = g_steal_pointer (&wo->logits);
  r->embeddings = g_steal_pointer (&wo->embeddings);
  /* kept banded, O(L·W): a dense copy would be L² floats (400 MB at 10,000 residues) */
  r->contact_band = g_steal_pointer (&wo->contacts);
  if (!plm_ha_windowed_finish (run->ha, &ha, error))
    return FALSE;
  r->ha_profiles = g_memdup2 (ha.heatmap, sizeof (float) * r->n_layers * r->n_residues);
  plm_ha_result_clear (&ha);
  return TRUE;
}

gboolean
plm_inference_run_windowed (PlmInferenceResult *r,
                            const PlmModel     *model,
                            const int32_t      *tokens,
                            GCancellable       *cancellable,
                            void              (*progress_func) (int done, int total, gpointer data),
                            gpointer            progress_data,
                            GError            **error)
{
  int overlap, W = plm_inference_result_window_size (model, r->n_residues, &overlap);
  Run run = { r, NULL, cancellable, NULL, 0, 1, progress_func, progress_data };
  PlmWindowedOutput wo;
  gboolean ok;

  if (!plm_windowed_output_init (&wo, r->n_residues, W, overlap, error))
    return FALSE;
  ok = run_windows (&run, model, tokens, &wo, error);
  plm_windowed_output_clear (&wo);
  g_clear_pointer (&run.ha, plm_ha_windowed_free);
  g_clear_error (&run.error);
  return ok;
}
