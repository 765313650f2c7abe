/* plm-inference-contacts.c: a result's predicted contacts, read the same way whether the run
 * was whole-length (one dense [L, L] map) or windowed (a band of O(L·W), plm-contact-band.h). */
#include <math.h>
#include <string.h>

#include "plm-contacts.h"
#include "plm-inference-worker.h"

gboolean
plm_inference_result_has_contacts (const PlmInferenceResult *r)
{
  return r != NULL && (r->contacts != NULL || r->contact_band != NULL);
}

float
plm_inference_result_get_contact (const PlmInferenceResult *r, int i, int j)
{
  int L = r->n_residues;

  if (i < 0 || j < 0 || i >= L || j >= L)
    return NAN;
  if (r->contact_band != NULL)
    return plm_contact_band_get (r->contact_band, i, j);
  return r->contacts != NULL ? r->contacts[(gsize) i * L + j] : NAN;
}

void
plm_inference_result_copy_contacts (const PlmInferenceResult *r, int r0, int r1, int c0, int c1, float *out)
{
  int L = r->n_residues, w = c1 - c0;

  g_return_if_fail (0 <= r0 && r0 <= r1 && r1 <= L && 0 <= c0 && c0 <= c1 && c1 <= L);
  for (int i = r0; i < r1; i++)
    {
      float *row = out + (gsize) (i - r0) * w;

      if (r->contact_band != NULL)
        plm_contact_band_copy_row (r->contact_band, i, c0, c1, row);
      else if (r->contacts != NULL)
        memcpy (row, r->contacts + (gsize) i * L + c0, sizeof (float) * w);
      else
        for (int j = 0; j < w; j++)
          row[j] = NAN;
    }
}

int
plm_inference_result_rank_contacts (const PlmInferenceResult *r, int min_separation, int k, const guint8 *truth,
                                    int *pairs)
{
  int L = r->n_residues;

  if (L < 2 || k < 1)
    return 0;
  if (r->contact_band != NULL)
    return plm_contact_band_rank (r->contact_band, min_separation, k, truth, pairs);
  if (r->contacts != NULL)
    return plm_contacts_rank_known (r->contacts, L, L, min_separation, k, truth, pairs);
  return 0;
}

gint64
plm_inference_result_count_contacts (const PlmInferenceResult *r, int min_separation)
{
  int L = r->n_residues;
  gint64 n = 0;

  if (r->contact_band != NULL)
    return plm_contact_band_count (r->contact_band, min_separation);
  if (r->contacts != NULL)
    for (int i = 0; i < L; i++)
      for (int j = i + min_separation; j < L; j++)
        n += !isnan (r->contacts[(gsize) i * L + j]);
  return n;
}
