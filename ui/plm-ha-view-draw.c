/* plm-ha-view-draw.c: the HA view's residue tracks (HA sites and annotations under the map,
 * following its zoom) and the profile plot of the selected layer with its two-segment fit. */
#include <glib/gi18n.h>
#include <math.h>

#include "plm-ha-view-private.h"

static const GdkRGBA track_colors[PLM_N_FEATURE_KINDS + 1] = {
  { 0.89f, 0.10f, 0.11f, 1.0f },   /* active site: red */
  { 0.22f, 0.49f, 0.72f, 1.0f },   /* binding site: blue */
  { 0.60f, 0.60f, 0.60f, 0.6f },   /* domain: grey */
  { 0.95f, 0.55f, 0.0f, 1.0f },    /* HA sites: orange */
};

const char *
plm_ha_view_kind_title (PlmFeatureKind kind)
{
  switch (kind)
    {
    case PLM_FEATURE_ACTIVE_SITE:
      return _("Active sites");
    case PLM_FEATURE_BINDING_SITE:
      return _("Binding sites");
    case PLM_FEATURE_DOMAIN:
      return _("Domains");
    case PLM_N_FEATURE_KINDS:
    default:
      return "";
    }
}

gboolean
plm_ha_view_track_mapping (PlmHaView *self,
                           double    *x0,
                           double    *dx)
{
  int L = self->result ? self->result->n_residues : 0;
  int first = -1, last = -1;
  double xa = 0, xb = 0, y, tx, ty;

  for (int c = 0; c < L && first < 0; c++)
    if (plm_heatmap_view_get_cell_center (self->heatmap, 0, c, &xa, &y))
      first = c;
  for (int c = L - 1; c > first && last < 0; c--)
    if (plm_heatmap_view_get_cell_center (self->heatmap, 0, c, &xb, &y))
      last = c;
  if (first < 0)
    return FALSE;
  *dx = last > first ? (xb - xa) / (last - first) : 1.0;
  if (!gtk_widget_translate_coordinates (GTK_WIDGET (self->heatmap), GTK_WIDGET (self->track_area),
                                         xa, 0, &tx, &ty))
    return FALSE;
  *x0 = tx - first * *dx;
  return TRUE;
}

static void
draw_track_label (GtkWidget  *widget,
                  cairo_t    *cr,
                  const char *text,
                  double      y)
{
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (widget, text);
  PangoFontDescription *font = pango_font_description_from_string ("Sans 8");
  int w, h;

  pango_layout_set_font_description (layout, font);
  pango_font_description_free (font);
  pango_layout_get_pixel_size (layout, &w, &h);
  cairo_move_to (cr, 2, y + (TRACK_HEIGHT - h) / 2.0);
  pango_cairo_show_layout (cr, layout);
}

void
plm_ha_view_draw_tracks (GtkDrawingArea *area,
                         cairo_t        *cr,
                         int             width,
                         int             height,
                         gpointer        data)
{
  PlmHaView *self = data;
  GtkWidget *widget = GTK_WIDGET (area);
  GdkRGBA fg;
  double x0, dx, y = 0;

  if (!self->has_ha || !plm_ha_view_track_mapping (self, &x0, &dx))
    return;
  self->track_x0 = x0;
  self->track_dx = dx;
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &fg);

  /* HA sites of the layer of convergence */
  gdk_cairo_set_source_rgba (cr, &fg);
  draw_track_label (widget, cr, _("HA sites"), y);
  gdk_cairo_set_source_rgba (cr, &track_colors[PLM_N_FEATURE_KINDS]);
  for (int s = 0; s < self->ha.n_sites; s++)
    cairo_rectangle (cr, x0 + (self->ha.sites[s] - 0.5) * dx, y, MAX (dx, 2.0), TRACK_HEIGHT);
  cairo_fill (cr);
  y += TRACK_HEIGHT + TRACK_GAP;

  if (self->features != NULL)
    for (int k = 0; k < PLM_N_FEATURE_KINDS; k++)
      {
        gboolean any = FALSE;

        for (guint i = 0; i < self->features->len; i++)
          {
            const PlmFeature *f = g_ptr_array_index (self->features, i);

            if (f->kind != (PlmFeatureKind) k)
              continue;
            any = TRUE;
            cairo_rectangle (cr, x0 + (f->start - 1.5) * dx, y, MAX ((f->end - f->start + 1) * dx, 2.0), TRACK_HEIGHT);
          }
        if (!any)
          continue;
        gdk_cairo_set_source_rgba (cr, &track_colors[k]);
        cairo_fill (cr);
        gdk_cairo_set_source_rgba (cr, &fg);
        draw_track_label (widget, cr, plm_ha_view_kind_title (k), y);
        y += TRACK_HEIGHT + TRACK_GAP;
      }

  /* the linked residue */
  if (self->highlighted >= 0)
    {
      cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, 0.8);
      cairo_set_line_width (cr, 1.0);
      cairo_rectangle (cr, x0 + (self->highlighted - 0.5) * dx - 1.5, 0.5, MAX (dx, 1.0) + 3, height - 1);
      cairo_stroke (cr);
    }
}

void
plm_ha_view_draw_curve (GtkDrawingArea *area,
                        cairo_t        *cr,
                        int             width,
                        int             height,
                        gpointer        data)
{
  PlmHaView *self = data;
  const double left = 62, right = 12, bottom = 44;
  double top, pw = width - left - right, ph;
  const PlmHaLayer *layer;
  const float *profile;
  GdkRGBA fg;
  int L;

  g_autoptr(PangoLayout) title = NULL;
  int title_w, title_h;

  if (!self->has_ha || pw < 20)
    return;
  gtk_style_context_get_color (gtk_widget_get_style_context (GTK_WIDGET (area)), &fg);
  L = self->ha.length;
  layer = &self->ha.layers[self->layer];
  profile = self->ha.heatmap + (gsize) self->layer * L;

  /* the title above the plot, wrapped when narrow, so that it never covers the curve */
  {
    g_autofree char *text =
      g_strdup_printf (self->layer == self->ha.loc
                         ? _("Layer %d (layer of convergence): breakpoint %.3f, θ = %.1f°, %d HA sites")
                         : _("Layer %d: breakpoint %.3f, θ = %.1f°, %d HA sites"),
                       self->layer + 1, layer->fit.breakpoint, layer->fit.theta, layer->n_sites);

    title = gtk_widget_create_pango_layout (GTK_WIDGET (area), text);
    pango_layout_set_width (title, (int) pw * PANGO_SCALE);
    pango_layout_get_pixel_size (title, &title_w, &title_h);
    gdk_cairo_set_source_rgba (cr, &fg);
    cairo_move_to (cr, left, 2);
    pango_cairo_show_layout (cr, title);
  }
  top = title_h + 8;
  ph = height - top - bottom;
  if (ph < 20)
    return;

  /* axes: x = rank / (L − 1), y = normalised received attention */
  cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, 0.5);
  cairo_set_line_width (cr, 1.0);
  cairo_rectangle (cr, left + 0.5, top + 0.5, pw, ph);
  cairo_stroke (cr);
  {
    static const char *ticks[] = { "0", "0.5", "1" };
    for (int t = 0; t < 3; t++)
      {
        g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (GTK_WIDGET (area), ticks[t]);
        int w, h;

        pango_layout_get_pixel_size (layout, &w, &h);
        cairo_move_to (cr, left - w - 4, top + ph * (1 - t / 2.0) - h / 2.0);
        pango_cairo_show_layout (cr, layout);
        cairo_move_to (cr, left + pw * t / 2.0 - w / 2.0, top + ph + 4);
        pango_cairo_show_layout (cr, layout);
      }
  }

  /* the sorted profile */
  gdk_cairo_set_source_rgba (cr, &fg);
  for (int k = 0; k < L; k++)
    {
      double x = left + pw * (L > 1 ? (double) k / (L - 1) : 0.0);
      double y = top + ph * (1.0 - profile[layer->order[k]]);
      cairo_rectangle (cr, x - 1, y - 1, 2, 2);
    }
  cairo_fill (cr);

  /* both fitted segments, continuous at the breakpoint b */
  {
    const PlmHaFit *f = &layer->fit;
    double yb = f->intercept + f->m1 * f->breakpoint;
    double y1 = yb + f->m2 * (1.0 - f->breakpoint);

    cairo_save (cr);
    cairo_rectangle (cr, left, top, pw, ph);
    cairo_clip (cr);
    cairo_set_line_width (cr, 2.0);
    cairo_set_source_rgb (cr, 0.89, 0.10, 0.11);
    cairo_move_to (cr, left, top + ph * (1.0 - f->intercept));
    cairo_line_to (cr, left + pw * f->breakpoint, top + ph * (1.0 - yb));
    cairo_stroke (cr);
    cairo_set_source_rgb (cr, 0.22, 0.49, 0.72);
    cairo_move_to (cr, left + pw * f->breakpoint, top + ph * (1.0 - yb));
    cairo_line_to (cr, left + pw, top + ph * (1.0 - y1));
    cairo_stroke (cr);
    cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, 0.7);
    cairo_set_line_width (cr, 1.0);
    cairo_set_dash (cr, (double[]) { 4, 3 }, 2, 0);
    cairo_move_to (cr, left + pw * f->breakpoint + 0.5, top);
    cairo_line_to (cr, left + pw * f->breakpoint + 0.5, top + ph);
    cairo_stroke (cr);
    cairo_restore (cr);
  }

  /* axis labels */
  {
    g_autoptr(PangoLayout) xl = gtk_widget_create_pango_layout (GTK_WIDGET (area),
                                                                _("Residues by received attention (rank ÷ (L − 1))"));
    g_autoptr(PangoLayout) yl = gtk_widget_create_pango_layout (GTK_WIDGET (area), _("Attention (normalised)"));
    int w, h;

    gdk_cairo_set_source_rgba (cr, &fg);
    pango_layout_get_pixel_size (xl, &w, &h);
    if (w <= width - 4)
      {
        cairo_move_to (cr, MAX (2.0, left + (pw - w) / 2), height - h - 2);
        pango_cairo_show_layout (cr, xl);
      }
    else
      {
        /* a narrow plot: smaller, and on two lines if need be, but whole */
        double scale = MAX (0.6, (width - 4.0) / w);

        pango_layout_set_width (xl, (int) ((width - 4.0) / scale) * PANGO_SCALE);
        pango_layout_set_wrap (xl, PANGO_WRAP_WORD);
        pango_layout_set_alignment (xl, PANGO_ALIGN_CENTER);
        pango_layout_get_pixel_size (xl, &w, &h);
        cairo_save (cr);
        cairo_translate (cr, 2, height - h * scale - 2);
        cairo_scale (cr, scale, scale);
        cairo_move_to (cr, 0, 0);
        pango_cairo_show_layout (cr, xl);
        cairo_restore (cr);
      }
    /* along the plot's height, on two lines when the plot is short (a small window), and
     * smaller still when one word is longer than the axis */
    pango_layout_set_width (yl, (int) ph * PANGO_SCALE);
    pango_layout_set_wrap (yl, PANGO_WRAP_WORD);
    pango_layout_set_alignment (yl, PANGO_ALIGN_CENTER);
    pango_layout_get_pixel_size (yl, &w, &h);
    cairo_save (cr);
    cairo_translate (cr, 2, top + ph);
    cairo_rotate (cr, -G_PI / 2);
    if (w > ph)
      {
        double scale = MAX (0.6, ph / w);

        pango_layout_set_alignment (yl, PANGO_ALIGN_LEFT);
        cairo_translate (cr, MAX (0.0, (ph - w * scale) / 2), 0);
        cairo_scale (cr, scale, scale);
      }
    cairo_move_to (cr, 0, 0);
    pango_cairo_show_layout (cr, yl);
    cairo_restore (cr);
  }
}

