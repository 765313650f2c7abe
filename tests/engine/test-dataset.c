/* test-dataset.c: fine-tuning data readers, label mapping, splits and negative sampling. */
#include <string.h>

#include "plm-dataset.h"
#include "plm-error.h"
#include "plm-test-util.h"

static void
test_table (void)
{
  g_autoptr(GError) error = NULL;
  const char *csv = "label,id,sequence\r\nb,x,mkv\r\na,y,ACDE\n\nb,z,WW\n";
  g_autoptr(PlmDataset) ds = plm_dataset_parse_table (csv, "t.csv", &error);
  g_assert_no_error (error);
  g_assert_cmpint (ds->n_items, ==, 3);
  g_assert_cmpstr (g_ptr_array_index (ds->seqs, 0), ==, "MKV");
  g_assert_cmpint (ds->item_line[2], ==, 5);

  g_autoptr(GPtrArray) classes = plm_dataset_classes (ds);
  g_assert_cmpint (classes->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (classes, 0), ==, "a");
  g_assert_true (plm_dataset_map_labels (ds, classes, &error));
  g_assert_cmpint (ds->label[0], ==, 1);
  g_assert_cmpint (ds->label[1], ==, 0);

  g_autofree char *report = plm_dataset_balance_report (ds, classes);
  g_assert_nonnull (strstr (report, "a 1 (33.3%), b 2 (66.7%)"));

  /* tab-separated */
  g_autoptr(PlmDataset) tsv = plm_dataset_parse_table ("sequence\tlabel\nMK\t1\n", "t.tsv", &error);
  g_assert_no_error (error);
  g_assert_cmpint (tsv->n_items, ==, 1);

  /* errors name file:line */
  static const struct { const char *text, *msg; } bad[] = {
    { "seq,label\nMK,1\n", "t.csv:1: the header must name" },
    { "sequence,label\nMK,1\nMK\n", "t.csv:3: expected 2 columns, found 1" },
    { "sequence,label\nM1K,1\n", "t.csv:2: the sequence contains '1'" },
    { "sequence,label\n,1\n", "t.csv:2: empty sequence" },
    { "sequence,label\n", "t.csv: no data rows" },
  };
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) e = NULL;
      g_autoptr(PlmDataset) d = plm_dataset_parse_table (bad[i].text, "t.csv", &e);
      g_assert_null (d);
      g_assert_error (e, PLM_ERROR, PLM_ERROR_FORMAT);
      g_assert_true (g_str_has_prefix (e->message, bad[i].msg));
    }

  /* a label unseen in training */
  g_autoptr(PlmDataset) other = plm_dataset_parse_table ("sequence,label\nMK,c\n", "v.csv", &error);
  g_assert_false (plm_dataset_map_labels (other, classes, &error));
  g_assert_error (error, PLM_ERROR, PLM_ERROR_INPUT);
  g_assert_cmpstr (error->message, ==, "v.csv:2: label \"c\" is not one of the training labels");
}

static const char *deeploc =
  ">P1 Cell.membrane-M\nMKV\nLL\n"
  ">P2 Nucleus-S test\nMAAA\n"
  ">P3 Nucleus-U\nMW\n"
  ">P4 Cytoplasm-S\nMC\n";

static void
test_fasta (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PlmDataset) loc = plm_dataset_parse_fasta (deeploc, "d.fasta", PLM_FASTA_LABEL_LOCATION, &error);
  g_assert_no_error (error);
  g_assert_cmpint (loc->n_items, ==, 4);
  g_assert_cmpstr (g_ptr_array_index (loc->item_label, 0), ==, "Cell.membrane");
  g_assert_cmpstr (g_ptr_array_index (loc->item_label, 2), ==, "Nucleus");
  g_assert_cmpstr (g_ptr_array_index (loc->seqs, 0), ==, "MKVLL");
  g_assert_cmpstr (g_ptr_array_index (loc->seq_ids, 1), ==, "P2");

  g_autoptr(PlmDataset) mem = plm_dataset_parse_fasta (deeploc, "d.fasta", PLM_FASTA_LABEL_MEMBRANE, &error);
  g_assert_no_error (error);
  g_assert_cmpint (mem->n_items, ==, 3);
  g_assert_cmpint (mem->n_skipped, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (mem->item_label, 0), ==, "membrane");
  g_assert_cmpstr (g_ptr_array_index (mem->item_label, 2), ==, "soluble");

  g_autoptr(PlmDataset) bad = plm_dataset_parse_fasta (">P1 Cell\nMK\n>P2 Nucleus-S\nMK\n", "b.fasta",
                                                       PLM_FASTA_LABEL_LOCATION, &error);
  g_assert_null (bad);
  g_assert_error (error, PLM_ERROR, PLM_ERROR_FORMAT);
  g_assert_true (g_str_has_prefix (error->message, "b.fasta:1: expected a DeepLoc header"));
}

static const char *dict = "A\tMKV\nB\tMWW\nC\tMCC\nD\tMDD\nE\tMEE\n";
static const char *pairs =
  "item_id_a\titem_id_b\tlabel\n"
  "A\tB\t1\n"
  "A\tC\t0\n"
  "B\tD\t1\n"
  "B\tD\t1\n"
  "D\tE\t0\n";

static void
test_pairs (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PlmDataset) ds = plm_dataset_parse_pairs (pairs, "p.tsv", dict, "d.tsv", &error);
  g_assert_no_error (error);
  g_assert_cmpint (ds->n_items, ==, 4);   /* header skipped, duplicate row counted once */
  g_assert_cmpint (ds->item_a[0], ==, 0);
  g_assert_cmpint (ds->item_b[0], ==, 1);
  g_assert_cmpint (ds->item_line[3], ==, 6);

  g_autoptr(PlmDataset) bad = plm_dataset_parse_pairs ("A\tB\t1\nA\tZ\t0\n", "p.tsv", dict, "d.tsv", &error);
  g_assert_null (bad);
  g_assert_cmpstr (error->message, ==, "p.tsv:2: \"Z\" is not in the sequence dictionary d.tsv");
  g_clear_error (&error);
  bad = plm_dataset_parse_pairs ("A\tB\n", "p.tsv", dict, "d.tsv", &error);
  g_assert_null (bad);
  g_assert_cmpstr (error->message, ==, "p.tsv:1: expected \"idA idB label\"");
  g_clear_error (&error);
  bad = plm_dataset_parse_pairs ("A\tB\t1\n", "p.tsv", "A\tMK\nA\tMW\n", "d.tsv", &error);
  g_assert_null (bad);
  g_assert_cmpstr (error->message, ==, "d.tsv:2: duplicate id \"A\"");
}

static void
test_split (void)
{
  GString *csv = g_string_new ("sequence,label\n");
  for (int i = 0; i < 100; i++)
    g_string_append_printf (csv, "M%s,%d\n", i % 2 ? "K" : "W", i % 3);
  g_autoptr(GError) error = NULL;
  g_autoptr(PlmDataset) ds = plm_dataset_parse_table (csv->str, "s.csv", &error);
  g_string_free (csv, TRUE);
  g_assert_no_error (error);

  PlmDataset *tr, *va, *te, *tr2, *va2, *te2;
  plm_dataset_split (ds, 0.1, 0.2, 42, &tr, &va, &te);
  plm_dataset_split (ds, 0.1, 0.2, 42, &tr2, &va2, &te2);
  g_assert_cmpint (tr->n_items, ==, 70);
  g_assert_cmpint (va->n_items, ==, 10);
  g_assert_cmpint (te->n_items, ==, 20);
  /* deterministic and a partition of the lines */
  g_autofree int *seen = g_new0 (int, 200);
  PlmDataset *parts[] = { tr, va, te };
  for (int p = 0; p < 3; p++)
    for (int i = 0; i < parts[p]->n_items; i++)
      seen[parts[p]->item_line[i]]++;
  for (int l = 2; l < 102; l++)
    g_assert_cmpint (seen[l], ==, 1);
  g_assert_cmpmem (va->item_line, 10 * sizeof (int), va2->item_line, 10 * sizeof (int));
  PlmDataset *va3;
  plm_dataset_split (ds, 0.1, 0.2, 43, NULL, &va3, NULL);
  g_assert_true (memcmp (va->item_line, va3->item_line, 10 * sizeof (int)) != 0);
  plm_dataset_free (tr); plm_dataset_free (va); plm_dataset_free (te);
  plm_dataset_free (tr2); plm_dataset_free (va2); plm_dataset_free (te2); plm_dataset_free (va3);
}

static void
test_sampler_protein (void)
{
  g_autoptr(GError) error = NULL;
  GString *csv = g_string_new ("sequence,label\n");
  for (int i = 0; i < 30; i++)
    g_string_append_printf (csv, "M%c,%c\n", 'A' + i % 20, 'a' + i % 3);
  g_autoptr(PlmDataset) ds = plm_dataset_parse_table (csv->str, "s.csv", &error);
  g_string_free (csv, TRUE);
  g_autoptr(GPtrArray) classes = plm_dataset_classes (ds);
  g_assert_true (plm_dataset_map_labels (ds, classes, &error));
  g_autoptr(PlmNmSampler) s = plm_nm_sampler_new (ds);
  PlmRng r1, r2;
  plm_rng_seed (&r1, 5);
  plm_rng_seed (&r2, 5);
  int neg_label_counts[3] = { 0 };
  for (int it = 0; it < 300; it++)
    {
      int item = it % ds->n_items, pos, pos2, neg[3], neg2[3], side[3];
      plm_nm_sampler_sample (s, &r1, item, 3, &pos, neg, side);
      plm_nm_sampler_sample (s, &r2, item, 3, &pos2, neg2, side);
      g_assert_cmpint (pos, ==, pos2);
      g_assert_cmpmem (neg, sizeof neg, neg2, sizeof neg2);
      g_assert_cmpint (pos, !=, item);
      g_assert_cmpint (ds->label[pos], ==, ds->label[item]);
      for (int n = 0; n < 3; n++)
        {
          /* items and sequences coincide in a table: the negative's label differs */
          g_assert_cmpint (ds->label[neg[n]], !=, ds->label[item]);
          neg_label_counts[ds->label[neg[n]]]++;
        }
    }
  for (int c = 0; c < 3; c++)
    g_assert_cmpint (neg_label_counts[c], >, 200);
}

static void
test_sampler_pairs (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PlmDataset) ds = plm_dataset_parse_pairs (pairs, "p.tsv", dict, "d.tsv", &error);
  g_autoptr(GPtrArray) classes = plm_dataset_classes (ds);
  g_assert_true (plm_dataset_map_labels (ds, classes, &error));
  g_autoptr(PlmNmSampler) s = plm_nm_sampler_new (ds);
  PlmRng rng;
  plm_rng_seed (&rng, 1);
  for (int it = 0; it < 50; it++)
    {
      int pos, neg[4], side[4];
      plm_nm_sampler_sample (s, &rng, 0, 4, &pos, neg, side);   /* A–B interacting */
      g_assert_cmpint (pos, ==, -1);
      for (int n = 0; n < 4; n++)
        {
          g_assert_cmpint (side[n], ==, n % 2);
          if (side[n] == 0)
            g_assert_cmpint (neg[n], ==, 2);    /* A's listed non-partner is C */
          else
            g_assert_true (neg[n] != 0 && neg[n] != 3 && neg[n] != 1);  /* not A, D (partners) or B itself */
        }
    }
}

/* Reads a DeepLoc FASTA (10 locations; the M/S task) and a Guo yeast pair file with its
 * dictionary; @n_* are the expected counts. */
static void
check_deeploc_guo (const char *deeploc_path, int n_loc, int n_membrane, const char *actions,
                   const char *dictionary, int n_pairs)
{
  g_autoptr(GError) error = NULL;
  PlmDatasetOptions opt = { PLM_FASTA_LABEL_LOCATION, NULL };
  g_autoptr(PlmDataset) loc = plm_dataset_read (deeploc_path, PLM_DATA_PROTEIN, &opt, &error);
  g_assert_no_error (error);
  g_autoptr(GPtrArray) classes = plm_dataset_classes (loc);
  g_assert_cmpint (loc->n_items, ==, n_loc);
  g_assert_cmpint (classes->len, ==, 10);
  g_assert_cmpint (strlen (loc->sha256), ==, 64);

  PlmDatasetOptions mopt = { PLM_FASTA_LABEL_MEMBRANE, NULL };
  g_autoptr(PlmDataset) mem = plm_dataset_read (deeploc_path, PLM_DATA_PROTEIN, &mopt, &error);
  g_assert_no_error (error);
  g_autoptr(GPtrArray) mcl = plm_dataset_classes (mem);
  g_assert_cmpint (mem->n_items, ==, n_membrane);
  g_assert_cmpint (mem->n_skipped, ==, n_loc - n_membrane);   /* the U records */
  g_assert_cmpint (mcl->len, ==, 2);

  PlmDatasetOptions popt = { 0, dictionary };
  g_autoptr(PlmDataset) guo = plm_dataset_read (actions, PLM_DATA_PAIR, &popt, &error);
  g_assert_no_error (error);
  g_assert_cmpint (guo->n_items, ==, n_pairs);
  g_autoptr(GPtrArray) pcl = plm_dataset_classes (guo);
  g_assert_cmpint (pcl->len, ==, 2);
  g_assert_true (plm_dataset_map_labels (guo, pcl, &error));
  g_autofree char *report = plm_dataset_balance_report (guo, pcl);
  g_test_message ("%s", report);
}

/* Excerpts of the DeepLoc test set (3 records per location) and of Guo's yeast pairs (20
 * positive, 20 negative), committed in tests/data/datasets. */
static void
test_dataset_excerpts (void)
{
  g_autofree char *deeploc_path = plm_test_data_path ("datasets", "deeploc_test_excerpt.fasta", NULL);
  g_autofree char *actions = plm_test_data_path ("datasets", "guo_yeast_excerpt.actions.tsv", NULL);
  g_autofree char *dictionary = plm_test_data_path ("datasets", "guo_yeast_excerpt.dictionary.tsv", NULL);

  /* 30 records: 14 M, 8 S, 8 U (counted with awk when the excerpt was cut) */
  check_deeploc_guo (deeploc_path, 30, 22, actions, dictionary, 40);
}

/* Extra, when ../shared/datasets is beside the tree: the whole DeepLoc test set and Guo file. */
static void
test_shared_datasets (void)
{
  const char *fix = g_getenv ("PLM_SHARED_FIXTURES");
  g_autofree char *root = fix != NULL ? g_build_filename (fix, "..", "datasets", NULL) : NULL;
  g_autofree char *fasta = root != NULL ? g_build_filename (root, "deeploc1_lightattention_splits", "deeploc_test_set.fasta", NULL) : NULL;
  if (fasta == NULL || !g_file_test (fasta, G_FILE_TEST_EXISTS))
    {
      g_test_skip ("extra check on the full data sets: ../shared/datasets is not beside the source tree "
                   "(/dataset/excerpts reads committed excerpts of the same files)");
      return;
    }
  g_autofree char *acts = g_build_filename (root, "yeast_ppi_guo", "protein.actions.tsv", NULL);
  g_autofree char *dic = g_build_filename (root, "yeast_ppi_guo", "protein.dictionary.tsv", NULL);
  /* datasets/SOURCES.md: 2,768 records, M 743 / S 1003 / U 1022; 11,188 rows of which 24
   * repeat an unordered pair (counted with awk) and are read once */
  check_deeploc_guo (fasta, 2768, 743 + 1003, acts, dic, 11188 - 24);
}

/* Regression (found by fuzz-dataset): a DeepLoc label ending in '-' is an error, not a read
 * past the end of the header (ASan checks this in the sanitizer build). */
static void
test_fasta_trailing_dash (void)
{
  static const char *cases[] = { ">P1 Cytoplasm-\nMKV\n", ">P1 -\nMKV\n", ">P1 Nucleus-X\nMKV\n",
                                 ">P1 Nucleus-MM\nMKV\n" };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      PlmDataset *ds = plm_dataset_parse_fasta (cases[i], "dash.fasta", PLM_FASTA_LABEL_LOCATION, &error);
      g_assert_null (ds);
      g_assert_error (error, PLM_ERROR, PLM_ERROR_FORMAT);
      g_assert_nonnull (strstr (error->message, "dash.fasta:1: expected a DeepLoc header"));
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/dataset/table", test_table);
  g_test_add_func ("/dataset/fasta", test_fasta);
  g_test_add_func ("/dataset/fasta-trailing-dash", test_fasta_trailing_dash);
  g_test_add_func ("/dataset/pairs", test_pairs);
  g_test_add_func ("/dataset/split", test_split);
  g_test_add_func ("/dataset/sampler-protein", test_sampler_protein);
  g_test_add_func ("/dataset/sampler-pairs", test_sampler_pairs);
  g_test_add_func ("/dataset/excerpts", test_dataset_excerpts);
  g_test_add_func ("/dataset/shared", test_shared_datasets);
  return g_test_run ();
}
