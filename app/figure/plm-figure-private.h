/* plm-figure-private.h: the figure's data, its computed layout and the drawing helpers shared by
 * plm-figure.c (views), plm-figure-axes.c (text, axes, colour bar) and plm-figure-export.c. */
#pragma once

#include <pango/pangocairo.h>

#include "plm-figure.h"

G_BEGIN_DECLS

#define MM_TO_PT (72.0 / 25.4)
/* smallest residue letter worth printing (journals ask for ≥ 5 pt text; letters are a bonus) */
#define MIN_LETTER_PT 4.5
/* marked residues (top-k, HA sites) */
#define PLM_FIGURE_MARK_COLOR 0xffd62728u

typedef struct {
  char    *label;
  float   *values;            /* [rows, cols] */
  int      rows, cols;
  char    *row_seq, *col_seq;
  gboolean has_specials;
  GArray  *marks[2];          /* int residues per PlmFigureAxis */
  /* layout */
  int      r0, nr, c0, nc;    /* visible block of the matrix */
  double   x, y, cw, ch;      /* top-left of the visible block and cell size, pt */
  gboolean y_axis, x_axis;    /* this panel draws its row / column ruler */
} PlmFigurePanel;

typedef struct {
  char *name;
  int   n;
  int  *start, *end;
} PlmFigureOwnedTrack;

typedef struct {
  uint32_t argb;
  char    *label;
} PlmFigureLegendEntry;

struct _PlmFigure {
  PlmFigureView   view;
  PlmFigureStyle  style;
  char           *default_title;
  GPtrArray      *panels;     /* PlmFigurePanel */
  int             grid_columns;
  guint8         *truth;      /* contacts view: [L, L] or NULL */
  int             truth_len;
  int             min_separation;
  int             contact_divisor;    /* the top L / this predictions are marked */
  int            *wt_rows;    /* mutations view: [wt_len] wild-type row per column, or NULL */
  int             wt_len;
  float          *summary;    /* mutations view: [summary_len] bars above the map, or NULL */
  int             summary_len;
  char           *summary_label;
  gboolean        sites_row;  /* mutations view: an HA-site track (ha_sites) under the map */
  gboolean        has_ha;
  PlmFigureHaData ha;         /* pointers below own the arrays */
  float          *ha_heatmap, *ha_sorted;
  char           *ha_sequence;
  int            *ha_sites;
  PlmFigureOwnedTrack *ha_tracks;
  PlmStructureScene *scene;   /* structure view, or NULL */
  float           scene_rot[9];
  gboolean        scene_values;      /* a colour bar of scene_scale */
  PlmScale        scene_scale;
  GArray         *legend;            /* structure view: PlmFigureLegendEntry */
  double          scene_x, scene_y, scene_side;
  PlmStructureScene *scene2;  /* a second panel to the right (NM positive vs negative), or NULL */
  float           scene2_rot[9];
  char           *panel_title[2];
  double          scene2_x, panel_title_y;
  /* layout, recomputed by plm_figure_layout */
  PlmScale        scale;
  double          width, height;      /* pt */
  double          pad, tick_len, line_w;
  double          letter_size;        /* 0 = no letters */
  double          title_y;
  double          cbar_x, cbar_y, cbar_w, cbar_h;
  double          x_label_y, y_label_x;
  double          legend_y;
  int             legend_lines;       /* contacts legend: its lines (entries wrap) */
  double          legend_avail;       /* and the width they wrap within */
  double          track_y, track_h;   /* HA, mutations: first track row */
  double          summary_y, summary_h;   /* mutations: the summary plot */
  double          ruler_y;            /* HA: residue ruler under the tracks */
  double          curve_x, curve_y, curve_w, curve_h;
  double          caption_x, caption_y;   /* HA: the curve's caption */
  /* vector output: cells are embedded as k × k pixel blocks, k chosen for this resolution, so
   * viewers that smooth images anyway (poppler below 4× magnification, librsvg) stay sharp */
  double          oversample_dpi;
  /* SVG export: <text> elements collected here instead of glyph outlines, in this family */
  GString        *svg_text;
  char           *svg_font_family;
};

/* A drawing (or measuring) context: cairo + one pango layout with hinting off, so text metrics
 * and therefore the layout are identical on PNG, SVG and PDF surfaces. */
typedef struct {
  cairo_t              *cr;
  PangoLayout          *layout;
  PangoFontDescription *font;
  PlmFigure            *figure;
} PlmFigureCtx;

void   plm_figure_ctx_init        (PlmFigureCtx *ctx, PlmFigure *figure, cairo_t *cr);
void   plm_figure_ctx_clear       (PlmFigureCtx *ctx);
void   plm_figure_text_size       (PlmFigureCtx *ctx, const char *text, double size, gboolean bold,
                                   double *width, double *height);
/* Draws @text with its box's point (@ax, @ay) (fractions of width/height, before rotation) at
 * (@x, @y); @angle in radians (−π/2 for text reading upwards). */
void   plm_figure_text_draw       (PlmFigureCtx *ctx, const char *text, double size, gboolean bold,
                                   double x, double y, double ax, double ay, double angle);

/* Horizontal text no wider than @avail: smaller type (down to 70 %, not under 5 pt), then
 * shortened with an ellipsis, so a long title or panel label never leaves the figure or runs
 * into its neighbour. */
void   plm_figure_text_draw_fit   (PlmFigureCtx *ctx, const char *text, double size, gboolean bold,
                                   double x, double y, double ax, double ay, double avail);

/* Residue numbering step so that labels of @label_w fit cells of @cell. */
int    plm_figure_tick_step       (double cell, double label_w);
/* The heatmap image of a visible block, one pixel per cell, drawn with nearest sampling. */
void   plm_figure_draw_cells      (PlmFigureCtx *ctx, const float *values, int stride, int r0, int nr,
                                   int c0, int nc, double x, double y, double cw, double ch);
/* Vertical colour bar with nice ticks and its label; returns nothing, uses the figure's layout. */
void   plm_figure_draw_colorbar   (PlmFigureCtx *ctx, const char *label);
/* Width the colour bar needs, label included. */
double plm_figure_colorbar_width  (PlmFigureCtx *ctx, const char *label);
/* Nice tick values for [lo, hi] (at most @max_ticks); returns the count written to @ticks. */
int    plm_figure_nice_ticks      (double lo, double hi, int max_ticks, double *ticks);
void   plm_figure_set_rgb         (cairo_t *cr, uint32_t argb);

/* Computes scale, size and every rectangle; called by draw, cell_rect and export. */
void   plm_figure_layout          (PlmFigure *figure, PlmFigureCtx *ctx);
/* The layout computed on a scratch 1 × 1 surface (for sizes and positions without drawing). */
void   plm_figure_ensure_layout   (PlmFigure *figure);
void   plm_figure_layout_matrix   (PlmFigure *figure, PlmFigureCtx *ctx);
void   plm_figure_layout_hasites  (PlmFigure *figure, PlmFigureCtx *ctx);
void   plm_figure_draw_matrix     (PlmFigureCtx *ctx);
void   plm_figure_layout_structure (PlmFigure *figure, PlmFigureCtx *ctx);
void   plm_figure_draw_structure  (PlmFigureCtx *ctx);
void   plm_figure_structure_clear (PlmFigure *figure);
void   plm_figure_draw_hasites    (PlmFigureCtx *ctx);
/* The HA-site row (when @sites_row) and the annotation tracks (ha_tracks) from f->track_y, one
 * f->track_h each, for residues 0 … @length − 1 in cells of @cw from @x; names right of @x. */
void   plm_figure_draw_tracks     (PlmFigureCtx *ctx, gboolean sites_row, double x, double cw, int length);
/* Width the longest track name needs left of the map. */
double plm_figure_track_names_width (PlmFigureCtx *ctx, gboolean sites_row);
void   plm_figure_frame           (PlmFigureCtx *ctx, double x, double y, double w, double h);

/* Labels: the style's, or the view's default when NULL. */
const char *plm_figure_or_default          (const char *s, const char *fallback);
const char *plm_figure_title_text          (PlmFigure *figure);
const char *plm_figure_x_label_text        (PlmFigure *figure);
const char *plm_figure_y_label_text        (PlmFigure *figure);
const char *plm_figure_colorbar_label_text (PlmFigure *figure);
gboolean    plm_figure_has_text            (const char *s);
double      plm_figure_to_pt               (PlmFigure *figure, double v);
/* Visible block of a panel (<cls>/<eos> dropped unless shown) and residue of index @k of @n. */
void        plm_figure_panel_visible       (PlmFigure *figure, PlmFigurePanel *p);
int         plm_figure_panel_residue       (PlmFigurePanel *p, int k, int n);
/* The scale over every panel's visible block (or the style's fixed one). */
void        plm_figure_fit_scale           (PlmFigure *figure);
int         plm_figure_max_residues        (PlmFigure *figure);
gboolean    plm_figure_any_marks           (PlmFigure *figure, int axis);

G_END_DECLS
