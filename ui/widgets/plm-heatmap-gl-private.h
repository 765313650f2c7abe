/* plm-heatmap-gl-private.h: the GL renderer behind PlmHeatmapView (in-tree API). */
#pragma once

#include <gtk/gtk.h>

#include "plm-color-map.h"

G_BEGIN_DECLS

typedef struct _PlmHeatmapGl PlmHeatmapGl;

/* What one frame shows: the data (identified by @serial, uploaded when it changes), its
 * colouring (re-coloured on the GPU when it changes) and the view transform in device pixels. */
typedef struct {
  const float    *values;
  int             rows;
  int             cols;
  guint           serial;
  PlmScale        scale;
  PlmColorMap     color_map;
  double          origin_x;        /* data coordinate (column, row) at the area's top-left */
  double          origin_y;
  double          cells_per_px_x;  /* per device pixel */
  double          cells_per_px_y;
  int             width;           /* the area in device pixels */
  int             height;
  int             window[4];       /* visible data columns c0, rows r0, c1, r1 (exclusive) */
} PlmHeatmapGlFrame;

/* With @context current. NULL with @error set if the shaders do not build. */
PlmHeatmapGl *plm_heatmap_gl_new       (GdkGLContext            *context,
                                        GError                 **error);
void          plm_heatmap_gl_free      (PlmHeatmapGl            *gl);
/* Largest rows/columns a data texture may have. */
int           plm_heatmap_gl_max_size  (PlmHeatmapGl            *gl);
/* How often the data were uploaded, the cells re-coloured and frames drawn (for tests). */
void          plm_heatmap_gl_get_stats (PlmHeatmapGl            *gl,
                                        guint                   *uploads,
                                        guint                   *recolors,
                                        guint                   *frames);
/* Draws @frame into @area's framebuffer (bound by GtkGLArea before "render"). */
void          plm_heatmap_gl_draw      (PlmHeatmapGl            *gl,
                                        GtkGLArea               *area,
                                        const PlmHeatmapGlFrame *frame);

G_END_DECLS
