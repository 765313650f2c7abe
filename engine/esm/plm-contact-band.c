/* plm-contact-band.c: the banded [L, L] pair map of plm-contact-band.h. */
#include "plm-contact-band.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "plm-contacts.h"

PlmContactBand *
plm_contact_band_new (int length, const int *lo, const int *hi)
{
  PlmContactBand *b = g_new0 (PlmContactBand, 1);
  int L = MAX (length, 0);
  b->length = L;
  b->lo = g_new (int, MAX (L, 1));
  b->hi = g_new (int, MAX (L, 1));
  b->offset = g_new (gsize, L + 1);
  b->offset[0] = 0;
  for (int i = 0; i < L; i++)
    {
      b->lo[i] = CLAMP (lo[i], 0, L);
      b->hi[i] = CLAMP (hi[i], b->lo[i], L);
      b->offset[i + 1] = b->offset[i] + (gsize) (b->hi[i] - b->lo[i]);
    }
  b->values = g_new (float, MAX (b->offset[L], 1));
  for (gsize a = 0; a < b->offset[L]; a++)
    b->values[a] = NAN;
  return b;
}

void
plm_contact_band_free (PlmContactBand *b)
{
  if (b == NULL)
    return;
  g_free (b->lo);
  g_free (b->hi);
  g_free (b->offset);
  g_free (b->values);
  g_free (b);
}

float
plm_contact_band_get (const PlmContactBand *b, int i, int j)
{
  if (i < 0 || i >= b->length || j < b->lo[i] || j >= b->hi[i])
    return NAN;
  return b->values[b->offset[i] + (gsize) (j - b->lo[i])];
}

void
plm_contact_band_copy_row (const PlmContactBand *b, int i, int c0, int c1, float *out)
{
  int lo = MAX (c0, b->lo[i]), hi = MIN (c1, b->hi[i]);
  for (int j = c0; j < c1; j++)
    out[j - c0] = NAN;
  if (lo < hi)
    memcpy (out + (lo - c0), b->values + b->offset[i] + (lo - b->lo[i]), sizeof (float) * (hi - lo));
}

void
plm_contact_band_dense_row (const PlmContactBand *b, int i, float *row, guint8 *mask)
{
  if (row != NULL)
    plm_contact_band_copy_row (b, i, 0, b->length, row);
  for (int j = 0; mask != NULL && j < b->length; j++)
    mask[j] = j >= b->lo[i] && j < b->hi[i];
}

gint64
plm_contact_band_count (const PlmContactBand *b, int min_separation)
{
  gint64 n = 0;
  for (int i = 0; i < b->length; i++)
    {
      const float *v = b->values + b->offset[i];
      for (int j = MAX (b->lo[i], i + min_separation); j < b->hi[i]; j++)
        n += !isnan (v[j - b->lo[i]]);
    }
  return n;
}

gsize
plm_contact_band_n_values (const PlmContactBand *b)
{
  return b->offset[b->length];
}

typedef struct {
  gint64 pair;   /* i × L + j */
  float  value;
} Ranked;

/* plm_contacts_rank_known's order: larger value first, then smaller pair */
static gboolean
before (const Ranked *x, const Ranked *y)
{
  return x->value != y->value ? x->value > y->value : x->pair < y->pair;
}

/* A heap of the k best so far with the worst at the root. */
static void
sift_down (Ranked *h, int n, int a)
{
  for (;;)
    {
      int w = a, l = 2 * a + 1, r = l + 1;
      if (l < n && before (&h[w], &h[l]))
        w = l;
      if (r < n && before (&h[w], &h[r]))
        w = r;
      if (w == a)
        return;
      Ranked t = h[a];
      h[a] = h[w];
      h[w] = t;
      a = w;
    }
}

static int
compare_ranked (gconstpointer a, gconstpointer b)
{
  return before (a, b) ? -1 : before (b, a);
}

int
plm_contact_band_rank (const PlmContactBand *b, int min_separation, int k, const guint8 *truth, int *pairs)
{
  int L = b->length, n = 0;
  min_separation = MAX (min_separation, 1);
  if (L <= min_separation || k <= 0)
    return 0;
  g_autofree Ranked *heap = g_new (Ranked, k);
  for (int i = 0; i < L; i++)
    {
      const float *v = b->values + b->offset[i];
      for (int j = MAX (b->lo[i], i + min_separation); j < b->hi[i]; j++)
        {
          Ranked c = { (gint64) i * L + j, v[j - b->lo[i]] };
          if (isnan (c.value) || (truth != NULL && truth[(gsize) i * L + j] == PLM_CONTACT_UNKNOWN))
            continue;
          if (n < k)
            {
              /* sift up */
              int a = n++;
              heap[a] = c;
              while (a > 0 && before (&heap[(a - 1) / 2], &heap[a]))
                {
                  Ranked t = heap[a];
                  heap[a] = heap[(a - 1) / 2];
                  heap[(a - 1) / 2] = t;
                  a = (a - 1) / 2;
                }
            }
          else if (before (&c, &heap[0]))
            {
              heap[0] = c;
              sift_down (heap, n, 0);
            }
        }
    }
  qsort (heap, n, sizeof (Ranked), compare_ranked);
  for (int t = 0; t < n; t++)
    pairs[t] = (int) heap[t].pair;
  return n;
}
