/* test-structure.c: the structure the Contacts and HA views share (the window's "loaded
 * structure"): each HA site's distance in space (Cα, Å) to the nearest active site, against the
 * coordinates the test wrote; the chain picker (best chain by identity, a refusal below 90%
 * with Use Anyway); residues missing from the structure shown as "—", never shifted. */
#include <glib/gstdio.h>
#include <math.h>

#include "plm-contacts-view.h"
#include "plm-figure-check.h"
#include "plm-ha-structure.h"
#include "plm-ha-view.h"
#include "plm-hastats.h"
#include "plm-structure-bar.h"
#include "plm-test-util.h"
#include "plm-ui-views.h"

#define L 120
/* chain A: the sequence numbered from 101, without residues 20–29 (0-based); chain B, first in
 * the file: another protein */
#define SKIP_FROM 20
#define SKIP_TO   30
static const int active[] = { 9, 56, 57, 99, 25 };   /* 1-based; 25 is in the missing loop */

typedef struct {
  Synthetic           syn;
  PlmInferenceResult *result;
  PlmLoadedStructure *structure;
  GtkWidget          *contacts;
  GtkWidget          *ha;
  GtkWindow          *window;
  char               *pdb;
  char               *tsv;
  char               *other;   /* chain B's sequence */
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  g_autoptr(GString) sites = g_string_new ("uniprot_acc\tactive_site_positions\nP00001\t");
  PlmTestChain chains[2];

  f->result = plm_views_synthetic_result (6, 4, L, TRUE, &f->syn);
  plm_views_add_contacts (f->result);
  f->other = g_strnfill (40, 'W');
  for (int i = 0; i < 40; i += 3)
    f->other[i] = "PGDE"[i % 4];
  chains[0] = (PlmTestChain) { "B", f->other, 1, 0, 0, 30.0 };
  chains[1] = (PlmTestChain) { "A", f->result->sequence, 101, SKIP_FROM, SKIP_TO, 0.0 };
  f->pdb = plm_test_write_helix_pdb ("two-chains.pdb", chains, 2);
  for (guint a = 0; a < G_N_ELEMENTS (active); a++)
    g_string_append_printf (sites, "%s%d", a ? "," : "", active[a]);
  g_string_append_c (sites, '\n');
  f->tsv = plm_views_write_text ("plm-test-active.tsv", sites->str);

  /* the two views share one structure, as in the window */
  f->structure = plm_loaded_structure_new ();
  f->contacts = plm_contacts_view_new ();
  f->ha = plm_ha_view_new ();
  gtk_widget_set_vexpand (f->contacts, TRUE);
  gtk_widget_set_vexpand (f->ha, TRUE);
  gtk_box_append (GTK_BOX (box), f->ha);
  gtk_box_append (GTK_BOX (box), f->contacts);
  plm_contacts_view_set_structure (PLM_CONTACTS_VIEW (f->contacts), f->structure);
  plm_ha_view_set_structure (PLM_HA_VIEW (f->ha), f->structure);
  f->window = plm_views_new_window (box, 1000, 900);
  plm_ha_view_set_protein_id (PLM_HA_VIEW (f->ha), "sp|P00001|TEST_HUMAN");
  plm_contacts_view_set_result (PLM_CONTACTS_VIEW (f->contacts), f->result);
  plm_ha_view_set_result (PLM_HA_VIEW (f->ha), f->result);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *dir = g_path_get_dirname (f->pdb);

  gtk_window_destroy (f->window);
  g_object_unref (f->structure);
  plm_inference_result_unref (f->result);
  plm_ha_result_clear (&f->syn.ha);
  plm_test_rm_rf (dir);
  g_unlink (f->tsv);
  g_free (f->pdb);
  g_free (f->tsv);
  g_free (f->other);
}

/* The line of @text about HA site @site (0-based): "K45 · …". */
static char *
site_line (const char *text,
           const char *sequence,
           int         site)
{
  g_autofree char *prefix = g_strdup_printf ("\n%c%d · ", sequence[site], site + 1);
  const char *start = strstr (text, prefix), *end;

  g_assert_nonnull (start);
  start++;
  end = strchr (start, '\n');
  return end != NULL ? g_strndup (start, end - start) : g_strdup (start);
}

/* The distance the test expects from the coordinates it wrote: Cα of sequence residue @i of
 * chain A (observed unless in the missing loop) to the nearest observed active site. */
static double
expected_angstrom (int  site,
                   int *nearest)
{
  double best = NAN, a[3], b[3];

  *nearest = -1;
  if (site >= SKIP_FROM && site < SKIP_TO)
    return NAN;
  plm_test_helix_ca (0.0, site, a);
  for (guint k = 0; k < G_N_ELEMENTS (active); k++)
    {
      int t = active[k] - 1;
      double d;

      if (t >= SKIP_FROM && t < SKIP_TO)
        continue;
      plm_test_helix_ca (0.0, t, b);
      d = sqrt ((a[0] - b[0]) * (a[0] - b[0]) + (a[1] - b[1]) * (a[1] - b[1]) + (a[2] - b[2]) * (a[2] - b[2]));
      if (isnan (best) || d < best)
        best = d, *nearest = t;
    }
  return best;
}

/* Whether the HA view's exported figure (PDF, read back by pdftotext) says @text. */
static gboolean
figure_has_text (GtkWidget  *ha,
                 const char *text)
{
  g_autoptr(PlmFigure) figure = plm_ha_view_create_figure (PLM_HA_VIEW (ha), "synthetic");
  g_autofree char *dir = g_dir_make_tmp ("plm-ha-figure-XXXXXX", NULL);
  g_autofree char *pdf = g_build_filename (dir, "ha.pdf", NULL);
  g_autofree char *txt = g_build_filename (dir, "ha.txt", NULL);
  g_autofree char *cmd = g_strdup_printf ("pdftotext -enc UTF-8 '%s' '%s'", pdf, txt);
  g_autofree char *content = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (plm_check_have_tool ("pdftotext"));
  g_assert_true (plm_figure_export (figure, PLM_FIGURE_PDF, pdf, &error));
  g_assert_no_error (error);
  plm_check_run (cmd);
  g_assert_true (g_file_get_contents (txt, &content, NULL, NULL));
  plm_test_rm_rf (dir);
  return strstr (content, text) != NULL;
}

static void
test_ha_distances (Fixture       *f,
                   gconstpointer  data)
{
  const PlmHaResult *ha = plm_ha_view_get_ha_result (PLM_HA_VIEW (f->ha));
  const PlmStructureMap *map;
  g_autoptr(GError) error = NULL;
  g_autofree double *expected = NULL;
  g_autofree double *engine = NULL;
  g_autofree int *engine_nearest = NULL;
  g_autoptr(GPtrArray) features = NULL;
  int n_expected = 0, n_missing = 0;
  const char *text;

  g_assert_nonnull (ha);
  g_assert_cmpint (ha->n_sites, >=, 3);
  g_assert_true (plm_ha_view_load_annotations (PLM_HA_VIEW (f->ha), f->tsv, &error));
  g_assert_no_error (error);
  /* without a structure: sequence distances only */
  g_assert_null (strstr (plm_ha_view_get_distances (PLM_HA_VIEW (f->ha)), "Å"));
  g_assert_false (figure_has_text (f->ha, "≤ 8 Å"));

  /* loaded through the Contacts view, seen by the HA view; chain A is the best, not the first */
  g_assert_true (plm_contacts_view_load_structure (PLM_CONTACTS_VIEW (f->contacts), f->pdb, &error));
  g_assert_no_error (error);
  map = plm_loaded_structure_get_map (f->structure);
  g_assert_cmpstr (map->chain, ==, "A");
  g_assert_cmpint (map->aligned, ==, L - (SKIP_TO - SKIP_FROM));
  for (int i = 0; i < L; i++)
    if (i < SKIP_FROM || i >= SKIP_TO)
      g_assert_cmpint (plm_structure_map_get (map, plm_loaded_structure_get_structure (f->structure), i)->number,
                       ==, 101 + i);
  g_assert_false (isnan (plm_contacts_view_get_precision (PLM_CONTACTS_VIEW (f->contacts))));

  text = plm_ha_view_get_distances (PLM_HA_VIEW (f->ha));
  g_test_message ("%s", text);
  features = plm_features_read (f->tsv, "P00001", &error);
  g_assert_no_error (error);
  expected = g_new (double, ha->n_sites);
  engine = g_new (double, ha->n_sites);
  engine_nearest = g_new (int, ha->n_sites);
  plm_ha_structure_feature_distances (plm_loaded_structure_get_structure (f->structure), map, features,
                                      PLM_FEATURE_ACTIVE_SITE, ha->sites, ha->n_sites, engine, engine_nearest);
  for (int s = 0; s < ha->n_sites; s++)
    {
      int site = ha->sites[s], nearest;
      double d = expected_angstrom (site, &nearest);
      g_autofree char *line = site_line (text, f->result->sequence, site);
      g_autofree char *want = NULL;

      if (isnan (d))
        {
          /* not in the structure: a dash, not a neighbour's distance */
          want = g_strdup (", — (not in the structure)");
          g_assert_true (isnan (engine[s]));
          n_missing++;
        }
      else
        {
          want = g_strdup_printf (", %.1f Å to %c%d", d, f->result->sequence[nearest], nearest + 1);
          expected[n_expected++] = d;
          /* the engine's number (float coordinates in the file: 3 decimals) */
          g_assert_cmpfloat (fabs (engine[s] - d), <, 2e-3);
          g_assert_cmpint (engine_nearest[s], ==, nearest);
        }
      g_test_message ("HA site %d: %s (want “%s”)", site + 1, line, want);
      g_assert_nonnull (strstr (line, want));
    }
  g_assert_cmpint (n_missing, >=, 1);   /* residue 29 (0-based 28) lies in the missing loop */
  {
    g_autofree char *median = g_strdup_printf ("median %.1f Å to an active site (%d of %d HA sites)",
                                               plm_median (expected, n_expected), n_expected, ha->n_sites);
    g_assert_nonnull (strstr (text, median));
    g_assert_nonnull (strstr (text, "In space (two-chains.pdb chain A, Cα):"));
  }
  plm_ui_test_spin (300);
  plm_views_save_screenshot (GTK_WIDGET (f->window), "structure-ha-distances");

  /* the exported HA figure has a track of the HA sites within 8 Å of an active site */
  {
    int n_near = 0;

    for (int s = 0; s < ha->n_sites; s++)
      n_near += !isnan (engine[s]) && engine[s] <= 8.0;
    g_assert_cmpint (n_near, >=, 1);
    g_assert_true (figure_has_text (f->ha, "HA sites ≤ 8 Å"));
    if (g_getenv ("PLM_SCREENSHOT_DIR") != NULL)
      {
        g_autoptr(PlmFigure) figure = plm_ha_view_create_figure (PLM_HA_VIEW (f->ha), "synthetic");
        g_autofree char *png = g_build_filename (g_getenv ("PLM_SCREENSHOT_DIR"), "structure-ha-figure.png", NULL);

        g_assert_true (plm_figure_export (figure, PLM_FIGURE_PNG, png, &error));
        g_test_message ("figure: %s", png);
      }
  }

  /* a new sequence drops the structure: no distances in space */
  {
    Synthetic syn;
    g_autoptr(PlmInferenceResult) r = plm_views_synthetic_result (6, 4, 90, TRUE, &syn);

    plm_contacts_view_set_result (PLM_CONTACTS_VIEW (f->contacts), r);
    plm_ha_view_set_result (PLM_HA_VIEW (f->ha), r);
    g_assert_null (plm_loaded_structure_get_map (f->structure));
    g_assert_null (strstr (plm_ha_view_get_distances (PLM_HA_VIEW (f->ha)), "Å"));
    plm_contacts_view_set_result (PLM_CONTACTS_VIEW (f->contacts), NULL);
    plm_ha_view_set_result (PLM_HA_VIEW (f->ha), NULL);
    plm_ha_result_clear (&syn.ha);
  }
}

static PlmStructureBar *
find_bar (GtkWidget *widget)
{
  if (PLM_IS_STRUCTURE_BAR (widget))
    return PLM_STRUCTURE_BAR (widget);
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      PlmStructureBar *bar = find_bar (c);
      if (bar != NULL)
        return bar;
    }
  return NULL;
}

static char *
item (GtkDropDown *dropdown,
      guint        i)
{
  g_autoptr(GtkStringObject) o = g_list_model_get_item (gtk_drop_down_get_model (dropdown), i);

  return g_strdup (gtk_string_object_get_string (o));
}

static void
test_chain_picker (Fixture       *f,
                   gconstpointer  data)
{
  PlmStructureBar *bar = find_bar (f->contacts);
  GtkDropDown *dropdown = GTK_DROP_DOWN (plm_structure_bar_get_chain_dropdown (bar));
  GtkWidget *force = plm_structure_bar_get_force_button (bar);
  GtkWidget *status = NULL;
  g_autoptr(GError) error = NULL;
  GArray *fits;
  const PlmChainFit *a, *b;
  g_autofree char *item_a = NULL, *item_b = NULL;
  double precision_a;

  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (dropdown)));
  g_assert_true (plm_ha_view_load_annotations (PLM_HA_VIEW (f->ha), f->tsv, &error));
  g_assert_true (plm_contacts_view_load_structure (PLM_CONTACTS_VIEW (f->contacts), f->pdb, &error));
  g_assert_no_error (error);
  precision_a = plm_contacts_view_get_precision (PLM_CONTACTS_VIEW (f->contacts));

  /* both chains listed in file order with identity and coverage; the best one chosen */
  fits = plm_loaded_structure_get_fits (f->structure);
  g_assert_cmpuint (fits->len, ==, 2);
  b = &g_array_index (fits, PlmChainFit, 0);
  a = &g_array_index (fits, PlmChainFit, 1);
  g_assert_cmpstr (b->chain, ==, "B");
  g_assert_cmpstr (a->chain, ==, "A");
  g_assert_cmpfloat (a->identity, ==, 1.0);
  g_assert_cmpfloat (fabs (a->coverage - (L - 10.0) / L), <, 1e-12);
  g_assert_cmpfloat (b->identity, <, 0.9);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (dropdown)));
  g_assert_cmpuint (g_list_model_get_n_items (gtk_drop_down_get_model (dropdown)), ==, 2);
  g_assert_cmpuint (gtk_drop_down_get_selected (dropdown), ==, 1);
  item_a = g_strdup_printf ("Chain A · 100%% identical · %.0f%% coverage", 100.0 * a->coverage);
  item_b = g_strdup_printf ("Chain B · %.0f%% identical · %.0f%% coverage", 100.0 * b->identity, 100.0 * b->coverage);
  g_test_message ("chains: %s | %s", plm_structure_bar_get_chain_text (bar, 0), plm_structure_bar_get_chain_text (bar, 1));
  g_assert_cmpstr (plm_structure_bar_get_chain_text (bar, 1), ==, item_a);
  g_assert_cmpstr (plm_structure_bar_get_chain_text (bar, 0), ==, item_b);
  g_assert_null (plm_structure_bar_get_chain_text (bar, 2));
  /* the button shows the chain, its tooltip the rest */
  {
    g_autofree char *a0 = item (dropdown, 0), *a1 = item (dropdown, 1);

    g_assert_cmpstr (a0, ==, "Chain B");
    g_assert_cmpstr (a1, ==, "Chain A");
    g_assert_cmpstr (gtk_widget_get_tooltip_text (GTK_WIDGET (dropdown)), ==, item_a);
  }
  g_assert_false (gtk_widget_get_visible (force));

  /* chain B: refused with a message and Use Anyway; chain A stays in use */
  gtk_drop_down_set_selected (dropdown, 0);
  plm_ui_test_spin (100);
  g_assert_true (gtk_widget_get_visible (force));
  g_assert_cmpuint (gtk_drop_down_get_selected (dropdown), ==, 1);
  g_assert_cmpstr (plm_loaded_structure_get_map (f->structure)->chain, ==, "A");
  status = plm_ui_test_find_label (f->contacts, "below the 90% required", FALSE);
  g_assert_nonnull (status);
  g_test_message ("refused: %s", gtk_label_get_text (GTK_LABEL (status)));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (status)), "chain B"));
  g_assert_cmpfloat (plm_contacts_view_get_precision (PLM_CONTACTS_VIEW (f->contacts)), ==, precision_a);
  plm_ui_test_spin (300);
  plm_views_save_screenshot (GTK_WIDGET (f->window), "structure-chain-refused");

  /* Use Anyway: chain B in use, forced; the views follow */
  g_signal_emit_by_name (force, "clicked");
  plm_ui_test_spin (100);
  g_assert_cmpstr (plm_loaded_structure_get_map (f->structure)->chain, ==, "B");
  g_assert_true (plm_loaded_structure_get_forced (f->structure));
  g_assert_false (gtk_widget_get_visible (force));
  g_assert_cmpuint (gtk_drop_down_get_selected (dropdown), ==, 0);
  g_assert_nonnull (plm_ui_test_find_label (f->contacts, "two-chains.pdb chain B", FALSE));
  g_assert_nonnull (strstr (plm_ha_view_get_distances (PLM_HA_VIEW (f->ha)), "two-chains.pdb chain B"));

  /* back to chain A from the drop-down: no refusal */
  gtk_drop_down_set_selected (dropdown, 1);
  plm_ui_test_spin (100);
  g_assert_cmpstr (plm_loaded_structure_get_map (f->structure)->chain, ==, "A");
  g_assert_false (plm_loaded_structure_get_forced (f->structure));
  g_assert_cmpfloat (plm_contacts_view_get_precision (PLM_CONTACTS_VIEW (f->contacts)), ==, precision_a);
  plm_ui_test_spin (300);
  plm_views_save_screenshot (GTK_WIDGET (f->window), "structure-chain-picker");
}

/* A file whose only chain is another protein: refused, nothing loaded; Use Anyway loads it. */
static void
test_force_file (Fixture       *f,
                 gconstpointer  data)
{
  PlmStructureBar *bar = find_bar (f->ha);
  PlmTestChain chain = { "C", f->other, 1, 0, 0, 0.0 };
  g_autofree char *pdb = plm_test_write_helix_pdb ("other.pdb", &chain, 1);
  g_autofree char *dir = g_path_get_dirname (pdb);
  g_autoptr(GError) error = NULL;

  g_assert_false (plm_structure_bar_load (bar, pdb, &error));
  g_assert_error (error, PLM_LOADED_STRUCTURE_ERROR, PLM_LOADED_STRUCTURE_ERROR_IDENTITY);
  g_assert_null (plm_loaded_structure_get_map (f->structure));
  g_assert_true (gtk_widget_get_visible (plm_structure_bar_get_force_button (bar)));
  g_clear_error (&error);
  g_assert_true (plm_structure_bar_force (bar, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (plm_loaded_structure_get_map (f->structure)->chain, ==, "C");
  g_assert_true (plm_loaded_structure_get_forced (f->structure));
  g_assert_false (gtk_widget_get_visible (plm_structure_bar_get_chain_dropdown (bar)));
  plm_test_rm_rf (dir);
}

/* What the user sees, in the language of $LANGUAGE (also run in German): a refused chain with
 * Use Anyway, and the chain list open. No assertion on the text. */
static void
test_screenshots (Fixture       *f,
                  gconstpointer  data)
{
  PlmStructureBar *bar = find_bar (f->contacts);
  GtkWidget *dropdown = plm_structure_bar_get_chain_dropdown (bar);
  g_autoptr(GError) error = NULL;

  g_assert_true (plm_ha_view_load_annotations (PLM_HA_VIEW (f->ha), f->tsv, &error));
  g_assert_true (plm_contacts_view_load_structure (PLM_CONTACTS_VIEW (f->contacts), f->pdb, &error));
  g_assert_no_error (error);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (dropdown), 0);
  g_assert_true (gtk_widget_get_visible (plm_structure_bar_get_force_button (bar)));
  plm_ui_test_spin (300);
  plm_views_save_screenshot (GTK_WIDGET (f->window), g_str_has_prefix (g_getenv ("LANGUAGE") ? g_getenv ("LANGUAGE") : "", "de")
                             ? "structure-refused-de" : "structure-refused-en");
  g_signal_emit_by_name (dropdown, "activate");
  plm_ui_test_spin (300);
  {
    GtkWidget *popover = gtk_widget_get_last_child (dropdown);

    g_assert_true (GTK_IS_POPOVER (popover));
    g_assert_true (gtk_widget_get_mapped (popover));
    plm_views_save_screenshot (popover, g_str_has_prefix (g_getenv ("LANGUAGE") ? g_getenv ("LANGUAGE") : "", "de")
                               ? "structure-chains-de" : "structure-chains-en");
    gtk_popover_popdown (GTK_POPOVER (popover));
  }
}

int
main (int argc, char **argv)
{
  plm_ui_test_bind_locale ();
  plm_views_init (&argc, &argv);
  g_test_add ("/structure/ha-distances", Fixture, NULL, fixture_set_up, test_ha_distances, fixture_tear_down);
  g_test_add ("/structure/chain-picker", Fixture, NULL, fixture_set_up, test_chain_picker, fixture_tear_down);
  g_test_add ("/structure/force-file", Fixture, NULL, fixture_set_up, test_force_file, fixture_tear_down);
  g_test_add ("/structure/screenshots", Fixture, NULL, fixture_set_up, test_screenshots, fixture_tear_down);
  return g_test_run ();
}
