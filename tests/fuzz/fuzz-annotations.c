/* fuzz-annotations.c: libFuzzer target: arbitrary bytes as a GFF3 or active-site TSV annotation
 * file (for all proteins and for one), then distance queries on what was read. */
#include <glib.h>
#include <stdint.h>

#include "plm-annotations.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  static const char *const ids[] = { NULL, "P69905", "sp|P69905|HBA_HUMAN" };
  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      GError *error = NULL;
      GPtrArray *f = plm_features_parse ((const char *) data, size, "fuzz.gff", ids[i], &error);
      if (f != NULL)
        {
          for (int kind = 0; kind < 3; kind++)
            for (int r = -1; r < 40; r += 7)
              (void) plm_features_distance (f, (PlmFeatureKind) kind, r);
          g_ptr_array_unref (f);
        }
      g_clear_error (&error);
    }
  return 0;
}
