/* test-structure-scene.c: the 3D structure renderer against hand-computed geometry: which Cα
 * are joined, the spline through every Cα, the camera, pixels of spheres, links and gaps, picking
 * (front-most wins), received attention, top-k links, and the figure's SVG/PDF output. */
#include <cairo.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "plm-figure-check.h"
#include "plm-structure-color.h"
#include "plm-test-util.h"

#define W 400
#define H 300

typedef struct {
  PlmStructure      *st;
  PlmStructureMap   *map;
  PlmStructureScene *scene;
} Fixture;

static void
fixture_set_up (Fixture *fx, gconstpointer data)
{
  GError *error = NULL;
  g_autofree char *path = plm_test_data_path ("structures", "scene.pdb", NULL);
  fx->st = plm_structure_read (path, &error);
  g_assert_no_error (error);
  fx->map = plm_structure_map_numbered (fx->st, "A", "MKTAYIAKQLGSEWVDRFHN", 20, 1, FALSE, &error);
  g_assert_no_error (error);
  const PlmStructureMap *maps[] = { fx->map };
  fx->scene = plm_structure_scene_new (fx->st, NULL, maps, 1);
  fx->scene->fog = 0;
}

static void
fixture_tear_down (Fixture *fx, gconstpointer data)
{
  plm_structure_scene_free (fx->scene);
  plm_structure_map_free (fx->map);
  plm_structure_free (fx->st);
}

/* Residue @index (0-based) of the sequence at (x, y) in the @cam view of a W × H viewport. */
static void
project_residue (Fixture *fx, const PlmCamera *cam, int index, double *x, double *y)
{
  double z;
  int sc = plm_structure_scene_lookup (fx->scene, 0, index);
  g_assert_cmpint (sc, >=, 0);
  plm_camera_project (cam, W, H, g_array_index (fx->scene->residues, PlmSceneResidue, sc).ca, x, y, &z);
}

static uint32_t
pixel (cairo_surface_t *s, double x, double y)
{
  cairo_surface_flush (s);
  int ix = (int) floor (x), iy = (int) floor (y);
  g_assert_true (ix >= 0 && iy >= 0 && ix < cairo_image_surface_get_width (s) && iy < cairo_image_surface_get_height (s));
  const uint8_t *d = cairo_image_surface_get_data (s);
  return *(const uint32_t *) (const void *) (d + (gsize) iy * cairo_image_surface_get_stride (s) + 4 * ix);
}

static cairo_surface_t *
render (Fixture *fx, const PlmCamera *cam)
{
  cairo_surface_t *s = cairo_image_surface_create (CAIRO_FORMAT_RGB24, W, H);
  cairo_t *cr = cairo_create (s);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  plm_structure_scene_draw (fx->scene, cam, cr, W, H);
  cairo_destroy (cr);
  return s;
}

#define R(c) (((c) >> 16) & 0xff)
#define G(c) (((c) >> 8) & 0xff)
#define B(c) ((c) & 0xff)

static void
test_scene (Fixture *fx, gconstpointer data)
{
  /* 17 residues of A and B's one; 11–13 (indices 10–12) not in the structure, never shifted */
  g_assert_cmpuint (fx->scene->residues->len, ==, 18);
  g_assert_cmpuint (fx->scene->chains->len, ==, 2);
  for (int i = 0; i < 20; i++)
    {
      int sc = plm_structure_scene_lookup (fx->scene, 0, i);
      if (i >= 10 && i <= 12)
        g_assert_cmpint (sc, ==, -1);
      else
        {
          const PlmSceneResidue *r = &g_array_index (fx->scene->residues, PlmSceneResidue, sc);
          g_assert_cmpint (r->number, ==, i + 1);
          g_assert_cmpint (r->index, ==, i);
          /* joined to the previous residue exactly when that one is 3.8 Å away on the same chain */
          g_assert_cmpint (r->joined, ==, i != 0 && i != 13);
        }
    }
  const PlmSceneResidue *b = &g_array_index (fx->scene->residues, PlmSceneResidue, 17);
  g_assert_cmpint (b->chain, ==, 1);
  g_assert_cmpint (b->seq, ==, -1);
  g_assert_false (b->joined);

  /* the Catmull–Rom spline runs through every Cα: the sample at t = 0 of each residue is it */
  g_autoptr(GArray) tube = g_array_new (FALSE, FALSE, sizeof (PlmTubeSample));
  plm_structure_scene_tube (fx->scene, 4, tube);
  int starts = 0;
  for (guint k = 0; k < tube->len; k++)
    {
      const PlmTubeSample *t = &g_array_index (tube, PlmTubeSample, k);
      starts += t->start;
      const PlmSceneResidue *r = &g_array_index (fx->scene->residues, PlmSceneResidue, t->residue);
      if (k % 4 == 0 && t->residue < 17 && (k == 0 || g_array_index (tube, PlmTubeSample, k - 1).residue != t->residue))
        g_assert_cmpfloat (plm_structure_distance (t->p, r->ca), <, 1e-4);
    }
  g_assert_cmpint (starts, ==, 3);   /* A 1–10, A 14–20, B 1 */
}

static void
test_camera (Fixture *fx, gconstpointer data)
{
  PlmCamera cam;
  double x, y, z;
  plm_camera_fit (&cam, fx->scene, W, H);
  plm_camera_project (&cam, W, H, fx->scene->center, &x, &y, &z);
  g_assert_cmpfloat (fabs (x - W / 2.0) + fabs (y - H / 2.0) + fabs (z), <, 1e-6);
  /* every Cα inside the viewport after fitting */
  for (guint i = 0; i < fx->scene->residues->len; i++)
    {
      plm_camera_project (&cam, W, H, g_array_index (fx->scene->residues, PlmSceneResidue, i).ca, &x, &y, &z);
      g_assert_cmpfloat (x, >, 0);
      g_assert_cmpfloat (x, <, W);
      g_assert_cmpfloat (y, >, 0);
      g_assert_cmpfloat (y, <, H);
    }
  /* 90° about y: the world x axis turns into the view's −z (right-handed), y stays */
  float px[3] = { fx->scene->center[0] + 10, fx->scene->center[1], fx->scene->center[2] };
  plm_camera_rotate (&cam, 0, 90, 0);
  plm_camera_project (&cam, W, H, px, &x, &y, &z);
  g_assert_cmpfloat (fabs (x - W / 2.0), <, 1e-3);
  g_assert_cmpfloat (fabs (z + 10), <, 1e-4);
  /* four quarter turns are the identity again */
  for (int k = 0; k < 3; k++)
    plm_camera_rotate (&cam, 0, 90, 0);
  static const float id[9] = { 1, 0, 0, 0, 1, 0, 0, 0, 1 };
  for (int k = 0; k < 9; k++)
    g_assert_cmpfloat (fabsf (cam.rot[k] - id[k]), <, 1e-5);
}

/* A straight helix along world z (rise 1.5 Å, radius 2.3 Å): oriented, it lies along the view's
 * x axis (seen from the side), and the rotation is orthonormal and right-handed. */
static void
test_orient (void)
{
  g_autoptr(GString) pdb = g_string_new (NULL);
  for (int i = 0; i < 40; i++)
    g_string_append_printf (pdb, "ATOM  %5d  CA  ALA A%4d    %8.3f%8.3f%8.3f  1.00  0.00           C\n", i + 1, i + 1,
                            5 + 2.3 * cos (i * 100 * G_PI / 180), -3 + 2.3 * sin (i * 100 * G_PI / 180), 7 + 1.5 * i);
  GError *error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("plm-orient-XXXXXX", &error);
  g_assert_no_error (error);
  g_autofree char *path = g_build_filename (dir, "helix.pdb", NULL);
  g_assert_true (g_file_set_contents (path, pdb->str, -1, &error));
  g_autoptr(PlmStructure) st = plm_structure_read (path, &error);
  g_assert_no_error (error);
  PlmStructureScene *scene = plm_structure_scene_new (st, NULL, NULL, 0);
  PlmCamera cam;
  plm_camera_fit (&cam, scene, W, H);
  plm_camera_orient (&cam, scene);
  /* the first row is the helix axis (±z), the rows orthonormal, the determinant +1 */
  g_assert_cmpfloat (fabs (cam.rot[2]), >, 0.999);
  for (int a = 0; a < 3; a++)
    for (int b = 0; b < 3; b++)
      {
        double d = 0;
        for (int k = 0; k < 3; k++)
          d += cam.rot[a * 3 + k] * cam.rot[b * 3 + k];
        g_assert_cmpfloat (fabs (d - (a == b)), <, 1e-5);
      }
  const float *r = cam.rot;
  double det = r[0] * (r[4] * r[8] - r[5] * r[7]) - r[1] * (r[3] * r[8] - r[5] * r[6]) + r[2] * (r[3] * r[7] - r[4] * r[6]);
  g_assert_cmpfloat (fabs (det - 1), <, 1e-5);
  /* the first and last Cα are 58.5 Å apart on screen along x, at the same height */
  double x0, y0, z0, x1, y1, z1;
  plm_camera_project (&cam, W, H, g_array_index (scene->residues, PlmSceneResidue, 0).ca, &x0, &y0, &z0);
  plm_camera_project (&cam, W, H, g_array_index (scene->residues, PlmSceneResidue, 39).ca, &x1, &y1, &z1);
  g_assert_cmpfloat (fabs (fabs (x1 - x0) - 58.5 * cam.zoom), <, 2 * 2.3 * cam.zoom);
  g_assert_cmpfloat (fabs (y1 - y0), <, 2 * 2.3 * cam.zoom + 1e-3);
  /* filled: the helix spans the width (58.5 Å + its 2 × 2.3 Å radius ≈ 63 Å in 400 px, 4 %
   * margins) instead of the rotation-safe sphere's diameter fitted to the 300 px height */
  double safe = cam.zoom;
  plm_camera_fill (&cam, scene, W, H);
  plm_camera_project (&cam, W, H, g_array_index (scene->residues, PlmSceneResidue, 0).ca, &x0, &y0, &z0);
  plm_camera_project (&cam, W, H, g_array_index (scene->residues, PlmSceneResidue, 39).ca, &x1, &y1, &z1);
  g_test_message ("zoom %.2f px/Å (rotation-safe %.2f); helix ends at x = %.1f and %.1f of %d", cam.zoom, safe, x0, x1, W);
  g_assert_cmpfloat (cam.zoom, >, 1.2 * safe);
  g_assert_cmpfloat (fabs (x1 - x0), >, 0.8 * W);
  for (guint i = 0; i < scene->residues->len; i++)
    {
      double x, y, z;
      plm_camera_project (&cam, W, H, g_array_index (scene->residues, PlmSceneResidue, i).ca, &x, &y, &z);
      g_assert_true (x > 0 && x < W && y > 0 && y < H);
    }
  plm_structure_scene_free (scene);
  plm_test_rm_rf (dir);
}

static void
test_pixels_and_picking (Fixture *fx, gconstpointer data)
{
  PlmCamera cam;
  double x, y, x2, y2;
  plm_camera_fit (&cam, fx->scene, W, H);
  plm_structure_scene_color_uniform (fx->scene, PLM_SCENE_NEUTRAL_COLOR);
  int hl[] = { 2 };
  plm_structure_scene_add_spheres (fx->scene, 0, hl, 1, PLM_STRUCTURE_HA_COLOR);
  /* a link from residue 1 (y = 0) to 14 (y = 20): its midpoint is empty space otherwise */
  g_assert_true (plm_structure_scene_add_link (fx->scene, 0, 0, 0, 13, 1.0f, 0xff1f77b4u));
  g_assert_false (plm_structure_scene_add_link (fx->scene, 0, 0, 0, 11, 1.0f, 0xff1f77b4u));   /* 12 missing */
  cairo_surface_t *s = render (fx, &cam);

  /* the highlighted residue's sphere is red where its Cα projects */
  project_residue (fx, &cam, 2, &x, &y);
  uint32_t c = pixel (s, x, y);
  g_assert_cmpint (R (c), >, G (c) + 60);
  g_assert_cmpint (R (c), >, B (c) + 60);
  /* an unhighlighted residue shows the grey tube */
  project_residue (fx, &cam, 7, &x, &y);
  c = pixel (s, x, y);
  g_assert_cmpint (abs ((int) R (c) - (int) B (c)), <, 12);
  g_assert_cmpint (R (c), <, 250);
  /* the link's midpoint is blue */
  project_residue (fx, &cam, 0, &x, &y);
  project_residue (fx, &cam, 13, &x2, &y2);
  c = pixel (s, (x + x2) / 2, (y + y2) / 2);
  g_assert_cmpint (B (c), >, R (c) + 40);
  /* the gap 10 → 14 is not bridged: halfway between their Cα is background */
  project_residue (fx, &cam, 9, &x, &y);
  c = pixel (s, (x + x2) / 2, (y + y2) / 2);
  g_assert_cmphex (c & 0xffffff, ==, 0xffffff);
  cairo_surface_destroy (s);

  /* picking: the sphere's residue; residue 6 lies behind chain B's GLY, which wins; empty → −1 */
  project_residue (fx, &cam, 2, &x, &y);
  int hit = plm_structure_scene_pick (fx->scene, &cam, W, H, x + 0.5 * PLM_SCENE_SPHERE_RADIUS * cam.zoom, y);
  g_assert_cmpint (hit, ==, plm_structure_scene_lookup (fx->scene, 0, 2));
  project_residue (fx, &cam, 5, &x, &y);
  hit = plm_structure_scene_pick (fx->scene, &cam, W, H, x, y);
  g_assert_cmpint (hit, ==, 17);
  g_assert_cmpint (plm_structure_scene_pick (fx->scene, &cam, W, H, 2, 2), ==, -1);
  /* seen from behind (180° about y), residue 6 is in front of the GLY */
  plm_camera_rotate (&cam, 0, 180, 0);
  project_residue (fx, &cam, 5, &x, &y);
  hit = plm_structure_scene_pick (fx->scene, &cam, W, H, x, y);
  g_assert_cmpint (hit, ==, plm_structure_scene_lookup (fx->scene, 0, 5));
}

static void
test_attention (Fixture *fx, gconstpointer data)
{
  /* T = 22: residue rows/columns 1 … 20; A[i, j] = 1 on (3 ↔ 8) and 0.5 on (1 ↔ 15), else 0.01 */
  enum { T = 22 };
  static float A[T * T];
  for (int k = 0; k < T * T; k++)
    A[k] = 0.01f;
  A[(3 + 1) * T + 8 + 1] = A[(8 + 1) * T + 3 + 1] = 1.0f;
  A[(1 + 1) * T + 15 + 1] = 0.5f;   /* one direction only: mean 0.255 */
  A[(11 + 1) * T + 2 + 1] = 5.0f;   /* residue 11 is not in the structure: no link */
  float received[20];
  plm_structure_received (A, T, received);
  g_assert_cmpfloat (fabsf (received[8] - (19 * 0.01f + 1.0f)), <, 1e-5);
  g_assert_cmpfloat (fabsf (received[2] - (19 * 0.01f + 5.0f)), <, 1e-5);
  g_assert_cmpfloat (fabsf (received[0] - 20 * 0.01f), <, 1e-5);

  PlmScale scale;
  plm_structure_paint_attention (fx->scene, 0, A, T, PLM_COLOR_MAP_VIRIDIS, PLM_SCALE_LINEAR, 2, &scale);
  g_assert_cmpuint (fx->scene->links->len, ==, 2);
  const PlmSceneLink *l0 = &g_array_index (fx->scene->links, PlmSceneLink, 0);
  const PlmSceneLink *l1 = &g_array_index (fx->scene->links, PlmSceneLink, 1);
  g_assert_cmpint (l0->a, ==, plm_structure_scene_lookup (fx->scene, 0, 3));
  g_assert_cmpint (l0->b, ==, plm_structure_scene_lookup (fx->scene, 0, 8));
  g_assert_cmpfloat (l0->weight, ==, 1.0f);
  g_assert_cmpint (l1->a, ==, plm_structure_scene_lookup (fx->scene, 0, 1));
  g_assert_cmpint (l1->b, ==, plm_structure_scene_lookup (fx->scene, 0, 15));
  g_assert_cmpfloat (fabsf (l1->weight - 0.255f / 1.0f), <, 1e-5);
  /* the scale spans the observed residues' values; residue 3 (index 2) is the highest */
  g_assert_cmpfloat (fabsf (scale.vmax - received[2]), <, 1e-5);
  int sc = plm_structure_scene_lookup (fx->scene, 0, 2);
  g_assert_cmphex (g_array_index (fx->scene->residues, PlmSceneResidue, sc).color, ==,
                   plm_color_map_get_lut (PLM_COLOR_MAP_VIRIDIS)[255]);
  g_assert_cmphex (g_array_index (fx->scene->residues, PlmSceneResidue, 17).color, ==, PLM_SCENE_NEUTRAL_COLOR);
}

static void
test_figure (Fixture *fx, gconstpointer data)
{
  GError *error = NULL;
  g_autoptr(PlmFigure) fig = plm_figure_new (PLM_FIGURE_STRUCTURE);
  PlmFigureStyle *st = plm_figure_get_style (fig);
  st->dpi = 100;
  plm_structure_scene_color_chains (fx->scene);
  int hl[] = { 2 };
  plm_structure_scene_add_spheres (fx->scene, 0, hl, 1, PLM_STRUCTURE_HA_COLOR);
  plm_structure_scene_add_link (fx->scene, 0, 0, 0, 13, 1.0f, 0xff1f77b4u);
  float world[3];
  int sc = plm_structure_scene_lookup (fx->scene, 0, 2);
  memcpy (world, g_array_index (fx->scene->residues, PlmSceneResidue, sc).ca, sizeof world);
  plm_figure_set_structure (fig, g_steal_pointer (&fx->scene), NULL, NULL);
  plm_figure_add_legend_entry (fig, PLM_STRUCTURE_HA_COLOR, "HA site");
  plm_figure_add_legend_entry (fig, plm_structure_scene_chain_color (0), "chain A");

  g_autofree char *dir = g_dir_make_tmp ("plm-structure-XXXXXX", &error);
  g_assert_no_error (error);
  g_autofree char *svg = g_build_filename (dir, "s.svg", NULL);
  g_autofree char *pdf = g_build_filename (dir, "s.pdf", NULL);
  g_autofree char *png = g_build_filename (dir, "s.png", NULL);
  g_assert_true (plm_figure_export (fig, PLM_FIGURE_SVG, svg, &error));
  g_assert_no_error (error);
  g_autofree char *text = NULL;
  g_assert_true (g_file_get_contents (svg, &text, NULL, NULL));
  /* vectors: the tube, spheres and links are paths (the sphere's radial gradient too), no image */
  g_assert_nonnull (strstr (text, "<path"));
  g_assert_nonnull (strstr (text, "radialGradient"));
  g_assert_null (strstr (text, "<image"));
  g_assert_nonnull (strstr (text, ">HA site</text>"));

  double x, y, w, h;
  g_assert_true (plm_figure_structure_point (fig, world, &x, &y));
  plm_figure_get_size (fig, &w, &h);
  g_assert_true (plm_figure_export (fig, PLM_FIGURE_PDF, pdf, &error));
  g_assert_true (plm_figure_export (fig, PLM_FIGURE_PNG, png, &error));
  g_assert_no_error (error);
  /* the PNG and the PDF rendered by poppler both show the sphere red at its projected point */
  const char *files[] = { png, pdf };
  for (int k = 0; k < 2; k++)
    {
      g_autofree char *raster = NULL;
      if (k == 1)
        {
          g_assert_true (plm_check_have_tool ("pdftoppm"));
          g_autofree char *base = g_build_filename (dir, "p", NULL);
          g_autofree char *cmd = g_strdup_printf ("pdftoppm -r 100 -png -singlefile '%s' '%s'", pdf, base);
          plm_check_run (cmd);
          raster = g_strconcat (base, ".png", NULL);
        }
      cairo_surface_t *s = cairo_image_surface_create_from_png (k == 0 ? files[0] : raster);
      g_assert_cmpint (cairo_surface_status (s), ==, CAIRO_STATUS_SUCCESS);
      double sx = cairo_image_surface_get_width (s) / w, sy = cairo_image_surface_get_height (s) / h;
      g_assert_cmpfloat (fabs (sx - 100 / 72.0), <, 0.02);
      uint32_t c = pixel (s, x * sx, y * sy);
      g_assert_cmpint (R (c), >, G (c) + 60);
      g_assert_cmpint (R (c), >, B (c) + 60);
      cairo_surface_destroy (s);
    }
  plm_test_rm_rf (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/structure-scene/scene", Fixture, NULL, fixture_set_up, test_scene, fixture_tear_down);
  g_test_add ("/structure-scene/camera", Fixture, NULL, fixture_set_up, test_camera, fixture_tear_down);
  g_test_add_func ("/structure-scene/orient", test_orient);
  g_test_add ("/structure-scene/pixels-picking", Fixture, NULL, fixture_set_up, test_pixels_and_picking, fixture_tear_down);
  g_test_add ("/structure-scene/attention", Fixture, NULL, fixture_set_up, test_attention, fixture_tear_down);
  g_test_add ("/structure-scene/figure", Fixture, NULL, fixture_set_up, test_figure, fixture_tear_down);
  return g_test_run ();
}
