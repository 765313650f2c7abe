/* fuzz-config.c: libFuzzer target: arbitrary bytes as config.json. */
#include <glib.h>
#include <stdint.h>

#include "plm-model.h"

static char *path;

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  if (path == NULL)
    {
      g_autofree char *dir = g_dir_make_tmp ("plm-fuzz-cfg-XXXXXX", NULL);
      path = g_build_filename (dir, "config.json", NULL);
    }
  g_file_set_contents (path, (const char *) data, (gssize) size, NULL);
  PlmEsmConfig c;
  GError *error = NULL;
  if (plm_esm_config_load (path, &c, &error))
    g_assert (c.d_model % c.n_heads == 0 && c.d_head % 2 == 0 && c.n_layers > 0);
  g_clear_error (&error);
  return 0;
}
