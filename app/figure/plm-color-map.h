/* plm-color-map.h: perceptual colour maps and value scales, shared by the GL and cairo heatmaps
 * and by figure export (GTK-free). */
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
  PLM_COLOR_MAP_DIVERGING,   /* RdBu_r, for differences centred on 0 */
  PLM_N_COLOR_MAPS
} PlmColorMap;

typedef enum {
  PLM_SCALE_LINEAR,
  PLM_SCALE_LOG,
  PLM_SCALE_PERCENTILE,      /* linear between the lo/hi percentiles of the data, clipped */
} PlmScaleKind;

typedef struct {
  PlmScaleKind kind;
  float        vmin;         /* value mapped to the first colour */
  float        vmax;         /* value mapped to the last colour */
} PlmScale;

/* A value that was never computed (NaN: a pair no window of a windowed run holds) is drawn in
 * this neutral grey by every renderer, GL, cairo and figures alike; legends say so. */
#define PLM_COLOR_MISSING 0xFF8C8C8Cu

/* 256 colours as 0xAARRGGBB (cairo's native-endian ARGB32), for t = 0 … 1. */
const uint32_t *plm_color_map_get_lut   (PlmColorMap   map);
const char     *plm_color_map_get_name  (PlmColorMap   map);   /* "viridis", … */
gboolean        plm_color_map_from_name (const char   *name,
                                         PlmColorMap  *map);
/* Index 0…255 of @value under @scale (NaN → 0). The one function every renderer uses, so the
 * GL shader, the cairo path and exported figures agree pixel for pixel. */
int             plm_scale_index         (const PlmScale *scale,
                                         float           value);
/* t in 0…1 before quantisation (for the GL shader's uniforms and the colour bar). */
/* @lut's colour of @v by plm_scale_index, PLM_COLOR_MISSING for NaN. */
uint32_t        plm_scale_color         (const PlmScale *scale,
                                         const uint32_t *lut,
                                         float           v);
float           plm_scale_normalise     (const PlmScale *scale,
                                         float           value);
/* A scale of @kind fitted to @values: min/max (log: smallest positive), or the @lo/@hi
 * percentiles (0…100) for PLM_SCALE_PERCENTILE. */
void            plm_scale_fit           (PlmScale      *scale,
                                         PlmScaleKind   kind,
                                         const float   *values,
                                         gsize          n,
                                         double         lo,
                                         double         hi);

G_END_DECLS
