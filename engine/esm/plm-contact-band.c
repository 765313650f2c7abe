/* plm-contact-band.c: the banded [L, L] pair map of plm-contact-band.h. */
#include "plm-contact-band.h"

#include <math.h>

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
plm_contact_band_dense_row (const PlmContactBand *b, int i, float *row, guint8 *mask)
{
  int lo = b->lo[i], hi = b->hi[i];
  const float *v = b->values + b->offset[i];
  for (int j = 0; j < b->length; j++)
    {
      gboolean in = j >= lo && j < hi;
      if (row != NULL)
        row[j] = in ? v[j - lo] : NAN;
      if (mask != NULL)
        mask[j] = in;
    }
}

gsize
plm_contact_band_n_values (const PlmContactBand *b)
{
  return b->offset[b->length];
}
