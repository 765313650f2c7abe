/* test-catalogue.c: the bundled catalogue parses; hostile catalogues are refused cleanly. */
#include <string.h>

#include "plm-catalogue.h"
#include "plm-error.h"

static void
test_bundled (void)
{
  g_autofree char *path = g_build_filename (g_getenv ("PLM_SOURCE_ROOT"), "data", "models.json", NULL);
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PlmCatalogue) cat = NULL;
  const PlmCatalogueEntry *e;
  gsize len;

  g_assert_true (g_file_get_contents (path, &text, &len, &error));
  cat = plm_catalogue_parse (text, len, "models.json", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (cat->n_entries, ==, 10);
  e = plm_catalogue_lookup (cat, "esm2_t6_8M_UR50D");
  g_assert_nonnull (e);
  g_assert_cmpint (e->n_layers, ==, 6);
  g_assert_cmpint (e->n_heads, ==, 20);
  g_assert_cmpint (e->d_model, ==, 320);
  /* The first entry is what the first-start page offers. */
  g_assert_true (e == &cat->entries[0]);
  g_assert_cmpint (plm_catalogue_entry_size (e), ==, 31375984);
  g_assert_cmpstr (e->files[1].sha256, ==, "c78322372c5f2a2db07ff6df20637701d82eb255aa32e2623c2db18553db28d9");
  g_assert_cmpstr (e->files[1].url, ==, "https://huggingface.co/facebook/esm2_t6_8M_UR50D/resolve/main/model.safetensors");
  g_assert_nonnull (plm_catalogue_lookup (cat, "esm2_t33_650M_UR50D"));
  g_assert_cmpint (plm_catalogue_lookup (cat, "esm2_t33_650M_UR50D")->n_layers, ==, 33);
  g_assert_null (plm_catalogue_lookup (cat, "nope"));

  /* ESM-1b and the five ESM-1v models: no pinned hash, so the hub's SHA-256 is checked */
  const char *esm1[] = { "esm1b_t33_650M_UR50S", "esm1v_t33_650M_UR90S_1", "esm1v_t33_650M_UR90S_2",
                         "esm1v_t33_650M_UR90S_3", "esm1v_t33_650M_UR90S_4", "esm1v_t33_650M_UR90S_5" };
  for (guint i = 0; i < G_N_ELEMENTS (esm1); i++)
    {
      g_autofree char *weights = g_strdup_printf ("https://huggingface.co/facebook/%s/resolve/main/model.safetensors",
                                                  esm1[i]);
      e = plm_catalogue_lookup (cat, esm1[i]);
      g_assert_nonnull (e);
      g_assert_cmpint (e->n_layers, ==, 33);
      g_assert_cmpint (e->n_heads, ==, 20);
      g_assert_cmpint (e->d_model, ==, 1280);
      g_assert_cmpint (e->approximate_size, >, 2600000000);
      g_assert_cmpuint (e->n_files, ==, 2);
      g_assert_cmpstr (e->files[1].url, ==, weights);
      g_assert_null (e->files[1].sha256);
    }
}

#define FILE_OK "{\"name\":\"model.safetensors\",\"url\":\"https://example.org/m\",\"size\":10,\"sha256\":null}"
#define ENTRY(id, files) "{\"id\":" id ",\"name\":\"X\",\"layers\":1,\"heads\":1,\"width\":8,\"files\":[" files "]}"
#define CAT(models) "{\"version\":1,\"models\":[" models "]}"

static const struct {
  const char *name;
  const char *json;
  const char *expect;   /* a substring of the message */
} bad[] = {
  { "empty", "", "JSON" },
  { "not-json", "{\"version\":1,", "JSON" },
  { "array-root", "[1,2]", "JSON object" },
  { "no-version", "{\"models\":[]}", "version" },
  { "version-2", "{\"version\":2,\"models\":[]}", "version" },
  { "version-string", "{\"version\":\"1\",\"models\":[]}", "version" },
  { "models-object", "{\"version\":1,\"models\":{}}", "models" },
  { "model-not-object", CAT ("3"), "object" },
  { "id-missing", CAT ("{\"name\":\"X\"}"), "id" },
  { "id-number", CAT (ENTRY ("7", FILE_OK)), "id" },
  { "id-traversal", CAT (ENTRY ("\"../../etc\"", FILE_OK)), "../../etc" },
  { "id-slash", CAT (ENTRY ("\"a/b\"", FILE_OK)), "a/b" },
  { "id-hidden", CAT (ENTRY ("\".x\"", FILE_OK)), ".x" },
  { "id-duplicate", CAT (ENTRY ("\"a\"", FILE_OK) "," ENTRY ("\"a\"", FILE_OK)), "twice" },
  { "layers-negative", CAT ("{\"id\":\"a\",\"name\":\"X\",\"layers\":-1,\"heads\":1,\"width\":8,\"files\":[" FILE_OK "]}"), "layers" },
  { "layers-float", CAT ("{\"id\":\"a\",\"name\":\"X\",\"layers\":1.5,\"heads\":1,\"width\":8,\"files\":[" FILE_OK "]}"), "layers" },
  { "layers-huge", CAT ("{\"id\":\"a\",\"name\":\"X\",\"layers\":99999999999999999999,\"heads\":1,\"width\":8,\"files\":[" FILE_OK "]}"), "" },
  { "files-missing", CAT ("{\"id\":\"a\",\"name\":\"X\",\"layers\":1,\"heads\":1,\"width\":8}"), "files" },
  { "files-empty", CAT (ENTRY ("\"a\"", "")), "files" },
  { "file-name-traversal", CAT (ENTRY ("\"a\"", "{\"name\":\"../x\",\"url\":\"https://e.org/m\"}")), "../x" },
  { "file-name-absolute", CAT (ENTRY ("\"a\"", "{\"name\":\"/etc/passwd\",\"url\":\"https://e.org/m\"}")), "/etc/passwd" },
  { "file-duplicate", CAT (ENTRY ("\"a\"", FILE_OK "," FILE_OK)), "twice" },
  { "url-http", CAT (ENTRY ("\"a\"", "{\"name\":\"m\",\"url\":\"http://e.org/m\"}")), "https" },
  { "url-http-lookalike", CAT (ENTRY ("\"a\"", "{\"name\":\"m\",\"url\":\"http://127.0.0.1.evil.org/m\"}")), "https" },
  { "url-file", CAT (ENTRY ("\"a\"", "{\"name\":\"m\",\"url\":\"file:///etc/passwd\"}")), "https" },
  { "url-userinfo", CAT (ENTRY ("\"a\"", "{\"name\":\"m\",\"url\":\"https://u:p@e.org/m\"}")), "https" },
  { "url-garbage", CAT (ENTRY ("\"a\"", "{\"name\":\"m\",\"url\":\"::::\"}")), "https" },
  { "size-negative", CAT (ENTRY ("\"a\"", "{\"name\":\"m\",\"url\":\"https://e.org/m\",\"size\":-5}")), "size" },
  { "size-string", CAT (ENTRY ("\"a\"", "{\"name\":\"m\",\"url\":\"https://e.org/m\",\"size\":\"5\"}")), "size" },
  { "sha-short", CAT (ENTRY ("\"a\"", "{\"name\":\"m\",\"url\":\"https://e.org/m\",\"sha256\":\"abc\"}")), "sha256" },
  { "sha-upper", CAT (ENTRY ("\"a\"", "{\"name\":\"m\",\"url\":\"https://e.org/m\",\"sha256\":\"C78322372C5F2A2DB07FF6DF20637701D82EB255AA32E2623C2DB18553DB28D9\"}")), "sha256" },
  { "sha-number", CAT (ENTRY ("\"a\"", "{\"name\":\"m\",\"url\":\"https://e.org/m\",\"sha256\":5}")), "sha256" },
  { "description-object", CAT ("{\"id\":\"a\",\"name\":\"X\",\"description\":{},\"layers\":1,\"heads\":1,\"width\":8,\"files\":[" FILE_OK "]}"), "description" },
  { "nul-byte", "{\"version\":1,\0\"models\":[]}", "UTF-8" },
};

static void
test_hostile (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(PlmCatalogue) cat = NULL;
      /* The NUL case needs its real length. */
      gsize len = g_str_equal (bad[i].name, "nul-byte") ? 24 : strlen (bad[i].json);

      cat = plm_catalogue_parse (bad[i].json, len, "hostile.json", &error);
      g_test_message ("%-20s → %s", bad[i].name, error ? error->message : "(accepted)");
      g_assert_null (cat);
      g_assert_error (error, PLM_ERROR, PLM_ERROR_FORMAT);
      g_assert_true (g_str_has_prefix (error->message, "hostile.json: "));
      g_assert_nonnull (strstr (error->message, bad[i].expect));
    }
}

static void
test_deep_and_large (void)
{
  g_autoptr(GString) deep = g_string_new ("{\"version\":1,\"models\":");
  g_autoptr(GError) error = NULL;
  g_autofree char *large = NULL;
  PlmCatalogue *cat;

  /* 100,000 nested arrays would overflow a recursive parser's stack. */
  for (int i = 0; i < 100000; i++)
    g_string_append_c (deep, '[');
  cat = plm_catalogue_parse (deep->str, deep->len, "deep.json", &error);
  g_assert_null (cat);
  g_assert_error (error, PLM_ERROR, PLM_ERROR_FORMAT);
  g_assert_nonnull (strstr (error->message, "nested"));
  g_clear_error (&error);

  large = g_malloc0 (PLM_CATALOGUE_MAX_BYTES + 2);
  memset (large, ' ', PLM_CATALOGUE_MAX_BYTES + 1);
  cat = plm_catalogue_parse (large, PLM_CATALOGUE_MAX_BYTES + 1, "large.json", &error);
  g_assert_null (cat);
  g_assert_error (error, PLM_ERROR, PLM_ERROR_FORMAT);
  g_assert_nonnull (strstr (error->message, "too large"));
}

/* With a NULL GError the result is still NULL (the helpers must not rely on the caller's). */
/* A mirror on this machine may use plain http. */
static void
test_loopback_http (void)
{
  const char *json = CAT (ENTRY ("\"a\"", "{\"name\":\"m\",\"url\":\"http://127.0.0.1:8080/m\"}"));
  g_autoptr(GError) error = NULL;
  g_autoptr(PlmCatalogue) cat = plm_catalogue_parse (json, strlen (json), "x", &error);

  g_assert_no_error (error);
  g_assert_cmpstr (cat->entries[0].files[0].url, ==, "http://127.0.0.1:8080/m");
}

static void
test_null_error (void)
{
  const char *json = CAT (ENTRY ("\"a\"", "{\"name\":\"m\",\"url\":\"https://e.org/m\",\"sha256\":5}"));

  g_assert_null (plm_catalogue_parse (json, strlen (json), "x", NULL));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/catalogue/bundled", test_bundled);
  g_test_add_func ("/catalogue/hostile", test_hostile);
  g_test_add_func ("/catalogue/deep-and-large", test_deep_and_large);
  g_test_add_func ("/catalogue/null-error", test_null_error);
  g_test_add_func ("/catalogue/loopback-http", test_loopback_http);
  return g_test_run ();
}
