/* plm-color-map.c: colour-map lookup and the value → colour-index scale. */
#include "plm-color-map-private.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *const names[PLM_N_COLOR_MAPS] = { "viridis", "magma", "cividis", "grayscale", "diverging" };

const uint32_t *
plm_color_map_get_lut (PlmColorMap map)
{
  if ((int) map < 0 || map >= PLM_N_COLOR_MAPS)
    map = PLM_COLOR_MAP_VIRIDIS;
  return plm_color_map_data[map];
}

const char *
plm_color_map_get_name (PlmColorMap map)
{
  if ((int) map < 0 || map >= PLM_N_COLOR_MAPS)
    return NULL;
  return names[map];
}

gboolean
plm_color_map_from_name (const char *name, PlmColorMap *map)
{
  for (int i = 0; i < PLM_N_COLOR_MAPS; i++)
    if (g_strcmp0 (name, names[i]) == 0)
      {
        *map = (PlmColorMap) i;
        return TRUE;
      }
  return FALSE;
}

float
plm_scale_normalise (const PlmScale *s, float v)
{
  float t;

  if (isnan (v))
    return 0.0f;
  if (s->kind == PLM_SCALE_LOG)
    {
      float lo = s->vmin > 0 ? s->vmin : 1e-12f;
      float hi = s->vmax > lo ? s->vmax : lo * 10.0f;
      v = v < lo ? lo : v;
      t = (logf (v) - logf (lo)) / (logf (hi) - logf (lo));
    }
  else
    {
      float range = s->vmax - s->vmin;
      t = range > 0 ? (v - s->vmin) / range : 0.0f;
    }
  return t < 0.0f ? 0.0f : t > 1.0f ? 1.0f : t;
}

int
plm_scale_index (const PlmScale *s, float v)
{
  int i = (int) (plm_scale_normalise (s, v) * 255.0f + 0.5f);
  return i < 0 ? 0 : i > 255 ? 255 : i;
}

uint32_t
plm_scale_color (const PlmScale *s, const uint32_t *lut, float v)
{
  return isnan (v) ? PLM_COLOR_MISSING : lut[plm_scale_index (s, v)];
}

static int
compare_float (const void *a, const void *b)
{
  float x = *(const float *) a, y = *(const float *) b;
  return x < y ? -1 : x > y;
}

void
plm_scale_fit (PlmScale *s, PlmScaleKind kind, const float *v, gsize n, double lo, double hi)
{
  s->kind = kind;
  s->vmin = 0.0f;
  s->vmax = 1.0f;
  if (n == 0)
    return;
  if (kind == PLM_SCALE_PERCENTILE)
    {
      float *copy = g_new (float, n);
      gsize m = 0;
      for (gsize i = 0; i < n; i++)
        if (!isnan (v[i]))
          copy[m++] = v[i];
      if (m > 0)
        {
          qsort (copy, m, sizeof (float), compare_float);
          gsize a = (gsize) (CLAMP (lo, 0, 100) / 100.0 * (m - 1) + 0.5);
          gsize b = (gsize) (CLAMP (hi, 0, 100) / 100.0 * (m - 1) + 0.5);
          s->vmin = copy[a];
          s->vmax = copy[b];
        }
      g_free (copy);
      return;
    }
  float mn = INFINITY, mx = -INFINITY;
  for (gsize i = 0; i < n; i++)
    {
      if (isnan (v[i]) || (kind == PLM_SCALE_LOG && v[i] <= 0))
        continue;
      mn = v[i] < mn ? v[i] : mn;
      mx = v[i] > mx ? v[i] : mx;
    }
  if (mn <= mx)
    {
      s->vmin = mn;
      s->vmax = mx;
    }
}
