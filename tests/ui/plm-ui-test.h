/* plm-ui-test.h: what every UI test under Xvfb needs: driving the main loop, screenshots,
 * finding labels, main-thread CPU time and the machine's load. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Initialises GTK; without a display prints a TAP plan that skips every test with the reason
 * (meson shows the test as SKIP) and exits. */
void        plm_ui_test_require_display (void);
/* Binds the app's text domain to the built translations in $PLM_LOCALE_DIR, in the user's
 * locale; call before any template is built (the app's main () does the same with the installed
 * path). */
void        plm_ui_test_bind_locale     (void);
/* g_test_init, then plm_ui_test_require_display, and GTK's session-bus warning made non-fatal. */
void        plm_ui_test_init            (int        *argc,
                                         char      ***argv);
/* Iterates the main loop until @cond holds (TRUE) or @timeout_ms passes (FALSE). */
gboolean    plm_ui_test_wait_until      (gboolean  (*cond) (gpointer),
                                         gpointer    data,
                                         int         timeout_ms);
/* Iterates the main loop for @ms milliseconds. */
void        plm_ui_test_spin            (int         ms);
/* @widget rendered by its own renderer. */
GdkTexture *plm_ui_test_render          (GtkWidget  *widget);
/* Saves @widget as PNG @file_name in $PLM_SCREENSHOT_DIR (default: the current directory). */
void        plm_ui_test_save_screenshot (GtkWidget  *widget,
                                         const char *file_name);
/* A label under @widget whose text contains @needle; with @visible_only, shown ones only
 * (otherwise also e.g. inside a closed popover). */
GtkWidget  *plm_ui_test_find_label      (GtkWidget  *widget,
                                         const char *needle,
                                         gboolean    visible_only);
/* The first descendant of @widget (itself included) of @type, depth first, or NULL. */
GtkWidget  *plm_ui_test_find_descendant (GtkWidget  *widget,
                                         GType       type);
/* Emits "motion" at (@x, @y) on @widget's motion controller, which must exist. */
void        plm_ui_test_motion          (GtkWidget  *widget,
                                         double      x,
                                         double      y);
/* Main-thread CPU time: on a shared machine wall time mostly measures the other jobs. */
gint64      plm_ui_test_thread_cpu_us   (void);
/* Load average over cores: above 1 the main thread waits for a CPU however little it does. */
double      plm_ui_test_machine_load    (void);
/* For g_test_log_set_fatal_handler: Xvfb has no session bus, and GTK's warning about it is
 * expected; every other warning fails the test. */
gboolean    plm_ui_test_fatal_log_handler (const char     *log_domain,
                                           GLogLevelFlags  log_level,
                                           const char     *message,
                                           gpointer        user_data);

G_END_DECLS
