/* test-structure-dataset.c: choosing a chain (plm-structure-chains.h), distances from HA sites in
 * space (plm-ha-structure.h), and the real files of ../shared/datasets/contact_validation_pdb:
 * every chain against its own SEQRES (the alignment is right where numbering from 1 is not),
 * and the records of some_proteins.fasta, none of which is one of these proteins (the alignment
 * refuses them; matching by number would have paired them with residues all the same). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "plm-contacts.h"
#include "plm-error.h"
#include "plm-fasta.h"
#include "plm-ha-structure.h"
#include "plm-structure-chains.h"
#include "plm-test-util.h"

static PlmChainFit
fit (const char *chain, int aligned, int identical)
{
  PlmChainFit f = { { 0 } };

  g_strlcpy (f.chain, chain, sizeof f.chain);
  f.aligned = aligned;
  f.identical = identical;
  f.identity = aligned > 0 ? (double) identical / aligned : NAN;
  f.coverage = aligned / 100.0;
  return f;
}

/* The default chain: of those at ≥ 90% identity the most identical residues; else the highest
 * identity; ties to the first. */
static void
test_chain_best (void)
{
  g_autoptr(GArray) fits = g_array_new (FALSE, TRUE, sizeof (PlmChainFit));
  PlmChainFit f;

  g_assert_cmpint (plm_structure_chain_best (fits), ==, -1);
  f = fit ("P", 10, 10);   /* a peptide of the protein: 100% over 10 residues */
  g_array_append_val (fits, f);
  f = fit ("A", 95, 93);   /* the protein: 97.9% over 95 */
  g_array_append_val (fits, f);
  f = fit ("B", 95, 93);   /* its copy: a tie, the first wins */
  g_array_append_val (fits, f);
  f = fit ("X", 0, 0);     /* nothing aligned */
  g_array_append_val (fits, f);
  g_assert_cmpint (plm_structure_chain_best (fits), ==, 1);

  /* none passes: the highest identity */
  g_array_set_size (fits, 0);
  f = fit ("A", 80, 40);
  g_array_append_val (fits, f);
  f = fit ("X", 0, 0);
  g_array_append_val (fits, f);
  f = fit ("B", 20, 12);
  g_array_append_val (fits, f);
  g_assert_cmpint (plm_structure_chain_best (fits), ==, 2);
}

/* Two chains written by the test: another protein first, then the sequence with a missing loop. */
static void
test_chain_fits_and_distances (void)
{
  static const char seq[] = "MKTAYIAKQRQISFVKSHFSRQLEERLGLIEVQAPILSRVGDGTQDNLSGAEKAVQVKVKALPDAQFEVVHSLAKWKRQTLGQHDF";
  g_autofree char *other = g_strdup ("WWPWWGWWDWWEWWPWWGWWDWWEWWPWWG");   /* another protein */
  PlmTestChain chains[2] = { { "B", other, 1, 0, 0, 40.0 }, { "A", seq, 201, 10, 15, 0.0 } };
  g_autofree char *path = plm_test_write_helix_pdb ("fits.pdb", chains, 2);
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(PlmStructure) s = plm_structure_read (path, &error);
  g_autoptr(GArray) fits = NULL;
  g_autoptr(PlmStructureMap) map = NULL;
  const PlmChainFit *a;
  int L = (int) strlen (seq), nearest;
  const int targets[] = { 12, 60, 30, 500, -3 };   /* 12: in the missing loop; 500, −3: outside */
  double d, ca[2][3];

  g_assert_no_error (error);
  fits = plm_structure_chain_fits (s, seq, L, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (fits->len, ==, 2);
  g_assert_cmpstr (g_array_index (fits, PlmChainFit, 0).chain, ==, "B");
  a = &g_array_index (fits, PlmChainFit, 1);
  g_assert_cmpstr (a->chain, ==, "A");
  g_assert_cmpint (a->n_observed, ==, L - 5);
  g_assert_cmpint (a->aligned, ==, L - 5);
  g_assert_cmpint (a->identical, ==, L - 5);
  g_assert_cmpfloat (a->coverage, ==, (double) (L - 5) / L);
  g_assert_cmpfloat (g_array_index (fits, PlmChainFit, 0).identity, <, 0.5);
  g_assert_cmpint (plm_structure_chain_best (fits), ==, 1);

  /* Cα distance from residue 40 to the nearest observed, in-range target: 30 (10 residues away
   * on the helix, nearer than 60) */
  map = plm_structure_map_align (s, "A", seq, L, FALSE, &error);
  g_assert_no_error (error);
  d = plm_ha_structure_distance (s, map, 40, targets, G_N_ELEMENTS (targets), &nearest);
  plm_test_helix_ca (0.0, 40, ca[0]);
  plm_test_helix_ca (0.0, 30, ca[1]);
  g_assert_cmpint (nearest, ==, 30);
  g_assert_cmpfloat (fabs (d - sqrt ((ca[0][0] - ca[1][0]) * (ca[0][0] - ca[1][0]) + (ca[0][1] - ca[1][1]) * (ca[0][1] - ca[1][1]) +
                                     (ca[0][2] - ca[1][2]) * (ca[0][2] - ca[1][2]))), <, 2e-3);
  /* an unobserved residue, or only unobserved targets: NaN, no neighbour instead */
  g_assert_true (isnan (plm_ha_structure_distance (s, map, 12, targets, G_N_ELEMENTS (targets), &nearest)));
  g_assert_cmpint (nearest, ==, -1);
  g_assert_true (isnan (plm_ha_structure_distance (s, map, 40, targets, 1, &nearest)));
  g_assert_cmpint (nearest, ==, -1);

  /* no chain with amino acids */
  {
    g_autoptr(PlmStructure) water = plm_structure_parse ("HETATM    1  O   HOH W   1       0.000   0.000   0.000  1.00  0.00           O\nEND\n",
                                                        88, "water.pdb", NULL);
    g_assert_null (water);   /* the reader already refuses a file without amino acids */
  }
  plm_test_rm_rf (dir);
}

/* ---- the real files ---- */

static char
one_letter (const char *three)
{
  static const char *const names[] = { "ALA", "ARG", "ASN", "ASP", "CYS", "GLN", "GLU", "GLY", "HIS", "ILE",
                                       "LEU", "LYS", "MET", "PHE", "PRO", "SER", "THR", "TRP", "TYR", "VAL", "MSE" };
  static const char letters[] = "ARNDCQEGHILKMFPSTWYVM";

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (strncmp (three, names[i], 3) == 0)
      return letters[i];
  return 'X';
}

/* chain id → SEQRES as one-letter codes, read from the file's SEQRES records by the test. */
static GHashTable *
read_seqres (const char *path)
{
  g_autofree char *text = NULL;
  gsize length;
  GHashTable *chains = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  g_assert_true (g_file_get_contents (path, &text, &length, NULL));
  /* line by line with memchr (g_strsplit is quadratic under ASan) */
  for (const char *l = text, *nl; l < text + length; l = nl + 1)
    {
      gsize n;
      char id[2] = { 0 };
      GString *seq;

      nl = memchr (l, '\n', (gsize) (text + length - l));
      if (nl == NULL)
        nl = text + length;
      n = (gsize) (nl - l);
      if (n < 22 || strncmp (l, "SEQRES", 6) != 0)
        continue;
      id[0] = l[11];
      seq = g_hash_table_lookup (chains, id);
      if (seq == NULL)
        g_hash_table_insert (chains, g_strdup (id), seq = g_string_new (NULL));
      for (gsize c = 19; c + 3 <= n; c += 4)
        if (l[c] != ' ')
          g_string_append_c (seq, one_letter (l + c));
    }
  return chains;
}

static char *
dataset_dir (void)
{
  const char *fix = g_getenv ("PLM_SHARED_FIXTURES");
  char *dir = fix != NULL ? g_build_filename (fix, "..", "datasets", "contact_validation_pdb", NULL) : NULL;

  if (dir != NULL && g_file_test (dir, G_FILE_TEST_IS_DIR))
    return dir;
  g_free (dir);
  g_test_skip ("extra check on real files: ../shared/datasets/contact_validation_pdb is not beside the source tree "
               "(/structure-map/real-5yh2 and /structure-map/real-1hpv read committed copies)");
  return NULL;
}

/* Precision at L/5 of the structure's own contact map (a perfect predictor: minus the Cβ
 * distance of the residues @map pairs) against the truth of @map, then of matching by number
 * from 1 as before the alignment (residues not found: no contact; every pair ranked). */
static void
oracle_precisions (const PlmStructure    *s,
                   const PlmStructureMap *map,
                   const PlmStructureMap *by_number,
                   double                *aligned,
                   double                *numbered,
                   int                   *n_true)
{
  int L = map->length, k = MAX (1, L / 5);
  g_autofree float *pred = g_new (float, (gsize) L * L);
  g_autofree guint8 *truth = plm_contacts_from_structure (s, map);
  g_autofree guint8 *old = g_new0 (guint8, (gsize) L * L);
  g_autofree int *pairs = g_new (int, k);
  int n;

  for (int i = 0; i < L; i++)
    for (int j = 0; j < L; j++)
      {
        const PlmResidue *a = plm_structure_map_get (map, s, i), *b = plm_structure_map_get (map, s, j);
        const PlmResidue *na = plm_structure_map_get (by_number, s, i), *nb = plm_structure_map_get (by_number, s, j);

        pred[(gsize) i * L + j] = a && b ? -(float) plm_structure_distance (a->cb, b->cb) : -1000.0f;
        old[(gsize) i * L + j] = na && nb && plm_structure_distance (na->cb, nb->cb) < PLM_CONTACT_CUTOFF;
      }
  *n_true = 0;
  for (int i = 0; i < L; i++)
    for (int j = i + PLM_CONTACT_MIN_SEPARATION; j < L; j++)
      *n_true += truth[(gsize) i * L + j] == 1;
  n = plm_contacts_rank_known (pred, L, L, PLM_CONTACT_MIN_SEPARATION, k, truth, pairs);
  *aligned = plm_contacts_precision (pairs, n, truth, NULL);
  n = plm_contacts_rank (pred, L, L, PLM_CONTACT_MIN_SEPARATION, k, pairs);
  *numbered = plm_contacts_precision (pairs, n, old, NULL);
}

static const char *const files[] = {
  "esm_examples/2N2U.pdb", "esm_examples/4uv3.pdb", "esm_examples/5YH2.pdb",
  "debian_pymol_data/1hpv.pdb", "debian_pymol_data/1tii.pdb", "debian_pymol_data/il2.pdb",
};

/* Each chain against the SEQRES the same file gives it: the alignment finds every observed
 * residue at 100% identity; numbering from 1 (the rule before the alignment) does so only where
 * the author numbered from 1, and elsewhere gets the true contacts wrong. */
static void
test_dataset_seqres (void)
{
  g_autofree char *root = dataset_dir ();
  int n_chains = 0, n_wrong_by_number = 0;

  if (root == NULL)
    return;
  for (guint f = 0; f < G_N_ELEMENTS (files); f++)
    {
      g_autofree char *path = g_build_filename (root, files[f], NULL);
      g_autoptr(GError) error = NULL;
      g_autoptr(PlmStructure) s = plm_structure_read (path, &error);
      g_autoptr(GHashTable) seqres = read_seqres (path);
      GHashTableIter it;
      gpointer key, value;
      int n_before = n_chains;

      g_assert_no_error (error);
      g_hash_table_iter_init (&it, seqres);
      while (g_hash_table_iter_next (&it, &key, &value))
        {
          GString *seq = value;
          g_autoptr(PlmStructureMap) map = NULL;
          g_autoptr(PlmStructureMap) by_number = NULL;
          g_autoptr(GArray) fits = NULL;

          map = plm_structure_map_align (s, key, seq->str, (int) seq->len, FALSE, &error);
          g_assert_no_error (error);
          by_number = plm_structure_map_numbered (s, key, seq->str, (int) seq->len, 1, TRUE, &error);
          g_assert_no_error (error);
          printf ("# %s chain %s: %zu residues, %d observed; aligned %d at %.1f%% identity; by number from 1: "
                  "%d at %.1f%%\n", files[f], (char *) key, seq->len, map->n_observed, map->aligned,
                  100.0 * map->identity, by_number->aligned, 100.0 * (isnan (by_number->identity) ? 0.0 : by_number->identity));
          g_assert_cmpint (map->aligned, ==, map->n_observed);
          g_assert_cmpfloat (map->identity, ==, 1.0);
          /* the chain picker agrees: the chain itself (or an identical copy) is the best (once per
           * file: it aligns every chain) */
          if (n_chains == n_before)
            {
              fits = plm_structure_chain_fits (s, seq->str, (int) seq->len, &error);
              g_assert_no_error (error);
              g_assert_cmpfloat (g_array_index (fits, PlmChainFit, plm_structure_chain_best (fits)).identity, ==, 1.0);
            }
          n_chains++;
          if (isnan (by_number->identity) || by_number->identity < PLM_STRUCTURE_MIN_IDENTITY)
            {
              double p_aligned, p_numbered;
              int n_true;

              /* where numbering is wrong, so are the true contacts it gives */
              oracle_precisions (s, map, by_number, &p_aligned, &p_numbered, &n_true);
              printf ("#   the structure's own contacts (%d), precision at L/5: aligned %.3f, by number from 1 %.3f\n",
                      n_true, p_aligned, p_numbered);
              /* all of them when there are L/5 (1TII C, a 36-residue peptide, has 1) */
              if (n_true >= (int) seq->len / 5)
                g_assert_cmpfloat (p_aligned, ==, 1.0);
              g_assert_cmpfloat (p_aligned, >, p_numbered);
              g_assert_cmpfloat (p_numbered, <, 0.5);
              n_wrong_by_number++;
            }
        }
    }
  printf ("# %d chains with SEQRES; matching by number from 1 is wrong (< 90%% identical) for %d\n", n_chains,
          n_wrong_by_number);
  g_assert_cmpint (n_chains, ==, 18 + 4 + 2 + 7);   /* 4UV3, 5YH2, 1HPV, 1TII */
  g_assert_cmpint (n_wrong_by_number, >=, 2);       /* 5YH2 A and B start at 63 */
}

/* some_proteins.fasta (UniRef50 members of the ESM MSA examples) against every chain: none is
 * one of these proteins. The alignment says so (< 90%: refused); matching by number from 1
 * would have given most of them residues and a precision all the same. */
static void
test_dataset_some_proteins (void)
{
  g_autofree char *root = dataset_dir ();
  g_autofree char *fasta = NULL;
  g_autoptr(GPtrArray) recs = NULL;
  g_autoptr(GError) error = NULL;
  double best = 0.0;
  int n_pairs = 0, n_refused = 0, n_numbered_half = 0;

  if (root == NULL)
    return;
  fasta = g_build_filename (root, "esm_examples_msa", "some_proteins.fasta", NULL);
  recs = plm_fasta_read (fasta, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (recs->len, ==, 15);
  for (guint f = 0; f < G_N_ELEMENTS (files); f++)
    {
      g_autofree char *path = g_build_filename (root, files[f], NULL);
      g_autoptr(PlmStructure) s = plm_structure_read (path, &error);

      g_assert_no_error (error);
      for (guint r = 0; r < recs->len; r++)
        {
          const PlmFastaRecord *rec = recs->pdata[r];
          int L = (int) strlen (rec->sequence);
          g_autoptr(GArray) fits = plm_structure_chain_fits (s, rec->sequence, L, &error);

          g_assert_no_error (error);
          int k = plm_structure_chain_best (fits);
          g_autoptr(PlmStructureMap) map = NULL;

          /* the best chain is refused (the others, less identical, the more so) */
          map = plm_structure_map_align (s, g_array_index (fits, PlmChainFit, k).chain, rec->sequence, L, FALSE, &error);
          g_assert_null (map);
          g_assert_error (error, PLM_ERROR, PLM_ERROR_INPUT);
          g_assert_nonnull (strstr (error->message, "below the 90% required"));
          g_clear_error (&error);
          for (guint c = 0; c < fits->len; c++)
            {
              const char *chain = g_array_index (fits, PlmChainFit, c).chain;
              g_autoptr(PlmStructureMap) by_number = NULL;

              n_pairs++;
              n_refused += g_array_index (fits, PlmChainFit, c).identity < PLM_STRUCTURE_MIN_IDENTITY;
              best = MAX (best, g_array_index (fits, PlmChainFit, c).identity);
              by_number = plm_structure_map_numbered (s, chain, rec->sequence, L, 1, TRUE, &error);
              g_assert_no_error (error);
              n_numbered_half += by_number->aligned >= L / 2;
            }
        }
    }
  printf ("# some_proteins.fasta × %u files: %d record–chain pairs, %d refused by the alignment (best identity "
          "%.1f%%); by number from 1, %d pairs would have had at least half of the record placed\n",
          (guint) G_N_ELEMENTS (files), n_pairs, n_refused, 100.0 * best, n_numbered_half);
  g_assert_cmpint (n_refused, ==, n_pairs);
  g_assert_cmpfloat (best, <, 0.5);
  g_assert_cmpint (n_numbered_half, >, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/structure-chains/best", test_chain_best);
  g_test_add_func ("/structure-chains/fits-and-distances", test_chain_fits_and_distances);
  g_test_add_func ("/structure-dataset/seqres", test_dataset_seqres);
  g_test_add_func ("/structure-dataset/some-proteins", test_dataset_some_proteins);
  return g_test_run ();
}
