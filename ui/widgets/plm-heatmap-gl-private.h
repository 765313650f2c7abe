/* plm-heatmap-gl-private.h: the GL renderer behind PlmHeatmapView (in-tree API, the counterpart of
 * plm-heatmap-cairo-private.h). */
#pragma once

#include <gtk/gtk.h>

#include "plm-heatmap-frame-private.h"

G_BEGIN_DECLS

typedef struct _PlmHeatmapGl PlmHeatmapGl;

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
                                        const PlmHeatmapFrame   *frame);

G_END_DECLS
