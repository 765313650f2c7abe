/* plm-ui-views.c: see plm-ui-views.h. */
#include "plm-ui-views.h"

gboolean plm_views_gl_disabled;

/* Screenshots of the GL-disabled run get a "-cairo" suffix. */
void
plm_views_save_screenshot (GtkWidget  *widget,
                 const char *name)
{
  g_autofree char *file = g_strdup_printf ("%s%s.png", name, plm_views_gl_disabled ? "-cairo" : "");

  plm_ui_test_save_screenshot (widget, file);
}

GtkWindow *
plm_views_new_window (GtkWidget *child,
            int        width,
            int        height)
{
  GtkWindow *window = GTK_WINDOW (gtk_window_new ());

  gtk_window_set_default_size (window, width, height);
  gtk_window_set_child (window, child);
  gtk_window_present (window);
  plm_ui_test_spin (300);
  return window;
}

char *
plm_views_synthetic_sequence (int length)
{
  static const char aa[] = "ACDEFGHIKLMNPQRSTVWY";
  char *s = g_new (char, length + 1);

  for (int i = 0; i < length; i++)
    s[i] = aa[(i * 7 + i / 3) % 20];
  s[length] = '\0';
  return s;
}

PlmInferenceResult *
plm_views_synthetic_result (int        n_layers,
                  int        n_heads,
                  int        length,
                  gboolean   with_ha_profiles,
                  Synthetic *syn)
{
  PlmInferenceResult *r = g_atomic_rc_box_new0 (PlmInferenceResult);
  int T = length + 2;
  g_autofree float *probs = g_new (float, (gsize) n_heads * T * T);
  g_autoptr(PlmHaAccumulator) acc = plm_ha_accumulator_new (n_layers, length);
  g_autoptr(GError) error = NULL;

  r->sequence = plm_views_synthetic_sequence (length);
  r->n_layers = n_layers;
  r->n_heads = n_heads;
  r->n_tokens = T;
  r->n_residues = length;
  r->attention = plm_attention_store_new (n_layers, n_heads, T, &error);
  g_assert_no_error (error);
  /* what the inference worker adds while the model runs */
  if (with_ha_profiles)
    {
      r->ha_profiles = g_new (float, (gsize) n_layers * length);
      r->thumbnail_cells = MIN (length, PLM_INFERENCE_THUMBNAIL_CELLS);
      r->thumbnails = g_new (float, (gsize) n_layers * (n_heads + 1) * r->thumbnail_cells * r->thumbnail_cells);
    }

  for (int l = 0; l < n_layers; l++)
    {
      float pull = 1.0f + 30.0f * l / MAX (1, n_layers - 1);

      for (int h = 0; h < n_heads; h++)
        for (int i = 0; i < T; i++)
          {
            float *row = probs + ((gsize) h * T + i) * T;
            int offset = (h % 5) - 2;
            float sum = 0.0f;

            for (int j = 0; j < T; j++)
              {
                float w = 0.05f + 0.02f * ((i * 31 + j * 17 + h * 7 + l) % 11);

                if (j == i + offset)
                  w += 4.0f + h;
                if (j >= 1 && j <= length && (j - 1) % 23 == 5)
                  w += pull * (1.0f + (j % 3));
                if (j == 0)
                  w += 3.0f;
                row[j] = w;
                sum += w;
              }
            for (int j = 0; j < T; j++)
              row[j] /= sum;
          }
      plm_attention_store_add_layer (r->attention, l, probs);
      g_assert_true (plm_ha_accumulator_add_layer (acc, l, probs, n_heads, T));
      if (with_ha_profiles)
        plm_hasites_layer_profile (probs, n_heads, T, r->ha_profiles + (gsize) l * length);
      if (r->thumbnails != NULL)
        plm_inference_result_pool_layer (r, l);
    }
  syn->n_layers = n_layers;
  syn->n_heads = n_heads;
  syn->length = length;
  g_assert_true (plm_ha_accumulator_finish (acc, &syn->ha, &error));
  g_assert_no_error (error);
  return r;
}

/* A hairpin's contacts (see plm_views_write_hairpin) predicted on the antidiagonal, after 5 decoys. */
void
plm_views_add_contacts (PlmInferenceResult *r)
{
  int L = r->n_residues;

  r->contacts = g_new (float, (gsize) L * L);
  for (int i = 0; i < L; i++)
    for (int j = 0; j < L; j++)
      {
        int a = MIN (i, j), b = MAX (i, j);
        float p = 0.01f;

        if (a + b == L - 1 && b - a >= PLM_CONTACT_MIN_SEPARATION)
          p = 0.9f - 0.001f * a;
        if (b == a + 10 && a < 5)
          p = 0.99f;
        r->contacts[(gsize) i * L + j] = p;
      }
}

/* Two antiparallel strands 5 Å apart, Cα every 3.8 Å, all glycine (Cβ = Cα). */
char *
plm_views_write_hairpin (int L)
{
  g_autoptr(GString) pdb = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (g_get_tmp_dir (), "plm-test-hairpin.pdb", NULL);

  for (int i = 0; i < L; i++)
    {
      double x = i < L / 2 ? 3.8 * i : 3.8 * (L - 1 - i), y = i < L / 2 ? 0.0 : 5.0;

      g_string_append_printf (pdb, "ATOM  %5d  CA  GLY A%4d    %8.3f%8.3f%8.3f  1.00  0.00           C\n",
                              i + 1, i + 1, x, y, 0.0);
    }
  g_string_append (pdb, "END\n");
  g_assert_true (g_file_set_contents (path, pdb->str, -1, &error));
  g_assert_no_error (error);
  return path;
}

/* ---- Export Figure: each view's figure through the dialog, in every format ---- */

static char *exported_path;

void
plm_views_on_exported (PlmExportDialog *dialog,
             const char      *path,
             gpointer         data)
{
  g_free (exported_path);
  exported_path = g_strdup (path);
}

/* Opens the dialog three times (it closes after writing), once per format: 90 mm wide at
 * 150 dpi; PNG size and cells, SVG through xmllint with the title as text, the PDF rendered by
 * pdftoppm (at 600 dpi) and its cells. */
void
plm_views_export_every_format (OpenDialog     open,
                     gpointer       data,
                     const char    *name,
                     const PlmCellRef *refs,
                     int            n_refs)
{
  static const char *const ext[] = { "png", "svg", "pdf" };
  g_autofree char *dir = g_dir_make_tmp ("plm-export-XXXXXX", NULL);
  const double dpi = 150, width_mm = 90;

  for (int fmt = PLM_FIGURE_PNG; fmt <= PLM_FIGURE_PDF; fmt++)
    {
      PlmExportDialog *dialog = open (data);
      g_autofree char *stem = g_build_filename (dir, name, NULL);
      g_autofree char *want = g_strdup_printf ("%s.%s", stem, ext[fmt]);
      PlmFigure *figure;
      gint64 end;
      int pw, ph;

      g_assert_nonnull (dialog);
      g_object_ref (dialog);   /* the figure lives as long as the dialog object */
      g_signal_connect (dialog, "exported", G_CALLBACK (plm_views_on_exported), NULL);
      gtk_window_present (GTK_WINDOW (dialog));
      plm_ui_test_spin (250);
      if (fmt == PLM_FIGURE_PNG)
        {
          g_autofree char *shot = g_strdup_printf ("export-dialog-%s", name);

          plm_views_save_screenshot (GTK_WIDGET (dialog), shot);
        }
      plm_export_dialog_set_format (dialog, fmt);
      plm_export_dialog_set_dpi (dialog, dpi);
      plm_export_dialog_set_size (dialog, PLM_FIGURE_UNIT_MM, width_mm, 0);
      figure = plm_export_dialog_get_figure (dialog);
      g_assert_nonnull (figure);
      g_clear_pointer (&exported_path, g_free);
      plm_export_dialog_export_to (dialog, stem);   /* the format's extension is added */
      end = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
      while (exported_path == NULL && g_get_monotonic_time () < end)
        g_main_context_iteration (NULL, TRUE);
      g_assert_cmpstr (exported_path, ==, want);
      g_assert_true (g_file_test (want, G_FILE_TEST_IS_REGULAR));
      plm_ui_test_spin (50);
      g_assert_false (gtk_widget_get_visible (GTK_WIDGET (dialog)));   /* closed after writing */

      plm_figure_get_pixel_size (figure, &pw, &ph);
      if (fmt == PLM_FIGURE_PNG)
        {
          cairo_surface_t *img = cairo_image_surface_create_from_png (want);

          g_assert_cmpint (cairo_image_surface_get_width (img), ==, (int) lround (width_mm / 25.4 * dpi));
          g_assert_cmpint (cairo_image_surface_get_width (img), ==, pw);
          g_assert_cmpint (cairo_image_surface_get_height (img), ==, ph);
          cairo_surface_destroy (img);
          int n = plm_check_figure_cells (figure, want, dpi, 0, refs, n_refs);

          g_test_message ("%s: %d × %d px, %d cells = colour map of their value", want, pw, ph, n);
        }
      else if (fmt == PLM_FIGURE_SVG)
        {
          g_autofree char *text = NULL, *cmd = g_strdup_printf ("xmllint --noout '%s'", want);
          const char *title = plm_figure_get_text (figure, PLM_FIGURE_TEXT_TITLE);

          g_assert_true (g_file_get_contents (want, &text, NULL, NULL));
          if (plm_check_have_tool ("xmllint"))
            plm_check_run (cmd);
          else
            g_test_message ("xmllint not installed (libxml2-utils): %s not parsed", want);
          if (title != NULL && title[0] != '\0')
            {
              g_autofree char *escaped = g_markup_escape_text (title, -1);

              if (strstr (text, escaped) == NULL)
                g_error ("%s: the title '%s' is not text", want, title);
            }
          /* and drawn by librsvg, the cells again (at 4×, as the PDF) */
          if (plm_check_have_tool ("rsvg-convert"))
            {
              g_autofree char *png = g_strconcat (stem, "-svg.png", NULL);
              g_autofree char *render = g_strdup_printf ("rsvg-convert -d %g -p %g -o '%s' '%s'", 4 * dpi, 4 * dpi, png, want);

              plm_check_run (render);
              int n = plm_check_figure_cells (figure, png, 4 * dpi, 2, refs, n_refs);

              g_test_message ("%s (librsvg, %g dpi): %d cells = colour map of their value", want, 4 * dpi, n);
              g_unlink (png);
            }
          else
            g_test_message ("rsvg-convert not installed (librsvg2-bin): %s not rendered", want);
        }
      else if (plm_check_have_tool ("pdftoppm"))
        {
          g_autofree char *prefix = g_strconcat (stem, "-pdf", NULL);
          /* 4× the PNG's resolution: cells of 1–2 px are smoothed into their neighbours by
           * poppler at low magnification, which says nothing about the file */
          g_autofree char *cmd = g_strdup_printf ("pdftoppm -r %g -png -singlefile '%s' '%s'", 4 * dpi, want, prefix);
          g_autofree char *png = g_strconcat (prefix, ".png", NULL);

          plm_check_run (cmd);
          int n = plm_check_figure_cells (figure, png, 4 * dpi, 2, refs, n_refs);

          g_test_message ("%s (pdftoppm, %g dpi): %d cells = colour map of their value", want, 4 * dpi, n);
          g_unlink (png);
        }
      else
        g_test_message ("pdftoppm not installed (poppler-utils): %s not rendered", want);
      if (g_getenv ("PLM_FIGURE_KEEP") == NULL)
        g_unlink (want);
      g_object_unref (dialog);
    }
  g_rmdir (dir);
}

PlmExportDialog *
plm_views_open_attention (gpointer view)
{
  return plm_export_dialog_new (NULL, NULL, plm_attention_view_create_figure (view, "synthetic"), "attention");
}

PlmExportDialog *
plm_views_open_ha (gpointer view)
{
  return plm_export_dialog_new (NULL, NULL, plm_ha_view_create_figure (view, "synthetic"), "ha-sites");
}

PlmExportDialog *
plm_views_open_contacts (gpointer view)
{
  return plm_export_dialog_new (NULL, NULL, plm_contacts_view_create_figure (view, "synthetic"), "contacts");
}

PlmExportDialog *
plm_views_open_pair (gpointer view)
{
  return plm_export_dialog_new (NULL, NULL, plm_pair_view_create_figure (view), "pair");
}

PlmExportDialog *
plm_views_open_grid (gpointer result)
{
  PlmExportDialog *dialog = plm_export_dialog_new_grid (NULL, NULL, result, "synthetic", "grid");

  /* layers 2 and 5, heads 1 and 3 (numbered from 1) */
  plm_export_dialog_set_grid (dialog, "2,5", "1, 3");
  g_assert_null (plm_export_dialog_get_error (dialog));
  return dialog;
}

char *
plm_views_write_text (const char *name,
            const char *text)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (g_get_tmp_dir (), name, NULL);

  g_assert_true (g_file_set_contents (path, text, -1, &error));
  g_assert_no_error (error);
  return path;
}

void
plm_views_init (int    *argc,
                char ***argv)
{
  const char *debug = g_getenv ("GDK_DEBUG");

  plm_ui_test_init (argc, argv);
  plm_views_gl_disabled = debug != NULL && strstr (debug, "gl-disable") != NULL;
}

guint32
plm_views_pixel (GdkTexture *texture,
                 int         x,
                 int         y)
{
  int w = gdk_texture_get_width (texture), h = gdk_texture_get_height (texture);
  g_autofree guint32 *pixels = NULL;

  g_assert_true (x >= 0 && y >= 0 && x < w && y < h);
  pixels = g_new (guint32, (gsize) w * h);
  gdk_texture_download (texture, (guchar *) pixels, (gsize) w * 4);
  return pixels[(gsize) y * w + x];
}

void
plm_views_check_heatmap_geometry (PlmHeatmapView *heatmap,
                                  int             row,
                                  int             col,
                                  int             max_gap)
{
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree guint32 *px = NULL;
  graphene_rect_t b;
  int w, h, mx0, my0, mx1, my1, rows, cols;
  int row_near = -1, row_far = G_MAXINT, col_near = -1, col_far = G_MAXINT, crossing = 0;
  double row_step, col_step;

  plm_ui_test_motion (GTK_WIDGET (heatmap), 1, 1);   /* no hover label */
  plm_heatmap_view_set_highlight (heatmap, row, col);
  plm_ui_test_spin (50);
  g_assert_true (plm_heatmap_view_get_map_bounds (heatmap, &b));
  texture = plm_ui_test_render (GTK_WIDGET (heatmap));
  w = gdk_texture_get_width (texture), h = gdk_texture_get_height (texture);
  px = g_new (guint32, (gsize) w * h);
  gdk_texture_download (texture, (guchar *) px, (gsize) w * 4);
  mx0 = (int) ceil (b.origin.x), my0 = (int) ceil (b.origin.y);
  mx1 = (int) floor (b.origin.x + b.size.width), my1 = (int) floor (b.origin.y + b.size.height);

  /* row numbers: every drawn pixel left of the map; the nearest (ticks of 3 px aside) and farthest */
  for (int y = my0; y < my1; y++)
    for (int x = 0; x < mx0; x++)
      if (px[(gsize) y * w + x] >> 24 > 0x40)
        {
          row_far = MIN (row_far, x);
          if (x < mx0 - 3)
            row_near = MAX (row_near, x);
        }
  /* column numbers above the map */
  for (int y = 0; y < my0; y++)
    for (int x = mx0; x < mx1; x++)
      if (px[(gsize) y * w + x] >> 24 > 0x40)
        {
          col_far = MIN (col_far, y);
          if (y < my0 - 3)
            col_near = MAX (col_near, y);
        }
  g_test_message ("map %.0f,%.0f %.0f×%.0f; row numbers %d…%d px left of it, column numbers %d…%d px above",
                  b.origin.x, b.origin.y, b.size.width, b.size.height, mx0 - row_near, mx0 - row_far,
                  my0 - col_near, my0 - col_far);
  g_assert_cmpint (row_near, >=, 0);
  g_assert_cmpint (col_near, >=, 0);
  g_assert_cmpint (mx0 - row_near, <=, max_gap);
  g_assert_cmpint (my0 - col_near, <=, max_gap);
  /* nothing far out: the widest number is four digits and a letter */
  g_assert_cmpint (mx0 - row_far, <=, 48);
  g_assert_cmpint (my0 - col_far, <=, 36);

  /* a square map: one step on both axes */
  plm_heatmap_view_get_data (heatmap, &rows, &cols);
  plm_heatmap_view_get_ruler_steps (heatmap, &row_step, &col_step);
  g_test_message ("ruler steps: rows %g, columns %g", row_step, col_step);
  if (rows == cols)
    g_assert_cmpfloat (row_step, ==, col_step);

  /* the crosshair stops at the map's edges: nothing drawn right of or below the map */
  for (int x = mx1 + 2; x < w; x++)
    for (int y = my0; y < my1; y++)
      crossing += px[(gsize) y * w + x] >> 24 > 0x40;
  for (int y = my1 + 2; y < h; y++)
    for (int x = mx0; x < mx1; x++)
      crossing += px[(gsize) y * w + x] >> 24 > 0x40;
  g_assert_cmpint (crossing, ==, 0);
}

char *
plm_views_hover_readout (PlmHeatmapView *heatmap,
                         int             row,
                         int             col)
{
  double x, y;

  g_assert_true (plm_heatmap_view_get_cell_center (heatmap, row, col, &x, &y));
  plm_ui_test_motion (GTK_WIDGET (heatmap), x, y);
  g_assert_nonnull (plm_heatmap_view_get_hover_readout (heatmap));
  return g_strdup (plm_heatmap_view_get_hover_readout (heatmap));
}
