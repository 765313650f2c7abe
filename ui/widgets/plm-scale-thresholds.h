/* plm-scale-thresholds.h: plm_scale_index() as 255 value thresholds, so a GL shader can
 * reproduce it bit for bit with comparisons only. */
#pragma once

#include "plm-color-map.h"

G_BEGIN_DECLS

#define PLM_SCALE_N_THRESHOLDS 256

/* @thresholds[k] (k = 1…255) is the smallest float v with plm_scale_index (@scale, v) >= k, or
 * +inf when no finite v reaches k; @thresholds[0] = -inf. The index of a non-NaN value v is
 * then MIN (#{k ≥ 1 : v >= thresholds[k]}, *@index_at_inf) — plm_scale_index is monotone in v.
 * This avoids evaluating logf and the division in GLSL, whose precision is not specified. */
void plm_scale_thresholds          (const PlmScale *scale,
                                    float           thresholds[PLM_SCALE_N_THRESHOLDS],
                                    int            *index_at_inf);
/* The shader's lookup, in C, for tests. */
int  plm_scale_thresholds_index    (const float     thresholds[PLM_SCALE_N_THRESHOLDS],
                                    int             index_at_inf,
                                    float           value);

G_END_DECLS
