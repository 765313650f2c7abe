/* plm-heatmap-view.c: the heatmap every view is built on — the widget, its properties and data,
 * and its map drawn by GL (plm-heatmap-gl.c) or cairo (plm-heatmap-cairo.c); the view transform,
 * drawing over the map and input are in plm-heatmap-view-{geometry,draw,input}.c. */
#include "plm-heatmap-view-private.h"

#include <glib/gi18n.h>

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

/* ---- shared with the other plm-heatmap-view*.c files --------------------------------------- */

void
plm_heatmap_view_redraw (PlmHeatmapView *self)
{
  if (self->map)
    gtk_widget_queue_draw (self->map);
  if (self->reset_button)
    gtk_widget_set_visible (self->reset_button, plm_heatmap_view_get_zoomed (self));
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
plm_heatmap_view_notify_zoom (PlmHeatmapView *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ZOOM]);
}

void
plm_heatmap_view_emit_hovered (PlmHeatmapView *self, int row, int col)
{
  g_signal_emit (self, signals[HOVERED], 0, row, col);
}

void
plm_heatmap_view_emit_selected (PlmHeatmapView *self, int row, int col)
{
  g_signal_emit (self, signals[SELECTED], 0, row, col);
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
  plm_heatmap_view_visible_window (self, &frame->window[1], &frame->window[3],
                                   &frame->window[0], &frame->window[2]);
  plm_heatmap_view_tile_frame (self, frame);
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
  get_frame (self, GTK_WIDGET (area), &frame);
  if (frame.rows > plm_heatmap_gl_max_size (self->gl) || frame.cols > plm_heatmap_gl_max_size (self->gl))
    {
      /* larger than a texture may be (a display cap above it): cairo has no such limit */
      g_idle_add (switch_to_cairo_idle, g_object_ref (self));
      return TRUE;
    }
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
  plm_heatmap_view_redraw (self);
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
  if (self->reset_button && gtk_widget_should_layout (self->reset_button))
    {
      GtkRequisition req;

      /* the top-left corner, left of the column numbers and above the row numbers */
      gtk_widget_get_preferred_size (self->reset_button, NULL, &req);
      gtk_widget_size_allocate (self->reset_button,
                                &(GtkAllocation) { 0, 0, MIN (req.width, RULER_LEFT), MIN (req.height, RULER_TOP) }, -1);
    }
  if (self->fitted)
    plm_heatmap_view_apply_fit (self);
  else
    plm_heatmap_view_clamp_origin (self);
}

static void
plm_heatmap_view_realize (GtkWidget *widget)
{
  PlmHeatmapView *self = PLM_HEATMAP_VIEW (widget);

  GTK_WIDGET_CLASS (plm_heatmap_view_parent_class)->realize (widget);
  if (!self->map)
    create_map_child (self);
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
  g_clear_pointer (&self->reset_button, gtk_widget_unparent);
  if (self->readout_destroy)
    self->readout_destroy (self->readout_data);
  self->readout_func = NULL;
  self->readout_destroy = NULL;
  G_OBJECT_CLASS (plm_heatmap_view_parent_class)->dispose (object);
}

static void
plm_heatmap_view_finalize (GObject *object)
{
  PlmHeatmapView *self = PLM_HEATMAP_VIEW (object);

  clear_values (self);
  plm_heatmap_view_clear_tiles (self);
  g_clear_pointer (&self->cairo, plm_heatmap_cairo_free);
  g_free (self->row_sequence);
  g_free (self->col_sequence);
  g_free (self->hover_readout);
  g_clear_pointer (&self->marks, g_array_unref);
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
  self->color_map = PLM_COLOR_MAP_VIRIDIS;
  self->scale = (PlmScale) { PLM_SCALE_LINEAR, 0.0f, 1.0f };
  self->show_special = TRUE;
  self->keep_aspect = TRUE;
  self->fitted = TRUE;
  self->zoom_x = self->zoom_y = 1.0;
  self->hover_row = self->hover_col = -1;
  self->highlight_row = self->highlight_col = -1;
  self->display_cap = plm_heatmap_display_cap ();

  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_HIDDEN);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Heatmap"),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  _("Arrow keys pan, plus and minus zoom, 0 or a double click fits, 1 shows one cell per pixel; "
                                    "Shift and the arrow keys move the highlighted cell, Enter selects it"),
                                  -1);

  plm_heatmap_view_init_input (self);

  /* in the empty corner between the rulers: it never covers cells */
  self->reset_button = gtk_button_new_from_icon_name ("zoom-original-symbolic");
  gtk_widget_set_tooltip_text (self->reset_button, _("Reset Zoom (0 or double-click)"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->reset_button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Reset Zoom"), -1);
  gtk_widget_add_css_class (self->reset_button, "flat");
  gtk_widget_set_focus_on_click (self->reset_button, FALSE);
  gtk_widget_set_visible (self->reset_button, FALSE);
  gtk_widget_set_parent (self->reset_button, GTK_WIDGET (self));
  g_signal_connect_swapped (self->reset_button, "clicked", G_CALLBACK (plm_heatmap_view_zoom_fit), self);
}

/* ---- public API ---------------------------------------------------------------------------- */

GtkWidget *
plm_heatmap_view_new (void)
{
  return g_object_new (PLM_TYPE_HEATMAP_VIEW, NULL);
}

/* New data: a matrix (@values, taken) or a source (@fill), or none. */
static void
replace_data (PlmHeatmapView *self, const float *values, int rows, int cols, GDestroyNotify free_func,
              PlmHeatmapFillFunc fill, gpointer fill_data, GDestroyNotify fill_destroy)
{
  g_autofree char *description = NULL;

  clear_values (self);
  plm_heatmap_view_clear_tiles (self);
  if ((values || fill) && rows > 0 && cols > 0)
    {
      self->values = values;
      self->values_free = free_func;
      self->fill = values ? NULL : fill;
      self->fill_data = values ? NULL : fill_data;
      self->fill_destroy = values ? NULL : fill_destroy;
      self->rows = rows;
      self->cols = cols;
    }
  else
    {
      if (values && free_func)
        free_func ((gpointer) values);
      if (fill_destroy)
        fill_destroy (fill_data);
    }
  self->hover_row = self->hover_col = -1;
  g_clear_pointer (&self->hover_readout, g_free);
  self->highlight_row = self->highlight_col = -1;
  if (self->marks)
    g_array_set_size (self->marks, 0);
  self->serial++;
  self->fitted = TRUE;
  plm_heatmap_view_apply_fit (self);

  /* Translators: accessible description of the heatmap, rows × columns */
  description = g_strdup_printf (_("%d × %d heatmap"), self->rows, self->cols);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_ROLE_DESCRIPTION, description, -1);
  plm_heatmap_view_redraw (self);
}

void
plm_heatmap_view_set_data_full (PlmHeatmapView *self, const float *values, int rows, int cols,
                                GDestroyNotify free_func)
{
  g_return_if_fail (PLM_IS_HEATMAP_VIEW (self));
  g_return_if_fail (rows >= 0 && cols >= 0);

  replace_data (self, values, rows, cols, free_func, NULL, NULL, NULL);
}

void
plm_heatmap_view_set_source (PlmHeatmapView *self, int rows, int cols, PlmHeatmapFillFunc fill,
                             gpointer user_data, GDestroyNotify destroy)
{
  g_return_if_fail (PLM_IS_HEATMAP_VIEW (self));
  g_return_if_fail (rows >= 0 && cols >= 0);

  replace_data (self, NULL, rows, cols, NULL, fill, user_data, destroy);
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
  plm_heatmap_view_redraw (self);
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
  plm_heatmap_view_redraw (self);
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

static void
labels_changed (PlmHeatmapView *self)
{
  if (self->fitted)
    plm_heatmap_view_apply_fit (self);
  else
    plm_heatmap_view_clamp_origin (self);
  plm_heatmap_view_update_hover (self);
  plm_heatmap_view_redraw (self);
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
plm_heatmap_view_set_row_letters_only (PlmHeatmapView *self, gboolean letters_only)
{
  g_return_if_fail (PLM_IS_HEATMAP_VIEW (self));
  self->row_letters_only = letters_only;
  gtk_widget_queue_draw (GTK_WIDGET (self));
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

void
plm_heatmap_view_set_keep_aspect (PlmHeatmapView *self, gboolean keep_aspect)
{
  g_return_if_fail (PLM_IS_HEATMAP_VIEW (self));

  keep_aspect = !!keep_aspect;
  if (self->keep_aspect == keep_aspect)
    return;
  self->keep_aspect = keep_aspect;
  if (self->fitted)
    plm_heatmap_view_apply_fit (self);
  plm_heatmap_view_redraw (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KEEP_ASPECT]);
}

gboolean
plm_heatmap_view_get_keep_aspect (PlmHeatmapView *self)
{
  g_return_val_if_fail (PLM_IS_HEATMAP_VIEW (self), TRUE);
  return self->keep_aspect;
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

void
plm_heatmap_view_set_readout_func (PlmHeatmapView *self, PlmHeatmapReadoutFunc func, gpointer user_data,
                                   GDestroyNotify destroy)
{
  g_return_if_fail (PLM_IS_HEATMAP_VIEW (self));

  if (self->readout_destroy)
    self->readout_destroy (self->readout_data);
  self->readout_func = func;
  self->readout_data = user_data;
  self->readout_destroy = destroy;
  g_free (self->hover_readout);
  self->hover_readout = plm_heatmap_view_dup_readout (self, self->hover_row, self->hover_col);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
plm_heatmap_view_set_marks (PlmHeatmapView *self, const PlmHeatmapMark *marks, int n_marks)
{
  g_return_if_fail (PLM_IS_HEATMAP_VIEW (self));
  g_return_if_fail (n_marks >= 0);

  if (self->marks == NULL)
    self->marks = g_array_new (FALSE, FALSE, sizeof (PlmHeatmapMark));
  g_array_set_size (self->marks, 0);
  if (marks != NULL && n_marks > 0)
    g_array_append_vals (self->marks, marks, (guint) n_marks);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}
