/* plm-heatmap-view.c: the heatmap every view is built on — GL (plm-heatmap-gl.c) or cairo
 * (plm-heatmap-cairo.c), with rulers, zoom, pan, hover and selection. */
#include "plm-heatmap-view-private.h"

#include <glib/gi18n.h>
#include <math.h>

#include "plm-heatmap-cairo-private.h"
#include "plm-heatmap-gl-private.h"
#include "plm-heatmap-ruler.h"

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

  PlmHeatmapGl       *gl;              /* while the GL area is realised */
  PlmHeatmapCairo    *cairo;           /* once the cairo path has been used */
  guint               serial;          /* bumped by every set_data: the renderers' data key */
};

enum {
  PROP_0,
  PROP_COLOR_MAP,
  PROP_SCALE_KIND,
  PROP_SCALE_MIN,
  PROP_SCALE_MAX,
  PROP_SHOW_SPECIAL_TOKENS,
  PROP_RENDERER,
  PROP_KEEP_ASPECT,
  PROP_ZOOM,
  N_PROPS
};

enum {
  HOVERED,
  SELECTED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (PlmHeatmapView, plm_heatmap_view, GTK_TYPE_WIDGET)

/* ---- geometry ------------------------------------------------------------------------------ */

/* The data rows/columns shown: all, or without the special tokens around the sequence. */
static void
visible_window (PlmHeatmapView *self, int *r0, int *r1, int *c0, int *c1)
{
  *r0 = 0, *r1 = self->rows, *c0 = 0, *c1 = self->cols;
  if (self->show_special)
    return;
  if (self->row_sequence)
    {
      *r0 = CLAMP (self->row_offset, 0, self->rows);
      *r1 = CLAMP (self->row_offset + (int) strlen (self->row_sequence), *r0, self->rows);
    }
  if (self->col_sequence)
    {
      *c0 = CLAMP (self->col_offset, 0, self->cols);
      *c1 = CLAMP (self->col_offset + (int) strlen (self->col_sequence), *c0, self->cols);
    }
}

static void
map_area (PlmHeatmapView *self, double *w, double *h)
{
  *w = MAX (1, gtk_widget_get_width (GTK_WIDGET (self)) - RULER_LEFT);
  *h = MAX (1, gtk_widget_get_height (GTK_WIDGET (self)) - RULER_TOP);
}

/* Centre the map when it is smaller than the area, otherwise keep the area covered. */
static void
clamp_origin (PlmHeatmapView *self)
{
  int r0, r1, c0, c1;
  double w, h, span;

  visible_window (self, &r0, &r1, &c0, &c1);
  map_area (self, &w, &h);
  span = w / self->zoom_x;
  if (span >= c1 - c0)
    self->origin_x = c0 - (span - (c1 - c0)) / 2;
  else
    self->origin_x = CLAMP (self->origin_x, c0, c1 - span);
  span = h / self->zoom_y;
  if (span >= r1 - r0)
    self->origin_y = r0 - (span - (r1 - r0)) / 2;
  else
    self->origin_y = CLAMP (self->origin_y, r0, r1 - span);
}

static void
apply_fit (PlmHeatmapView *self)
{
  int r0, r1, c0, c1;
  double w, h;

  visible_window (self, &r0, &r1, &c0, &c1);
  map_area (self, &w, &h);
  self->zoom_x = w / MAX (1, c1 - c0);
  self->zoom_y = h / MAX (1, r1 - r0);
  if (self->keep_aspect)
    self->zoom_x = self->zoom_y = MIN (self->zoom_x, self->zoom_y);
  self->zoom_x = CLAMP (self->zoom_x, MIN_ZOOM, MAX_ZOOM);
  self->zoom_y = CLAMP (self->zoom_y, MIN_ZOOM, MAX_ZOOM);
  clamp_origin (self);
}

static void
view_changed (PlmHeatmapView *self)
{
  if (self->map)
    gtk_widget_queue_draw (self->map);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* ---- renderers ----------------------------------------------------------------------------- */

/* The frame both renderers draw: the view's state for the map area @area. */
static void
get_frame (PlmHeatmapView *self, GtkWidget *area, PlmHeatmapFrame *frame)
{
  *frame = (PlmHeatmapFrame) {
    .values = self->values,
    .rows = self->rows,
    .cols = self->cols,
    .serial = self->serial,
    .scale = self->scale,
    .color_map = self->color_map,
    .origin_x = self->origin_x,
    .origin_y = self->origin_y,
    .zoom_x = self->zoom_x,
    .zoom_y = self->zoom_y,
    .width = gtk_widget_get_width (area),
    .height = gtk_widget_get_height (area),
    .scale_factor = gtk_widget_get_scale_factor (area),
  };
  visible_window (self, &frame->window[1], &frame->window[3], &frame->window[0], &frame->window[2]);
}

static void
draw_cairo (GtkDrawingArea *area, cairo_t *cr, int width, int height, gpointer data)
{
  PlmHeatmapView *self = data;
  PlmHeatmapFrame frame;

  get_frame (self, GTK_WIDGET (area), &frame);
  plm_heatmap_cairo_draw (self->cairo, cr, &frame);
}

/* ---- GL path ------------------------------------------------------------------------------- */

static void switch_to_cairo (PlmHeatmapView *self);

static gboolean
switch_to_cairo_idle (gpointer data)
{
  PlmHeatmapView *self = data;
  /* not after dispose, and only once */
  if (self->map && self->active == PLM_HEATMAP_RENDERER_GL)
    switch_to_cairo (self);
  g_object_unref (self);
  return G_SOURCE_REMOVE;
}

static void
gl_realize (GtkGLArea *area, PlmHeatmapView *self)
{
  g_autoptr(GError) error = NULL;
  GdkGLContext *context;

  gtk_gl_area_make_current (area);
  if (gtk_gl_area_get_error (area) != NULL ||
      !(context = gtk_gl_area_get_context (area)) ||
      !(self->gl = plm_heatmap_gl_new (context, &error)))
    {
      g_debug ("heatmap: GL unavailable (%s), drawing with cairo",
               error ? error->message :
               gtk_gl_area_get_error (area) ? gtk_gl_area_get_error (area)->message : "no context");
      g_idle_add (switch_to_cairo_idle, g_object_ref (self));
    }
}

static void
gl_unrealize (GtkGLArea *area, PlmHeatmapView *self)
{
  gtk_gl_area_make_current (area);
  /* without a context the GL names are gone with it */
  if (gtk_gl_area_get_error (area) == NULL)
    g_clear_pointer (&self->gl, plm_heatmap_gl_free);
  else
    g_clear_pointer (&self->gl, g_free);
}

static gboolean
gl_render (GtkGLArea *area, GdkGLContext *context, PlmHeatmapView *self)
{
  PlmHeatmapFrame frame;

  if (!self->gl)
    return TRUE;
  if (self->rows > plm_heatmap_gl_max_size (self->gl) || self->cols > plm_heatmap_gl_max_size (self->gl))
    {
      /* larger than a texture may be: cairo has no such limit */
      g_idle_add (switch_to_cairo_idle, g_object_ref (self));
      return TRUE;
    }
  get_frame (self, GTK_WIDGET (area), &frame);
  plm_heatmap_gl_draw (self->gl, area, &frame);
  return TRUE;
}

/* ---- renderer selection -------------------------------------------------------------------- */

static void
set_map_child (PlmHeatmapView *self, GtkWidget *child, PlmHeatmapRenderer active)
{
  g_clear_pointer (&self->map, gtk_widget_unparent);
  self->active = active;
  self->map = child;
  /* events are handled by the view; the map only draws */
  gtk_widget_set_can_target (child, FALSE);
  gtk_widget_set_can_focus (child, FALSE);
  gtk_widget_set_parent (child, GTK_WIDGET (self));
  view_changed (self);
}

static void
switch_to_cairo (PlmHeatmapView *self)
{
  GtkWidget *area = gtk_drawing_area_new ();

  if (!self->cairo)
    self->cairo = plm_heatmap_cairo_new ();
  gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (area), draw_cairo, self, NULL);
  set_map_child (self, area, PLM_HEATMAP_RENDERER_CAIRO);
}

/* GDK_DEBUG=gl-disable (GTK 4.8) makes gdk_display_create_gl_context fail, as does a display
 * without GL; the GL area's own error is checked again when it is realised. *@use_es tells
 * which API the display gave (GtkGLArea 4.8 insists on desktop GL unless told otherwise). */
static gboolean
display_has_gl (GtkWidget *widget, gboolean *use_es)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkGLContext) context = NULL;

  context = gdk_display_create_gl_context (gtk_widget_get_display (widget), &error);
  if (context && gdk_gl_context_realize (context, &error))
    {
      *use_es = gdk_gl_context_get_use_es (context);
      return TRUE;
    }
  g_debug ("heatmap: no GL context (%s), drawing with cairo", error ? error->message : "?");
  return FALSE;
}

static void
create_map_child (PlmHeatmapView *self)
{
  GtkWidget *area;
  gboolean use_es = FALSE;

  if (self->renderer == PLM_HEATMAP_RENDERER_CAIRO || !display_has_gl (GTK_WIDGET (self), &use_es))
    {
      switch_to_cairo (self);
      return;
    }
  area = gtk_gl_area_new ();
  gtk_gl_area_set_use_es (GTK_GL_AREA (area), use_es);
  gtk_gl_area_set_has_depth_buffer (GTK_GL_AREA (area), FALSE);
  gtk_gl_area_set_auto_render (GTK_GL_AREA (area), TRUE);
  g_signal_connect (area, "realize", G_CALLBACK (gl_realize), self);
  g_signal_connect (area, "unrealize", G_CALLBACK (gl_unrealize), self);
  g_signal_connect (area, "render", G_CALLBACK (gl_render), self);
  set_map_child (self, area, PLM_HEATMAP_RENDERER_GL);
}

/* ---- labels and rulers --------------------------------------------------------------------- */

char *
plm_heatmap_view_dup_label (PlmHeatmapView *self, gboolean is_row, int index)
{
  g_return_val_if_fail (PLM_IS_HEATMAP_VIEW (self), NULL);

  return is_row ? plm_heatmap_label_dup (self->row_sequence, self->row_offset, index)
                : plm_heatmap_label_dup (self->col_sequence, self->col_offset, index);
}

static void
get_axis (PlmHeatmapView *self, gboolean is_row, PlmHeatmapAxis *axis)
{
  int r0, r1, c0, c1;
  double w, h;

  visible_window (self, &r0, &r1, &c0, &c1);
  map_area (self, &w, &h);
  *axis = (PlmHeatmapAxis) {
    .sequence = is_row ? self->row_sequence : self->col_sequence,
    .offset = is_row ? self->row_offset : self->col_offset,
    .zoom = is_row ? self->zoom_y : self->zoom_x,
    .origin = is_row ? self->origin_y : self->origin_x,
    .first = is_row ? r0 : c0,
    .end = is_row ? r1 : c1,
    .extent = is_row ? h : w,
  };
}

/* ---- drawing: overlays --------------------------------------------------------------------- */

/* A rectangle outline as four colour nodes (no cairo surface to rasterise and upload). */
static void
append_outline (GtkSnapshot *snapshot, const GdkRGBA *color, double x, double y, double w, double h,
                double line)
{
  gtk_snapshot_append_color (snapshot, color, &GRAPHENE_RECT_INIT (x, y, w, line));
  gtk_snapshot_append_color (snapshot, color, &GRAPHENE_RECT_INIT (x, y + h - line, w, line));
  gtk_snapshot_append_color (snapshot, color, &GRAPHENE_RECT_INIT (x, y, line, h));
  gtk_snapshot_append_color (snapshot, color, &GRAPHENE_RECT_INIT (x + w - line, y, line, h));
}

static void
snapshot_overlays (PlmHeatmapView *self, GtkSnapshot *snapshot, PangoLayout *layout)
{
  static const GdkRGBA white = { 1, 1, 1, 0.9 }, black = { 0, 0, 0, 0.8 };
  double w, h;

  map_area (self, &w, &h);
  gtk_snapshot_push_clip (snapshot, &GRAPHENE_RECT_INIT (RULER_LEFT, RULER_TOP, w, h));
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (RULER_LEFT, RULER_TOP));

  /* linked selection: a band around the highlighted row and column */
  if (self->highlight_row >= 0)
    append_outline (snapshot, &white, -2, (self->highlight_row - self->origin_y) * self->zoom_y - 1.5,
                    w + 4, MAX (self->zoom_y, 1) + 3, 1.5);
  if (self->highlight_col >= 0)
    append_outline (snapshot, &white, (self->highlight_col - self->origin_x) * self->zoom_x - 1.5, -2,
                    MAX (self->zoom_x, 1) + 3, h + 4, 1.5);

  /* hovered cell and its label */
  if (self->hover_row >= 0)
    {
      g_autofree char *q = plm_heatmap_view_dup_label (self, TRUE, self->hover_row);
      g_autofree char *k = plm_heatmap_view_dup_label (self, FALSE, self->hover_col);
      g_autofree char *text = NULL;
      float v = self->values[(gsize) self->hover_row * self->cols + self->hover_col];
      double x = (self->hover_col - self->origin_x) * self->zoom_x;
      double y = (self->hover_row - self->origin_y) * self->zoom_y;
      double bx, by;
      int tw, th;
      cairo_t *cr;

      if (self->zoom_x >= 3 && self->zoom_y >= 3)
        append_outline (snapshot, &black, x - 1, y - 1, self->zoom_x + 2, self->zoom_y + 2, 1);
      /* Translators: query residue, key residue and the attention value under the pointer */
      text = g_strdup_printf (_("Query %s · Key %s · %.4g"), q, k, v);
      pango_layout_set_text (layout, text, -1);
      pango_layout_get_pixel_size (layout, &tw, &th);
      bx = self->hover_x - RULER_LEFT + 14;
      by = self->hover_y - RULER_TOP + 14;
      if (bx + tw + 8 > w)
        bx = MAX (0, self->hover_x - RULER_LEFT - tw - 22);
      if (by + th + 6 > h)
        by = MAX (0, self->hover_y - RULER_TOP - th - 20);
      gtk_snapshot_append_color (snapshot, &(GdkRGBA) { 0.1, 0.1, 0.1, 0.85 },
                                 &GRAPHENE_RECT_INIT (bx, by, tw + 8, th + 4));
      cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (bx, by, tw + 8, th + 4));
      cairo_set_source_rgb (cr, 1, 1, 1);
      cairo_move_to (cr, bx + 4, by + 2);
      pango_cairo_show_layout (cr, layout);
      cairo_destroy (cr);
    }
  gtk_snapshot_restore (snapshot);
  gtk_snapshot_pop (snapshot);
}

static void
plm_heatmap_view_snapshot (GtkWidget *widget, GtkSnapshot *snapshot)
{
  PlmHeatmapView *self = PLM_HEATMAP_VIEW (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  g_autoptr(PangoLayout) layout = NULL;
  PangoFontDescription *font;
  GdkRGBA fg;
  cairo_t *cr;

  if (self->map)
    gtk_widget_snapshot_child (widget, self->map, snapshot);
  if (!self->values)
    return;

  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &fg);
  layout = gtk_widget_create_pango_layout (widget, NULL);
  font = pango_font_description_from_string ("Monospace 8");
  pango_layout_set_font_description (layout, font);
  pango_font_description_free (font);

  /* each ruler its own small cairo node: only these strips are rasterised per frame */
  for (int is_row = 0; is_row < 2; is_row++)
    {
      graphene_rect_t area = is_row
        ? GRAPHENE_RECT_INIT (0, RULER_TOP, RULER_LEFT, MAX (1, height - RULER_TOP))
        : GRAPHENE_RECT_INIT (RULER_LEFT, 0, MAX (1, width - RULER_LEFT), RULER_TOP);
      PlmHeatmapAxis axis;

      get_axis (self, is_row, &axis);
      cr = gtk_snapshot_append_cairo (snapshot, &area);
      gdk_cairo_set_source_rgba (cr, &fg);
      plm_heatmap_ruler_draw (cr, layout, &axis,
                              is_row ? GTK_ORIENTATION_VERTICAL : GTK_ORIENTATION_HORIZONTAL,
                              &area, is_row ? RULER_TOP : RULER_LEFT);
      cairo_destroy (cr);
    }
  snapshot_overlays (self, snapshot, layout);
}

/* ---- layout -------------------------------------------------------------------------------- */

static void
plm_heatmap_view_measure (GtkWidget *widget, GtkOrientation orientation, int for_size,
                          int *minimum, int *natural, int *minimum_baseline, int *natural_baseline)
{
  int ruler = orientation == GTK_ORIENTATION_HORIZONTAL ? RULER_LEFT : RULER_TOP;
  *minimum = ruler + 64;
  *natural = ruler + 480;
}

static void
plm_heatmap_view_size_allocate (GtkWidget *widget, int width, int height, int baseline)
{
  PlmHeatmapView *self = PLM_HEATMAP_VIEW (widget);

  if (self->map)
    gtk_widget_size_allocate (self->map,
                              &(GtkAllocation) { RULER_LEFT, RULER_TOP,
                                                 MAX (1, width - RULER_LEFT),
                                                 MAX (1, height - RULER_TOP) }, -1);
  if (self->fitted)
    apply_fit (self);
  else
    clamp_origin (self);
}

static void
plm_heatmap_view_realize (GtkWidget *widget)
{
  PlmHeatmapView *self = PLM_HEATMAP_VIEW (widget);

  GTK_WIDGET_CLASS (plm_heatmap_view_parent_class)->realize (widget);
  if (!self->map)
    create_map_child (self);
}

/* ---- input --------------------------------------------------------------------------------- */

static void
set_hover (PlmHeatmapView *self, int row, int col, double x, double y)
{
  gboolean changed = row != self->hover_row || col != self->hover_col;

  self->hover_x = x, self->hover_y = y;
  self->hover_row = row, self->hover_col = col;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  if (changed)
    g_signal_emit (self, signals[HOVERED], 0, row, col);
}

static void
update_hover (PlmHeatmapView *self)
{
  int row = -1, col = -1;
  if (self->hover_row >= 0 &&
      !plm_heatmap_view_lookup (self, self->hover_x, self->hover_y, &row, &col, NULL))
    row = col = -1;
  if (row != self->hover_row || col != self->hover_col)
    set_hover (self, row, col, self->hover_x, self->hover_y);
}

static void
on_motion (GtkEventControllerMotion *motion, double x, double y, PlmHeatmapView *self)
{
  int row = -1, col = -1;
  if (!plm_heatmap_view_lookup (self, x, y, &row, &col, NULL))
    row = col = -1;
  set_hover (self, row, col, x, y);
}

static void
on_leave (GtkEventControllerMotion *motion, PlmHeatmapView *self)
{
  set_hover (self, -1, -1, 0, 0);
}

static gboolean
on_scroll (GtkEventControllerScroll *scroll, double dx, double dy, PlmHeatmapView *self)
{
  GdkModifierType state = gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (scroll));
  gboolean wheel = gtk_event_controller_scroll_get_unit (scroll) == GDK_SCROLL_UNIT_WHEEL;

  if (state & GDK_CONTROL_MASK)
    {
      double x = self->hover_x, y = self->hover_y;
      if (self->hover_row < 0)
        {
          double w, h;
          map_area (self, &w, &h);
          x = RULER_LEFT + w / 2, y = RULER_TOP + h / 2;
        }
      plm_heatmap_view_zoom_at (self, pow (wheel ? 1.25 : 1.01, -dy), x, y);
    }
  else
    plm_heatmap_view_pan (self, -dx * (wheel ? 48 : 1), -dy * (wheel ? 48 : 1));
  return TRUE;
}

static void
on_drag_begin (GtkGestureDrag *drag, double x, double y, PlmHeatmapView *self)
{
  self->drag_origin_x = self->origin_x;
  self->drag_origin_y = self->origin_y;
  gtk_widget_grab_focus (GTK_WIDGET (self));
}

static void
on_drag_update (GtkGestureDrag *drag, double dx, double dy, PlmHeatmapView *self)
{
  self->origin_x = self->drag_origin_x - dx / self->zoom_x;
  self->origin_y = self->drag_origin_y - dy / self->zoom_y;
  self->fitted = FALSE;
  clamp_origin (self);
  update_hover (self);
  view_changed (self);
}

static void
on_drag_end (GtkGestureDrag *drag, double dx, double dy, PlmHeatmapView *self)
{
  double x, y;
  int row, col;

  /* a press without movement is a click: select the cell */
  if (hypot (dx, dy) > 3 || !gtk_gesture_drag_get_start_point (drag, &x, &y))
    return;
  if (plm_heatmap_view_lookup (self, x, y, &row, &col, NULL))
    {
      plm_heatmap_view_set_highlight (self, row, col);
      g_signal_emit (self, signals[SELECTED], 0, row, col);
    }
}

static void
on_zoom_begin (GtkGesture *gesture, GdkEventSequence *sequence, PlmHeatmapView *self)
{
  self->gesture_zoom_x = self->zoom_x;
  self->gesture_zoom_y = self->zoom_y;
}

static void
on_zoom_scale_changed (GtkGestureZoom *gesture, double scale, PlmHeatmapView *self)
{
  double x, y;
  if (!gtk_gesture_get_bounding_box_center (GTK_GESTURE (gesture), &x, &y))
    return;
  plm_heatmap_view_zoom_at (self, self->gesture_zoom_x * scale / self->zoom_x, x, y);
}

/* Keyboard selection: Shift+arrows move the highlighted cell, which is kept on screen and
 * announced through "hovered" like the pointer; Return selects it. */
static void
move_cursor (PlmHeatmapView *self, int drow, int dcol)
{
  int r0, r1, c0, c1, row, col;
  double w, h, x, y;

  visible_window (self, &r0, &r1, &c0, &c1);
  if (r1 <= r0 || c1 <= c0)
    return;
  map_area (self, &w, &h);
  if (self->highlight_row < 0 || self->highlight_col < 0)
    {
      /* start from the cell at the top-left of the view */
      row = CLAMP ((int) ceil (self->origin_y), r0, r1 - 1);
      col = CLAMP ((int) ceil (self->origin_x), c0, c1 - 1);
    }
  else
    {
      row = CLAMP (self->highlight_row + drow, r0, r1 - 1);
      col = CLAMP (self->highlight_col + dcol, c0, c1 - 1);
    }
  plm_heatmap_view_set_highlight (self, row, col);
  /* scroll just enough to keep the cell visible */
  x = (col - self->origin_x) * self->zoom_x;
  y = (row - self->origin_y) * self->zoom_y;
  if (x < 0 || x + self->zoom_x > w)
    plm_heatmap_view_pan (self, x < 0 ? -x : w - x - self->zoom_x, 0);
  if (y < 0 || y + self->zoom_y > h)
    plm_heatmap_view_pan (self, 0, y < 0 ? -y : h - y - self->zoom_y);
  g_signal_emit (self, signals[HOVERED], 0, row, col);
}

static gboolean
on_key_pressed (GtkEventControllerKey *key, guint keyval, guint keycode, GdkModifierType state,
                PlmHeatmapView *self)
{
  double w, h;

  map_area (self, &w, &h);
  if (state & GDK_SHIFT_MASK)
    switch (keyval)
      {
      case GDK_KEY_Left:  move_cursor (self, 0, -1); return TRUE;
      case GDK_KEY_Right: move_cursor (self, 0, 1);  return TRUE;
      case GDK_KEY_Up:    move_cursor (self, -1, 0); return TRUE;
      case GDK_KEY_Down:  move_cursor (self, 1, 0);  return TRUE;
      default: break;
      }
  switch (keyval)
    {
    case GDK_KEY_Return: case GDK_KEY_KP_Enter: case GDK_KEY_space:
      if (self->highlight_row < 0 || self->highlight_col < 0)
        return FALSE;
      g_signal_emit (self, signals[SELECTED], 0, self->highlight_row, self->highlight_col);
      return TRUE;
    case GDK_KEY_plus: case GDK_KEY_equal: case GDK_KEY_KP_Add:
      plm_heatmap_view_zoom_at (self, 1.5, RULER_LEFT + w / 2, RULER_TOP + h / 2);
      return TRUE;
    case GDK_KEY_minus: case GDK_KEY_KP_Subtract:
      plm_heatmap_view_zoom_at (self, 1 / 1.5, RULER_LEFT + w / 2, RULER_TOP + h / 2);
      return TRUE;
    case GDK_KEY_0: case GDK_KEY_KP_0: case GDK_KEY_f: case GDK_KEY_F:
      plm_heatmap_view_zoom_fit (self);
      return TRUE;
    case GDK_KEY_1: case GDK_KEY_KP_1:
      plm_heatmap_view_zoom_one_to_one (self);
      return TRUE;
    case GDK_KEY_Left:  plm_heatmap_view_pan (self, w / 8, 0);  return TRUE;
    case GDK_KEY_Right: plm_heatmap_view_pan (self, -w / 8, 0); return TRUE;
    case GDK_KEY_Up:    plm_heatmap_view_pan (self, 0, h / 8);  return TRUE;
    case GDK_KEY_Down:  plm_heatmap_view_pan (self, 0, -h / 8); return TRUE;
    default:
      return FALSE;
    }
}

/* ---- GObject ------------------------------------------------------------------------------- */

static void
clear_values (PlmHeatmapView *self)
{
  if (self->values_free && self->values)
    self->values_free ((gpointer) self->values);
  self->values = NULL;
  self->values_free = NULL;
  self->rows = self->cols = 0;
}

static void
plm_heatmap_view_dispose (GObject *object)
{
  PlmHeatmapView *self = PLM_HEATMAP_VIEW (object);

  g_clear_pointer (&self->map, gtk_widget_unparent);
  G_OBJECT_CLASS (plm_heatmap_view_parent_class)->dispose (object);
}

static void
plm_heatmap_view_finalize (GObject *object)
{
  PlmHeatmapView *self = PLM_HEATMAP_VIEW (object);

  clear_values (self);
  g_clear_pointer (&self->cairo, plm_heatmap_cairo_free);
  g_free (self->row_sequence);
  g_free (self->col_sequence);
  G_OBJECT_CLASS (plm_heatmap_view_parent_class)->finalize (object);
}

static void
plm_heatmap_view_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  PlmHeatmapView *self = PLM_HEATMAP_VIEW (object);
  PlmScale scale;

  plm_heatmap_view_get_scale (self, &scale);
  switch (prop_id)
    {
    case PROP_COLOR_MAP:
      g_value_set_int (value, plm_heatmap_view_get_color_map (self));
      break;
    case PROP_SCALE_KIND:
      g_value_set_int (value, scale.kind);
      break;
    case PROP_SCALE_MIN:
      g_value_set_float (value, scale.vmin);
      break;
    case PROP_SCALE_MAX:
      g_value_set_float (value, scale.vmax);
      break;
    case PROP_SHOW_SPECIAL_TOKENS:
      g_value_set_boolean (value, plm_heatmap_view_get_show_special_tokens (self));
      break;
    case PROP_RENDERER:
      g_value_set_int (value, self->renderer);
      break;
    case PROP_KEEP_ASPECT:
      g_value_set_boolean (value, self->keep_aspect);
      break;
    case PROP_ZOOM:
      g_value_set_double (value, plm_heatmap_view_get_zoom (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
plm_heatmap_view_set_property (GObject *object, guint prop_id, const GValue *value,
                               GParamSpec *pspec)
{
  PlmHeatmapView *self = PLM_HEATMAP_VIEW (object);
  PlmScale scale;

  plm_heatmap_view_get_scale (self, &scale);
  switch (prop_id)
    {
    case PROP_COLOR_MAP:
      plm_heatmap_view_set_color_map (self, g_value_get_int (value));
      break;
    case PROP_SCALE_KIND:
      scale.kind = g_value_get_int (value);
      plm_heatmap_view_set_scale (self, &scale);
      break;
    case PROP_SCALE_MIN:
      scale.vmin = g_value_get_float (value);
      plm_heatmap_view_set_scale (self, &scale);
      break;
    case PROP_SCALE_MAX:
      scale.vmax = g_value_get_float (value);
      plm_heatmap_view_set_scale (self, &scale);
      break;
    case PROP_SHOW_SPECIAL_TOKENS:
      plm_heatmap_view_set_show_special_tokens (self, g_value_get_boolean (value));
      break;
    case PROP_RENDERER:
      plm_heatmap_view_set_renderer (self, g_value_get_int (value));
      break;
    case PROP_KEEP_ASPECT:
      plm_heatmap_view_set_keep_aspect (self, g_value_get_boolean (value));
      break;
    case PROP_ZOOM:
      plm_heatmap_view_set_zoom (self, g_value_get_double (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
plm_heatmap_view_class_init (PlmHeatmapViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = plm_heatmap_view_dispose;
  object_class->finalize = plm_heatmap_view_finalize;
  object_class->get_property = plm_heatmap_view_get_property;
  object_class->set_property = plm_heatmap_view_set_property;

  widget_class->snapshot = plm_heatmap_view_snapshot;
  widget_class->measure = plm_heatmap_view_measure;
  widget_class->size_allocate = plm_heatmap_view_size_allocate;
  widget_class->realize = plm_heatmap_view_realize;

  properties[PROP_COLOR_MAP] =
    g_param_spec_int ("color-map", NULL, NULL, 0, PLM_N_COLOR_MAPS - 1, PLM_COLOR_MAP_VIRIDIS,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SCALE_KIND] =
    g_param_spec_int ("scale-kind", NULL, NULL, PLM_SCALE_LINEAR, PLM_SCALE_PERCENTILE,
                      PLM_SCALE_LINEAR,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SCALE_MIN] =
    g_param_spec_float ("scale-min", NULL, NULL, -G_MAXFLOAT, G_MAXFLOAT, 0.0f,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SCALE_MAX] =
    g_param_spec_float ("scale-max", NULL, NULL, -G_MAXFLOAT, G_MAXFLOAT, 1.0f,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SHOW_SPECIAL_TOKENS] =
    g_param_spec_boolean ("show-special-tokens", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_RENDERER] =
    g_param_spec_int ("renderer", NULL, NULL, PLM_HEATMAP_RENDERER_AUTO, PLM_HEATMAP_RENDERER_CAIRO,
                      PLM_HEATMAP_RENDERER_AUTO,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_KEEP_ASPECT] =
    g_param_spec_boolean ("keep-aspect", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ZOOM] =
    g_param_spec_double ("zoom", NULL, NULL, MIN_ZOOM, MAX_ZOOM, 1.0,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* (row, column) under the pointer, (-1, -1) when it leaves the map */
  signals[HOVERED] = g_signal_new ("hovered", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_INT, G_TYPE_INT);
  signals[SELECTED] = g_signal_new ("selected", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                    0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_INT, G_TYPE_INT);

  gtk_widget_class_set_css_name (widget_class, "plmheatmapview");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
plm_heatmap_view_init (PlmHeatmapView *self)
{
  GtkEventController *controller;
  GtkGesture *gesture;

  self->color_map = PLM_COLOR_MAP_VIRIDIS;
  self->scale = (PlmScale) { PLM_SCALE_LINEAR, 0.0f, 1.0f };
  self->show_special = TRUE;
  self->keep_aspect = TRUE;
  self->fitted = TRUE;
  self->zoom_x = self->zoom_y = 1.0;
  self->hover_row = self->hover_col = -1;
  self->highlight_row = self->highlight_col = -1;

  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_HIDDEN);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Heatmap"),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  _("Arrow keys pan, plus and minus zoom, 0 fits, 1 shows one cell per pixel; "
                                    "Shift and the arrow keys move the highlighted cell, Enter selects it"),
                                  -1);

  controller = gtk_event_controller_motion_new ();
  g_signal_connect (controller, "motion", G_CALLBACK (on_motion), self);
  g_signal_connect (controller, "leave", G_CALLBACK (on_leave), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  controller = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_BOTH_AXES);
  g_signal_connect (controller, "scroll", G_CALLBACK (on_scroll), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  gesture = gtk_gesture_drag_new ();
  g_signal_connect (gesture, "drag-begin", G_CALLBACK (on_drag_begin), self);
  g_signal_connect (gesture, "drag-update", G_CALLBACK (on_drag_update), self);
  g_signal_connect (gesture, "drag-end", G_CALLBACK (on_drag_end), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (gesture));

  gesture = gtk_gesture_zoom_new ();
  g_signal_connect (gesture, "begin", G_CALLBACK (on_zoom_begin), self);
  g_signal_connect (gesture, "scale-changed", G_CALLBACK (on_zoom_scale_changed), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (gesture));

  controller = gtk_event_controller_key_new ();
  g_signal_connect (controller, "key-pressed", G_CALLBACK (on_key_pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);
}

/* ---- public API ---------------------------------------------------------------------------- */

GtkWidget *
plm_heatmap_view_new (void)
{
  return g_object_new (PLM_TYPE_HEATMAP_VIEW, NULL);
}

void
plm_heatmap_view_set_data_full (PlmHeatmapView *self, const float *values, int rows, int cols,
                                GDestroyNotify free_func)
{
  g_autofree char *description = NULL;

  g_return_if_fail (PLM_IS_HEATMAP_VIEW (self));
  g_return_if_fail (rows >= 0 && cols >= 0);

  clear_values (self);
  if (values && rows > 0 && cols > 0)
    {
      self->values = values;
      self->values_free = free_func;
      self->rows = rows;
      self->cols = cols;
    }
  else if (values && free_func)
    free_func ((gpointer) values);
  self->hover_row = self->hover_col = -1;
  self->highlight_row = self->highlight_col = -1;
  self->serial++;
  self->fitted = TRUE;
  apply_fit (self);

  /* Translators: accessible description of the heatmap, rows × columns */
  description = g_strdup_printf (_("%d × %d heatmap"), self->rows, self->cols);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_ROLE_DESCRIPTION, description, -1);
  view_changed (self);
}

void
plm_heatmap_view_set_data (PlmHeatmapView *self, const float *values, int rows, int cols)
{
  g_return_if_fail (PLM_IS_HEATMAP_VIEW (self));

  if (!values || rows <= 0 || cols <= 0)
    plm_heatmap_view_set_data_full (self, NULL, 0, 0, NULL);
  else
    plm_heatmap_view_set_data_full (self, g_memdup2 (values, (gsize) rows * cols * sizeof (float)),
                                    rows, cols, g_free);
}

const float *
plm_heatmap_view_get_data (PlmHeatmapView *self, int *rows, int *cols)
{
  g_return_val_if_fail (PLM_IS_HEATMAP_VIEW (self), NULL);
  if (rows)
    *rows = self->rows;
  if (cols)
    *cols = self->cols;
  return self->values;
}

void
plm_heatmap_view_set_color_map (PlmHeatmapView *self, PlmColorMap map)
{
  g_return_if_fail (PLM_IS_HEATMAP_VIEW (self));
  g_return_if_fail ((int) map >= 0 && map < PLM_N_COLOR_MAPS);

  if (self->color_map == map)
    return;
  self->color_map = map;
  view_changed (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COLOR_MAP]);
}

PlmColorMap
plm_heatmap_view_get_color_map (PlmHeatmapView *self)
{
  g_return_val_if_fail (PLM_IS_HEATMAP_VIEW (self), PLM_COLOR_MAP_VIRIDIS);
  return self->color_map;
}

void
plm_heatmap_view_set_scale (PlmHeatmapView *self, const PlmScale *scale)
{
  PlmScale old;

  g_return_if_fail (PLM_IS_HEATMAP_VIEW (self));
  g_return_if_fail (scale != NULL);

  old = self->scale;
  self->scale = *scale;
  /* only the shader's thresholds (GL) or the cached surface (cairo) change */
  view_changed (self);
  if (old.kind != scale->kind)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SCALE_KIND]);
  if (old.vmin != scale->vmin)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SCALE_MIN]);
  if (old.vmax != scale->vmax)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SCALE_MAX]);
}

void
plm_heatmap_view_get_scale (PlmHeatmapView *self, PlmScale *scale)
{
  g_return_if_fail (PLM_IS_HEATMAP_VIEW (self));
  *scale = self->scale;
}

void
plm_heatmap_view_fit_scale (PlmHeatmapView *self, PlmScaleKind kind, double lo, double hi)
{
  int r0, r1, c0, c1;
  g_autofree float *window = NULL;
  gsize n = 0;
  PlmScale scale;

  g_return_if_fail (PLM_IS_HEATMAP_VIEW (self));

  visible_window (self, &r0, &r1, &c0, &c1);
  window = g_new (float, (gsize) MAX (0, r1 - r0) * MAX (0, c1 - c0) + 1);
  for (int r = r0; r < r1; r++)
    for (int c = c0; c < c1; c++)
      window[n++] = self->values[(gsize) r * self->cols + c];
  plm_scale_fit (&scale, kind, window, n, lo, hi);
  plm_heatmap_view_set_scale (self, &scale);
}

static void
labels_changed (PlmHeatmapView *self)
{
  if (self->fitted)
    apply_fit (self);
  else
    clamp_origin (self);
  update_hover (self);
  view_changed (self);
}

void
plm_heatmap_view_set_labels (PlmHeatmapView *self, const char *row_sequence, int row_offset,
                             const char *col_sequence, int col_offset)
{
  g_return_if_fail (PLM_IS_HEATMAP_VIEW (self));

  g_free (self->row_sequence);
  g_free (self->col_sequence);
  self->row_sequence = g_strdup (row_sequence);
  self->col_sequence = g_strdup (col_sequence);
  self->row_offset = MAX (0, row_offset);
  self->col_offset = MAX (0, col_offset);
  labels_changed (self);
}

void
plm_heatmap_view_set_sequence (PlmHeatmapView *self, const char *sequence, int offset)
{
  plm_heatmap_view_set_labels (self, sequence, offset, sequence, offset);
}

void
plm_heatmap_view_set_show_special_tokens (PlmHeatmapView *self, gboolean show)
{
  g_return_if_fail (PLM_IS_HEATMAP_VIEW (self));

  show = !!show;
  if (self->show_special == show)
    return;
  self->show_special = show;
  labels_changed (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SHOW_SPECIAL_TOKENS]);
}

gboolean
plm_heatmap_view_get_show_special_tokens (PlmHeatmapView *self)
{
  g_return_val_if_fail (PLM_IS_HEATMAP_VIEW (self), TRUE);
  return self->show_special;
}

void
plm_heatmap_view_set_renderer (PlmHeatmapView *self, PlmHeatmapRenderer renderer)
{
  g_return_if_fail (PLM_IS_HEATMAP_VIEW (self));

  if (self->renderer == renderer)
    return;
  self->renderer = renderer;
  if (gtk_widget_get_realized (GTK_WIDGET (self)))
    {
      g_clear_pointer (&self->map, gtk_widget_unparent);
      create_map_child (self);
      gtk_widget_queue_allocate (GTK_WIDGET (self));
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RENDERER]);
}

PlmHeatmapRenderer
plm_heatmap_view_get_active_renderer (PlmHeatmapView *self)
{
  g_return_val_if_fail (PLM_IS_HEATMAP_VIEW (self), PLM_HEATMAP_RENDERER_AUTO);
  return self->map ? self->active : PLM_HEATMAP_RENDERER_AUTO;
}

/* Zoom to (@zx, @zy) pixels per cell keeping the data point under (@x, @y) in place. */
static void
zoom_to (PlmHeatmapView *self, double zx, double zy, double x, double y)
{
  double mx = x - RULER_LEFT, my = y - RULER_TOP;

  zx = CLAMP (zx, MIN_ZOOM, MAX_ZOOM);
  zy = CLAMP (zy, MIN_ZOOM, MAX_ZOOM);
  self->origin_x += mx / self->zoom_x - mx / zx;
  self->origin_y += my / self->zoom_y - my / zy;
  self->zoom_x = zx, self->zoom_y = zy;
  self->fitted = FALSE;
  clamp_origin (self);
  update_hover (self);
  view_changed (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ZOOM]);
}

void
plm_heatmap_view_zoom_at (PlmHeatmapView *self, double factor, double x, double y)
{
  g_return_if_fail (PLM_IS_HEATMAP_VIEW (self));
  g_return_if_fail (factor > 0);

  zoom_to (self, self->zoom_x * factor, self->zoom_y * factor, x, y);
}

void
plm_heatmap_view_set_zoom (PlmHeatmapView *self, double pixels_per_cell)
{
  double w, h;

  g_return_if_fail (PLM_IS_HEATMAP_VIEW (self));
  map_area (self, &w, &h);
  /* rows get @pixels_per_cell; columns keep their aspect ratio to rows */
  zoom_to (self, pixels_per_cell * self->zoom_x / self->zoom_y, pixels_per_cell,
           RULER_LEFT + w / 2, RULER_TOP + h / 2);
}

double
plm_heatmap_view_get_zoom (PlmHeatmapView *self)
{
  g_return_val_if_fail (PLM_IS_HEATMAP_VIEW (self), 1.0);
  return self->zoom_y;
}

void
plm_heatmap_view_pan (PlmHeatmapView *self, double dx, double dy)
{
  g_return_if_fail (PLM_IS_HEATMAP_VIEW (self));

  self->origin_x -= dx / self->zoom_x;
  self->origin_y -= dy / self->zoom_y;
  self->fitted = FALSE;
  clamp_origin (self);
  update_hover (self);
  view_changed (self);
}

void
plm_heatmap_view_zoom_fit (PlmHeatmapView *self)
{
  g_return_if_fail (PLM_IS_HEATMAP_VIEW (self));

  self->fitted = TRUE;
  apply_fit (self);
  update_hover (self);
  view_changed (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ZOOM]);
}

void
plm_heatmap_view_zoom_one_to_one (PlmHeatmapView *self)
{
  double w, h, z;

  g_return_if_fail (PLM_IS_HEATMAP_VIEW (self));
  /* one cell per device pixel */
  z = 1.0 / gtk_widget_get_scale_factor (GTK_WIDGET (self));
  map_area (self, &w, &h);
  zoom_to (self, z, z, RULER_LEFT + w / 2, RULER_TOP + h / 2);
}

void
plm_heatmap_view_set_keep_aspect (PlmHeatmapView *self, gboolean keep_aspect)
{
  g_return_if_fail (PLM_IS_HEATMAP_VIEW (self));

  keep_aspect = !!keep_aspect;
  if (self->keep_aspect == keep_aspect)
    return;
  self->keep_aspect = keep_aspect;
  if (self->fitted)
    apply_fit (self);
  view_changed (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KEEP_ASPECT]);
}

gboolean
plm_heatmap_view_get_keep_aspect (PlmHeatmapView *self)
{
  g_return_val_if_fail (PLM_IS_HEATMAP_VIEW (self), TRUE);
  return self->keep_aspect;
}

gboolean
plm_heatmap_view_lookup (PlmHeatmapView *self, double x, double y, int *row, int *col,
                         float *value)
{
  int r0, r1, c0, c1, r, c;
  double w, h, dx, dy;

  g_return_val_if_fail (PLM_IS_HEATMAP_VIEW (self), FALSE);

  if (!self->values)
    return FALSE;
  map_area (self, &w, &h);
  x -= RULER_LEFT, y -= RULER_TOP;
  if (x < 0 || y < 0 || x >= w || y >= h)
    return FALSE;
  /* the same mapping as the shader and the cairo transform: floor (origin + x / zoom) */
  dx = self->origin_x + x / self->zoom_x;
  dy = self->origin_y + y / self->zoom_y;
  if (dx < 0 || dy < 0)
    return FALSE;
  c = (int) floor (dx);
  r = (int) floor (dy);
  visible_window (self, &r0, &r1, &c0, &c1);
  if (r < r0 || r >= r1 || c < c0 || c >= c1)
    return FALSE;
  if (row)
    *row = r;
  if (col)
    *col = c;
  if (value)
    *value = self->values[(gsize) r * self->cols + c];
  return TRUE;
}

gboolean
plm_heatmap_view_get_cell_center (PlmHeatmapView *self, int row, int col, double *x, double *y)
{
  double w, h, cx, cy;

  g_return_val_if_fail (PLM_IS_HEATMAP_VIEW (self), FALSE);

  map_area (self, &w, &h);
  cx = (col + 0.5 - self->origin_x) * self->zoom_x;
  cy = (row + 0.5 - self->origin_y) * self->zoom_y;
  if (x)
    *x = cx + RULER_LEFT;
  if (y)
    *y = cy + RULER_TOP;
  return row >= 0 && row < self->rows && col >= 0 && col < self->cols &&
         cx >= 0 && cy >= 0 && cx < w && cy < h;
}

void
plm_heatmap_view_set_highlight (PlmHeatmapView *self, int row, int col)
{
  g_return_if_fail (PLM_IS_HEATMAP_VIEW (self));

  self->highlight_row = row >= 0 && row < self->rows ? row : -1;
  self->highlight_col = col >= 0 && col < self->cols ? col : -1;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

gboolean
plm_heatmap_view_get_gl_stats (PlmHeatmapView *self, guint *uploads, guint *recolors, guint *frames)
{
  g_return_val_if_fail (PLM_IS_HEATMAP_VIEW (self), FALSE);

  if (self->active != PLM_HEATMAP_RENDERER_GL || !self->gl)
    return FALSE;
  plm_heatmap_gl_get_stats (self->gl, uploads, recolors, frames);
  return TRUE;
}
