/* plm-make-checkpoint.c: writes a random-weight ESM-2 checkpoint in Hugging Face layout
 * (config.json + model.safetensors, through the engine's own safetensors writer), so that the
 * tests have an 8M-shape model without ../shared/fixtures; with --absolute the ESM-1b / ESM-1v
 * architecture (learned positions, embedding LayerNorm, no rotary buffers), e.g. the five
 * members of a test ensemble.
 *
 *   plm-make-checkpoint --layers 6 --hidden 320 --heads 20 --ffn 1280 --seed 8 --qk-scale 2 --out DIR
 *   plm-make-checkpoint --absolute --max-positions 130 --layers 2 --hidden 32 --heads 4 --out DIR
 *
 * Weights are uniform with the variances of tests/reference/make_random_checkpoint.py (linear
 * N(0, 1/fan_in), biases 0.05², LayerNorm 1 ± 0.2, embeddings and contact regression 1) but drawn
 * with integer arithmetic and correctly rounded float operations only, so the file is
 * bit-identical on every machine and the committed PyTorch references in tests/data/ref stay
 * exact targets for it. */
#include <errno.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plm-model.h"
#include "plm-rng.h"
#include "plm-safetensors.h"

#define VOCAB 33
#define MAX_POSITIONS 1026

typedef enum { EMBED, LINEAR, QK, BIAS, LN_WEIGHT, CONTACT, INV_FREQ } Kind;

typedef struct {
  GArray   *tensors;   /* PlmTensorOut */
  GPtrArray *owned;    /* names and data */
  PlmRng    rng;
  float     qk_scale;
} Builder;

/* Uniform on [-√3·sd, √3·sd]: mean 0, standard deviation sd. */
static void
fill_uniform (PlmRng *rng, float *x, gsize n, float sd, float mean)
{
  float a = sqrtf (3.0f) * sd;
  for (gsize i = 0; i < n; i++)
    x[i] = mean + a * (2.0f * plm_rng_float (rng) - 1.0f);
}

static void
add (Builder *b, const char *name, Kind kind, int64_t rows, int64_t cols)
{
  gsize n = (gsize) rows * (gsize) (cols > 0 ? cols : 1);
  float *x = g_new (float, n);
  PlmTensorOut t = { .name = g_strdup (name), .data = x, .n_dims = cols > 0 ? 2 : 1,
                     .shape = { rows, cols } };

  switch (kind)
    {
    case EMBED:
    case CONTACT:
      fill_uniform (&b->rng, x, n, 1.0f, 0.0f);
      break;
    case LINEAR:
    case QK:
      fill_uniform (&b->rng, x, n, (kind == QK ? b->qk_scale : 1.0f) / sqrtf ((float) cols), 0.0f);
      break;
    case BIAS:
      fill_uniform (&b->rng, x, n, 0.05f, 0.0f);
      break;
    case LN_WEIGHT:
      fill_uniform (&b->rng, x, n, 0.2f, 1.0f);
      break;
    case INV_FREQ:   /* upstream's rotary buffer, unused by the engine but present in HF files */
      for (gsize i = 0; i < n; i++)
        x[i] = (float) (1.0 / pow (10000.0, (double) (2 * i) / (double) (2 * n)));
      break;
    }
  g_ptr_array_add (b->owned, (gpointer) t.name);
  g_ptr_array_add (b->owned, x);
  g_array_append_val (b->tensors, t);
}

int
main (int argc, char **argv)
{
  int layers = 6, hidden = 320, heads = 20, ffn = 0, seed = 8, max_positions = MAX_POSITIONS;
  gboolean absolute = FALSE;
  double qk_scale = 2.0;
  g_autofree char *out = NULL;
  GOptionEntry entries[] = {
    { "layers", 0, 0, G_OPTION_ARG_INT, &layers, "encoder layers (6)", "N" },
    { "hidden", 0, 0, G_OPTION_ARG_INT, &hidden, "model width (320)", "D" },
    { "heads", 0, 0, G_OPTION_ARG_INT, &heads, "attention heads (20)", "H" },
    { "ffn", 0, 0, G_OPTION_ARG_INT, &ffn, "feed-forward width (4 × hidden)", "F" },
    { "seed", 0, 0, G_OPTION_ARG_INT, &seed, "random seed (8)", "S" },
    { "qk-scale", 0, 0, G_OPTION_ARG_DOUBLE, &qk_scale, "q/k weight scale; > 1 peaks attention (2)", "X" },
    { "absolute", 0, 0, G_OPTION_ARG_NONE, &absolute,
      "ESM-1b / ESM-1v architecture: learned absolute positions and an embedding LayerNorm", NULL },
    { "max-positions", 0, 0, G_OPTION_ARG_INT, &max_positions, "max_position_embeddings (1026)", "P" },
    { "out", 0, 0, G_OPTION_ARG_FILENAME, &out, "output directory", "DIR" },
    { NULL }
  };
  g_autoptr(GOptionContext) ctx = g_option_context_new ("- write a random-weight ESM-2 checkpoint");
  g_autoptr(GError) error = NULL;

  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!g_option_context_parse (ctx, &argc, &argv, &error) || out == NULL)
    {
      fprintf (stderr, "plm-make-checkpoint: %s\n", error ? error->message : "--out is required");
      return 2;
    }
  if (ffn == 0)
    ffn = 4 * hidden;
  if (max_positions < 5 || max_positions > (1 << 20))
    {
      fprintf (stderr, "plm-make-checkpoint: --max-positions must be between 5 and %d\n", 1 << 20);
      return 2;
    }
  if (layers < 1 || heads < 1 || hidden % heads != 0 || (hidden / heads) % 2 != 0 || ffn < 1)
    {
      fprintf (stderr, "plm-make-checkpoint: hidden must be a multiple of heads with an even head size\n");
      return 2;
    }

  Builder b = { g_array_new (FALSE, FALSE, sizeof (PlmTensorOut)), g_ptr_array_new_with_free_func (g_free) };
  plm_rng_seed (&b.rng, (uint64_t) seed);
  b.qk_scale = (float) qk_scale;

  /* HF tensor names in file order, as make_random_checkpoint.py writes them */
  add (&b, "esm.embeddings.word_embeddings.weight", EMBED, VOCAB, hidden);
  if (absolute)
    {
      add (&b, "esm.embeddings.position_embeddings.weight", EMBED, max_positions, hidden);
      /* nn.Embedding(padding_idx = <pad> = 1): that row is zero (no position id reaches it) */
      float *pos = (float *) g_array_index (b.tensors, PlmTensorOut, b.tensors->len - 1).data;
      memset (pos + hidden, 0, sizeof (float) * (gsize) hidden);
      add (&b, "esm.embeddings.layer_norm.weight", LN_WEIGHT, hidden, 0);
      add (&b, "esm.embeddings.layer_norm.bias", BIAS, hidden, 0);
    }
  for (int l = 0; l < layers; l++)
    {
      static const char *qkv[] = { "query", "key", "value" };
      char name[128];
#define LAYER(suffix) (g_snprintf (name, sizeof name, "esm.encoder.layer.%d.%s", l, suffix), name)
      for (int i = 0; i < 3; i++)
        {
          g_autofree char *w = g_strdup_printf ("attention.self.%s.weight", qkv[i]);
          g_autofree char *bias = g_strdup_printf ("attention.self.%s.bias", qkv[i]);
          add (&b, LAYER (w), i < 2 ? QK : LINEAR, hidden, hidden);
          add (&b, LAYER (bias), BIAS, hidden, 0);
        }
      if (!absolute)
        add (&b, LAYER ("attention.self.rotary_embeddings.inv_freq"), INV_FREQ, hidden / heads / 2, 0);
      add (&b, LAYER ("attention.output.dense.weight"), LINEAR, hidden, hidden);
      add (&b, LAYER ("attention.output.dense.bias"), BIAS, hidden, 0);
      add (&b, LAYER ("attention.LayerNorm.weight"), LN_WEIGHT, hidden, 0);
      add (&b, LAYER ("attention.LayerNorm.bias"), BIAS, hidden, 0);
      add (&b, LAYER ("intermediate.dense.weight"), LINEAR, ffn, hidden);
      add (&b, LAYER ("intermediate.dense.bias"), BIAS, ffn, 0);
      add (&b, LAYER ("output.dense.weight"), LINEAR, hidden, ffn);
      add (&b, LAYER ("output.dense.bias"), BIAS, hidden, 0);
      add (&b, LAYER ("LayerNorm.weight"), LN_WEIGHT, hidden, 0);
      add (&b, LAYER ("LayerNorm.bias"), BIAS, hidden, 0);
#undef LAYER
    }
  add (&b, "esm.encoder.emb_layer_norm_after.weight", LN_WEIGHT, hidden, 0);
  add (&b, "esm.encoder.emb_layer_norm_after.bias", BIAS, hidden, 0);
  add (&b, "esm.contact_head.regression.weight", CONTACT, 1, layers * heads);
  add (&b, "esm.contact_head.regression.bias", BIAS, 1, 0);
  add (&b, "lm_head.dense.weight", LINEAR, hidden, hidden);
  add (&b, "lm_head.dense.bias", BIAS, hidden, 0);
  add (&b, "lm_head.layer_norm.weight", LN_WEIGHT, hidden, 0);
  add (&b, "lm_head.layer_norm.bias", BIAS, hidden, 0);
  add (&b, "lm_head.bias", BIAS, VOCAB, 0);

  g_autoptr(GHashTable) meta = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  g_hash_table_insert (meta, "format", g_strdup ("pt"));
  g_hash_table_insert (meta, "generator", g_strdup ("plmlens tests/models/plm-make-checkpoint.c"));
  g_hash_table_insert (meta, "seed", g_strdup_printf ("%d", seed));
  g_hash_table_insert (meta, "qk_scale", g_strdup_printf ("%g", qk_scale));

  g_autofree char *st_path = g_build_filename (out, "model.safetensors", NULL);
  g_autofree char *cfg_path = g_build_filename (out, "config.json", NULL);
  g_autofree char *cfg = plm_esm_config_json (layers, hidden, heads, ffn, max_positions, absolute, TRUE, absolute);
  int status = 0;

  if (g_mkdir_with_parents (out, 0755) != 0
      || !plm_safetensors_write (st_path, (PlmTensorOut *) b.tensors->data, b.tensors->len, meta, &error)
      || !g_file_set_contents (cfg_path, cfg, -1, &error))
    {
      fprintf (stderr, "plm-make-checkpoint: %s: %s\n", out, error ? error->message : g_strerror (errno));
      status = 1;
    }
  g_array_free (b.tensors, TRUE);
  g_ptr_array_free (b.owned, TRUE);
  return status;
}
