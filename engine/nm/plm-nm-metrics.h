/* plm-nm-metrics.h: the figures a fine-tuned classifier is judged by (accuracy, macro-F1,
 * AUROC, loss) and their JSON. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  double accuracy;
  double macro_f1;
  double auroc;        /* binary tasks, else NAN */
  double loss;         /* mean cross-entropy */
  double l_neg;        /* mean L_neg of fixed probe negatives, NAN for the MLP */
  int    n;
} PlmNmMetrics;

/* logits [n, C]; AUROC from softmax(logits)[:, 1] when C == 2 (ties count one half). */
void plm_nm_metrics_compute (const float *logits, const int *labels, int n, int C,
                             PlmNmMetrics *out);

/* {"@name": {"n", "accuracy", "macro_f1", ["auroc",] ["loss"]}}, numbers in the C locale. */
char *plm_nm_metrics_json     (const char         *name,
                              const PlmNmMetrics *metrics);

G_END_DECLS
