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

/* What the renderers draw of a map above the display cap: its pooled copy, or a region at full
 * resolution; @window (c0, r0, c1, r1) is the data it covers, @serial its renderer key. */
typedef struct {
  float              *buf;
  int                 rows;
  int                 cols;
  int                 window[4];
  guint               version;         /* data_version it was read from */
  guint               serial;
} PlmHeatmapTile;

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

  /* plm-heatmap-view-tiles.c: maps above display_cap, and maps given by set_source */
  PlmHeatmapFillFunc  fill;
  gpointer            fill_data;
  GDestroyNotify      fill_destroy;
  int                 display_cap;
  guint               data_version;    /* bumped with new data */
  PlmHeatmapTile      pooled;
  PlmHeatmapTile      region;
  gboolean            drawn_pooled;    /* the last frame drew the pooled copy */
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

/* plm-heatmap-view-tiles.c */
gboolean plm_heatmap_view_has_data          (PlmHeatmapView *self);
/* Replaces @frame's data by a tile when the map is above the display cap. */
void     plm_heatmap_view_tile_frame        (PlmHeatmapView *self,
                                             PlmHeatmapFrame *frame);
/* "Pooled: each cell is the maximum of …" while the map is drawn pooled, else NULL; @brief: a
 * shorter form for a small map. */
char    *plm_heatmap_view_dup_pooled_note   (PlmHeatmapView *self,
                                             gboolean        brief);
/* Drops the source and the tiles (new data). */
void     plm_heatmap_view_clear_tiles       (PlmHeatmapView *self);

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
