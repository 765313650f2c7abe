/* fuzz-npy.c: libFuzzer target: arbitrary bytes as a .npy file. */
#include <glib.h>
#include <stdint.h>

#include "plm-npy.h"

static char *path;

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  if (path == NULL)
    {
      g_autofree char *dir = g_dir_make_tmp ("plm-fuzz-npy-XXXXXX", NULL);
      path = g_build_filename (dir, "a.npy", NULL);
    }
  g_file_set_contents (path, (const char *) data, (gssize) size, NULL);
  PlmNpyArray a;
  GError *error = NULL;
  if (plm_npy_read (path, &a, &error))
    plm_npy_array_clear (&a);
  g_clear_error (&error);
  return 0;
}
