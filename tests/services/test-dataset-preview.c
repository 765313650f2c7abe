/* test-dataset-preview.c: the panel's data preview lists every bad row of a table with its
 * line number, counts the classes and the lengths of the good rows. */
#include <string.h>

#include "plm-dataset-preview.h"

static char *tmp_dir;

static char *
write_file (const char *name,
            const char *text)
{
  char *path = g_build_filename (tmp_dir, name, NULL);

  g_assert_true (g_file_set_contents (path, text, -1, NULL));
  return path;
}

static void
test_good_table (void)
{
  g_autofree char *path = write_file ("good.csv", "label,sequence\npolar,KRKRD\napolar,LIV\n\npolar,KK\n");
  g_autoptr(GError) error = NULL;
  g_autoptr(PlmDatasetPreview) p = plm_dataset_preview_new (path, PLM_DATA_PROTEIN, NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpint (p->n_items, ==, 3);
  g_assert_cmpuint (p->errors->len, ==, 0);
  g_assert_cmpuint (p->classes->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (p->classes, 0), ==, "apolar");
  g_assert_cmpint (g_array_index (p->counts, int, 0), ==, 1);
  g_assert_cmpint (g_array_index (p->counts, int, 1), ==, 2);
  g_assert_cmpuint (p->lengths->len, ==, 3);
  g_assert_cmpint (g_array_index (p->lengths, int, 0), ==, 5);
  g_assert_cmpint (g_array_index (p->lengths, int, 2), ==, 2);
}

static void
test_bad_rows (void)
{
  /* lines 3 and 6 are bad (a digit, a missing field); the others count */
  g_autofree char *path = write_file ("bad.csv",
                                      "# comment\nsequence,label\nMK1V,a\nMKV,a\nLLL,b\nMKV\nKKK,b\n");
  g_autoptr(GError) error = NULL;
  g_autoptr(PlmDatasetPreview) p = plm_dataset_preview_new (path, PLM_DATA_PROTEIN, NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (p->errors->len, ==, 2);
  PlmPreviewError *e0 = &g_array_index (p->errors, PlmPreviewError, 0);
  PlmPreviewError *e1 = &g_array_index (p->errors, PlmPreviewError, 1);
  g_test_message ("line %d: %s", e0->line, e0->message);
  g_test_message ("line %d: %s", e1->line, e1->message);
  g_assert_cmpint (e0->line, ==, 3);
  g_assert_cmpint (e1->line, ==, 6);
  g_assert_nonnull (strstr (e0->message, "'1'"));
  g_assert_null (strstr (e0->message, "row:"));
  g_assert_cmpint (p->n_items, ==, 3);
  g_assert_cmpuint (p->classes->len, ==, 2);
}

static void
test_bad_header (void)
{
  g_autofree char *path = write_file ("header.csv", "seq,lab\nMKV,a\n");
  g_autoptr(GError) error = NULL;
  g_autoptr(PlmDatasetPreview) p = plm_dataset_preview_new (path, PLM_DATA_PROTEIN, NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (p->errors->len, ==, 1);
  g_test_message ("line %d: %s", g_array_index (p->errors, PlmPreviewError, 0).line,
                  g_array_index (p->errors, PlmPreviewError, 0).message);
  g_assert_cmpint (g_array_index (p->errors, PlmPreviewError, 0).line, ==, 1);
  g_assert_cmpint (p->n_items, ==, 0);
}

static void
test_fasta_first_error (void)
{
  g_autofree char *good = write_file ("ok.fasta", ">P1 Cytoplasm-S\nMKV\n>P2 Nucleus-M\nLLLL\n>P3 Cytoplasm-U\nKK\n");
  g_autofree char *bad = write_file ("bad.fasta", ">P1 Cytoplasm-S\nMKV\n>P2\nLLLL\n");
  PlmDatasetOptions opt = { PLM_FASTA_LABEL_MEMBRANE, NULL };
  g_autoptr(PlmDatasetPreview) p = plm_dataset_preview_new (good, PLM_DATA_PROTEIN, &opt, NULL);
  g_autoptr(PlmDatasetPreview) q = plm_dataset_preview_new (bad, PLM_DATA_PROTEIN, &opt, NULL);

  g_assert_cmpint (p->n_items, ==, 2);
  g_assert_cmpint (p->n_skipped, ==, 1);
  g_assert_cmpuint (p->errors->len, ==, 0);
  g_assert_cmpuint (q->errors->len, ==, 1);
  g_test_message ("line %d: %s", g_array_index (q->errors, PlmPreviewError, 0).line,
                  g_array_index (q->errors, PlmPreviewError, 0).message);
  g_assert_cmpint (g_array_index (q->errors, PlmPreviewError, 0).line, ==, 3);
}

static void
test_pairs (void)
{
  g_autofree char *dict = write_file ("dict.tsv", "A\tMKV\nB\tLLLLL\nC\tKK\n");
  g_autofree char *pairs = write_file ("pairs.tsv", "A B 1\nA C 0\nB C 1\n");
  g_autofree char *bad = write_file ("badpairs.tsv", "A B 1\nA Z 0\n");
  PlmDatasetOptions opt = { PLM_FASTA_LABEL_LOCATION, dict };
  g_autoptr(PlmDatasetPreview) p = plm_dataset_preview_new (pairs, PLM_DATA_PAIR, &opt, NULL);
  g_autoptr(PlmDatasetPreview) q = plm_dataset_preview_new (bad, PLM_DATA_PAIR, &opt, NULL);

  g_assert_cmpint (p->n_items, ==, 3);
  g_assert_cmpuint (p->lengths->len, ==, 6);   /* both chains of each pair */
  g_assert_cmpint (g_array_index (p->lengths, int, 1), ==, 5);
  g_assert_cmpuint (p->classes->len, ==, 2);
  g_assert_cmpuint (q->errors->len, ==, 1);
  g_assert_cmpint (g_array_index (q->errors, PlmPreviewError, 0).line, ==, 2);
  g_test_message ("%s", g_array_index (q->errors, PlmPreviewError, 0).message);
}

static void
test_unreadable (void)
{
  g_autoptr(GError) error = NULL;
  PlmDatasetPreview *p = plm_dataset_preview_new ("/nonexistent/x.csv", PLM_DATA_PROTEIN, NULL, &error);

  g_assert_null (p);
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  tmp_dir = g_dir_make_tmp ("plm-preview-XXXXXX", NULL);
  g_test_add_func ("/dataset-preview/good-table", test_good_table);
  g_test_add_func ("/dataset-preview/bad-rows", test_bad_rows);
  g_test_add_func ("/dataset-preview/bad-header", test_bad_header);
  g_test_add_func ("/dataset-preview/fasta-first-error", test_fasta_first_error);
  g_test_add_func ("/dataset-preview/pairs", test_pairs);
  g_test_add_func ("/dataset-preview/unreadable", test_unreadable);
  int status = g_test_run ();
  g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", tmp_dir);
  if (system (cmd) != 0)
    g_printerr ("could not remove %s\n", tmp_dir);
  g_free (tmp_dir);
  return status;
}
