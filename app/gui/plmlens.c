/* plmlens.c: the graphical application's entry point. */
#include <glib/gi18n.h>
#include <locale.h>

#include "plm-application.h"
#include "plm-runtime.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(PlmApplication) app = NULL;

  /* as the CLI: passive OpenMP waits (the UI thread shares the cores) and AVX-512 kernels */
  plm_runtime_setup (argv);
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  app = plm_application_new (G_APPLICATION_DEFAULT_FLAGS);
  return g_application_run (G_APPLICATION (app), argc, argv);
}
