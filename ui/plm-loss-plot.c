/* plm-loss-plot.c: axes, grid, legend and lines drawn with cairo; no data model of its own
 * beyond the points, so it redraws cheaply on every epoch. */
#include <math.h>

#include "plm-loss-plot.h"

typedef struct
{
  char     *name;
  GdkRGBA   color;
  gboolean  dashed;
  GArray   *points;   /* graphene_point_t: epoch, value */
} Series;

struct _PlmLossPlot
{
  GtkWidget  parent_instance;
  char      *title;
  double     y_min, y_max;
  double     x_max;
  gboolean   log_scale;
  GPtrArray *series;
};

G_DEFINE_FINAL_TYPE (PlmLossPlot, plm_loss_plot, GTK_TYPE_WIDGET)

static void
series_free (gpointer data)
{
  Series *s = data;

  g_free (s->name);
  g_array_unref (s->points);
  g_free (s);
}

/* A "nice" step (1, 2 or 5 × 10^k) giving about @n intervals over @span. */
static double
nice_step (double span,
           int    n)
{
  double raw = span / n, mag = pow (10.0, floor (log10 (raw))), f = raw / mag;

  return (f < 1.5 ? 1.0 : f < 3.5 ? 2.0 : f < 7.5 ? 5.0 : 10.0) * mag;
}

static void
draw_text (cairo_t     *cr,
           PangoLayout *layout,
           const char  *text,
           double       x,
           double       y,
           double       align_x,   /* 0 left, 0.5 centre, 1 right */
           double       align_y)
{
  int w, h;

  pango_layout_set_text (layout, text, -1);
  pango_layout_get_pixel_size (layout, &w, &h);
  cairo_move_to (cr, x - align_x * w, y - align_y * h);
  pango_cairo_show_layout (cr, layout);
}

static void
plm_loss_plot_snapshot (GtkWidget   *widget,
                        GtkSnapshot *snapshot)
{
  PlmLossPlot *self = PLM_LOSS_PLOT (widget);
  int width = gtk_widget_get_width (widget), height = gtk_widget_get_height (widget);
  const double left = 52, right = 14, bottom = 30;
  double top = 30, legend_y = 6;
  double pw = width - left - right, ph;
  double x_max = MAX (self->x_max, 2.0), y_lo = INFINITY, y_hi = -INFINITY;
  g_autoptr(PangoLayout) layout = NULL;
  GdkRGBA fg;
  cairo_t *cr;

  if (pw < 20)
    return;
  layout = gtk_widget_create_pango_layout (widget, NULL);
  /* the legend goes beside the title when both fit, otherwise on a line of its own below it */
  {
    int title_w = 0, legend_w = 0, w, h = 0;

    if (self->title != NULL)
      {
        pango_layout_set_text (layout, self->title, -1);
        pango_layout_get_pixel_size (layout, &title_w, &h);
      }
    for (guint s = 0; s < self->series->len; s++)
      {
        pango_layout_set_text (layout, ((Series *) g_ptr_array_index (self->series, s))->name, -1);
        pango_layout_get_pixel_size (layout, &w, &h);
        legend_w += w + 32;
      }
    if (title_w > 0 && legend_w > 0 && title_w + 12 + legend_w > pw)
      {
        legend_y = 6 + h + 4;
        top = legend_y + h + 6;
      }
  }
  ph = height - top - bottom;
  if (ph < 20)
    return;
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &fg);
  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));

  for (guint s = 0; s < self->series->len; s++)
    {
      Series *ser = g_ptr_array_index (self->series, s);
      for (guint i = 0; i < ser->points->len; i++)
        {
          graphene_point_t *p = &g_array_index (ser->points, graphene_point_t, i);
          if (self->log_scale && p->y <= 0)
            continue;
          y_lo = MIN (y_lo, p->y);
          y_hi = MAX (y_hi, p->y);
          x_max = MAX (x_max, p->x);
        }
    }
  if (self->log_scale)
    {
      /* whole decades, so that a small NM part and a large CE part both show their trend */
      if (!isfinite (y_lo))
        {
          y_lo = 0.01;
          y_hi = 1.0;
        }
      y_lo = floor (log10 (y_lo));
      y_hi = MAX (ceil (log10 (y_hi)), y_lo + 1);
    }
  else if (isfinite (self->y_min) && isfinite (self->y_max))
    {
      y_lo = self->y_min;
      y_hi = self->y_max;
    }
  else if (!isfinite (y_lo))
    {
      y_lo = 0.0;
      y_hi = 1.0;
    }
  else
    {
      /* losses: start at zero when the data are near it, leave a margin on top */
      double pad = MAX ((y_hi - y_lo) * 0.08, fabs (y_hi) * 0.02 + 1e-6);
      y_lo = y_lo >= 0 && y_lo < (y_hi - y_lo) ? 0.0 : y_lo - pad;
      y_hi += pad;
    }

  /* points keep a few pixels off the frame, so that a metric of exactly 1 stays visible */
  const double inset = 5.0;
#define TY(y) (self->log_scale ? log10 (y) : (y))
#define PX(x) (left + inset + ((x) - 1.0) / (x_max - 1.0) * (pw - 2 * inset))
#define PY(y) (top + ph - inset - (TY (y) - y_lo) / (y_hi - y_lo) * (ph - 2 * inset))

  /* grid and labels */
  cairo_set_line_width (cr, 1.0);
  if (self->log_scale)
    for (double k = y_lo; k <= y_hi + 1e-9; k += 1.0)
      for (int m = 1; m <= 5; m += m == 1 ? 1 : 3)   /* 1, 2, 5 × 10^k */
        {
          char buf[32];
          double v = m * pow (10.0, k);
          if (log10 (v) > y_hi + 1e-9 || (m > 1 && y_hi - y_lo > 2))
            continue;
          double y = round (PY (v)) + 0.5;
          cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, m == 1 ? 0.18 : 0.08);
          cairo_move_to (cr, left, y);
          cairo_line_to (cr, left + pw, y);
          cairo_stroke (cr);
          cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, 0.7);
          g_snprintf (buf, sizeof buf, "%g", v);
          draw_text (cr, layout, buf, left - 6, y, 1.0, 0.5);
        }
  else
    {
      double step = nice_step (y_hi - y_lo, 4);
      for (double v = ceil (y_lo / step) * step; v <= y_hi + step * 1e-6; v += step)
        {
          char buf[32];
          double y = round (PY (v)) + 0.5;
          cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, 0.12);
          cairo_move_to (cr, left, y);
          cairo_line_to (cr, left + pw, y);
          cairo_stroke (cr);
          cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, 0.7);
          g_snprintf (buf, sizeof buf, "%.3g", fabs (v) < step * 1e-6 ? 0.0 : v);
          draw_text (cr, layout, buf, left - 6, y, 1.0, 0.5);
        }
    }
  double xstep = MAX (1.0, round (nice_step (x_max - 1.0, 6)));
  /* epoch 1, then multiples of the step */
  for (double v = 1.0; v <= x_max + 1e-6; v = v == 1.0 && xstep > 1.0 ? xstep : v + xstep)
    {
      char buf[16];
      double x = round (PX (v)) + 0.5;
      cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, 0.7);
      g_snprintf (buf, sizeof buf, "%.0f", v);
      draw_text (cr, layout, buf, x, top + ph + 4, 0.5, 0.0);
    }
  cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, 0.45);
  cairo_rectangle (cr, left + 0.5, top + 0.5, pw - 1, ph - 1);
  cairo_stroke (cr);
  if (self->title != NULL)
    {
      cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, 0.9);
      draw_text (cr, layout, self->title, left, 6, 0.0, 0.0);
    }

  /* the series, clipped to the plot area */
  cairo_save (cr);
  cairo_rectangle (cr, left, top, pw, ph);
  cairo_clip (cr);
  for (guint s = 0; s < self->series->len; s++)
    {
      Series *ser = g_ptr_array_index (self->series, s);
      static const double dash[] = { 5.0, 3.0 };
      gdk_cairo_set_source_rgba (cr, &ser->color);
      cairo_set_line_width (cr, 2.0);
      cairo_set_dash (cr, dash, ser->dashed ? 2 : 0, 0);
      gboolean first = TRUE;
      for (guint i = 0; i < ser->points->len; i++)
        {
          graphene_point_t *p = &g_array_index (ser->points, graphene_point_t, i);
          if (self->log_scale && p->y <= 0)
            continue;
          if (first)
            cairo_move_to (cr, PX (p->x), PY (p->y));
          else
            cairo_line_to (cr, PX (p->x), PY (p->y));
          first = FALSE;
        }
      cairo_stroke (cr);
      cairo_set_dash (cr, NULL, 0, 0);
      for (guint i = 0; i < ser->points->len; i++)
        {
          graphene_point_t *p = &g_array_index (ser->points, graphene_point_t, i);
          if (self->log_scale && p->y <= 0)
            continue;
          cairo_arc (cr, PX (p->x), PY (p->y), 3.0, 0, 2 * G_PI);
          cairo_fill (cr);
        }
    }
  cairo_restore (cr);

  /* legend, right-aligned above the plot */
  double lx = left + pw;
  for (int s = (int) self->series->len - 1; s >= 0; s--)
    {
      Series *ser = g_ptr_array_index (self->series, s);
      int w, h;
      pango_layout_set_text (layout, ser->name, -1);
      pango_layout_get_pixel_size (layout, &w, &h);
      lx -= w;
      cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, 0.85);
      cairo_move_to (cr, lx, legend_y);
      pango_cairo_show_layout (cr, layout);
      lx -= 18;
      gdk_cairo_set_source_rgba (cr, &ser->color);
      cairo_rectangle (cr, lx, legend_y + h / 2.0 - 2, 14, 4);
      cairo_fill (cr);
      lx -= 14;
    }
#undef TY
#undef PX
#undef PY
  cairo_destroy (cr);
}

static void
plm_loss_plot_measure (GtkWidget      *widget,
                       GtkOrientation  orientation,
                       int             for_size,
                       int            *minimum,
                       int            *natural,
                       int            *minimum_baseline,
                       int            *natural_baseline)
{
  *minimum = orientation == GTK_ORIENTATION_HORIZONTAL ? 240 : 150;
  *natural = orientation == GTK_ORIENTATION_HORIZONTAL ? 420 : 200;
}

static void
plm_loss_plot_finalize (GObject *object)
{
  PlmLossPlot *self = PLM_LOSS_PLOT (object);

  g_free (self->title);
  g_ptr_array_unref (self->series);
  G_OBJECT_CLASS (plm_loss_plot_parent_class)->finalize (object);
}

static void
plm_loss_plot_class_init (PlmLossPlotClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = plm_loss_plot_finalize;
  widget_class->snapshot = plm_loss_plot_snapshot;
  widget_class->measure = plm_loss_plot_measure;
  gtk_widget_class_set_css_name (widget_class, "plm-loss-plot");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
plm_loss_plot_init (PlmLossPlot *self)
{
  self->series = g_ptr_array_new_with_free_func (series_free);
  self->y_min = self->y_max = NAN;
  self->x_max = 10.0;
}

GtkWidget *
plm_loss_plot_new (void)
{
  return g_object_new (PLM_TYPE_LOSS_PLOT, NULL);
}

void
plm_loss_plot_set_title (PlmLossPlot *self,
                         const char  *title)
{
  g_return_if_fail (PLM_IS_LOSS_PLOT (self));
  g_free (self->title);
  self->title = g_strdup (title);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
plm_loss_plot_set_y_range (PlmLossPlot *self,
                           double       y_min,
                           double       y_max)
{
  g_return_if_fail (PLM_IS_LOSS_PLOT (self));
  self->y_min = y_min;
  self->y_max = y_max;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
plm_loss_plot_set_x_max (PlmLossPlot *self,
                         double       x_max)
{
  g_return_if_fail (PLM_IS_LOSS_PLOT (self));
  self->x_max = x_max;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

int
plm_loss_plot_add_series (PlmLossPlot *self,
                          const char  *name,
                          const char  *color,
                          gboolean     dashed)
{
  Series *s;

  g_return_val_if_fail (PLM_IS_LOSS_PLOT (self), -1);
  s = g_new0 (Series, 1);
  s->name = g_strdup (name);
  if (!gdk_rgba_parse (&s->color, color))
    gdk_rgba_parse (&s->color, "#3584e4");
  s->dashed = dashed;
  s->points = g_array_new (FALSE, FALSE, sizeof (graphene_point_t));
  g_ptr_array_add (self->series, s);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  return self->series->len - 1;
}

void
plm_loss_plot_add_point (PlmLossPlot *self,
                         int          series,
                         double       x,
                         double       y)
{
  graphene_point_t p = GRAPHENE_POINT_INIT ((float) x, (float) y);

  g_return_if_fail (PLM_IS_LOSS_PLOT (self));
  g_return_if_fail (series >= 0 && (guint) series < self->series->len);
  if (!isfinite (y))
    return;
  g_array_append_val (((Series *) g_ptr_array_index (self->series, series))->points, p);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
plm_loss_plot_clear_points (PlmLossPlot *self)
{
  g_return_if_fail (PLM_IS_LOSS_PLOT (self));
  for (guint s = 0; s < self->series->len; s++)
    g_array_set_size (((Series *) g_ptr_array_index (self->series, s))->points, 0);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

guint
plm_loss_plot_get_n_points (PlmLossPlot *self,
                            int          series)
{
  g_return_val_if_fail (PLM_IS_LOSS_PLOT (self), 0);
  g_return_val_if_fail (series >= 0 && (guint) series < self->series->len, 0);
  return ((Series *) g_ptr_array_index (self->series, series))->points->len;
}

void
plm_loss_plot_set_log_scale (PlmLossPlot *self,
                             gboolean     log_scale)
{
  g_return_if_fail (PLM_IS_LOSS_PLOT (self));
  self->log_scale = log_scale;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}
