/* plmlens.c: the graphical application's entry point. */
#include <glib/gi18n.h>
#include <locale.h>

#include "plm-application.h"
#include "plm-runtime.h"

/* Whether @dir holds a compiled schema for the application. */
static gboolean
schema_in (const char *dir)
{
  GSettingsSchemaSource *source = g_settings_schema_source_new_from_directory (dir, NULL, FALSE, NULL);
  GSettingsSchema *schema = NULL;

  if (source == NULL)
    return FALSE;
  schema = g_settings_schema_source_lookup (source, APP_ID, FALSE);
  if (schema != NULL)
    g_settings_schema_unref (schema);
  g_settings_schema_source_unref (source);
  return schema != NULL;
}

/* Looks where GLib's default schema source looks ($GSETTINGS_SCHEMA_DIR, the user's and the
 * system's data directories) without creating that source: GLib reads the environment once,
 * so GSETTINGS_SCHEMA_DIR can still be set afterwards. */
static gboolean
schema_installed (void)
{
  const char *env = g_getenv ("GSETTINGS_SCHEMA_DIR");
  const char * const *data_dirs = g_get_system_data_dirs ();
  g_autofree char *user = g_build_filename (g_get_user_data_dir (), "glib-2.0", "schemas", NULL);

  if (env != NULL)
    {
      g_auto(GStrv) dirs = g_strsplit (env, G_SEARCHPATH_SEPARATOR_S, -1);
      for (guint i = 0; dirs[i] != NULL; i++)
        if (dirs[i][0] != '\0' && schema_in (dirs[i]))
          return TRUE;
    }
  if (schema_in (user))
    return TRUE;
  for (guint i = 0; data_dirs[i] != NULL; i++)
    {
      g_autofree char *dir = g_build_filename (data_dirs[i], "glib-2.0", "schemas", NULL);
      if (schema_in (dir))
        return TRUE;
    }
  return FALSE;
}

/* Without an installed schema g_settings_new () aborts. Run from a build directory (BUILD/app/gui/
 * plmlens), the schema compiled into BUILD/resources is used; otherwise say how to fix it. */
static gboolean
find_settings_schema (void)
{
  g_autofree char *exe = NULL;
  g_autofree char *exe_dir = NULL;
  g_autofree char *build_schemas = NULL;

  if (schema_installed ())
    return TRUE;
  exe = g_file_read_link ("/proc/self/exe", NULL);
  if (exe != NULL)
    {
      exe_dir = g_path_get_dirname (exe);
      build_schemas = g_build_filename (exe_dir, "..", "..", "resources", NULL);
      if (schema_in (build_schemas))
        {
          const char *env = g_getenv ("GSETTINGS_SCHEMA_DIR");
          g_autofree char *value = env != NULL && env[0] != '\0'
            ? g_strconcat (build_schemas, G_SEARCHPATH_SEPARATOR_S, env, NULL) : g_strdup (build_schemas);
          g_printerr ("plmlens: running uninstalled: settings schema %s from %s\n", APP_ID, build_schemas);
          g_setenv ("GSETTINGS_SCHEMA_DIR", value, TRUE);
          return TRUE;
        }
    }
  g_printerr ("plmlens: the settings schema %s is not installed.\n"
              "Install PLM Lens (meson install -C BUILD), run the uninstalled build with\n"
              "    meson devenv -C BUILD plmlens\n"
              "or point GSETTINGS_SCHEMA_DIR at a directory holding its compiled schema "
              "(glib-compile-schemas resources/).\n", APP_ID);
  return FALSE;
}

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

  if (!find_settings_schema ())
    return 1;
  app = plm_application_new (G_APPLICATION_DEFAULT_FLAGS);
  return g_application_run (G_APPLICATION (app), argc, argv);
}
