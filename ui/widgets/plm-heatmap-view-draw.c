/* plm-heatmap-view-draw.c: what PlmHeatmapView draws over its map — the residue rulers, the
 * linked selection and the hovered cell with its label. */
#include "plm-heatmap-view-private.h"

#include <glib/gi18n.h>

#include "plm-heatmap-ruler.h"

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

  plm_heatmap_view_visible_window (self, &r0, &r1, &c0, &c1);
  plm_heatmap_view_map_area (self, &w, &h);
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

  plm_heatmap_view_map_area (self, &w, &h);
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

void
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
