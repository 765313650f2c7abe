/* test-tokenizer.c: the fair-esm alphabet and the <cls> … <eos> framing. */
#include <string.h>

#include "plm-fasta.h"
#include "plm-test-util.h"
#include "plm-tokenizer.h"

static void
test_alphabet (void)
{
  /* fair-esm's ESM-1b alphabet order (esm/constants.py + special tokens) */
  static const char *expected = "LAGVSERTIDPKQNFYMHWCXBUZO.-";
  for (int i = 0; expected[i]; i++)
    {
      g_assert_cmpint (plm_token_for_char (expected[i]), ==, 4 + i);
      g_assert_cmpint (plm_token_letter (4 + i), ==, expected[i]);
    }
  g_assert_cmpstr (plm_token_text (0), ==, "<cls>");
  g_assert_cmpstr (plm_token_text (1), ==, "<pad>");
  g_assert_cmpstr (plm_token_text (2), ==, "<eos>");
  g_assert_cmpstr (plm_token_text (3), ==, "<unk>");
  g_assert_cmpstr (plm_token_text (31), ==, "<null_1>");
  g_assert_cmpstr (plm_token_text (32), ==, "<mask>");
  g_assert_null (plm_token_text (33));
  g_assert_null (plm_token_text (-1));
}

static void
test_framing_mask_unknown (void)
{
  int n = 0;
  g_autofree int32_t *t = plm_tokenize ("MK<mask>Jq*<mas", &n);
  /* J, q, * and the broken "<mas" are each one <unk> per character */
  static const int32_t expect[] = { 0, 20, 15, 32, 3, 3, 3, 3, 3, 3, 3, 2 };
  g_assert_cmpint (n, ==, G_N_ELEMENTS (expect));
  g_assert_cmpmem (t, n * sizeof (int32_t), expect, sizeof expect);

  g_autofree int32_t *e = plm_tokenize ("", &n);
  g_assert_cmpint (n, ==, 2);
  g_assert_cmpint (e[0], ==, 0);
  g_assert_cmpint (e[1], ==, 2);
}

static void
test_upper_keeps_mask (void)
{
  g_autofree char *s = plm_sequence_upper ("mk<mask>ac<MASK>");
  g_assert_cmpstr (s, ==, "MK<mask>AC<MASK>");
}

/* The committed reference tokens (from the PyTorch reference) for every record. */
static void
test_reference_tokens (void)
{
  g_autofree char *fasta = plm_test_data_path ("ref-seqs.fasta", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) records = plm_fasta_read (fasta, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (records->len, ==, 4);

  for (guint i = 0; i < records->len; i++)
    {
      PlmFastaRecord *r = records->pdata[i];
      int n = 0;
      g_autofree int32_t *tok = plm_tokenize (r->sequence, &n);
      g_autofree char *path = plm_test_data_path ("ref", "tiny-f32", r->id, "tokens.npy", NULL);
      PlmNpyArray ref;
      plm_test_load_npy (path, &ref);
      g_assert_cmpint (ref.type, ==, PLM_NPY_I32);
      g_assert_cmpmem (tok, n * sizeof (int32_t), ref.data, ref.n_elements * sizeof (int32_t));
      plm_npy_array_clear (&ref);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/tokenizer/alphabet", test_alphabet);
  g_test_add_func ("/tokenizer/framing-mask-unknown", test_framing_mask_unknown);
  g_test_add_func ("/tokenizer/upper-keeps-mask", test_upper_keeps_mask);
  g_test_add_func ("/tokenizer/reference-tokens", test_reference_tokens);
  return g_test_run ();
}
