/* test-figure.c: every figure view exported as PNG, SVG and PDF; sizes, well-formed SVG, fonts,
 * no interpolation, and the colour at the centre of heatmap cells (PNG read back, PDF rendered
 * with pdftoppm) equal to the colour map of the value. */
#include <cairo.h>
#include <glib/gstdio.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "plm-error.h"
#include "plm-figure-build.h"
#include "plm-test-util.h"

static char *tmpdir;

static const char seq15[] = "MKTAYIAKQRQISFV";

/* A smooth-but-varied deterministic matrix so neighbouring cells differ in colour. */
static float *
make_matrix (int rows, int cols, int seed)
{
  float *m = g_new (float, (gsize) rows * cols);
  for (int i = 0; i < rows; i++)
    for (int j = 0; j < cols; j++)
      m[i * cols + j] = 0.5f + 0.45f * sinf (0.7f * i + 1.3f * j + seed) * cosf (0.31f * i * j + seed);
  return m;
}

typedef struct { int panel, row, col; } Cell;

static PlmFigure *
build_view (PlmFigureView view, GArray *cells)
{
  PlmFigure *f = plm_figure_new (view);
  PlmFigureStyle *st = plm_figure_get_style (f);
  st->dpi = 150;
  switch (view)
    {
    case PLM_FIGURE_ATTENTION:
      {
        g_autofree float *m = make_matrix (17, 17, 1);
        plm_figure_add_heatmap (f, "short · layer 1 · head 2", m, 17, 17, seq15, seq15, TRUE);
        Cell c[] = { { 0, 1, 1 }, { 0, 3, 9 }, { 0, 15, 15 }, { 0, 8, 2 }, { 0, 12, 14 } };
        g_array_append_vals (cells, c, G_N_ELEMENTS (c));
        break;
      }
    case PLM_FIGURE_GRID:
      for (int p = 0; p < 4; p++)
        {
          g_autofree float *m = make_matrix (17, 17, 10 + p);
          g_autofree char *label = g_strdup_printf ("layer %d · head %d", p / 2, p % 2);
          plm_figure_add_heatmap (f, label, m, 17, 17, seq15, seq15, TRUE);
          Cell c[] = { { p, 2, 5 }, { p, 14, 1 + p } };
          g_array_append_vals (cells, c, G_N_ELEMENTS (c));
        }
      plm_figure_set_grid_columns (f, 2);
      break;
    case PLM_FIGURE_CONTACTS:
      {
        int L = 30;
        g_autofree float *m = make_matrix (L, L, 3);
        g_autofree guint8 *truth = g_new0 (guint8, L * L);
        for (int i = 0; i < L; i++)
          for (int j = 0; j < i; j++)
            {
              m[j * L + i] = m[i * L + j];
              truth[i * L + j] = truth[j * L + i] = m[i * L + j] > 0.8f;
            }
        plm_figure_add_heatmap (f, "contacts", m, L, L, NULL, NULL, FALSE);
        plm_figure_set_true_contacts (f, truth, L, 6);
        /* |i − j| < 6: neither rings (upper, ≥ 6) nor true-contact squares (lower, ≥ 6) */
        Cell c[] = { { 0, 0, 0 }, { 0, 10, 13 }, { 0, 20, 16 }, { 0, 29, 25 } };
        g_array_append_vals (cells, c, G_N_ELEMENTS (c));
        break;
      }
    case PLM_FIGURE_PAIR:
      {
        g_autofree float *pos = make_matrix (12, 20, 5), *neg = make_matrix (12, 16, 6);
        plm_figure_add_heatmap (f, "positive: A × B", pos, 12, 20, "MKTAYIAKQRQI", "GSHMLEDPVDAFQLGKHLAE", FALSE);
        plm_figure_add_heatmap (f, "negative: A × N", neg, 12, 16, "MKTAYIAKQRQI", "PPLLKKQQEEWWAAYY", FALSE);
        int ta[] = { 2, 7 }, tb[] = { 4, 11 };
        plm_figure_mark_residues (f, 0, PLM_FIGURE_AXIS_ROWS, ta, 2);
        plm_figure_mark_residues (f, 0, PLM_FIGURE_AXIS_COLS, tb, 2);
        plm_figure_mark_residues (f, 1, PLM_FIGURE_AXIS_COLS, tb, 1);
        Cell c[] = { { 0, 0, 0 }, { 0, 11, 19 }, { 0, 5, 8 }, { 1, 3, 15 }, { 1, 9, 0 } };
        g_array_append_vals (cells, c, G_N_ELEMENTS (c));
        break;
      }
    case PLM_FIGURE_HASITES:
      {
        int NL = 6, L = 40;
        g_autofree float *heat = make_matrix (NL, L, 7);
        float sorted[40];
        for (int k = 0; k < L; k++)
          sorted[k] = k < 8 ? 1.0f - 0.08f * k : 0.36f - 0.008f * (k - 8);
        int sites[] = { 3, 17, 18, 30, 35, 2 };
        int s1[] = { 5, 20 }, e1[] = { 5, 20 }, s2[] = { 0 }, e2[] = { 25 };
        PlmFigureTrack tracks[] = { { "Active site", 2, s1, e1 }, { "Domain", 1, s2, e2 } };
        PlmFigureHaData d = {
          .n_layers = NL, .length = L, .heatmap = heat, .sequence = "MQIFVKTLTGKTITLEVEPSDTIENVKAKIQDKEGIPPDQ",
          .layer = 3, .sorted = sorted, .breakpoint = 0.18, .intercept = 1.0, .m1 = -3.1, .m2 = -0.39,
          .theta = 74.5, .loc = 3, .n_sites = 6, .sites = sites, .n_tracks = 2, .tracks = tracks,
        };
        plm_figure_set_hasites (f, &d);
        Cell c[] = { { 0, 0, 0 }, { 0, 5, 39 }, { 0, 2, 17 }, { 0, 4, 21 } };
        g_array_append_vals (cells, c, G_N_ELEMENTS (c));
        break;
      }
    case PLM_FIGURE_MUTATIONS:
      {
        /* signed scores; the wild type of column 0 is M (row 5 of the hydrophobicity order),
         * dotted, so the cells checked are off the wild type */
        g_autofree float *m = make_matrix (20, 30, 9);
        for (int k = 0; k < 600; k++)
          m[k] = 8.0f * (m[k] - 0.5f);
        plm_figure_build_mutations (f, "short", m, 30, "IVLFCMAGTSWYPHEQDNKR", "MQIFVKTLTGKTITLEVEPSDTIENVKAKI",
                                    "wt-marginal");
        float mean[30];
        int sites[] = { 4, 17 }, s1[] = { 5, 20 }, e1[] = { 5, 24 };
        PlmFigureTrack tracks[] = { { "Binding sites", 2, s1, e1 } };
        for (int k = 0; k < 30; k++)
          mean[k] = 2.0f * sinf (0.4f * k);
        plm_figure_set_residue_tracks (f, mean, 30, "Mean score", sites, 2, tracks, 1);
        Cell c[] = { { 0, 0, 0 }, { 0, 19, 29 }, { 0, 7, 12 }, { 0, 13, 3 } };
        g_array_append_vals (cells, c, G_N_ELEMENTS (c));
        break;
      }
    case PLM_FIGURE_STRUCTURE:   /* no cells: tests/figure/test-structure-scene.c */
      break;
    }
  return f;
}

static const char *view_names[] = { "attention", "grid", "hasites", "contacts", "pair", "mutations" };

/* The value the caller put in cell (row, col) of @panel, rebuilt the same way. */
static float
cell_value (PlmFigureView view, int panel, int row, int col)
{
  switch (view)
    {
    case PLM_FIGURE_ATTENTION: { g_autofree float *m = make_matrix (17, 17, 1); return m[row * 17 + col]; }
    case PLM_FIGURE_GRID: { g_autofree float *m = make_matrix (17, 17, 10 + panel); return m[row * 17 + col]; }
    case PLM_FIGURE_CONTACTS:
      {
        g_autofree float *m = make_matrix (30, 30, 3);
        return row >= col ? m[row * 30 + col] : m[col * 30 + row];
      }
    case PLM_FIGURE_PAIR:
      {
        int cols = panel == 0 ? 20 : 16;
        g_autofree float *m = make_matrix (12, cols, panel == 0 ? 5 : 6);
        return m[row * cols + col];
      }
    case PLM_FIGURE_HASITES: { g_autofree float *m = make_matrix (6, 40, 7); return m[row * 40 + col]; }
    case PLM_FIGURE_MUTATIONS: { g_autofree float *m = make_matrix (20, 30, 9); return 8.0f * (m[row * 30 + col] - 0.5f); }
    case PLM_FIGURE_STRUCTURE: break;
    }
  return NAN;
}

/* Colour at the centre of each cell on @img (@ppt pixels per point) vs lut[scale_index(value)]. */
static void
check_cells (PlmFigure *f, cairo_surface_t *img, double ppt, GArray *cells, int tol, const char *what)
{
  PlmScale scale;
  plm_figure_get_scale (f, &scale);
  const uint32_t *lut = plm_color_map_get_lut (plm_figure_get_style (f)->color_map);
  const uint8_t *data = cairo_image_surface_get_data (img);
  int stride = cairo_image_surface_get_stride (img);
  int iw = cairo_image_surface_get_width (img), ih = cairo_image_surface_get_height (img);
  for (guint k = 0; k < cells->len; k++)
    {
      Cell *c = &g_array_index (cells, Cell, k);
      double x, y, w, h;
      g_assert_true (plm_figure_cell_rect (f, c->panel, c->row, c->col, &x, &y, &w, &h));
      int px = (int) floor ((x + w / 2) * ppt), py = (int) floor ((y + h / 2) * ppt);
      g_assert_cmpint (px, >=, 0);
      g_assert_cmpint (py, >=, 0);
      g_assert_cmpint (px, <, iw);
      g_assert_cmpint (py, <, ih);
      uint32_t got = *(const uint32_t *) (data + (gsize) py * stride + (gsize) px * 4);
      uint32_t want = lut[plm_scale_index (&scale, cell_value (plm_figure_get_view (f), c->panel, c->row, c->col))];
      for (int shift = 0; shift <= 16; shift += 8)
        {
          int a = (got >> shift) & 0xff, b = (want >> shift) & 0xff;
          if (abs (a - b) > tol)
            g_error ("%s: panel %d cell (%d,%d) at pixel (%d,%d): got %06x, colour map gives %06x",
                     what, c->panel, c->row, c->col, px, py, got & 0xffffff, want & 0xffffff);
        }
    }
}

/* Binary-safe substring search (PDF streams contain NUL bytes). */
static gboolean
contains (const char *data, gsize len, const char *needle)
{
  gsize n = strlen (needle);
  for (gsize i = 0; i + n <= len; i++)
    if (data[i] == needle[0] && memcmp (data + i, needle, n) == 0)
      return TRUE;
  return FALSE;
}

static gboolean
have_tool (const char *name)
{
  g_autofree char *p = g_find_program_in_path (name);
  return p != NULL;
}

static char *
run (const char *cmdline, int *status)
{
  char *out = NULL;
  g_autoptr(GError) error = NULL;
  g_assert_true (g_spawn_command_line_sync (cmdline, &out, NULL, status, &error));
  g_assert_no_error (error);
  return out;
}

static void
test_view (gconstpointer data)
{
  PlmFigureView view = GPOINTER_TO_INT (data);
  g_autoptr(GArray) cells = g_array_new (FALSE, FALSE, sizeof (Cell));
  g_autoptr(PlmFigure) f = build_view (view, cells);
  g_autoptr(GError) error = NULL;
  double dpi = plm_figure_get_style (f)->dpi;
  int pw, ph;
  plm_figure_get_pixel_size (f, &pw, &ph);

  /* PNG: the promised size, and the exact colour map at cell centres */
  g_autofree char *png = g_strdup_printf ("%s/%s.png", tmpdir, view_names[view]);
  g_assert_true (plm_figure_export (f, PLM_FIGURE_PNG, png, &error));
  g_assert_no_error (error);
  cairo_surface_t *img = cairo_image_surface_create_from_png (png);
  g_assert_cmpint (cairo_surface_status (img), ==, CAIRO_STATUS_SUCCESS);
  g_assert_cmpint (cairo_image_surface_get_width (img), ==, pw);
  g_assert_cmpint (cairo_image_surface_get_height (img), ==, ph);
  check_cells (f, img, dpi / 72.0, cells, 0, png);
  cairo_surface_destroy (img);
  /* the resolution is recorded: pHYs right after IHDR, pixels per metre, valid CRC */
  g_autofree guint8 *png_bytes = NULL;
  gsize png_len;
  g_assert_true (g_file_get_contents (png, (char **) &png_bytes, &png_len, NULL));
  g_assert_cmpuint (png_len, >, 33 + 21);
  const guint8 *phys = png_bytes + 33;
  g_assert_cmpmem (phys, 8, "\0\0\0\x09pHYs", 8);
  guint32 ppm = (guint32) phys[8] << 24 | phys[9] << 16 | phys[10] << 8 | phys[11];
  g_assert_cmpuint (ppm, ==, (guint32) lround (dpi / 0.0254));
  g_assert_cmpuint (phys[16], ==, 1);
  guint32 crc = (guint32) phys[17] << 24 | phys[18] << 16 | phys[19] << 8 | phys[20];
  g_assert_cmpuint (crc, ==, (guint32) crc32 (0, phys + 4, 13));

  /* SVG: well-formed, text as <text>, images marked pixelated */
  g_autofree char *svg = g_strdup_printf ("%s/%s.svg", tmpdir, view_names[view]);
  g_assert_true (plm_figure_export (f, PLM_FIGURE_SVG, svg, &error));
  g_assert_no_error (error);
  g_autofree char *svg_text = NULL;
  g_assert_true (g_file_get_contents (svg, &svg_text, NULL, NULL));
  g_assert_nonnull (strstr (svg_text, "<image "));
  g_assert_nonnull (strstr (svg_text, "<image style=\"image-rendering:optimizeSpeed;image-rendering:pixelated\""));
  /* text stays text: <text> elements (cairo alone would write glyph outlines), e.g. the colour
   * bar's label, and no outlined glyphs */
  g_assert_nonnull (strstr (svg_text, "<text "));
  g_assert_null (strstr (svg_text, "<symbol"));
  g_assert_nonnull (strstr (svg_text, view == PLM_FIGURE_CONTACTS ? ">Contact probability</text>"
                                      : view == PLM_FIGURE_PAIR ? ">Cross-attention</text>"
                                      : view == PLM_FIGURE_HASITES ? ">Attention received</text>"
                                      : view == PLM_FIGURE_MUTATIONS ? ">Score (log-odds)</text>" : ">Attention</text>"));
  if (have_tool ("xmllint"))
    {
      int status;
      g_autofree char *cmd = g_strdup_printf ("xmllint --noout '%s'", svg);
      g_free (run (cmd, &status));
      g_assert_true (g_spawn_check_wait_status (status, NULL));
    }
  else
    g_test_message ("xmllint not installed (libxml2-utils): SVG not parsed");

  /* PDF: /Interpolate false on the images, fonts embedded, and the rendered page has the
   * colour map at cell centres */
  g_autofree char *pdf = g_strdup_printf ("%s/%s.pdf", tmpdir, view_names[view]);
  g_assert_true (plm_figure_export (f, PLM_FIGURE_PDF, pdf, &error));
  g_assert_no_error (error);
  g_autofree char *pdf_bytes = NULL;
  gsize pdf_len;
  g_assert_true (g_file_get_contents (pdf, &pdf_bytes, &pdf_len, NULL));
  g_assert_true (contains (pdf_bytes, pdf_len, "/Interpolate false"));
  g_assert_false (contains (pdf_bytes, pdf_len, "/Interpolate true"));
  if (have_tool ("pdffonts"))
    {
      int status;
      g_autofree char *cmd = g_strdup_printf ("pdffonts '%s'", pdf);
      g_autofree char *out = run (cmd, &status);
      g_assert_true (g_spawn_check_wait_status (status, NULL));
      /* header, rule, then one line per font; every font embedded ("yes" in the emb column) */
      g_auto(GStrv) lines = g_strsplit (out, "\n", -1);
      int fonts = 0;
      for (int i = 2; lines[i] && *lines[i]; i++, fonts++)
        g_assert_nonnull (strstr (lines[i], " yes "));
      g_assert_cmpint (fonts, >=, 1);
    }
  else
    g_test_message ("pdffonts not installed (poppler-utils): fonts not checked");
  if (have_tool ("pdftoppm"))
    {
      int status;
      g_autofree char *prefix = g_strdup_printf ("%s/%s-pdf", tmpdir, view_names[view]);
      g_autofree char *cmd = g_strdup_printf ("pdftoppm -r %g -png -singlefile '%s' '%s'", dpi, pdf, prefix);
      g_free (run (cmd, &status));
      g_assert_true (g_spawn_check_wait_status (status, NULL));
      g_autofree char *rendered = g_strdup_printf ("%s.png", prefix);
      img = cairo_image_surface_create_from_png (rendered);
      g_assert_cmpint (cairo_surface_status (img), ==, CAIRO_STATUS_SUCCESS);
      g_assert_cmpint (abs (cairo_image_surface_get_width (img) - pw), <=, 1);
      g_assert_cmpint (abs (cairo_image_surface_get_height (img) - ph), <=, 1);
      check_cells (f, img, dpi / 72.0, cells, 2, rendered);
      cairo_surface_destroy (img);
    }
  else
    g_test_message ("pdftoppm not installed (poppler-utils): PDF pixels not checked");
}

static void
test_size_and_geometry (void)
{
  g_autoptr(GArray) cells = g_array_new (FALSE, FALSE, sizeof (Cell));
  g_autoptr(PlmFigure) f = build_view (PLM_FIGURE_ATTENTION, cells);
  PlmFigureStyle *st = plm_figure_get_style (f);
  double x, y, w, h, w2, h2;

  /* pixels are exact; millimetres convert at 72/25.4 pt */
  st->unit = PLM_FIGURE_UNIT_PX;
  st->width = 801;
  st->height = 603;
  int pw, ph;
  plm_figure_get_pixel_size (f, &pw, &ph);
  g_assert_cmpint (pw, ==, 801);
  g_assert_cmpint (ph, ==, 603);
  st->unit = PLM_FIGURE_UNIT_MM;
  st->width = 89;
  st->height = 70;
  plm_figure_get_size (f, &w, &h);
  g_assert_cmpfloat (fabs (w - 89 * 72 / 25.4), <, 1e-9);
  g_assert_cmpfloat (fabs (h - 70 * 72 / 25.4), <, 1e-9);

  /* specials hidden: their rows/columns have no rectangle; shown: they do, cells get smaller */
  g_assert_false (plm_figure_cell_rect (f, 0, 0, 5, &x, &y, &w, &h));
  g_assert_false (plm_figure_cell_rect (f, 0, 5, 16, &x, &y, &w, &h));
  g_assert_false (plm_figure_cell_rect (f, 1, 5, 5, &x, &y, &w, &h));
  g_assert_true (plm_figure_cell_rect (f, 0, 1, 1, &x, &y, &w, &h));
  g_assert_cmpfloat (fabs (w - h), <, 1e-9);
  double x2, y2;
  g_assert_true (plm_figure_cell_rect (f, 0, 2, 3, &x2, &y2, &w2, &h2));
  g_assert_cmpfloat (fabs (x2 - x - 2 * w), <, 1e-9);
  g_assert_cmpfloat (fabs (y2 - y - h), <, 1e-9);
  st->specials = TRUE;
  g_assert_true (plm_figure_cell_rect (f, 0, 0, 16, &x, &y, &w2, &h2));
  g_assert_cmpfloat (w2, <, w);
  /* the figure stays inside its page */
  plm_figure_get_size (f, &w, &h);
  g_assert_true (plm_figure_cell_rect (f, 0, 16, 16, &x, &y, &w2, &h2));
  g_assert_cmpfloat (x + w2, <, w);
  g_assert_cmpfloat (y + h2, <, h);

  /* a fixed log scale is used as given */
  st->fixed_scale = TRUE;
  st->scale = (PlmScale) { PLM_SCALE_LOG, 0.01f, 1.0f };
  PlmScale s;
  plm_figure_get_scale (f, &s);
  g_assert_cmpint (s.kind, ==, PLM_SCALE_LOG);
  g_assert_cmpfloat (s.vmin, ==, 0.01f);
}

static void
test_transparent_and_atomic (void)
{
  g_autoptr(GArray) cells = g_array_new (FALSE, FALSE, sizeof (Cell));
  g_autoptr(PlmFigure) f = build_view (PLM_FIGURE_ATTENTION, cells);
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_build_filename (tmpdir, "atomic", NULL);
  g_autofree char *path = g_build_filename (dir, "fig.png", NULL);
  g_assert_cmpint (g_mkdir (dir, 0755), ==, 0);

  plm_figure_get_style (f)->transparent = TRUE;
  g_assert_true (plm_figure_export (f, PLM_FIGURE_PNG, path, &error));
  cairo_surface_t *img = cairo_image_surface_create_from_png (path);
  uint32_t corner = *(const uint32_t *) cairo_image_surface_get_data (img);
  g_assert_cmphex (corner >> 24, ==, 0);
  cairo_surface_destroy (img);

  /* overwriting replaces the file whole; nothing else is left in the directory */
  plm_figure_get_style (f)->transparent = FALSE;
  g_assert_true (plm_figure_export (f, PLM_FIGURE_PNG, path, &error));
  img = cairo_image_surface_create_from_png (path);
  corner = *(const uint32_t *) cairo_image_surface_get_data (img);
  g_assert_cmphex (corner, ==, 0xffffffff);
  cairo_surface_destroy (img);
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  int n = 0;
  while (g_dir_read_name (d))
    n++;
  g_assert_cmpint (n, ==, 1);

  /* a missing directory is an error naming the path, not a crash */
  g_autofree char *bad = g_build_filename (tmpdir, "no-such-dir", "fig.pdf", NULL);
  g_assert_false (plm_figure_export (f, PLM_FIGURE_PDF, bad, &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "no-such-dir"));
  g_assert_false (g_file_test (bad, G_FILE_TEST_EXISTS));

  PlmFigureFormat fmt;
  g_assert_true (plm_figure_format_from_name ("PDF", &fmt));
  g_assert_cmpint (fmt, ==, PLM_FIGURE_PDF);
  g_assert_false (plm_figure_format_from_name ("jpeg", &fmt));
}

/* Small cells (2.6 pt, 3.6 px at 100 dpi): poppler smooths images magnified less than 4× even
 * with /Interpolate false, so the export embeds cells as pixel blocks; every cell centre of the
 * rendered page must still be its colour. */
static void
test_pdf_small_cells (void)
{
  if (!have_tool ("pdftoppm"))
    {
      g_test_skip ("pdftoppm not installed (poppler-utils)");
      return;
    }
  int T = 78;
  g_autofree float *m = make_matrix (T, T, 9);
  g_autoptr(PlmFigure) f = plm_figure_new (PLM_FIGURE_ATTENTION);
  g_autoptr(GError) error = NULL;
  plm_figure_add_heatmap (f, "small cells", m, T, T, NULL, NULL, TRUE);
  g_autofree char *pdf = g_build_filename (tmpdir, "small-cells.pdf", NULL);
  g_autofree char *prefix = g_build_filename (tmpdir, "small-cells", NULL);
  g_assert_true (plm_figure_export (f, PLM_FIGURE_PDF, pdf, &error));
  g_autofree char *cmd = g_strdup_printf ("pdftoppm -r 100 -png -singlefile '%s' '%s'", pdf, prefix);
  int status;
  g_free (run (cmd, &status));
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  g_autofree char *png = g_strconcat (prefix, ".png", NULL);
  cairo_surface_t *img = cairo_image_surface_create_from_png (png);
  PlmScale scale;
  plm_figure_get_scale (f, &scale);
  const uint32_t *lut = plm_color_map_get_lut (PLM_COLOR_MAP_VIRIDIS);
  const uint8_t *data = cairo_image_surface_get_data (img);
  int stride = cairo_image_surface_get_stride (img), bad = 0;
  double x, y, w, h;
  g_assert_true (plm_figure_cell_rect (f, 0, 1, 1, &x, &y, &w, &h));
  g_assert_cmpfloat (w * 100 / 72, <, 4.0);
  for (int i = 1; i < T - 1; i++)
    for (int j = 1; j < T - 1; j++)
      {
        g_assert_true (plm_figure_cell_rect (f, 0, i, j, &x, &y, &w, &h));
        int px = (int) floor ((x + w / 2) * 100 / 72), py = (int) floor ((y + h / 2) * 100 / 72);
        uint32_t got = *(const uint32_t *) (data + (gsize) py * stride + (gsize) px * 4);
        uint32_t want = lut[plm_scale_index (&scale, m[i * T + j])];
        for (int sh = 0; sh <= 16; sh += 8)
          if (abs ((int) ((got >> sh) & 0xff) - (int) ((want >> sh) & 0xff)) > 2)
            {
              bad++;
              break;
            }
      }
  g_assert_cmpint (bad, ==, 0);
  cairo_surface_destroy (img);
}

/* Degenerate data and sizes draw something sensible and never crash (run under ASan in CI). */
static void
test_degenerate (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *png = g_build_filename (tmpdir, "degenerate.png", NULL);
  g_autofree char *pdf = g_build_filename (tmpdir, "degenerate.pdf", NULL);
  float nan5[25], one = 0.5f;
  for (int i = 0; i < 25; i++)
    nan5[i] = NAN;

  for (int v = PLM_FIGURE_ATTENTION; v <= PLM_FIGURE_MUTATIONS; v++)
    {
      /* no data at all: an empty page of the default size */
      g_autoptr(PlmFigure) empty = plm_figure_new (v);
      g_assert_true (plm_figure_export (empty, PLM_FIGURE_PNG, png, &error));
      g_assert_true (plm_figure_export (empty, PLM_FIGURE_PDF, pdf, &error));
      g_assert_no_error (error);
    }

  g_autoptr(PlmFigure) f = plm_figure_new (PLM_FIGURE_ATTENTION);
  plm_figure_add_heatmap (f, "all NaN", nan5, 5, 5, "ACDEF", "ACDEF", FALSE);
  plm_figure_add_heatmap (f, "one cell", &one, 1, 1, "A", "A", FALSE);
  PlmFigureStyle *st = plm_figure_get_style (f);
  g_assert_true (plm_figure_export (f, PLM_FIGURE_PNG, png, &error));
  /* a 20 × 20 pixel figure with a 72 pt font: everything squeezed, nothing crashes */
  st->unit = PLM_FIGURE_UNIT_PX;
  st->width = st->height = 20;
  st->font_size = 72;
  st->letters = TRUE;
  g_assert_true (plm_figure_export (f, PLM_FIGURE_PNG, png, &error));
  cairo_surface_t *img = cairo_image_surface_create_from_png (png);
  g_assert_cmpint (cairo_image_surface_get_width (img), ==, 20);
  cairo_surface_destroy (img);
  g_assert_true (plm_figure_export (f, PLM_FIGURE_SVG, png, &error));
  /* an absurd pixel count is refused with an error, not attempted */
  st->width = st->height = 100000;
  g_assert_false (plm_figure_export (f, PLM_FIGURE_PNG, png, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);

  /* HA figure of one residue, one layer, no curve, no sites */
  float h1 = 1.0f;
  PlmFigureHaData d = { .n_layers = 1, .length = 1, .heatmap = &h1, .loc = 0 };
  g_autoptr(PlmFigure) ha = plm_figure_new (PLM_FIGURE_HASITES);
  plm_figure_set_hasites (ha, &d);
  g_assert_true (plm_figure_export (ha, PLM_FIGURE_PDF, pdf, &error));
  g_assert_true (plm_figure_export (ha, PLM_FIGURE_PNG, png, &error));
  g_assert_no_error (error);
  double x, y, w, h;
  g_assert_true (plm_figure_cell_rect (ha, 0, 0, 0, &x, &y, &w, &h));
  g_assert_false (plm_figure_cell_rect (ha, 0, 1, 0, &x, &y, &w, &h));

  /* contacts of 3 residues (fewer than any separation) with a truth map of the wrong size */
  float c3[9] = { 0.1f, 0.9f, 0.2f, 0.9f, 0.1f, 0.3f, 0.2f, 0.3f, 0.1f };
  guint8 t2[4] = { 1, 1, 1, 1 };
  g_autoptr(PlmFigure) c = plm_figure_new (PLM_FIGURE_CONTACTS);
  plm_figure_add_heatmap (c, "tiny", c3, 3, 3, NULL, NULL, FALSE);
  plm_figure_set_true_contacts (c, t2, 2, 6);
  plm_figure_get_style (c)->scale_kind = PLM_SCALE_LOG;
  g_assert_true (plm_figure_export (c, PLM_FIGURE_SVG, pdf, &error));
  g_assert_no_error (error);
}

/* ARGB of the pixel at figure point (@x, @y) of @img drawn at @dpi. */
static guint32
pixel_at (cairo_surface_t *img, double dpi, double x, double y)
{
  int px = (int) floor (x * dpi / 72.0), py = (int) floor (y * dpi / 72.0);
  return ((guint32 *) (gpointer) (cairo_image_surface_get_data (img) + (gsize) py * cairo_image_surface_get_stride (img)))[px];
}

static gboolean
is_color (guint32 p, guint32 want, int tol)
{
  for (int shift = 0; shift < 24; shift += 8)
    if (abs ((int) ((p >> shift) & 0xff) - (int) ((want >> shift) & 0xff)) > tol)
      return FALSE;
  return TRUE;
}

/* The contacts' marks, the same as the view's (plm_contact_marks): the top L/k as a true
 * positive (green disc), a false positive (open red circle) or, with a residue the structure
 * lacks, a plain white ring; true contacts below the diagonal as grey squares; one legend entry
 * per kind drawn. */
static void
test_contact_marks (void)
{
  int L = 30, counts[PLM_CONTACT_N_MARKS];
  g_autofree float *m = g_new (float, L * L);
  g_autofree guint8 *truth = g_new0 (guint8, L * L);
  g_autoptr(GError) error = NULL;

  for (int k = 0; k < L * L; k++)
    m[k] = 0.01f;
  m[0 * L + 10] = m[10 * L + 0] = 0.99f;    /* false positive */
  m[2 * L + 20] = m[20 * L + 2] = 0.98f;    /* true positive */
  m[4 * L + 25] = m[25 * L + 4] = 0.97f;    /* residue 26 is not in the structure */
  truth[2 * L + 20] = truth[20 * L + 2] = 1;
  for (int k = 0; k < L; k++)
    truth[25 * L + k] = truth[k * L + 25] = PLM_CONTACT_UNKNOWN;

  g_autoptr(GArray) marks = plm_contact_marks (m, L, L, 6, 10, truth, counts);
  g_assert_cmpint (counts[PLM_CONTACT_MARK_TRUE_POSITIVE], ==, 1);
  g_assert_cmpint (counts[PLM_CONTACT_MARK_FALSE_POSITIVE], ==, 1);
  g_assert_cmpint (counts[PLM_CONTACT_MARK_PREDICTED], ==, 1);
  g_assert_cmpint (counts[PLM_CONTACT_MARK_TRUE_CONTACT], ==, 1);
  g_assert_cmpuint (marks->len, ==, 4);
  /* without a structure, plain rings only */
  g_autoptr(GArray) plain = plm_contact_marks (m, L, L, 6, 10, NULL, counts);
  g_assert_cmpint (counts[PLM_CONTACT_MARK_PREDICTED], ==, 3);
  g_assert_cmpuint (plain->len, ==, 3);

  g_autoptr(PlmFigure) f = plm_figure_new (PLM_FIGURE_CONTACTS);
  double dpi = 300, x, y, w, h;
  int pw, ph;
  plm_figure_add_heatmap (f, "marks", m, L, L, NULL, NULL, FALSE);
  plm_figure_set_true_contacts (f, truth, L, 6);
  plm_figure_set_contact_top (f, 10);
  plm_figure_get_style (f)->dpi = dpi;
  plm_figure_get_pixel_size (f, &pw, &ph);
  cairo_surface_t *img = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, pw, ph);
  cairo_t *cr = cairo_create (img);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  cairo_scale (cr, dpi / 72.0, dpi / 72.0);
  plm_figure_draw (f, cr);
  cairo_destroy (cr);
  cairo_surface_flush (img);

  const guint32 *colors = plm_contact_mark_colors;
  g_assert_true (plm_figure_cell_rect (f, 0, 2, 20, &x, &y, &w, &h));
  g_assert_true (is_color (pixel_at (img, dpi, x + w / 2, y + h / 2), colors[PLM_CONTACT_MARK_TRUE_POSITIVE], 8));
  g_assert_true (plm_figure_cell_rect (f, 0, 0, 10, &x, &y, &w, &h));
  g_assert_false (is_color (pixel_at (img, dpi, x + w / 2, y + h / 2), colors[PLM_CONTACT_MARK_FALSE_POSITIVE], 60));
  g_assert_true (is_color (pixel_at (img, dpi, x + w / 2 + 0.38 * w - 0.06 * w, y + h / 2), colors[PLM_CONTACT_MARK_FALSE_POSITIVE], 40));
  g_assert_true (plm_figure_cell_rect (f, 0, 4, 25, &x, &y, &w, &h));
  g_assert_true (is_color (pixel_at (img, dpi, x + w / 2 + 0.38 * w - 0.06 * w, y + h / 2), 0xffffffff, 40));
  g_assert_true (plm_figure_cell_rect (f, 0, 20, 2, &x, &y, &w, &h));
  g_assert_true (is_color (pixel_at (img, dpi, x + w / 2, y + h / 2), colors[PLM_CONTACT_MARK_TRUE_CONTACT], 8));
  /* unmarked: the mirror of the false positive and of the unknown pair */
  g_assert_true (plm_figure_cell_rect (f, 0, 10, 0, &x, &y, &w, &h));
  g_assert_false (is_color (pixel_at (img, dpi, x + w / 2, y + h / 2), colors[PLM_CONTACT_MARK_TRUE_CONTACT], 30));
  cairo_surface_destroy (img);

  /* the legend lists exactly these four, and the precision at L/5 (1 of the best 6 known) */
  g_autofree char *svg = g_strdup_printf ("%s/contact-marks.svg", tmpdir);
  g_autofree char *text = NULL;
  g_assert_true (plm_figure_export (f, PLM_FIGURE_SVG, svg, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (svg, &text, NULL, NULL));
  g_assert_nonnull (strstr (text, ">true positive (top L/10)</text>"));
  g_assert_nonnull (strstr (text, ">false positive (top L/10)</text>"));
  g_assert_nonnull (strstr (text, ">top L/10, not in the structure</text>"));
  g_assert_nonnull (strstr (text, ">true contact</text>"));
  g_assert_nonnull (strstr (text, ">P@L/5 = 0.17</text>"));
  /* without a structure: plain rings only */
  g_autoptr(PlmFigure) g = plm_figure_new (PLM_FIGURE_CONTACTS);
  g_clear_pointer (&text, g_free);
  plm_figure_add_heatmap (g, "marks", m, L, L, NULL, NULL, FALSE);
  g_assert_true (plm_figure_export (g, PLM_FIGURE_SVG, svg, &error));
  g_assert_true (g_file_get_contents (svg, &text, NULL, NULL));
  g_assert_nonnull (strstr (text, ">top L/5</text>"));
  g_assert_null (strstr (text, "positive"));
  g_assert_null (strstr (text, "true contact"));
}

/* Index lists of the grid (CLI 0-based, dialog 1-based) and the builders' numbering. */
static void
test_indices_and_labels (void)
{
  static const struct { const char *text; int base, limit; const char *want; } cases[] = {
    { "", 0, 3, "0,1,2" },
    { NULL, 1, 2, "0,1" },
    { "0,2", 0, 3, "0,2" },
    { " 3 , 1 ", 1, 4, "2,0" },
    { "2-4", 1, 6, "1,2,3" },
    { "0-1,5", 0, 6, "0,1,5" },
    { "4", 1, 3, NULL },          /* past the end, 1-based */
    { "0", 1, 3, NULL },          /* 0 is not a 1-based index */
    { "3", 0, 3, NULL },
    { "-1", 0, 3, NULL },
    { "2-1", 0, 3, NULL },
    { "1,,2", 0, 3, NULL },
    { "x", 0, 3, NULL },
    { "1.5", 0, 3, NULL },
    { "99999999999999999999", 0, 3, NULL },
  };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      GArray *a = plm_figure_parse_indices (cases[i].text, cases[i].base, cases[i].limit, &error);
      if (cases[i].want == NULL)
        {
          g_assert_null (a);
          g_assert_error (error, PLM_ERROR, PLM_ERROR_INPUT);
          continue;
        }
      g_assert_no_error (error);
      g_autoptr(GString) got = g_string_new (NULL);
      for (guint k = 0; k < a->len; k++)
        g_string_append_printf (got, "%s%d", k ? "," : "", g_array_index (a, int, k));
      g_assert_cmpstr (got->str, ==, cases[i].want);
      g_array_unref (a);
    }
  g_autofree char *l1 = plm_figure_attention_label (0, 4, 20);
  g_autofree char *l2 = plm_figure_attention_label (32, -1, 20);
  g_assert_cmpstr (l1, ==, "layer 1 · head 5");
  g_assert_cmpstr (l2, ==, "layer 33 · mean of 20 heads");

  /* the grid's record is its default title; a style title wins, "" hides it */
  float m[16] = { 0 };
  g_autoptr(PlmFigure) f = plm_figure_new (PLM_FIGURE_GRID);
  plm_figure_build_grid_panel (f, "P69905", 0, 0, 2, m, 4, "AB");
  g_assert_cmpstr (plm_figure_get_text (f, PLM_FIGURE_TEXT_TITLE), ==, "P69905");
  g_assert_cmpstr (plm_figure_get_text (f, PLM_FIGURE_TEXT_X_LABEL), ==, "Key residue");
  plm_figure_get_style (f)->title = g_strdup ("");
  g_assert_cmpstr (plm_figure_get_text (f, PLM_FIGURE_TEXT_TITLE), ==, "");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  /* PLM_FIGURE_KEEP=DIR keeps the figures for looking at them */
  const char *keep = g_getenv ("PLM_FIGURE_KEEP");
  if (keep)
    {
      g_mkdir_with_parents (keep, 0755);
      tmpdir = g_strdup (keep);
    }
  else
    tmpdir = g_dir_make_tmp ("plm-figure-XXXXXX", NULL);
  if (!have_tool ("xmllint") || !have_tool ("pdftoppm") || !have_tool ("pdffonts"))
    g_printerr ("# note: xmllint/pdftoppm/pdffonts missing (install libxml2-utils, poppler-utils): "
                "those checks are skipped\n");
  for (int v = PLM_FIGURE_ATTENTION; v <= PLM_FIGURE_MUTATIONS; v++)
    {
      g_autofree char *name = g_strdup_printf ("/figure/export/%s", view_names[v]);
      g_test_add_data_func (name, GINT_TO_POINTER (v), test_view);
    }
  g_test_add_func ("/figure/size-and-geometry", test_size_and_geometry);
  g_test_add_func ("/figure/transparent-and-atomic", test_transparent_and_atomic);
  g_test_add_func ("/figure/pdf-small-cells", test_pdf_small_cells);
  g_test_add_func ("/figure/degenerate", test_degenerate);
  g_test_add_func ("/figure/contact-marks", test_contact_marks);
  g_test_add_func ("/figure/indices-and-labels", test_indices_and_labels);
  int ret = g_test_run ();
  if (!keep)
    plm_test_rm_rf (tmpdir);
  g_free (tmpdir);
  plm_figure_release_fonts ();
  return ret;
}
