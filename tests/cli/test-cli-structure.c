/* test-cli-structure.c: `plmlens-cli export --view structure` end to end on the committed tiny
 * model and the real two-chain HIV-1 protease 1HPV: the active site drawn as a sphere where its
 * Cα projects (PNG, and the PDF rendered by poppler), vector SVG, every colouring, the NM pair
 * mode's red and blue residues on the complex (the NM-Transformer paper's Figure 4), positive vs
 * negative pair side by side (the negative partner 5YH2 chain A beside 1HPV chain A), bad input. */
#include <cairo.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "plm-figure-check.h"
#include "plm-hadata.h"
#include "plm-nm-head.h"
#include "plm-structure-color.h"
#include "plm-test-util.h"

static char *tmpdir, *model, *fasta, *pdb, *pdb_5yh2, *head_file;
static const char *seq_1hpv = "PQITLWQRPLVTIKIGGQLKEALLDTGADDTVLEEMSLPGRWKPKMIGGIGGFIKVRQYDQILIEICGHKAIGTVLVGPTPVNIIGRNLLTQIGCTLNF";

#define R(c) (((c) >> 16) & 0xff)
#define G(c) (((c) >> 8) & 0xff)
#define B(c) ((c) & 0xff)

static uint32_t
png_pixel (const char *png, double x, double y)
{
  cairo_surface_t *s = cairo_image_surface_create_from_png (png);
  g_assert_cmpint (cairo_surface_status (s), ==, CAIRO_STATUS_SUCCESS);
  cairo_surface_flush (s);
  int ix = (int) x, iy = (int) y;
  g_assert_true (ix >= 0 && iy >= 0 && ix < cairo_image_surface_get_width (s) && iy < cairo_image_surface_get_height (s));
  uint32_t c = *(const uint32_t *) (const void *) (cairo_image_surface_get_data (s)
                                                   + (gsize) iy * cairo_image_surface_get_stride (s) + 4 * ix);
  cairo_surface_destroy (s);
  return c;
}

/* Where the exported figure (100 dpi, 100 mm, the title the CLI gives, legend) draws the Cα of
 * residue @index of chain @chain's record, after @rot degrees: built here with the library. */
static void
expected_point (const char *chain, int index, const char *title, const char *legend, double *x, double *y)
{
  GError *error = NULL;
  g_autoptr(PlmStructure) st = plm_structure_read (pdb, &error);
  g_assert_no_error (error);
  g_autoptr(PlmStructureMap) map = plm_structure_map_align (st, chain, seq_1hpv, (int) strlen (seq_1hpv), FALSE, &error);
  g_assert_no_error (error);
  const PlmStructureMap *maps[] = { map };
  const char *only[] = { chain, NULL };
  g_autoptr(PlmFigure) fig = plm_figure_new (PLM_FIGURE_STRUCTURE);
  plm_figure_get_style (fig)->dpi = 100;
  plm_figure_set_default_title (fig, title);
  PlmStructureScene *scene = plm_structure_scene_new (st, only, maps, 1);
  const PlmResidue *r = plm_structure_map_get (map, st, index);
  g_assert_nonnull (r);
  plm_figure_set_structure (fig, scene, NULL, NULL);
  plm_figure_add_legend_entry (fig, PLM_STRUCTURE_ACTIVE_COLOR, legend);
  g_assert_true (plm_figure_structure_point (fig, r->ca, x, y));
  *x *= 100 / 72.0;
  *y *= 100 / 72.0;
}

static void
test_active_site_pixels (void)
{
  /* residue 25 (D25, the catalytic aspartate, 0-based 24) as the record's active site */
  g_autofree char *acc = plm_ha_protein_id ("1HPV_A");
  g_autofree char *tsv_text = g_strdup_printf ("uniprot_acc\tactive_site_positions\n%s\t25\n", acc);
  g_autofree char *tsv = plm_test_write_file (tmpdir, "active.tsv", tsv_text, strlen (tsv_text));
  g_autofree char *png = g_build_filename (tmpdir, "active.png", NULL);
  g_autofree char *pdf = g_build_filename (tmpdir, "active.pdf", NULL);
  g_autofree char *svg = g_build_filename (tmpdir, "active.svg", NULL);
  const char *outs[] = { png, pdf, svg };
  for (int k = 0; k < 3; k++)
    {
      const char *args[] = { "export", "--model", model, "--fasta", fasta, "--record", "1HPV_A", "--view", "structure",
                             "--structure", pdb, "--chain", "A", "--color", "active", "--active-sites", tsv,
                             "--dpi", "100", "--threads", "1", "--out", outs[k], NULL };
      g_autofree char *err = NULL;
      g_assert_cmpint (plm_test_run_cli (args, NULL, &err), ==, 0);
      g_assert_nonnull (strstr (err, "identity 100.0%, coverage 100.0%"));
    }
  g_assert_cmpint (fasta[0], !=, 0);
  double x, y;
  expected_point ("A", 24, "1HPV_A · active sites", "Active site", &x, &y);
  uint32_t c = png_pixel (png, x, y);
  /* the sphere's orange (ff7f0e, shaded): red high, blue low */
  g_assert_cmpint (R (c), >, 200);
  g_assert_cmpint (B (c), <, 120);
  g_assert_cmpint (R (c), >, G (c) + 40);

  g_assert_true (plm_check_have_tool ("pdftoppm"));
  g_autofree char *base = g_build_filename (tmpdir, "active-pdf", NULL);
  g_autofree char *cmd = g_strdup_printf ("pdftoppm -r 100 -png -singlefile '%s' '%s'", pdf, base);
  plm_check_run (cmd);
  g_autofree char *raster = g_strconcat (base, ".png", NULL);
  c = png_pixel (raster, x, y);
  g_assert_cmpint (R (c), >, 200);
  g_assert_cmpint (B (c), <, 120);

  g_autofree char *text = NULL;
  g_assert_true (g_file_get_contents (svg, &text, NULL, NULL));
  g_assert_nonnull (strstr (text, "<path"));
  g_assert_nonnull (strstr (text, "radialGradient"));
  g_assert_null (strstr (text, "<image"));
}

static void
test_every_coloring (void)
{
  static const char *colors[] = { "attention", "hasites", "active", "contacts", "chain" };
  for (guint k = 0; k < G_N_ELEMENTS (colors); k++)
    {
      g_autofree char *out = g_strdup_printf ("%s/%s.png", tmpdir, colors[k]);
      const char *args[] = { "export", "--model", model, "--fasta", fasta, "--record", "1HPV_A", "--view", "structure",
                             "--structure", pdb, "--color", colors[k], "--layer", "1", "--head", "2", "--top-links", "7",
                             "--rotate", "30,-20,10", "--dpi", "100", "--threads", "1", "--out", out, NULL };
      g_autofree char *so = NULL, *err = NULL;
      g_assert_cmpint (plm_test_run_cli (args, &so, &err), ==, 0);
      if (k == 0)
        g_assert_nonnull (strstr (so, "7 attention links drawn"));
      if (k == 3)
        g_assert_nonnull (strstr (so, "top L/5 contacts: "));
      cairo_surface_t *s = cairo_image_surface_create_from_png (out);
      g_assert_cmpint (cairo_surface_status (s), ==, CAIRO_STATUS_SUCCESS);
      /* something drawn: not all white */
      cairo_surface_flush (s);
      int w = cairo_image_surface_get_width (s), h = cairo_image_surface_get_height (s), inked = 0;
      for (int y = 0; y < h; y += 3)
        for (int x = 0; x < w; x += 3)
          {
            uint32_t c = *(const uint32_t *) (const void *) (cairo_image_surface_get_data (s)
                                                             + (gsize) y * cairo_image_surface_get_stride (s) + 4 * x);
            inked += (c & 0xffffff) != 0xffffff;
          }
      g_assert_cmpint (inked, >, w * h / 9 / 20);
      cairo_surface_destroy (s);
    }
}

/* "[@what]chain A top 2: D25 (A 25) G27 (A 27)" → the 0-based residues */
static int
parse_top_of (const char *out, const char *what, const char *chain, int *top)
{
  g_autofree char *key = g_strdup_printf ("%schain %s top ", what, chain);
  const char *p = strstr (out, key);
  g_assert_nonnull (p);
  const char *eol = strchr (p, '\n');
  int n = 0;
  p = strchr (p, ':') + 1;
  while (p < eol && n < 8)
    {
      while (*p == ' ')
        p++;
      if (p >= eol)
        break;
      top[n++] = atoi (p + 1) - 1;
      p = strchr (p, ')') + 1;
    }
  return n;
}

static int
parse_top (const char *out, const char *chain, int *top)
{
  return parse_top_of (out, "", chain, top);
}

static void
test_pair_mode (void)
{
  g_autofree char *png = g_build_filename (tmpdir, "pair.png", NULL);
  g_autofree char *partner = g_strdup_printf ("%s:1HPV_A", fasta);
  const char *args[] = { "export", "--model", model, "--fasta", fasta, "--record", "1HPV_A", "--view", "structure",
                         "--structure", pdb, "--chain", "A", "--partner-chain", "B", "--pair-with", partner,
                         "--head-file", head_file, "--top", "2", "--dpi", "100", "--threads", "1", "--out", png, NULL };
  g_autofree char *so = NULL, *err = NULL;
  g_assert_cmpint (plm_test_run_cli (args, &so, &err), ==, 0);
  int ta[8], tb[8];
  g_assert_cmpint (parse_top (so, "A", ta), ==, 2);
  g_assert_cmpint (parse_top (so, "B", tb), ==, 2);

  /* the same residues from the engine: the head's cross-attention ranked independently here is
   * the Pair view's job (test-cli-nm); this checks the drawing: red on A, blue on B */
  GError *error = NULL;
  g_autoptr(PlmStructure) st = plm_structure_read (pdb, &error);
  g_assert_no_error (error);
  int L = (int) strlen (seq_1hpv);
  g_autoptr(PlmStructureMap) ma = plm_structure_map_align (st, "A", seq_1hpv, L, FALSE, &error);
  g_autoptr(PlmStructureMap) mb = plm_structure_map_align (st, "B", seq_1hpv, L, FALSE, &error);
  g_assert_no_error (error);
  const PlmStructureMap *maps[] = { ma, mb };
  const char *chains[] = { "A", "B", NULL };
  g_autoptr(PlmFigure) fig = plm_figure_new (PLM_FIGURE_STRUCTURE);
  plm_figure_get_style (fig)->dpi = 100;
  g_autofree char *title = g_strdup_printf ("1HPV_A × 1HPV_A · top 2 cross-attention residues");
  plm_figure_set_default_title (fig, title);
  PlmStructureScene *scene = plm_structure_scene_new (st, chains, maps, 2);
  plm_structure_figure_legend (fig, scene, PLM_STRUCTURE_COLOR_PAIR, -1);
  plm_figure_set_structure (fig, scene, NULL, NULL);
  int red = 0, blue = 0;
  for (int side = 0; side < 2; side++)
    for (int k = 0; k < 2; k++)
      {
        double x, y;
        const PlmResidue *r = plm_structure_map_get (side ? mb : ma, st, side ? tb[k] : ta[k]);
        g_assert_true (plm_figure_structure_point (fig, r->ca, &x, &y));
        uint32_t c = png_pixel (png, x * 100 / 72.0, y * 100 / 72.0);
        g_test_message ("side %d residue %d at %.1f, %.1f: %06x", side, side ? tb[k] : ta[k], x * 100 / 72.0, y * 100 / 72.0, c & 0xffffff);
        /* a sphere in front shows its colour; one hidden behind the other chain may not */
        if (side == 0 && R (c) > B (c) + 60)
          red++;
        if (side == 1 && B (c) > R (c) + 60)
          blue++;
      }
  g_assert_cmpint (red, >=, 1);
  g_assert_cmpint (blue, >=, 1);
}

static void
test_pair_negative (void)
{
  g_autofree char *png = g_build_filename (tmpdir, "pair-negative.png", NULL);
  g_autofree char *pdf = g_build_filename (tmpdir, "pair-negative.pdf", NULL);
  g_autofree char *svg = g_build_filename (tmpdir, "pair-negative.svg", NULL);
  g_autofree char *partner = g_strdup_printf ("%s:1HPV_A", fasta);
  g_autofree char *negative = g_strdup_printf ("%s:5YH2_A", fasta);
  const char *outs[] = { png, pdf, svg };
  g_autofree char *so = NULL;
  for (int k = 0; k < 3; k++)
    {
      const char *args[] = { "export", "--model", model, "--fasta", fasta, "--record", "1HPV_A", "--view", "structure",
                             "--structure", pdb, "--chain", "A", "--partner-chain", "B", "--pair-with", partner,
                             "--negative", negative, "--negative-structure", pdb_5yh2, "--negative-chain", "A",
                             "--head-file", head_file, "--top", "3", "--dpi", "100", "--threads", "1", "--out", outs[k],
                             NULL };
      g_autofree char *err = NULL;
      g_clear_pointer (&so, g_free);
      g_assert_cmpint (plm_test_run_cli (args, &so, &err), ==, 0);
      g_assert_nonnull (strstr (err, "5YH2.pdb.gz chain A (aligned)"));
    }
  int t[8];
  g_assert_cmpint (parse_top_of (so, "positive ", "A", t), ==, 3);
  g_assert_cmpint (parse_top_of (so, "positive ", "B", t), ==, 3);
  g_assert_cmpint (parse_top_of (so, "negative ", "A", t), ==, 3);
  g_assert_cmpint (parse_top_of (so, "negative partner ", "A", t), ==, 3);
  plm_check_two_panels (png, 70);

  g_assert_true (plm_check_have_tool ("pdftoppm"));
  g_autofree char *base = g_build_filename (tmpdir, "pair-negative-pdf", NULL);
  g_autofree char *cmd = g_strdup_printf ("pdftoppm -r 100 -png -singlefile '%s' '%s'", pdf, base);
  plm_check_run (cmd);
  g_autofree char *raster = g_strconcat (base, ".png", NULL);
  plm_check_two_panels (raster, 70);

  g_autofree char *text = NULL;
  g_assert_true (g_file_get_contents (svg, &text, NULL, NULL));
  g_assert_null (strstr (text, "<image"));
  g_assert_nonnull (strstr (text, "<path"));
}

static void
test_bad_input (void)
{
  g_autofree char *out = g_build_filename (tmpdir, "bad.png", NULL);
  const char *no_structure[] = { "export", "--model", model, "--fasta", fasta, "--view", "structure", "--out", out, NULL };
  const char *bad_color[] = { "export", "--model", model, "--fasta", fasta, "--view", "structure", "--structure", pdb,
                              "--color", "rainbow", "--out", out, NULL };
  const char *bad_rotate[] = { "export", "--model", model, "--fasta", fasta, "--view", "structure", "--structure", pdb,
                               "--rotate", "10,x,3", "--out", out, NULL };
  const char *color_elsewhere[] = { "export", "--model", model, "--fasta", fasta, "--view", "grid", "--color", "chain",
                                    "--out", out, NULL };
  const char *bad_chain[] = { "export", "--model", model, "--fasta", fasta, "--record", "1HPV_A", "--view", "structure",
                              "--structure", pdb, "--chain", "Q", "--out", out, NULL };
  g_autofree char *partner = g_strdup_printf ("%s:1HPV_A", fasta);
  g_autofree char *negative = g_strdup_printf ("%s:5YH2_A", fasta);
  /* a negative partner without its structure, a structure without the partner, the wrong chain */
  const char *no_neg_structure[] = { "export", "--model", model, "--fasta", fasta, "--record", "1HPV_A", "--view",
                                     "structure", "--structure", pdb, "--pair-with", partner, "--head-file", head_file,
                                     "--negative", negative, "--out", out, NULL };
  const char *neg_structure_alone[] = { "export", "--model", model, "--fasta", fasta, "--record", "1HPV_A", "--view",
                                        "structure", "--structure", pdb, "--negative-structure", pdb_5yh2, "--out", out,
                                        NULL };
  const char *bad_neg_chain[] = { "export", "--model", model, "--fasta", fasta, "--record", "1HPV_A", "--view",
                                  "structure", "--structure", pdb, "--pair-with", partner, "--head-file", head_file,
                                  "--negative", negative, "--negative-structure", pdb_5yh2, "--negative-chain", "Q",
                                  "--out", out, NULL };
  const char *const *cases[] = { no_structure, bad_color, bad_rotate, color_elsewhere, bad_chain, no_neg_structure,
                                 neg_structure_alone, bad_neg_chain };
  const char *expect[] = { "--structure", "--color", "--rotate", "--color", "Q", "--negative-structure",
                           "--negative-structure", "Q" };
  for (guint k = 0; k < G_N_ELEMENTS (cases); k++)
    {
      g_autofree char *err = NULL;
      g_assert_cmpint (plm_test_run_cli (cases[k], NULL, &err), ==, 2);
      g_assert_nonnull (strstr (err, expect[k]));
    }
  g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  GError *error = NULL;
  tmpdir = g_dir_make_tmp ("plm-cli-structure-XXXXXX", &error);
  g_assert_no_error (error);
  model = plm_test_data_path ("models", "tiny-f32", NULL);
  fasta = plm_test_data_path ("structures", "seqres.fasta", NULL);
  pdb = plm_test_data_path ("hasites", "1hpv.pdb", NULL);
  pdb_5yh2 = plm_test_data_path ("hasites", "5YH2.pdb.gz", NULL);
  head_file = plm_test_write_random_head (tmpdir, "head.safetensors", PLM_NM_HEAD_ATTENTION);

  g_test_add_func ("/cli-structure/active-site-pixels", test_active_site_pixels);
  g_test_add_func ("/cli-structure/every-coloring", test_every_coloring);
  g_test_add_func ("/cli-structure/pair-mode", test_pair_mode);
  g_test_add_func ("/cli-structure/pair-negative", test_pair_negative);
  g_test_add_func ("/cli-structure/bad-input", test_bad_input);
  int status = g_test_run ();
  plm_test_rm_rf (tmpdir);
  g_free (tmpdir);
  g_free (model);
  g_free (fasta);
  g_free (pdb);
  g_free (pdb_5yh2);
  g_free (head_file);
  return status;
}
