/* plm-hastats.c: cosine distances, the HA best-match distance, family silhouettes. */
#include "plm-hastats.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

double
plm_cosine_distance (const float *a,
                     const float *b,
                     int          dim)
{
  double ab = 0.0, aa = 0.0, bb = 0.0;

  for (int i = 0; i < dim; i++)
    {
      ab += (double) a[i] * b[i];
      aa += (double) a[i] * a[i];
      bb += (double) b[i] * b[i];
    }
  if (aa == 0.0 || bb == 0.0)
    return NAN;
  return 1.0 - ab / (sqrt (aa) * sqrt (bb));
}

double
plm_ha_distance (const float *a,
                 int          na,
                 const float *b,
                 int          nb,
                 int          dim)
{
  double *d, rows = 0.0, cols = 0.0;
  int n_rows = 0, n_cols = 0;

  if (na <= 0 || nb <= 0)
    return NAN;
  d = g_new (double, (gsize) na * nb);
  for (int i = 0; i < na; i++)
    for (int j = 0; j < nb; j++)
      d[(gsize) i * nb + j] = plm_cosine_distance (a + (gsize) i * dim, b + (gsize) j * dim, dim);
  for (int i = 0; i < na; i++)
    {
      double m = INFINITY;
      for (int j = 0; j < nb; j++)
        if (!isnan (d[(gsize) i * nb + j]) && d[(gsize) i * nb + j] < m)
          m = d[(gsize) i * nb + j];
      if (isfinite (m))
        {
          rows += m;
          n_rows++;
        }
    }
  for (int j = 0; j < nb; j++)
    {
      double m = INFINITY;
      for (int i = 0; i < na; i++)
        if (!isnan (d[(gsize) i * nb + j]) && d[(gsize) i * nb + j] < m)
          m = d[(gsize) i * nb + j];
      if (isfinite (m))
        {
          cols += m;
          n_cols++;
        }
    }
  g_free (d);
  if (n_rows == 0 || n_cols == 0)
    return NAN;
  return 0.5 * (rows / n_rows + cols / n_cols);
}

double
plm_family_silhouette (const double   *d,
                       int             n,
                       const gboolean *member)
{
  double total = 0.0;
  int counted = 0, n_members = 0;

  for (int i = 0; i < n; i++)
    n_members += member[i] ? 1 : 0;
  if (n_members < 2 || n_members == n)
    return NAN;
  for (int i = 0; i < n; i++)
    {
      double sa = 0.0, sb = 0.0, m;
      int na = 0, nb = 0;

      if (!member[i])
        continue;
      for (int j = 0; j < n; j++)
        {
          double v = d[(gsize) i * n + j];
          if (j == i || isnan (v))
            continue;
          if (member[j])
            {
              sa += v;
              na++;
            }
          else
            {
              sb += v;
              nb++;
            }
        }
      if (na == 0 || nb == 0)
        continue;
      sa /= na;
      sb /= nb;
      m = MAX (sa, sb);
      total += m > 0.0 ? (sb - sa) / m : 0.0;
      counted++;
    }
  return counted ? total / counted : NAN;
}

static int
double_cmp (const void *pa,
            const void *pb)
{
  double a = *(const double *) pa, b = *(const double *) pb;
  return a < b ? -1 : a > b;
}

double
plm_median (const double *values,
            int           n)
{
  double *c, m;

  if (n <= 0)
    return NAN;
  c = g_memdup2 (values, sizeof (double) * n);
  qsort (c, n, sizeof (double), double_cmp);
  m = n % 2 ? c[n / 2] : 0.5 * (c[n / 2 - 1] + c[n / 2]);
  g_free (c);
  return m;
}
