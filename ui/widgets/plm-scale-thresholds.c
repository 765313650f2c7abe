/* plm-scale-thresholds.c: the breakpoints of plm_scale_index() found by bisection on floats. */
#include "plm-scale-thresholds.h"

#include <math.h>
#include <string.h>

/* Floats ordered as unsigned integers: -inf < … < -0 < +0 < … < +inf (NaNs excluded). */
static guint32
float_to_key (float f)
{
  guint32 u;
  memcpy (&u, &f, sizeof u);
  return (u & 0x80000000u) ? ~u : (u | 0x80000000u);
}

static float
key_to_float (guint32 k)
{
  guint32 u = (k & 0x80000000u) ? (k & 0x7fffffffu) : ~k;
  float f;
  memcpy (&f, &u, sizeof f);
  return f;
}

void
plm_scale_thresholds (const PlmScale *scale,
                      float           thresholds[PLM_SCALE_N_THRESHOLDS],
                      int            *index_at_inf)
{
  guint32 kmin = float_to_key (-INFINITY);
  guint32 kmax = float_to_key (INFINITY);

  thresholds[0] = -INFINITY;
  *index_at_inf = plm_scale_index (scale, INFINITY);
  for (int k = 1; k < PLM_SCALE_N_THRESHOLDS; k++)
    {
      guint32 lo = kmin, hi = kmax;

      if (plm_scale_index (scale, key_to_float (hi)) < k)
        {
          thresholds[k] = INFINITY;
          continue;
        }
      /* smallest key in [lo, hi] whose index reaches k */
      while (lo < hi)
        {
          guint32 mid = lo + (hi - lo) / 2;
          if (plm_scale_index (scale, key_to_float (mid)) >= k)
            hi = mid;
          else
            lo = mid + 1;
        }
      thresholds[k] = key_to_float (lo);
    }
}

int
plm_scale_thresholds_index (const float thresholds[PLM_SCALE_N_THRESHOLDS],
                            int         index_at_inf,
                            float       value)
{
  int idx = 0;

  if (isnan (value))
    return 0;
  /* binary lifting over the non-decreasing thresholds[1…255], as in the fragment shader */
  for (int step = 128; step > 0; step >>= 1)
    if (idx + step < PLM_SCALE_N_THRESHOLDS && value >= thresholds[idx + step])
      idx += step;
  return MIN (idx, index_at_inf);
}
