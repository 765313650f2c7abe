/* test-safetensors.c: dtype conversions, the writer/reader round trip and metadata, the
 * loader's F16/BF16 conversion and tied/untied LM heads. Malformed files: test-bad-inputs.c. */
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "plm-error.h"
#include "plm-model.h"
#include "plm-safetensors.h"
#include "plm-test-util.h"

static void
test_f16_conversion (void)
{
  /* exhaustive: every finite half converts to float and back unchanged */
  for (guint32 h = 0; h < 0x10000; h++)
    {
      if ((h & 0x7c00) == 0x7c00)
        continue;
      float f = plm_f16_to_f32 ((uint16_t) h);
      g_assert_cmpuint (plm_f32_to_f16 (f), ==, h);
    }
  g_assert_cmpfloat (plm_f16_to_f32 (0x3c00), ==, 1.0f);
  g_assert_cmpfloat (plm_f16_to_f32 (0xc000), ==, -2.0f);
  g_assert_cmpfloat (plm_f16_to_f32 (0x0001), ==, ldexpf (1.0f, -24));   /* smallest subnormal */
  g_assert_true (isinf (plm_f16_to_f32 (0x7c00)));
  /* round to nearest even */
  g_assert_cmpuint (plm_f32_to_f16 (1.0f + ldexpf (1.0f, -11)), ==, 0x3c00);
  g_assert_cmpuint (plm_f32_to_f16 (1.0f + 3 * ldexpf (1.0f, -11)), ==, 0x3c02);
}

static void
test_bf16_conversion (void)
{
  for (guint32 h = 0; h < 0x10000; h++)
    {
      if ((h & 0x7f80) == 0x7f80)
        continue;
      g_assert_cmpuint (plm_f32_to_bf16 (plm_bf16_to_f32 ((uint16_t) h)), ==, h);
    }
  g_assert_cmpfloat (plm_bf16_to_f32 (0x3f80), ==, 1.0f);
}

static void
test_write_read (void)
{
  g_autofree char *dir = g_dir_make_tmp ("plm-st-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "h.safetensors", NULL);
  float a[6] = { 1, 2, 3, 4, 5, 6 }, b[2] = { -1, 0.5f };
  PlmTensorOut t[2] = { { "a", a, 2, { 2, 3 } }, { "b", b, 1, { 2 } } };
  g_autoptr(GHashTable) meta = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GError) error = NULL;

  g_hash_table_insert (meta, "config", "{\"lambda\": 0.1}");
  g_assert_true (plm_safetensors_write (path, t, 2, meta, &error));
  g_assert_no_error (error);
  PlmSafetensors *st = plm_safetensors_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (plm_safetensors_n_tensors (st), ==, 2);
  const PlmTensorInfo *ia = plm_safetensors_lookup (st, "a");
  g_assert_nonnull (ia);
  g_assert_cmpint (ia->n_dims, ==, 2);
  g_assert_cmpint (ia->shape[1], ==, 3);
  g_assert_cmpmem (ia->data, ia->n_bytes, a, sizeof a);
  g_assert_cmpstr (g_hash_table_lookup (plm_safetensors_metadata (st), "config"), ==, "{\"lambda\": 0.1}");
  g_assert_null (plm_safetensors_lookup (st, "c"));
  plm_safetensors_free (st);
  g_unlink (path);
  g_rmdir (dir);
}

static void
test_model_dtypes (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *p32 = plm_test_data_path ("models", "tiny-f32", NULL);
  g_autofree char *p16 = plm_test_data_path ("models", "tiny-f16", NULL);
  g_autofree char *pbf = plm_test_data_path ("models", "tiny-bf16", NULL);
  g_autofree char *psh = plm_test_data_path ("models", "tiny-sharded", NULL);
  g_autoptr(PlmModel) m32 = plm_model_load (p32, &error);
  g_assert_no_error (error);
  g_autoptr(PlmModel) m16 = plm_model_load (p16, &error);
  g_assert_no_error (error);
  g_autoptr(PlmModel) mbf = plm_model_load (pbf, &error);
  g_assert_no_error (error);
  g_autoptr(PlmModel) msh = plm_model_load (psh, &error);
  g_assert_no_error (error);

  g_assert_cmpint (m32->dtype, ==, PLM_DTYPE_F32);
  g_assert_cmpint (m16->dtype, ==, PLM_DTYPE_F16);
  g_assert_cmpint (mbf->dtype, ==, PLM_DTYPE_BF16);
  /* F32 weights are used in place from the mapping; F16/BF16 converted once into the arena */
  g_assert_null (m32->arena);
  g_assert_nonnull (m16->arena);
  g_assert_cmpint (m32->n_params, ==, m16->n_params);
  g_assert_cmpint (m32->n_params, ==, mbf->n_params);
  /* tied decoder when lm_head.decoder.weight is absent; untied in the sharded fixture */
  g_assert_true (m32->lm_decoder == m32->embed);
  g_assert_true (msh->lm_decoder != msh->embed);
  g_assert_cmpint (msh->n_params, ==, m32->n_params + 33 * 32);
  /* F16 conversion is exact: each weight equals the F32 weight rounded to half */
  for (int i = 0; i < 32 * 32; i++)
    g_assert_cmpfloat (m16->layers[1].wq[i], ==, plm_f16_to_f32 (plm_f32_to_f16 (m32->layers[1].wq[i])));
  for (int i = 0; i < 32 * 32; i++)
    g_assert_cmpfloat (mbf->layers[1].wq[i], ==, plm_bf16_to_f32 (plm_f32_to_bf16 (m32->layers[1].wq[i])));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/safetensors/f16-conversion", test_f16_conversion);
  g_test_add_func ("/safetensors/bf16-conversion", test_bf16_conversion);
  g_test_add_func ("/safetensors/write-read", test_write_read);
  g_test_add_func ("/safetensors/model-dtypes", test_model_dtypes);
  return g_test_run ();
}
