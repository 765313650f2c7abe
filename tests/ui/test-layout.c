/* test-layout.c: the layout at four window sizes, in the language of $LANGUAGE (meson runs it
 * twice, as test-layout in English and test-layout-de in German). The eight "views" are the seven
 * result views of the main window (Attention, Overview, HA Sites, Contacts, Pair, Mutations,
 * Structure, with a two-chain helix structure of the record loaded) with a real result of the 8M checkpoint,
 * and the fine-tuning window. For each size and view it saves
 * layout-<lang>-<w>x<h>-<view>.png in $PLM_SCREENSHOT_DIR and checks that
 * - the window is the size asked for (its minimum size fits),
 * - every button, menu button, drop-down and spin button on show lies inside the window and
 *   inside every ancestor that clips it (scrolled windows only clip along the axes they do not
 *   scroll),
 * - no label is ellipsised unless it carries the CSS class "plm-may-ellipsize", and no label is
 *   broken inside a word,
 * - every heatmap on show is at least MIN_MAP pixels in both directions,
 * - in the Overview, at 1,280 × 800 every head of the first layer (20 heads and 6 layers of the
 *   8M model) lies within the scroller's visible area, and at every size the layer numbers stay
 *   beside their rows after scrolling sideways to the end. */
#include <glib/gi18n.h>
#include <locale.h>

#include "plm-fasta.h"
#include "plm-ha-view.h"
#include "plm-overview-view.h"
#include "plm-structure-bar.h"
#include "plm-structure-view.h"
#include "plm-test-util.h"
#include "plm-training-window.h"
#include "plm-ui-window.h"

#define MIN_MAP 200

static const struct { int w, h; } sizes[] = { { 800, 600 }, { 1024, 768 }, { 1280, 800 }, { 1920, 1080 } };
static const char *const views[] = { "attention", "overview", "ha-sites", "contacts", "pair", "mutations", "structure" };

static const char *
language (void)
{
  const char *lang = g_getenv ("LANGUAGE");

  return lang != NULL && g_str_has_prefix (lang, "de") ? "de" : "en";
}

typedef struct
{
  GtkWidget *window;
  GString   *problems;
  int        n_controls;
  int        n_labels;
  int        n_maps;
} Check;

static gboolean
may_ellipsize (GtkWidget *widget)
{
  for (; widget != NULL; widget = gtk_widget_get_parent (widget))
    if (gtk_widget_has_css_class (widget, "plm-may-ellipsize"))
      return TRUE;
  return FALSE;
}

static const char *
describe (GtkWidget *widget)
{
  static char buffer[256];
  const char *text = NULL;

  if (GTK_IS_BUTTON (widget))
    text = gtk_button_get_label (GTK_BUTTON (widget));
  if (text == NULL)
    text = gtk_widget_get_tooltip_text (widget);
  if (text == NULL && GTK_IS_LABEL (widget))
    text = gtk_label_get_text (GTK_LABEL (widget));
  g_snprintf (buffer, sizeof buffer, "%s “%s”", G_OBJECT_TYPE_NAME (widget), text ? text : "");
  return buffer;
}

/* Whether @widget lies inside the window and inside every ancestor that clips it. Along an
 * axis an ancestor scrolls, only the part it shows is kept (nothing shown: reachable by
 * scrolling, fine). */
static void
check_inside (Check     *c,
              GtkWidget *widget)
{
  graphene_rect_t b, a;
  double x0, y0, x1, y1;

  if (!gtk_widget_compute_bounds (widget, c->window, &b))
    return;
  x0 = b.origin.x, y0 = b.origin.y, x1 = x0 + b.size.width, y1 = y0 + b.size.height;
  c->n_controls++;
  for (GtkWidget *p = gtk_widget_get_parent (widget); p != NULL && p != c->window; p = gtk_widget_get_parent (p))
    {
      gboolean scroll_x = FALSE, scroll_y = FALSE;
      double ax0, ay0, ax1, ay1;

      if (!gtk_widget_compute_bounds (p, c->window, &a))
        continue;
      ax0 = a.origin.x, ay0 = a.origin.y, ax1 = ax0 + a.size.width, ay1 = ay0 + a.size.height;
      if (GTK_IS_SCROLLED_WINDOW (p))
        {
          GtkPolicyType hp, vp;

          gtk_scrolled_window_get_policy (GTK_SCROLLED_WINDOW (p), &hp, &vp);
          scroll_x = hp != GTK_POLICY_NEVER;
          scroll_y = vp != GTK_POLICY_NEVER;
        }
      /* their children are allocated at the scrolled size; the scrolled window above clips */
      if (GTK_IS_VIEWPORT (p) || GTK_IS_SCROLLABLE (p))
        continue;
      if (scroll_x)
        x0 = MAX (x0, ax0), x1 = MIN (x1, ax1);
      if (scroll_y)
        y0 = MAX (y0, ay0), y1 = MIN (y1, ay1);
      if (x1 <= x0 || y1 <= y0)
        return;
      if (x0 < ax0 - 0.5 || x1 > ax1 + 0.5 || y0 < ay0 - 0.5 || y1 > ay1 + 0.5)
        {
          g_string_append_printf (c->problems, "  %s at %.0f,%.0f–%.0f,%.0f is cut off by %s at %.0f,%.0f–%.0f,%.0f\n",
                                  describe (widget), x0, y0, x1, y1, G_OBJECT_TYPE_NAME (p), ax0, ay0, ax1, ay1);
          return;
        }
    }
  if (x0 < -0.5 || y0 < -0.5 || x1 > gtk_widget_get_width (c->window) + 0.5 || y1 > gtk_widget_get_height (c->window) + 0.5)
    g_string_append_printf (c->problems, "  %s at %.0f,%.0f–%.0f,%.0f is outside the window\n", describe (widget), x0, y0, x1, y1);
}

static void
check_label (Check    *c,
             GtkLabel *label)
{
  PangoLayout *layout = gtk_label_get_layout (label);
  const char *text = pango_layout_get_text (layout);
  const PangoLogAttr *attrs;
  int n_attrs;

  c->n_labels++;
  if (pango_layout_is_ellipsized (layout) && !may_ellipsize (GTK_WIDGET (label)))
    g_string_append_printf (c->problems, "  %s is ellipsised\n", describe (GTK_WIDGET (label)));
  /* a line that starts where the text cannot be broken between words: a word was split */
  attrs = pango_layout_get_log_attrs_readonly (layout, &n_attrs);
  for (GSList *l = pango_layout_get_lines_readonly (layout); l != NULL; l = l->next)
    {
      PangoLayoutLine *line = l->data;
      long offset = g_utf8_pointer_to_offset (text, text + line->start_index);

      if (line->start_index > 0 && offset < n_attrs && !attrs[offset].is_line_break &&
          !g_unichar_isspace (g_utf8_get_char (g_utf8_prev_char (text + line->start_index))) &&
          text[line->start_index - 1] != '\n' && text[line->start_index - 1] != '/')
        {
          g_string_append_printf (c->problems, "  %s is broken inside a word\n", describe (GTK_WIDGET (label)));
          break;
        }
    }
}

static void
check_tree (Check     *c,
            GtkWidget *widget)
{
  if (!gtk_widget_is_drawable (widget) || gtk_widget_get_native (widget) != GTK_NATIVE (c->window))
    return;
  if (GTK_IS_BUTTON (widget) || GTK_IS_MENU_BUTTON (widget) || GTK_IS_DROP_DOWN (widget) || GTK_IS_SPIN_BUTTON (widget))
    check_inside (c, widget);
  if (GTK_IS_LABEL (widget))
    check_label (c, GTK_LABEL (widget));
  if (g_str_equal (G_OBJECT_TYPE_NAME (widget), "PlmHeatmapView"))
    {
      c->n_maps++;
      if (gtk_widget_get_width (widget) < MIN_MAP || gtk_widget_get_height (widget) < MIN_MAP)
        g_string_append_printf (c->problems, "  a heatmap is only %d × %d\n", gtk_widget_get_width (widget), gtk_widget_get_height (widget));
      check_inside (c, widget);
      c->n_controls--;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    check_tree (c, child);
}

typedef struct { GtkWidget *window; int w, h; } Size;

/* The size of the window's surface (its allocation leaves out the frame GTK draws around it). */
static gboolean
has_size (gpointer data)
{
  Size *s = data;
  GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (s->window));

  return gdk_surface_get_width (surface) == s->w && gdk_surface_get_height (surface) == s->h;
}

static gboolean
count_tick (GtkWidget     *widget,
            GdkFrameClock *clock,
            gpointer       data)
{
  ++*(int *) data;
  return G_SOURCE_CONTINUE;
}

static gboolean
ticked_three (gpointer data)
{
  return *(int *) data >= 3;
}

/* Lets @window lay itself out: three frames, however long a loaded machine takes for them. */
static void
settle (GtkWidget *window)
{
  int ticks = 0;
  guint id = gtk_widget_add_tick_callback (window, count_tick, &ticks, NULL);

  plm_ui_test_spin (100);
  g_assert_true (plm_ui_test_wait_until (ticked_three, &ticks, 30000));
  gtk_widget_remove_tick_callback (window, id);
}

/* Resizes @window to @w × @h (as far as its minimum size lets it) and lets it settle. */
static void
resize (GtkWidget *window,
        int        w,
        int        h)
{
  Size s = { window, w, h };

  gtk_window_set_default_size (GTK_WINDOW (window), w, h);
  plm_ui_test_wait_until (has_size, &s, 3000);
  settle (window);
}

/* Screenshot and checks of what @window shows; the problems are collected in @problems. */
static void
check_window (GtkWidget  *window,
              int         w,
              int         h,
              const char *view,
              GString    *problems)
{
  g_autofree char *name = g_strdup_printf ("layout-%s-%dx%d-%s.png", language (), w, h, view);
  Check c = { window, g_string_new (NULL), 0, 0, 0 };
  Size s = { window, w, h };
  GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (window));

  plm_ui_test_save_screenshot (window, name);
  if (!has_size (&s))
    g_string_append_printf (c.problems, "  the window is %d × %d: its minimum size is larger\n",
                            gdk_surface_get_width (surface), gdk_surface_get_height (surface));
  check_tree (&c, window);
  g_test_message ("%s: %d controls, %d labels, %d heatmaps checked", name, c.n_controls, c.n_labels, c.n_maps);
  g_assert_cmpint (c.n_controls, >, 0);
  if (c.problems->len > 0)
    g_string_append_printf (problems, "%s:\n%s", name, c.problems->str);
  g_string_free (c.problems, TRUE);
}

static GtkWidget *
find_type (GtkWidget *widget,
           GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_type (child, type);
      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The Overview's thumbnails fit across when the window allows it, and the layer numbers are
 * not scrolled away sideways. */
static void
check_overview (GtkWidget *window,
                int        w,
                int        h,
                GString   *problems)
{
  PlmOverviewView *view = PLM_OVERVIEW_VIEW (find_type (window, PLM_TYPE_OVERVIEW_VIEW));
  GtkWidget *scroller = plm_overview_view_get_scroller (view);
  GtkAdjustment *hadj = gtk_scrolled_window_get_hadjustment (GTK_SCROLLED_WINDOW (scroller));
  graphene_rect_t sb, b, lb;

  g_assert_true (gtk_widget_compute_bounds (scroller, window, &sb));
  g_assert_nonnull (plm_overview_view_get_button (view, 5, 19));
  g_assert_null (plm_overview_view_get_button (view, 0, 20));
  if (w == 1280 && h == 800)
    for (int head = -1; head < 20; head++)
      {
        GtkWidget *button = plm_overview_view_get_button (view, 0, head);

        g_assert_true (gtk_widget_compute_bounds (button, window, &b));
        if (b.origin.x < sb.origin.x - 0.5 || b.origin.x + b.size.width > sb.origin.x + sb.size.width + 0.5 ||
            b.origin.y < sb.origin.y - 0.5 || b.origin.y + b.size.height > sb.origin.y + sb.size.height + 0.5)
          g_string_append_printf (problems, "overview %dx%d: head %d of layer 1 at %.0f,%.0f–%.0f,%.0f is outside the "
                                  "scroller's visible %.0f,%.0f–%.0f,%.0f\n", w, h, head + 1, b.origin.x, b.origin.y,
                                  b.origin.x + b.size.width, b.origin.y + b.size.height, sb.origin.x, sb.origin.y,
                                  sb.origin.x + sb.size.width, sb.origin.y + sb.size.height);
      }

  gtk_adjustment_set_value (hadj, gtk_adjustment_get_upper (hadj) - gtk_adjustment_get_page_size (hadj));
  settle (window);
  for (int layer = 0; layer < 6; layer++)
    {
      GtkWidget *label = plm_overview_view_get_layer_label (view, layer);
      GtkWidget *last = plm_overview_view_get_button (view, layer, 19);

      g_assert_nonnull (label);
      g_assert_true (gtk_widget_compute_bounds (label, window, &lb));
      g_assert_true (gtk_widget_compute_bounds (last, window, &b));
      /* left of the thumbnails, in the window, level with its row */
      if (!gtk_widget_is_drawable (label) || lb.origin.x < -0.5 || lb.origin.x + lb.size.width > sb.origin.x + 0.5 ||
          fabs ((lb.origin.y + lb.size.height / 2) - (b.origin.y + b.size.height / 2)) > 1.0)
        g_string_append_printf (problems, "overview %dx%d: the number of layer %d at %.0f,%.0f–%.0f,%.0f is not beside its "
                                "row at y %.0f–%.0f after scrolling sideways\n", w, h, layer + 1, lb.origin.x, lb.origin.y,
                                lb.origin.x + lb.size.width, lb.origin.y + lb.size.height, b.origin.y, b.origin.y + b.size.height);
    }
  gtk_adjustment_set_value (hadj, 0.0);
  settle (window);
}

static GtkWidget *
find_menu_button (GtkWidget  *widget,
                  const char *tooltip)
{
  if (GTK_IS_MENU_BUTTON (widget) && g_strcmp0 (gtk_widget_get_tooltip_text (widget), tooltip) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_menu_button (child, tooltip);
      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The model popover opens with its text readable, not all of it selected. */
static void
check_model_popover (PlmWindow *window)
{
  GtkWidget *button = find_menu_button (GTK_WIDGET (window), _("Model"));
  GtkPopover *popover;
  GtkWidget *label;
  int start, end;

  g_assert_nonnull (button);
  popover = gtk_menu_button_get_popover (GTK_MENU_BUTTON (button));
  gtk_menu_button_popup (GTK_MENU_BUTTON (button));
  plm_ui_test_spin (200);
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (popover)));
  label = plm_ui_test_find_label (GTK_WIDGET (popover), "esm2_8Mshape_random", TRUE);
  g_assert_nonnull (label);
  g_assert_true (gtk_label_get_selectable (GTK_LABEL (label)));
  g_assert_false (gtk_label_get_selection_bounds (GTK_LABEL (label), &start, &end));
  gtk_menu_button_popdown (GTK_MENU_BUTTON (button));
  plm_ui_test_spin (100);
}

/* The HA view with active sites and a two-chain structure of the first record (HBB, its Cα on
 * a helix, numbered from 2 without residues 41–46), so that the distances in Å and the chain
 * picker are on show. Returns the structure's path. */
static char *
load_structure (PlmWindow  *window,
                const char *fasta)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) recs = plm_fasta_read (fasta, &error);
  const char *seq = ((PlmFastaRecord *) recs->pdata[0])->sequence;
  PlmTestChain chains[2] = { { "A", seq, 2, 40, 46, 0.0 }, { "B", "WWPWWGWWDWWEWWPWWGWWDWWEWWPWWG", 1, 0, 0, 30.0 } };
  char *pdb = plm_test_write_helix_pdb ("hbb-helix.pdb", chains, 2);
  g_autofree char *dir = g_path_get_dirname (pdb);
  static const char tsv[] = "uniprot_acc\tactive_site_positions\nP68871\t64,93\n";
  g_autofree char *sites = plm_test_write_file (dir, "hbb-active.tsv", tsv, sizeof tsv - 1);
  GtkWidget *ha = find_type (GTK_WIDGET (window), PLM_TYPE_HA_VIEW);

  g_assert_no_error (error);
  g_assert_true (plm_ha_view_load_annotations (PLM_HA_VIEW (ha), sites, &error));
  g_assert_no_error (error);
  g_assert_true (plm_structure_bar_load (PLM_STRUCTURE_BAR (find_type (ha, PLM_TYPE_STRUCTURE_BAR)), pdb, &error));
  g_assert_no_error (error);
  return pdb;
}

static void
test_layout_main_window (void)
{
  g_autofree char *path = g_build_filename (plm_uiw_source_root, "data", "examples", "three_proteins.fasta", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GString) problems = g_string_new (NULL);
  PlmWindow *window = plm_uiw_new_window ();
  g_autofree char *pdb = NULL;

  plm_window_open_files (window, &file, 1);
  g_assert_true (plm_ui_test_wait_until (plm_uiw_has_three, window, 10000));
  plm_window_select (window, 0);
  plm_uiw_load_model (window, plm_uiw_model_8m);
  plm_window_run (window);
  g_assert_true (plm_ui_test_wait_until (plm_uiw_page_is_results, window, 60000));
  check_model_popover (window);
  /* shared by the HA, Contacts and Structure views */
  pdb = load_structure (window, path);
  /* loaded in the HA view, shown in the Structure view too (the window's one structure) */
  g_assert_cmpstr (plm_structure_view_get_path (PLM_STRUCTURE_VIEW (plm_window_get_structure_view (window))), ==, pdb);

  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      resize (GTK_WIDGET (window), sizes[i].w, sizes[i].h);
      for (guint v = 0; v < G_N_ELEMENTS (views); v++)
        {
          plm_window_set_view (window, views[v]);
          settle (GTK_WIDGET (window));
          check_window (GTK_WIDGET (window), sizes[i].w, sizes[i].h, views[v], problems);
          if (g_str_equal (views[v], "overview"))
            check_overview (GTK_WIDGET (window), sizes[i].w, sizes[i].h, problems);
        }
    }
  gtk_window_destroy (GTK_WINDOW (window));
  {
    g_autofree char *dir = g_path_get_dirname (pdb);
    plm_test_rm_rf (dir);
  }
  if (problems->len > 0)
    {
      g_test_message ("%s", problems->str);
      g_test_fail ();
    }
}

static void
collect_spin_widths (GtkWidget *widget,
                     GArray    *widths)
{
  if (GTK_IS_SPIN_BUTTON (widget) && gtk_widget_get_mapped (widget))
    {
      int w = gtk_widget_get_width (widget);
      g_array_append_val (widths, w);
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    collect_spin_widths (child, widths);
}

static void
test_layout_training_window (void)
{
  g_autoptr(GString) problems = g_string_new (NULL);
  PlmWindow *main_window = plm_uiw_new_window ();
  GtkWidget *window;

  window = GTK_WIDGET (plm_uiw_open_training_window ());
  /* it opens no larger than the main window does by default */
  {
    g_autoptr(GSettings) settings = g_settings_new ("io.github.plmlens.PlmLens");
    g_autoptr(GVariant) w = g_settings_get_default_value (settings, "window-width");
    g_autoptr(GVariant) h = g_settings_get_default_value (settings, "window-height");
    int dw, dh;

    gtk_window_get_default_size (GTK_WINDOW (window), &dw, &dh);
    g_assert_cmpint (dw, <=, g_variant_get_int32 (w));
    g_assert_cmpint (dh, <=, g_variant_get_int32 (h));
  }

  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      resize (window, sizes[i].w, sizes[i].h);
      check_window (window, sizes[i].w, sizes[i].h, "fine-tuning", problems);
    }
  /* the settings' spin boxes share one width */
  {
    g_autoptr(GArray) widths = g_array_new (FALSE, FALSE, sizeof (int));

    collect_spin_widths (window, widths);
    g_assert_cmpuint (widths->len, ==, 8);
    for (guint i = 1; i < widths->len; i++)
      g_assert_cmpint (g_array_index (widths, int, i), ==, g_array_index (widths, int, 0));
  }
  gtk_window_destroy (GTK_WINDOW (window));
  gtk_window_destroy (GTK_WINDOW (main_window));
  if (problems->len > 0)
    {
      g_test_message ("%s", problems->str);
      g_test_fail ();
    }
}

int
main (int   argc,
      char *argv[])
{
  plm_ui_test_bind_locale ();

  plm_uiw_init (&argc, &argv);
  /* what is checked is the layout the window settles in, not a sidebar sliding away */
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
  g_test_add_func ("/layout/main-window", test_layout_main_window);
  g_test_add_func ("/layout/fine-tuning", test_layout_training_window);
  int status = g_test_run ();
  plm_uiw_finish ();
  return status;
}
