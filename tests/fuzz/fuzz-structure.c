/* fuzz-structure.c: libFuzzer target: arbitrary bytes as a PDB or mmCIF file. */
#include <glib.h>
#include <stdint.h>

#include "plm-structure.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  GError *error = NULL;
  PlmStructure *s = plm_structure_parse ((const char *) data, size, "fuzz.pdb", &error);
  if (s != NULL)
    plm_structure_free (s);
  g_clear_error (&error);
  return 0;
}
