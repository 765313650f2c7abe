/* plm-heatmap-frame-private.h: what one frame of PlmHeatmapView shows, as its GL and cairo
 * renderers both take it (in-tree API). */
#pragma once

#include <glib.h>

#include "plm-color-map.h"

G_BEGIN_DECLS

/* The data (identified by @serial: a renderer uploads or re-colours only when it changes), their
 * colouring and the view transform in logical pixels; device pixels are @scale_factor times as
 * many. */
typedef struct {
  const float    *values;
  int             rows;
  int             cols;
  guint           serial;
  PlmScale        scale;
  PlmColorMap     color_map;
  double          origin_x;        /* data coordinate (column, row) at the area's top-left */
  double          origin_y;
  double          zoom_x;          /* logical pixels per cell */
  double          zoom_y;
  int             width;           /* the area in logical pixels */
  int             height;
  int             scale_factor;
  int             window[4];       /* visible data columns c0, rows r0, c1, r1 (exclusive) */
} PlmHeatmapFrame;

G_END_DECLS
