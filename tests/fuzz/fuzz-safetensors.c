/* fuzz-safetensors.c: libFuzzer target: arbitrary bytes as model.safetensors beside a valid
 * config.json, through the full model loader (header parsing, validation, binding, conversion). */
#include <glib.h>
#include <glib/gstdio.h>
#include <stdint.h>
#include <unistd.h>

#include "plm-model.h"

static char *dir;
static char *weights;

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  if (dir == NULL)
    {
      static const char config[] =
        "{\"model_type\":\"esm\",\"hidden_size\":8,\"num_hidden_layers\":1,\"num_attention_heads\":2,"
        "\"intermediate_size\":16,\"vocab_size\":33}";
      dir = g_dir_make_tmp ("plm-fuzz-st-XXXXXX", NULL);
      g_autofree char *cfg = g_build_filename (dir, "config.json", NULL);
      g_file_set_contents (cfg, config, -1, NULL);
      weights = g_build_filename (dir, "model.safetensors", NULL);
    }
  g_file_set_contents (weights, (const char *) data, (gssize) size, NULL);
  GError *error = NULL;
  PlmModel *m = plm_model_load (dir, &error);
  if (m != NULL)
    {
      /* touch every bound weight so that a bad byte range would be caught by ASan */
      volatile float sink = 0;
      for (int i = 0; i < m->config.vocab_size * m->config.d_model; i++)
        sink += m->embed[i];
      (void) sink;
      plm_model_free (m);
    }
  g_clear_error (&error);
  return 0;
}
