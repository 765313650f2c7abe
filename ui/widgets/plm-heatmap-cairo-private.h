/* plm-heatmap-cairo-private.h: the cairo renderer behind PlmHeatmapView when GL is unavailable
 * (in-tree API, the counterpart of plm-heatmap-gl-private.h). */
#pragma once

#include <cairo.h>

#include "plm-heatmap-frame-private.h"

G_BEGIN_DECLS

typedef struct _PlmHeatmapCairo PlmHeatmapCairo;

PlmHeatmapCairo *plm_heatmap_cairo_new  (void);
void             plm_heatmap_cairo_free (PlmHeatmapCairo       *renderer);
/* Draws @frame onto @cr, whose user space is the area in logical pixels. */
void             plm_heatmap_cairo_draw (PlmHeatmapCairo       *renderer,
                                         cairo_t               *cr,
                                         const PlmHeatmapFrame *frame);

G_END_DECLS
