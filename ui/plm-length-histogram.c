/* plm-length-histogram.c: lengths binned into at most 24 equal, round-width bins. */
#include <glib/gi18n.h>
#include <string.h>

#include "plm-length-histogram.h"

#define MAX_BINS 24

struct _PlmLengthHistogram
{
  GtkWidget parent_instance;
  int       bins[MAX_BINS];
  int       n_bins;
  int       bin_width;
  int       max_count;
  int       max_len;
};

G_DEFINE_FINAL_TYPE (PlmLengthHistogram, plm_length_histogram, GTK_TYPE_WIDGET)

static void
plm_length_histogram_snapshot (GtkWidget   *widget,
                               GtkSnapshot *snapshot)
{
  PlmLengthHistogram *self = PLM_LENGTH_HISTOGRAM (widget);
  int width = gtk_widget_get_width (widget), height = gtk_widget_get_height (widget);
  const double left = 40, right = 8, top = 8, bottom = 22;
  double pw = width - left - right, ph = height - top - bottom;
  g_autoptr(PangoLayout) layout = NULL;
  GdkRGBA fg, bar;
  char buf[64];
  int w, h;
  cairo_t *cr;

  if (pw < 20 || ph < 10 || self->n_bins == 0)
    return;
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &fg);
  gdk_rgba_parse (&bar, "#3584e4");
  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  layout = gtk_widget_create_pango_layout (widget, NULL);

  double bw = pw / self->n_bins;
  for (int b = 0; b < self->n_bins; b++)
    {
      double bh = (double) self->bins[b] / self->max_count * ph;
      /* bins past the truncation length are drawn in a warning colour */
      if (self->max_len > 0 && (b + 1) * self->bin_width > self->max_len)
        gdk_rgba_parse (&bar, "#e5a50a");
      gdk_cairo_set_source_rgba (cr, &bar);
      cairo_rectangle (cr, left + b * bw + 1, top + ph - bh, MAX (bw - 2, 1), bh);
      cairo_fill (cr);
    }
  cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, 0.5);
  cairo_set_line_width (cr, 1.0);
  cairo_move_to (cr, left, top + ph + 0.5);
  cairo_line_to (cr, left + pw, top + ph + 0.5);
  cairo_stroke (cr);

  cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, 0.75);
  g_snprintf (buf, sizeof buf, "%d", self->max_count);
  pango_layout_set_text (layout, buf, -1);
  pango_layout_get_pixel_size (layout, &w, &h);
  cairo_move_to (cr, left - 4 - w, top);
  pango_cairo_show_layout (cr, layout);
  cairo_move_to (cr, left, top + ph + 3);
  pango_layout_set_text (layout, "0", -1);
  pango_cairo_show_layout (cr, layout);
  /* Translators: the right end of the sequence-length axis */
  g_snprintf (buf, sizeof buf, _("%d residues"), self->n_bins * self->bin_width);
  pango_layout_set_text (layout, buf, -1);
  pango_layout_get_pixel_size (layout, &w, &h);
  cairo_move_to (cr, left + pw - w, top + ph + 3);
  pango_cairo_show_layout (cr, layout);
  cairo_destroy (cr);
}

static void
plm_length_histogram_measure (GtkWidget      *widget,
                              GtkOrientation  orientation,
                              int             for_size,
                              int            *minimum,
                              int            *natural,
                              int            *minimum_baseline,
                              int            *natural_baseline)
{
  *minimum = orientation == GTK_ORIENTATION_HORIZONTAL ? 160 : 90;
  *natural = orientation == GTK_ORIENTATION_HORIZONTAL ? 320 : 110;
}

static void
plm_length_histogram_class_init (PlmLengthHistogramClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  widget_class->snapshot = plm_length_histogram_snapshot;
  widget_class->measure = plm_length_histogram_measure;
  gtk_widget_class_set_css_name (widget_class, "plm-length-histogram");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
plm_length_histogram_init (PlmLengthHistogram *self)
{
}

GtkWidget *
plm_length_histogram_new (void)
{
  return g_object_new (PLM_TYPE_LENGTH_HISTOGRAM, NULL);
}

void
plm_length_histogram_set_lengths (PlmLengthHistogram *self,
                                  GArray             *lengths,
                                  int                 max_len)
{
  int longest = 1;

  g_return_if_fail (PLM_IS_LENGTH_HISTOGRAM (self));
  memset (self->bins, 0, sizeof self->bins);
  self->n_bins = 0;
  self->max_count = 0;
  self->max_len = max_len;
  if (lengths != NULL && lengths->len > 0)
    {
      for (guint i = 0; i < lengths->len; i++)
        longest = MAX (longest, g_array_index (lengths, int, i));
      /* round bin widths: 1, 2, 5, 10, 20, 50, … */
      static const int steps[3] = { 1, 2, 5 };
      int width = 1;
      for (int k = 0, mult = 1; ; k++)
        {
          width = steps[k % 3] * mult;
          if (k % 3 == 2)
            mult *= 10;
          if (longest / width + 1 <= MAX_BINS)
            break;
        }
      self->bin_width = width;
      self->n_bins = longest / width + 1;
      for (guint i = 0; i < lengths->len; i++)
        self->bins[MIN (g_array_index (lengths, int, i) / width, self->n_bins - 1)]++;
      for (int b = 0; b < self->n_bins; b++)
        self->max_count = MAX (self->max_count, self->bins[b]);
    }
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

const int *
plm_length_histogram_get_bins (PlmLengthHistogram *self,
                               int                *n_bins,
                               int                *bin_width)
{
  g_return_val_if_fail (PLM_IS_LENGTH_HISTOGRAM (self), NULL);
  *n_bins = self->n_bins;
  *bin_width = self->bin_width;
  return self->bins;
}
