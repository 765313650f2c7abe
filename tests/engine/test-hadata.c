/* test-hadata.c: active-site, family, HA-table and structure readers; HA statistics. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "plm-error.h"
#include "plm-hadata.h"
#include "plm-hastats.h"
#include "plm-structure.h"

static char *
data_path (const char *name)
{
  const char *env = g_getenv ("PLM_TEST_DATA");
  return env ? g_build_filename (env, "hasites", name, NULL)
             : g_test_build_filename (G_TEST_DIST, "data", "hasites", name, NULL);
}

static char *
dataset_path (const char *rel)
{
  const char *fx = g_getenv ("PLM_SHARED_FIXTURES");
  g_autofree char *root = NULL;

  if (fx == NULL)
    return NULL;
  root = g_build_filename (fx, "..", "datasets", NULL);
  return g_build_filename (root, rel, NULL);
}

/* 1-based positions land on catalytic residues; 0-based ones do not. */
static void
check_one_based (GHashTable *sites,
                 GHashTable *seqs,
                 int        *n_out,
                 int        *hit1_out,
                 int        *hit0_out)
{
  GHashTableIter it;
  gpointer key, value;
  int n = 0, hit1 = 0, hit0 = 0;

  g_hash_table_iter_init (&it, sites);
  while (g_hash_table_iter_next (&it, &key, &value))
    {
      const char *seq = g_hash_table_lookup (seqs, key);
      GArray *pos = value;
      int len;

      if (seq == NULL)
        continue;
      len = strlen (seq);
      for (guint k = 0; k < pos->len; k++)
        {
          int p = g_array_index (pos, int, k);
          g_assert_cmpint (p, >=, 1);
          g_assert_cmpint (p, <=, len);
          n++;
          hit1 += strchr ("DHCSEKYR", seq[p - 1]) != NULL;
          hit0 += p < len && strchr ("DHCSEKYR", seq[p]) != NULL;
        }
    }
  *n_out = n;
  *hit1_out = hit1;
  *hit0_out = hit0;
}

static GHashTable *
read_seq_table (const char *path)
{
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  GHashTable *t = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  lines = g_strsplit (text, "\n", -1);
  for (int i = 0; lines[i]; i++)
    {
      char *tab = strchr (lines[i], '\t');
      if (tab == NULL)
        continue;
      g_hash_table_insert (t, g_strndup (lines[i], tab - lines[i]), g_strdup (tab + 1));
    }
  return t;
}

static void
test_active_subset (void)
{
  g_autofree char *path = data_path ("active_sites_deeploc.tsv");
  g_autofree char *seq_path = data_path ("active_sites_deeploc_seqs.tsv");
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) sites = plm_active_sites_read (path, &error);
  g_autoptr(GHashTable) seqs = read_seq_table (seq_path);
  int n, hit1, hit0;

  g_assert_no_error (error);
  g_assert_cmpint (g_hash_table_size (sites), ==, 122);
  check_one_based (sites, seqs, &n, &hit1, &hit0);
  printf ("# active sites on DeepLoc sequences: %d sites, catalytic residue at 1-based %d (%.1f%%), "
          "0-based %d (%.1f%%)\n", n, hit1, 100.0 * hit1 / n, hit0, 100.0 * hit0 / n);
  g_assert_cmpint (n, ==, 204);
  g_assert_cmpfloat ((double) hit1 / n, >, 0.9);
  g_assert_cmpfloat ((double) hit0 / n, <, 0.4);
}

static void
test_active_real (void)
{
  /* the authors' whole table (30 KB), committed; the same bytes as ../shared/datasets' copy */
  g_autofree char *path = data_path ("prot_activeSite.tsv");
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) sites = NULL;
  GHashTableIter it;
  gpointer value;
  int total = 0;

  sites = plm_active_sites_read (path, &error);
  g_assert_no_error (error);
  g_hash_table_iter_init (&it, sites);
  while (g_hash_table_iter_next (&it, NULL, &value))
    total += ((GArray *) value)->len;
  /* papers.md §1.7: 2,304 human proteins, 3,589 sites; one of them is listed twice
   * (Q9UG56: 191,267,378,378) and the reader keeps distinct positions */
  g_assert_cmpint (g_hash_table_size (sites), ==, 2304);
  g_assert_cmpint (total, ==, 3588);
  g_assert_cmpint (((GArray *) g_hash_table_lookup (sites, "Q9UG56"))->len, ==, 3);
}

typedef struct {
  const char *text;
  const char *expect;   /* substring of the message */
} BadInput;

static void
test_active_bad (void)
{
  const BadInput bad[] = {
    { "", "x.tsv:1: empty file" },
    { "acc\tpos\n", "x.tsv:1: expected the header" },
    { "uniprot_acc\tactive_site_positions\nP1\t3\t4\n", "x.tsv:2: expected 2" },
    { "uniprot_acc\tactive_site_positions\nP1\n", "x.tsv:2: expected 2" },
    { "uniprot_acc\tactive_site_positions\nP1\t0\n", "x.tsv:2: active-site position '0'" },
    { "uniprot_acc\tactive_site_positions\nP1\t-3\n", "x.tsv:2: active-site position" },
    { "uniprot_acc\tactive_site_positions\nP1\t12a\n", "x.tsv:2: active-site position" },
    { "uniprot_acc\tactive_site_positions\nP1\t99999999999999999999999\n", "x.tsv:2: active-site position" },
    { "uniprot_acc\tactive_site_positions\nP1\t1,,2\n", "x.tsv:2: active-site position ''" },
    { "uniprot_acc\tactive_site_positions\nP1\t5\n\nP1\t6\n", "x.tsv:4: duplicate accession P1" },
    { "uniprot_acc\tactive_site_positions\n\t5\n", "x.tsv:2: empty or malformed accession" },
    { "uniprot_acc\tactive_site_positions\nP1\t5\n\0P2\t6\n", "x.tsv:3: binary data" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      gsize len = strlen (bad[i].text);
      GHashTable *t;

      if (strstr (bad[i].expect, "binary"))
        len = 48;
      t = plm_active_sites_parse (bad[i].text, len, "x.tsv", &error);
      g_assert_null (t);
      g_assert_error (error, PLM_ERROR, PLM_ERROR_FORMAT);
      if (strstr (error->message, bad[i].expect) == NULL)
        g_error ("case %u: '%s' does not contain '%s'", i, error->message, bad[i].expect);
    }
  {
    /* CRLF, blank lines, spaces around positions and duplicates are fine */
    g_autoptr(GError) error = NULL;
    const char *ok = "uniprot_acc\tactive_site_positions\r\nP1\t 7, 3,7\r\n\r\n";
    g_autoptr(GHashTable) t = plm_active_sites_parse (ok, strlen (ok), "ok.tsv", &error);
    GArray *a;
    g_assert_no_error (error);
    a = g_hash_table_lookup (t, "P1");
    g_assert_cmpint (a->len, ==, 2);
    g_assert_cmpint (g_array_index (a, int, 0), ==, 3);
    g_assert_cmpint (g_array_index (a, int, 1), ==, 7);
  }
}

static void
test_families (void)
{
  g_autofree char *path = data_path ("families_subset.tsv");
  g_autofree char *real = dataset_path ("human_active_sites_esm_highattention/family_prot.tsv");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) all = plm_families_read (path, FALSE, &error);
  g_autoptr(GPtrArray) clean = NULL;

  g_assert_no_error (error);
  clean = plm_families_read (path, TRUE, &error);
  g_assert_no_error (error);
  /* the subset holds '' and 'nan' plus real families; cleaning drops exactly those two and
   * the families with < 2 members */
  for (guint i = 0; i < clean->len; i++)
    {
      PlmFamily *f = clean->pdata[i];
      g_assert_cmpstr (f->id, !=, "");
      g_assert_cmpstr (f->id, !=, "nan");
      g_assert_cmpuint (f->members->len, >=, 2);
    }
  g_assert_cmpuint (all->len, >, clean->len);
  g_assert_cmpstr (((PlmFamily *) all->pdata[1])->id, ==, "");

  if (real == NULL || !g_file_test (real, G_FILE_TEST_EXISTS))
    {
      printf ("# full family_prot.tsv absent, only the subset tested\n");
      return;
    }
  {
    g_autoptr(GPtrArray) rall = plm_families_read (real, FALSE, &error);
    g_autoptr(GPtrArray) rclean = NULL;
    g_assert_no_error (error);
    rclean = plm_families_read (real, TRUE, &error);
    g_assert_no_error (error);
    /* papers.md §1.6: 7,031 keys incl. '' and 'nan'; 3,570 with ≥ 2 members (both of those
     * have ≥ 2 members, so 3,568 real families remain) */
    g_assert_cmpuint (rall->len, ==, 7031);
    g_assert_cmpuint (rclean->len, ==, 3568);
    printf ("# family_prot.tsv: %u families, %u after cleaning\n", rall->len, rclean->len);
  }
}

static void
test_families_bad (void)
{
  const BadInput bad[] = {
    { "pfam\n", "f.tsv:1: expected the header" },
    { "pfam\tuniprot_accs\nPF1\tA,B\tC\n", "f.tsv:2: expected 2" },
    { "pfam\tuniprot_accs\nPF1\tA,,B\n", "f.tsv:2: empty accession" },
    { "pfam\tuniprot_accs\nPF1\tA,B\nPF1\tC,D\n", "f.tsv:3: duplicate family" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      GPtrArray *t = plm_families_parse (bad[i].text, strlen (bad[i].text), "f.tsv", TRUE, &error);
      g_assert_null (t);
      g_assert_error (error, PLM_ERROR, PLM_ERROR_FORMAT);
      if (strstr (error->message, bad[i].expect) == NULL)
        g_error ("case %u: '%s' does not contain '%s'", i, error->message, bad[i].expect);
    }
}

static void
test_ha_table (void)
{
  const char *ok = "protein\tlength\tlayer\tha_sites\tangle\nP1\t10\t3\t4;0;9\t87.5\nP2\t5\t0\t\t-12\n";
  const BadInput bad[] = {
    { "protein\tlength\tlayer\tha_sites\n", "h.tsv:1: expected the header" },
    { "protein\tlength\tlayer\tha_sites\tangle\nP1\t10\t3\t4\n", "h.tsv:2: expected 5" },
    { "protein\tlength\tlayer\tha_sites\tangle\nP1\t10\t3\t10\t1\n", "h.tsv:2: HA site '10' is not a residue index in 0..9" },
    { "protein\tlength\tlayer\tha_sites\tangle\nP1\t0\t3\t\t1\n", "h.tsv:2: length" },
    { "protein\tlength\tlayer\tha_sites\tangle\nP1\t9\t-1\t\t1\n", "h.tsv:2: layer" },
    { "protein\tlength\tlayer\tha_sites\tangle\nP1\t9\t1\t\tabc\n", "h.tsv:2: angle" },
    { "protein\tlength\tlayer\tha_sites\tangle\nP1\t9\t1\t\t1\nP1\t9\t1\t\t1\n", "h.tsv:3: empty or duplicate" },
    { "protein\tlength\tlayer\tha_sites\tangle\nP1\t9\t1\t1;;2\t1\n", "h.tsv:2: HA site ''" },
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = plm_ha_table_parse (ok, strlen (ok), "h.tsv", &error);
  PlmHaRow *r;

  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 2);
  r = rows->pdata[0];
  g_assert_cmpstr (r->protein, ==, "P1");
  g_assert_cmpint (r->n_sites, ==, 3);
  g_assert_cmpint (r->sites[0], ==, 4);
  g_assert_cmpint (r->sites[2], ==, 9);
  g_assert_cmpfloat (r->angle, ==, 87.5);
  g_assert_cmpint (((PlmHaRow *) rows->pdata[1])->n_sites, ==, 0);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) e = NULL;
      GPtrArray *t = plm_ha_table_parse (bad[i].text, strlen (bad[i].text), "h.tsv", &e);
      g_assert_null (t);
      g_assert_error (e, PLM_ERROR, PLM_ERROR_FORMAT);
      if (strstr (e->message, bad[i].expect) == NULL)
        g_error ("case %u: '%s' does not contain '%s'", i, e->message, bad[i].expect);
    }
}

static void
check_structure_expected (PlmStructure *s)
{
  g_autofree char *path = data_path ("2N2U_first25.expected.tsv");
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  const PlmResidue *first = plm_structure_find (s, NULL, 1);
  int n = 0;

  g_assert_nonnull (first);
  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  lines = g_strsplit (text, "\n", -1);
  for (int i = 0; lines[i]; i++)
    {
      g_auto(GStrv) f = NULL;
      const PlmResidue *r;

      if (lines[i][0] == '#' || lines[i][0] == '\0')
        continue;
      f = g_strsplit (lines[i], "\t", -1);
      r = plm_structure_find (s, f[0], atoi (f[1]));
      g_assert_nonnull (r);
      g_assert_cmpstr (r->name, ==, f[2]);
      for (int k = 0; k < 3; k++)
        {
          g_assert_cmpfloat_with_epsilon (r->ca[k], g_ascii_strtod (f[3 + k], NULL), 1e-4);
          g_assert_cmpfloat_with_epsilon (r->cb[k], g_ascii_strtod (f[6 + k], NULL), 1e-4);
        }
      g_assert_cmpfloat_with_epsilon (plm_structure_distance (r->ca, first->ca),
                                      g_ascii_strtod (f[9], NULL), 1e-4);
      n++;
    }
  g_assert_cmpint (n, ==, 25);
  g_assert_cmpuint (s->residues->len, ==, 25);
}

static void
test_structure_pdb_cif (void)
{
  g_autofree char *pdb = data_path ("2N2U_first25.pdb");
  g_autofree char *cif = data_path ("2N2U_first25.cif");
  g_autoptr(GError) error = NULL;
  g_autoptr(PlmStructure) a = plm_structure_read (pdb, &error);
  g_autoptr(PlmStructure) b = NULL;

  g_assert_no_error (error);
  check_structure_expected (a);
  b = plm_structure_read (cif, &error);
  g_assert_no_error (error);
  check_structure_expected (b);
  g_assert_null (plm_structure_find (a, "A", 26));
  g_assert_null (plm_structure_find (a, "B", 1));
}

static void
test_structure_real (void)
{
  /* real PDB entries, committed: 1HPV as distributed, 5YH2 gzipped (the reader inflates it) */
  g_autofree char *p1 = data_path ("1hpv.pdb");
  g_autofree char *p2 = data_path ("5YH2.pdb.gz");
  g_autoptr(GError) error = NULL;
  g_autoptr(PlmStructure) s1 = NULL;
  g_autoptr(PlmStructure) s2 = NULL;
  const PlmResidue *r;
  int n_a = 0, n_gly = 0;

  /* 1HPV: HIV protease, two chains of 99 residues (A, B); waters and the ligand skipped */
  s1 = plm_structure_read (p1, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < s1->residues->len; i++)
    {
      const PlmResidue *x = &g_array_index (s1->residues, PlmResidue, i);
      g_assert_true (x->has_ca);
      n_a += strcmp (x->chain, "A") == 0;
      if (strcmp (x->name, "GLY") == 0)
        {
          n_gly++;
          g_assert_true (memcmp (x->ca, x->cb, sizeof x->ca) == 0);
        }
    }
  printf ("# 1hpv: %u residues, chain A %d, Gly %d\n", s1->residues->len, n_a, n_gly);
  g_assert_cmpint (n_a, ==, 99);
  g_assert_cmpuint (s1->residues->len, ==, 198);
  r = plm_structure_find (s1, "A", 25);   /* catalytic Asp25 */
  g_assert_nonnull (r);
  g_assert_cmpstr (r->name, ==, "ASP");

  s2 = plm_structure_read (p2, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (s2->residues->len, >, 1000);
}

static void
test_structure_bad (void)
{
  const BadInput bad[] = {
    { "HEADER nothing\nEND\n", "no protein atoms" },
    { "ATOM      1  CA  MET A   1       1.932  13.612\n", "s.pdb:1: atom record shorter" },
    { "ATOM      1  CA  MET A   x       1.932  13.612  -3.600  1.00 73.02           C\n", "s.pdb:1: residue number" },
    { "ATOM      1  CA  MET A   1       1.9x2  13.612  -3.600  1.00 73.02           C\n", "s.pdb:1: unparsable coordinates" },
    { "ATOM      1  CA  MET A   1         nan  13.612  -3.600  1.00 73.02           C\n", "s.pdb:1: unparsable coordinates" },
    { "data_x\nloop_\n_atom_site.group_PDB\n_atom_site.label_atom_id\nATOM CA\n", "s.pdb:2: _atom_site loop lacks" },
    { "data_x\nloop_\n_atom_site.group_PDB\n_atom_site.label_atom_id\n_atom_site.label_comp_id\n"
      "_atom_site.auth_asym_id\n_atom_site.auth_seq_id\n_atom_site.Cartn_x\n_atom_site.Cartn_y\n"
      "_atom_site.Cartn_z\nATOM CA MET A 1 1.0 2.0\n", "s.pdb:11: _atom_site row has 7 values" },
    { "data_x\nloop_\n_atom_site.group_PDB\n_atom_site.label_atom_id\n_atom_site.label_comp_id\n"
      "_atom_site.auth_asym_id\n_atom_site.auth_seq_id\n_atom_site.Cartn_x\n_atom_site.Cartn_y\n"
      "_atom_site.Cartn_z\nATOM CA MET A 1 1.0 2.0 zz\n", "s.pdb:11: unparsable coordinates" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      PlmStructure *s = plm_structure_parse (bad[i].text, strlen (bad[i].text), "s.pdb", &error);
      g_assert_null (s);
      g_assert_error (error, PLM_ERROR, PLM_ERROR_FORMAT);
      if (strstr (error->message, bad[i].expect) == NULL)
        g_error ("case %u: '%s' does not contain '%s'", i, error->message, bad[i].expect);
    }
  {
    g_autoptr(GError) error = NULL;
    g_assert_null (plm_structure_parse ("AT\0OM", 5, "s.pdb", &error));
    g_assert_error (error, PLM_ERROR, PLM_ERROR_FORMAT);
  }
  {
    g_autoptr(GError) error = NULL;
    g_assert_null (plm_structure_read ("/nonexistent/x.pdb", &error));
    g_assert_error (error, PLM_ERROR, PLM_ERROR_IO);
  }
}

static float *
parse_floats (const char *s,
              int        *n)
{
  g_auto(GStrv) f = g_strsplit (s, ",", -1);
  float *v;

  *n = g_strv_length (f);
  v = g_new (float, *n);
  for (int i = 0; i < *n; i++)
    v[i] = (float) g_ascii_strtod (f[i], NULL);
  return v;
}

static void
test_stats (void)
{
  g_autofree char *path = data_path ("stats.tsv");
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  int n_ha = 0, n_sil = 0;
  double max_err = 0.0;

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  lines = g_strsplit (text, "\n", -1);
  for (int i = 0; lines[i]; i++)
    {
      g_auto(GStrv) f = NULL;

      if (lines[i][0] == '#' || lines[i][0] == '\0')
        continue;
      f = g_strsplit (lines[i], "\t", -1);
      if (strcmp (f[0], "ha") == 0)
        {
          int dim = atoi (f[1]), na = atoi (f[2]), nb = atoi (f[3]), ka, kb;
          g_autofree float *a = parse_floats (f[4], &ka);
          g_autofree float *b = parse_floats (f[5], &kb);
          double want = g_ascii_strtod (f[6], NULL);
          double got;
          g_assert_cmpint (ka, ==, na * dim);
          g_assert_cmpint (kb, ==, nb * dim);
          got = plm_ha_distance (a, na, b, nb, dim);
          max_err = MAX (max_err, fabs (got - want));
          g_assert_cmpfloat_with_epsilon (got, want, 1e-6);
          /* symmetric */
          g_assert_cmpfloat_with_epsilon (plm_ha_distance (b, nb, a, na, dim), got, 1e-12);
          n_ha++;
        }
      else if (strcmp (f[0], "sil") == 0)
        {
          int n = atoi (f[1]);
          g_auto(GStrv) m = g_strsplit (f[2], ",", -1);
          g_auto(GStrv) dv = g_strsplit (f[3], ",", -1);
          g_autofree gboolean *member = g_new (gboolean, n);
          g_autofree double *d = g_new (double, (gsize) n * n);
          double want = g_ascii_strtod (f[4], NULL);
          for (int k = 0; k < n; k++)
            member[k] = atoi (m[k]);
          for (int k = 0; k < n * n; k++)
            d[k] = g_ascii_strtod (dv[k], NULL);
          g_assert_cmpfloat_with_epsilon (plm_family_silhouette (d, n, member), want, 1e-12);
          n_sil++;
        }
    }
  printf ("# stats: %d HA distances (max error %.2g), %d silhouettes vs numpy\n", n_ha, max_err, n_sil);
  g_assert_cmpint (n_ha, ==, 20);
  g_assert_cmpint (n_sil, ==, 20);
  {
    float z[3] = { 0, 0, 0 }, o[3] = { 1, 0, 0 };
    double vals[] = { 3, 1, 2, 10 };
    g_assert_true (isnan (plm_cosine_distance (z, o, 3)));
    g_assert_cmpfloat (plm_cosine_distance (o, o, 3), ==, 0.0);
    g_assert_true (isnan (plm_ha_distance (o, 0, o, 1, 3)));
    g_assert_cmpfloat (plm_median (vals, 4), ==, 2.5);
    g_assert_cmpfloat (plm_median (vals, 3), ==, 2.0);
    g_assert_true (isnan (plm_median (vals, 0)));
  }
}

/* Deterministic random mutations of valid inputs: every parser either succeeds or reports an
 * error; never crashes (run under ASan/UBSan in CI). */
static char *
mutate (GRand      *rand,
        const char *text,
        gsize       len,
        gsize      *out_len)
{
  GString *s = g_string_new_len (text, len);
  int edits = g_rand_int_range (rand, 1, 8);

  for (int e = 0; e < edits && s->len > 0; e++)
    {
      gsize pos = g_rand_int_range (rand, 0, s->len);
      gsize span = g_rand_int_range (rand, 1, 80);   /* drawn once: MIN() evaluates twice */
      const char pool[] = "\t\n,;-.0123456789 ATOMHETCA_loop\"'x\r";
      switch (g_rand_int_range (rand, 0, 5))
        {
        case 0: /* replace a byte */
          s->str[pos] = pool[g_rand_int_range (rand, 0, sizeof pool - 1)];
          break;
        case 1: /* delete a span */
          g_string_erase (s, pos, MIN (span / 2 + 1, s->len - pos));
          break;
        case 2: /* duplicate a span */
          {
            gsize n = MIN (span, s->len - pos);
            g_autofree char *dup = g_strndup (s->str + pos, n);
            g_string_insert (s, pos, dup);
          }
          break;
        case 3: /* truncate */
          g_string_truncate (s, pos);
          break;
        default: /* a random byte, possibly NUL or high */
          s->str[pos] = (char) g_rand_int_range (rand, 0, 256);
          break;
        }
    }
  *out_len = s->len;
  return g_string_free (s, FALSE);
}

static void
test_mutations (void)
{
  const char *files[] = { "2N2U_first25.pdb", "2N2U_first25.cif", "active_sites_deeploc.tsv",
                          "families_subset.tsv" };
  g_autoptr(GRand) rand = g_rand_new_with_seed (20251121);
  int ok = 0, failed = 0;
  const char *ha = "protein\tlength\tlayer\tha_sites\tangle\nP1\t10\t3\t4;0;9\t87.5\nP2\t5\t0\t\t-12\n";

  for (guint f = 0; f < G_N_ELEMENTS (files) + 1; f++)
    {
      g_autofree char *path = f < G_N_ELEMENTS (files) ? data_path (files[f]) : NULL;
      g_autofree char *text = NULL;
      gsize len = 0;

      if (path != NULL)
        g_assert_true (g_file_get_contents (path, &text, &len, NULL));
      else
        {
          text = g_strdup (ha);
          len = strlen (ha);
        }
      for (int it = 0; it < 400; it++)
        {
          g_autoptr(GError) error = NULL;
          gsize mlen;
          g_autofree char *m = mutate (rand, text, len, &mlen);
          gboolean success;

          switch (f)
            {
            case 0:
            case 1:
              {
                PlmStructure *st = plm_structure_parse (m, mlen, "m", &error);
                success = st != NULL;
                plm_structure_free (st);
              }
              break;
            case 2:
              {
                GHashTable *t = plm_active_sites_parse (m, mlen, "m", &error);
                success = t != NULL;
                g_clear_pointer (&t, g_hash_table_unref);
              }
              break;
            case 3:
              {
                GPtrArray *t = plm_families_parse (m, mlen, "m", TRUE, &error);
                success = t != NULL;
                g_clear_pointer (&t, g_ptr_array_unref);
              }
              break;
            default:
              {
                GPtrArray *t = plm_ha_table_parse (m, mlen, "m", &error);
                success = t != NULL;
                g_clear_pointer (&t, g_ptr_array_unref);
              }
              break;
            }
          /* exactly one of: a result, or an error that names the source */
          if (success)
            {
              g_assert_no_error (error);
              ok++;
            }
          else
            {
              g_assert_nonnull (error);
              g_assert_true (g_str_has_prefix (error->message, "m"));
              failed++;
            }
        }
    }
  printf ("# mutations: %d parsed, %d rejected with an error, no crash\n", ok, failed);
  g_assert_cmpint (ok + failed, ==, 2000);
}

/* Regression (found by fuzz-structure): parsing from memory must not read past @length when
 * the buffer is not NUL-terminated. The exact-size heap copy makes ASan catch any overread. */
static void
test_structure_unterminated (void)
{
  static const char pdb[] =
    "ATOM      1  N   MET A   1      11.104   6.134  -6.504  1.00  0.00           N\n"
    "ATOM      2  CA  MET A   1      11.639   6.071  -5.147  1.00  0.00           C\n"
    "ATOM      3  CA  LYS A   2      13.639   7.071  -4.147  1.00  0.00           C";
  gsize len = sizeof pdb - 1;
  char *exact = g_malloc (len);
  memcpy (exact, pdb, len);
  g_autoptr(GError) error = NULL;
  PlmStructure *s = plm_structure_parse (exact, len, "mem.pdb", &error);
  g_assert_no_error (error);
  g_assert_nonnull (s);
  g_assert_cmpuint (s->residues->len, ==, 2);
  plm_structure_free (s);
  /* a prefix that ends inside a would-be "_atom_site." marker */
  memcpy (exact, "data_x\n_atom_si", 16);
  s = plm_structure_parse (exact, 16, "mem.cif", &error);
  g_assert_null (s);
  g_assert_nonnull (error);
  g_free (exact);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/hadata/active-sites/subset-1-based", test_active_subset);
  g_test_add_func ("/hadata/active-sites/real", test_active_real);
  g_test_add_func ("/hadata/active-sites/bad", test_active_bad);
  g_test_add_func ("/hadata/families", test_families);
  g_test_add_func ("/hadata/families/bad", test_families_bad);
  g_test_add_func ("/hadata/ha-table", test_ha_table);
  g_test_add_func ("/hadata/structure/pdb-cif", test_structure_pdb_cif);
  g_test_add_func ("/hadata/structure/real", test_structure_real);
  g_test_add_func ("/hadata/structure/bad", test_structure_bad);
  g_test_add_func ("/hadata/structure/unterminated", test_structure_unterminated);
  g_test_add_func ("/hadata/stats", test_stats);
  g_test_add_func ("/hadata/mutations", test_mutations);
  return g_test_run ();
}
