/* test-structure-map.c: the structure reader's rules (tests/data/structures/crafted.*, one
 * feature each), the alignment against scores and identities worked out by hand, the map, the
 * contacts built on it, and real PDB entries (5YH2, 1HPV) against their own SEQRES/DBREF. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "plm-align.h"
#include "plm-contacts.h"
#include "plm-error.h"
#include "plm-fasta.h"
#include "plm-structure-map.h"
#include "plm-test-util.h"

#define CRAFTED_SEQ "GSMKTAYIAKQRQISFVKSHFSRQLEERLG"
static const int missing[] = { 0, 1, 12, 13, 14, 28, 29 };

static gboolean
is_missing (int i)
{
  for (guint k = 0; k < G_N_ELEMENTS (missing); k++)
    if (missing[k] == i)
      return TRUE;
  return FALSE;
}

/* make_crafted.py's numbering: index 2 → 10, …, 19 → 27, 20 → 27A, 21 → 27B, 22 → 28 … */
static void
crafted_number (int i, int *number, char *icode)
{
  *icode = i == 20 ? 'A' : i == 21 ? 'B' : ' ';
  *number = i <= 19 ? i + 8 : i <= 21 ? 27 : i + 6;
}

/* make_crafted.py's hairpin: Cα of residue i; Cβ 1.5 Å above it (Gly: the Cα) */
static void
crafted_ca (int i, float xyz[3])
{
  xyz[0] = 3.8f * (i < 15 ? i : 29 - i);
  xyz[1] = i < 15 ? 0.0f : 5.0f;
  xyz[2] = 0.0f;
}

static PlmStructure *
read_data (const char *dir, const char *name)
{
  g_autofree char *path = plm_test_data_path (dir, name, NULL);
  g_autoptr(GError) error = NULL;
  PlmStructure *s = plm_structure_read (path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (s);
  return s;
}

/* Every rule at once, the same for the PDB and the mmCIF file (numbers + @offset there). */
static void
check_crafted (PlmStructure *s, int offset, gboolean cif)
{
  int k = 0;

  /* first model only: chain B of model 2 is not there; W (waters) is a chain without residues */
  g_assert_cmpuint (s->chains->len, ==, 2);
  g_assert_cmpstr (s->chains->pdata[0], ==, "A");
  g_assert_cmpstr (s->chains->pdata[1], ==, "W");
  /* 23 residues: ligands (Ca²⁺, free GLU and MSE after TER / without label_seq_id), waters gone */
  g_assert_cmpuint (s->residues->len, ==, 30 - G_N_ELEMENTS (missing));
  for (int i = 0; i < 30; i++)
    {
      const PlmResidue *r;
      float ca[3];
      int number;
      char icode;

      if (is_missing (i))
        continue;
      r = &g_array_index (s->residues, PlmResidue, k++);
      crafted_number (i, &number, &icode);
      crafted_ca (i, ca);
      g_assert_cmpstr (r->chain, ==, "A");
      g_assert_cmpint (r->number, ==, number + offset);
      g_assert_cmpint (r->icode, ==, icode);
      g_assert_cmpint (r->letter, ==, CRAFTED_SEQ[i]);
      /* the name as in the file: MSE for index 2, else the standard name of the letter */
      g_assert_cmpint (plm_structure_parent_letter (r->name), ==, CRAFTED_SEQ[i]);
      g_assert_true ((i == 2) == (strcmp (r->name, "MSE") == 0));
      g_assert_true (r->has_ca);
      /* model 1's coordinates (model 2 is 50 Å away in x); altlocs: Cα B (0.60 > 0.40),
       * Cβ A (0.50 = 0.50, the first) — both are the ideal positions */
      for (int c = 0; c < 3; c++)
        {
          g_assert_cmpfloat_with_epsilon (r->ca[c], ca[c], 1e-4);
          g_assert_cmpfloat_with_epsilon (r->cb[c], ca[c] + (c == 2 && CRAFTED_SEQ[i] != 'G' ? 1.5f : 0.0f), 1e-4);
        }
      g_assert_true (r->has_cb);
      if (cif)
        {
          g_assert_cmpstr (r->label_chain, ==, "C");
          g_assert_cmpint (r->label_number, ==, i + 1);
        }
      else
        {
          g_assert_cmpstr (r->label_chain, ==, "");
          g_assert_cmpint (r->label_number, ==, 0);
        }
      if (i == 6)
        {
          g_assert_cmpfloat (r->ca_occupancy, ==, 0.60f);
          g_assert_cmpfloat (r->cb_occupancy, ==, 0.50f);
        }
    }
  g_assert_cmpstr (g_array_index (s->residues, PlmResidue, 0).name, ==, "MSE");
  g_assert_cmpint (g_array_index (s->residues, PlmResidue, 0).letter, ==, 'M');
}

static void
test_read_crafted_pdb (void)
{
  g_autoptr(PlmStructure) s = read_data ("structures", "crafted.pdb");
  check_crafted (s, 0, FALSE);
}

/* auth numbering (100 higher) is what users see; label_seq_id is kept beside it */
static void
test_read_crafted_cif (void)
{
  g_autoptr(PlmStructure) s = read_data ("structures", "crafted.cif");
  check_crafted (s, 100, TRUE);
}

static void
test_parent_letters (void)
{
  static const struct { const char *name; char letter; } cases[] = {
    { "MSE", 'M' }, { "SEP", 'S' }, { "TPO", 'T' }, { "PTR", 'Y' }, { "HYP", 'P' }, { "MLY", 'K' },
    { "CSO", 'C' }, { "M3L", 'K' }, { "KCX", 'K' }, { "LLP", 'K' }, { "CME", 'C' }, { "CSD", 'C' },
    { "OCS", 'C' }, { "PCA", 'Q' }, { "MLE", 'L' }, { "NLE", 'L' }, { "SAC", 'S' }, { "ALY", 'K' },
    { "CGU", 'E' }, { "HIC", 'H' }, { "DAL", 'A' }, { "SEC", 'U' }, { "PYL", 'O' }, { "UNK", 'X' },
    { "GLY", 'G' }, { "TRP", 'W' }, { "VAL", 'V' }, { "2MR", 'R' },
    { "HOH", '\0' }, { "CA", '\0' }, { "ATP", '\0' }, { "DA", '\0' }, { "", '\0' }, { "MSEX", '\0' },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    g_assert_cmpint (plm_structure_parent_letter (cases[i].name), ==, cases[i].letter);
  g_assert_cmpint (plm_structure_parent_letter (NULL), ==, '\0');
}

/* an unparsable occupancy is a format error naming the line; a blank one counts as 1 */
static void
test_read_occupancy (void)
{
  const char *bad = "ATOM      1  CA  ALA A   1       1.000   2.000   3.000  x.xx 20.00           C\n";
  const char *blank = "ATOM      1  CA  ALA A   1       1.000   2.000   3.000\n"
                      "ATOM      2  CA BALA A   1       9.000   9.000   9.000  0.99 20.00           C\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(PlmStructure) s = NULL;

  g_assert_null (plm_structure_parse (bad, strlen (bad), "o.pdb", &error));
  g_assert_error (error, PLM_ERROR, PLM_ERROR_FORMAT);
  g_assert_nonnull (strstr (error->message, "o.pdb:1: unparsable occupancy"));
  g_clear_error (&error);
  s = plm_structure_parse (blank, strlen (blank), "b.pdb", &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (g_array_index (s->residues, PlmResidue, 0).ca[0], ==, 1.0f);   /* 1 > 0.99 */
}

/* mmCIF: polymer membership is label_seq_id, whatever the group says; an ion without one is not
 * a residue even though its atom is called CA */
static void
test_read_cif_polymer (void)
{
  const char *cif =
    "data_x\nloop_\n_atom_site.group_PDB\n_atom_site.label_atom_id\n_atom_site.label_comp_id\n"
    "_atom_site.label_asym_id\n_atom_site.label_seq_id\n_atom_site.auth_asym_id\n_atom_site.auth_seq_id\n"
    "_atom_site.Cartn_x\n_atom_site.Cartn_y\n_atom_site.Cartn_z\n"
    "ATOM CA GLY A 1 A 5 0.0 0.0 0.0\n"
    "HETATM CA ALA A 2 A 6 3.8 0.0 0.0\n"
    "HETATM CA CA B . A 101 1.0 1.0 1.0\n"
    "HETATM CA MSE C . A 102 2.0 2.0 2.0\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(PlmStructure) s = plm_structure_parse (cif, strlen (cif), "p.cif", &error);

  g_assert_no_error (error);
  g_assert_cmpuint (s->residues->len, ==, 2);
  g_assert_cmpint (g_array_index (s->residues, PlmResidue, 1).number, ==, 6);
  g_assert_cmpint (g_array_index (s->residues, PlmResidue, 1).letter, ==, 'A');
  g_assert_cmpint (g_array_index (s->residues, PlmResidue, 1).label_number, ==, 2);
}

/* BLOSUM62: symmetric, NCBI's values, unknown letters as X, case-insensitive */
static void
test_blosum62 (void)
{
  const char *letters = "ARNDCQEGHILKMFPSTWYVBZX";

  for (const char *a = letters; *a; a++)
    for (const char *b = letters; *b; b++)
      g_assert_cmpint (plm_align_blosum62 (*a, *b), ==, plm_align_blosum62 (*b, *a));
  g_assert_cmpint (plm_align_blosum62 ('W', 'W'), ==, 11);
  g_assert_cmpint (plm_align_blosum62 ('C', 'C'), ==, 9);
  g_assert_cmpint (plm_align_blosum62 ('A', 'R'), ==, -1);
  g_assert_cmpint (plm_align_blosum62 ('W', 'P'), ==, -4);
  g_assert_cmpint (plm_align_blosum62 ('B', 'D'), ==, 4);
  g_assert_cmpint (plm_align_blosum62 ('Z', 'E'), ==, 4);
  g_assert_cmpint (plm_align_blosum62 ('X', 'A'), ==, 0);
  g_assert_cmpint (plm_align_blosum62 ('X', 'C'), ==, -2);
  g_assert_cmpint (plm_align_blosum62 ('X', 'X'), ==, -1);
  g_assert_cmpint (plm_align_blosum62 ('U', 'C'), ==, -2);   /* U, O, J, * → X */
  g_assert_cmpint (plm_align_blosum62 ('O', 'A'), ==, 0);
  g_assert_cmpint (plm_align_blosum62 ('*', 'S'), ==, 0);
  g_assert_cmpint (plm_align_blosum62 ('y', 'Y'), ==, 7);
}

static PlmAlignment *
align (const char *seq, const char *obs)
{
  g_autoptr(GError) error = NULL;
  PlmAlignment *a = plm_align_global (seq, (int) strlen (seq), obs, (int) strlen (obs), &error);
  g_assert_no_error (error);
  g_assert_nonnull (a);
  return a;
}

/* Hand-computed: sums of BLOSUM62 diagonals, gaps −10 − (k − 1). */
static void
test_align_by_hand (void)
{
  /* leading sequence residues are free: TAYIAKQR = 5+4+7+4+4+5+5+5 */
  {
    g_autoptr(PlmAlignment) a = align ("MKTAYIAKQR", "TAYIAKQR");
    g_assert_cmpint (a->score, ==, 39);
    g_assert_cmpint (a->aligned, ==, 8);
    g_assert_cmpint (a->identical, ==, 8);
    g_assert_cmpfloat (a->identity, ==, 1.0);
    g_assert_cmpfloat (a->coverage, ==, 0.8);
    for (int i = 0; i < 10; i++)
      g_assert_cmpint (a->seq_to_observed[i], ==, i < 2 ? -1 : i - 2);
  }
  /* trailing ones too: the same score */
  {
    g_autoptr(PlmAlignment) a = align ("TAYIAKQRMKGGGGG", "TAYIAKQR");
    g_assert_cmpint (a->score, ==, 39);
    g_assert_cmpfloat (a->coverage, ==, 8.0 / 15.0);
    g_assert_cmpint (a->seq_to_observed[8], ==, -1);
  }
  /* a missing loop (MNP) inside: 98 − (10 + 2) */
  {
    g_autoptr(PlmAlignment) a = align ("ACDEFGHIKLMNPQRSTVWY", "ACDEFGHIKLQRSTVWY");
    g_assert_cmpint (a->score, ==, 86);
    g_assert_cmpint (a->aligned, ==, 17);
    g_assert_cmpfloat (a->identity, ==, 1.0);
    g_assert_cmpfloat (a->coverage, ==, 0.85);
    g_assert_cmpint (a->seq_to_observed[9], ==, 9);
    g_assert_cmpint (a->seq_to_observed[10], ==, -1);
    g_assert_cmpint (a->seq_to_observed[12], ==, -1);
    g_assert_cmpint (a->seq_to_observed[13], ==, 10);
    g_assert_cmpint (a->seq_to_observed[19], ==, 16);
  }
  /* … and one mismatch (Y → W: 2 instead of 7): 16 of 17 identical */
  {
    g_autoptr(PlmAlignment) a = align ("ACDEFGHIKLMNPQRSTVWY", "ACDEFGHIKLQRSTVWW");
    g_assert_cmpint (a->score, ==, 81);
    g_assert_cmpint (a->identical, ==, 16);
    g_assert_cmpfloat (a->identity, ==, 16.0 / 17.0);
  }
  /* an expression tag on the structure side costs a gap: GSH unaligned, −10 − 2 */
  {
    g_autoptr(PlmAlignment) a = align ("MKTAYIAKQRW", "GSHMKTAYIAKQRW");
    g_assert_cmpint (a->score, ==, 5 + 5 + 5 + 4 + 7 + 4 + 4 + 5 + 5 + 5 + 11 - 12);
    g_assert_cmpint (a->aligned, ==, 11);
    g_assert_cmpint (a->seq_to_observed[0], ==, 3);
    g_assert_cmpfloat (a->coverage, ==, 1.0);
  }
  /* unknown letters align (as BLOSUM62's X) but X is never identical; U–U is */
  {
    g_autoptr(PlmAlignment) a = align ("MKXAUBZOJ*", "MKXAUBZOJ*");
    g_assert_cmpint (a->aligned, ==, 10);
    g_assert_cmpint (a->identical, ==, 7);   /* M K A U B Z O */
  }
  /* a sequence without anything in common: still a global alignment, identity low */
  {
    g_autoptr(PlmAlignment) a = align ("WWWWWWWWWW", "ACDEFGHIKL");
    g_assert_true (a->aligned == 0 || a->identity < 0.5);
  }
}

static void
test_align_limits (void)
{
  g_autoptr(GError) error = NULL;
  const int n = 20000;
  g_autofree char *big = g_malloc (n);

  memset (big, 'A', n);
  /* 20001² cells > 2^28: refused before any allocation */
  g_assert_null (plm_align_global (big, n, big, n, &error));
  g_assert_error (error, PLM_ERROR, PLM_ERROR_RESOURCES);
  g_assert_nonnull (strstr (error->message, "20000 sequence residues"));
  g_clear_error (&error);
  g_assert_null (plm_align_global (big, 0, big, 5, &error));
  g_assert_error (error, PLM_ERROR, PLM_ERROR_INPUT);
  g_clear_error (&error);
  g_assert_null (plm_align_global (big, 5, big, 0, &error));
  g_assert_error (error, PLM_ERROR, PLM_ERROR_INPUT);
  g_clear_error (&error);
  /* a long sequence against a short chain is fine: 20000 × 10 */
  {
    g_autoptr(PlmAlignment) a = plm_align_global (big, n, "AAAAAAAAAA", 10, &error);
    g_assert_no_error (error);
    g_assert_cmpint (a->aligned, ==, 10);
  }
}

static void
test_map_crafted (void)
{
  g_autoptr(PlmStructure) pdb = read_data ("structures", "crafted.pdb");
  g_autoptr(PlmStructure) cif = read_data ("structures", "crafted.cif");
  g_autoptr(GError) error = NULL;

  for (int f = 0; f < 2; f++)
    {
      PlmStructure *s = f ? cif : pdb;
      g_autoptr(PlmStructureMap) map = plm_structure_map_align (s, NULL, CRAFTED_SEQ, 30, FALSE, &error);
      int k = 0;

      g_assert_no_error (error);
      g_assert_cmpstr (map->chain, ==, "A");
      g_assert_cmpint (map->n_observed, ==, 23);
      g_assert_cmpint (map->aligned, ==, 23);
      g_assert_cmpint (map->identical, ==, 23);   /* MSE counts as M */
      g_assert_cmpfloat (map->identity, ==, 1.0);
      g_assert_cmpfloat (map->coverage, ==, 23.0 / 30.0);
      for (int i = 0; i < 30; i++)
        {
          const PlmResidue *r = plm_structure_map_get (map, s, i);
          int number;
          char icode;
          if (is_missing (i))
            {
              g_assert_null (r);
              g_assert_cmpint (map->residue[i], ==, -1);
              continue;
            }
          crafted_number (i, &number, &icode);
          g_assert_cmpint (map->residue[i], ==, k++);
          g_assert_cmpint (r->number, ==, number + (f ? 100 : 0));
          g_assert_cmpint (r->icode, ==, icode);
        }
      g_assert_null (plm_structure_map_get (map, s, -1));
      g_assert_null (plm_structure_map_get (map, s, 30));
    }
}

static void
test_map_errors (void)
{
  g_autoptr(PlmStructure) s = read_data ("structures", "crafted.pdb");
  g_autoptr(GError) error = NULL;
  /* 20 of the 23 observed residues changed (crafted.fasta's "other") */
  const char *other = "GSMWWWWWWWQRQISWWWWWWWWWLWERLG";

  g_assert_null (plm_structure_map_align (s, "Z", CRAFTED_SEQ, 30, FALSE, &error));
  g_assert_error (error, PLM_ERROR, PLM_ERROR_INPUT);
  g_assert_nonnull (strstr (error->message, "no chain 'Z' (chains: A, W)"));
  g_clear_error (&error);
  g_assert_null (plm_structure_map_align (s, "W", CRAFTED_SEQ, 30, FALSE, &error));
  g_assert_error (error, PLM_ERROR, PLM_ERROR_INPUT);
  g_assert_nonnull (strstr (error->message, "chain 'W' has no amino-acid residues"));
  g_clear_error (&error);
  g_assert_null (plm_structure_map_align (s, "A", other, 30, FALSE, &error));
  g_assert_error (error, PLM_ERROR, PLM_ERROR_INPUT);
  g_assert_nonnull (strstr (error->message, "below the 90% required"));
  g_clear_error (&error);
  {
    g_autoptr(PlmStructureMap) forced = plm_structure_map_align (s, "A", other, 30, TRUE, &error);
    g_assert_no_error (error);
    g_assert_cmpfloat (forced->identity, <, 0.9);
  }
  /* one substitution in 23 observed (95.7 %) passes, three (87.0 %) do not */
  {
    char seq[] = CRAFTED_SEQ;
    seq[4] = 'W';
    g_autoptr(PlmStructureMap) m1 = plm_structure_map_align (s, "A", seq, 30, FALSE, &error);
    g_assert_no_error (error);
    g_assert_cmpint (m1->identical, ==, 22);
    g_assert_cmpint (m1->aligned, ==, 23);
    seq[8] = 'W';
    seq[17] = 'W';
    g_assert_null (plm_structure_map_align (s, "A", seq, 30, FALSE, &error));
    g_assert_nonnull (strstr (error->message, "87.0% identical"));
    g_clear_error (&error);
  }
}

/* the explicit numbering override: residue i is number start + i, insertion codes never match */
static void
test_map_numbered (void)
{
  g_autoptr(PlmStructure) s = read_data ("structures", "crafted.pdb");
  g_autoptr(GError) error = NULL;
  g_autoptr(PlmStructureMap) right = plm_structure_map_numbered (s, "A", CRAFTED_SEQ, 20, 8, FALSE, &error);
  g_assert_no_error (error);
  /* indices 2–11 and 15–19 are numbers 10–27 */
  g_assert_cmpint (right->aligned, ==, 15);
  g_assert_cmpfloat (right->identity, ==, 1.0);
  g_assert_cmpint (plm_structure_map_get (right, s, 2)->number, ==, 10);
  /* numbered from 1, as the old default: the wrong residues, refused */
  g_assert_null (plm_structure_map_numbered (s, "A", CRAFTED_SEQ, 30, 1, FALSE, &error));
  g_assert_error (error, PLM_ERROR, PLM_ERROR_INPUT);
}

/* contacts on the hairpin: i faces 29 − i; unobserved residues are unknown, not "no contact" */
static void
test_contacts_from_map (void)
{
  g_autoptr(PlmStructure) s = read_data ("structures", "crafted.pdb");
  g_autoptr(GError) error = NULL;
  g_autoptr(PlmStructureMap) map = plm_structure_map_align (s, NULL, CRAFTED_SEQ, 30, FALSE, &error);
  g_autofree guint8 *truth = NULL;
  float values[30 * 30];
  int pairs[6], hits = -1;

  g_assert_no_error (error);
  truth = plm_contacts_from_structure (s, map);
  for (int i = 0; i < 30; i++)
    for (int j = 0; j < 30; j++)
      {
        guint8 want;
        if (is_missing (i) || is_missing (j))
          want = PLM_CONTACT_UNKNOWN;
        else
          {
            float a[3], b[3];
            crafted_ca (i, a);
            crafted_ca (j, b);
            /* Cβ sit 1.5 Å above their Cα (Gly: on it) */
            a[2] += CRAFTED_SEQ[i] == 'G' ? 0.0f : 1.5f;
            b[2] += CRAFTED_SEQ[j] == 'G' ? 0.0f : 1.5f;
            want = plm_structure_distance (a, b) < 8.0;
          }
        g_assert_cmpint (truth[i * 30 + j], ==, want);
      }
  g_assert_cmpint (truth[3 * 30 + 26], ==, 1);    /* facing */
  g_assert_cmpint (truth[3 * 30 + 23], ==, 0);    /* 3 apart across */
  g_assert_cmpint (truth[0 * 30 + 29], ==, PLM_CONTACT_UNKNOWN);

  /* predictions: (0, 29) best but unknown; then (3, 26) true, (3, 20) false, (13, 16) unknown */
  memset (values, 0, sizeof values);
  values[0 * 30 + 29] = 0.9f;
  values[3 * 30 + 26] = 0.8f;
  values[3 * 30 + 20] = 0.7f;
  values[13 * 30 + 19] = 0.6f;
  values[4 * 30 + 25] = 0.5f;
  g_assert_cmpint (plm_contacts_rank_known (values, 30, 30, 6, 3, truth, pairs), ==, 3);
  g_assert_cmpint (pairs[0], ==, 3 * 30 + 26);
  g_assert_cmpint (pairs[1], ==, 3 * 30 + 20);
  g_assert_cmpint (pairs[2], ==, 4 * 30 + 25);
  g_assert_cmpfloat (plm_contacts_precision (pairs, 3, truth, &hits), ==, 2.0 / 3.0);
  g_assert_cmpint (hits, ==, 2);
  /* plain ranking keeps the unknown pairs; precision does not count them */
  g_assert_cmpint (plm_contacts_rank (values, 30, 30, 6, 4, pairs), ==, 4);
  g_assert_cmpint (pairs[0], ==, 0 * 30 + 29);
  g_assert_cmpfloat (plm_contacts_precision (pairs, 4, truth, &hits), ==, 1.0 / 2.0);
  g_assert_true (isnan (plm_contacts_precision (pairs, 1, truth, NULL)));
}

static char *
seqres (const char *id)
{
  g_autofree char *path = plm_test_data_path ("structures", "seqres.fasta", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) recs = plm_fasta_read (path, &error);

  g_assert_no_error (error);
  for (guint i = 0; i < recs->len; i++)
    if (strcmp (((PlmFastaRecord *) recs->pdata[i])->id, id) == 0)
      return g_strdup (((PlmFastaRecord *) recs->pdata[i])->sequence);
  g_assert_not_reached ();
}

/* Precision at L/5 of a perfect predictor (minus the true Cβ distance, in SEQRES coordinates
 * by DBREF) against @truth, ranked over the known pairs as the engine does. */
static double
oracle_precision (const float *pred, const guint8 *truth, int L)
{
  g_autofree int *pairs = g_new (int, L / 5);
  int n = plm_contacts_rank_known (pred, L, L, PLM_CONTACT_MIN_SEPARATION, L / 5, truth, pairs);
  return plm_contacts_precision (pairs, n, truth, NULL);
}

/* 5YH2 chain A: SEQRES residue 1 is author residue 63 (DBREF: Q96MK3 63–529), 39 residues are
 * not observed (63–88, 140–146, …). Matching by residue number from 1, as before the
 * alignment, pairs every residue with one 62 positions away; the alignment recovers DBREF's. */
static void
test_real_5yh2 (void)
{
  g_autoptr(PlmStructure) s = read_data ("hasites", "5YH2.pdb.gz");
  g_autofree char *seq = seqres ("5YH2_A");
  g_autoptr(GError) error = NULL;
  g_autoptr(PlmStructureMap) map = NULL;
  g_autoptr(PlmStructureMap) by_number = NULL;
  g_autofree guint8 *truth = NULL;
  g_autofree guint8 *old = NULL;
  g_autofree float *pred = NULL;
  int L = (int) strlen (seq);
  double after, before;

  g_assert_cmpint (L, ==, 467);
  map = plm_structure_map_align (s, "A", seq, L, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpint (map->n_observed, ==, 428);
  g_assert_cmpint (map->aligned, ==, 428);
  g_assert_cmpint (map->identical, ==, 428);
  g_assert_cmpfloat_with_epsilon (map->coverage, 428.0 / 467.0, 1e-12);
  for (int i = 0; i < L; i++)
    {
      const PlmResidue *r = plm_structure_map_get (map, s, i);
      if (r != NULL)
        g_assert_cmpint (r->number, ==, 63 + i);   /* DBREF */
      else
        g_assert_null (plm_structure_find (s, "A", 63 + i));
    }

  /* the old default (residue i = number i + 1): refused now, and this is why */
  g_assert_null (plm_structure_map_numbered (s, "A", seq, L, 1, FALSE, &error));
  g_assert_error (error, PLM_ERROR, PLM_ERROR_INPUT);
  g_clear_error (&error);
  by_number = plm_structure_map_numbered (s, "A", seq, L, 1, TRUE, &error);
  g_assert_no_error (error);
  printf ("# 5YH2 A by number from 1: %d of %d residues found, identity %.3f; aligned: identity %.3f, coverage %.3f\n",
          by_number->aligned, L, by_number->identity, map->identity, map->coverage);
  g_assert_cmpfloat (by_number->identity, <, 0.2);

  /* a perfect predictor in DBREF coordinates: precision at L/5 before and after */
  pred = g_new (float, (gsize) L * L);
  for (int i = 0; i < L; i++)
    for (int j = 0; j < L; j++)
      {
        const PlmResidue *a = plm_structure_find (s, "A", 63 + i), *b = plm_structure_find (s, "A", 63 + j);
        pred[i * L + j] = a && b ? -(float) plm_structure_distance (a->cb, b->cb) : -1000.0f;
      }
  truth = plm_contacts_from_structure (s, map);
  after = oracle_precision (pred, truth, L);
  /* before: residue i = number i + 1, residues not found counted as "no contact", all pairs ranked */
  old = g_new0 (guint8, (gsize) L * L);
  for (int i = 0; i < L; i++)
    for (int j = 0; j < L; j++)
      {
        const PlmResidue *a = plm_structure_find (s, "A", 1 + i), *b = plm_structure_find (s, "A", 1 + j);
        old[i * L + j] = a && b && plm_structure_distance (a->cb, b->cb) < PLM_CONTACT_CUTOFF;
      }
  {
    g_autofree int *pairs = g_new (int, L / 5);
    int n = plm_contacts_rank (pred, L, L, PLM_CONTACT_MIN_SEPARATION, L / 5, pairs);
    before = plm_contacts_precision (pairs, n, old, NULL);
  }
  printf ("# 5YH2 A, perfect predictor, precision at L/5 (%d pairs): by number %.3f, aligned %.3f\n", L / 5,
          before, after);
  g_assert_cmpfloat (after, ==, 1.0);
  g_assert_cmpfloat (before, <, 0.2);
}

/* 1HPV chain A: numbered 1–99 like its SEQRES, every residue observed */
static void
test_real_1hpv (void)
{
  g_autoptr(PlmStructure) s = read_data ("hasites", "1hpv.pdb");
  g_autofree char *seq = seqres ("1HPV_A");
  g_autoptr(GError) error = NULL;
  g_autoptr(PlmStructureMap) map = plm_structure_map_align (s, NULL, seq, (int) strlen (seq), FALSE, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (map->chain, ==, "A");
  g_assert_cmpint (map->aligned, ==, 99);
  g_assert_cmpfloat (map->identity, ==, 1.0);
  g_assert_cmpfloat (map->coverage, ==, 1.0);
  for (int i = 0; i < 99; i++)
    g_assert_cmpint (plm_structure_map_get (map, s, i)->number, ==, i + 1);
  /* chain B is the same protein */
  {
    g_autoptr(PlmStructureMap) b = plm_structure_map_align (s, "B", seq, 99, FALSE, &error);
    g_assert_no_error (error);
    g_assert_cmpint (b->aligned, ==, 99);
  }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/structure/read-crafted-pdb", test_read_crafted_pdb);
  g_test_add_func ("/structure/read-crafted-cif", test_read_crafted_cif);
  g_test_add_func ("/structure/parent-letters", test_parent_letters);
  g_test_add_func ("/structure/occupancy", test_read_occupancy);
  g_test_add_func ("/structure/cif-polymer", test_read_cif_polymer);
  g_test_add_func ("/align/blosum62", test_blosum62);
  g_test_add_func ("/align/by-hand", test_align_by_hand);
  g_test_add_func ("/align/limits", test_align_limits);
  g_test_add_func ("/structure-map/crafted", test_map_crafted);
  g_test_add_func ("/structure-map/errors", test_map_errors);
  g_test_add_func ("/structure-map/numbered", test_map_numbered);
  g_test_add_func ("/structure-map/contacts", test_contacts_from_map);
  g_test_add_func ("/structure-map/real-5yh2", test_real_5yh2);
  g_test_add_func ("/structure-map/real-1hpv", test_real_1hpv);
  return g_test_run ();
}
