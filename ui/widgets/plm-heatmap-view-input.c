/* plm-heatmap-view-input.c: PlmHeatmapView's pointer, touch and keyboard handling — hover,
 * scroll and pinch zoom, drag to pan, click and keyboard selection. */
#include "plm-heatmap-view-private.h"

#include <math.h>

static void
set_hover (PlmHeatmapView *self, int row, int col, double x, double y)
{
  gboolean changed = row != self->hover_row || col != self->hover_col;

  self->hover_x = x, self->hover_y = y;
  self->hover_row = row, self->hover_col = col;
  if (changed)
    {
      g_free (self->hover_readout);
      self->hover_readout = plm_heatmap_view_dup_readout (self, row, col);
    }
  gtk_widget_queue_draw (GTK_WIDGET (self));
  if (changed)
    plm_heatmap_view_emit_hovered (self, row, col);
}

void
plm_heatmap_view_update_hover (PlmHeatmapView *self)
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
          plm_heatmap_view_map_area (self, &w, &h);
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
  plm_heatmap_view_clamp_origin (self);
  plm_heatmap_view_update_hover (self);
  plm_heatmap_view_redraw (self);
}

static void
on_drag_end (GtkGestureDrag *drag, double dx, double dy, PlmHeatmapView *self)
{
  double x, y;
  int row, col;

  /* a press without movement is a click: select the cell (not one under the Reset button) */
  if (hypot (dx, dy) > 3 || !gtk_gesture_drag_get_start_point (drag, &x, &y))
    return;
  if (self->reset_button != NULL && gtk_widget_get_visible (self->reset_button))
    {
      graphene_rect_t bounds;
      if (gtk_widget_compute_bounds (self->reset_button, GTK_WIDGET (self), &bounds) &&
          graphene_rect_contains_point (&bounds, &GRAPHENE_POINT_INIT (x, y)))
        return;
    }
  if (plm_heatmap_view_lookup (self, x, y, &row, &col, NULL))
    {
      plm_heatmap_view_set_highlight (self, row, col);
      plm_heatmap_view_emit_selected (self, row, col);
    }
}

/* A double click fits the whole map again, as 0 and the Reset zoom button do. */
static void
on_click_pressed (GtkGestureClick *click, int n_press, double x, double y, PlmHeatmapView *self)
{
  if (n_press == 2)
    plm_heatmap_view_zoom_fit (self);
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

  plm_heatmap_view_visible_window (self, &r0, &r1, &c0, &c1);
  if (r1 <= r0 || c1 <= c0)
    return;
  plm_heatmap_view_map_area (self, &w, &h);
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
  plm_heatmap_view_emit_hovered (self, row, col);
}

static gboolean
on_key_pressed (GtkEventControllerKey *key, guint keyval, guint keycode, GdkModifierType state,
                PlmHeatmapView *self)
{
  double w, h;

  plm_heatmap_view_map_area (self, &w, &h);
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
      plm_heatmap_view_emit_selected (self, self->highlight_row, self->highlight_col);
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

/* ---- controllers --------------------------------------------------------------------------- */

void
plm_heatmap_view_init_input (PlmHeatmapView *self)
{
  GtkEventController *controller;
  GtkGesture *gesture;

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

  gesture = gtk_gesture_click_new ();
  g_signal_connect (gesture, "pressed", G_CALLBACK (on_click_pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (gesture));

  gesture = gtk_gesture_zoom_new ();
  g_signal_connect (gesture, "begin", G_CALLBACK (on_zoom_begin), self);
  g_signal_connect (gesture, "scale-changed", G_CALLBACK (on_zoom_scale_changed), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (gesture));

  controller = gtk_event_controller_key_new ();
  g_signal_connect (controller, "key-pressed", G_CALLBACK (on_key_pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);
}
