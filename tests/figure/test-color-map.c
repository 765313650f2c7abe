/* test-color-map.c: the colour tables and the value → colour-index scale. */
#include <math.h>

#include "plm-color-map.h"

static double
luminance (uint32_t c)
{
  double r = ((c >> 16) & 0xff) / 255.0, g = ((c >> 8) & 0xff) / 255.0, b = (c & 0xff) / 255.0;
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

static void
test_tables (void)
{
  const uint32_t *v = plm_color_map_get_lut (PLM_COLOR_MAP_VIRIDIS);
  /* the published end points of viridis and magma */
  g_assert_cmphex (v[0], ==, 0xff440154);
  g_assert_cmphex (v[255], ==, 0xfffde725);
  g_assert_cmphex (plm_color_map_get_lut (PLM_COLOR_MAP_MAGMA)[0], ==, 0xff000004);
  g_assert_cmphex (plm_color_map_get_lut (PLM_COLOR_MAP_GRAYSCALE)[255], ==, 0xffffffff);
  /* sequential maps get brighter monotonically (within 0.005 of crude sRGB luminance; they are
   * monotonic in CAM02-UCS lightness, not exactly in this) */
  for (int m = PLM_COLOR_MAP_VIRIDIS; m <= PLM_COLOR_MAP_GRAYSCALE; m++)
    {
      const uint32_t *lut = plm_color_map_get_lut (m);
      for (int i = 1; i < 256; i++)
        g_assert_cmpfloat (luminance (lut[i]), >=, luminance (lut[i - 1]) - 5e-3);
    }
  /* the diverging map is light in the middle and dark at both ends */
  const uint32_t *d = plm_color_map_get_lut (PLM_COLOR_MAP_DIVERGING);
  g_assert_cmpfloat (luminance (d[128]), >, 0.9);
  g_assert_cmpfloat (luminance (d[0]), <, 0.4);
  g_assert_cmpfloat (luminance (d[255]), <, 0.4);
  /* names round-trip; out of range falls back to viridis */
  for (int m = 0; m < PLM_N_COLOR_MAPS; m++)
    {
      PlmColorMap back;
      g_assert_true (plm_color_map_from_name (plm_color_map_get_name (m), &back));
      g_assert_cmpint (back, ==, m);
    }
  g_assert_true (plm_color_map_get_lut (99) == v);
}

static void
test_scales (void)
{
  PlmScale lin = { PLM_SCALE_LINEAR, 0.0f, 2.0f };
  g_assert_cmpint (plm_scale_index (&lin, 0.0f), ==, 0);
  g_assert_cmpint (plm_scale_index (&lin, 2.0f), ==, 255);
  g_assert_cmpint (plm_scale_index (&lin, 1.0f), ==, 128);   /* 127.5 rounds up */
  g_assert_cmpint (plm_scale_index (&lin, -5.0f), ==, 0);
  g_assert_cmpint (plm_scale_index (&lin, 9.0f), ==, 255);
  g_assert_cmpint (plm_scale_index (&lin, NAN), ==, 0);

  PlmScale lg = { PLM_SCALE_LOG, 1e-3f, 1.0f };
  g_assert_cmpint (plm_scale_index (&lg, 1e-3f), ==, 0);
  g_assert_cmpint (plm_scale_index (&lg, 1.0f), ==, 255);
  g_assert_cmpint (plm_scale_index (&lg, powf (10.0f, -1.5f)), ==, 128);
  g_assert_cmpint (plm_scale_index (&lg, 0.0f), ==, 0);

  float values[101];
  for (int i = 0; i <= 100; i++)
    values[i] = (float) i;
  values[100] = 1e6f;   /* an outlier the percentile scale must ignore */
  PlmScale p;
  plm_scale_fit (&p, PLM_SCALE_PERCENTILE, values, 101, 1.0, 99.0);
  g_assert_cmpfloat (p.vmin, ==, 1.0f);
  g_assert_cmpfloat (p.vmax, ==, 99.0f);
  PlmScale f;
  plm_scale_fit (&f, PLM_SCALE_LINEAR, values, 101, 0, 0);
  g_assert_cmpfloat (f.vmax, ==, 1e6f);
  plm_scale_fit (&f, PLM_SCALE_LOG, values, 101, 0, 0);
  g_assert_cmpfloat (f.vmin, ==, 1.0f);   /* smallest positive */
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/color-map/tables", test_tables);
  g_test_add_func ("/color-map/scales", test_scales);
  return g_test_run ();
}
