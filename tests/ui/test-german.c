/* test-german.c: the window in German (LANGUAGE=de) from the translations built in po/. */
#include <glib/gi18n.h>
#include <locale.h>
#include <string.h>

#include "plm-application.h"
#include "plm-ui-test.h"
#include "plm-window.h"

static void
test_german_window (void)
{
  g_autoptr(PlmApplication) app = plm_application_new (G_APPLICATION_NON_UNIQUE);
  g_autofree char *path = g_build_filename (g_getenv ("PLM_SOURCE_ROOT"), "data", "examples", "three_proteins.fasta", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  PlmWindow *window;
  gint64 end;

  g_assert_cmpstr (_("Preferences"), ==, "Einstellungen");
  g_assert_cmpstr (g_dngettext (GETTEXT_PACKAGE, "%d residue", "%d residues", 2), ==, "%d Reste");

  g_assert_true (g_application_register (G_APPLICATION (app), NULL, NULL));
  window = plm_window_new (GTK_APPLICATION (app));
  gtk_window_set_default_size (GTK_WINDOW (window), 1200, 760);
  plm_window_open_files (window, &file, 1);
  gtk_window_present (GTK_WINDOW (window));
  end = g_get_monotonic_time () + 3 * G_USEC_PER_SEC;
  while (g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE);

  /* From the template (.ui) and from C code. */
  g_assert_nonnull (plm_ui_test_find_label (GTK_WIDGET (window), "Ein Modell wählen", TRUE));
  g_assert_nonnull (plm_ui_test_find_label (GTK_WIDGET (window), "Kein Modell", TRUE));
  g_assert_nonnull (plm_ui_test_find_label (GTK_WIDGET (window), "ESM-2 8M herunterladen (31 MB)", TRUE));
  g_assert_nonnull (plm_ui_test_find_label (GTK_WIDGET (window), "147 Reste · Hemoglobin subunit beta OS=Homo sapiens OX=9606 GN=HBB PE=1 SV=2", TRUE));

  plm_ui_test_save_screenshot (GTK_WIDGET (window), "ui-german.png");
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  plm_ui_test_bind_locale ();

  plm_ui_test_init (&argc, &argv);
  g_test_add_func ("/german/window", test_german_window);
  return g_test_run ();
}
