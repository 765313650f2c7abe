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
  double w, h, row_step, col_step;

  plm_heatmap_view_visible_window (self, &r0, &r1, &c0, &c1);
  plm_heatmap_view_map_area (self, &w, &h);
  plm_heatmap_view_get_ruler_steps (self, &row_step, &col_step);
  *axis = (PlmHeatmapAxis) {
    .sequence = is_row ? self->row_sequence : self->col_sequence,
    .offset = is_row ? self->row_offset : self->col_offset,
    .zoom = is_row ? self->zoom_y : self->zoom_x,
    .origin = is_row ? self->origin_y : self->origin_x,
    .first = is_row ? r0 : c0,
    .end = is_row ? r1 : c1,
    .extent = is_row ? h : w,
    .step = is_row ? row_step : col_step,
    .letters_only = is_row && self->row_letters_only,
  };
}

/* ---- readout ------------------------------------------------------------------------------ */

char *
plm_heatmap_view_dup_readout (PlmHeatmapView *self, int row, int col)
{
  g_autofree char *q = NULL, *k = NULL;
  float v;

  g_return_val_if_fail (PLM_IS_HEATMAP_VIEW (self), NULL);

  if (!plm_heatmap_view_has_data (self) || row < 0 || col < 0 || row >= self->rows || col >= self->cols)
    return NULL;
  v = plm_heatmap_view_get_value (self, row, col);
  if (self->readout_func != NULL)
    return self->readout_func (self, row, col, v, self->readout_data);
  q = plm_heatmap_view_dup_label (self, TRUE, row);
  k = plm_heatmap_view_dup_label (self, FALSE, col);
  /* Translators: the cell under the pointer: query residue, key residue, attention weight */
  return g_strdup_printf (_("Query %s · key %s · %.3g"), q, k, v);
}

const char *
plm_heatmap_view_get_hover_readout (PlmHeatmapView *self)
{
  g_return_val_if_fail (PLM_IS_HEATMAP_VIEW (self), NULL);
  return self->hover_row >= 0 ? self->hover_readout : NULL;
}

/* ---- drawing: marks ------------------------------------------------------------------------ */

static void
set_argb (cairo_t *cr, guint32 c)
{
  cairo_set_source_rgba (cr, ((c >> 16) & 0xff) / 255.0, ((c >> 8) & 0xff) / 255.0, (c & 0xff) / 255.0,
                         ((c >> 24) & 0xff) / 255.0);
}

/* Marks over their cells, at least 5 px across so that they stay visible on a fitted map. */
static void
snapshot_marks (PlmHeatmapView *self, GtkSnapshot *snapshot, double w, double h)
{
  int r0, r1, c0, c1;
  double s, size, line;
  cairo_t *cr;

  if (self->marks == NULL || self->marks->len == 0)
    return;
  plm_heatmap_view_visible_window (self, &r0, &r1, &c0, &c1);
  s = MIN (self->zoom_x, self->zoom_y);
  size = MAX (0.8 * s, 5.0);
  line = CLAMP (0.12 * s, 1.0, 2.0);
  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, w, h));
  cairo_set_line_width (cr, line);
  for (guint i = 0; i < self->marks->len; i++)
    {
      const PlmHeatmapMark *m = &g_array_index (self->marks, PlmHeatmapMark, i);
      double cx = (m->col + 0.5 - self->origin_x) * self->zoom_x;
      double cy = (m->row + 0.5 - self->origin_y) * self->zoom_y;
      double r = size / 2 - line / 2;

      if (m->row < r0 || m->row >= r1 || m->col < c0 || m->col >= c1 ||
          cx < -size || cy < -size || cx > w + size || cy > h + size)
        continue;
      cairo_new_path (cr);
      switch (m->shape)
        {
        case PLM_HEATMAP_MARK_RING:
        case PLM_HEATMAP_MARK_DISC:
          cairo_arc (cr, cx, cy, r, 0, 2 * G_PI);
          break;
        case PLM_HEATMAP_MARK_SQUARE:
          cairo_rectangle (cr, cx - r, cy - r, 2 * r, 2 * r);
          break;
        case PLM_HEATMAP_MARK_BOX:
          cairo_rectangle (cr, cx - size / 4, cy - size / 4, size / 2, size / 2);
          break;
        case PLM_HEATMAP_MARK_CROSS:
          cairo_move_to (cr, cx - r, cy - r);
          cairo_line_to (cr, cx + r, cy + r);
          cairo_move_to (cr, cx + r, cy - r);
          cairo_line_to (cr, cx - r, cy + r);
          break;
        default:
          break;
        }
      set_argb (cr, m->color);
      if (m->shape == PLM_HEATMAP_MARK_BOX)
        {
          cairo_fill (cr);
          continue;
        }
      if (m->shape == PLM_HEATMAP_MARK_DISC)
        {
          cairo_fill_preserve (cr);
          cairo_set_source_rgba (cr, 1, 1, 1, 0.9);
        }
      cairo_stroke (cr);
    }
  cairo_destroy (cr);
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
  double w, h, mx, my, mw, mh;

  plm_heatmap_view_map_area (self, &w, &h);
  plm_heatmap_view_map_rect (self, &mx, &my, &mw, &mh);
  gtk_snapshot_push_clip (snapshot, &GRAPHENE_RECT_INIT (RULER_LEFT, RULER_TOP, w, h));
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (RULER_LEFT, RULER_TOP));

  snapshot_marks (self, snapshot, w, h);

  /* linked selection: a band around the highlighted row and column, across the map only */
  gtk_snapshot_push_clip (snapshot, &GRAPHENE_RECT_INIT (mx, my, mw, mh));
  if (self->highlight_row >= 0)
    append_outline (snapshot, &white, mx - 2, (self->highlight_row - self->origin_y) * self->zoom_y - 1.5,
                    mw + 4, MAX (self->zoom_y, 1) + 3, 1.5);
  if (self->highlight_col >= 0)
    append_outline (snapshot, &white, (self->highlight_col - self->origin_x) * self->zoom_x - 1.5, my - 2,
                    MAX (self->zoom_x, 1) + 3, mh + 4, 1.5);
  gtk_snapshot_pop (snapshot);

  /* a pooled map says so, in its bottom-left corner */
  {
    g_autofree char *note = plm_heatmap_view_dup_pooled_note (self, FALSE);
    int tw, th;
    cairo_t *cr;

    if (note != NULL)
      {
        pango_layout_set_text (layout, note, -1);
        pango_layout_get_pixel_size (layout, &tw, &th);
        if (tw > mw - 8)
          {
            g_free (note);
            note = plm_heatmap_view_dup_pooled_note (self, TRUE);
            pango_layout_set_text (layout, note, -1);
          }
        /* still too wide: cut with an ellipsis */
        pango_layout_set_width (layout, MAX (1, (int) mw - 8) * PANGO_SCALE);
        pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
        pango_layout_get_pixel_size (layout, &tw, &th);
        gtk_snapshot_append_color (snapshot, &(GdkRGBA) { 0.1, 0.1, 0.1, 0.75 },
                                   &GRAPHENE_RECT_INIT (mx, my + mh - th - 4, tw + 8, th + 4));
        cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (mx, my + mh - th - 4, tw + 8, th + 4));
        cairo_set_source_rgb (cr, 1, 1, 1);
        cairo_move_to (cr, mx + 4, my + mh - th - 2);
        pango_cairo_show_layout (cr, layout);
        cairo_destroy (cr);
        pango_layout_set_width (layout, -1);
        pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_NONE);
      }
  }

  /* hovered cell and its label */
  if (self->hover_row >= 0 && self->hover_readout != NULL)
    {
      const char *text = self->hover_readout;
      double x = (self->hover_col - self->origin_x) * self->zoom_x;
      double y = (self->hover_row - self->origin_y) * self->zoom_y;
      double bx, by;
      int tw, th;
      cairo_t *cr;

      if (self->zoom_x >= 3 && self->zoom_y >= 3)
        append_outline (snapshot, &black, x - 1, y - 1, self->zoom_x + 2, self->zoom_y + 2, 1);
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
  double mx, my, mw, mh;
  cairo_t *cr;

  if (self->map)
    gtk_widget_snapshot_child (widget, self->map, snapshot);
  if (!plm_heatmap_view_has_data (self))
    return;

  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &fg);
  layout = gtk_widget_create_pango_layout (widget, NULL);
  font = pango_font_description_from_string ("Monospace 8");
  pango_layout_set_font_description (layout, font);
  pango_font_description_free (font);

  /* each ruler its own small cairo node: only these strips are rasterised per frame; they
   * touch the drawn map, which a fitted map of another shape does not fill the area with */
  plm_heatmap_view_map_rect (self, &mx, &my, &mw, &mh);
  for (int is_row = 0; is_row < 2; is_row++)
    {
      graphene_rect_t area = is_row
        ? GRAPHENE_RECT_INIT (mx, RULER_TOP, RULER_LEFT, MAX (1, height - RULER_TOP))
        : GRAPHENE_RECT_INIT (RULER_LEFT, my, MAX (1, width - RULER_LEFT), RULER_TOP);
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
  if (self->reset_button != NULL)
    gtk_widget_snapshot_child (widget, self->reset_button, snapshot);
}
