/* fuzz-align.c: libFuzzer target: a sequence line, then arbitrary bytes, aligned as letters
 * and, read as a PDB or mmCIF file, mapped onto (the structure-map path of the CLI and the
 * Contacts view). Checks the alignment's invariants: every index in range, strictly increasing,
 * counts consistent. */
#include <glib.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "plm-align.h"
#include "plm-contacts.h"
#include "plm-structure-map.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static void
check (const PlmAlignment *a, int n, int m)
{
  int last = -1, aligned = 0;

  for (int i = 0; i < n; i++)
    {
      int j = a->seq_to_observed[i];
      if (j < -1 || j >= m || (j >= 0 && j <= last))
        abort ();
      if (j >= 0)
        {
          last = j;
          aligned++;
        }
    }
  if (aligned != a->aligned || a->identical > a->aligned || a->coverage < 0 || a->coverage > 1)
    abort ();
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  const char *text = (const char *) data;
  const char *nl = memchr (text, '\n', size);
  size_t seq_len = nl ? (size_t) (nl - text) : size;
  const char *rest = nl ? nl + 1 : text + size;
  size_t rest_len = size - (size_t) (rest - text);
  GError *error = NULL;
  PlmAlignment *a;
  PlmStructure *s;

  seq_len = MIN (seq_len, 1000);
  a = plm_align_global (text, (int) seq_len, rest, (int) MIN (rest_len, 1000), &error);
  if (a != NULL)
    {
      check (a, (int) seq_len, (int) MIN (rest_len, 1000));
      plm_alignment_free (a);
    }
  g_clear_error (&error);

  s = plm_structure_parse (rest, rest_len, "fuzz.pdb", &error);
  if (s != NULL)
    {
      for (int force = 0; force < 2; force++)
        {
          PlmStructureMap *map = plm_structure_map_align (s, NULL, text, (int) MIN (seq_len, 500), force, &error);
          if (map != NULL)
            {
              guint8 *truth = plm_contacts_from_structure (s, map);
              g_free (truth);
              plm_structure_map_free (map);
            }
          g_clear_error (&error);
        }
      plm_structure_free (s);
    }
  g_clear_error (&error);
  return 0;
}
