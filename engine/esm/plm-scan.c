/* plm-scan.c: masked-marginal and wild-type-marginal variant scores. A masked-marginal scan is
 * L forwards of the same sequence with one position masked each; they run as batches of masked
 * copies through plm_esm_forward_logits_at, which computes the logits at the masked row only. */
#include "plm-scan.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#ifdef _OPENMP
# include <omp.h>
#endif

#include "plm-error.h"
#include "plm-tokenizer.h"

void
plm_log_softmax (float *out, const float *x, int n)
{
  double mx = x[0], sum = 0.0;

  for (int v = 1; v < n; v++)
    mx = MAX (mx, x[v]);
  for (int v = 0; v < n; v++)
    sum += exp (x[v] - mx);
  double lse = mx + log (sum);
  for (int v = 0; v < n; v++)
    out[v] = (float) (x[v] - lse);
}

int
plm_scan_default_batch (const PlmModel *model, int T)
{
  /* Batching copies pays where the weight matrices outgrow the cache and are re-read for every
   * forward (2 copies at width 320, 4 at 640, 8 at 1,280: measured on the 8M and 150M shapes,
   * tests/bench/README.md); beyond that the activations outgrow it. At most ~4,096 rows. */
  int b = CLAMP (model->config.d_model / 160, 1, 8);
  return CLAMP (MIN (b, 4096 / MAX (T, 1)), 1, 8);
}

static void
relay_wt_progress (int done, int total, gpointer data)
{
  const PlmScanOptions *o = data;
  o->progress_func (done, total, o->progress_data);
}

static gboolean
scan_wt (PlmEsmState *state, const int32_t *tokens, int T, const gboolean *skip, const PlmScanOptions *o,
         float *log_probs, GError **error)
{
  PlmForwardOptions fo = {
    .want_logits = TRUE,
    .cancellable = o->cancellable,
    .progress_func = o->progress_func != NULL ? relay_wt_progress : NULL,
    .progress_data = (gpointer) o,
  };
  PlmForwardOutput out = { 0 };

  if (!plm_esm_forward (state, tokens, T, &fo, &out, error))
    return FALSE;
  for (int i = 0; i < T - 2; i++)
    {
      if (skip != NULL && skip[i])
        continue;
      float *row = log_probs + (gsize) i * out.vocab_size;
      plm_log_softmax (row, out.logits + (gsize) (i + 1) * out.vocab_size, out.vocab_size);
      if (o->position_func != NULL)
        o->position_func (i, row, out.vocab_size, o->position_data);
    }
  plm_forward_output_clear (&out);
  return TRUE;
}

/* Masked-marginal: the positions to compute, in batches of @B masked copies. With several
 * threads the batches are shared out data-parallel, one batch per thread at a time, each thread
 * with its own activations and a single-threaded BLAS (inside an OpenMP region): no fork/join per
 * kernel, which is most of what threads cost at these sizes. A batch's result depends only on
 * its positions, not on which thread ran it. Deliveries (callbacks) are serialised. */
typedef struct {
  PlmEsmState          *main_state;
  const PlmModel       *model;
  const int32_t        *tokens;
  int                   T, B, n_todo, n_batches, done, next;
  const int            *todo;
  const PlmScanOptions *o;
  float                *log_probs;
  GError               *error;
} MaskedScan;

static gboolean
masked_batch (MaskedScan *ms, PlmEsmState *state, int k, int32_t *batch, int *rows, float *logits, GError **error)
{
  const int T = ms->T, V = ms->model->config.vocab_size;
  int first = k * ms->B, n = MIN (ms->B, ms->n_todo - first);
  PlmForwardOptions fo = { .cancellable = ms->o->cancellable };

  for (int b = 0; b < n; b++)
    {
      int32_t *copy = batch + (gsize) b * T;
      memcpy (copy, ms->tokens, sizeof (int32_t) * T);
      rows[b] = ms->todo[first + b] + 1;
      copy[rows[b]] = PLM_TOKEN_MASK;
    }
  if (!plm_esm_forward_logits_at (state, batch, n, T, rows, &fo, logits, error))
    return FALSE;
  for (int b = 0; b < n; b++)
    plm_log_softmax (ms->log_probs + (gsize) (rows[b] - 1) * V, logits + (gsize) b * V, V);
#pragma omp critical (plm_scan_deliver)
  {
    if (ms->error == NULL)
      {
        for (int b = 0; b < n; b++)
          if (ms->o->position_func != NULL)
            ms->o->position_func (rows[b] - 1, ms->log_probs + (gsize) (rows[b] - 1) * V, V, ms->o->position_data);
        ms->done += n;
        if (ms->o->progress_func != NULL)
          ms->o->progress_func (ms->done, T - 2, ms->o->progress_data);
      }
  }
  return TRUE;
}

static void
masked_worker (MaskedScan *ms, PlmEsmState *state)
{
  const int T = ms->T, V = ms->model->config.vocab_size;
  g_autofree int32_t *batch = g_new (int32_t, (gsize) ms->B * T);
  g_autofree int *rows = g_new (int, ms->B);
  g_autofree float *logits = g_new (float, (gsize) ms->B * V);

  for (;;)
    {
      int k;
      GError *error = NULL;
#pragma omp atomic capture
      k = ms->next++;
      if (k >= ms->n_batches)
        return;
      if (!masked_batch (ms, state, k, batch, rows, logits, &error))
        {
#pragma omp critical (plm_scan_deliver)
          {
            if (ms->error == NULL)
              ms->error = error;
            else
              g_error_free (error);
            ms->next = ms->n_batches;   /* the others stop after their batch */
          }
          return;
        }
    }
}

static gboolean
scan_masked (PlmEsmState *state, const PlmModel *model, const int32_t *tokens, int T, const gboolean *skip,
             const PlmScanOptions *o, float *log_probs, GError **error)
{
  const int L = T - 2;
  g_autofree int *todo = g_new (int, MAX (L, 1));
  MaskedScan ms = { state, model, tokens, T, 0, 0, 0, 0, 0, todo, o, log_probs, NULL };

  for (int i = 0; i < L; i++)
    if (skip == NULL || !skip[i])
      todo[ms.n_todo++] = i;
  ms.done = L - ms.n_todo;
  ms.B = MIN (o->batch > 0 ? o->batch : plm_scan_default_batch (model, T), MAX (ms.n_todo, 1));
  ms.n_batches = (ms.n_todo + ms.B - 1) / ms.B;
  if (o->progress_func != NULL)
    o->progress_func (ms.done, L, o->progress_data);

  int nt = 1;
#ifdef _OPENMP
  nt = MAX (1, MIN (plm_engine_get_threads (), MIN (ms.n_batches, 64)));
#endif
  if (nt == 1)
    masked_worker (&ms, state);
  else
    {
      PlmEsmState *states[64] = { state };
      for (int t = 1; t < nt; t++)
        states[t] = plm_esm_state_new (model);
#pragma omp parallel num_threads(nt)
      {
#ifdef _OPENMP
        masked_worker (&ms, states[omp_get_thread_num ()]);
#endif
      }
      for (int t = 1; t < nt; t++)
        plm_esm_state_free (states[t]);
    }
  if (ms.error != NULL)
    {
      g_propagate_error (error, ms.error);
      return FALSE;
    }
  return TRUE;
}

gboolean
plm_scan_log_probs (PlmEsmState *state, const int32_t *tokens, int T, PlmScanMode mode, const gboolean *skip,
                    const PlmScanOptions *options, float *log_probs, GError **error)
{
  static const PlmScanOptions defaults = { 0 };
  const PlmScanOptions *o = options != NULL ? options : &defaults;
  const PlmModel *model = plm_esm_state_get_model (state);

  if (T < 3)
    {
      g_set_error (error, PLM_ERROR, PLM_ERROR_INPUT, "a scan needs at least one residue");
      return FALSE;
    }
  if (o->cancellable != NULL && g_cancellable_set_error_if_cancelled (o->cancellable, NULL))
    {
      g_set_error (error, PLM_ERROR, PLM_ERROR_CANCELLED, "cancelled");
      return FALSE;
    }
  if (mode == PLM_SCAN_WT_MARGINAL)
    return scan_wt (state, tokens, T, skip, o, log_probs, error);
  return scan_masked (state, model, tokens, T, skip, o, log_probs, error);
}

void
plm_scan_wt_marginal (const float *logits, int T, int V, float *log_probs)
{
  for (int i = 0; i < T - 2; i++)
    plm_log_softmax (log_probs + (gsize) i * V, logits + (gsize) (i + 1) * V, V);
}

double
plm_scan_pseudo_log_likelihood (const float *log_probs, int V, const int32_t *tokens, int T)
{
  double pll = 0.0;
  for (int i = 0; i < T - 2; i++)
    pll += log_probs[(gsize) i * V + tokens[i + 1]];
  return pll;
}

double
plm_scan_mutant_score (const float *log_probs, int V, const PlmMutation *m, int n)
{
  double score = 0.0;
  for (int k = 0; k < n; k++)
    {
      const float *row = log_probs + (gsize) m[k].position * V;
      score += (double) row[m[k].mt] - (double) row[m[k].wt];
    }
  return score;
}

static gboolean
parse_one (const char *text, const char *end, const int32_t *tokens, int T, PlmMutation *m, GError **error)
{
  g_autofree char *s = g_strndup (text, end - text);
  gsize n = strlen (s);

  if (n < 3 || !g_ascii_isalpha (s[0]) || !g_ascii_isalpha (s[n - 1]) || !g_ascii_isdigit (s[1]))
    {
      g_set_error (error, PLM_ERROR, PLM_ERROR_INPUT,
                   "'%s' is not a substitution like A23G (wild type, 1-based position, mutant)", s);
      return FALSE;
    }
  for (gsize i = 1; i + 1 < n; i++)
    if (!g_ascii_isdigit (s[i]))
      {
        g_set_error (error, PLM_ERROR, PLM_ERROR_INPUT,
                     "'%s' is not a substitution like A23G (wild type, 1-based position, mutant)", s);
        return FALSE;
      }
  char wt = g_ascii_toupper (s[0]), mt = g_ascii_toupper (s[n - 1]);
  s[n - 1] = '\0';
  guint64 pos = g_ascii_strtoull (s + 1, NULL, 10);
  if (pos < 1 || pos > (guint64) (T - 2))
    {
      g_set_error (error, PLM_ERROR, PLM_ERROR_INPUT, "position %s is outside the sequence (1 to %d)",
                   s + 1, T - 2);
      return FALSE;
    }
  int seq_tok = tokens[pos];
  if (plm_token_for_char (wt) != seq_tok || plm_token_letter (seq_tok) != wt)
    {
      g_set_error (error, PLM_ERROR, PLM_ERROR_INPUT, "wild type %c at position %d, but the sequence has %c there",
                   wt, (int) pos, plm_token_letter (seq_tok));
      return FALSE;
    }
  if (strchr (PLM_SCAN_AMINO_ACIDS, mt) == NULL)
    {
      g_set_error (error, PLM_ERROR, PLM_ERROR_INPUT, "mutant %c at position %d is not one of the 20 amino acids %s",
                   mt, (int) pos, PLM_SCAN_AMINO_ACIDS);
      return FALSE;
    }
  if (mt == wt)
    {
      g_set_error (error, PLM_ERROR, PLM_ERROR_INPUT, "%c%d%c is no substitution", wt, (int) pos, mt);
      return FALSE;
    }
  m->position = (int) pos - 1;
  m->wt = seq_tok;
  m->mt = plm_token_for_char (mt);
  return TRUE;
}

gboolean
plm_scan_parse_mutant (const char *text, const int32_t *tokens, int T, GArray *out, GError **error)
{
  guint first = out->len;
  const char *p = text;

  for (;;)
    {
      const char *end = strchr (p, ':');
      if (end == NULL)
        end = p + strlen (p);
      PlmMutation m;
      if (!parse_one (p, end, tokens, T, &m, error))
        goto fail;
      for (guint k = first; k < out->len; k++)
        if (g_array_index (out, PlmMutation, k).position == m.position)
          {
            g_set_error (error, PLM_ERROR, PLM_ERROR_INPUT, "position %d appears twice in '%s'", m.position + 1, text);
            goto fail;
          }
      g_array_append_val (out, m);
      if (*end == '\0')
        return TRUE;
      p = end + 1;
    }
fail:
  g_array_set_size (out, first);
  return FALSE;
}
