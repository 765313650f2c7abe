/* plm-ui-test.c: shared helpers of the UI tests (see plm-ui-test.h). */
#include "plm-ui-test.h"

#include <glib/gi18n.h>
#include <locale.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

void
plm_ui_test_require_display (void)
{
  if (gtk_init_check ())
    return;
  printf ("1..0 # SKIP no display: run under xvfb-run (meson test does when xvfb is installed)\n");
  exit (0);
}

void
plm_ui_test_bind_locale (void)
{
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("PLM_LOCALE_DIR"));
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
}

void
plm_ui_test_init (int    *argc,
                  char ***argv)
{
  g_test_init (argc, argv, NULL);
  plm_ui_test_require_display ();
  g_test_log_set_fatal_handler (plm_ui_test_fatal_log_handler, NULL);
}

gboolean
plm_ui_test_wait_until (gboolean (*cond) (gpointer),
                        gpointer   data,
                        int        timeout_ms)
{
  gint64 end = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  while (!cond (data))
    {
      if (g_get_monotonic_time () > end)
        return FALSE;
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  return TRUE;
}

void
plm_ui_test_spin (int ms)
{
  gint64 end = g_get_monotonic_time () + (gint64) ms * 1000;

  while (g_get_monotonic_time () < end)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}

static gboolean
drawable (gpointer widget)
{
  return gtk_widget_get_mapped (widget) && gtk_widget_get_width (widget) > 0 && gtk_widget_get_height (widget) > 0;
}

GdkTexture *
plm_ui_test_render (GtkWidget *widget)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr(GskRenderNode) node = NULL;
  int w = 0, h = 0;

  /* a window presented a moment ago on a loaded machine may not be mapped or laid out yet: its
   * snapshot is then empty. Wait for it (a hang is the test's timeout), never for a time. */
  for (int attempt = 0; node == NULL && attempt < 100; attempt++)
    {
      g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
      if (attempt > 0)
        plm_ui_test_spin (50);
      g_assert_true (plm_ui_test_wait_until (drawable, widget, 30000));
      w = gtk_widget_get_width (widget), h = gtk_widget_get_height (widget);
      gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), w, h);
      node = gtk_snapshot_to_node (snapshot);
    }
  g_assert_nonnull (node);
  GskRenderer *renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));
  return gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, w, h));
}

void
plm_ui_test_save_screenshot (GtkWidget  *widget,
                             const char *file_name)
{
  g_autoptr(GdkTexture) texture = plm_ui_test_render (widget);
  const char *dir = g_getenv ("PLM_SCREENSHOT_DIR");
  g_autofree char *path = g_build_filename (dir ? dir : ".", file_name, NULL);

  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("screenshot: %s (%d×%d)", path, gdk_texture_get_width (texture), gdk_texture_get_height (texture));
}

GtkWidget *
plm_ui_test_find_label (GtkWidget  *widget,
                        const char *needle,
                        gboolean    visible_only)
{
  if (GTK_IS_LABEL (widget) && (!visible_only || gtk_widget_is_visible (widget))
      && strstr (gtk_label_get_text (GTK_LABEL (widget)), needle) != NULL)
    return widget;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = plm_ui_test_find_label (c, needle, visible_only);

      if (found)
        return found;
    }
  return NULL;
}

void
plm_ui_test_motion (GtkWidget *widget,
                    double     x,
                    double     y)
{
  GListModel *controllers = gtk_widget_observe_controllers (widget);
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

gint64
plm_ui_test_thread_cpu_us (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return (gint64) ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

double
plm_ui_test_machine_load (void)
{
  g_autofree char *text = NULL;

  if (!g_file_get_contents ("/proc/loadavg", &text, NULL, NULL))
    return 0.0;
  return g_ascii_strtod (text, NULL) / g_get_num_processors ();
}

gboolean
plm_ui_test_fatal_log_handler (const char     *log_domain,
                               GLogLevelFlags  log_level,
                               const char     *message,
                               gpointer        user_data)
{
  return strstr (message, "session bus") == NULL;
}

GtkWidget *
plm_ui_test_find_descendant (GtkWidget *widget,
                             GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = plm_ui_test_find_descendant (c, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}
