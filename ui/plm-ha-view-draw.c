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

GArray *
plm_ha_view_dup_tracks (PlmHaView *self)
{
  GArray *tracks;
  PlmResidueTrack *t;

  g_return_val_if_fail (PLM_IS_HA_VIEW (self), NULL);
  if (plm_ha_view_get_ha_result (self) == NULL)
    return NULL;
  tracks = plm_residue_tracks_new ();
  /* HA sites of the layer of convergence */
  t = plm_residue_tracks_add (tracks, _("HA sites"), &track_colors[PLM_N_FEATURE_KINDS]);
  for (int s = 0; s < self->ha.n_sites; s++)
    plm_residue_track_add_range (t, self->ha.sites[s], self->ha.sites[s]);
  /* one track per annotation kind present (the files number residues from 1) */
  for (int k = 0; self->features != NULL && k < PLM_N_FEATURE_KINDS; k++)
    {
      t = NULL;
      for (guint i = 0; i < self->features->len; i++)
        {
          const PlmFeature *f = g_ptr_array_index (self->features, i);

          if (f->kind != (PlmFeatureKind) k)
            continue;
          if (t == NULL)
            t = plm_residue_tracks_add (tracks, plm_ha_view_kind_title (k), &track_colors[k]);
          plm_residue_track_add_range (t, f->start - 1, f->end - 1);
        }
    }
  return tracks;
}

void
plm_ha_view_draw_tracks (PlmResidueTrackArea *area,
                         cairo_t             *cr,
                         int                  width,
                         int                  height,
                         double               x0,
                         double               dx,
                         gpointer             data)
{
  g_autoptr(GArray) tracks = NULL;

  if (!PLM_HA_VIEW (data)->has_ha)
    return;
  tracks = plm_ha_view_dup_tracks (data);
  plm_residue_track_area_draw_tracks (area, cr, 0, x0, dx, tracks);
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

