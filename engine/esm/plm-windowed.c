/* plm-windowed.c: the windowed-inference rule of plm-windowed.h: planning, owners, assembly. */
#include "plm-windowed.h"

#include <math.h>
#include <string.h>

#include "plm-error.h"

static int
edge_distance (const PlmWindowPlan *p, int k, int i)
{
  int s = p->starts[k];
  return MIN (i - s, s + p->size - 1 - i);
}

static gboolean
holds (const PlmWindowPlan *p, int k, int i)
{
  return i >= p->starts[k] && i < p->starts[k] + p->size;
}

gboolean
plm_window_plan_init (PlmWindowPlan *p, int length, int size, int overlap, GError **error)
{
  memset (p, 0, sizeof *p);
  if (size < 1 || overlap < 0 || overlap >= size)
    {
      g_set_error (error, PLM_ERROR, PLM_ERROR_INPUT,
                   "window of %d residues with overlap %d: the overlap must be at least 0 and below the window",
                   size, overlap);
      return FALSE;
    }
  if (length < 0)
    length = 0;
  p->length = length;
  p->size = MIN (size, length);
  p->overlap = overlap;
  int stride = size - overlap;
  GArray *starts = g_array_new (FALSE, FALSE, sizeof (int));
  if (length <= size)
    {
      int zero = 0;
      g_array_append_val (starts, zero);
    }
  else
    {
      for (gint64 s = 0; s + size < length; s += stride)
        {
          int si = (int) s;
          g_array_append_val (starts, si);
        }
      int last = length - size;
      if (g_array_index (starts, int, starts->len - 1) != last)
        g_array_append_val (starts, last);
    }
  p->n_windows = (int) starts->len;
  p->starts = (int *) g_array_free (starts, FALSE);

  p->owner = g_new0 (int, MAX (length, 1));
  p->first = g_new0 (int, MAX (length, 1));
  p->last = g_new0 (int, MAX (length, 1));
  for (int i = 0, kf = 0, kl = 0; i < length; i++)
    {
      /* starts increase strictly and neighbours overlap or touch: the windows holding i are a run */
      while (kf < p->n_windows && p->starts[kf] + p->size <= i)
        kf++;
      while (kl + 1 < p->n_windows && p->starts[kl + 1] <= i)
        kl++;
      p->first[i] = kf;
      p->last[i] = kl;
    }
  for (int i = 0; i < length; i++)
    {
      int best = -1, best_d = -1;
      for (int k = 0; k < p->n_windows; k++)
        if (holds (p, k, i) && edge_distance (p, k, i) > best_d)
          {
            best = k;
            best_d = edge_distance (p, k, i);
          }
      p->owner[i] = best;
    }
  return TRUE;
}

void
plm_window_plan_clear (PlmWindowPlan *p)
{
  g_clear_pointer (&p->starts, g_free);
  g_clear_pointer (&p->owner, g_free);
  g_clear_pointer (&p->first, g_free);
  g_clear_pointer (&p->last, g_free);
  p->n_windows = 0;
}

int
plm_window_pair_owner (const PlmWindowPlan *p, int i, int j)
{
  int best = -1, best_d = -1;
  if (i < 0 || j < 0 || i >= p->length || j >= p->length)
    return -1;
  for (int k = MAX (p->first[i], p->first[j]); k <= MIN (p->last[i], p->last[j]); k++)
    if (holds (p, k, i) && holds (p, k, j))
      {
        int d = MIN (edge_distance (p, k, i), edge_distance (p, k, j));
        if (d > best_d)
          {
            best = k;
            best_d = d;
          }
      }
  return best;
}

void
plm_window_pair_owner_row (const PlmWindowPlan *p, int i, int *owners)
{
  for (int j = 0; j < p->length; j++)
    owners[j] = -1;
  /* windows in order, a later one only when strictly better: ties go to the earlier window */
  for (int k = 0; k < p->n_windows; k++)
    {
      if (!holds (p, k, i))
        continue;
      int di = edge_distance (p, k, i), s = p->starts[k];
      for (int j = s; j < s + p->size; j++)
        {
          int d = MIN (di, edge_distance (p, k, j)), o = owners[j];
          if (o < 0 || d > MIN (edge_distance (p, o, i), edge_distance (p, o, j)))
            owners[j] = k;
        }
    }
}

int32_t *
plm_window_tokens (const PlmWindowPlan *p, int k, const int32_t *tokens)
{
  int32_t *t = g_new (int32_t, p->size + 2);
  t[0] = tokens[0];
  memcpy (t + 1, tokens + 1 + p->starts[k], (gsize) p->size * sizeof (int32_t));
  t[p->size + 1] = tokens[p->length + 1];
  return t;
}

gboolean
plm_windowed_output_init (PlmWindowedOutput *wo, int length, int size, int overlap, GError **error)
{
  memset (wo, 0, sizeof *wo);
  return plm_window_plan_init (&wo->plan, length, size, overlap, error);
}

/* Copies row @src_row of @src [*, width] to row @dst_row of *dst [L + 2, width]. */
static void
take_row (float **dst, int n_rows, const float *src, int width, int src_row, int dst_row)
{
  if (*dst == NULL)
    *dst = g_new0 (float, (gsize) n_rows * width);
  memcpy (*dst + (gsize) dst_row * width, src + (gsize) src_row * width, (gsize) width * sizeof (float));
}

void
plm_windowed_output_add (PlmWindowedOutput *wo, int k, PlmForwardOutput *out)
{
  const PlmWindowPlan *p = &wo->plan;
  int L = p->length, T = L + 2, s = p->starts[k];

  g_return_if_fail (k >= 0 && k < p->n_windows && out->n_residues == p->size);
  wo->vocab_size = out->vocab_size;
  wo->d_model = out->d_model;
  for (int pass = 0; pass < 2; pass++)
    {
      const float *src = pass == 0 ? out->logits : out->embeddings;
      float **dst = pass == 0 ? &wo->logits : &wo->embeddings;
      int width = pass == 0 ? out->vocab_size : out->d_model;
      if (src == NULL)
        continue;
      if (k == 0)
        take_row (dst, T, src, width, 0, 0);                       /* <cls> */
      if (k == p->n_windows - 1)
        take_row (dst, T, src, width, p->size + 1, L + 1);         /* <eos> */
      for (int i = s; i < s + p->size; i++)
        if (p->owner[i] == k)
          take_row (dst, T, src, width, 1 + i - s, 1 + i);
    }
  if (out->contacts != NULL)
    {
      if (wo->contacts == NULL)
        {
          g_autofree int *lo = g_new (int, MAX (L, 1));
          g_autofree int *hi = g_new (int, MAX (L, 1));
          for (int i = 0; i < L; i++)
            {
              lo[i] = p->starts[p->first[i]];
              hi[i] = p->starts[p->last[i]] + p->size;
            }
          wo->contacts = plm_contact_band_new (L, lo, hi);
        }
      PlmContactBand *b = wo->contacts;
      for (int i = s; i < s + p->size; i++)
        for (int j = s; j < s + p->size; j++)
          if (plm_window_pair_owner (p, i, j) == k)
            b->values[b->offset[i] + (gsize) (j - b->lo[i])] = out->contacts[(gsize) (i - s) * p->size + (j - s)];
      g_clear_pointer (&out->contacts, g_free);
    }
}

void
plm_windowed_contacts_row (const PlmWindowedOutput *wo, int i, float *row, guint8 *mask)
{
  const PlmWindowPlan *p = &wo->plan;
  /* every column of the windows holding i shares a window with i: the band is the mask */
  int lo = p->starts[p->first[i]], hi = p->starts[p->last[i]] + p->size;
  if (wo->contacts != NULL)
    plm_contact_band_dense_row (wo->contacts, i, row, mask);
  else
    for (int j = 0; j < p->length; j++)
      {
        if (row != NULL)
          row[j] = NAN;
        if (mask != NULL)
          mask[j] = j >= lo && j < hi;
      }
}

void
plm_windowed_output_clear (PlmWindowedOutput *wo)
{
  g_clear_pointer (&wo->contacts, plm_contact_band_free);
  g_clear_pointer (&wo->logits, g_free);
  g_clear_pointer (&wo->embeddings, g_free);
  plm_window_plan_clear (&wo->plan);
}
