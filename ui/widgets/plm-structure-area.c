/* plm-structure-area.c: the 3D structure widget (see the header). The GL/cairo choice follows
 * PlmHeatmapView: GL when the display makes a context and the area realises, cairo otherwise. */
#include "plm-structure-area.h"

#include <epoxy/gl.h>
#include <math.h>
#include <string.h>

#include "plm-structure-gl.h"

struct _PlmStructureArea
{
  GtkWidget           parent_instance;

  GtkWidget          *child;        /* GtkGLArea or GtkDrawingArea */
  PlmHeatmapRenderer  renderer;     /* asked for */
  PlmHeatmapRenderer  active;
  PlmStructureGl     *gl;
  PlmStructureScene  *scene;
  guint               serial;
  PlmCamera           camera;
  gboolean            needs_fit;
  gboolean            keep_rotation;
  int                 width, height;
  double              drag_x, drag_y;
  int                 hovered;
  guint               n_frames;
  gboolean            timed;        /* GL frames end in glFinish, so render_ms is their cost */
  double              render_ms;    /* the last frame's drawing */
  PlmStructureReadoutFunc readout;
  gpointer            readout_data;
  gboolean            moving;       /* a rotation, pan or zoom in progress: fast GL frames */
  guint               settle_id;    /* ends it: the full frame after the last movement */
};

G_DEFINE_FINAL_TYPE (PlmStructureArea, plm_structure_area, GTK_TYPE_WIDGET)

enum { SIGNAL_HOVERED, SIGNAL_ACTIVATED, N_SIGNALS };
static guint signals[N_SIGNALS];

static void
redraw (PlmStructureArea *self)
{
  if (self->child == NULL)
    return;
  if (GTK_IS_GL_AREA (self->child))
    gtk_gl_area_queue_render (GTK_GL_AREA (self->child));
  else
    gtk_widget_queue_draw (self->child);
}

/* How long after the last movement the view is drawn in full again: longer than the gaps
 * between the events of a drag, short enough not to be noticed. */
#define SETTLE_MS 150

static gboolean
settle (gpointer data)
{
  PlmStructureArea *self = data;
  self->settle_id = 0;
  self->moving = FALSE;
  redraw (self);
  return G_SOURCE_REMOVE;
}

/* A frame of a movement: drawn fast (plm_structure_gl_draw), then in full once it stops. */
static void
redraw_moving (PlmStructureArea *self)
{
  self->moving = TRUE;
  g_clear_handle_id (&self->settle_id, g_source_remove);
  self->settle_id = g_timeout_add (SETTLE_MS, settle, self);
  redraw (self);
}

static void
fit (PlmStructureArea *self)
{
  float rot[9];
  memcpy (rot, self->camera.rot, sizeof rot);
  plm_camera_fit (&self->camera, self->scene, MAX (self->width, 1), MAX (self->height, 1));
  if (self->keep_rotation)
    memcpy (self->camera.rot, rot, sizeof rot);
  else
    {
      /* seen along its principal axes, and as large as the widget allows */
      plm_camera_orient (&self->camera, self->scene);
      plm_camera_fill (&self->camera, self->scene, MAX (self->width, 1), MAX (self->height, 1));
    }
  self->needs_fit = self->width <= 1 || self->height <= 1;
}

/* ---- drawing ---- */

static void
draw_cairo (GtkDrawingArea *area, cairo_t *cr, int width, int height, gpointer data)
{
  PlmStructureArea *self = data;
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  if (self->scene == NULL)
    return;
  gint64 t0 = g_get_monotonic_time ();
  plm_structure_scene_draw (self->scene, &self->camera, cr, width, height);
  self->render_ms = (g_get_monotonic_time () - t0) / 1000.0;
  self->n_frames++;
}

static void switch_to_cairo (PlmStructureArea *self);

static gboolean
switch_to_cairo_idle (gpointer data)
{
  PlmStructureArea *self = data;
  if (self->active == PLM_HEATMAP_RENDERER_GL)
    switch_to_cairo (self);
  g_object_unref (self);
  return G_SOURCE_REMOVE;
}

static void
gl_realize (GtkGLArea *area, PlmStructureArea *self)
{
  g_autoptr(GError) error = NULL;
  GdkGLContext *context;
  gtk_gl_area_make_current (area);
  if (gtk_gl_area_get_error (area) != NULL || !(context = gtk_gl_area_get_context (area))
      || !(self->gl = plm_structure_gl_new (context, &error)))
    {
      g_debug ("structure: GL unavailable (%s), drawing with cairo", error ? error->message : "no context");
      g_idle_add (switch_to_cairo_idle, g_object_ref (self));
    }
}

static void
gl_unrealize (GtkGLArea *area, PlmStructureArea *self)
{
  gtk_gl_area_make_current (area);
  if (gtk_gl_area_get_error (area) == NULL)
    g_clear_pointer (&self->gl, plm_structure_gl_free);
  else
    g_clear_pointer (&self->gl, g_free);
}

static gboolean
gl_render (GtkGLArea *area, GdkGLContext *context, PlmStructureArea *self)
{
  if (self->gl == NULL)
    return FALSE;
  int scale = gtk_widget_get_scale_factor (GTK_WIDGET (area));
  gint64 t0 = g_get_monotonic_time ();
  PlmCamera cam = self->camera;
  /* the camera is in widget pixels, the framebuffer in device pixels */
  cam.zoom *= scale;
  cam.pan[0] *= scale;
  cam.pan[1] *= scale;
  if (self->scene != NULL)
    plm_structure_gl_draw (self->gl, self->scene, self->serial, &cam, self->width * scale, self->height * scale,
                           self->moving);
  else
    {
      glClearColor (1, 1, 1, 1);
      glClear (GL_COLOR_BUFFER_BIT);
    }
  if (self->timed)
    {
      glFinish ();
      self->render_ms = (g_get_monotonic_time () - t0) / 1000.0;
    }
  self->n_frames++;
  return TRUE;
}

static void
set_child (PlmStructureArea *self, GtkWidget *child, PlmHeatmapRenderer active)
{
  g_clear_pointer (&self->child, gtk_widget_unparent);
  self->child = child;
  self->active = active;
  gtk_widget_set_parent (child, GTK_WIDGET (self));
  gtk_widget_set_can_target (child, FALSE);
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

static void
switch_to_cairo (PlmStructureArea *self)
{
  GtkWidget *area = gtk_drawing_area_new ();
  gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (area), draw_cairo, self, NULL);
  set_child (self, area, PLM_HEATMAP_RENDERER_CAIRO);
}

static gboolean
display_has_gl (GtkWidget *widget, gboolean *use_es)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkGLContext) context = gdk_display_create_gl_context (gtk_widget_get_display (widget), &error);
  if (context && gdk_gl_context_realize (context, &error))
    {
      *use_es = gdk_gl_context_get_use_es (context);
      return TRUE;
    }
  return FALSE;
}

static void
create_child (PlmStructureArea *self)
{
  gboolean use_es = FALSE;
  if (self->renderer == PLM_HEATMAP_RENDERER_CAIRO || !display_has_gl (GTK_WIDGET (self), &use_es))
    {
      switch_to_cairo (self);
      return;
    }
  GtkWidget *area = gtk_gl_area_new ();
  gtk_gl_area_set_use_es (GTK_GL_AREA (area), use_es);
  gtk_gl_area_set_has_depth_buffer (GTK_GL_AREA (area), TRUE);
  g_signal_connect (area, "realize", G_CALLBACK (gl_realize), self);
  g_signal_connect (area, "unrealize", G_CALLBACK (gl_unrealize), self);
  g_signal_connect (area, "render", G_CALLBACK (gl_render), self);
  set_child (self, area, PLM_HEATMAP_RENDERER_GL);
}

/* ---- input ---- */

static void
set_hovered (PlmStructureArea *self, int residue)
{
  if (self->hovered == residue)
    return;
  self->hovered = residue;
  g_signal_emit (self, signals[SIGNAL_HOVERED], 0, residue);
}

static void
on_motion (GtkEventControllerMotion *c, double x, double y, PlmStructureArea *self)
{
  set_hovered (self, plm_structure_area_pick (self, x, y));
}

static void
on_leave (GtkEventControllerMotion *c, PlmStructureArea *self)
{
  set_hovered (self, -1);
}

static void
on_drag_begin (GtkGestureDrag *g, double x, double y, PlmStructureArea *self)
{
  self->drag_x = self->drag_y = 0;
  gtk_widget_grab_focus (GTK_WIDGET (self));
}

static void
on_drag_update (GtkGestureDrag *g, double dx, double dy, PlmStructureArea *self)
{
  guint button = gtk_gesture_single_get_current_button (GTK_GESTURE_SINGLE (g));
  double ddx = dx - self->drag_x, ddy = dy - self->drag_y;
  self->drag_x = dx;
  self->drag_y = dy;
  if (button == GDK_BUTTON_PRIMARY)
    plm_camera_rotate (&self->camera, 0.5 * ddy, 0.5 * ddx, 0);
  else
    {
      self->camera.pan[0] += (float) ddx;
      self->camera.pan[1] += (float) ddy;
    }
  redraw_moving (self);
}

static void
on_click (GtkGestureClick *g, int n_press, double x, double y, PlmStructureArea *self)
{
  int residue = plm_structure_area_pick (self, x, y);
  if (residue >= 0)
    g_signal_emit (self, signals[SIGNAL_ACTIVATED], 0, residue);
}

static gboolean
on_scroll (GtkEventControllerScroll *c, double dx, double dy, PlmStructureArea *self)
{
  self->camera.zoom *= (float) pow (1.1, -dy);
  self->camera.zoom = CLAMP (self->camera.zoom, 0.01f, 500.0f);
  redraw_moving (self);
  return TRUE;
}

static gboolean
on_key (GtkEventControllerKey *c, guint keyval, guint keycode, GdkModifierType state, PlmStructureArea *self)
{
  if (keyval == GDK_KEY_Home || keyval == GDK_KEY_KP_Home)
    {
      plm_structure_area_reset_view (self);
      return TRUE;
    }
  return FALSE;
}

char *
plm_structure_area_dup_readout (PlmStructureArea *self, double x, double y)
{
  g_return_val_if_fail (PLM_IS_STRUCTURE_AREA (self), NULL);
  int residue = plm_structure_area_pick (self, x, y);
  return residue >= 0 && self->readout != NULL ? self->readout (residue, self->readout_data) : NULL;
}

static gboolean
on_query_tooltip (GtkWidget *widget, int x, int y, gboolean keyboard, GtkTooltip *tooltip, PlmStructureArea *self)
{
  g_autofree char *text = plm_structure_area_dup_readout (self, x, y);
  if (text == NULL)
    return FALSE;
  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

/* ---- GtkWidget ---- */

static void
plm_structure_area_measure (GtkWidget *widget, GtkOrientation o, int for_size, int *minimum, int *natural,
                            int *minimum_baseline, int *natural_baseline)
{
  *minimum = 120;
  *natural = 480;
}

static void
plm_structure_area_size_allocate (GtkWidget *widget, int width, int height, int baseline)
{
  PlmStructureArea *self = PLM_STRUCTURE_AREA (widget);
  gboolean changed = width != self->width || height != self->height;
  double old = MIN (self->width, self->height);
  self->width = width;
  self->height = height;
  if (self->child)
    gtk_widget_size_allocate (self->child, &(GtkAllocation) { 0, 0, width, height }, -1);
  if (self->scene == NULL)
    return;
  if (self->needs_fit)
    fit (self);
  else if (changed && old > 1)
    self->camera.zoom *= (float) (MIN (width, height) / old);   /* the molecule keeps its share of the view */
}

static void
plm_structure_area_realize (GtkWidget *widget)
{
  PlmStructureArea *self = PLM_STRUCTURE_AREA (widget);
  GTK_WIDGET_CLASS (plm_structure_area_parent_class)->realize (widget);
  if (self->child == NULL)
    create_child (self);
}

static void
plm_structure_area_dispose (GObject *object)
{
  PlmStructureArea *self = PLM_STRUCTURE_AREA (object);
  g_clear_handle_id (&self->settle_id, g_source_remove);
  g_clear_pointer (&self->child, gtk_widget_unparent);
  g_clear_pointer (&self->scene, plm_structure_scene_free);
  G_OBJECT_CLASS (plm_structure_area_parent_class)->dispose (object);
}

static void
plm_structure_area_class_init (PlmStructureAreaClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = plm_structure_area_dispose;
  widget_class->measure = plm_structure_area_measure;
  widget_class->size_allocate = plm_structure_area_size_allocate;
  widget_class->realize = plm_structure_area_realize;
  /* a scene residue (−1 when the pointer leaves every residue) */
  signals[SIGNAL_HOVERED] = g_signal_new ("residue-hovered", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                                          NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT);
  signals[SIGNAL_ACTIVATED] = g_signal_new ("residue-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                            NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT);
  gtk_widget_class_set_css_name (widget_class, "plmstructurearea");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
plm_structure_area_init (PlmStructureArea *self)
{
  GtkEventController *motion = gtk_event_controller_motion_new ();
  GtkGesture *rotate = gtk_gesture_drag_new (), *pan = gtk_gesture_drag_new (), *click = gtk_gesture_click_new ();
  GtkEventController *scroll = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_VERTICAL);
  GtkEventController *key = gtk_event_controller_key_new ();

  self->hovered = -1;
  self->needs_fit = TRUE;
  self->camera.rot[0] = self->camera.rot[4] = self->camera.rot[8] = 1.0f;
  self->camera.zoom = 1.0f;
  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
  g_signal_connect (self, "query-tooltip", G_CALLBACK (on_query_tooltip), self);
  g_signal_connect (motion, "motion", G_CALLBACK (on_motion), self);
  g_signal_connect (motion, "leave", G_CALLBACK (on_leave), self);
  gtk_widget_add_controller (GTK_WIDGET (self), motion);
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (rotate), GDK_BUTTON_PRIMARY);
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (pan), 0);
  g_signal_connect (rotate, "drag-begin", G_CALLBACK (on_drag_begin), self);
  g_signal_connect (rotate, "drag-update", G_CALLBACK (on_drag_update), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (rotate));
  g_signal_connect (pan, "drag-begin", G_CALLBACK (on_drag_begin), self);
  g_signal_connect (pan, "drag-update", G_CALLBACK (on_drag_update), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (pan));
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_PRIMARY);
  g_signal_connect (click, "released", G_CALLBACK (on_click), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));
  g_signal_connect (scroll, "scroll", G_CALLBACK (on_scroll), self);
  gtk_widget_add_controller (GTK_WIDGET (self), scroll);
  g_signal_connect (key, "key-pressed", G_CALLBACK (on_key), self);
  gtk_widget_add_controller (GTK_WIDGET (self), key);
}

GtkWidget *
plm_structure_area_new (void)
{
  return g_object_new (PLM_TYPE_STRUCTURE_AREA, NULL);
}

void
plm_structure_area_set_scene (PlmStructureArea *self, PlmStructureScene *scene, gboolean reset)
{
  g_return_if_fail (PLM_IS_STRUCTURE_AREA (self));
  g_clear_pointer (&self->scene, plm_structure_scene_free);
  self->scene = scene;
  self->serial++;
  self->hovered = -1;
  self->keep_rotation = !reset;
  if (scene != NULL)
    fit (self);
  redraw (self);
}

PlmStructureScene *
plm_structure_area_get_scene (PlmStructureArea *self)
{
  g_return_val_if_fail (PLM_IS_STRUCTURE_AREA (self), NULL);
  return self->scene;
}

void
plm_structure_area_scene_changed (PlmStructureArea *self)
{
  g_return_if_fail (PLM_IS_STRUCTURE_AREA (self));
  self->serial++;
  redraw (self);
}

const PlmCamera *
plm_structure_area_get_camera (PlmStructureArea *self)
{
  return &self->camera;
}

void
plm_structure_area_rotate (PlmStructureArea *self, double x_degrees, double y_degrees)
{
  plm_camera_rotate (&self->camera, x_degrees, y_degrees, 0);
  redraw_moving (self);
}

gboolean
plm_structure_area_get_moving (PlmStructureArea *self)
{
  g_return_val_if_fail (PLM_IS_STRUCTURE_AREA (self), FALSE);
  return self->moving;
}

void
plm_structure_area_reset_view (PlmStructureArea *self)
{
  g_return_if_fail (PLM_IS_STRUCTURE_AREA (self));
  if (self->scene == NULL)
    return;
  self->keep_rotation = FALSE;
  fit (self);
  redraw (self);
}

gboolean
plm_structure_area_residue_point (PlmStructureArea *self, int residue, double *x, double *y)
{
  double z;
  if (self->scene == NULL || residue < 0 || residue >= (int) self->scene->residues->len)
    return FALSE;
  plm_camera_project (&self->camera, self->width, self->height,
                      g_array_index (self->scene->residues, PlmSceneResidue, residue).ca, x, y, &z);
  return TRUE;
}

int
plm_structure_area_pick (PlmStructureArea *self, double x, double y)
{
  if (self->scene == NULL)
    return -1;
  return plm_structure_scene_pick (self->scene, &self->camera, self->width, self->height, x, y);
}

void
plm_structure_area_set_readout_func (PlmStructureArea *self, PlmStructureReadoutFunc func, gpointer data)
{
  self->readout = func;
  self->readout_data = data;
}

void
plm_structure_area_set_renderer (PlmStructureArea *self, PlmHeatmapRenderer renderer)
{
  g_return_if_fail (PLM_IS_STRUCTURE_AREA (self));
  self->renderer = renderer;
  if (gtk_widget_get_realized (GTK_WIDGET (self)))
    create_child (self);
}

PlmHeatmapRenderer
plm_structure_area_get_active_renderer (PlmStructureArea *self)
{
  return self->active;
}

guint
plm_structure_area_get_n_frames (PlmStructureArea *self)
{
  return self->n_frames;
}

void
plm_structure_area_set_timed (PlmStructureArea *self, gboolean timed)
{
  g_return_if_fail (PLM_IS_STRUCTURE_AREA (self));
  self->timed = timed;
}

double
plm_structure_area_get_render_ms (PlmStructureArea *self)
{
  g_return_val_if_fail (PLM_IS_STRUCTURE_AREA (self), 0);
  return self->render_ms;
}
