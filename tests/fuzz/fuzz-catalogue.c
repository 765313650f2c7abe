/* fuzz-catalogue.c: libFuzzer target: arbitrary bytes as the model catalogue (models.json). */
#include <glib.h>
#include <stdint.h>

#include "plm-catalogue.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  GError *error = NULL;
  PlmCatalogue *c = plm_catalogue_parse ((const char *) data, size, "fuzz-models.json", &error);
  if (c != NULL)
    plm_catalogue_free (c);
  g_clear_error (&error);
  return 0;
}
