/* plm-test-structure.c: synthetic PDB files (see the header). */
#include "plm-test-structure.h"

#include <math.h>
#include <string.h>

static const char *
three_letter (char c)
{
  static const char *const names[26] = { "ALA", "ASX", "CYS", "ASP", "GLU", "PHE", "GLY", "HIS", "ILE", "UNK", "LYS",
                                         "LEU", "MET", "ASN", "PYL", "PRO", "GLN", "ARG", "SER", "THR", "SEC", "VAL",
                                         "TRP", "UNK", "TYR", "GLX" };
  return c >= 'A' && c <= 'Z' ? names[c - 'A'] : "UNK";
}

char *
plm_test_write_fold (const char *dir, const char *name, const char *sequence, int n_chains)
{
  int L = (int) strlen (sequence), side = (int) ceil (sqrt (n_chains)), atom = 1;
  /* Rakhmanov–Saff–Zhou spiral: unit-sphere spacing 3.6/√L, scaled to 3.8 Å */
  double R = 3.8 * sqrt (L) / 3.6;
  g_autoptr(GString) pdb = g_string_new ("HEADER    PLM LENS SYNTHETIC FOLD\n");
  for (int c = 0; c < n_chains; c++)
    {
      double ox = 2.3 * R * (c % side), oy = 2.3 * R * (c / side), phi = 0;
      for (int k = 0; k < L; k++)
        {
          double h = L > 1 ? -1 + 2.0 * k / (L - 1) : 0, theta = acos (h);
          if (k > 0 && k < L - 1)
            phi += 3.6 / sqrt (L) / sqrt (1 - h * h);
          g_string_append_printf (pdb, "ATOM  %5d  CA  %3s %c%4d    %8.3f%8.3f%8.3f  1.00 20.00           C\n",
                                  atom++ % 100000, three_letter (sequence[k]), 'A' + c, k + 1,
                                  ox + R * sin (theta) * cos (phi), oy + R * sin (theta) * sin (phi), R * h);
        }
      g_string_append (pdb, "TER\n");
    }
  g_string_append (pdb, "END\n");
  char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;
  g_assert_true (g_file_set_contents (path, pdb->str, -1, &error));
  g_assert_no_error (error);
  return path;
}
