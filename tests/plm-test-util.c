/* plm-test-util.c: fixture paths and array comparison for the C tests. */
#include "plm-test-util.h"
#include "plm-nm-train.h"

#include <glib/gstdio.h>
#include <sys/wait.h>

#include <math.h>
#include <stdarg.h>

char *
plm_test_data_path (const char *first, ...)
{
  const char *root = g_getenv ("PLM_TEST_DATA");
  g_autoptr(GPtrArray) parts = g_ptr_array_new ();
  va_list ap;

  g_assert_nonnull (root);
  g_ptr_array_add (parts, (gpointer) root);
  g_ptr_array_add (parts, (gpointer) first);
  va_start (ap, first);
  for (const char *p = va_arg (ap, const char *); p != NULL; p = va_arg (ap, const char *))
    g_ptr_array_add (parts, (gpointer) p);
  va_end (ap);
  g_ptr_array_add (parts, NULL);
  return g_build_filenamev ((char **) parts->pdata);
}

char *
plm_test_shared_fixtures (void)
{
  const char *p = g_getenv ("PLM_SHARED_FIXTURES");
  if (p == NULL || !g_file_test (p, G_FILE_TEST_IS_DIR))
    return NULL;
  return g_strdup (p);
}

void
plm_test_load_npy (const char *path, PlmNpyArray *out)
{
  g_autoptr(GError) error = NULL;
  gboolean ok = plm_npy_read (path, out, &error);
  g_assert_no_error (error);
  g_assert_true (ok);
}

double
plm_test_compare (const char *what, const float *a, const float *b, guint64 n, double rel, gboolean *ok)
{
  double max_b = 0.0, max_err = 0.0;
  guint64 worst = 0;

  for (guint64 i = 0; i < n; i++)
    max_b = fmax (max_b, fabs ((double) b[i]));
  for (guint64 i = 0; i < n; i++)
    {
      double e = fabs ((double) a[i] - (double) b[i]);
      if (!(e <= max_err))   /* NaN counts as the worst */
        {
          max_err = isnan (e) ? INFINITY : e;
          worst = i;
        }
    }
  double tol = rel * fmax (1.0, max_b);
  *ok = max_err <= tol;
  g_test_message ("%s: max|a-b| = %.3g (tolerance %.3g) at %" G_GUINT64_FORMAT ": %.7g vs %.7g",
                  what, max_err, tol, worst, n ? a[worst] : 0.0, n ? b[worst] : 0.0);
  if (!*ok)
    g_printerr ("# MISMATCH %s: max|a-b| = %.3g > %.3g at index %" G_GUINT64_FORMAT " (%.7g vs %.7g)\n",
                what, max_err, tol, worst, a[worst], b[worst]);
  return max_err;
}

char *
plm_test_write_file (const char *dir, const char *name, const void *data, gsize len)
{
  char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;
  g_file_set_contents (path, data, (gssize) len, &error);
  g_assert_no_error (error);
  return path;
}

int
plm_test_run_cli (const char *const *args,
                  char              **out,
                  char              **err)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autofree char *out_text = NULL, *err_text = NULL;
  g_autoptr(GError) error = NULL;
  const char *cli = g_getenv ("PLM_CLI");
  int status = 0;

  g_assert_nonnull (cli);
  g_ptr_array_add (argv, (gpointer) cli);
  for (int i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out_text, &err_text,
                &status, &error);
  g_assert_no_error (error);
  if (!WIFEXITED (status))
    g_error ("plmlens-cli %s killed by signal %d; stderr:\n%s", args[0], WTERMSIG (status), err_text);
  if (WEXITSTATUS (status) != 0)
    g_test_message ("plmlens-cli %s exited with %d; stderr: %s", args[0], WEXITSTATUS (status), err_text);
  if (out != NULL)
    *out = g_steal_pointer (&out_text);
  if (err != NULL)
    *err = g_steal_pointer (&err_text);
  return WEXITSTATUS (status);
}

char *
plm_test_write_random_head (const char *dir,
                            const char *name,
                            int         kind)
{
  PlmNmHeadConfig hc = { .kind = kind, .d_model = 32, .d_hidden = 8, .n_classes = 2,
                         .n_heads = 1 };
  g_autoptr(GError) error = NULL;
  PlmNmHead *head = plm_nm_head_new (&hc);
  char *path = g_build_filename (dir, name, NULL);

  plm_nm_head_init (head, 1);
  g_assert_true (plm_nm_head_save (head, path, NULL, &error));
  g_assert_no_error (error);
  plm_nm_head_free (head);
  return path;
}

void
plm_test_rm_rf (const char *path)
{
  if (g_file_test (path, G_FILE_TEST_IS_DIR) && !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
    {
      g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
      const char *name;

      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          plm_test_rm_rf (child);
        }
    }
  g_remove (path);
}

void
plm_test_fill_random (GRand  *rand,
                      float  *x,
                      gsize   n,
                      double  lo,
                      double  hi)
{
  for (gsize i = 0; i < n; i++)
    x[i] = (float) g_rand_double_range (rand, lo, hi);
}

void
plm_test_helix_ca (double offset_x,
                   int    i,
                   double ca[3])
{
  double a = G_PI / 180.0 * 100.0 * i;

  ca[0] = offset_x + 2.3 * cos (a);
  ca[1] = 2.3 * sin (a);
  ca[2] = 1.5 * i;
}

char *
plm_test_write_helix_pdb (const char         *name,
                          const PlmTestChain *chains,
                          int                 n_chains)
{
  static const char *const three[26] = {
    "ALA", "ASX", "CYS", "ASP", "GLU", "PHE", "GLY", "HIS", "ILE", "UNK", "LYS", "LEU", "MET",
    "ASN", "PYL", "PRO", "GLN", "ARG", "SER", "THR", "SEC", "VAL", "TRP", "UNK", "TYR", "GLX"
  };
  g_autoptr(GString) pdb = g_string_new (NULL);
  g_autofree char *dir = g_dir_make_tmp ("plm-helix-XXXXXX", NULL);
  int serial = 1;

  g_assert_nonnull (dir);
  for (int c = 0; c < n_chains; c++)
    {
      const PlmTestChain *ch = &chains[c];

      for (int i = 0; ch->sequence[i] != '\0'; i++)
        {
          double ca[3];
          char letter = g_ascii_toupper (ch->sequence[i]);

          if (i >= ch->skip_from && i < ch->skip_to)
            continue;
          g_assert_true (letter >= 'A' && letter <= 'Z');
          plm_test_helix_ca (ch->offset_x, i, ca);
          g_string_append_printf (pdb, "ATOM  %5d  CA  %s %s%4d    %8.3f%8.3f%8.3f  1.00  0.00           C\n",
                                  serial++, three[letter - 'A'], ch->chain, ch->first + i, ca[0], ca[1], ca[2]);
        }
      g_string_append (pdb, "TER\n");
    }
  g_string_append (pdb, "END\n");
  return plm_test_write_file (dir, name, pdb->str, pdb->len);
}
