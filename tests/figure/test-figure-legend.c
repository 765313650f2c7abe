/* test-figure-legend.c: a figure of a windowed run, whose map has pairs no window computed
 * (NaN, drawn #8C8C8C), explains the grey in its legend — the SVG's text and a grey swatch above
 * the map in the PNG — and a figure without such pairs has neither. Attention and contacts, built
 * as the app and the CLI build them (plm-figure-build.h). */
#include <cairo.h>
#include <glib/gstdio.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "plm-color-map.h"
#include "plm-figure-build.h"
#include "plm-test-util.h"

#define L      40
#define T      (L + 2)
#define LEGEND ">grey: pairs no window computed</text>"

static char *tmpdir;

/* An attention-like map (or contact probabilities), NaN where |i − j| > 24 when @windowed: the
 * pairs two windows of 25 residues never hold together. */
static float *
make_map (int n, int offset, gboolean windowed)
{
  float *v = g_new (float, (gsize) n * n);

  for (int i = 0; i < n; i++)
    for (int j = 0; j < n; j++)
      {
        int a = i - offset, b = j - offset;
        gboolean residues = a >= 0 && a < L && b >= 0 && b < L;

        v[(gsize) i * n + j] = windowed && residues && abs (a - b) > 24 ? NAN
                             : (float) (1.0 / (1 + abs (i - j)));
      }
  return v;
}

static PlmFigure *
build (PlmFigureView view, gboolean windowed)
{
  static const char letters[] = "MKTAYIAKQRQISFVKSHFSRQLEERLGLIEVQAPILSRV";
  PlmFigure *f = plm_figure_new (view);
  g_autofree float *map = NULL;

  g_assert_cmpint (strlen (letters), ==, L);
  if (view == PLM_FIGURE_ATTENTION)
    {
      map = make_map (T, 1, windowed);
      plm_figure_build_attention (f, "rec", 0, -1, 4, map, T, letters);
    }
  else
    {
      map = make_map (L, 0, windowed);
      plm_figure_build_contacts (f, "rec", map, L, letters, NULL, 6);
    }
  return f;
}

/* Pixels of exactly PLM_COLOR_MISSING above the map (the legend's band), and the SVG's text. */
static int
grey_above_map (PlmFigure *f, const char *name, char **svg_text)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *png = g_strdup_printf ("%s/%s.png", tmpdir, name);
  g_autofree char *svg = g_strdup_printf ("%s/%s.svg", tmpdir, name);
  const double dpi = 150;
  double x, y, w, h;
  cairo_surface_t *img;
  int n = 0, top, stride;
  guint8 *data;

  plm_figure_get_style (f)->dpi = dpi;
  g_assert_true (plm_figure_export (f, PLM_FIGURE_SVG, svg, &error));
  g_assert_true (g_file_get_contents (svg, svg_text, NULL, NULL));
  g_assert_true (plm_figure_export (f, PLM_FIGURE_PNG, png, &error));
  g_assert_no_error (error);
  /* the first residue's row: the first cell drawn */
  g_assert_true (plm_figure_cell_rect (f, 0, plm_figure_get_view (f) == PLM_FIGURE_ATTENTION ? 1 : 0,
                                       plm_figure_get_view (f) == PLM_FIGURE_ATTENTION ? 1 : 0, &x, &y, &w, &h));
  img = cairo_image_surface_create_from_png (png);
  g_assert_cmpint (cairo_surface_status (img), ==, CAIRO_STATUS_SUCCESS);
  top = (int) floor (y * dpi / 72.0) - 1;
  data = cairo_image_surface_get_data (img);
  stride = cairo_image_surface_get_stride (img);
  for (int py = 0; py < top; py++)
    for (int px = 0; px < cairo_image_surface_get_width (img); px++)
      if ((((guint32 *) (gpointer) (data + (gsize) py * stride))[px] & 0xffffff) == (PLM_COLOR_MISSING & 0xffffff))
        n++;
  cairo_surface_destroy (img);
  return n;
}

static void
check (PlmFigureView view)
{
  for (int windowed = 0; windowed < 2; windowed++)
    {
      g_autoptr(PlmFigure) f = build (view, windowed);
      g_autofree char *svg = NULL;
      g_autofree char *name = g_strdup_printf ("legend-%s-%s", view == PLM_FIGURE_ATTENTION ? "attention" : "contacts",
                                               windowed ? "windowed" : "whole");
      int grey = grey_above_map (f, name, &svg);

      if (windowed)
        {
          g_assert_nonnull (strstr (svg, LEGEND));
          /* a swatch about 0.7 em square: tens of pixels at 150 dpi */
          g_assert_cmpint (grey, >, 20);
        }
      else
        {
          g_assert_null (strstr (svg, "no window computed"));
          /* an antialiased glyph edge of the title may hit the grey exactly */
          g_assert_cmpint (grey, <=, 2);
        }
      g_test_message ("%s, %s: %d grey legend pixels", view == PLM_FIGURE_ATTENTION ? "attention" : "contacts",
                      windowed ? "windowed" : "whole", grey);
    }
}

static void
test_attention (void)
{
  check (PLM_FIGURE_ATTENTION);
}

static void
test_contacts (void)
{
  check (PLM_FIGURE_CONTACTS);
}

int
main (int argc, char **argv)
{
  const char *keep;
  int ret;

  g_test_init (&argc, &argv, NULL);
  /* PLM_FIGURE_KEEP=DIR keeps the figures for looking at them */
  keep = g_getenv ("PLM_FIGURE_KEEP");
  if (keep != NULL)
    g_mkdir_with_parents (keep, 0755);
  tmpdir = keep != NULL ? g_strdup (keep) : g_dir_make_tmp ("plm-figure-legend-XXXXXX", NULL);
  g_test_add_func ("/figure/legend/uncomputed-attention", test_attention);
  g_test_add_func ("/figure/legend/uncomputed-contacts", test_contacts);
  ret = g_test_run ();
  if (keep == NULL)
    plm_test_rm_rf (tmpdir);
  g_free (tmpdir);
  plm_figure_release_fonts ();
  return ret;
}
