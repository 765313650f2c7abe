/* plm-adam.c: torch.optim.Adam (non-AMSGrad) over float arenas. */
#include "plm-adam.h"

#include <math.h>
#include <string.h>

typedef struct {
  float       *params;
  const float *grads;
  gsize        n;
  gsize        offset;      /* into the moments arena */
  float        lr_mult;
  float        weight_decay;
} AdamGroup;

struct _PlmAdam {
  float    lr, beta1, beta2, eps;
  int64_t  step;
  GArray  *groups;          /* AdamGroup */
  gsize    n_total;
  float   *moments;         /* [2, n_total]: m then v */
};

PlmAdam *
plm_adam_new (float lr, float beta1, float beta2, float eps)
{
  PlmAdam *adam = g_new0 (PlmAdam, 1);
  adam->lr = lr;
  adam->beta1 = beta1;
  adam->beta2 = beta2;
  adam->eps = eps;
  adam->groups = g_array_new (FALSE, TRUE, sizeof (AdamGroup));
  return adam;
}

void
plm_adam_free (PlmAdam *adam)
{
  if (adam == NULL)
    return;
  g_array_unref (adam->groups);
  g_free (adam->moments);
  g_free (adam);
}

void
plm_adam_add_group (PlmAdam *adam, float *params, const float *grads, gsize n,
                    float lr_mult, float weight_decay)
{
  g_return_if_fail (adam->step == 0);
  AdamGroup g = { params, grads, n, adam->n_total, lr_mult, weight_decay };
  g_array_append_val (adam->groups, g);
  adam->n_total += n;
  /* moments start at zero; re-laid out so that m is contiguous, then v */
  float *moments = g_new0 (float, 2 * adam->n_total);
  g_free (adam->moments);
  adam->moments = moments;
}

void
plm_adam_set_lr (PlmAdam *adam, float lr)
{
  adam->lr = lr;
}

void
plm_adam_step (PlmAdam *adam)
{
  adam->step++;
  double bc1 = 1.0 - pow (adam->beta1, (double) adam->step);
  double bc2 = 1.0 - pow (adam->beta2, (double) adam->step);
  float b1 = adam->beta1, b2 = adam->beta2, eps = adam->eps;
  float bc2_sqrt = (float) sqrt (bc2);

  for (guint gi = 0; gi < adam->groups->len; gi++)
    {
      AdamGroup *g = &g_array_index (adam->groups, AdamGroup, gi);
      float step_size = (float) (adam->lr * g->lr_mult / bc1);
      float wd = g->weight_decay;
      float *m = adam->moments + g->offset;
      float *v = adam->moments + adam->n_total + g->offset;

      for (gsize i = 0; i < g->n; i++)
        {
          float grad = g->grads[i] + wd * g->params[i];
          m[i] = b1 * m[i] + (1.0f - b1) * grad;
          v[i] = b2 * v[i] + (1.0f - b2) * grad * grad;
          float denom = sqrtf (v[i]) / bc2_sqrt + eps;
          g->params[i] -= step_size * m[i] / denom;
        }
    }
}

float *
plm_adam_state (PlmAdam *adam, gsize *n_floats)
{
  *n_floats = 2 * adam->n_total;
  return adam->moments;
}

int64_t
plm_adam_get_step (PlmAdam *adam)
{
  return adam->step;
}

void
plm_adam_set_step (PlmAdam *adam, int64_t step)
{
  adam->step = step;
}
