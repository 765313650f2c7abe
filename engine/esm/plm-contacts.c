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
  return plm_contacts_rank_known (values, length, row_stride, min_separation, k, NULL, pairs);
}

int
plm_contacts_rank_known (const float  *values,
                         int           length,
                         gsize         row_stride,
                         int           min_separation,
                         int           k,
                         const guint8 *truth,
                         int          *pairs)
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
      {
        float v = values[(gsize) i * row_stride + j];

        /* NaN: a pair a windowed run did not compute has no rank */
        if (!isnan (v) && (truth == NULL || truth[(gsize) i * length + j] != PLM_CONTACT_UNKNOWN))
          all[n++] = (Ranked) { i * length + j, v };
      }
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
  int h = 0, known = 0;

  for (int t = 0; t < n; t++)
    if (truth[pairs[t]] != PLM_CONTACT_UNKNOWN)
      {
        known++;
        h += truth[pairs[t]] == 1;
      }
  if (hits != NULL)
    *hits = h;
  return known > 0 ? (double) h / known : NAN;
}

guint8 *
plm_contacts_from_structure (const PlmStructure    *structure,
                             const PlmStructureMap *map)
{
  int L = map->length;
  guint8 *truth = g_malloc ((gsize) MAX (L, 1) * MAX (L, 1));

  for (int i = 0; i < L; i++)
    {
      const PlmResidue *a = plm_structure_map_get (map, structure, i);
      for (int j = i; j < L; j++)
        {
          const PlmResidue *b = plm_structure_map_get (map, structure, j);
          guint8 v = PLM_CONTACT_UNKNOWN;
          /* cb holds Gly's Cα (and Cα when a Cβ is missing), see plm-structure.h */
          if (a != NULL && b != NULL)
            v = plm_structure_distance (a->cb, b->cb) < PLM_CONTACT_CUTOFF;
          truth[(gsize) i * L + j] = truth[(gsize) j * L + i] = v;
        }
    }
  return truth;
}
