/* plm-figure-check.c: cell-by-cell checks of exported figures (see plm-figure-check.h). */
#include "plm-figure-check.h"

#include <cairo.h>
#include <math.h>
#include <stdlib.h>

int
plm_check_figure_cells (PlmFigure *figure, const char *png, double dpi, int tol, const PlmCellRef *refs, int n_refs)
{
  cairo_surface_t *img = cairo_image_surface_create_from_png (png);
  const uint32_t *lut = plm_color_map_get_lut (plm_figure_get_style (figure)->color_map);
  PlmScale scale;
  int checked = 0;

  g_assert_cmpint (cairo_surface_status (img), ==, CAIRO_STATUS_SUCCESS);
  const uint8_t *data = cairo_image_surface_get_data (img);
  int stride = cairo_image_surface_get_stride (img);
  plm_figure_get_scale (figure, &scale);
  for (int k = 0; k < n_refs; k++)
    {
      const PlmCellRef *ref = &refs[k];
      for (int i = ref->trim; i < ref->rows - ref->trim; i++)
        for (int j = ref->trim; j < ref->cols - ref->trim; j++)
          {
            double x, y, w, h;
            if (ref->band > 0 && abs (i - j) >= ref->band)
              continue;
            /* NaN: a cell under a mark (the mutations figure's wild-type dot) */
            if (isnan (ref->values[(gsize) i * ref->cols + j]))
              continue;
            g_assert_true (plm_figure_cell_rect (figure, ref->panel, i, j, &x, &y, &w, &h));
            /* cells narrower than 3 pt at the panel's edge lie under its frame (and the HA
             * figure's outline of the layer of convergence) */
            if ((w < 3 && (j == ref->trim || j == ref->cols - 1 - ref->trim))
                || (h < 3 && (i == ref->trim || i == ref->rows - 1 - ref->trim)))
              continue;
            int px = (int) floor ((x + w / 2) * dpi / 72), py = (int) floor ((y + h / 2) * dpi / 72);
            g_assert_cmpint (px, <, cairo_image_surface_get_width (img));
            g_assert_cmpint (py, <, cairo_image_surface_get_height (img));
            uint32_t got = *(const uint32_t *) (data + (gsize) py * stride + (gsize) px * 4);
            int idx = plm_scale_index (&scale, ref->values[(gsize) i * ref->cols + j]);
            gboolean ok = FALSE;
            for (int d = -1; d <= 1 && !ok; d++)
              {
                uint32_t want = lut[CLAMP (idx + d, 0, 255)];
                ok = TRUE;
                for (int sh = 0; sh <= 16; sh += 8)
                  ok &= abs ((int) ((got >> sh) & 0xff) - (int) ((want >> sh) & 0xff)) <= tol;
              }
            if (!ok)
              g_error ("%s: panel %d cell (%d, %d): pixel %06x, colour map of the value %g is %06x (scale %g…%g)", png,
                       ref->panel, i, j, got & 0xffffff, ref->values[(gsize) i * ref->cols + j], lut[idx] & 0xffffff,
                       scale.vmin, scale.vmax);
            checked++;
          }
    }
  if (n_refs > 0)   /* a figure without heatmap cells (the structure's) has none to check */
    g_assert_cmpint (checked, >=, 20);
  cairo_surface_destroy (img);
  return checked;
}

gboolean
plm_check_have_tool (const char *name)
{
  g_autofree char *path = g_find_program_in_path (name);
  return path != NULL;
}

void
plm_check_run (const char *cmdline)
{
  g_autofree char *err = NULL;
  int status;
  g_assert_true (g_spawn_command_line_sync (cmdline, NULL, &err, &status, NULL));
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("%s: %s", cmdline, err);
}

#define R(c) (((c) >> 16) & 0xff)
#define G(c) (((c) >> 8) & 0xff)
#define B(c) ((c) & 0xff)

void
plm_check_count_marks (const uint8_t *data, int stride, int x0, int x1, int y0, int y1, int *red, int *blue)
{
  *red = *blue = 0;
  for (int y = y0; y < y1; y++)
    for (int x = x0; x < x1; x++)
      {
        uint32_t c = *(const uint32_t *) (const void *) (data + (gsize) y * stride + 4 * x);
        *red += R (c) > 150 && R (c) > B (c) + 80 && R (c) > G (c) + 80;
        *blue += B (c) > 120 && B (c) > R (c) + 60;
      }
}

void
plm_check_two_panels (const char *png, int legend_px)
{
  cairo_surface_t *s = cairo_image_surface_create_from_png (png);
  g_assert_cmpint (cairo_surface_status (s), ==, CAIRO_STATUS_SUCCESS);
  cairo_surface_flush (s);
  int w = cairo_image_surface_get_width (s), h = cairo_image_surface_get_height (s);
  /* two square panels side by side: wider than tall by about 2:1 with the titles and legend */
  g_assert_cmpint (w, >, 3 * h / 2);
  int red[2], blue[2];
  for (int p = 0; p < 2; p++)
    {
      plm_check_count_marks (cairo_image_surface_get_data (s), cairo_image_surface_get_stride (s), p * w / 2,
                             (p + 1) * w / 2, 0, h - legend_px, &red[p], &blue[p]);
      g_test_message ("%s panel %d: %d red, %d blue pixels", png, p, red[p], blue[p]);
      g_assert_cmpint (red[p], >, 15);
      g_assert_cmpint (blue[p], >, 15);
    }
  cairo_surface_destroy (s);
}
