/* plm-color-map.c: colour maps interpolated from nine published stops of each map. */
#include "plm-color-map.h"

/* Stops at 0, 1/8, …, 1 of matplotlib's viridis, magma and cividis. */
static const uint32_t stops[PLM_N_COLOR_MAPS][9] = {
  { 0x440154, 0x472d7b, 0x3b528b, 0x2c728e, 0x21918c, 0x28ae80, 0x5ec962, 0xaddc30, 0xfde725 },
  { 0x000004, 0x1c1044, 0x4f127b, 0x812581, 0xb5367a, 0xe55064, 0xfb8761, 0xfec287, 0xfcfdbf },
  { 0x00224e, 0x123570, 0x3b496c, 0x575d6d, 0x707173, 0x8a8678, 0xa59c74, 0xc3b369, 0xfee838 },
  { 0x000000, 0x202020, 0x404040, 0x606060, 0x808080, 0x9f9f9f, 0xbfbfbf, 0xdfdfdf, 0xffffff },
};

static uint32_t luts[PLM_N_COLOR_MAPS][256];

static void
build_lut (PlmColorMap map)
{
  for (int i = 0; i < 256; i++)
    {
      double x = i / 255.0 * 8.0;
      int k = x >= 8.0 ? 7 : (int) x;
      double t = x - k;
      uint32_t a = stops[map][k], b = stops[map][k + 1];
      uint32_t out = 0xff000000u;

      for (int shift = 0; shift <= 16; shift += 8)
        {
          double ca = (a >> shift) & 0xff, cb = (b >> shift) & 0xff;
          out |= (uint32_t) (ca + (cb - ca) * t + 0.5) << shift;
        }
      luts[map][i] = out;
    }
}

const uint32_t *
plm_color_map_get_lut (PlmColorMap map)
{
  static gsize initialized = 0;

  if (map < 0 || map >= PLM_N_COLOR_MAPS)
    map = PLM_COLOR_MAP_VIRIDIS;
  if (g_once_init_enter (&initialized))
    {
      for (int m = 0; m < PLM_N_COLOR_MAPS; m++)
        build_lut (m);
      g_once_init_leave (&initialized, 1);
    }
  return luts[map];
}
