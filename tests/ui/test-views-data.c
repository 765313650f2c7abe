/* test-views-data.c: the HA-sites, contacts and pair views and the residue selection that links
 * them, on synthetic results and the tiny model under Xvfb (shared helpers in plm-ui-views.c). */
#include "plm-ui-views.h"

/* The HA view equals the engine's accumulator fed with fp32 attention: exactly when the worker
 * filled ha_profiles, and the same layer of convergence from the fp16 store otherwise. */
static void
test_ha_sites (void)
{
  Synthetic syn, syn16;
  g_autoptr(PlmInferenceResult) r = plm_views_synthetic_result (12, 6, 160, TRUE, &syn);
  g_autoptr(PlmInferenceResult) r16 = plm_views_synthetic_result (12, 6, 160, FALSE, &syn16);
  g_autoptr(GError) error = NULL;
  GtkWidget *view = plm_ha_view_new ();
  GtkWindow *window = plm_views_new_window (view, 1200, 860);
  const PlmHaResult *ha;
  double worst = 0.0;
  g_autofree char *gff = NULL, *tsv = NULL, *bad = NULL;

  plm_ha_view_set_protein_id (PLM_HA_VIEW (view), "sp|P00001|TEST_HUMAN");
  plm_ha_view_set_result (PLM_HA_VIEW (view), r16);
  ha = plm_ha_view_get_ha_result (PLM_HA_VIEW (view));
  g_assert_nonnull (ha);
  for (int i = 0; i < 12 * 160; i++)
    worst = MAX (worst, fabs (ha->heatmap[i] - syn16.ha.heatmap[i]));
  g_test_message ("fp16 store vs fp32 engine: LoC %d vs %d, %d vs %d HA sites, max profile difference %.3f",
                  ha->loc, syn16.ha.loc, ha->n_sites, syn16.ha.n_sites, worst);
  /* fp16 error (2⁻¹¹) can move a value across a 0.005 rounding boundary: one step at most */
  g_assert_cmpfloat (worst, <=, 0.0100001);
  /* The LoC is not asserted here: θ of neighbouring layers is close to 90° and one rounding
   * step moves it (this synthetic case: layer 11 vs 10). That is why the worker hands the view
   * fp32 profiles, checked exactly below. */

  plm_ha_view_set_result (PLM_HA_VIEW (view), r);
  ha = plm_ha_view_get_ha_result (PLM_HA_VIEW (view));
  g_assert_cmpint (ha->loc, ==, syn.ha.loc);
  g_assert_cmpint (ha->n_sites, ==, syn.ha.n_sites);
  g_assert_cmpint (ha->n_sites, >, 0);
  for (int i = 0; i < 12 * 160; i++)
    g_assert_cmpfloat (ha->heatmap[i], ==, syn.ha.heatmap[i]);
  for (int s = 0; s < ha->n_sites; s++)
    g_assert_cmpint (ha->sites[s], ==, syn.ha.sites[s]);
  g_assert_cmpint (plm_ha_view_get_layer (PLM_HA_VIEW (view)), ==, ha->loc);

  /* GFF3 of two proteins: only P00001's features; distances from the first HA site */
  gff = plm_views_write_text ("plm-test.gff3",
                    "##gff-version 3\n"
                    "P00001\tUniProtKB\tDomain\t20\t80\t.\t.\t.\tNote=Kinase\n"
                    "P00001\tUniProtKB\tActive site\t30\t30\t.\t.\t.\tNote=Proton acceptor\n"
                    "P00001\tUniProtKB\tBinding site\t100\t102\t.\t.\t.\t.\n"
                    "P00001\tUniProtKB\tChain\t1\t160\t.\t.\t.\t.\n"
                    "P99999\tUniProtKB\tActive site\t7\t7\t.\t.\t.\t.\n");
  g_assert_true (plm_ha_view_load_annotations (PLM_HA_VIEW (view), gff, &error));
  g_assert_no_error (error);
  {
    int site = ha->sites[0];
    int d_active = abs (site + 1 - 30);
    int d_binding = site + 1 < 100 ? 100 - (site + 1) : site + 1 > 102 ? site + 1 - 102 : 0;
    int d_domain = site + 1 < 20 ? 20 - (site + 1) : site + 1 > 80 ? site + 1 - 80 : 0;
    g_autofree char *line = g_strdup_printf ("\n%c%d · Active sites %d residue%s · Binding sites %d residue%s · Domains %d residue%s\n",
                                             r->sequence[site], site + 1, d_active, d_active == 1 ? "" : "s",
                                             d_binding, d_binding == 1 ? "" : "s", d_domain, d_domain == 1 ? "" : "s");

    g_test_message ("first HA site line: %s", line + 1);
    g_assert_nonnull (strstr (plm_ha_view_get_distances (PLM_HA_VIEW (view)), line));
  }
  plm_ha_view_set_layer (PLM_HA_VIEW (view), 2);
  plm_ui_test_spin (400);
  plm_views_save_screenshot (GTK_WIDGET (window), "views-ha-sites-layer3");
  {
    PlmHeatmapView *heatmap = PLM_HEATMAP_VIEW (plm_ha_view_get_heatmap (PLM_HA_VIEW (view)));
    g_autofree char *text = plm_views_hover_readout (heatmap, 3, 99);
    g_autofree char *expect = g_strdup_printf ("Layer 4 · %c100 · %.2f of the layer’s maximum", r->sequence[99],
                                               ha->heatmap[3 * 160 + 99]);

    g_assert_cmpstr (text, ==, expect);
    plm_views_check_heatmap_geometry (heatmap, 2, 40, 12);
  }
  plm_ha_view_set_layer (PLM_HA_VIEW (view), ha->loc);
  plm_ui_test_spin (300);
  plm_views_save_screenshot (GTK_WIDGET (window), "views-ha-sites");

  /* annotations loaded, none for this protein: said so, not "Load annotations" */
  {
    g_autofree char *other = plm_views_write_text ("plm-test-other.gff3",
                                                   "##gff-version 3\nP99999\tUniProtKB\tActive site\t7\t7\t.\t.\t.\t.\n"
                                                   "P88888\tUniProtKB\tDomain\t1\t9\t.\t.\t.\t.\n");

    g_assert_true (plm_ha_view_load_annotations (PLM_HA_VIEW (view), other, &error));
    g_assert_no_error (error);
    g_test_message ("%s", plm_ha_view_get_distances (PLM_HA_VIEW (view)));
    g_assert_nonnull (strstr (plm_ha_view_get_distances (PLM_HA_VIEW (view)),
                              "No active sites, binding sites or domains listed for P00001 in plm-test-other.gff3."));
    g_assert_null (strstr (plm_ha_view_get_distances (PLM_HA_VIEW (view)), "Load annotations"));
    plm_ui_test_spin (100);
    plm_views_save_screenshot (GTK_WIDGET (window), "views-ha-sites-none-listed");
    g_unlink (other);
  }

  /* the active-site TSV (1-based) and errors that name the file and line */
  tsv = plm_views_write_text ("plm-test-active.tsv", "uniprot_acc\tactive_site_positions\nP00001\t30,45\nQ11111\t3\n");
  g_assert_true (plm_ha_view_load_annotations (PLM_HA_VIEW (view), tsv, &error));
  g_assert_no_error (error);
  {
    g_autoptr(GPtrArray) f = plm_features_read (tsv, "P00001", &error);
    g_assert_no_error (error);
    g_assert_cmpuint (f->len, ==, 2);
    g_assert_cmpint (plm_features_distance (f, PLM_FEATURE_ACTIVE_SITE, 40), ==, 4);   /* residue 41 → 45 */
    g_assert_cmpint (plm_features_distance (f, PLM_FEATURE_ACTIVE_SITE, 29), ==, 0);
    g_assert_cmpint (plm_features_distance (f, PLM_FEATURE_DOMAIN, 29), ==, -1);
  }
  bad = plm_views_write_text ("plm-test-bad.gff3", "##gff-version 3\nP00001\tUniProtKB\tActive site\t30\n");
  g_assert_false (plm_ha_view_load_annotations (PLM_HA_VIEW (view), bad, &error));
  g_assert_nonnull (strstr (error->message, "plm-test-bad.gff3:2:"));
  g_clear_error (&error);
  g_file_set_contents (bad, "##gff-version 3\nP00001\tx\tActive site\t30\tabc\t.\t.\t.\t.\n", -1, NULL);
  g_assert_false (plm_ha_view_load_annotations (PLM_HA_VIEW (view), bad, &error));
  g_assert_nonnull (strstr (error->message, ":2: start and end"));
  g_clear_error (&error);
  g_assert_false (plm_ha_view_load_annotations (PLM_HA_VIEW (view), "/nonexistent/x.gff3", &error));
  g_assert_nonnull (strstr (error->message, "/nonexistent/x.gff3"));

  g_unlink (gff);
  g_unlink (tsv);
  g_unlink (bad);
  {
    PlmCellRef ref = { 0, syn.ha.heatmap, 12, 160, 0, 0 };
    PlmFigure *figure = plm_ha_view_create_figure (PLM_HA_VIEW (view), "synthetic");
    g_autofree char *title = g_strdup_printf ("synthetic · HA sites (layer of convergence %d)", syn.ha.loc + 1);

    g_assert_cmpstr (plm_figure_get_text (figure, PLM_FIGURE_TEXT_TITLE), ==, title);
    plm_figure_free (figure);
    plm_views_export_every_format (plm_views_open_ha, view, "ha-sites", &ref, 1);
  }
  gtk_window_destroy (window);
  plm_ha_result_clear (&syn.ha);
  plm_ha_result_clear (&syn16.ha);
}

/* Top L/5 against a hairpin: 5 decoys above 15 true antidiagonal contacts → precision 0.75. */
typedef enum { MARK_RED, MARK_GREEN, MARK_GREY, MARK_WHITE } MarkColor;

/* A pixel of the mark colour within cell (@row, @col) of the rendered heatmap (@centre: within
 * its middle fifth only). */
static gboolean
find_mark_in (PlmHeatmapView *heatmap,
              int             row,
              int             col,
              MarkColor       color,
              gboolean        centre)
{
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree guint32 *px = NULL;
  double x, y, half = plm_heatmap_view_get_zoom (heatmap) / (centre ? 10 : 2);
  int w, h;

  plm_ui_test_spin (50);
  texture = plm_ui_test_render (GTK_WIDGET (heatmap));
  w = gdk_texture_get_width (texture), h = gdk_texture_get_height (texture);
  px = g_new (guint32, (gsize) w * h);
  gdk_texture_download (texture, (guchar *) px, (gsize) w * 4);
  g_assert_true (plm_heatmap_view_get_cell_center (heatmap, row, col, &x, &y));
  for (int py = (int) ceil (y - half); py < y + half; py++)
    for (int qx = (int) ceil (x - half); qx < x + half; qx++)
      {
        guint32 p = px[(gsize) py * w + qx];
        int R = (p >> 16) & 0xff, G = (p >> 8) & 0xff, B = p & 0xff;
        gboolean hit = FALSE;

        switch (color)
          {
          case MARK_RED:    hit = R > 170 && G < 90 && B < 90; break;
          case MARK_GREEN:  hit = G > 130 && R < 90 && B < 90; break;
          case MARK_GREY:   hit = R > 150 && R < 210 && abs (R - G) < 12 && abs (G - B) < 12; break;
          case MARK_WHITE:  hit = R > 225 && G > 225 && B > 225; break;
          default: break;
          }
        if (hit)
          return TRUE;
      }
  return FALSE;
}

static gboolean
find_mark (PlmHeatmapView *heatmap,
           int             row,
           int             col,
           MarkColor       color)
{
  return find_mark_in (heatmap, row, col, color, FALSE);
}

static void
test_contacts (void)
{
  Synthetic syn;
  g_autoptr(PlmInferenceResult) r = plm_views_synthetic_result (2, 2, 100, FALSE, &syn);
  g_autoptr(GError) error = NULL;
  g_autofree char *pdb = plm_views_write_hairpin (100);
  GtkWidget *view = plm_contacts_view_new ();
  GtkWindow *window = plm_views_new_window (view, 1000, 860);
  int top[20];

  memset (r->sequence, 'G', 100);
  plm_views_add_contacts (r);
  plm_contacts_view_set_result (PLM_CONTACTS_VIEW (view), r);
  g_assert_true (isnan (plm_contacts_view_get_precision (PLM_CONTACTS_VIEW (view))));
  g_assert_cmpint (plm_contacts_rank (r->contacts, 100, 100, PLM_CONTACT_MIN_SEPARATION, 20, top), ==, 20);
  for (int t = 0; t < 5; t++)
    g_assert_cmpint (top[t], ==, t * 100 + t + 10);
  g_assert_cmpint (top[5], ==, 0 * 100 + 99);

  g_assert_true (plm_contacts_view_load_structure (PLM_CONTACTS_VIEW (view), pdb, &error));
  g_assert_no_error (error);
  g_test_message ("precision@L/5 = %.3f", plm_contacts_view_get_precision (PLM_CONTACTS_VIEW (view)));
  g_assert_cmpfloat (fabs (plm_contacts_view_get_precision (PLM_CONTACTS_VIEW (view)) - 0.75), <, 1e-12);
  {
    PlmHeatmapView *heatmap = PLM_HEATMAP_VIEW (plm_contacts_view_get_heatmap (PLM_CONTACTS_VIEW (view)));
    int rows, cols, all[100];
    const float *data = plm_heatmap_view_get_data (heatmap, &rows, &cols);
    g_autofree char *yes = NULL, *no = NULL, *expect_yes = NULL, *expect_no = NULL;

    /* the probability in both triangles, as the exported figure */
    g_assert_cmpint (rows, ==, 100);
    g_assert_cmpfloat (data[0 * 100 + 99], ==, r->contacts[99]);
    g_assert_cmpfloat (data[99 * 100 + 0], ==, r->contacts[99 * 100]);
    plm_ui_test_spin (200);
    plm_views_check_heatmap_geometry (heatmap, 30, 30, 12);

    /* the readout: residues, probability, and the structure's verdict with the distance */
    yes = plm_views_hover_readout (heatmap, 0, 99);
    no = plm_views_hover_readout (heatmap, 0, 10);
    expect_yes = g_strdup_printf ("G1–G100 · P(contact) %.2f · in structure: yes, ", r->contacts[99]);
    expect_no = g_strdup_printf ("G1–G11 · P(contact) %.2f · in structure: no, ", r->contacts[10]);
    g_test_message ("readouts: %s | %s", yes, no);
    g_assert_true (g_str_has_prefix (yes, expect_yes) && g_str_has_suffix (yes, " Å"));
    g_assert_true (g_str_has_prefix (no, expect_no) && g_str_has_suffix (no, " Å"));
    plm_ui_test_motion (GTK_WIDGET (heatmap), 1, 1);

    /* the marks, as the exported figure's: the top L/k above the diagonal as true positives
     * (green discs) and false positives (red circles), true contacts below it (grey squares) */
    plm_contacts_view_set_top (PLM_CONTACTS_VIEW (view), 1);
    plm_ui_test_spin (200);
    g_assert_cmpint (plm_contacts_rank (r->contacts, 100, 100, PLM_CONTACT_MIN_SEPARATION, 100, all), ==, 100);
    g_assert_cmpint (all[0], ==, 0 * 100 + 10);   /* a decoy: false positive */
    g_assert_cmpint (all[5], ==, 0 * 100 + 99);   /* the hairpin's first contact: true positive */
    g_assert_true (find_mark (heatmap, 0, 99, MARK_GREEN));
    g_assert_true (find_mark_in (heatmap, 0, 99, MARK_GREEN, TRUE));          /* filled */
    g_assert_false (find_mark (heatmap, 0, 99, MARK_RED));
    g_assert_true (find_mark (heatmap, 0, 10, MARK_RED));
    g_assert_false (find_mark_in (heatmap, 0, 10, MARK_RED, TRUE));           /* open */
    g_assert_false (find_mark (heatmap, 0, 10, MARK_GREEN));
    g_assert_true (find_mark (heatmap, 59, 40, MARK_GREY));
    g_assert_true (find_mark (heatmap, 99, 0, MARK_GREY));
    /* no square on the false positive's mirror cell, no ring below the diagonal */
    g_assert_false (find_mark (heatmap, 10, 0, MARK_GREY));
    g_assert_false (find_mark (heatmap, 10, 0, MARK_RED));
    g_assert_false (find_mark (heatmap, 99, 0, MARK_GREEN));
    /* the top L marks the 71st prediction, the top L/5 does not */
    g_assert_true (find_mark (heatmap, all[70] / 100, all[70] % 100, MARK_RED) ||
                   find_mark (heatmap, all[70] / 100, all[70] % 100, MARK_GREEN));
    plm_contacts_view_set_top (PLM_CONTACTS_VIEW (view), 5);
    g_assert_false (find_mark (heatmap, all[70] / 100, all[70] % 100, MARK_RED));
    g_assert_false (find_mark (heatmap, all[70] / 100, all[70] % 100, MARK_GREEN));
    g_assert_true (find_mark (heatmap, 0, 10, MARK_RED));
    g_assert_true (find_mark (heatmap, 0, 99, MARK_GREEN));
    /* the legend lists exactly the marks drawn */
    {
      GtkWidget *legend = plm_ui_test_find_label (view, "true\u00a0positive\u00a0(top\u00a0L/5)", FALSE);

      g_assert_nonnull (legend);
      g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (legend)), "false\u00a0positive\u00a0(top\u00a0L/5)"));
      g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (legend)), "true\u00a0contact"));
      g_assert_null (strstr (gtk_label_get_text (GTK_LABEL (legend)), "not\u00a0in\u00a0the\u00a0structure"));
    }
  }
  plm_ui_test_spin (300);
  plm_views_save_screenshot (GTK_WIDGET (window), "views-contacts");
  plm_contacts_view_set_top (PLM_CONTACTS_VIEW (view), 1);
  plm_ui_test_spin (300);
  plm_views_save_screenshot (GTK_WIDGET (window), "views-contacts-top-l");
  g_unlink (pdb);
  {
    PlmCellRef ref = { 0, r->contacts, 100, 100, 0, PLM_CONTACT_MIN_SEPARATION };
    PlmFigure *figure = plm_contacts_view_create_figure (PLM_CONTACTS_VIEW (view), "synthetic");

    /* the loaded structure goes into the figure: its precision is the view's */
    g_assert_cmpfloat (fabs (plm_figure_contact_precision (figure) - 0.75), <, 1e-12);
    g_assert_cmpstr (plm_figure_get_text (figure, PLM_FIGURE_TEXT_TITLE), ==, "synthetic · predicted contacts");
    plm_figure_free (figure);
    plm_views_export_every_format (plm_views_open_contacts, view, "contacts", &ref, 1);
  }
  gtk_window_destroy (window);
  plm_ha_result_clear (&syn.ha);
}

/* tests/data/structures/crafted.pdb on the Contacts view: the sequence is aligned to the chain
 * (it starts at residue 10, lacks a loop and both termini), and pairs with an unobserved residue
 * are unknown: the two best predictions, (0, 29) and (12, 25), are neither ranked nor counted.
 * Precision at L/5 (6 pairs): (3, 26) … (7, 22) face each other on the hairpin, (2, 20) do not:
 * 5/6. Counted as "no contact", as before, they would give 4/6. */
static void
test_contacts_aligned_structure (void)
{
  Synthetic syn;
  g_autoptr(PlmInferenceResult) r = plm_views_synthetic_result (2, 2, 30, FALSE, &syn);
  g_autoptr(GError) error = NULL;
  g_autofree char *pdb = g_build_filename (g_getenv ("PLM_TEST_DATA"), "structures", "crafted.pdb", NULL);
  g_autofree char *bad = NULL;
  GtkWidget *view = plm_contacts_view_new ();
  GtkWindow *window = plm_views_new_window (view, 800, 700);
  static const int best[][2] = { { 0, 29 }, { 12, 25 }, { 3, 26 }, { 4, 25 }, { 5, 24 }, { 6, 23 }, { 7, 22 }, { 2, 20 } };

  /* before any result: refused */
  g_assert_false (plm_contacts_view_load_structure (PLM_CONTACTS_VIEW (view), pdb, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);

  memcpy (r->sequence, "GSMKTAYIAKQRQISFVKSHFSRQLEERLG", 30);
  r->contacts = g_new (float, 30 * 30);
  for (int k = 0; k < 30 * 30; k++)
    r->contacts[k] = 0.01f;
  for (guint t = 0; t < G_N_ELEMENTS (best); t++)
    r->contacts[best[t][0] * 30 + best[t][1]] = r->contacts[best[t][1] * 30 + best[t][0]] = 0.99f - 0.01f * t;
  plm_contacts_view_set_result (PLM_CONTACTS_VIEW (view), r);
  g_assert_true (plm_contacts_view_load_structure (PLM_CONTACTS_VIEW (view), pdb, &error));
  g_assert_no_error (error);
  g_assert_cmpfloat (fabs (plm_contacts_view_get_precision (PLM_CONTACTS_VIEW (view)) - 5.0 / 6.0), <, 1e-12);
  g_assert_nonnull (plm_ui_test_find_label (GTK_WIDGET (view), "crafted.pdb chain A · 100% identical, 23 of 30", FALSE));
  {
    PlmFigure *figure = plm_contacts_view_create_figure (PLM_CONTACTS_VIEW (view), "crafted");
    g_assert_cmpfloat (fabs (plm_figure_contact_precision (figure) - 5.0 / 6.0), <, 1e-12);
    plm_figure_free (figure);
  }

  /* another protein: the structure goes with the old sequence, and this one's is refused (Use
   * Anyway and a refused chain keeping the one in use: test-structure) */
  {
    Synthetic syn2;
    g_autoptr(PlmInferenceResult) r2 = plm_views_synthetic_result (2, 2, 30, FALSE, &syn2);

    memcpy (r2->sequence, "GSMWWWWWWWQRQISWWWWWWWWWLWERLG", 30);
    r2->contacts = g_memdup2 (r->contacts, sizeof (float) * 30 * 30);
    plm_contacts_view_set_result (PLM_CONTACTS_VIEW (view), r2);
    g_assert_true (isnan (plm_contacts_view_get_precision (PLM_CONTACTS_VIEW (view))));
    g_assert_false (plm_contacts_view_load_structure (PLM_CONTACTS_VIEW (view), pdb, &error));
    g_assert_nonnull (strstr (error->message, "below the 90% required"));
    g_assert_true (isnan (plm_contacts_view_get_precision (PLM_CONTACTS_VIEW (view))));
    plm_contacts_view_set_result (PLM_CONTACTS_VIEW (view), NULL);
    plm_ha_result_clear (&syn2.ha);
  }
  gtk_window_destroy (window);
  plm_ha_result_clear (&syn.ha);
}

/* A residue hovered in one view is highlighted in the others (pointer motion through the
 * heatmaps' own controllers). */
static void
test_linked_selection (void)
{
  Synthetic syn;
  g_autoptr(PlmInferenceResult) r = plm_views_synthetic_result (4, 4, 80, TRUE, &syn);
  g_autoptr(PlmSelection) selection = plm_selection_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  GtkWidget *attention = plm_attention_view_new ();
  GtkWidget *contacts = plm_contacts_view_new ();
  GtkWidget *ha = plm_ha_view_new ();
  GtkWindow *window;
  GtkWidget *heatmap;
  double x, y;

  plm_views_add_contacts (r);
  gtk_widget_set_size_request (attention, 500, -1);
  gtk_widget_set_size_request (contacts, 500, -1);
  gtk_widget_set_size_request (ha, 600, -1);
  gtk_box_append (GTK_BOX (box), attention);
  gtk_box_append (GTK_BOX (box), contacts);
  gtk_box_append (GTK_BOX (box), ha);
  window = plm_views_new_window (box, 1600, 800);
  plm_attention_view_set_selection (PLM_ATTENTION_VIEW (attention), selection);
  plm_contacts_view_set_selection (PLM_CONTACTS_VIEW (contacts), selection);
  plm_ha_view_set_selection (PLM_HA_VIEW (ha), selection);
  plm_attention_view_set_result (PLM_ATTENTION_VIEW (attention), r);
  plm_contacts_view_set_result (PLM_CONTACTS_VIEW (contacts), r);
  plm_ha_view_set_result (PLM_HA_VIEW (ha), r);
  plm_ui_test_spin (400);

  /* attention row = token 31 = residue 30 */
  heatmap = plm_attention_view_get_heatmap (PLM_ATTENTION_VIEW (attention));
  g_assert_true (plm_heatmap_view_get_cell_center (PLM_HEATMAP_VIEW (heatmap), 31, 12, &x, &y));
  plm_ui_test_motion (heatmap, x, y);
  g_assert_cmpint (plm_selection_get_residue (selection), ==, 30);
  g_assert_cmpint (plm_contacts_view_get_highlighted (PLM_CONTACTS_VIEW (contacts)), ==, 30);
  g_assert_cmpint (plm_ha_view_get_highlighted (PLM_HA_VIEW (ha)), ==, 30);

  /* contacts row 55 = residue 55 */
  heatmap = plm_contacts_view_get_heatmap (PLM_CONTACTS_VIEW (contacts));
  g_assert_true (plm_heatmap_view_get_cell_center (PLM_HEATMAP_VIEW (heatmap), 55, 20, &x, &y));
  plm_ui_test_motion (heatmap, x, y);
  g_assert_cmpint (plm_attention_view_get_highlighted (PLM_ATTENTION_VIEW (attention)), ==, 55);
  g_assert_cmpint (plm_ha_view_get_highlighted (PLM_HA_VIEW (ha)), ==, 55);

  /* HA column 12 = residue 12 */
  heatmap = plm_ha_view_get_heatmap (PLM_HA_VIEW (ha));
  g_assert_true (plm_heatmap_view_get_cell_center (PLM_HEATMAP_VIEW (heatmap), 1, 12, &x, &y));
  plm_ui_test_motion (heatmap, x, y);
  g_assert_cmpint (plm_attention_view_get_highlighted (PLM_ATTENTION_VIEW (attention)), ==, 12);
  g_assert_cmpint (plm_contacts_view_get_highlighted (PLM_CONTACTS_VIEW (contacts)), ==, 12);
  plm_ui_test_spin (300);
  plm_views_save_screenshot (GTK_WIDGET (window), "views-linked");
  gtk_window_destroy (window);
  plm_ha_result_clear (&syn.ha);
}

static gboolean model_loaded, pair_computed;

static void
on_model_loaded (GObject      *object,
                 GAsyncResult *result,
                 gpointer      data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (plm_inference_worker_load_model_finish (PLM_INFERENCE_WORKER (object), result, &error));
  g_assert_no_error (error);
  model_loaded = TRUE;
}

static void
on_pair_computed (PlmPairView *view,
                  gpointer     data)
{
  pair_computed = TRUE;
}

/* The tiny model and a seeded head: the view's maps equal the head applied to embeddings the
 * test computes itself (its own model and state), and the marked residues are the top column
 * sums of those maps. */
static void
test_pair (void)
{
  const char *data_dir = g_getenv ("PLM_TEST_DATA");
  g_autofree char *model_path = NULL, *head_path = NULL;
  g_autoptr(PlmInferenceWorker) worker = plm_inference_worker_new ();
  g_autoptr(PlmModel) model = NULL;
  g_autoptr(PlmNmHead) head = NULL;
  g_autoptr(PlmEsmState) state = NULL;
  g_autoptr(GError) error = NULL;
  const char *chains[4] = { "MKTAYIAKQRQISFVKSHFSRQ", "GSHMLEDPVDAFQLAKELLKNA", "MKTAYIAKQRQISFVKSHFSRQ", "PEPTIDEWWWKKLLAGGHHCC" };
  GtkWidget *view = plm_pair_view_new ();
  GtkWindow *window;
  gint64 end;

  if (data_dir == NULL)
    {
      g_test_skip ("PLM_TEST_DATA is not set (run through meson test)");
      return;
    }
  model_path = g_build_filename (data_dir, "models", "tiny-f32", NULL);
  model = plm_model_load (model_path, &error);
  g_assert_no_error (error);
  {
    PlmNmHeadConfig config = { PLM_NM_HEAD_ATTENTION, model->config.d_model, 16, 2, 1, FALSE, TRUE };

    head = plm_nm_head_new (&config);
    plm_nm_head_init (head, 7);
    head_path = g_build_filename (g_get_tmp_dir (), "plm-test-pair-head.safetensors", NULL);
    g_assert_true (plm_nm_head_save (head, head_path, NULL, &error));
    g_assert_no_error (error);
  }

  plm_inference_worker_set_threads (worker, 1);
  plm_inference_worker_load_model_async (worker, model_path, NULL, on_model_loaded, NULL);
  end = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  while (!model_loaded && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (model_loaded);

  window = plm_views_new_window (view, 1300, 760);
  plm_pair_view_set_worker (PLM_PAIR_VIEW (view), worker);
  /* Compute without a head asks for one; loading it answers that */
  plm_pair_view_compute (PLM_PAIR_VIEW (view));
  g_assert_nonnull (plm_ui_test_find_label (view, "Load a head first.", TRUE));
  g_assert_true (plm_pair_view_load_head (PLM_PAIR_VIEW (view), head_path, &error));
  g_assert_no_error (error);
  g_assert_null (plm_ui_test_find_label (view, "Load a head first.", TRUE));
  plm_pair_view_set_chains (PLM_PAIR_VIEW (view), 0, chains[0], chains[1]);
  plm_pair_view_set_chains (PLM_PAIR_VIEW (view), 1, chains[2], chains[3]);
  g_signal_connect (view, "computed", G_CALLBACK (on_pair_computed), NULL);
  plm_pair_view_compute (PLM_PAIR_VIEW (view));
  end = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  while (!pair_computed && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (pair_computed);

  /* the exported figure's file name comes from the two pairs (the first residues of each chain) */
  {
    g_autofree char *name = plm_pair_view_dup_figure_name (PLM_PAIR_VIEW (view));

    g_assert_cmpstr (name, ==, "pair-MKTAYIAK-GSHMLEDP-vs-MKTAYIAK-PEPTIDEW");
  }
  state = plm_esm_state_new (model);
  for (int s = 0; s < 2; s++)
    {
      int ta, tb, rows, cols, n_top;
      g_autofree float *ea = plm_nm_embed_sequence (state, chains[2 * s], 1024, &ta, NULL, &error);
      g_autofree float *eb = plm_nm_embed_sequence (state, chains[2 * s + 1], 1024, &tb, NULL, &error);
      g_autofree float *p = g_new (float, (gsize) ta * tb);
      const float *m = plm_pair_view_get_matrix (PLM_PAIR_VIEW (view), s, &rows, &cols);
      const int *top;
      double worst = 0.0;

      g_assert_no_error (error);
      plm_nm_head_cross_attention (head, ea, ta, eb, tb, p);
      g_assert_cmpint (rows, ==, ta - 2);
      g_assert_cmpint (cols, ==, tb - 2);
      for (int i = 0; i < rows; i++)
        for (int j = 0; j < cols; j++)
          worst = MAX (worst, fabs (m[(gsize) i * cols + j] - p[(gsize) (i + 1) * tb + j + 1]));
      g_test_message ("pair %d: %d × %d, max |view − reference| = %.2e", s, rows, cols, worst);
      g_assert_cmpfloat (worst, <, 1e-5);

      /* the head's prediction for the pair, as the engine computes it */
      {
        PlmNmGroup g = { .a = ea, .len_a = ta, .b = eb, .len_b = tb };
        PlmNmLossParts parts = { 0 };
        float logits[2];
        double p1;
        g_autofree char *expect = NULL, *readout = NULL, *expect_readout = NULL;
        PlmHeatmapView *heatmap = PLM_HEATMAP_VIEW (plm_pair_view_get_heatmap (PLM_PAIR_VIEW (view), s));

        g_assert_cmpint (plm_nm_head_get_config (head)->n_classes, ==, 2);
        plm_nm_head_group (head, &g, 0, 0, FALSE, logits, &parts);
        p1 = 1.0 / (1.0 + exp (logits[0] - logits[1]));
        expect = g_strdup_printf ("P(interaction) %.2f · %s", p1, p1 > 0.5 ? "interacting" : "not interacting");
        g_test_message ("pair %d prediction: %s", s, plm_pair_view_get_prediction (PLM_PAIR_VIEW (view), s));
        g_assert_cmpstr (plm_pair_view_get_prediction (PLM_PAIR_VIEW (view), s), ==, expect);
        g_assert_nonnull (plm_ui_test_find_label (view, expect, TRUE));

        /* the readout names both chains' residues */
        readout = plm_views_hover_readout (heatmap, 1, 2);
        expect_readout = g_strdup_printf ("A: %c2 · B: %c3 · %.3g", chains[2 * s][1], chains[2 * s + 1][2],
                                          m[1 * cols + 2]);
        g_assert_cmpstr (readout, ==, expect_readout);
        plm_ui_test_motion (GTK_WIDGET (heatmap), 1, 1);
      }
      g_assert_nonnull (plm_ui_test_find_label (view, s == 0 ? "Positive pair" : "Negative pair", TRUE));

      /* chain B's marked residues: the largest column sums of the reference, descending */
      top = plm_pair_view_get_top (PLM_PAIR_VIEW (view), s, 1, &n_top);
      g_assert_cmpint (n_top, ==, PLM_PAIR_TOP_K);
      for (int k = 0; k + 1 < n_top; k++)
        {
          double a = 0.0, b = 0.0;

          for (int i = 1; i < ta - 1; i++)
            {
              a += p[(gsize) i * tb + top[k] + 1];
              b += p[(gsize) i * tb + top[k + 1] + 1];
            }
          g_assert_cmpfloat (a, >=, b - 1e-6);
        }
      for (int j = 0; j < cols; j++)
        {
          double sum = 0.0, last = 0.0;
          gboolean marked = FALSE;

          for (int k = 0; k < n_top; k++)
            marked |= top[k] == j;
          if (marked)
            continue;
          for (int i = 1; i < ta - 1; i++)
            {
              sum += p[(gsize) i * tb + j + 1];
              last += p[(gsize) i * tb + top[n_top - 1] + 1];
            }
          g_assert_cmpfloat (sum, <=, last + 1e-6);
        }
    }
  plm_ui_test_spin (300);
  plm_views_save_screenshot (GTK_WIDGET (window), "views-pair");
  plm_views_check_heatmap_geometry (PLM_HEATMAP_VIEW (plm_pair_view_get_heatmap (PLM_PAIR_VIEW (view), 0)), 1, 1, 12);
  g_unlink (head_path);
  {
    int rows0, cols0, rows1, cols1;
    PlmCellRef refs[2] = {
      { 0, plm_pair_view_get_matrix (PLM_PAIR_VIEW (view), 0, &rows0, &cols0), 0, 0, 0, 0 },
      { 1, plm_pair_view_get_matrix (PLM_PAIR_VIEW (view), 1, &rows1, &cols1), 0, 0, 0, 0 },
    };

    refs[0].rows = rows0, refs[0].cols = cols0, refs[1].rows = rows1, refs[1].cols = cols1;
    plm_views_export_every_format (plm_views_open_pair, view, "pair", refs, 2);
  }
  gtk_window_destroy (window);
}

int
main (int   argc,
      char *argv[])
{
  plm_views_init (&argc, &argv);

  g_test_add_func ("/views/ha-sites", test_ha_sites);
  g_test_add_func ("/views/contacts", test_contacts);
  g_test_add_func ("/views/contacts-aligned-structure", test_contacts_aligned_structure);
  g_test_add_func ("/views/linked-selection", test_linked_selection);
  g_test_add_func ("/views/pair", test_pair);
  return g_test_run ();
}
