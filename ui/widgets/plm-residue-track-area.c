/* plm-residue-track-area.c: drawing in a heatmap's residue coordinates, redrawn when the map
 * moves (checked after each frame: the heatmap does not signal zoom and pan). */
#include "plm-residue-track-area.h"

#include <math.h>

struct _PlmResidueTrackArea
{
  GtkDrawingArea           parent_instance;
  PlmHeatmapView          *heatmap;
  PlmResidueTrackDrawFunc  func;
  gpointer                 func_data;
  int                      highlighted;
  /* the mapping of the last frame, to redraw when the map moves */
  double                   x0, dx;
  GdkFrameClock           *frame_clock;
  gulong                   after_paint_handler;
};

G_DEFINE_FINAL_TYPE (PlmResidueTrackArea, plm_residue_track_area, GTK_TYPE_DRAWING_AREA)

static void
track_clear (gpointer data)
{
  PlmResidueTrack *t = data;
  g_clear_pointer (&t->ranges, g_array_unref);
}

GArray *
plm_residue_tracks_new (void)
{
  GArray *tracks = g_array_new (FALSE, TRUE, sizeof (PlmResidueTrack));

  g_array_set_clear_func (tracks, track_clear);
  return tracks;
}

PlmResidueTrack *
plm_residue_tracks_add (GArray *tracks, const char *title, const GdkRGBA *color)
{
  PlmResidueTrack t = { title, *color, g_array_new (FALSE, FALSE, sizeof (int)) };

  g_array_append_val (tracks, t);
  return &g_array_index (tracks, PlmResidueTrack, tracks->len - 1);
}

void
plm_residue_track_add_range (PlmResidueTrack *track, int start, int end)
{
  int r[2] = { start, end };
  g_array_append_vals (track->ranges, r, 2);
}

int
plm_residue_tracks_height (int n)
{
  return n * (PLM_RESIDUE_TRACK_HEIGHT + PLM_RESIDUE_TRACK_GAP);
}

gboolean
plm_residue_track_area_get_mapping (PlmResidueTrackArea *self, double *x0, double *dx)
{
  int rows = 0, L = 0, first = -1, last = -1;
  double xa = 0, xb = 0, y, tx, ty;

  g_return_val_if_fail (PLM_IS_RESIDUE_TRACK_AREA (self), FALSE);
  if (self->heatmap == NULL || plm_heatmap_view_get_data (self->heatmap, &rows, &L) == NULL || rows < 1)
    return FALSE;
  for (int c = 0; c < L && first < 0; c++)
    if (plm_heatmap_view_get_cell_center (self->heatmap, 0, c, &xa, &y))
      first = c;
  for (int c = L - 1; c > first && last < 0; c--)
    if (plm_heatmap_view_get_cell_center (self->heatmap, 0, c, &xb, &y))
      last = c;
  if (first < 0)
    return FALSE;
  *dx = last > first ? (xb - xa) / (last - first) : 1.0;
  if (!gtk_widget_translate_coordinates (GTK_WIDGET (self->heatmap), GTK_WIDGET (self), xa, 0, &tx, &ty))
    return FALSE;
  *x0 = tx - first * *dx;
  return TRUE;
}

void
plm_residue_track_area_draw_label (PlmResidueTrackArea *self, cairo_t *cr, const char *text, double y, double height)
{
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), text);
  PangoFontDescription *font = pango_font_description_from_string ("Sans 8");
  GdkRGBA fg;
  int w, h;

  gtk_style_context_get_color (gtk_widget_get_style_context (GTK_WIDGET (self)), &fg);
  gdk_cairo_set_source_rgba (cr, &fg);
  pango_layout_set_font_description (layout, font);
  pango_font_description_free (font);
  pango_layout_get_pixel_size (layout, &w, &h);
  cairo_move_to (cr, 2, y + (height - h) / 2.0);
  pango_cairo_show_layout (cr, layout);
}

double
plm_residue_track_area_draw_tracks (PlmResidueTrackArea *self, cairo_t *cr, double y, double x0, double dx,
                                    GArray *tracks)
{
  for (guint t = 0; tracks != NULL && t < tracks->len; t++)
    {
      const PlmResidueTrack *track = &g_array_index (tracks, PlmResidueTrack, t);

      for (guint k = 0; k + 1 < track->ranges->len; k += 2)
        {
          int start = g_array_index (track->ranges, int, k), end = g_array_index (track->ranges, int, k + 1);
          cairo_rectangle (cr, x0 + (start - 0.5) * dx, y, MAX ((end - start + 1) * dx, 2.0), PLM_RESIDUE_TRACK_HEIGHT);
        }
      gdk_cairo_set_source_rgba (cr, &track->color);
      cairo_fill (cr);
      plm_residue_track_area_draw_label (self, cr, track->title, y, PLM_RESIDUE_TRACK_HEIGHT);
      y += PLM_RESIDUE_TRACK_HEIGHT + PLM_RESIDUE_TRACK_GAP;
    }
  return y;
}

static void
draw (GtkDrawingArea *area, cairo_t *cr, int width, int height, gpointer data)
{
  PlmResidueTrackArea *self = PLM_RESIDUE_TRACK_AREA (area);
  double x0, dx;
  GdkRGBA fg;

  if (self->func == NULL || !plm_residue_track_area_get_mapping (self, &x0, &dx))
    return;
  self->x0 = x0;
  self->dx = dx;
  cairo_save (cr);
  self->func (self, cr, width, height, x0, dx, self->func_data);
  cairo_restore (cr);

  /* the linked residue */
  if (self->highlighted >= 0)
    {
      gtk_style_context_get_color (gtk_widget_get_style_context (GTK_WIDGET (area)), &fg);
      cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, 0.8);
      cairo_set_line_width (cr, 1.0);
      cairo_rectangle (cr, x0 + (self->highlighted - 0.5) * dx - 1.5, 0.5, MAX (dx, 1.0) + 3, height - 1);
      cairo_stroke (cr);
    }
}

static void
on_after_paint (PlmResidueTrackArea *self, GdkFrameClock *clock)
{
  double x0, dx;

  if (self->func != NULL && plm_residue_track_area_get_mapping (self, &x0, &dx) &&
      (fabs (x0 - self->x0) > 0.25 || fabs (dx - self->dx) > 1e-3))
    gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
plm_residue_track_area_realize (GtkWidget *widget)
{
  PlmResidueTrackArea *self = PLM_RESIDUE_TRACK_AREA (widget);

  GTK_WIDGET_CLASS (plm_residue_track_area_parent_class)->realize (widget);
  self->frame_clock = g_object_ref (gtk_widget_get_frame_clock (widget));
  self->after_paint_handler = g_signal_connect_swapped (self->frame_clock, "after-paint",
                                                        G_CALLBACK (on_after_paint), self);
}

static void
plm_residue_track_area_unrealize (GtkWidget *widget)
{
  PlmResidueTrackArea *self = PLM_RESIDUE_TRACK_AREA (widget);

  if (self->frame_clock != NULL)
    g_clear_signal_handler (&self->after_paint_handler, self->frame_clock);
  g_clear_object (&self->frame_clock);
  GTK_WIDGET_CLASS (plm_residue_track_area_parent_class)->unrealize (widget);
}

static void
plm_residue_track_area_class_init (PlmResidueTrackAreaClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  widget_class->realize = plm_residue_track_area_realize;
  widget_class->unrealize = plm_residue_track_area_unrealize;
}

static void
plm_residue_track_area_init (PlmResidueTrackArea *self)
{
  self->highlighted = -1;
  gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (self), draw, NULL, NULL);
}

GtkWidget *
plm_residue_track_area_new (void)
{
  return g_object_new (PLM_TYPE_RESIDUE_TRACK_AREA, NULL);
}

void
plm_residue_track_area_set_heatmap (PlmResidueTrackArea *self, PlmHeatmapView *heatmap)
{
  g_return_if_fail (PLM_IS_RESIDUE_TRACK_AREA (self));
  self->heatmap = heatmap;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
plm_residue_track_area_set_draw_func (PlmResidueTrackArea *self, PlmResidueTrackDrawFunc func, gpointer user_data)
{
  g_return_if_fail (PLM_IS_RESIDUE_TRACK_AREA (self));
  self->func = func;
  self->func_data = user_data;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
plm_residue_track_area_set_highlight (PlmResidueTrackArea *self, int residue)
{
  g_return_if_fail (PLM_IS_RESIDUE_TRACK_AREA (self));
  if (self->highlighted == residue)
    return;
  self->highlighted = residue;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}
