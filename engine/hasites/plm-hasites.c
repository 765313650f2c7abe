/* plm-hasites.c: per-layer attention profiles, the exact breakpoint fit, HA sites and LoC. */
#include "plm-hasites.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "plm-error.h"

float
plm_hasites_round2 (float value)
{
  /* numpy rounds float32 in float32: multiply, rint (half to even), divide. */
  volatile float scaled = value * 100.0f;
  float r = rintf (scaled);
  return r / 100.0f;
}

void
plm_hasites_layer_profile (const float *probs,
                           int          n_heads,
                           int          n_tokens,
                           float       *profile)
{
  int L = n_tokens - 2;
  double *col;
  double cmax = 0.0;

  if (L <= 0)
    return;

  col = g_new0 (double, L);
  /* Rows 1..T−2 (queries without <cls>/<eos>), columns 1..T−2; double sums make the
   * result independent of summation order up to ~1e-16. */
  for (int h = 0; h < n_heads; h++)
    for (int i = 1; i <= L; i++)
      {
        const float *row = probs + ((gsize) h * n_tokens + i) * n_tokens + 1;
        for (int j = 0; j < L; j++)
          col[j] += row[j];
      }
  for (int j = 0; j < L; j++)
    {
      col[j] /= n_heads;
      if (col[j] > cmax)
        cmax = col[j];
    }
  for (int j = 0; j < L; j++)
    profile[j] = cmax > 0.0 ? plm_hasites_round2 ((float) (col[j] / cmax)) : 0.0f;
  g_free (col);
}

typedef struct {
  float value;
  int   index;
} SortItem;

static int
sort_item_cmp_desc (const void *pa,
                    const void *pb)
{
  const SortItem *a = pa, *b = pb;

  if (a->value != b->value)
    return a->value > b->value ? -1 : 1;
  /* reverse of a stable ascending sort: equal values by descending index */
  return a->index > b->index ? -1 : (a->index < b->index ? 1 : 0);
}

void
plm_hasites_sort_desc (const float *profile,
                       int          length,
                       int         *order)
{
  SortItem *items = g_new (SortItem, MAX (length, 1));

  for (int i = 0; i < length; i++)
    {
      items[i].value = isnan (profile[i]) ? -INFINITY : profile[i];
      items[i].index = i;
    }
  qsort (items, length, sizeof *items, sort_item_cmp_desc);
  for (int i = 0; i < length; i++)
    order[i] = items[i].index;
  g_free (items);
}

int
plm_hasites_count (double b,
                   int    length)
{
  double k = floor (b * length) - 1.0;

  if (!(k > 0.0))
    return 0;
  return k >= length ? length : (int) k;
}

static inline double
grid_x (int k,
        int n)
{
  return (double) k / (double) (n - 1);
}

/* Direct least squares with the breakpoint fixed: y ~ β0 + β1·x + β2·max(0, x − b), solved by
 * projecting out {1, x} explicitly (stable for any n). Returns the SSE. */
static double
fit_fixed (const double *y,
           int           n,
           double        b,
           double       *beta0,
           double       *beta1,
           double       *beta2)
{
  double xbar = 0.5, ybar = 0.0, sxx = 0.0, sxy = 0.0;
  double hbar = 0.0, shx = 0.0;
  double rr = 0.0, rw = 0.0, ww = 0.0;
  double b1, b2, g1;

  for (int k = 0; k < n; k++)
    {
      double x = grid_x (k, n);
      ybar += y[k];
      hbar += x > b ? x - b : 0.0;
    }
  ybar /= n;
  hbar /= n;
  for (int k = 0; k < n; k++)
    {
      double xc = grid_x (k, n) - xbar;
      double hk = grid_x (k, n) > b ? grid_x (k, n) - b : 0.0;
      sxx += xc * xc;
      sxy += xc * (y[k] - ybar);
      shx += xc * (hk - hbar);
    }
  b1 = sxx > 0.0 ? sxy / sxx : 0.0;   /* slope of y on x */
  g1 = sxx > 0.0 ? shx / sxx : 0.0;   /* slope of the hinge on x */
  for (int k = 0; k < n; k++)
    {
      double xc = grid_x (k, n) - xbar;
      double hk = grid_x (k, n) > b ? grid_x (k, n) - b : 0.0;
      double r = (y[k] - ybar) - b1 * xc;
      double w = (hk - hbar) - g1 * xc;
      rr += r * r;
      rw += r * w;
      ww += w * w;
    }
  b2 = ww > 1e-300 ? rw / ww : 0.0;
  /* the SSE from the residuals themselves, not rr − rw²/ww (which cancels for good fits) */
  {
    double sse = 0.0;
    for (int k = 0; k < n; k++)
      {
        double xc = grid_x (k, n) - xbar;
        double hk = grid_x (k, n) > b ? grid_x (k, n) - b : 0.0;
        double e = (y[k] - ybar) - b1 * xc - b2 * ((hk - hbar) - g1 * xc);
        sse += e * e;
      }
    rr = sse;
  }
  if (beta0 != NULL)
    {
      double slope = b1 - b2 * g1;
      *beta1 = slope;
      *beta2 = b2;
      /* intercept at x = 0 of y − β2·h regressed on x */
      *beta0 = (ybar - b2 * hbar) - slope * xbar;
    }
  return rr;
}

double
plm_hasites_sse_at (const double *y,
                    int           n,
                    double        b)
{
  if (n <= 0)
    return 0.0;
  return fit_fixed (y, n, b, NULL, NULL, NULL);
}

typedef struct {
  double b;
  double sse;
} Candidate;

static int
candidate_cmp (const void *pa,
               const void *pb)
{
  const Candidate *a = pa, *c = pb;

  if (a->sse != c->sse)
    return a->sse < c->sse ? -1 : 1;
  return a->b < c->b ? -1 : (a->b > c->b ? 1 : 0);
}

static void
fill_fit (const double *y,
          int           n,
          double        b,
          PlmHaFit     *fit)
{
  double b0, b1, b2;

  fit->sse = fit_fixed (y, n, b, &b0, &b1, &b2);
  fit->breakpoint = b;
  fit->intercept = b0;
  fit->m1 = b1;
  fit->m2 = b1 + b2;
}

static double
theta_degrees (double m1,
               double m2)
{
  /* IEEE division: 1 + m1·m2 == 0 gives ±inf and θ = ±90 where Python would raise */
  double q = (m2 - m1) / (1.0 + m1 * m2);

  if (isnan (q))
    return 0.0;
  return atan (q) * (180.0 / G_PI);
}

void
plm_hasites_fit_breakpoint (const double *y,
                            int           n,
                            PlmHaFit     *fit)
{
  double ybar = 0.0, sst = 0.0, xy = 0.0, sxx = 0.0, xbar = 0.5;
  double ns = 0, s1 = 0, s2 = 0, sy = 0, sxy = 0;
  Candidate *cand;
  int n_cand = 0;
  double best, tol;
  int n_exact;

  memset (fit, 0, sizeof *fit);
  fit->unique = FALSE;
  if (n <= 2)
    {
      fit->intercept = n >= 1 ? y[0] : 0.0;
      fit->m1 = fit->m2 = n == 2 ? y[1] - y[0] : 0.0;
      return;
    }

  for (int k = 0; k < n; k++)
    ybar += y[k];
  ybar /= n;
  for (int k = 0; k < n; k++)
    {
      double xc = grid_x (k, n) - xbar;
      sst += (y[k] - ybar) * (y[k] - ybar);
      xy += xc * (y[k] - ybar);
      sxx += xc * xc;
    }

  cand = g_new (Candidate, 2 * n);
  /* Suffix sums over S = {k ≥ j+1} for the interval (x_j, x_{j+1}], j from n−2 down to 1.
   * With the centred hinge u − t·v (u = xc on S, v = 1 on S, t = b − x̄), and P the projection
   * removing {1, xc}: SSE(t) = ‖Py‖² − (a1 − t·a2)² / (c11 − 2t·c12 + t²·c22), whose only
   * minimum in t is t* = (a2·c11 − a1·c12) / (a2·c12 − a1·c22). */
  for (int j = n - 2; j >= 1; j--)
    {
      int k = j + 1;
      double xc = grid_x (k, n) - xbar;
      double yc = y[k] - ybar;
      double a1, a2, c11, c12, c22, num, den;
      double lo = grid_x (j, n) - xbar, hi = grid_x (j + 1, n) - xbar;

      ns += 1.0;
      s1 += xc;
      s2 += xc * xc;
      sy += yc;
      sxy += xc * yc;

      /* y is centred, so the projections onto 1 vanish for y */
      a1 = sxy - s2 * xy / sxx;
      a2 = sy - s1 * xy / sxx;
      c11 = s2 - s1 * s1 / n - s2 * s2 / sxx;
      c12 = s1 - s1 * ns / n - s2 * s1 / sxx;
      c22 = ns - ns * ns / n - s1 * s1 / sxx;

      /* the grid point b = x_j itself */
      {
        double d = c11 - 2 * lo * c12 + lo * lo * c22;
        double e = a1 - lo * a2;
        cand[n_cand].b = grid_x (j, n);
        cand[n_cand].sse = d > 0 ? sst - xy * xy / sxx - e * e / d : sst - xy * xy / sxx;
        n_cand++;
      }
      /* the interior stationary point, if inside (first and last intervals are flat) */
      if (j <= n - 3)
        {
          num = a2 * c11 - a1 * c12;
          den = a2 * c12 - a1 * c22;
          if (den != 0.0)
            {
              double t = num / den;
              if (t > lo && t < hi)
                {
                  double d = c11 - 2 * t * c12 + t * t * c22;
                  double e = a1 - t * a2;
                  if (d > 0)
                    {
                      cand[n_cand].b = t + xbar;
                      cand[n_cand].sse = sst - xy * xy / sxx - e * e / d;
                      n_cand++;
                    }
                }
            }
        }
    }

  qsort (cand, n_cand, sizeof *cand, candidate_cmp);

  /* The closed form loses a few digits to cancellation: re-evaluate every candidate near the
   * best one directly and decide among those. */
  tol = 1e-9 * sst + 1e-300;
  n_exact = 0;
  /* at most 64: a constant curve ties everywhere and must not cost O(L²) */
  while (n_exact < n_cand && n_exact < 64 && (n_exact < 4 || cand[n_exact].sse <= cand[0].sse + tol))
    {
      cand[n_exact].sse = fit_fixed (y, n, cand[n_exact].b, NULL, NULL, NULL);
      n_exact++;
    }
  qsort (cand, n_exact, sizeof *cand, candidate_cmp);
  best = cand[0].sse;
  {
    /* SSE ties (relative 1e-12) go to the smallest b */
    double tie = 1e-12 * sst + 1e-300;
    double bsel = cand[0].b;
    gboolean unique = TRUE;
    for (int i = 1; i < n_exact; i++)
      if (cand[i].sse <= best + tie && cand[i].b < bsel)
        bsel = cand[i].b;
    for (int i = 0; i < n_exact; i++)
      if (fabs (cand[i].b - bsel) > 1e-9 && cand[i].sse <= best + 1e-10 * sst + 1e-300)
        unique = FALSE;
    if (fabs (bsel - grid_x (1, n)) < 1e-15 || fabs (bsel - grid_x (n - 2, n)) < 1e-15)
      unique = FALSE;   /* the flat end intervals */
    if (sst <= 0.0)
      unique = FALSE;
    fill_fit (y, n, bsel, fit);
    fit->unique = unique;
  }
  fit->theta = theta_degrees (fit->m1, fit->m2);
  g_free (cand);
}

void
plm_hasites_fit_layer (const float *profile,
                       int          length,
                       PlmHaLayer  *layer)
{
  double *v = g_new (double, MAX (length, 1));

  plm_hasites_sort_desc (profile, length, layer->order);
  for (int i = 0; i < length; i++)
    v[i] = profile[layer->order[i]];
  plm_hasites_fit_breakpoint (v, length, &layer->fit);
  layer->n_sites = plm_hasites_count (layer->fit.breakpoint, length);
  g_free (v);
}

int
plm_hasites_layer_of_convergence (const PlmHaLayer *layers,
                                  int               n_layers)
{
  int best = 0;
  double best_d = INFINITY;

  for (int l = 0; l < n_layers; l++)
    {
      double d = fabs (layers[l].fit.theta - 90.0);
      if (d < best_d)
        {
          best_d = d;
          best = l;
        }
    }
  return best;
}

struct _PlmHaAccumulator {
  int       n_layers;
  int       length;
  float    *heatmap;   /* [n_layers, L] */
  gboolean *seen;
};

PlmHaAccumulator *
plm_ha_accumulator_new (int n_layers,
                        int length)
{
  PlmHaAccumulator *acc;

  g_return_val_if_fail (n_layers > 0 && length >= 0, NULL);
  acc = g_new0 (PlmHaAccumulator, 1);
  acc->n_layers = n_layers;
  acc->length = length;
  acc->heatmap = g_new0 (float, (gsize) n_layers * MAX (length, 1));
  acc->seen = g_new0 (gboolean, n_layers);
  return acc;
}

void
plm_ha_accumulator_free (PlmHaAccumulator *acc)
{
  if (acc == NULL)
    return;
  g_free (acc->heatmap);
  g_free (acc->seen);
  g_free (acc);
}

gboolean
plm_ha_accumulator_add_layer (PlmHaAccumulator *acc,
                              int               layer,
                              const float      *probs,
                              int               n_heads,
                              int               n_tokens)
{
  g_return_val_if_fail (acc != NULL, FALSE);
  if (layer < 0 || layer >= acc->n_layers || n_tokens != acc->length + 2 || n_heads <= 0 || probs == NULL)
    return FALSE;
  plm_hasites_layer_profile (probs, n_heads, n_tokens, acc->heatmap + (gsize) layer * acc->length);
  acc->seen[layer] = TRUE;
  return TRUE;
}

static void
result_init (PlmHaResult *result,
             int          n_layers,
             int          length)
{
  int *orders;

  memset (result, 0, sizeof *result);
  result->n_layers = n_layers;
  result->length = length;
  result->heatmap = g_new0 (float, (gsize) n_layers * MAX (length, 1));
  result->layers = g_new0 (PlmHaLayer, n_layers);
  orders = g_new0 (int, (gsize) n_layers * MAX (length, 1));
  for (int l = 0; l < n_layers; l++)
    result->layers[l].order = orders + (gsize) l * MAX (length, 1);
}

static void
result_fit (PlmHaResult *result)
{
  for (int l = 0; l < result->n_layers; l++)
    plm_hasites_fit_layer (result->heatmap + (gsize) l * result->length, result->length,
                           &result->layers[l]);
  result->loc = plm_hasites_layer_of_convergence (result->layers, result->n_layers);
  result->n_sites = result->layers[result->loc].n_sites;
  result->sites = result->layers[result->loc].order;
}

void
plm_ha_result_from_heatmap (const float *heatmap,
                            int          n_layers,
                            int          length,
                            PlmHaResult *result)
{
  result_init (result, n_layers, length);
  memcpy (result->heatmap, heatmap, sizeof (float) * (gsize) n_layers * length);
  result_fit (result);
}

gboolean
plm_ha_accumulator_finish (PlmHaAccumulator *acc,
                           PlmHaResult      *result,
                           GError          **error)
{
  for (int l = 0; l < acc->n_layers; l++)
    if (!acc->seen[l])
      {
        g_set_error (error, PLM_ERROR, PLM_ERROR_INPUT,
                     "HA sites: attention of layer %d of %d never arrived", l, acc->n_layers);
        return FALSE;
      }
  plm_ha_result_from_heatmap (acc->heatmap, acc->n_layers, acc->length, result);
  return TRUE;
}

void
plm_ha_result_clear (PlmHaResult *result)
{
  if (result == NULL)
    return;
  if (result->layers != NULL)
    g_free (result->layers[0].order);
  g_free (result->layers);
  g_free (result->heatmap);
  memset (result, 0, sizeof *result);
}
