/* test-views.c: the result views (attention, overview, HA sites, contacts) on synthetic results under Xvfb. */
#include <glib/gstdio.h>
#include <gtk/gtk.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "plm-annotations.h"
#include "plm-attention-view.h"
#include "plm-contacts-view.h"
#include "plm-export-dialog.h"
#include "plm-figure-check.h"
#include "plm-ha-view.h"
#include "plm-hasites.h"
#include "plm-heatmap-thumbnail.h"
#include "plm-heatmap-view.h"
#include "plm-nm-train.h"
#include "plm-overview-view.h"
#include "plm-pair-view.h"
#include "plm-selection.h"
#include "plm-ui-test.h"


static gboolean gl_disabled;

/* Screenshots of the GL-disabled run get a "-cairo" suffix. */
static void
save_screenshot (GtkWidget  *widget,
                 const char *name)
{
  g_autofree char *file = g_strdup_printf ("%s%s.png", name, gl_disabled ? "-cairo" : "");

  plm_ui_test_save_screenshot (widget, file);
}

static GtkWindow *
new_window (GtkWidget *child,
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

/* Synthetic attention: per row a band at an offset that depends on the head, a few "hot" key
 * residues whose pull grows with depth (so HA sites converge), and a <cls> sink; rows sum to 1.
 * The fp32 maps also go through a PlmHaAccumulator, the engine's reference for the HA view. */
typedef struct {
  int    n_layers, n_heads, length;
  PlmHaResult ha;          /* from the fp32 attention */
} Synthetic;

static char *
synthetic_sequence (int length)
{
  static const char aa[] = "ACDEFGHIKLMNPQRSTVWY";
  char *s = g_new (char, length + 1);

  for (int i = 0; i < length; i++)
    s[i] = aa[(i * 7 + i / 3) % 20];
  s[length] = '\0';
  return s;
}

static PlmInferenceResult *
synthetic_result (int        n_layers,
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

  r->sequence = synthetic_sequence (length);
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
      r->thumbnail_cells = MIN (length, PLM_THUMBNAIL_CELLS);
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

/* A hairpin's contacts (see write_hairpin) predicted on the antidiagonal, after 5 decoys. */
static void
add_contacts (PlmInferenceResult *r)
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
static char *
write_hairpin (int L)
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

static void
on_exported (PlmExportDialog *dialog,
             const char      *path,
             gpointer         data)
{
  g_free (exported_path);
  exported_path = g_strdup (path);
}

typedef PlmExportDialog *(*OpenDialog) (gpointer data);

/* Opens the dialog three times (it closes after writing), once per format: 90 mm wide at
 * 150 dpi; PNG size and cells, SVG through xmllint with the title as text, the PDF rendered by
 * pdftoppm (at 600 dpi) and its cells. */
static void
export_every_format (OpenDialog     open,
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
      g_signal_connect (dialog, "exported", G_CALLBACK (on_exported), NULL);
      gtk_window_present (GTK_WINDOW (dialog));
      plm_ui_test_spin (250);
      if (fmt == PLM_FIGURE_PNG)
        {
          g_autofree char *shot = g_strdup_printf ("export-dialog-%s", name);

          save_screenshot (GTK_WIDGET (dialog), shot);
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

static PlmExportDialog *
open_attention (gpointer view)
{
  return plm_export_dialog_new (NULL, NULL, plm_attention_view_create_figure (view, "synthetic"), "attention");
}

static PlmExportDialog *
open_ha (gpointer view)
{
  return plm_export_dialog_new (NULL, NULL, plm_ha_view_create_figure (view, "synthetic"), "ha-sites");
}

static PlmExportDialog *
open_contacts (gpointer view)
{
  return plm_export_dialog_new (NULL, NULL, plm_contacts_view_create_figure (view, "synthetic"), "contacts");
}

static PlmExportDialog *
open_pair (gpointer view)
{
  return plm_export_dialog_new (NULL, NULL, plm_pair_view_create_figure (view), "pair");
}

static PlmExportDialog *
open_grid (gpointer result)
{
  PlmExportDialog *dialog = plm_export_dialog_new_grid (NULL, NULL, result, "synthetic", "grid");

  /* layers 2 and 5, heads 1 and 3 (numbered from 1) */
  plm_export_dialog_set_grid (dialog, "2,5", "1, 3");
  g_assert_null (plm_export_dialog_get_error (dialog));
  return dialog;
}

/* The overview's grid: chosen layers × heads with one colour bar; bad lists are refused. */
static void
test_export_grid (void)
{
  Synthetic syn;
  g_autoptr(PlmInferenceResult) r = synthetic_result (6, 4, 40, FALSE, &syn);
  int T = 42;
  g_autofree float *values = g_new (float, 4 * T * T);
  PlmCellRef refs[4];
  static const int layers[] = { 1, 4 }, heads[] = { 0, 2 };
  PlmExportDialog *dialog;

  for (int p = 0; p < 4; p++)
    {
      for (int i = 0; i < T; i++)
        for (int j = 0; j < T; j++)
          values[(gsize) p * T * T + i * T + j] = plm_attention_store_get (r->attention, layers[p / 2], heads[p % 2], i, j);
      refs[p] = (PlmCellRef) { p, values + (gsize) p * T * T, T, T, 1, 0 };
    }
  export_every_format (open_grid, r, "grid", refs, 4);

  /* the default grid: every layer, heads kept to about 64 panels; errors name the item */
  dialog = plm_export_dialog_new_grid (NULL, NULL, r, "synthetic", "grid");
  g_assert_null (plm_export_dialog_get_error (dialog));
  g_assert_cmpstr (plm_figure_get_text (plm_export_dialog_get_figure (dialog), PLM_FIGURE_TEXT_TITLE), ==, "synthetic");
  plm_export_dialog_set_grid (dialog, "7", "");
  g_assert_nonnull (plm_export_dialog_get_error (dialog));
  g_assert_nonnull (strstr (plm_export_dialog_get_error (dialog), "'7'"));
  g_assert_null (plm_export_dialog_get_figure (dialog));
  plm_export_dialog_set_grid (dialog, "1-6", "0");
  g_assert_nonnull (strstr (plm_export_dialog_get_error (dialog), "'0'"));
  plm_export_dialog_set_grid (dialog, "", "");
  g_assert_null (plm_export_dialog_get_error (dialog));
  g_assert_nonnull (plm_export_dialog_get_figure (dialog));
  gtk_window_destroy (GTK_WINDOW (dialog));
  plm_ha_result_clear (&syn.ha);
}

static int frames_drawn;

static void
on_frame_drawn (PlmAttentionView *view,
                gpointer          data)
{
  frames_drawn++;
}

/* Activates the shortcut for @keyval + @modifiers of @widget's GtkShortcutController the way
 * the controller would; the controller must run in the capture phase, before the focused
 * heatmap's own key handler (which pans on arrows). */
static gboolean
activate_binding (GtkWidget       *widget,
                  guint            keyval,
                  GdkModifierType  modifiers)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);

  for (guint c = 0; c < g_list_model_get_n_items (controllers); c++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, c);
      GListModel *shortcuts;

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller) ||
          gtk_event_controller_get_propagation_phase (GTK_EVENT_CONTROLLER (controller)) != GTK_PHASE_CAPTURE)
        continue;
      shortcuts = G_LIST_MODEL (controller);
      for (guint i = 0; i < g_list_model_get_n_items (shortcuts); i++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (shortcuts, i);
          GtkShortcutTrigger *trigger = gtk_shortcut_get_trigger (shortcut);

          if (GTK_IS_KEYVAL_TRIGGER (trigger) &&
              gtk_keyval_trigger_get_keyval (GTK_KEYVAL_TRIGGER (trigger)) == keyval &&
              gtk_keyval_trigger_get_modifiers (GTK_KEYVAL_TRIGGER (trigger)) == modifiers)
            return gtk_shortcut_action_activate (gtk_shortcut_get_action (shortcut), 0, widget,
                                                 gtk_shortcut_get_arguments (shortcut));
        }
    }
  return FALSE;
}

/* One map large; hovering any cell reports exactly the stored value (hit testing through the
 * widget's API at several zooms); keys step layers and heads. */
static void
test_attention (void)
{
  Synthetic syn;
  g_autoptr(PlmInferenceResult) r = synthetic_result (6, 8, 150, FALSE, &syn);
  g_autoptr(PlmSelection) selection = plm_selection_new ();
  GtkWidget *view = plm_attention_view_new ();
  GtkWindow *window = new_window (view, 1100, 800);
  PlmHeatmapView *heatmap = PLM_HEATMAP_VIEW (plm_attention_view_get_heatmap (PLM_ATTENTION_VIEW (view)));
  int checked = 0;

  plm_attention_view_set_selection (PLM_ATTENTION_VIEW (view), selection);
  g_signal_connect (view, "frame-drawn", G_CALLBACK (on_frame_drawn), NULL);
  frames_drawn = 0;
  plm_attention_view_set_result (PLM_ATTENTION_VIEW (view), r);
  plm_attention_view_show (PLM_ATTENTION_VIEW (view), 4, 2);
  plm_ui_test_spin (400);
  g_assert_cmpint (frames_drawn, >, 0);
  g_test_message ("renderer: %s", plm_heatmap_view_get_active_renderer (heatmap) == PLM_HEATMAP_RENDERER_GL ? "GL" : "cairo");
  if (gl_disabled)
    g_assert_cmpint (plm_heatmap_view_get_active_renderer (heatmap), ==, PLM_HEATMAP_RENDERER_CAIRO);
  save_screenshot (GTK_WIDGET (window), "views-attention");

  for (int zoom_step = 0; zoom_step < 3; zoom_step++)
    {
      for (int row = 1; row <= 150; row += 13)
        for (int col = 1; col <= 150; col += 17)
          {
            double x, y;
            int got_row = -1, got_col = -1;
            float value = NAN;

            if (!plm_heatmap_view_get_cell_center (heatmap, row, col, &x, &y))
              continue;
            g_assert_true (plm_heatmap_view_lookup (heatmap, x, y, &got_row, &got_col, &value));
            g_assert_cmpint (got_row, ==, row);
            g_assert_cmpint (got_col, ==, col);
            /* the engine's (stored fp16) value, bit for bit */
            g_assert_cmpfloat (value, ==, plm_attention_store_get (r->attention, 4, 2, row, col));
            checked++;
          }
      plm_heatmap_view_zoom_at (heatmap, 2.5, 300, 250);
      plm_ui_test_spin (50);
    }
  g_test_message ("hover values checked against the store: %d cells", checked);
  g_assert_cmpint (checked, >, 60);

  /* Page Down/Up: layers; Alt+Right/Left: mean, head 1, …; clamped at the ends */
  g_assert_true (activate_binding (view, GDK_KEY_Page_Down, 0));
  g_assert_cmpint (plm_attention_view_get_layer (PLM_ATTENTION_VIEW (view)), ==, 5);
  g_assert_true (activate_binding (view, GDK_KEY_Page_Down, 0));
  g_assert_cmpint (plm_attention_view_get_layer (PLM_ATTENTION_VIEW (view)), ==, 5);
  g_assert_true (activate_binding (view, GDK_KEY_Page_Up, 0));
  g_assert_cmpint (plm_attention_view_get_layer (PLM_ATTENTION_VIEW (view)), ==, 4);
  g_assert_true (activate_binding (view, GDK_KEY_Left, GDK_ALT_MASK));
  g_assert_cmpint (plm_attention_view_get_head (PLM_ATTENTION_VIEW (view)), ==, 1);
  for (int i = 0; i < 4; i++)
    g_assert_true (activate_binding (view, GDK_KEY_Left, GDK_ALT_MASK));
  g_assert_cmpint (plm_attention_view_get_head (PLM_ATTENTION_VIEW (view)), ==, -1);
  g_assert_true (activate_binding (view, GDK_KEY_Right, GDK_ALT_MASK));
  g_assert_cmpint (plm_attention_view_get_head (PLM_ATTENTION_VIEW (view)), ==, 0);

  /* the head mean is shown as stored */
  plm_attention_view_show (PLM_ATTENTION_VIEW (view), 0, -1);
  plm_ui_test_spin (100);
  {
    int rows, cols;
    const float *data = plm_heatmap_view_get_data (heatmap, &rows, &cols);

    g_assert_cmpint (rows, ==, 152);
    g_assert_cmpfloat (data[5 * 152 + 9], ==, plm_attention_store_get (r->attention, 0, -1, 5, 9));
  }
  {
    g_autofree float *ref_values = g_new (float, 152 * 152);
    PlmCellRef ref = { 0, ref_values, 152, 152, 1, 0 };
    PlmFigure *figure;

    plm_attention_view_show (PLM_ATTENTION_VIEW (view), 4, 2);
    figure = plm_attention_view_create_figure (PLM_ATTENTION_VIEW (view), "synthetic");
    for (int i = 0; i < 152; i++)
      for (int j = 0; j < 152; j++)
        ref_values[i * 152 + j] = plm_attention_store_get (r->attention, 4, 2, i, j);
    /* figures number layers and heads from 1, as the view does */
    g_assert_cmpstr (plm_figure_get_text (figure, PLM_FIGURE_TEXT_TITLE), ==, "synthetic · layer 5 · head 3");
    plm_figure_free (figure);
    export_every_format (open_attention, view, "attention", &ref, 1);
  }
  gtk_window_destroy (window);
  plm_ha_result_clear (&syn.ha);
}

static int open_layer = -2, open_head = -2;

static void
on_open_map (PlmOverviewView *view,
             int              layer,
             int              head,
             gpointer         data)
{
  open_layer = layer;
  open_head = head;
}

static gint64 painted_at, painted_cpu;

static void
on_after_paint (GdkFrameClock *clock,
                gpointer       data)
{
  if (painted_at == 0)
    {
      painted_at = g_get_monotonic_time ();
      painted_cpu = plm_ui_test_thread_cpu_us ();
    }
}

/* 650M's shape (33 × 20) at L = 1,000: time from handing over the result to the first painted
 * frame; pooled thumbnails equal the widget library's max-pooling; a click opens the map. */
static void
test_overview (void)
{
  Synthetic syn;
  g_autoptr(PlmInferenceResult) r = NULL;
  GtkWidget *view = plm_overview_view_new ();
  GtkWindow *window = new_window (view, 1400, 900);
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));
  gulong handler;
  gint64 start, start_cpu;
  double ms;

  r = synthetic_result (33, 20, 1000, TRUE, &syn);
  g_signal_connect (view, "open-map", G_CALLBACK (on_open_map), NULL);

  /* twice: thumbnails pooled by the worker (the app's path), then pooled on opening */
  for (int pass = 0; pass < 2; pass++)
    {
      if (pass == 1)
        {
          g_clear_pointer (&r->thumbnails, g_free);
          plm_overview_view_set_result (PLM_OVERVIEW_VIEW (view), NULL);
          plm_ui_test_spin (200);
        }
      painted_at = 0;
      handler = g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint), NULL);
      start = g_get_monotonic_time ();
      start_cpu = plm_ui_test_thread_cpu_us ();
      plm_overview_view_set_result (PLM_OVERVIEW_VIEW (view), r);
      g_test_message ("overview: thumbnails and widgets %.0f ms", (g_get_monotonic_time () - start) / 1000.0);
      while (painted_at == 0 && g_get_monotonic_time () - start < 20 * G_USEC_PER_SEC)
        g_main_context_iteration (NULL, TRUE);
      g_signal_handler_disconnect (clock, handler);
      g_assert_cmpint (painted_at, >, 0);
      ms = (painted_at - start) / 1000.0;
      g_test_message ("overview of %d thumbnails (33 × 20 + 33 means) at L = 1000, %s: first frame after %.0f ms "
                      "wall, %.0f ms main-thread CPU", 33 * 21,
                      pass == 0 ? "pooled by the worker" : "pooled on opening", ms, (painted_cpu - start_cpu) / 1000.0);
      while (!plm_overview_view_get_complete (PLM_OVERVIEW_VIEW (view)) &&
             g_get_monotonic_time () - start < 30 * G_USEC_PER_SEC)
        g_main_context_iteration (NULL, TRUE);
      g_assert_true (plm_overview_view_get_complete (PLM_OVERVIEW_VIEW (view)));
      g_test_message ("overview: all rows built after %.0f ms wall, %.0f ms main-thread CPU",
                      (g_get_monotonic_time () - start) / 1000.0, (plm_ui_test_thread_cpu_us () - start_cpu) / 1000.0);
      plm_ui_test_spin (300);
    }
  save_screenshot (GTK_WIDGET (window), "views-overview");

  /* the fp16 integer max-pool equals plm_heatmap_pool_max on the decoded residue block */
  {
    const int cases[][2] = { { 0, -1 }, { 7, 3 }, { 32, 19 } };
    g_autofree float *full = g_new (float, (gsize) 1002 * 1002);
    g_autofree float *block = g_new (float, (gsize) 1000 * 1000);

    for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
      {
        g_autofree float *ours = NULL, *ref = NULL;
        int rows, cols, ref_rows, ref_cols;

        plm_attention_store_copy_map (r->attention, cases[c][0], cases[c][1], full);
        for (int i = 0; i < 1000; i++)
          memcpy (block + (gsize) i * 1000, full + (gsize) (i + 1) * 1002 + 1, 1000 * sizeof (float));
        ours = plm_attention_store_pool_max (r->attention, cases[c][0], cases[c][1],
                                             PLM_HEATMAP_THUMBNAIL_CELLS, &rows, &cols);
        ref = plm_heatmap_pool_max (block, 1000, 1000, PLM_HEATMAP_THUMBNAIL_CELLS, &ref_rows, &ref_cols);
        g_assert_cmpint (rows, ==, ref_rows);
        g_assert_cmpint (cols, ==, ref_cols);
        for (int i = 0; i < rows * cols; i++)
          g_assert_cmpfloat (ours[i], ==, ref[i]);
      }
  }

  /* every map has a focusable, named button; clicking one asks to open it */
  for (int l = 0; l < 33; l++)
    for (int h = -1; h < 20; h++)
      {
        GtkWidget *button = plm_overview_view_get_button (PLM_OVERVIEW_VIEW (view), l, h);
        g_assert_nonnull (button);
        g_assert_true (gtk_widget_get_focusable (button));
      }
  g_signal_emit_by_name (plm_overview_view_get_button (PLM_OVERVIEW_VIEW (view), 12, 7), "clicked");
  g_assert_cmpint (open_layer, ==, 12);
  g_assert_cmpint (open_head, ==, 7);
  g_signal_emit_by_name (plm_overview_view_get_button (PLM_OVERVIEW_VIEW (view), 3, -1), "clicked");
  g_assert_cmpint (open_layer, ==, 3);
  g_assert_cmpint (open_head, ==, -1);

  /* the preview shows the hovered map */
  plm_overview_view_preview (PLM_OVERVIEW_VIEW (view), 20, 5);
  plm_ui_test_spin (200);
  {
    int rows, cols;
    const float *data = plm_heatmap_view_get_data (PLM_HEATMAP_VIEW (plm_overview_view_get_preview (PLM_OVERVIEW_VIEW (view))),
                                                   &rows, &cols);
    g_assert_cmpint (rows, ==, 1002);
    g_assert_cmpfloat (data[40 * 1002 + 600], ==, plm_attention_store_get (r->attention, 20, 5, 40, 600));
  }
  save_screenshot (GTK_WIDGET (window), "views-overview-preview");
  gtk_window_destroy (window);
  g_clear_pointer (&r, plm_inference_result_unref);
  plm_ha_result_clear (&syn.ha);
  plm_ui_test_spin (100);
}

static char *
write_text (const char *name,
            const char *text)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (g_get_tmp_dir (), name, NULL);

  g_assert_true (g_file_set_contents (path, text, -1, &error));
  g_assert_no_error (error);
  return path;
}

/* The HA view equals the engine's accumulator fed with fp32 attention: exactly when the worker
 * filled ha_profiles, and the same layer of convergence from the fp16 store otherwise. */
static void
test_ha_sites (void)
{
  Synthetic syn, syn16;
  g_autoptr(PlmInferenceResult) r = synthetic_result (12, 6, 160, TRUE, &syn);
  g_autoptr(PlmInferenceResult) r16 = synthetic_result (12, 6, 160, FALSE, &syn16);
  g_autoptr(GError) error = NULL;
  GtkWidget *view = plm_ha_view_new ();
  GtkWindow *window = new_window (view, 1200, 860);
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
  gff = write_text ("plm-test.gff3",
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
    g_autofree char *line = g_strdup_printf ("\n%c%d · Active sites %d · Binding sites %d · Domains %d\n",
                                             r->sequence[site], site + 1, d_active, d_binding, d_domain);

    g_test_message ("first HA site line: %s", line + 1);
    g_assert_nonnull (strstr (plm_ha_view_get_distances (PLM_HA_VIEW (view)), line));
  }
  plm_ha_view_set_layer (PLM_HA_VIEW (view), 2);
  plm_ui_test_spin (400);
  save_screenshot (GTK_WIDGET (window), "views-ha-sites-layer3");
  plm_ha_view_set_layer (PLM_HA_VIEW (view), ha->loc);
  plm_ui_test_spin (300);
  save_screenshot (GTK_WIDGET (window), "views-ha-sites");

  /* the active-site TSV (1-based) and errors that name the file and line */
  tsv = write_text ("plm-test-active.tsv", "uniprot_acc\tactive_site_positions\nP00001\t30,45\nQ11111\t3\n");
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
  bad = write_text ("plm-test-bad.gff3", "##gff-version 3\nP00001\tUniProtKB\tActive site\t30\n");
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
    export_every_format (open_ha, view, "ha-sites", &ref, 1);
  }
  gtk_window_destroy (window);
  plm_ha_result_clear (&syn.ha);
  plm_ha_result_clear (&syn16.ha);
}

/* Top L/5 against a hairpin: 5 decoys above 15 true antidiagonal contacts → precision 0.75. */
static void
test_contacts (void)
{
  Synthetic syn;
  g_autoptr(PlmInferenceResult) r = synthetic_result (2, 2, 100, FALSE, &syn);
  g_autoptr(GError) error = NULL;
  g_autofree char *pdb = write_hairpin (100);
  GtkWidget *view = plm_contacts_view_new ();
  GtkWindow *window = new_window (view, 1000, 860);
  int top[20];

  memset (r->sequence, 'G', 100);
  add_contacts (r);
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
    int rows, cols;
    const float *data = plm_heatmap_view_get_data (PLM_HEATMAP_VIEW (plm_contacts_view_get_heatmap (PLM_CONTACTS_VIEW (view))),
                                                   &rows, &cols);
    g_assert_cmpint (rows, ==, 100);
    g_assert_cmpfloat (data[0 * 100 + 99], ==, r->contacts[99]);   /* upper: probability */
    g_assert_cmpfloat (data[99 * 100 + 0], ==, 1.0f);              /* lower: top-5 and true */
    g_assert_cmpfloat (data[10 * 100 + 0], ==, 0.6f);              /* decoy (0, 10): false */
    /* (40, 59) is a true contact beyond the top L/5 */
    g_assert_cmpfloat (data[59 * 100 + 40], ==, 0.3f);
  }
  plm_ui_test_spin (300);
  save_screenshot (GTK_WIDGET (window), "views-contacts");
  plm_contacts_view_set_top (PLM_CONTACTS_VIEW (view), 1);
  plm_ui_test_spin (300);
  save_screenshot (GTK_WIDGET (window), "views-contacts-top-l");
  g_unlink (pdb);
  {
    PlmCellRef ref = { 0, r->contacts, 100, 100, 0, PLM_CONTACT_MIN_SEPARATION };
    PlmFigure *figure = plm_contacts_view_create_figure (PLM_CONTACTS_VIEW (view), "synthetic");

    /* the loaded structure goes into the figure: its precision is the view's */
    g_assert_cmpfloat (fabs (plm_figure_contact_precision (figure) - 0.75), <, 1e-12);
    g_assert_cmpstr (plm_figure_get_text (figure, PLM_FIGURE_TEXT_TITLE), ==, "synthetic · predicted contacts");
    plm_figure_free (figure);
    export_every_format (open_contacts, view, "contacts", &ref, 1);
  }
  gtk_window_destroy (window);
  plm_ha_result_clear (&syn.ha);
}

static void
move_pointer (GtkWidget *heatmap,
              double     x,
              double     y)
{
  GListModel *controllers = gtk_widget_observe_controllers (heatmap);
  gboolean found = FALSE;

  for (guint i = 0; i < g_list_model_get_n_items (controllers) && !found; i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);
      if (GTK_IS_EVENT_CONTROLLER_MOTION (controller))
        {
          g_signal_emit_by_name (controller, "motion", x, y);
          found = TRUE;
        }
    }
  g_object_unref (controllers);
  g_assert_true (found);
}

/* A residue hovered in one view is highlighted in the others (pointer motion through the
 * heatmaps' own controllers). */
static void
test_linked_selection (void)
{
  Synthetic syn;
  g_autoptr(PlmInferenceResult) r = synthetic_result (4, 4, 80, TRUE, &syn);
  g_autoptr(PlmSelection) selection = plm_selection_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  GtkWidget *attention = plm_attention_view_new ();
  GtkWidget *contacts = plm_contacts_view_new ();
  GtkWidget *ha = plm_ha_view_new ();
  GtkWindow *window;
  GtkWidget *heatmap;
  double x, y;

  add_contacts (r);
  gtk_widget_set_size_request (attention, 500, -1);
  gtk_widget_set_size_request (contacts, 500, -1);
  gtk_widget_set_size_request (ha, 600, -1);
  gtk_box_append (GTK_BOX (box), attention);
  gtk_box_append (GTK_BOX (box), contacts);
  gtk_box_append (GTK_BOX (box), ha);
  window = new_window (box, 1600, 800);
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
  move_pointer (heatmap, x, y);
  g_assert_cmpint (plm_selection_get_residue (selection), ==, 30);
  g_assert_cmpint (plm_contacts_view_get_highlighted (PLM_CONTACTS_VIEW (contacts)), ==, 30);
  g_assert_cmpint (plm_ha_view_get_highlighted (PLM_HA_VIEW (ha)), ==, 30);

  /* contacts row 55 = residue 55 */
  heatmap = plm_contacts_view_get_heatmap (PLM_CONTACTS_VIEW (contacts));
  g_assert_true (plm_heatmap_view_get_cell_center (PLM_HEATMAP_VIEW (heatmap), 55, 20, &x, &y));
  move_pointer (heatmap, x, y);
  g_assert_cmpint (plm_attention_view_get_highlighted (PLM_ATTENTION_VIEW (attention)), ==, 55);
  g_assert_cmpint (plm_ha_view_get_highlighted (PLM_HA_VIEW (ha)), ==, 55);

  /* HA column 12 = residue 12 */
  heatmap = plm_ha_view_get_heatmap (PLM_HA_VIEW (ha));
  g_assert_true (plm_heatmap_view_get_cell_center (PLM_HEATMAP_VIEW (heatmap), 1, 12, &x, &y));
  move_pointer (heatmap, x, y);
  g_assert_cmpint (plm_attention_view_get_highlighted (PLM_ATTENTION_VIEW (attention)), ==, 12);
  g_assert_cmpint (plm_contacts_view_get_highlighted (PLM_CONTACTS_VIEW (contacts)), ==, 12);
  plm_ui_test_spin (300);
  save_screenshot (GTK_WIDGET (window), "views-linked");
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

  window = new_window (view, 1300, 760);
  plm_pair_view_set_worker (PLM_PAIR_VIEW (view), worker);
  g_assert_true (plm_pair_view_load_head (PLM_PAIR_VIEW (view), head_path, &error));
  g_assert_no_error (error);
  plm_pair_view_set_chains (PLM_PAIR_VIEW (view), 0, chains[0], chains[1]);
  plm_pair_view_set_chains (PLM_PAIR_VIEW (view), 1, chains[2], chains[3]);
  g_signal_connect (view, "computed", G_CALLBACK (on_pair_computed), NULL);
  plm_pair_view_compute (PLM_PAIR_VIEW (view));
  end = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  while (!pair_computed && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (pair_computed);

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
  save_screenshot (GTK_WIDGET (window), "views-pair");
  g_unlink (head_path);
  {
    int rows0, cols0, rows1, cols1;
    PlmCellRef refs[2] = {
      { 0, plm_pair_view_get_matrix (PLM_PAIR_VIEW (view), 0, &rows0, &cols0), 0, 0, 0, 0 },
      { 1, plm_pair_view_get_matrix (PLM_PAIR_VIEW (view), 1, &rows1, &cols1), 0, 0, 0, 0 },
    };

    refs[0].rows = rows0, refs[0].cols = cols0, refs[1].rows = rows1, refs[1].cols = cols1;
    export_every_format (open_pair, view, "pair", refs, 2);
  }
  gtk_window_destroy (window);
}

int
main (int   argc,
      char *argv[])
{
  const char *debug = g_getenv ("GDK_DEBUG");

  g_test_init (&argc, &argv, NULL);
  gl_disabled = debug != NULL && strstr (debug, "gl-disable") != NULL;
  plm_ui_test_require_display ();

  g_test_add_func ("/views/attention", test_attention);
  g_test_add_func ("/views/overview", test_overview);
  g_test_add_func ("/views/ha-sites", test_ha_sites);
  g_test_add_func ("/views/contacts", test_contacts);
  g_test_add_func ("/views/linked-selection", test_linked_selection);
  g_test_add_func ("/views/pair", test_pair);
  g_test_add_func ("/views/export-grid", test_export_grid);
  return g_test_run ();
}
