/* plm-color-bar.c: a vertical colour bar drawn from the same 256-entry table as the heatmap. */
#include "plm-color-bar.h"

#include <glib/gi18n.h>
#include <math.h>

#define BAR_WIDTH 16
#define TICK      4

struct _PlmColorBar
{
  GtkWidget    parent_instance;
  PlmColorMap  color_map;
  PlmScale     scale;
};

enum {
  PROP_0,
  PROP_COLOR_MAP,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (PlmColorBar, plm_color_bar, GTK_TYPE_WIDGET)

int
plm_color_bar_compute_ticks (const PlmScale *scale, double *ticks, int max_ticks)
{
  double lo = MIN (scale->vmin, scale->vmax), hi = MAX (scale->vmin, scale->vmax);
  int n = 0;

  if (max_ticks < 2)
    return 0;
  if (scale->kind == PLM_SCALE_LOG)
    {
      double l0 = lo > 0 ? lo : 1e-12, l1 = hi > l0 ? hi : l0 * 10;
      int d0 = (int) ceil (log10 (l0) - 1e-9), d1 = (int) floor (log10 (l1) + 1e-9);
      int decades = d1 - d0 + 1;
      int every = MAX (1, (decades + max_ticks - 1) / max_ticks);
      static const double sub[] = { 1, 2, 5 };
      gboolean subs = decades <= max_ticks / 3;

      for (int d = (int) floor (log10 (l0)); d <= d1 && n < max_ticks; d++)
        for (guint s = 0; s < (subs ? G_N_ELEMENTS (sub) : 1); s++)
          {
            double v = sub[s] * pow (10, d);
            if (v < l0 * (1 - 1e-6) || v > l1 * (1 + 1e-6) || n >= max_ticks)
              continue;
            if (!subs && (d - d0) % every != 0)
              continue;
            ticks[n++] = v;
          }
      return n;
    }
  if (!(hi > lo))
    {
      ticks[n++] = lo;
      return n;
    }
  {
    double raw = (hi - lo) / (max_ticks - 1), mag = pow (10, floor (log10 (raw))), step;
    double f = raw / mag;
    step = (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * mag;
    for (double v = ceil (lo / step - 1e-9) * step; v <= hi + step * 1e-9 && n < max_ticks; v += step)
      ticks[n++] = fabs (v) < step * 1e-9 ? 0.0 : v;
  }
  return n;
}

static void
plm_color_bar_snapshot (GtkWidget *widget, GtkSnapshot *snapshot)
{
  PlmColorBar *self = PLM_COLOR_BAR (widget);
  int width = gtk_widget_get_width (widget), height = gtk_widget_get_height (widget);
  const guint32 *lut = plm_color_map_get_lut (self->color_map);
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (widget, NULL);
  double top, bar_h, ticks[16];
  int n, th;
  GdkRGBA fg;
  cairo_t *cr;

  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &fg);
  pango_layout_set_text (layout, "0", -1);
  pango_layout_get_pixel_size (layout, NULL, &th);
  top = th / 2.0 + 1;
  bar_h = height - 2 * top;
  if (bar_h < 4)
    return;

  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  /* 256 bands, the largest index at the top */
  for (int i = 0; i < 256; i++)
    {
      double y0 = top + bar_h * (255 - i) / 256.0;
      cairo_set_source_rgb (cr, ((lut[i] >> 16) & 0xff) / 255.0, ((lut[i] >> 8) & 0xff) / 255.0,
                            (lut[i] & 0xff) / 255.0);
      cairo_rectangle (cr, 0, y0, BAR_WIDTH, bar_h / 256.0 + 0.5);
      cairo_fill (cr);
    }
  gdk_cairo_set_source_rgba (cr, &fg);
  cairo_set_line_width (cr, 1);
  cairo_rectangle (cr, 0.5, top + 0.5, BAR_WIDTH - 1, bar_h - 1);
  cairo_stroke (cr);

  n = plm_color_bar_compute_ticks (&self->scale, ticks, MIN (16, MAX (2, (int) (bar_h / (th * 2)))));
  for (int i = 0; i < n; i++)
    {
      /* the centre of the colour band the tick value falls in */
      double t = (plm_scale_index (&self->scale, ticks[i]) + 0.5) / 256.0;
      double y = top + bar_h * (1 - t);
      char text[32];
      int tw;

      g_snprintf (text, sizeof text, "%.3g", ticks[i]);
      cairo_rectangle (cr, BAR_WIDTH, round (y) - 0.5, TICK, 1);
      cairo_fill (cr);
      pango_layout_set_text (layout, text, -1);
      pango_layout_get_pixel_size (layout, &tw, NULL);
      cairo_move_to (cr, BAR_WIDTH + TICK + 2, y - th / 2.0);
      pango_cairo_show_layout (cr, layout);
    }
  cairo_destroy (cr);
}

static void
plm_color_bar_measure (GtkWidget *widget, GtkOrientation orientation, int for_size,
                       int *minimum, int *natural, int *minimum_baseline, int *natural_baseline)
{
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (widget, "-0.000e-00");
      int w;
      pango_layout_get_pixel_size (layout, &w, NULL);
      *minimum = *natural = BAR_WIDTH + TICK + 2 + w;
    }
  else
    {
      *minimum = 64;
      *natural = 240;
    }
}

static void
plm_color_bar_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  PlmColorBar *self = PLM_COLOR_BAR (object);

  switch (prop_id)
    {
    case PROP_COLOR_MAP:
      g_value_set_int (value, plm_color_bar_get_color_map (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
plm_color_bar_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  PlmColorBar *self = PLM_COLOR_BAR (object);

  switch (prop_id)
    {
    case PROP_COLOR_MAP:
      plm_color_bar_set_color_map (self, g_value_get_int (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
plm_color_bar_class_init (PlmColorBarClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = plm_color_bar_get_property;
  object_class->set_property = plm_color_bar_set_property;
  widget_class->snapshot = plm_color_bar_snapshot;
  widget_class->measure = plm_color_bar_measure;

  properties[PROP_COLOR_MAP] =
    g_param_spec_int ("color-map", NULL, NULL, 0, PLM_N_COLOR_MAPS - 1, PLM_COLOR_MAP_VIRIDIS,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "plmcolorbar");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
plm_color_bar_init (PlmColorBar *self)
{
  self->scale = (PlmScale) { PLM_SCALE_LINEAR, 0.0f, 1.0f };
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Colour scale"), -1);
}

GtkWidget *
plm_color_bar_new (void)
{
  return g_object_new (PLM_TYPE_COLOR_BAR, NULL);
}

void
plm_color_bar_set_color_map (PlmColorBar *self, PlmColorMap map)
{
  g_return_if_fail (PLM_IS_COLOR_BAR (self));

  if (self->color_map == map)
    return;
  self->color_map = map;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COLOR_MAP]);
}

PlmColorMap
plm_color_bar_get_color_map (PlmColorBar *self)
{
  g_return_val_if_fail (PLM_IS_COLOR_BAR (self), PLM_COLOR_MAP_VIRIDIS);
  return self->color_map;
}

void
plm_color_bar_set_scale (PlmColorBar *self, const PlmScale *scale)
{
  g_autofree char *description = NULL;

  g_return_if_fail (PLM_IS_COLOR_BAR (self));

  self->scale = *scale;
  /* Translators: accessible description of the colour bar: lowest and highest value */
  description = g_strdup_printf (_("From %.3g to %.3g"), scale->vmin, scale->vmax);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  description, -1);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
plm_color_bar_get_scale (PlmColorBar *self, PlmScale *scale)
{
  g_return_if_fail (PLM_IS_COLOR_BAR (self));
  *scale = self->scale;
}
