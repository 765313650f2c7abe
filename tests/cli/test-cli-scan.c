/* test-cli-scan.c: `plmlens-cli scan` end to end: every score of both modes against the PyTorch
 * reference (tests/reference/make_fixtures.py: scan-*.npy, scan-pll.json), the table's layout,
 * --mutations with its error cases, and an interrupted scan resumed. */
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include "plm-test-util.h"

#define AA "LAGVSERTIDPKQNFYMHWC"
#define V 33

/* fair-esm alphabet index of a residue letter */
static int
tok (char c)
{
  static const char alphabet[] = "....LAGVSERTIDPKQNFYMHWCXBUZO";
  const char *p = strchr (alphabet + 4, c);
  g_assert_nonnull (p);
  return (int) (p - alphabet);
}

typedef struct {
  int    status;
  char  *out, *err;
} Run;

static void
run_clear (Run *r)
{
  g_free (r->out);
  g_free (r->err);
}

static void
run_cliv (Run *r, const char *const *envp_extra, const char *const *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) envp = g_get_environ ();

  for (int i = 0; envp_extra != NULL && envp_extra[i] != NULL; i += 2)
    envp = g_environ_setenv (envp, envp_extra[i], envp_extra[i + 1], TRUE);
  g_ptr_array_add (argv, (gpointer) g_getenv ("PLM_CLI"));
  g_ptr_array_add (argv, "scan");
  for (int i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  g_spawn_sync (NULL, (char **) argv->pdata, envp, G_SPAWN_DEFAULT, NULL, NULL, &r->out, &r->err, &r->status,
                &error);
  g_assert_no_error (error);
  if (WIFEXITED (r->status))
    r->status = WEXITSTATUS (r->status);
  else
    r->status = -1;
}

static void
run_cli (Run *r, const char *const *envp_extra, const char *first, ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  va_list ap;

  va_start (ap, first);
  for (const char *a = first; a != NULL; a = va_arg (ap, const char *))
    g_ptr_array_add (args, (gpointer) a);
  va_end (ap);
  g_ptr_array_add (args, NULL);
  run_cliv (r, envp_extra, (const char *const *) args->pdata);
}

static char *
read_text (const char *path)
{
  char *text = NULL;
  g_autoptr(GError) error = NULL;
  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  return text;
}

static char *
record_sequence_in (const char *fasta_name, const char *id)
{
  g_autofree char *fasta = plm_test_data_path (fasta_name, NULL);
  g_autofree char *text = read_text (fasta);
  g_autofree char *header = g_strdup_printf (">%s\n", id), *header_desc = g_strdup_printf (">%s ", id);
  const char *p = strstr (text, header_desc) != NULL ? strstr (text, header_desc) : strstr (text, header);
  g_assert_nonnull (p);
  p = strchr (p, '\n') + 1;
  GString *s = g_string_new (NULL);
  for (; *p && *p != '>'; p++)
    if (*p != '\n')
      g_string_append_c (s, *p);
  return g_string_free (s, FALSE);
}

static double
ref_pll (const char *model, const char *record)
{
  g_autofree char *path = plm_test_data_path ("ref", model, record, "scan-pll.json", NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_assert_true (json_parser_load_from_file (parser, path, NULL));
  return json_object_get_double_member (json_node_get_object (json_parser_get_root (parser)), "pseudo_log_likelihood");
}

static double worst[2];

/* The table of @record (in @fasta_name) under @model in @mode, run with @extra arguments, equals
 * the reference's scores in @ref_dir (ref/ or ref/windowed-scan/), row by row. */
static Run
check_table_in (const char *fasta_name, const char *ref_dir, const char *model, const char *record, const char *mode,
                const char *npy, const char *const *extra)
{
  g_autofree char *mpath = plm_test_data_path ("models", model, NULL);
  g_autofree char *fasta = plm_test_data_path (fasta_name, NULL);
  g_autofree char *dir = g_dir_make_tmp ("plm-cli-scan-XXXXXX", NULL);
  g_autofree char *out = g_build_filename (dir, "scan.tsv", NULL);
  g_autofree char *ref_path = plm_test_data_path (ref_dir, model, record, npy, NULL);
  g_autofree char *seq = record_sequence_in (fasta_name, record);
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  const char *base[] = { "-t", "1", "-m", mpath, "-f", fasta, "--record", record, "--mode", mode, "-o", out };
  PlmNpyArray ref;
  Run r = { 0 };
  int L = (int) strlen (seq);

  for (guint i = 0; i < G_N_ELEMENTS (base); i++)
    g_ptr_array_add (args, (gpointer) base[i]);
  for (int i = 0; extra != NULL && extra[i] != NULL; i++)
    g_ptr_array_add (args, (gpointer) extra[i]);
  g_ptr_array_add (args, NULL);
  run_cliv (&r, NULL, (const char *const *) args->pdata);
  g_assert_cmpint (r.status, ==, 0);
  plm_test_load_npy (ref_path, &ref);
  const float *lp = ref.data;
  g_autofree char *text = read_text (out);
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  g_assert_cmpstr (lines[0], ==, "position\twt\tmt\tscore");
  g_assert_cmpint (g_strv_length (lines), ==, 19 * L + 2);   /* header, rows, "" after the last \n */
  g_assert_cmpstr (lines[19 * L + 1], ==, "");
  double err = 0.0;
  int row = 1;
  for (int i = 0; i < L; i++)
    for (const char *a = AA; *a; a++)
      {
        if (*a == seq[i])
          continue;
        g_auto(GStrv) f = g_strsplit (lines[row++], "\t", -1);
        g_assert_cmpint (g_strv_length (f), ==, 4);
        g_assert_cmpint (atoi (f[0]), ==, i + 1);
        g_assert_cmpint (f[1][0], ==, seq[i]);
        g_assert_cmpint (f[2][0], ==, *a);
        double want = (double) lp[i * V + tok (*a)] - lp[i * V + tok (seq[i])];
        err = MAX (err, fabs (g_ascii_strtod (f[3], NULL) - want));
      }
  gboolean masked = strcmp (mode, "masked-marginal") == 0;
  g_test_message ("%s/%s %s: max |score error| %.3g (scores printed to 1e-6)", model, record, mode, err);
  g_assert_cmpfloat (err, <=, 1e-3);
  worst[masked] = MAX (worst[masked], err);
  /* the pseudo-log-likelihood line on stderr (masked mode only) */
  const char *p = strstr (r.err, "pseudo-log-likelihood ");
  if (masked)
    {
      g_assert_nonnull (p);
      double pll = g_ascii_strtod (p + strlen ("pseudo-log-likelihood "), NULL);
      double want_pll = 0.0;
      /* the windowed references have no JSON: the sum of the own residues' rows */
      if (strcmp (ref_dir, "ref") == 0)
        want_pll = ref_pll (model, record);
      else
        for (int i = 0; i < L; i++)
          want_pll += lp[i * V + tok (seq[i])];
      g_assert_cmpfloat (fabs (pll - want_pll), <=, 1e-3 * L);
      g_assert_nonnull (strstr (r.err, "pseudo-perplexity "));
    }
  else
    g_assert_null (p);
  plm_npy_array_clear (&ref);
  g_unlink (out);
  g_rmdir (dir);
  return r;
}

static void
check_table (const char *model, const char *record, const char *mode, const char *npy)
{
  Run r = check_table_in ("ref-seqs.fasta", "ref", model, record, mode, npy, NULL);

  run_clear (&r);
}

static void
test_matches_reference (void)
{
  const char *models[] = { "tiny-f32", "tiny-sharded" }, *records[] = { "short", "medium" };
  for (guint m = 0; m < G_N_ELEMENTS (models); m++)
    for (guint r = 0; r < G_N_ELEMENTS (records); r++)
      {
        check_table (models[m], records[r], "masked-marginal", "scan-masked.npy");
        check_table (models[m], records[r], "wt-marginal", "scan-wt.npy");
      }
  g_test_message ("worst |score error|: masked-marginal %.3g, wt-marginal %.3g", worst[1], worst[0]);
}

/* Long proteins by the windowed rule (tests/reference/windowed_reference.py, generate_scan):
 * tiny-esm1b's positions end at 126 residues, so a 300-residue record is scanned in windows
 * without being asked (W = 126, O = 31); tiny-f32 (rotary) in windows of 16 when asked. */
static void
test_windowed (void)
{
  const char *const esm2_args[] = { "--window", "--window-size", "16", "--window-overlap", "6", NULL };
  const char *modes[][2] = { { "masked-marginal", "scan-masked.npy" }, { "wt-marginal", "scan-wt.npy" } };

  for (guint m = 0; m < G_N_ELEMENTS (modes); m++)
    {
      Run r = check_table_in ("windowed-scan.fasta", "ref/windowed-scan", "tiny-esm1b", "long300",
                              modes[m][0], modes[m][1], NULL);

      g_assert_nonnull (strstr (r.err, "learned positions end at 126 residues: scanning in windows"));
      run_clear (&r);
      r = check_table_in ("windowed-scan.fasta", "ref/windowed-scan", "tiny-f32", "long40",
                          modes[m][0], modes[m][1], esm2_args);
      run_clear (&r);
    }

  /* the window options need --window */
  g_autofree char *mpath = plm_test_data_path ("models", "tiny-f32", NULL);
  g_autofree char *fasta = plm_test_data_path ("windowed-scan.fasta", NULL);
  Run r = { 0 };
  run_cli (&r, NULL, "-q", "-m", mpath, "-f", fasta, "--record", "long40", "--window-size", "16", "-o", "/nonexistent/x",
           NULL);
  g_assert_cmpint (r.status, ==, 2);
  g_assert_nonnull (strstr (r.err, "need --window"));
  run_clear (&r);
}

/* --mutations: comments and blank lines skipped, multi-mutants scored additively, text kept. */
static void
test_mutations (void)
{
  g_autofree char *mpath = plm_test_data_path ("models", "tiny-f32", NULL);
  g_autofree char *fasta = plm_test_data_path ("ref-seqs.fasta", NULL);
  g_autofree char *ref_path = plm_test_data_path ("ref", "tiny-f32", "medium", "scan-masked.npy", NULL);
  g_autofree char *dir = g_dir_make_tmp ("plm-cli-scan-XXXXXX", NULL);
  g_autofree char *list = plm_test_write_file (dir, "m.txt",
                                               "# ubiquitin\nM1A\n\n  I3V:K6R  \nl8p\n# end\n", (gsize) -1);
  g_autofree char *out = g_build_filename (dir, "m.tsv", NULL);
  PlmNpyArray ref;
  Run r = { 0 };

  plm_test_load_npy (ref_path, &ref);
  const float *lp = ref.data;
#define S(pos, wt, mt) ((double) lp[((pos) - 1) * V + tok (mt)] - lp[((pos) - 1) * V + tok (wt)])
  double want[3] = { S (1, 'M', 'A'), S (3, 'I', 'V') + S (6, 'K', 'R'), S (8, 'L', 'P') };
  const char *names[3] = { "M1A", "I3V:K6R", "l8p" };
  run_cli (&r, NULL, "-q", "-m", mpath, "-f", fasta, "--record", "medium", "-o", out, "--mutations", list, NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpstr (r.err, ==, "");   /* -q: no PLL line either */
  g_autofree char *text = read_text (out);
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  g_assert_cmpint (g_strv_length (lines), ==, 5);
  g_assert_cmpstr (lines[0], ==, "mutant\tscore");
  for (int i = 0; i < 3; i++)
    {
      g_auto(GStrv) f = g_strsplit (lines[i + 1], "\t", -1);
      g_assert_cmpstr (f[0], ==, names[i]);
      g_assert_cmpfloat (fabs (g_ascii_strtod (f[1], NULL) - want[i]), <=, 1e-3);
    }
  plm_npy_array_clear (&ref);
  run_clear (&r);
}

/* Each bad mutants file fails with exit status 2 and one line naming file:line. */
static void
test_mutation_errors (void)
{
  g_autofree char *mpath = plm_test_data_path ("models", "tiny-f32", NULL);
  g_autofree char *fasta = plm_test_data_path ("ref-seqs.fasta", NULL);
  g_autofree char *dir = g_dir_make_tmp ("plm-cli-scan-XXXXXX", NULL);
  g_autofree char *out = g_build_filename (dir, "m.tsv", NULL);
  const char *cases[][3] = {
    { "M1A\nA2G\n", ":2: ", "wild type A at position 2, but the sequence has K there" },
    { "#\nM0A\n", ":2: ", "position 0 is outside the sequence (1 to 15)" },
    { "V16A\n", ":1: ", "position 16 is outside the sequence (1 to 15)" },
    { "M1B\n", ":1: ", "mutant B at position 1 is not one of the 20 amino acids" },
    { "M1\n", ":1: ", "'M1' is not a substitution like A23G" },
    { "M1A,K2G\n", ":1: ", "is not a substitution like A23G" },
    { "M1A:K2G:M1C\n", ":1: ", "position 1 appears twice" },
    { "\n\nK2A\nM1A:Q5R\n", ":4: ", "wild type Q at position 5, but the sequence has Y there" },
    { "# only comments\n\n", ": ", "no mutants" },
  };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *name = g_strdup_printf ("bad%u.txt", i);
      g_autofree char *list = plm_test_write_file (dir, name, cases[i][0], (gsize) -1);
      g_autofree char *where = g_strconcat (list, cases[i][1], NULL);
      Run r = { 0 };
      run_cli (&r, NULL, "-q", "-m", mpath, "-f", fasta, "--record", "short", "-o", out, "--mutations", list, NULL);
      g_assert_cmpint (r.status, ==, 2);
      g_assert_nonnull (strstr (r.err, where));
      g_assert_nonnull (strstr (r.err, cases[i][2]));
      g_assert_cmpint (strchr (r.err, '\n') - r.err, ==, (int) strlen (r.err) - 1);   /* one line */
      g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
      run_clear (&r);
    }
}

/* Bad arguments and sequences fail with exit status 2 and one line. */
static void
test_bad_input (void)
{
  g_autofree char *mpath = plm_test_data_path ("models", "tiny-f32", NULL);
  g_autofree char *fasta = plm_test_data_path ("ref-seqs.fasta", NULL);
  g_autofree char *dir = g_dir_make_tmp ("plm-cli-scan-XXXXXX", NULL);
  g_autofree char *out = g_build_filename (dir, "s.tsv", NULL);
  struct { const char *record, *mode, *message; } cases[] = {
    { NULL, "masked-marginal", "holds 4 records: choose one with --record" },
    { "nope", "masked-marginal", "no record 'nope'" },
    { "masked", "wt-marginal", "residue 11 is <mask>, not an amino-acid letter" },
    { "unknown", "masked-marginal", "residue 3 is <unk>, not an amino-acid letter" },
    { "short", "masked", "--mode must be masked-marginal or wt-marginal" },
  };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      Run r = { 0 };
      if (cases[i].record != NULL)
        run_cli (&r, NULL, "-m", mpath, "-f", fasta, "--record", cases[i].record, "--mode", cases[i].mode, "-o", out,
                 NULL);
      else
        run_cli (&r, NULL, "-m", mpath, "-f", fasta, "--mode", cases[i].mode, "-o", out, NULL);
      g_assert_cmpint (r.status, ==, 2);
      if (strstr (r.err, cases[i].message) == NULL)
        g_error ("case %u: '%s' lacks '%s'", i, r.err, cases[i].message);
      g_assert_cmpint (strchr (r.err, '\n') - r.err, ==, (int) strlen (r.err) - 1);
      run_clear (&r);
    }
}

/* A scan cancelled after two batches keeps their positions in OUT.partial; --resume computes only
 * the rest and writes the same table as an uninterrupted scan, byte for byte. */
static void
test_cancel_resume (void)
{
  g_autofree char *mpath = plm_test_data_path ("models", "tiny-f32", NULL);
  g_autofree char *fasta = plm_test_data_path ("ref-seqs.fasta", NULL);
  g_autofree char *dir = g_dir_make_tmp ("plm-cli-scan-XXXXXX", NULL);
  g_autofree char *full = g_build_filename (dir, "full.tsv", NULL);
  g_autofree char *out = g_build_filename (dir, "s.tsv", NULL);
  g_autofree char *partial = g_build_filename (dir, "s.tsv.partial", NULL);
  const char *cancel_env[] = { "PLMLENS_SCAN_CANCEL_AFTER", "4", NULL };
  Run r = { 0 };

  /* one position per forward in every run, so that the table can be compared byte for byte
   * (sgemm's summation order may depend on how many copies share a forward) */
  run_cli (&r, NULL, "-q", "--batch", "1", "-t", "1", "-m", mpath, "-f", fasta, "--record", "short", "-o", full, NULL);
  g_assert_cmpint (r.status, ==, 0);
  run_clear (&r);

  run_cli (&r, cancel_env, "-q", "--batch", "1", "-t", "1", "-m", mpath, "-f", fasta, "--record", "short", "-o", out, NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, "stopped; the finished positions are in"));
  g_assert_nonnull (strstr (r.err, "cancelled"));
  g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
  run_clear (&r);
  g_autofree char *text = read_text (partial);
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  g_assert_cmpint (g_strv_length (lines), ==, 1 + 4 + 1);   /* header, 4 positions, "" */
  g_assert_true (g_str_has_prefix (lines[1], "1\t"));
  g_assert_true (g_str_has_prefix (lines[4], "4\t"));

  /* a kill in the middle of a line: the cut line is recomputed */
  g_autofree char *cut = g_strndup (text, strlen (text) - 20);
  g_assert_true (g_file_set_contents (partial, cut, -1, NULL));
  /* another record is refused */
  run_cli (&r, NULL, "-q", "--resume", "-m", mpath, "-f", fasta, "--record", "medium", "-o", out, NULL);
  g_assert_cmpint (r.status, ==, 2);
  g_assert_nonnull (strstr (r.err, "was written for another model, sequence or mode"));
  run_clear (&r);

  run_cli (&r, NULL, "--resume", "--batch", "1", "-t", "1", "-m", mpath, "-f", fasta, "--record", "short", "-o", out, NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.err, "3 of 15 positions were already computed and kept"));
  g_assert_false (g_file_test (partial, G_FILE_TEST_EXISTS));
  run_clear (&r);
  g_autofree char *a = read_text (full), *b = read_text (out);
  if (strcmp (a, b) != 0)
    {
      g_auto(GStrv) la = g_strsplit (a, "\n", -1), lb = g_strsplit (b, "\n", -1);
      for (int i = 0; la[i] != NULL && lb[i] != NULL; i++)
        if (strcmp (la[i], lb[i]) != 0)
          g_error ("resumed table differs at line %d: '%s' vs '%s'", i + 1, lb[i], la[i]);
      g_error ("resumed table differs in length");
    }

  /* the kept rows are really reused: a changed value shows in the resumed table */
  run_cli (&r, cancel_env, "-q", "--batch", "2", "-t", "1", "-m", mpath, "-f", fasta, "--record", "short", "-o", out, NULL);
  g_assert_cmpint (r.status, ==, 1);
  run_clear (&r);
  g_free (text);
  text = read_text (partial);
  g_auto(GStrv) rows = g_strsplit (text, "\n", -1);
  g_auto(GStrv) f = g_strsplit (rows[1], "\t", -1);   /* position 1; column 1 + token of L (4) */
  g_free (f[1 + 4]);
  f[1 + 4] = g_strdup ("-0.5");
  g_free (f[1 + tok ('M')]);
  f[1 + tok ('M')] = g_strdup ("-1.5");
  g_free (rows[1]);
  rows[1] = g_strjoinv ("\t", f);
  g_autofree char *changed = g_strjoinv ("\n", rows);
  g_assert_true (g_file_set_contents (partial, changed, -1, NULL));
  run_cli (&r, NULL, "-q", "--resume", "-m", mpath, "-f", fasta, "--record", "short", "-o", out, NULL);
  g_assert_cmpint (r.status, ==, 0);
  run_clear (&r);
  g_autofree char *c = read_text (out);
  g_assert_nonnull (strstr (c, "position\twt\tmt\tscore\n1\tM\tL\t1.000000\n"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/cli/scan/matches-reference", test_matches_reference);
  g_test_add_func ("/cli/scan/windowed", test_windowed);
  g_test_add_func ("/cli/scan/mutations", test_mutations);
  g_test_add_func ("/cli/scan/mutation-errors", test_mutation_errors);
  g_test_add_func ("/cli/scan/bad-input", test_bad_input);
  g_test_add_func ("/cli/scan/cancel-resume", test_cancel_resume);
  return g_test_run ();
}
