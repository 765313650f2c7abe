/* test-bad-inputs.c: malformed checkpoints, configs and FASTA files given to plmlens-cli must
 * each produce exit status 2 and exactly one line on stderr naming the file and the problem
 * (and, in the sanitizer build, no sanitizer report). */
#include <glib/gstdio.h>
#include <string.h>

#include "plm-test-util.h"

static char *tiny_model;       /* tests/data/models/tiny-f32 */
static char *good_fasta;

typedef struct {
  const char *name;
  const char *expect;          /* substring of the error line */
} Case;

/* Runs the CLI; asserts exit 2, one stderr line containing @expect and @path_part. */
static void
expect_bad (const char *const *args, const char *expect, const char *path_part)
{
  g_autofree char *err = NULL;
  int status = plm_test_run_cli (args, NULL, &err);

  g_test_message ("stderr: %s", err);
  if (status != 2)
    g_error ("expected exit status 2, got %d; stderr: %s", status, err);
  g_assert_null (strstr (err, "Sanitizer"));
  g_assert_null (strstr (err, "runtime error"));
  const char *nl = strchr (err, '\n');
  if (nl == NULL || nl[1] != '\0')
    g_error ("expected exactly one line on stderr, got: %s", err);
  if (strstr (err, expect) == NULL)
    g_error ("error line '%s' does not contain '%s'", err, expect);
  if (path_part != NULL && strstr (err, path_part) == NULL)
    g_error ("error line '%s' does not name '%s'", err, path_part);
}

static void
run_infer_expect (const char *model, const char *fasta, const char *expect, const char *path_part)
{
  g_autofree char *outdir = g_dir_make_tmp ("plm-bad-out-XXXXXX", NULL);
  const char *args[] = { "infer", "-q", "--model", model, "--fasta", fasta, "--out", outdir, NULL };
  expect_bad (args, expect, path_part);
  g_rmdir (outdir);
}

/* ---- checkpoints: a copy of tiny-f32 whose header text is edited ---- */

static void
read_tiny (char **header, GBytes **data)
{
  g_autofree char *path = g_build_filename (tiny_model, "model.safetensors", NULL);
  g_autofree char *raw = NULL;
  gsize len;
  g_assert_true (g_file_get_contents (path, &raw, &len, NULL));
  guint64 hlen = 0;
  for (int i = 7; i >= 0; i--)
    hlen = (hlen << 8) | (guint8) raw[i];
  *header = g_strndup (raw + 8, hlen);
  *data = g_bytes_new (raw + 8 + hlen, len - 8 - hlen);
}

static char *
write_checkpoint (const char *dir, const char *header, gsize header_len_field, GBytes *data, gsize data_len)
{
  g_autofree char *cfg_src = g_build_filename (tiny_model, "config.json", NULL);
  g_autofree char *cfg = NULL;
  g_assert_true (g_file_get_contents (cfg_src, &cfg, NULL, NULL));
  g_free (plm_test_write_file (dir, "config.json", cfg, strlen (cfg)));
  GString *s = g_string_new (NULL);
  guint8 len8[8];
  for (int i = 0; i < 8; i++)
    len8[i] = (guint8) ((guint64) header_len_field >> (8 * i));
  g_string_append_len (s, (char *) len8, 8);
  g_string_append (s, header);
  if (data != NULL)
    g_string_append_len (s, g_bytes_get_data (data, NULL), (gssize) MIN (data_len, g_bytes_get_size (data)));
  char *path = plm_test_write_file (dir, "model.safetensors", s->str, s->len);
  g_string_free (s, TRUE);
  return path;
}

typedef struct { const char *name; const char *from; const char *to; const char *expect; } HeaderEdit;

static const HeaderEdit header_edits[] = {
  { "unknown-dtype", "\"esm.encoder.layer.0.attention.self.query.weight\":{\"dtype\":\"F32\"",
    "\"esm.encoder.layer.0.attention.self.query.weight\":{\"dtype\":\"F99\"", "unknown dtype 'F99'" },
  { "integer-weight", "\"esm.encoder.layer.0.attention.self.query.bias\":{\"dtype\":\"F32\",\"shape\":[32],\"data_offsets\":[",
    "\"esm.encoder.layer.0.attention.self.query.bias\":{\"dtype\":\"I32\",\"shape\":[32],\"data_offsets\":[", "dtype I32" },
  { "shape-vs-config", "\"esm.encoder.layer.0.attention.self.key.weight\":{\"dtype\":\"F32\",\"shape\":[32,32]",
    "\"esm.encoder.layer.0.attention.self.key.weight\":{\"dtype\":\"F32\",\"shape\":[16,64]", "config.json implies [32, 32]" },
  { "bytes-vs-shape", "\"esm.encoder.layer.0.attention.self.value.weight\":{\"dtype\":\"F32\",\"shape\":[32,32]",
    "\"esm.encoder.layer.0.attention.self.value.weight\":{\"dtype\":\"F32\",\"shape\":[32,33]", "shape × dtype needs" },
  { "missing-tensor", "esm.encoder.layer.1.output.dense.weight", "esm.encoder.layer.1.output.dense.weigth",
    "required tensor 'encoder.layer.1.output.dense.weight' is missing" },
  { "offsets-past-end", "\"data_offsets\":[0,4224]", "\"data_offsets\":[0,99999999]", "fall outside" },
  { "negative-offset", "\"data_offsets\":[0,4224]", "\"data_offsets\":[-4224,0]", "non-integer data_offsets" },
  { "reversed-offsets", "\"data_offsets\":[0,4224]", "\"data_offsets\":[4224,0]", "fall outside" },
  { "overlap", "\"data_offsets\":[4224,12432]", "\"data_offsets\":[0,8208]", "overlap" },
  { "shape-not-array", "\"shape\":[33,32]", "\"shape\":\"33x32\"", "no shape array" },
  { "shape-float", "\"shape\":[33,32]", "\"shape\":[33,32.5]", "invalid shape entry" },
  { "too-many-dims", "\"shape\":[33,32]", "\"shape\":[33,32,1,1,1,1,1,1,1]", "dimensions" },
  { "entry-not-object", "{\"__metadata__\":{\"format\":\"pt\"}", "{\"__metadata__\":{\"format\":\"pt\"},\"x\":[1]", "is not an object" },
  { "metadata-not-string", "{\"format\":\"pt\"}", "{\"format\":3}", "__metadata__ value" },
};

static void
test_bad_checkpoint_header (gconstpointer data)
{
  const HeaderEdit *e = data;
  g_autofree char *dir = g_dir_make_tmp ("plm-bad-ckpt-XXXXXX", NULL);
  g_autofree char *header = NULL;
  g_autoptr(GBytes) bytes = NULL;

  read_tiny (&header, &bytes);
  g_assert_nonnull (strstr (header, e->from));
  g_autoptr(GString) h = g_string_new (header);
  g_string_replace (h, e->from, e->to, 1);
  g_autofree char *path = write_checkpoint (dir, h->str, h->len, bytes, G_MAXSIZE);
  run_infer_expect (dir, good_fasta, e->expect, "model.safetensors");
  g_autofree char *cfg = g_build_filename (dir, "config.json", NULL);
  g_unlink (cfg);
  g_unlink (path);
  g_rmdir (dir);
}

typedef struct { const char *name; int kind; const char *expect; } RawCase;

static const RawCase raw_cases[] = {
  { "truncated-data", 0, "truncated file?" },
  { "header-length-huge", 1, "is not in 1.." },
  { "header-length-past-eof", 2, "exceeds the file size" },
  { "header-length-zero", 3, "is not in 1.." },
  { "shorter-than-8-bytes", 4, "too short" },
  { "header-not-json", 5, "header JSON is invalid" },
  { "header-is-array", 6, "does not start with '{'" },
  { "header-binary", 7, "not UTF-8 JSON text" },
  { "random-bytes", 8, "(not a safetensors file?)" },
  { "empty-file", 9, "too short" },
  { "not-a-file", 10, "no model.safetensors" },
  { "missing-config", 11, "config.json is missing" },
};

static void
test_bad_checkpoint_raw (gconstpointer data)
{
  const RawCase *c = data;
  g_autofree char *dir = g_dir_make_tmp ("plm-bad-raw-XXXXXX", NULL);
  g_autofree char *header = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *path = NULL;

  read_tiny (&header, &bytes);
  gsize hl = strlen (header);
  switch (c->kind)
    {
    case 0: path = write_checkpoint (dir, header, hl, bytes, g_bytes_get_size (bytes) / 2); break;
    case 1: path = write_checkpoint (dir, header, G_GUINT64_CONSTANT (1) << 40, bytes, G_MAXSIZE); break;
    case 2: path = write_checkpoint (dir, "{\"a\":1}", 4096, NULL, 0); break;
    case 3: path = write_checkpoint (dir, header, 0, bytes, G_MAXSIZE); break;
    case 4:
    case 9:
      {
        g_autofree char *cfg_src = g_build_filename (tiny_model, "config.json", NULL);
        g_autofree char *cfg = NULL;
        g_assert_true (g_file_get_contents (cfg_src, &cfg, NULL, NULL));
        g_free (plm_test_write_file (dir, "config.json", cfg, strlen (cfg)));
        path = plm_test_write_file (dir, "model.safetensors", "\x05\0\0", c->kind == 4 ? 3 : 0);
        break;
      }
    case 5: path = write_checkpoint (dir, "{\"a\":", 5, NULL, 0); break;
    case 6: path = write_checkpoint (dir, "[1,2,3]", 7, NULL, 0); break;
    case 7: path = write_checkpoint (dir, "{\"a\":\"\xff\xfe\"}", 8, NULL, 0); break;
    case 8:
      {
        g_autofree char *cfg_src = g_build_filename (tiny_model, "config.json", NULL);
        g_autofree char *cfg = NULL;
        g_assert_true (g_file_get_contents (cfg_src, &cfg, NULL, NULL));
        g_free (plm_test_write_file (dir, "config.json", cfg, strlen (cfg)));
        char junk[512];
        for (guint i = 0; i < sizeof junk; i++)
          junk[i] = (char) (i * 2654435761u >> 13);
        path = plm_test_write_file (dir, "model.safetensors", junk, sizeof junk);
        break;
      }
    case 10:
      {
        g_autofree char *cfg_src = g_build_filename (tiny_model, "config.json", NULL);
        g_autofree char *cfg = NULL;
        g_assert_true (g_file_get_contents (cfg_src, &cfg, NULL, NULL));
        path = plm_test_write_file (dir, "config.json", cfg, strlen (cfg));
        break;
      }
    case 11:
      path = write_checkpoint (dir, header, hl, bytes, G_MAXSIZE);
      {
        g_autofree char *cfg = g_build_filename (dir, "config.json", NULL);
        g_unlink (cfg);
      }
      break;
    default:
      g_assert_not_reached ();
    }
  run_infer_expect (dir, good_fasta, c->expect, dir);
  g_autofree char *cfg = g_build_filename (dir, "config.json", NULL);
  g_unlink (cfg);
  g_unlink (path);
  g_rmdir (dir);
}

/* ---- configs: tiny-f32 weights with an edited config.json ---- */

typedef struct { const char *name; const char *from; const char *to; const char *expect; } ConfigEdit;

static const ConfigEdit config_edits[] = {
  { "missing-hidden-size", "\"hidden_size\"", "\"hidden_sise\"", "required field \"hidden_size\" is missing" },
  { "hidden-size-string", "\"hidden_size\": 32", "\"hidden_size\": \"32\"", "\"hidden_size\" must be an integer" },
  { "heads-do-not-divide", "\"num_attention_heads\": 4", "\"num_attention_heads\": 5", "must split into 5 heads" },
  { "odd-head-width", "\"num_attention_heads\": 4", "\"num_attention_heads\": 32", "of an even width" },
  { "vocab-size", "\"vocab_size\": 33", "\"vocab_size\": 34", "\"vocab_size\" = 34" },
  { "model-type", "\"model_type\": \"esm\"", "\"model_type\": \"bert\"", "is not an ESM model" },
  { "relative-positions", "\"position_embedding_type\": \"rotary\"", "\"position_embedding_type\": \"relative_key\"", "is not supported" },
  /* ESM-1b settings on ESM-2 weights: the tensors they need are missing */
  { "absolute-positions", "\"position_embedding_type\": \"rotary\"", "\"position_embedding_type\": \"absolute\"",
    "required tensor 'embeddings.position_embeddings.weight' is missing" },
  { "esm1b-layernorm", "\"emb_layer_norm_before\": false", "\"emb_layer_norm_before\": true",
    "required tensor 'embeddings.layer_norm.weight' is missing" },
  { "negative-layers", "\"num_hidden_layers\": 2", "\"num_hidden_layers\": -2", "is outside" },
  { "huge-layers", "\"num_hidden_layers\": 2", "\"num_hidden_layers\": 100000", "is outside" },
  { "layers-vs-weights", "\"num_hidden_layers\": 2", "\"num_hidden_layers\": 3", "required tensor 'encoder.layer.2." },
  { "width-vs-weights", "\"intermediate_size\": 128", "\"intermediate_size\": 64", "config.json implies" },
  { "bad-eps", "\"layer_norm_eps\": 1e-05", "\"layer_norm_eps\": -1", "layer_norm_eps" },
  { "relu", "\"hidden_act\": \"gelu\"", "\"hidden_act\": \"relu\"", "\"relu\" is not supported" },
  { "token-dropout-string", "\"token_dropout\": true", "\"token_dropout\": \"yes\"", "must be true or false" },
  { "invalid-json", "{", "{{", "invalid JSON" },
  { "json-array", "{", "[{", "invalid JSON" },
};

static void
test_bad_config (gconstpointer data)
{
  const ConfigEdit *e = data;
  g_autofree char *dir = g_dir_make_tmp ("plm-bad-cfg-XXXXXX", NULL);
  g_autofree char *cfg_src = g_build_filename (tiny_model, "config.json", NULL);
  g_autofree char *st_src = g_build_filename (tiny_model, "model.safetensors", NULL);
  g_autofree char *cfg = NULL, *st = NULL;
  gsize st_len;

  g_assert_true (g_file_get_contents (cfg_src, &cfg, NULL, NULL));
  g_assert_true (g_file_get_contents (st_src, &st, &st_len, NULL));
  if (strstr (cfg, e->from) == NULL)
    g_error ("fixture config.json has no '%s': %s", e->from, cfg);
  g_autoptr(GString) s = g_string_new (cfg);
  g_string_replace (s, e->from, e->to, 1);
  g_autofree char *cpath = plm_test_write_file (dir, "config.json", s->str, s->len);
  g_autofree char *spath = plm_test_write_file (dir, "model.safetensors", st, st_len);
  run_infer_expect (dir, good_fasta, e->expect, dir);
  g_unlink (cpath);
  g_unlink (spath);
  g_rmdir (dir);
}

/* ---- FASTA ---- */

typedef struct { const char *name; const char *text; gsize len; const char *expect; } FastaCase;

static const FastaCase fasta_cases[] = {
  { "empty", "", 0, "no FASTA records" },
  { "no-header", "MKVLA\n", 0, ":1: sequence data before the first '>'" },
  { "empty-record", ">a\n>b\nMKV\n", 0, ":1: record 'a' has no sequence" },
  { "digit", ">a\nMKV9A\n", 0, ":2:4: character '9'" },
  { "comments-only", ";just a comment\n\n", 0, "no FASTA records" },
  { "punctuation", ">a\nMK;VA\n", 0, ":2:3: character ';'" },
  { "non-ascii", ">a\nMK\xce\xb1V\n", 0, "non-ASCII byte" },
  { "nul", ">a\nMK\0V\n", 8, "NUL bytes" },
  { "no-id", ">  \nMKV\n", 0, ":1: header has no identifier" },
  { "bad-utf8-header", ">a\xc3\n", 0, ":1: header is not valid UTF-8" },
  { "last-empty", ">a\nMK\n>b\n", 0, ":3: record 'b' has no sequence" },
  { "binary", "\x7f" "ELF\x02\x01\x01", 7, "sequence data before" },
  { "only-header", ">a", 0, ":1: record 'a' has no sequence" },
  { "too-long", NULL, 0, "trained on at most 1024" },
  { "missing-file", NULL, 1, "cannot read" },
  { "fastq", "@read1\nACGT\n+\nIIII\n", 0, ":1: sequence data before the first '>'" },
  { "html", "<html><body>Not found</body></html>\n", 0, ":1: sequence data before the first '>'" },
};

static void
test_bad_fasta (gconstpointer data)
{
  const FastaCase *c = data;
  g_autofree char *dir = g_dir_make_tmp ("plm-bad-fa-XXXXXX", NULL);
  g_autofree char *path = NULL;

  if (c->text != NULL)
    path = plm_test_write_file (dir, "in.fasta", c->text, c->len ? c->len : strlen (c->text));
  else if (c->len == 1)
    path = g_build_filename (dir, "does-not-exist.fasta", NULL);
  else
    {
      GString *s = g_string_new (">long\n");
      for (int i = 0; i < 1100; i++)
        g_string_append_c (s, "ACDEFGHIKLMNPQRSTVWY"[i % 20]);
      g_string_append_c (s, '\n');
      path = plm_test_write_file (dir, "in.fasta", s->str, s->len);
      g_string_free (s, TRUE);
    }
  run_infer_expect (tiny_model, path, c->expect, path);
  g_unlink (path);
  g_rmdir (dir);
}

static void
test_bad_arguments (void)
{
  const char *no_model[] = { "infer", "--fasta", good_fasta, "--out", "/tmp/x", NULL };
  expect_bad (no_model, "--model, --fasta and --out are required", NULL);
  const char *bad_threads[] = { "infer", "-m", tiny_model, "-f", good_fasta, "-o", "/tmp/x", "-t", "-3", NULL };
  expect_bad (bad_threads, "--threads", NULL);
  const char *unknown[] = { "frobnicate", NULL };
  expect_bad (unknown, "unknown command 'frobnicate'", NULL);
  const char *info_missing[] = { "info", "/nonexistent/model", NULL };
  expect_bad (info_missing, "no such file or directory", "/nonexistent/model");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  tiny_model = plm_test_data_path ("models", "tiny-f32", NULL);
  good_fasta = plm_test_data_path ("ref-seqs.fasta", NULL);
  g_assert_nonnull (g_getenv ("PLM_CLI"));

  for (guint i = 0; i < G_N_ELEMENTS (header_edits); i++)
    {
      g_autofree char *n = g_strdup_printf ("/bad-input/checkpoint/%s", header_edits[i].name);
      g_test_add_data_func (n, &header_edits[i], test_bad_checkpoint_header);
    }
  for (guint i = 0; i < G_N_ELEMENTS (raw_cases); i++)
    {
      g_autofree char *n = g_strdup_printf ("/bad-input/checkpoint/%s", raw_cases[i].name);
      g_test_add_data_func (n, &raw_cases[i], test_bad_checkpoint_raw);
    }
  for (guint i = 0; i < G_N_ELEMENTS (config_edits); i++)
    {
      g_autofree char *n = g_strdup_printf ("/bad-input/config/%s", config_edits[i].name);
      g_test_add_data_func (n, &config_edits[i], test_bad_config);
    }
  for (guint i = 0; i < G_N_ELEMENTS (fasta_cases); i++)
    {
      g_autofree char *n = g_strdup_printf ("/bad-input/fasta/%s", fasta_cases[i].name);
      g_test_add_data_func (n, &fasta_cases[i], test_bad_fasta);
    }
  g_test_add_func ("/bad-input/arguments", test_bad_arguments);
  return g_test_run ();
}
