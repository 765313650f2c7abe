/* plm-heatmap-view.h: a zoomable, pannable heatmap of one float matrix (OpenGL, cairo fallback). */
#pragma once

#include <gtk/gtk.h>

#include "plm-color-map.h"

G_BEGIN_DECLS

typedef enum {
  PLM_HEATMAP_RENDERER_AUTO,   /* GL when a context can be made, cairo otherwise */
  PLM_HEATMAP_RENDERER_GL,     /* GtkGLArea; falls back to cairo if realisation fails */
  PLM_HEATMAP_RENDERER_CAIRO,  /* cached image surface at data resolution, NEAREST filter */
} PlmHeatmapRenderer;

#define PLM_TYPE_HEATMAP_VIEW (plm_heatmap_view_get_type ())
G_DECLARE_FINAL_TYPE (PlmHeatmapView, plm_heatmap_view, PLM, HEATMAP_VIEW, GtkWidget)

GtkWidget          *plm_heatmap_view_new                 (void);

/* Copies @rows × @cols row-major @values (rows = queries, columns = keys); the caller keeps
 * ownership of @values. NULL or 0 × 0 clears the view. The zoom is reset to fit. */
void                plm_heatmap_view_set_data            (PlmHeatmapView      *self,
                                                          const float         *values,
                                                          int                  rows,
                                                          int                  cols);
/* Takes @values without copying: the view reads them until it is given other data or is
 * finalised, then calls @free_func (@values) if @free_func is not NULL. */
void                plm_heatmap_view_set_data_full       (PlmHeatmapView      *self,
                                                          const float         *values,
                                                          int                  rows,
                                                          int                  cols,
                                                          GDestroyNotify       free_func);
/* NULL for a map given by plm_heatmap_view_set_source. */
const float        *plm_heatmap_view_get_data            (PlmHeatmapView      *self,
                                                          int                 *rows,
                                                          int                 *cols);

/* Writes rows @r0 … @r1 − 1, columns @c0 … @c1 − 1 of the map into @out [(r1 − r0) × (c1 − c0)],
 * row-major (called on the main thread). */
typedef void      (*PlmHeatmapFillFunc)                  (gpointer             user_data,
                                                          int                  r0,
                                                          int                  r1,
                                                          int                  c0,
                                                          int                  c1,
                                                          float               *out);
/* A map too large to keep in memory (e.g. a long protein's L × L attention): the view reads
 * it from @fill in strips into a max-pooled copy, and the visible cells at full resolution
 * once they fit within the display cap; the readout's value is read from @fill, exact.
 * @destroy (@user_data) when other data come or the view is finalised. */
void                plm_heatmap_view_set_source          (PlmHeatmapView      *self,
                                                          int                  rows,
                                                          int                  cols,
                                                          PlmHeatmapFillFunc   fill,
                                                          gpointer             user_data,
                                                          GDestroyNotify       destroy);
/* plm_heatmap_view_set_source with the pooled copy already made (by plm_heatmap_pool_source,
 * e.g. in a thread) of the rows @window[1] … @window[3] − 1 and columns @window[0] …
 * @window[2] − 1; taken, and used while those are the visible ones. */
void                plm_heatmap_view_set_source_pooled   (PlmHeatmapView      *self,
                                                          int                  rows,
                                                          int                  cols,
                                                          PlmHeatmapFillFunc   fill,
                                                          gpointer             user_data,
                                                          GDestroyNotify       destroy,
                                                          float               *pooled,
                                                          int                  pooled_rows,
                                                          int                  pooled_cols,
                                                          const int            window[4]);
/* Max-pools the block @window (c0, r0, c1, r1) of a source into at most @max_cells² cells, as
 * the view does (blocks of plm_heatmap_pool_max; NaN ignored, a block of NaN stays NaN), reading
 * it in strips; thread-safe when @fill is. g_malloc'ed *@out_rows × *@out_cols. */
float              *plm_heatmap_pool_source              (PlmHeatmapFillFunc   fill,
                                                          gpointer             user_data,
                                                          const int            window[4],
                                                          int                  max_cells,
                                                          int                 *out_rows,
                                                          int                 *out_cols);
/* Sides above which the view draws a max-pooled copy of the map (so that a single strong pair
 * stays visible), or the visible cells at full resolution when they fit within it: what the
 * renderers hold stays below @cap² cells whatever the map. */
#define PLM_HEATMAP_DISPLAY_CAP 2048
/* The cap new views take: PLM_HEATMAP_DISPLAY_CAP, or the environment's PLM_HEATMAP_DISPLAY_CAP
 * (tests: a small protein drawn as a long one is). */
int                 plm_heatmap_display_cap              (void);
void                plm_heatmap_view_set_display_cap     (PlmHeatmapView      *self,
                                                          int                  cap);
/* TRUE when the map is drawn pooled (a drawn cell is the maximum of several cells). */
gboolean            plm_heatmap_view_get_pooled          (PlmHeatmapView      *self);
/* The value of cell (@row, @col) at full resolution, NaN outside the data. */
float               plm_heatmap_view_get_value           (PlmHeatmapView      *self,
                                                          int                  row,
                                                          int                  col);

void                plm_heatmap_view_set_color_map       (PlmHeatmapView      *self,
                                                          PlmColorMap          map);
PlmColorMap         plm_heatmap_view_get_color_map       (PlmHeatmapView      *self);
void                plm_heatmap_view_set_scale           (PlmHeatmapView      *self,
                                                          const PlmScale      *scale);
void                plm_heatmap_view_get_scale           (PlmHeatmapView      *self,
                                                          PlmScale            *scale);
/* plm_scale_fit() over the visible rows and columns (special tokens excluded when hidden). */
void                plm_heatmap_view_fit_scale           (PlmHeatmapView      *self,
                                                          PlmScaleKind         kind,
                                                          double               lo_percentile,
                                                          double               hi_percentile);

/* Residue labels: data index i is residue @sequence[i - @offset] (1-based number i - @offset + 1);
 * indices before @offset are special tokens such as <cls>, indices past the sequence such as
 * <eos>. NULL sequences remove the labels (rulers then show 1-based indices). */
void                plm_heatmap_view_set_labels          (PlmHeatmapView      *self,
                                                          const char          *row_sequence,
                                                          int                  row_offset,
                                                          const char          *col_sequence,
                                                          int                  col_offset);
/* Rows labelled by their letter alone at any zoom, without numbers: rows that are kinds of
 * residue (the Mutations view's 20 amino acids) rather than positions. */
void                plm_heatmap_view_set_row_letters_only (PlmHeatmapView *self,
                                                          gboolean             letters_only);
/* Both axes labelled with one sequence (self-attention). */
void                plm_heatmap_view_set_sequence        (PlmHeatmapView      *self,
                                                          const char          *sequence,
                                                          int                  offset);
void                plm_heatmap_view_set_show_special_tokens (PlmHeatmapView  *self,
                                                          gboolean             show);
gboolean            plm_heatmap_view_get_show_special_tokens (PlmHeatmapView  *self);

void                plm_heatmap_view_set_renderer        (PlmHeatmapView      *self,
                                                          PlmHeatmapRenderer   renderer);
/* The renderer in use once realised: GL or CAIRO (AUTO before realisation). */
PlmHeatmapRenderer  plm_heatmap_view_get_active_renderer (PlmHeatmapView      *self);

/* Zoom in screen pixels per cell (logical pixels); the cell under (@x, @y) stays in place. */
void                plm_heatmap_view_zoom_at             (PlmHeatmapView      *self,
                                                          double               factor,
                                                          double               x,
                                                          double               y);
void                plm_heatmap_view_set_zoom            (PlmHeatmapView      *self,
                                                          double               pixels_per_cell);
double              plm_heatmap_view_get_zoom            (PlmHeatmapView      *self);
/* Pan by (@dx, @dy) screen pixels. */
void                plm_heatmap_view_pan                 (PlmHeatmapView      *self,
                                                          double               dx,
                                                          double               dy);
void                plm_heatmap_view_zoom_fit            (PlmHeatmapView      *self);
void                plm_heatmap_view_zoom_one_to_one     (PlmHeatmapView      *self);
/* Whole visible map fitted and keeping cells square (TRUE) or stretched to the area (FALSE). */
void                plm_heatmap_view_set_keep_aspect     (PlmHeatmapView      *self,
                                                          gboolean             keep_aspect);
gboolean            plm_heatmap_view_get_keep_aspect     (PlmHeatmapView      *self);

/* Widget coordinates → data cell (row, column in the data passed to set_data) and its value.
 * FALSE when (@x, @y) is outside the drawn map. Any out pointer may be NULL. */
gboolean            plm_heatmap_view_lookup              (PlmHeatmapView      *self,
                                                          double               x,
                                                          double               y,
                                                          int                 *row,
                                                          int                 *col,
                                                          float               *value);
/* Widget coordinates of the centre of cell (@row, @col); FALSE if it is not on screen. */
gboolean            plm_heatmap_view_get_cell_center     (PlmHeatmapView      *self,
                                                          int                  row,
                                                          int                  col,
                                                          double              *x,
                                                          double              *y);
/* Linked selection: outline row @row and column @col (-1 for none) without emitting signals. */
void                plm_heatmap_view_set_highlight       (PlmHeatmapView      *self,
                                                          int                  row,
                                                          int                  col);
/* The drawn map (the visible cells, not the rulers nor the empty margin around a fitted map)
 * in widget coordinates; FALSE without data. */
gboolean            plm_heatmap_view_get_map_bounds      (PlmHeatmapView      *self,
                                                          graphene_rect_t     *bounds);
/* The residue-number step of the row and column rulers (one step for a square map). */
void                plm_heatmap_view_get_ruler_steps     (PlmHeatmapView      *self,
                                                          double              *row_step,
                                                          double              *col_step);
/* TRUE when zoomed or panned away from the fitted map: the "Reset zoom" button shows. */
gboolean            plm_heatmap_view_get_zoomed          (PlmHeatmapView      *self);

/* The readout of a cell, shown beside the pointer: a translated sentence saying what the cell
 * is in the view ("Layer 4 · K100 · 0.86 of the layer's maximum"). @value is the cell's value. */
typedef char     *(*PlmHeatmapReadoutFunc)               (PlmHeatmapView      *view,
                                                          int                  row,
                                                          int                  col,
                                                          float                value,
                                                          gpointer             user_data);
/* NULL restores the default: "Query K12 · key L14 · 0.031". */
void                plm_heatmap_view_set_readout_func    (PlmHeatmapView      *self,
                                                          PlmHeatmapReadoutFunc func,
                                                          gpointer             user_data,
                                                          GDestroyNotify       destroy);
/* The readout of cell (@row, @col) (newly allocated), NULL outside the data. */
char               *plm_heatmap_view_dup_readout         (PlmHeatmapView      *self,
                                                          int                  row,
                                                          int                  col);
/* The readout of the cell under the pointer, NULL when the pointer is off the map. */
const char         *plm_heatmap_view_get_hover_readout   (PlmHeatmapView      *self);

/* Marks drawn over cells (e.g. predicted and true contacts), the same on both renderers. */
typedef enum {
  PLM_HEATMAP_MARK_RING,           /* a circle outline */
  PLM_HEATMAP_MARK_DISC,           /* a filled circle with an outline */
  PLM_HEATMAP_MARK_SQUARE,         /* a square outline */
  PLM_HEATMAP_MARK_CROSS,          /* an × */
  PLM_HEATMAP_MARK_BOX,            /* a small filled square, half a mark across */
} PlmHeatmapMarkShape;

typedef struct {
  int                 row;
  int                 col;
  PlmHeatmapMarkShape shape;
  guint32             color;       /* 0xAARRGGBB */
} PlmHeatmapMark;

/* Copies @n_marks @marks (NULL/0 removes them); cleared by new data. */
void                plm_heatmap_view_set_marks           (PlmHeatmapView      *self,
                                                          const PlmHeatmapMark *marks,
                                                          int                  n_marks);

void                plm_heatmap_view_get_highlight       (PlmHeatmapView      *self,
                                                          int                 *row,
                                                          int                 *col);
/* Residue label of data index @index on the row (@is_row) or column axis: "M12", "<cls>", "7". */
char               *plm_heatmap_view_dup_label           (PlmHeatmapView      *self,
                                                          gboolean             is_row,
                                                          int                  index);

G_END_DECLS
