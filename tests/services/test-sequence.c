/* test-sequence.c: FASTA/pasted-text parsing and normalisation for the sidebar. */
#include <string.h>

#include "plm-error.h"
#include "plm-sequence.h"

static PlmSequence *
nth (GListStore *store,
     guint       i)
{
  PlmSequence *seq = g_list_model_get_item (G_LIST_MODEL (store), i);
  g_object_unref (seq);  /* the store keeps it alive */
  return seq;
}

static void
test_multi_record (void)
{
  const char *text = ";old comment\n>a first one\nMKT\nAYI\n\n>b\r\nQRQ ISF\r\n>c <mask> test\nMK<mask>T\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(GListStore) store = plm_sequence_parse (text, -1, "x.fasta", &error);

  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 3);
  g_assert_cmpstr (plm_sequence_get_id (nth (store, 0)), ==, "a");
  g_assert_cmpstr (plm_sequence_get_description (nth (store, 0)), ==, "first one");
  g_assert_cmpstr (plm_sequence_get_residues (nth (store, 0)), ==, "MKTAYI");
  g_assert_cmpint (plm_sequence_get_line (nth (store, 0)), ==, 2);
  g_assert_null (plm_sequence_get_note (nth (store, 0)));
  g_assert_cmpstr (plm_sequence_get_residues (nth (store, 1)), ==, "QRQISF");
  g_assert_cmpint (plm_sequence_get_line (nth (store, 1)), ==, 6);
  /* <mask> is one token: length 4, valid. */
  g_assert_cmpstr (plm_sequence_get_residues (nth (store, 2)), ==, "MK<mask>T");
  g_assert_cmpint (plm_sequence_get_length (nth (store, 2)), ==, 4);
  g_assert_true (plm_sequence_is_valid (nth (store, 2)));
}

static void
test_normalise (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GListStore) store = plm_sequence_parse ("  1 mktayi akqr\n 61 QISFvk*\n", -1, "paste", &error);
  PlmSequence *seq;
  guint n;

  g_assert_no_error (error);
  seq = nth (store, 0);
  g_assert_cmpstr (plm_sequence_get_residues (seq), ==, "MKTAYIAKQRQISFVK");
  g_assert_true (plm_sequence_is_valid (seq));
  plm_sequence_get_invalid (seq, &n);
  g_assert_cmpuint (n, ==, 0);
  /* 1, 6, 1 → 3 digits; 12 lower-case letters; the final stop. */
  g_assert_nonnull (strstr (plm_sequence_get_note (seq), "3 digits"));
  g_assert_nonnull (strstr (plm_sequence_get_note (seq), "12 lower-case"));
  g_assert_nonnull (strstr (plm_sequence_get_note (seq), "stop"));
}

static void
test_invalid_positions (void)
{
  g_autoptr(GListStore) store = plm_sequence_parse (">x\nMKJ-T*AB#\n", -1, "x", NULL);
  PlmSequence *seq = nth (store, 0);
  g_autofree char *markup = NULL;
  const int *pos;
  guint n;

  /* J, -, * (not final), # are not amino acids; B is (Asx). */
  pos = plm_sequence_get_invalid (seq, &n);
  g_assert_cmpuint (n, ==, 4);
  g_assert_cmpint (pos[0], ==, 2);
  g_assert_cmpint (pos[1], ==, 3);
  g_assert_cmpint (pos[2], ==, 5);
  g_assert_cmpint (pos[3], ==, 8);
  g_assert_false (plm_sequence_is_valid (seq));
  markup = plm_sequence_dup_markup (seq, 100);
  g_assert_nonnull (strstr (markup, ">J</span>"));
  g_assert_nonnull (strstr (markup, ">#</span>"));
}

static void
test_long (void)
{
  g_autofree char *text = g_strnfill (1023, 'A');
  g_autoptr(GListStore) store = plm_sequence_parse (text, -1, "x", NULL);
  g_autofree char *ok = g_strnfill (PLM_SEQUENCE_TRAINED_MAX, 'A');
  g_autoptr(GListStore) store2 = plm_sequence_parse (ok, -1, "x", NULL);

  g_assert_true (plm_sequence_is_too_long (nth (store, 0)));
  g_assert_false (plm_sequence_is_too_long (nth (store2, 0)));
}

static void
test_errors (void)
{
  static const struct { const char *text; gsize len; const char *expect; } cases[] = {
    { "", 0, "no sequence" },
    { "   \n\n", 5, "no sequence" },
    { ">a\n>b\nMK\n", 9, "x.fa:1: no residues in the record “a”" },
    { ">a\nMK\n>b\n12 34\n", 15, "x.fa:3: no residues in the record “b”" },
    { ">a\nM\0K\n", 7, "binary" },
    { ">a\nM\xff\xfeK\n", 8, "UTF-8" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GListStore) store = plm_sequence_parse (cases[i].text, cases[i].len, "x.fa", &error);

      g_test_message ("case %u: %s", i, error ? error->message : "(accepted)");
      g_assert_null (store);
      g_assert_nonnull (error);
      g_assert_nonnull (strstr (error->message, cases[i].expect));
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/sequence/multi-record", test_multi_record);
  g_test_add_func ("/sequence/normalise", test_normalise);
  g_test_add_func ("/sequence/invalid-positions", test_invalid_positions);
  g_test_add_func ("/sequence/long", test_long);
  g_test_add_func ("/sequence/errors", test_errors);
  return g_test_run ();
}
