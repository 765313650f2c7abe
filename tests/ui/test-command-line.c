/* test-command-line.c: `plmlens --model MODEL FILE.fasta` opens the file and runs at once. */
#include <string.h>

#include "plm-application.h"
#include "plm-ui-test.h"
#include "plm-window.h"

typedef struct
{
  PlmApplication *app;
  gboolean        saw_results;
  guint           n_sequences;
  int             n_residues;
} State;

static gboolean
on_check (gpointer data)
{
  State *st = data;
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (st->app));

  for (GList *l = windows; l; l = l->next)
    if (PLM_IS_WINDOW (l->data) && g_strcmp0 (plm_window_get_page (l->data), "results") == 0)
      {
        st->saw_results = TRUE;
        st->n_sequences = g_list_model_get_n_items (plm_window_get_sequences (l->data));
        st->n_residues = plm_window_get_result (l->data)->n_residues;
        g_application_quit (G_APPLICATION (st->app));
        return G_SOURCE_REMOVE;
      }
  return G_SOURCE_CONTINUE;
}

static gboolean
on_give_up (gpointer data)
{
  State *st = data;

  g_application_quit (G_APPLICATION (st->app));
  return G_SOURCE_REMOVE;
}

static void
test_model_and_file (void)
{
  g_autofree char *model = g_build_filename (g_getenv ("PLM_TEST_DATA"), "models", "tiny-f32", NULL);
  g_autofree char *fasta = g_build_filename (g_getenv ("PLM_SOURCE_ROOT"), "data", "examples", "three_proteins.fasta", NULL);
  char *argv[] = { (char *) "plmlens", (char *) "--model", model, fasta, NULL };
  State st = { 0 };
  int status;

  st.app = plm_application_new (G_APPLICATION_NON_UNIQUE);
  g_timeout_add (20, on_check, &st);
  g_timeout_add_seconds (60, on_give_up, &st);
  status = g_application_run (G_APPLICATION (st.app), 4, argv);
  g_assert_cmpint (status, ==, 0);
  g_assert_true (st.saw_results);
  g_assert_cmpuint (st.n_sequences, ==, 3);
  /* The first record (haemoglobin beta) ran without anyone pressing Run. */
  g_assert_cmpint (st.n_residues, ==, 147);
  g_clear_object (&st.app);
}

static void
test_missing_model (void)
{
  char *argv[] = { (char *) "plmlens", (char *) "--model", (char *) "/nonexistent/model", NULL };
  g_autoptr(PlmApplication) app = plm_application_new (G_APPLICATION_NON_UNIQUE);

  g_assert_cmpint (g_application_run (G_APPLICATION (app), 3, argv), ==, 2);
}

int
main (int   argc,
      char *argv[])
{
  plm_ui_test_init (&argc, &argv);
  g_test_add_func ("/command-line/model-and-file", test_model_and_file);
  g_test_add_func ("/command-line/missing-model", test_missing_model);
  return g_test_run ();
}
