/* plm-contacts.c: see plm-contacts.h. */
#include "plm-contacts.h"

#include <math.h>
#include <string.h>

typedef struct {
  int   pair;    /* i × L + j */
  float value;
} Ranked;

static int
compare_ranked (gconstpointer a,
                gconstpointer b,
                gpointer      data)
{
  const Ranked *x = a, *y = b;

  if (x->value != y->value)
    return x->value > y->value ? -1 : 1;
  /* i × L + j orders by i, then j */
  return x->pair < y->pair ? -1 : x->pair > y->pair;
}

int
plm_contacts_rank (const float *values,
                   int          length,
                   gsize        row_stride,
                   int          min_separation,
                   int          k,
                   int         *pairs)
{
  g_autofree Ranked *all = NULL;
  int n = 0;

  g_return_val_if_fail (values != NULL || length == 0, 0);
  min_separation = MAX (min_separation, 1);
  if (length <= min_separation || k <= 0)
    return 0;
  all = g_new (Ranked, (gsize) (length - min_separation) * (length - min_separation + 1) / 2);
  for (int i = 0; i < length; i++)
    for (int j = i + min_separation; j < length; j++)
      all[n++] = (Ranked) { i * length + j, values[(gsize) i * row_stride + j] };
  g_qsort_with_data (all, n, sizeof (Ranked), compare_ranked, NULL);
  k = MIN (k, n);
  for (int t = 0; t < k; t++)
    pairs[t] = all[t].pair;
  return k;
}

double
plm_contacts_precision (const int    *pairs,
                        int           n,
                        const guint8 *truth,
                        int          *hits)
{
  int h = 0;

  for (int t = 0; t < n; t++)
    h += truth[pairs[t]] != 0;
  if (hits != NULL)
    *hits = h;
  return n > 0 ? (double) h / n : NAN;
}
