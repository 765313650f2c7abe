/* plm-nm-metrics.c: accuracy, macro-F1 and AUROC of a classifier's logits, the evaluation of
 * a saved head on a data set, and the metrics as JSON. */
#include "plm-nm-train-private.h"

#include <math.h>
#include <string.h>

#include "plm-error.h"
#include "plm-esm.h"

typedef struct { float score; int positive; } Scored;

static int
compare_scored (const void *a, const void *b)
{
  float x = ((const Scored *) a)->score, y = ((const Scored *) b)->score;
  return x < y ? -1 : x > y ? 1 : 0;
}

void
plm_nm_metrics_compute (const float *logits, const int *labels, int n, int C, PlmNmMetrics *out)
{
  g_autofree int *tp = g_new0 (int, C), *pred_n = g_new0 (int, C), *true_n = g_new0 (int, C);
  int correct = 0;

  out->n = n;
  out->auroc = NAN;
  for (int i = 0; i < n; i++)
    {
      const float *l = logits + (gsize) i * C;
      int best = 0;
      for (int c = 1; c < C; c++)
        if (l[c] > l[best])
          best = c;
      pred_n[best]++;
      true_n[labels[i]]++;
      if (best == labels[i])
        {
          correct++;
          tp[best]++;
        }
    }
  out->accuracy = n > 0 ? (double) correct / n : NAN;

  /* macro-F1 over the classes present in the labels or the predictions (as scikit-learn) */
  double f1_sum = 0.0;
  int n_cls = 0;
  for (int c = 0; c < C; c++)
    {
      if (true_n[c] == 0 && pred_n[c] == 0)
        continue;
      n_cls++;
      if (tp[c] > 0)
        f1_sum += 2.0 * tp[c] / (pred_n[c] + true_n[c]);
    }
  out->macro_f1 = n_cls > 0 ? f1_sum / n_cls : NAN;

  if (C == 2 && true_n[0] > 0 && true_n[1] > 0)
    {
      /* Mann-Whitney: AUROC = (rank sum of positives − n₊(n₊+1)/2) / (n₊·n₋), mid-ranks for ties */
      g_autofree Scored *s = g_new (Scored, n);
      for (int i = 0; i < n; i++)
        {
          /* softmax(logits)[1] is monotone in logit₁ − logit₀ */
          s[i].score = logits[(gsize) i * 2 + 1] - logits[(gsize) i * 2];
          s[i].positive = labels[i] == 1;
        }
      qsort (s, n, sizeof (Scored), compare_scored);
      double rank_sum = 0.0;
      for (int i = 0; i < n;)
        {
          int j = i;
          while (j < n && s[j].score == s[i].score)
            j++;
          double mid = 0.5 * (i + 1 + j);   /* ranks i+1 .. j */
          for (int k = i; k < j; k++)
            if (s[k].positive)
              rank_sum += mid;
          i = j;
        }
      double np = true_n[1], nn = true_n[0];
      out->auroc = (rank_sum - np * (np + 1) / 2) / (np * nn);
    }
}

gboolean
plm_nm_evaluate_dataset (PlmNmHead *head, PlmModel *model, PlmDataset *ds, int max_len,
                         PlmNmMetrics *metrics, float *logits_out, PlmNmEmbedFunc progress,
                         gpointer progress_data, GCancellable *cancellable, GError **error)
{
  int C = plm_nm_head_get_config (head)->n_classes;
  gboolean pair = plm_nm_head_get_config (head)->pair;
  g_autofree float *logits = g_new (float, (gsize) MAX (ds->n_items, 1) * C);
  g_autoptr(PlmEsmState) state = plm_esm_state_new (model);
  PlmNmLossParts parts = { 0 };

  if (pair != (ds->item_b != NULL))
    {
      g_set_error (error, PLM_ERROR, PLM_ERROR_INPUT, "%s: the head is for %s data",
                   ds->name, pair ? "pair" : "single-protein");
      return FALSE;
    }
  for (int i = 0; i < ds->n_items; i++)
    {
      PlmNmGroup g = { 0 };
      g_autofree float *a = NULL, *b = NULL;
      a = plm_nm_embed_sequence (state, g_ptr_array_index (ds->seqs, ds->item_a[i]), max_len,
                                 &g.len_a, cancellable, error);
      if (a == NULL)
        return FALSE;
      if (pair)
        {
          b = plm_nm_embed_sequence (state, g_ptr_array_index (ds->seqs, ds->item_b[i]), max_len,
                                     &g.len_b, cancellable, error);
          if (b == NULL)
            return FALSE;
        }
      g.a = a;
      g.b = b;
      g.label = ds->label[i];
      plm_nm_head_group (head, &g, 0, 0, FALSE, logits + (gsize) i * C, &parts);
      if (progress != NULL)
        progress (i + 1, ds->n_items, progress_data);
    }
  plm_nm_metrics_compute (logits, ds->label, ds->n_items, C, metrics);
  metrics->loss = ds->n_items > 0 ? parts.ce / ds->n_items : NAN;
  metrics->l_neg = NAN;
  if (logits_out != NULL)
    memcpy (logits_out, logits, sizeof (float) * ds->n_items * C);
  return TRUE;
}

static void
json_add_metrics (JsonBuilder *b, const char *name, const PlmNmMetrics *m, gboolean binary)
{
  json_builder_set_member_name (b, name);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "n");
  json_builder_add_int_value (b, m->n);
  json_builder_set_member_name (b, "accuracy");
  json_builder_add_double_value (b, m->accuracy);
  json_builder_set_member_name (b, "macro_f1");
  json_builder_add_double_value (b, m->macro_f1);
  if (binary && !isnan (m->auroc))
    {
      json_builder_set_member_name (b, "auroc");
      json_builder_add_double_value (b, m->auroc);
    }
  if (!isnan (m->loss))
    {
      json_builder_set_member_name (b, "loss");
      json_builder_add_double_value (b, m->loss);
    }
  json_builder_end_object (b);
}

char *
plm_nm_metrics_json (const char *name, const PlmNmMetrics *metrics)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  json_builder_begin_object (b);
  json_add_metrics (b, name, metrics, TRUE);
  json_builder_end_object (b);
  return plm_nm_json_to_string (b);
}

char *
plm_nm_trainer_metrics_json (PlmNmTrainer *tr)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  gboolean binary = tr->classes->len == 2;
  json_builder_begin_object (b);
  if (tr->valid != NULL)
    json_add_metrics (b, "valid", &tr->valid_metrics, binary);
  if (tr->test != NULL)
    json_add_metrics (b, "test", &tr->test_metrics, binary);
  json_builder_set_member_name (b, "objective");
  json_builder_add_string_value (b, plm_nm_objective_name (tr->config.objective));
  if (!isnan (tr->l_neg_before))
    {
      json_builder_set_member_name (b, "l_neg_before");
      json_builder_add_double_value (b, tr->l_neg_before);
      json_builder_set_member_name (b, "l_neg_after");
      json_builder_add_double_value (b, tr->l_neg_after);
    }
  json_builder_set_member_name (b, "best_epoch");
  json_builder_add_int_value (b, tr->best_epoch);
  json_builder_set_member_name (b, "epochs_run");
  json_builder_add_int_value (b, tr->epochs_done);
  json_builder_end_object (b);
  return plm_nm_json_to_string (b);
}
