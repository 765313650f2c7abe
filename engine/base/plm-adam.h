/* plm-adam.h: Adam exactly as torch.optim.Adam (L2-style weight decay added to the gradient,
 * eps outside the bias-corrected square root), with parameter groups and learning-rate
 * multipliers (the authors train the encoder at esm_coe·lr). */
#pragma once

#include <glib.h>
#include <stdint.h>

G_BEGIN_DECLS

typedef struct _PlmAdam PlmAdam;

PlmAdam *plm_adam_new        (float        lr,
                              float        beta1,
                              float        beta2,
                              float        eps);
void     plm_adam_free       (PlmAdam     *adam);
/* Adds a group of @n parameters updated from @grads with learning rate lr·@lr_mult and
 * torch's weight_decay @weight_decay. Call before the first step. */
void     plm_adam_add_group  (PlmAdam     *adam,
                              float       *params,
                              const float *grads,
                              gsize        n,
                              float        lr_mult,
                              float        weight_decay);
void     plm_adam_step       (PlmAdam     *adam);
void     plm_adam_set_lr     (PlmAdam     *adam,
                              float        lr);

/* State for checkpoints: the first and second moments of all groups in order (2·Σn floats,
 * m then v) and the step count. */
float   *plm_adam_state      (PlmAdam     *adam,
                              gsize       *n_floats);
int64_t  plm_adam_get_step   (PlmAdam     *adam);
void     plm_adam_set_step   (PlmAdam     *adam,
                              int64_t      step);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PlmAdam, plm_adam_free)

G_END_DECLS
