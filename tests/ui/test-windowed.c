/* test-windowed.c: a protein longer than the model runs in windows through the app. tiny-esm1b
 * reads at most 126 residues (learned positions), so a 300-residue record must window: the
 * dialog offers no "Run Anyway"; windows of 126 with overlap 31 start at 0, 95 and 174. The
 * assembled outputs equal `plmlens-cli infer --window` (tested against the numpy reference of the
 * rule); pairs no window holds are grey on the attention and contact maps, and the readout says
 * which window a value came from.
 * With -m slow, /ui/windowed/long-8m runs a 5,000-residue protein on the 8M shape (windows of
 * 1,024, 7 of them) and reports the peak RSS (VmHWM): run by hand, as the README says, since it
 * takes a while. PLM_TEST_LONG_RESIDUES sets another length (e.g. 10000), PLM_TEST_WINDOW_SIZE
 * the window's (e.g. 800x600). Each map view is checked pooled when fitted and cell by cell,
 * with the store's values in the readout, when zoomed in; a head step is timed. */
#include <adwaita.h>
#include <glib/gi18n-lib.h>
#include <stdlib.h>

#include "plm-attention-view.h"
#include "plm-contacts.h"
#include "plm-contacts-view.h"
#include "plm-heatmap-view.h"
#include "plm-overview-view.h"
#include "plm-structure-map.h"
#include "plm-structure-view.h"
#include "plm-test-structure.h"
#include "plm-test-util.h"
#include "plm-ui-views.h"
#include "plm-ui-window.h"

#define L 300

static GtkWindow *
find_dialog (void)
{
  g_autoptr(GList) list = gtk_window_list_toplevels ();

  for (GList *l = list; l; l = l->next)
    if (ADW_IS_MESSAGE_DIALOG (l->data) && gtk_widget_get_visible (l->data))
      return l->data;
  return NULL;
}

static gboolean
dialog_shown (gpointer data)
{
  return find_dialog () != NULL;
}

static gboolean
drawable (gpointer widget)
{
  return gtk_widget_is_drawable (widget) && gtk_widget_get_width (widget) > 0;
}

/* The heatmap of view @type, once it is on show. */
static PlmHeatmapView *
find_heatmap (PlmWindow *window,
              GType      type)
{
  GtkWidget *view = plm_ui_test_find_descendant (GTK_WIDGET (window), type);
  GtkWidget *heatmap = view != NULL ? plm_ui_test_find_descendant (view, PLM_TYPE_HEATMAP_VIEW) : NULL;

  g_assert_nonnull (heatmap);
  g_assert_true (plm_ui_test_wait_until (drawable, heatmap, 5000));
  plm_ui_test_spin (200);
  return PLM_HEATMAP_VIEW (heatmap);
}

typedef struct
{
  PlmHeatmapView *heatmap;
  const float    *want;
  int             n_tokens;
} MapWait;

/* The heatmap holds exactly @want, the map the store assembles (NaN bit patterns included). */
static gboolean
shows_map (gpointer data)
{
  MapWait *w = data;
  int rows, cols;
  const float *values = plm_heatmap_view_get_data (w->heatmap, &rows, &cols);

  return values != NULL && rows == w->n_tokens && cols == w->n_tokens &&
         memcmp (values, w->want, sizeof (float) * rows * cols) == 0;
}

/* Waits until the attention view shows map (@layer, @head) of @r, assembled in a thread. */
static void
wait_for_map (PlmHeatmapView     *heatmap,
              PlmInferenceResult *r,
              int                 layer,
              int                 head)
{
  g_autofree float *want = g_new (float, (gsize) r->n_tokens * r->n_tokens);
  MapWait w = { heatmap, want, r->n_tokens };

  plm_attention_store_copy_map (r->attention, layer, head, want);
  g_assert_true (plm_ui_test_wait_until (shows_map, &w, 20000));
}

/* The colour drawn at the centre of data cell (@row, @col), 0xRRGGBB. */
static guint32
cell_color (PlmHeatmapView *heatmap,
            int             row,
            int             col)
{
  g_autoptr(GdkTexture) texture = NULL;
  double x, y;

  plm_ui_test_spin (100);
  texture = plm_ui_test_render (GTK_WIDGET (heatmap));
  g_assert_true (plm_heatmap_view_get_cell_center (heatmap, row, col, &x, &y));
  return plm_views_pixel (texture, (int) x, (int) y) & 0xffffff;
}

static void
compare_npy (const char  *dir,
             const char  *name,
             const float *ours,
             gsize        n)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  PlmNpyArray a;
  gsize n_nan = 0;

  plm_test_load_npy (path, &a);
  g_assert_cmpuint (a.n_elements, ==, n);
  for (gsize i = 0; i < n; i++)
    {
      float want = ((float *) a.data)[i];

      g_assert_cmpint (isnan (want), ==, isnan (ours[i]));
      if (isnan (want))
        n_nan++;
      else
        g_assert_cmpfloat_with_epsilon (ours[i], want, 1e-5f + 1e-5f * fabsf (want));
    }
  g_test_message ("%s: %" G_GSIZE_FORMAT " values equal the CLI's, %" G_GSIZE_FORMAT " NaN in both", name, n, n_nan);
  plm_npy_array_clear (&a);
}

/* "ui-windowed-@what.png", "-de" added in German */
static void
shoot (GtkWidget  *widget,
       const char *what)
{
  gboolean de = g_str_has_prefix (g_dgettext (GETTEXT_PACKAGE, "Run in _Windows"), "In ");
  g_autofree char *name = g_strdup_printf ("ui-windowed-%s%s.png", what, de ? "-de" : "");

  plm_ui_test_save_screenshot (widget, name);
}

static void
test_windowed_run (void)
{
  g_autofree char *model = g_build_filename (plm_uiw_test_data, "models", "tiny-esm1b", NULL);
  g_autofree char *fasta = plm_uiw_synthetic_fasta (L);
  g_autofree char *tmp = g_dir_make_tmp ("plm-ui-windowed-XXXXXX", NULL);
  g_autofree char *fasta_path = g_build_filename (tmp, "long.fasta", NULL);
  g_autofree char *cli_dir = g_build_filename (tmp, "cli", "synthetic300", NULL);
  g_autofree char *cli_out = g_build_filename (tmp, "cli", NULL);
  PlmWindow *window = plm_uiw_new_window ();
  PlmInferenceResult *r;
  const PlmWindowPlan *plan;
  AdwMessageDialog *dialog;
  PlmHeatmapView *heatmap;

  plm_uiw_load_model (window, model);
  g_assert_true (plm_window_add_text (window, fasta, "synthetic", NULL));
  plm_ui_test_spin (100);

  /* ESM-1b cannot run it whole: the dialog offers windows or nothing */
  plm_window_run (window);
  g_assert_true (plm_ui_test_wait_until (dialog_shown, NULL, 5000));
  dialog = ADW_MESSAGE_DIALOG (find_dialog ());
  g_assert_true (adw_message_dialog_has_response (dialog, "windowed"));
  g_assert_false (adw_message_dialog_has_response (dialog, "run"));
  plm_ui_test_spin (200);
  shoot (GTK_WIDGET (dialog), "dialog");
  adw_message_dialog_response (dialog, "windowed");
  g_assert_true (plm_ui_test_wait_until (plm_uiw_page_is_results, window, 60000));

  r = plm_window_get_result (window);
  g_assert_cmpint (r->n_residues, ==, L);
  g_assert_true (plm_inference_result_is_windowed (r));
  plan = plm_inference_result_get_plan (r);
  g_assert_cmpint (plan->n_windows, ==, 3);
  g_assert_cmpint (plan->size, ==, 126);
  g_assert_cmpint (plan->starts[1], ==, 95);
  g_assert_cmpint (plan->starts[2], ==, 174);
  g_assert_nonnull (r->ha_profiles);

  /* the same outputs as the CLI's windowed infer */
  g_assert_true (g_file_set_contents (fasta_path, fasta, -1, NULL));
  {
    const char *args[] = { "infer", "-q", "--window", "--window-overlap", "31", "-m", model, "-f", fasta_path,
                           "-o", cli_out, NULL };
    g_assert_cmpint (plm_test_run_cli (args, NULL, NULL), ==, 0);
  }
  compare_npy (cli_dir, "logits.npy", r->logits, (gsize) r->n_tokens * r->vocab_size);
  compare_npy (cli_dir, "embeddings.npy", r->embeddings, (gsize) r->n_tokens * r->d_model);
  /* the app keeps a windowed run's contacts banded, O(L·W), not as L × L floats */
  g_assert_true (plm_inference_result_has_contacts (r));
  g_assert_null (r->contacts);
  g_assert_nonnull (r->contact_band);
  g_assert_cmpuint (plm_contact_band_n_values (r->contact_band), <, (gsize) L * L);
  g_test_message ("contacts: %" G_GSIZE_FORMAT " values banded of %d × %d",
                  plm_contact_band_n_values (r->contact_band), L, L);
  {
    g_autofree float *dense = g_new (float, (gsize) L * L);

    plm_inference_result_copy_contacts (r, 0, L, 0, L, dense);
    compare_npy (cli_dir, "contacts.npy", dense, (gsize) L * L);
    /* what the Contacts and Structure views read from the band: the dense map's ranking,
     * count of possible pairs and every value */
    {
      int k = L / 5, n_band, n_dense;
      g_autofree int *top_band = g_new (int, k);
      g_autofree int *top_dense = g_new (int, k);
      gint64 possible = 0;

      n_band = plm_inference_result_rank_contacts (r, PLM_CONTACT_MIN_SEPARATION, k, NULL, top_band);
      n_dense = plm_contacts_rank (dense, L, L, PLM_CONTACT_MIN_SEPARATION, k, top_dense);
      g_assert_cmpint (n_band, ==, k);
      g_assert_cmpint (n_band, ==, n_dense);
      g_assert_cmpmem (top_band, sizeof (int) * n_band, top_dense, sizeof (int) * n_dense);
      for (int i = 0; i < L; i++)
        for (int j = 0; j < L; j++)
          {
            float v = plm_inference_result_get_contact (r, i, j), want = dense[(gsize) i * L + j];

            g_assert_true (isnan (v) ? isnan (want) : v == want);
            possible += j >= i + PLM_CONTACT_MIN_SEPARATION && !isnan (want);
          }
      g_assert_cmpint (plm_inference_result_count_contacts (r, PLM_CONTACT_MIN_SEPARATION), ==, possible);
      g_assert_cmpint (possible, <, (gint64) (L - PLM_CONTACT_MIN_SEPARATION) * (L - PLM_CONTACT_MIN_SEPARATION + 1) / 2);
    }
  }
  /* HA profiles by the windowed rule: those of `hasites --window` */
  {
    g_autofree char *tsv = g_build_filename (tmp, "ha.tsv", NULL);
    g_autofree char *maps = g_build_filename (tmp, "ha-maps", NULL);
    const char *args[] = { "hasites", "-q", "--window", "--window-overlap", "31", "-m", model, "-f", fasta_path,
                           "-o", tsv, "--heatmaps", maps, NULL };
    g_assert_cmpint (plm_test_run_cli (args, NULL, NULL), ==, 0);
    compare_npy (maps, "synthetic300.npy", r->ha_profiles, (gsize) r->n_layers * L);
  }

  /* attention: the assembled map, grey where no window holds the pair */
  plm_window_set_view (window, "attention");
  plm_ui_test_spin (300);
  heatmap = find_heatmap (window, PLM_TYPE_ATTENTION_VIEW);
  wait_for_map (heatmap, r, 0, -1);
  g_test_message ("heatmap renderer: %s",
                  plm_heatmap_view_get_active_renderer (heatmap) == PLM_HEATMAP_RENDERER_GL ? "GL" : "cairo");
  g_assert_true (isnan (plm_attention_store_get (r->attention, 0, -1, 1, L)));
  g_assert_cmphex (cell_color (heatmap, 1, L), ==, PLM_COLOR_MISSING & 0xffffff);    /* residues 1 and 300 */
  g_assert_cmphex (cell_color (heatmap, L, 1), ==, PLM_COLOR_MISSING & 0xffffff);
  g_assert_cmphex (cell_color (heatmap, 151, 151), !=, PLM_COLOR_MISSING & 0xffffff);
  g_assert_cmphex (cell_color (heatmap, 60, 20), !=, PLM_COLOR_MISSING & 0xffffff);
  {
    g_autofree char *inside = plm_views_hover_readout (heatmap, 151, 151);   /* residue 151: window 2 [96, 221] */
    g_autofree char *none = plm_views_hover_readout (heatmap, 1, L);
    g_autofree char *last = plm_views_hover_readout (heatmap, 280, 250);      /* window 3 [175, 300] */

    g_autofree char *w2 = g_strdup_printf (g_dgettext (GETTEXT_PACKAGE, "window %d · residues %d–%d"), 2, 96, 221);
    g_autofree char *w3 = g_strdup_printf (g_dgettext (GETTEXT_PACKAGE, "window %d · residues %d–%d"), 3, 175, 300);

    g_test_message ("readouts: '%s', '%s', '%s'", inside, none, last);
    g_assert_nonnull (strstr (inside, w2));
    g_assert_nonnull (strstr (none, g_dgettext (GETTEXT_PACKAGE, "not computed: no window holds both")));
    g_assert_nonnull (strstr (last, w3));
  }
  g_assert_nonnull (plm_ui_test_find_label (GTK_WIDGET (window),
                                            g_dgettext (GETTEXT_PACKAGE, "Grey: pairs that share no window, not computed"),
                                            TRUE));
  plm_ui_test_spin (200);
  /* quick steps through heads: each map is assembled in a thread, the last one asked for stays */
  {
    PlmAttentionView *view = PLM_ATTENTION_VIEW (plm_ui_test_find_descendant (GTK_WIDGET (window),
                                                                              PLM_TYPE_ATTENTION_VIEW));

    for (int h = 0; h < 4; h++)
      plm_attention_view_show (view, 1, h);
    wait_for_map (heatmap, r, 1, 3);
    plm_attention_view_show (view, 0, -1);
    wait_for_map (heatmap, r, 0, -1);
    plm_ui_test_spin (200);
  }
  shoot (GTK_WIDGET (window), "attention");
  /* the smallest window size the app supports */
  gtk_window_set_default_size (GTK_WINDOW (window), 800, 600);
  plm_ui_test_spin (500);
  shoot (GTK_WIDGET (window), "attention-small");
  gtk_window_set_default_size (GTK_WINDOW (window), 1200, 760);
  plm_ui_test_spin (500);

  /* contacts: the same grey and readout */
  g_assert_true (plm_inference_result_has_contacts (r));
    {
      plm_window_set_view (window, "contacts");
      plm_ui_test_spin (300);
      heatmap = find_heatmap (window, PLM_TYPE_CONTACTS_VIEW);
      g_assert_cmphex (cell_color (heatmap, 0, L - 1), ==, PLM_COLOR_MISSING & 0xffffff);
      g_assert_cmphex (cell_color (heatmap, 150, 100), !=, PLM_COLOR_MISSING & 0xffffff);
      {
        g_autofree char *inside = plm_views_hover_readout (heatmap, 150, 100);
        g_autofree char *none = plm_views_hover_readout (heatmap, L - 1, 0);

        g_autofree char *w2 = g_strdup_printf (g_dgettext (GETTEXT_PACKAGE, "window %d · residues %d–%d"), 2, 96, 221);

        g_test_message ("contact readouts: '%s', '%s'", inside, none);
        g_assert_nonnull (strstr (inside, w2));
        g_assert_nonnull (strstr (none, g_dgettext (GETTEXT_PACKAGE, "not computed: no window holds both")));
      }
      plm_ui_test_spin (200);   /* the window redraws the hover first */
      shoot (GTK_WIDGET (window), "contacts");

      /* a structure beside the banded map: the view's precision at L/5 is the dense map's,
       * ranked among the pairs the structure has (plm_contacts_rank_known) */
      {
        g_autofree char *pdb = plm_test_write_fold (tmp, "fold300.pdb", r->sequence, 1);
        PlmContactsView *view = PLM_CONTACTS_VIEW (plm_ui_test_find_descendant (GTK_WIDGET (window),
                                                                                PLM_TYPE_CONTACTS_VIEW));
        g_autoptr(GError) error = NULL;
        g_autoptr(PlmStructure) st = plm_structure_read (pdb, &error);
        g_assert_no_error (error);
        g_autoptr(PlmStructureMap) map = plm_structure_map_align (st, NULL, r->sequence, L, FALSE, &error);
        g_assert_no_error (error);
        g_autofree guint8 *truth = plm_contacts_from_structure (st, map);
        g_autofree float *dense = g_new (float, (gsize) L * L);
        g_autofree int *top = g_new (int, L / 5);
        int n, hits = 0;
        double want;

        plm_inference_result_copy_contacts (r, 0, L, 0, L, dense);
        n = plm_contacts_rank_known (dense, L, L, PLM_CONTACT_MIN_SEPARATION, L / 5, truth, top);
        want = plm_contacts_precision (top, n, truth, &hits);
        g_assert_true (plm_contacts_view_load_structure (view, pdb, &error));
        g_assert_no_error (error);
        plm_ui_test_spin (300);
        g_test_message ("precision at L/5 with a structure: %.3f (%d of %d), the view's %.3f",
                        want, hits, n, plm_contacts_view_get_precision (view));
        g_assert_cmpint (n, ==, L / 5);
        g_assert_cmpfloat (plm_contacts_view_get_precision (view), ==, want);
        {
          g_autofree char *inside = plm_views_hover_readout (heatmap, 150, 100);
          g_autofree char *w2_text = g_strdup_printf (g_dgettext (GETTEXT_PACKAGE, "window %d · residues %d–%d"),
                                                      2, 96, 221);

          /* the distance, read from the structure on hover */
          g_test_message ("readout with a structure: '%s'", inside);
          g_assert_nonnull (strstr (inside, "Å"));
          g_assert_nonnull (strstr (inside, w2_text));
        }
        shoot (GTK_WIDGET (window), "contacts-structure");

        /* the Structure view's contact links, from the band: the dense map's top L/5 (ranked
         * over every pair), counted in and out of contact by the structure */
        {
          PlmStructureView *sv = PLM_STRUCTURE_VIEW (plm_ui_test_find_descendant (GTK_WIDGET (window),
                                                                                  PLM_TYPE_STRUCTURE_VIEW));
          int n_all = plm_contacts_rank (dense, L, L, PLM_CONTACT_MIN_SEPARATION, L / 5, top), yes = 0, no = 0;
          g_autofree char *markup = NULL;
          g_autofree char *plain = NULL;

          for (int t = 0; t < n_all; t++)
            {
              yes += truth[top[t]] == 1;
              no += truth[top[t]] == 0;
            }
          markup = g_strdup_printf (g_dgettext (GETTEXT_PACKAGE, "Links: the top L/5 predicted contacts, <span foreground=\"#2ca02c\">in contact</span> (%d) or <span foreground=\"#d62728\">not</span> (%d) in the structure."),
                                    yes, no);
          g_assert_true (pango_parse_markup (markup, -1, 0, NULL, &plain, NULL, NULL));
          plm_window_set_view (window, "structure");
          plm_structure_view_set_coloring (sv, PLM_STRUCTURE_COLOR_CONTACTS);
          plm_ui_test_spin (500);
          g_test_message ("structure view, contacts: %d in contact, %d not: '%s'", yes, no, plain);
          g_assert_nonnull (plm_ui_test_find_label (GTK_WIDGET (sv), plain, TRUE));
          shoot (GTK_WIDGET (window), "structure-contacts");
          plm_window_set_view (window, "contacts");
        }
      }
    }
  plm_window_set_view (window, "overview");
  plm_ui_test_spin (300);
  shoot (GTK_WIDGET (window), "overview");
  plm_window_set_view (window, "ha-sites");
  plm_ui_test_spin (300);
  shoot (GTK_WIDGET (window), "ha");

  gtk_window_destroy (GTK_WINDOW (window));
  plm_test_rm_rf (tmp);
}

/* @field ("VmHWM:", "VmRSS:") of /proc/self/status in kB */
static long
vm_kb (const char *field)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL) || !(line = strstr (status, field)))
    return -1;
  return strtol (line + strlen (field), NULL, 10);
}

static long
vm_hwm_kb (void)
{
  return vm_kb ("VmHWM:");
}

static gboolean
is_pooled (gpointer heatmap)
{
  return plm_heatmap_view_get_pooled (heatmap);
}

typedef struct
{
  PlmHeatmapView     *heatmap;
  PlmInferenceResult *r;
} PooledWait;

/* The heatmap shows map (2, 5), pooled: its values are the store's (a diagonal pair, which
 * every window computes, and differs between maps). */
static gboolean
pooled_map_shown (gpointer data)
{
  PooledWait *w = data;
  int mid = w->r->n_tokens / 2;

  return plm_heatmap_view_get_pooled (w->heatmap) &&
         plm_heatmap_view_get_value (w->heatmap, mid, mid) == plm_attention_store_get (w->r->attention, 2, 5, mid, mid);
}

static void
test_windowed_long_8m (void)
{
  const char *length_env = g_getenv ("PLM_TEST_LONG_RESIDUES");
  int length = length_env ? atoi (length_env) : 5000;
  g_autofree char *fasta = plm_uiw_synthetic_fasta (length);
  PlmWindow *window = plm_uiw_new_window ();
  PlmInferenceResult *r;
  long before, after;

  const char *size_env = g_getenv ("PLM_TEST_WINDOW_SIZE");   /* "800x600" */
  int width = 1600, height = 1000;

  if (size_env != NULL)
    sscanf (size_env, "%dx%d", &width, &height);
  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  plm_uiw_load_model (window, plm_uiw_model_8m);
  g_assert_true (plm_window_add_text (window, fasta, "synthetic", NULL));
  plm_ui_test_spin (200);
  before = vm_hwm_kb ();
  plm_window_run_windowed (window);
  g_assert_true (plm_ui_test_wait_until (plm_uiw_page_is_results, window, 600000));
  r = plm_window_get_result (window);
  g_assert_cmpint (r->n_residues, ==, length);
  g_test_message ("%d windows of %d; attention store %.2f GB (one L × L store would take %.2f GB)",
                  plm_inference_result_get_plan (r)->n_windows, plm_inference_result_get_plan (r)->size,
                  plm_attention_store_get_bytes (r->attention) / 1e9,
                  plm_attention_store_estimate (r->n_layers, r->n_heads, r->n_tokens) / 1e9);
  {
    int n = MIN (r->n_tokens, PLM_HEATMAP_DISPLAY_CAP);
    g_autofree float *region = g_new (float, (gsize) n * n);
    gint64 t0 = g_get_monotonic_time ();

    /* what a zoomed-in view reads: one region of the display cap from the spill file */
    plm_attention_store_copy_region (r->attention, 2, 7, 0, n, 0, n, region);
    g_test_message ("one %d × %d region of the assembled map: %.0f ms", n, n,
                    (g_get_monotonic_time () - t0) / 1e3);
  }
  g_test_message ("after the run: peak RSS %.0f MB, RSS %.0f MB", vm_hwm_kb () / 1024.0, vm_kb ("VmRSS:") / 1024.0);
  for (const char *const *v = (const char *const[]) { "attention", "overview", "contacts", "ha-sites", NULL }; *v; v++)
    {
      g_autofree char *name = g_strdup_printf ("ui-windowed-%d-%s.png", length, *v);
      GType type = g_str_equal (*v, "attention") ? PLM_TYPE_ATTENTION_VIEW
                 : g_str_equal (*v, "overview") ? PLM_TYPE_OVERVIEW_VIEW
                 : g_str_equal (*v, "contacts") ? PLM_TYPE_CONTACTS_VIEW : G_TYPE_INVALID;

      plm_window_set_view (window, *v);
      plm_ui_test_spin (1500);
      plm_ui_test_save_screenshot (GTK_WIDGET (window), name);
      g_test_message ("%s shown: peak RSS %.0f MB, RSS %.0f MB", *v, vm_hwm_kb () / 1024.0, vm_kb ("VmRSS:") / 1024.0);
      if (type != G_TYPE_INVALID)
        {
          PlmHeatmapView *heatmap = find_heatmap (window, type);
          g_autofree char *zoomed = g_strdup_printf ("ui-windowed-%d-%s-zoomed.png", length, *v);
          graphene_rect_t b;
          int row, col;
          float value;

          /* fitted: drawn pooled; zoomed in to 4 pixels a cell: the cells at full resolution, and
           * the readout's value is the store's or the contact map's */
          g_assert_true (plm_ui_test_wait_until (is_pooled, heatmap, 20000));
          g_assert_true (plm_heatmap_view_get_map_bounds (heatmap, &b));
          plm_heatmap_view_zoom_at (heatmap, 4.0 / plm_heatmap_view_get_zoom (heatmap),
                                    b.origin.x + b.size.width / 2, b.origin.y + b.size.height / 2);
          plm_ui_test_spin (800);
          plm_ui_test_save_screenshot (GTK_WIDGET (window), zoomed);
          g_assert_false (plm_heatmap_view_get_pooled (heatmap));
          g_assert_true (plm_heatmap_view_get_map_bounds (heatmap, &b));
          g_assert_true (plm_heatmap_view_lookup (heatmap, b.origin.x + b.size.width / 3, b.origin.y + b.size.height / 3,
                                                  &row, &col, &value));
          if (type == PLM_TYPE_CONTACTS_VIEW)
            g_assert_cmpfloat (value, ==, plm_inference_result_get_contact (r, row, col));
          else if (type == PLM_TYPE_ATTENTION_VIEW)
            {
              PlmAttentionView *view = PLM_ATTENTION_VIEW (plm_ui_test_find_descendant (GTK_WIDGET (window), type));

              g_assert_cmpfloat (value, ==, plm_attention_store_get (r->attention, plm_attention_view_get_layer (view),
                                                                     plm_attention_view_get_head (view), row, col));
            }
          g_test_message ("%s zoomed in (cell %d, %d = %.4g): peak RSS %.0f MB, RSS %.0f MB", *v, row, col, value,
                          vm_hwm_kb () / 1024.0, vm_kb ("VmRSS:") / 1024.0);
          plm_heatmap_view_zoom_fit (heatmap);
        }
    }
  {
    PlmAttentionView *view;
    gint64 t0;

    plm_window_set_view (window, "attention");
    plm_ui_test_spin (300);
    view = PLM_ATTENTION_VIEW (plm_ui_test_find_descendant (GTK_WIDGET (window), PLM_TYPE_ATTENTION_VIEW));
    PooledWait wait = { PLM_HEATMAP_VIEW (plm_ui_test_find_descendant (GTK_WIDGET (view), PLM_TYPE_HEATMAP_VIEW)), r };
    g_assert_false (pooled_map_shown (&wait));
    t0 = g_get_monotonic_time ();
    /* a head step: the pooled copy is made in a thread, the main thread only asks for it */
    plm_attention_view_show (view, 2, 5);
    g_test_message ("head step to a %d × %d map: main thread busy %.0f ms", r->n_tokens, r->n_tokens,
                    (g_get_monotonic_time () - t0) / 1e3);
    g_assert_true (plm_ui_test_wait_until (pooled_map_shown, &wait, 20000));
    g_test_message ("… and on show after %.0f ms", (g_get_monotonic_time () - t0) / 1e3);
  }
  after = vm_hwm_kb ();
  g_test_message ("peak RSS (VmHWM): %.2f GB before the run, %.2f GB after every view showed it; %.1f s",
                  before / 1048576.0, after / 1048576.0, r->seconds);
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int    argc,
      char **argv)
{
  int status;

  plm_ui_test_bind_locale ();   /* the build tree's translations, for test-windowed-de */
  plm_uiw_init (&argc, &argv);
  g_test_add_func ("/ui/windowed/run", test_windowed_run);
  if (g_test_slow ())
    g_test_add_func ("/ui/windowed/long-8m", test_windowed_long_8m);
  status = g_test_run ();
  plm_uiw_finish ();
  return status;
}
