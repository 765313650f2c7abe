/* fuzz-torch.c: libFuzzer target: arbitrary bytes as a fair-esm .pt checkpoint, through the safe
 * reader (zip, pickle, storages) and the full model loader (HF mapping, config, binding). */
#include <glib.h>
#include <glib/gstdio.h>
#include <stdint.h>
#include <unistd.h>

#include "plm-model.h"
#include "plm-torch.h"

static char *dir;
static char *weights;

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static void
touch_tensors (const PlmPyValue *dict)
{
  volatile guint8 sink = 0;
  for (guint i = 0; i < plm_py_dict_size (dict); i++)
    {
      const PlmPyValue *v = plm_py_dict_value (dict, i);
      if (v->kind == PLM_PY_TENSOR)
        for (guint64 b = 0; b < v->tensor.n_bytes; b++)
          sink ^= ((const guint8 *) v->tensor.data)[b];
    }
  (void) sink;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  GError *error = NULL;
  PlmTorchFile *tf = plm_torch_open_bytes (data, size, "fuzz.pt", &error);
  if (tf != NULL)
    {
      touch_tensors (plm_py_get (plm_torch_root (tf), "model"));
      plm_torch_free (tf);
    }
  g_clear_error (&error);

  if (dir == NULL)
    {
      dir = g_dir_make_tmp ("plm-fuzz-pt-XXXXXX", NULL);
      weights = g_build_filename (dir, "model.pt", NULL);
    }
  g_file_set_contents (weights, (const char *) data, (gssize) size, NULL);
  PlmModel *m = plm_model_load (weights, &error);
  if (m != NULL)
    {
      volatile float sink = 0;
      for (int i = 0; i < m->config.vocab_size * m->config.d_model; i++)
        sink += m->embed[i];
      for (int l = 0; l < m->config.n_layers; l++)
        for (int i = 0; i < m->config.d_model * m->config.d_ffn; i++)
          sink += m->layers[l].w2[i];
      (void) sink;
      plm_model_free (m);
    }
  g_clear_error (&error);
  return 0;
}
