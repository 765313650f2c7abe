/* plm-color-map.h: perceptual colour maps as 256-entry lookup tables. */
#pragma once

#include <glib.h>
#include <stdint.h>

G_BEGIN_DECLS

/* Same order as the io.github.plmlens.PlmLens.ColorMap enum in the GSettings schema. */
typedef enum {
  PLM_COLOR_MAP_VIRIDIS,
  PLM_COLOR_MAP_MAGMA,
  PLM_COLOR_MAP_CIVIDIS,
  PLM_COLOR_MAP_GRAYSCALE,
  PLM_N_COLOR_MAPS
} PlmColorMap;

/* 256 colours as 0xAARRGGBB (cairo's native-endian ARGB32), for values 0 … 1. */
const uint32_t *plm_color_map_get_lut (PlmColorMap map);

G_END_DECLS
