/* test-structure-view.c: the Structure view on a synthetic result and a synthetic fold of its
 * sequence: alignment status, the tube's colours where residues project (attention received
 * against the colour map of a value computed here), a highlighted residue's sphere, attention
 * links, picking by hover and the linked selection both ways, the tooltip text, rotation and
 * Home, the chain picker on a two-chain file, and Export Figure in every format. Run with GL
 * (llvmpipe) and with the cairo fallback (GDK_DEBUG=gl-disable). */
#include "plm-structure-view.h"
#include "plm-test-structure.h"
#include "plm-test-util.h"
#include "plm-ui-views.h"

#define L_SYN 60

#define R(c) (((c) >> 16) & 0xff)
#define G(c) (((c) >> 8) & 0xff)
#define B(c) ((c) & 0xff)

static PlmExportDialog *
open_structure (gpointer view)
{
  return plm_export_dialog_new (NULL, NULL, plm_structure_view_create_figure (view, "synthetic"), "structure");
}

/* The pixel where scene residue @sc's Cα is drawn. */
static guint32
residue_pixel (PlmStructureArea *area, int sc, GdkTexture *texture)
{
  double x, y;
  g_assert_true (plm_structure_area_residue_point (area, sc, &x, &y));
  return plm_views_pixel (texture, (int) x, (int) y);
}

static int
color_distance (guint32 a, guint32 b)
{
  return abs ((int) R (a) - (int) R (b)) + abs ((int) G (a) - (int) G (b)) + abs ((int) B (a) - (int) B (b));
}

/* The pixel nearest in colour to @want within half the tube's radius of scene residue @sc's Cα (the tube is
 * shaded across: a highlight stripe, an outline, depth cueing). */
static guint32
residue_pixel_near (PlmStructureArea *area, int sc, GdkTexture *texture, guint32 want)
{
  double x, y;
  guint32 best = 0;
  int best_d = G_MAXINT, reach = MAX (2, (int) (0.5 * PLM_SCENE_TUBE_RADIUS * plm_structure_area_get_camera (area)->zoom));
  g_assert_true (plm_structure_area_residue_point (area, sc, &x, &y));
  for (int dy = -reach; dy <= reach; dy++)
    for (int dx = -reach; dx <= reach; dx++)
      {
        guint32 c = plm_views_pixel (texture, (int) x + dx, (int) y + dy);
        if (color_distance (c, want) < best_d)
          best = c, best_d = color_distance (c, want);
      }
  return best;
}

static gboolean
settled (gpointer area)
{
  return !plm_structure_area_get_moving (area);
}

/* Pixels that are not the white background, and their centroid. */
static int
ink (GdkTexture *texture, double *cx, double *cy)
{
  int w = gdk_texture_get_width (texture), h = gdk_texture_get_height (texture), n = 0;
  g_autofree guint32 *px = g_new (guint32, (gsize) w * h);
  double sx = 0, sy = 0;
  gdk_texture_download (texture, (guchar *) px, (gsize) w * 4);
  for (int y = 0; y < h; y++)
    for (int x = 0; x < w; x++)
      if (color_distance (px[(gsize) y * w + x], 0xffffff) > 60)
        n++, sx += x, sy += y;
  *cx = n ? sx / n : 0;
  *cy = n ? sy / n : 0;
  return n;
}

static void
test_view (void)
{
  Synthetic syn;
  g_autoptr(PlmInferenceResult) r = plm_views_synthetic_result (2, 2, L_SYN, TRUE, &syn);
  g_autoptr(PlmSelection) selection = plm_selection_new ();
  g_autoptr(GError) error = NULL;
  plm_views_add_contacts (r);
  GtkWidget *widget = plm_structure_view_new ();
  PlmStructureView *view = PLM_STRUCTURE_VIEW (widget);
  PlmStructureArea *area = plm_structure_view_get_area (view);
  g_autofree char *dir = g_dir_make_tmp ("plm-structure-view-XXXXXX", NULL);
  g_autofree char *pdb = plm_test_write_fold (dir, "fold.pdb", r->sequence, 1);
  g_autofree char *pdb2 = plm_test_write_fold (dir, "fold2.pdb", r->sequence, 2);
  GtkWindow *window = plm_views_new_window (widget, 1000, 760);

  plm_structure_view_set_selection (view, selection);
  plm_structure_view_set_result (view, r);
  plm_ui_test_spin (300);
  g_assert_nonnull (strstr (plm_structure_view_get_status (view), "Load"));
  g_assert_null (plm_structure_view_create_figure (view, "synthetic"));
  g_assert_true (plm_structure_view_load_structure (view, pdb, &error));
  g_assert_no_error (error);
  plm_ui_test_spin (400);
  g_test_message ("renderer: %s", plm_structure_area_get_active_renderer (area) == PLM_HEATMAP_RENDERER_GL ? "GL" : "cairo");
  if (plm_views_gl_disabled)
    g_assert_cmpint (plm_structure_area_get_active_renderer (area), ==, PLM_HEATMAP_RENDERER_CAIRO);
  g_assert_nonnull (strstr (plm_structure_view_get_status (view), "100% identical · 60 of 60 residues"));
  PlmStructureScene *scene = plm_structure_area_get_scene (area);
  g_assert_nonnull (scene);
  g_assert_cmpuint (scene->residues->len, ==, L_SYN);

  /* attention received (layer 2, mean of heads), recomputed here from the stored map */
  plm_structure_view_set_links (view, 0);
  plm_structure_view_set_attention (view, 1, -1);
  plm_ui_test_spin (300);
  {
    int T = r->n_tokens;
    g_autofree float *A = g_new (float, (gsize) T * T);
    float received[L_SYN], lo = G_MAXFLOAT, hi = -G_MAXFLOAT;
    plm_attention_store_copy_map (r->attention, 1, -1, A);
    for (int j = 0; j < L_SYN; j++)
      {
        received[j] = 0;
        for (int i = 1; i <= L_SYN; i++)
          received[j] += A[(gsize) i * T + j + 1];
        lo = MIN (lo, received[j]);
        hi = MAX (hi, received[j]);
      }
    g_autoptr(GdkTexture) texture = plm_ui_test_render (GTK_WIDGET (area));
    const uint32_t *lut = plm_color_map_get_lut (PLM_COLOR_MAP_VIRIDIS);
    int checked = 0, front = 0;
    for (int i = 0; i < L_SYN; i++)
      {
        int sc = plm_structure_scene_lookup (scene, 0, i);
        const PlmSceneResidue *res = &g_array_index (scene->residues, PlmSceneResidue, sc);
        double x, y, z;
        plm_camera_project (plm_structure_area_get_camera (area), gtk_widget_get_width (GTK_WIDGET (area)),
                            gtk_widget_get_height (GTK_WIDGET (area)), res->ca, &x, &y, &z);
        if (z < 0.5 * scene->radius || plm_structure_area_pick (area, x, y) != sc)
          continue;   /* only the front, unfogged half, where this residue is the one on top */
        front++;
        PlmScale s = { PLM_SCALE_LINEAR, lo, hi };
        uint32_t want = lut[plm_scale_index (&s, received[i])];
        /* the tube's shading varies across it: its colour is within reach at the Cα */
        guint32 got = residue_pixel_near (area, sc, texture, want);
        if (color_distance (got, want) < 120)
          checked++;
        else
          g_test_message ("residue %d: %06x, colour map %06x", i + 1, got & 0xffffff, want & 0xffffff);
      }
    g_test_message ("%d of %d front residues show the colour of their received attention", checked, front);
    g_assert_cmpint (front, >, 3);
    g_assert_cmpint (checked, >=, front * 3 / 4);
  }

  /* links: the five strongest pairs */
  plm_structure_view_set_links (view, 5);
  plm_ui_test_spin (200);
  g_assert_cmpuint (scene->links->len, ==, 5);

  /* the linked selection highlights here as a gold sphere, picked by hover and in the tooltip */
  plm_structure_view_set_links (view, 0);
  plm_structure_view_set_coloring (view, PLM_STRUCTURE_COLOR_CHAIN);
  plm_ui_test_spin (200);
  scene = plm_structure_area_get_scene (area);
  int best = -1;
  double best_z = -G_MAXDOUBLE;
  for (int i = 0; i < L_SYN; i++)
    {
      double x, y, z;
      plm_camera_project (plm_structure_area_get_camera (area), gtk_widget_get_width (GTK_WIDGET (area)),
                          gtk_widget_get_height (GTK_WIDGET (area)),
                          g_array_index (scene->residues, PlmSceneResidue, plm_structure_scene_lookup (scene, 0, i)).ca, &x, &y, &z);
      if (z > best_z)
        best = i, best_z = z;
    }
  plm_selection_set_residue (selection, best);
  plm_ui_test_spin (300);
  g_assert_cmpint (plm_structure_view_get_highlighted (view), ==, best);
  {
    g_autoptr(GdkTexture) texture = plm_ui_test_render (GTK_WIDGET (area));
    guint32 c = residue_pixel (area, plm_structure_scene_lookup (scene, 0, best), texture);
    g_test_message ("selected residue %d: %06x", best + 1, c & 0xffffff);
    g_assert_cmpint (R (c), >, B (c) + 80);   /* gold over the blue chain */
    g_assert_cmpint (G (c), >, B (c) + 40);
  }
  g_autofree char *readout = plm_structure_view_readout (view, best);
  g_autofree char *want = g_strdup_printf ("%c%d · chain A %d", r->sequence[best], best + 1, best + 1);
  g_assert_cmpstr (readout, ==, want);
  plm_structure_view_set_coloring (view, PLM_STRUCTURE_COLOR_ATTENTION);
  scene = plm_structure_area_get_scene (area);   /* rebuilt: only the mapped chain now */
  g_free (readout);
  readout = plm_structure_view_readout (view, best);
  g_assert_true (g_str_has_prefix (readout, want));
  g_assert_nonnull (strstr (readout, " · attention "));
  /* hovering another residue selects it in every view */
  {
    double x, y;
    plm_selection_set_residue (selection, -1);
    plm_ui_test_spin (100);
    /* the front-most residue is unambiguous to hover */
    g_assert_true (plm_structure_area_residue_point (area, plm_structure_scene_lookup (scene, 0, best), &x, &y));
    plm_ui_test_motion (GTK_WIDGET (area), x, y);
    plm_ui_test_spin (100);
    g_assert_cmpint (plm_selection_get_residue (selection), ==, best);
  }

  /* rotation moves the residues; Home brings the fitted view back */
  {
    double x0, y0, x1, y1;
    int sc = plm_structure_scene_lookup (scene, 0, 0);
    g_assert_true (plm_structure_area_residue_point (area, sc, &x0, &y0));
    plm_structure_area_rotate (area, 30, 60);
    g_assert_true (plm_structure_area_residue_point (area, sc, &x1, &y1));
    g_assert_cmpfloat (fabs (x1 - x0) + fabs (y1 - y0), >, 2);
    plm_structure_area_reset_view (area);
    g_assert_true (plm_structure_area_residue_point (area, sc, &x1, &y1));
    plm_structure_area_rotate (area, 20, -35);
  }
  /* while it moves, frames are fast (GL: a coarse tube lit per vertex) but show the same thing
   * in the same place; once it stops, the frame is drawn in full again */
  {
    g_assert_true (plm_structure_area_get_moving (area));
    g_autoptr(GdkTexture) moving = plm_ui_test_render (GTK_WIDGET (area));
    g_assert_true (plm_ui_test_wait_until (settled, area, 10000));
    g_autoptr(GdkTexture) still = plm_ui_test_render (GTK_WIDGET (area));
    double mx, my, sx, sy;
    int m = ink (moving, &mx, &my), st = ink (still, &sx, &sy);
    g_test_message ("moving frame: %d drawn pixels centred at %.1f,%.1f; still frame: %d at %.1f,%.1f", m, mx, my,
                    st, sx, sy);
    g_assert_cmpint (st, >, 1000);
    g_assert_cmpint (abs (m - st), <, st / 10);
    g_assert_cmpfloat (fabs (mx - sx) + fabs (my - sy), <, 4);
    if (!plm_views_gl_disabled)
      {
        g_assert_cmpint (m, !=, st);   /* GL: it was the coarse frame */
        const char *shots = g_getenv ("PLM_SCREENSHOT_DIR");
        g_autofree char *path = g_build_filename (shots ? shots : ".", "structure-view-gl-moving.png", NULL);
        g_assert_true (gdk_texture_save_to_png (moving, path));
        g_test_message ("screenshot: %s", path);
      }
  }
  plm_ui_test_spin (200);
  plm_views_save_screenshot (GTK_WIDGET (window), plm_views_gl_disabled ? "structure-view-cairo" : "structure-view-gl");

  /* Export Figure: PNG, SVG (vectors), PDF through the dialog */
  plm_structure_view_set_links (view, 8);
  plm_views_export_every_format (open_structure, view, "structure", NULL, 0);

  /* the NM pair colouring without a computed pair says what is missing and draws the chains */
  plm_structure_view_set_coloring (view, PLM_STRUCTURE_COLOR_PAIR);
  plm_ui_test_spin (100);
  g_assert_nonnull (plm_ui_test_find_label (widget, "Compute a pair in the Pair view first", FALSE));
  g_assert_cmpuint (plm_structure_area_get_scene (area)->links->len, ==, 0);
  plm_structure_view_set_coloring (view, PLM_STRUCTURE_COLOR_ATTENTION);

  /* two chains: the structure bar's picker shows, and choosing B maps the sequence to B */
  g_assert_true (plm_structure_view_load_structure (view, pdb2, &error));
  g_assert_no_error (error);
  plm_ui_test_spin (200);
  g_assert_cmpstr (plm_structure_view_get_chain (view), ==, "A");
  g_assert_true (gtk_widget_get_visible (
    plm_structure_bar_get_chain_dropdown (plm_structure_view_get_structure_bar (view))));
  g_assert_true (plm_structure_view_set_chain (view, "B", &error));
  g_assert_no_error (error);
  g_assert_cmpstr (plm_structure_view_get_chain (view), ==, "B");
  g_assert_nonnull (strstr (plm_structure_view_get_status (view), "chain B"));

  /* the window's shared structure: what another view loads into it shows here, and its
   * clearing empties the view */
  {
    g_autoptr(PlmLoadedStructure) shared = plm_loaded_structure_new ();
    plm_structure_view_set_structure (view, shared);
    g_assert_null (plm_structure_view_get_path (view));
    g_assert_null (plm_structure_area_get_scene (area));
    g_assert_true (plm_loaded_structure_load (shared, pdb, NULL, FALSE, &error));
    g_assert_no_error (error);
    g_assert_cmpstr (plm_structure_view_get_path (view), ==, pdb);
    g_assert_cmpuint (plm_structure_area_get_scene (area)->residues->len, ==, L_SYN);
    plm_loaded_structure_clear (shared);
    g_assert_null (plm_structure_view_get_path (view));
    g_assert_null (plm_structure_area_get_scene (area));
  }

  gtk_window_destroy (window);
  plm_test_rm_rf (dir);
}

int
main (int argc, char **argv)
{
  plm_views_init (&argc, &argv);
  g_test_add_func ("/structure/view", test_view);
  return g_test_run ();
}
