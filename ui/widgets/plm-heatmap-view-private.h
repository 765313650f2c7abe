/* plm-heatmap-view-private.h: PlmHeatmapView's instance structure and the in-tree API shared by
 * plm-heatmap-view.c, plm-heatmap-view-geometry.c, plm-heatmap-view-draw.c and
 * plm-heatmap-view-input.c; the GL counters are for tests. */
#pragma once

#include "plm-heatmap-cairo-private.h"
#include "plm-heatmap-gl-private.h"
#include "plm-heatmap-view.h"

G_BEGIN_DECLS

#define RULER_LEFT   64    /* "1234 W" */
#define RULER_TOP    34    /* numbers, then letters */
#define MIN_ZOOM     0.02
#define MAX_ZOOM     160.0

struct _PlmHeatmapView
{
  GtkWidget           parent_instance;

  GtkWidget          *map;             /* GtkGLArea or GtkDrawingArea */
  PlmHeatmapRenderer  renderer;        /* requested */
  PlmHeatmapRenderer  active;          /* in use */

  const float        *values;
  GDestroyNotify      values_free;
  int                 rows;
  int                 cols;

  PlmColorMap         color_map;
  PlmScale            scale;

  char               *row_sequence;
  char               *col_sequence;
  int                 row_offset;
  int                 col_offset;
  gboolean            show_special;
  gboolean            row_letters_only;

  /* View transform: logical pixels per cell and the data coordinate (column, row) at the
   * top-left corner of the map area. */
  double              zoom_x;
  double              zoom_y;
  double              origin_x;
  double              origin_y;
  gboolean            fitted;          /* refit on resize until the user zooms or pans */
  gboolean            keep_aspect;

  int                 hover_row;
  int                 hover_col;
  double              hover_x;
  double              hover_y;
  int                 highlight_row;
  int                 highlight_col;

  double              drag_origin_x;
  double              drag_origin_y;
  double              gesture_zoom_x;
  double              gesture_zoom_y;

  PlmHeatmapReadoutFunc readout_func;
  gpointer            readout_data;
  GDestroyNotify      readout_destroy;
  char               *hover_readout;   /* readout of (hover_row, hover_col) */

  GArray             *marks;           /* PlmHeatmapMark */
  GtkWidget          *reset_button;    /* "Reset zoom", shown while zoomed */

  PlmHeatmapGl       *gl;              /* while the GL area is realised */
  PlmHeatmapCairo    *cairo;           /* once the cairo path has been used */
  guint               serial;          /* bumped by every set_data: the renderers' data key */
};

/* plm-heatmap-view.c */
/* Queues drawing of the map and of the rulers and overlays. */
void     plm_heatmap_view_redraw            (PlmHeatmapView *self);
void     plm_heatmap_view_notify_zoom       (PlmHeatmapView *self);
void     plm_heatmap_view_emit_hovered      (PlmHeatmapView *self,
                                             int             row,
                                             int             col);
void     plm_heatmap_view_emit_selected     (PlmHeatmapView *self,
                                             int             row,
                                             int             col);

/* plm-heatmap-view-geometry.c */
void     plm_heatmap_view_visible_window    (PlmHeatmapView *self,
                                             int            *r0,
                                             int            *r1,
                                             int            *c0,
                                             int            *c1);
/* The map area (the widget without the rulers) in logical pixels. */
void     plm_heatmap_view_map_area          (PlmHeatmapView *self,
                                             double         *w,
                                             double         *h);
void     plm_heatmap_view_clamp_origin      (PlmHeatmapView *self);
/* The drawn cells within the map area (map-area coordinates, clipped to it). */
void     plm_heatmap_view_map_rect          (PlmHeatmapView *self,
                                             double         *x,
                                             double         *y,
                                             double         *w,
                                             double         *h);

void     plm_heatmap_view_apply_fit         (PlmHeatmapView *self);

/* plm-heatmap-view-draw.c: GtkWidget::snapshot */
void     plm_heatmap_view_snapshot          (GtkWidget      *widget,
                                             GtkSnapshot    *snapshot);

/* plm-heatmap-view-input.c */
void     plm_heatmap_view_init_input        (PlmHeatmapView *self);
/* The hovered cell again after the view moved under a still pointer. */
void     plm_heatmap_view_update_hover      (PlmHeatmapView *self);

/* GL renderer counters since it was realised: data uploads, GPU re-colourings of the cells,
 * frames drawn. FALSE when the GL renderer is not in use. */
gboolean plm_heatmap_view_get_gl_stats      (PlmHeatmapView *self,
                                             guint          *uploads,
                                             guint          *recolors,
                                             guint          *frames);

G_END_DECLS
