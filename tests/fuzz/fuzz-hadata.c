/* fuzz-hadata.c: libFuzzer target: arbitrary bytes as an active-site TSV, a family TSV and an
 * HA-sites TSV. */
#include <glib.h>
#include <stdint.h>

#include "plm-hadata.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  const char *text = (const char *) data;
  GError *error = NULL;
  GHashTable *sites = plm_active_sites_parse (text, size, "fuzz-sites.tsv", &error);
  if (sites != NULL)
    g_hash_table_unref (sites);
  g_clear_error (&error);
  for (int clean = 0; clean < 2; clean++)
    {
      GPtrArray *fam = plm_families_parse (text, size, "fuzz-families.tsv", clean, &error);
      if (fam != NULL)
        g_ptr_array_unref (fam);
      g_clear_error (&error);
    }
  GPtrArray *ha = plm_ha_table_parse (text, size, "fuzz-ha.tsv", &error);
  if (ha != NULL)
    g_ptr_array_unref (ha);
  g_clear_error (&error);
  return 0;
}
