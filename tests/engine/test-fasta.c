/* test-fasta.c: FASTA parsing, and errors that name file and line for malformed input. */
#include <string.h>

#include "plm-error.h"
#include "plm-fasta.h"
#include "plm-test-util.h"

static void
test_parse (void)
{
  const char *text = "\xEF\xBB\xBF>sp|P69905|HBA_HUMAN Hemoglobin alpha\r\nMVLSPADK\r\n  TNVKAAW GKV*\n"
                     ";comment\n\n>masked  x\nAC<mask>DE\n>lower\nacde\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) recs = plm_fasta_parse (text, strlen (text), "t.fa", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (recs->len, ==, 3);
  PlmFastaRecord *r = recs->pdata[0];
  g_assert_cmpstr (r->id, ==, "sp|P69905|HBA_HUMAN");
  g_assert_cmpstr (r->header, ==, "sp|P69905|HBA_HUMAN Hemoglobin alpha");
  g_assert_cmpstr (r->sequence, ==, "MVLSPADKTNVKAAWGKV");   /* trailing stop dropped */
  g_assert_cmpint (r->line, ==, 1);
  r = recs->pdata[1];
  g_assert_cmpstr (r->sequence, ==, "AC<mask>DE");
  g_assert_cmpint (r->line, ==, 6);
  g_assert_cmpstr (((PlmFastaRecord *) recs->pdata[2])->sequence, ==, "acde");
  /* a stop inside a sequence is kept (it becomes <unk>); only the trailing one is dropped */
  g_autoptr(GPtrArray) stops = plm_fasta_parse (">s\nMK*V**\n", 10, "s.fa", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (((PlmFastaRecord *) stops->pdata[0])->sequence, ==, "MK*V*");
}

static void
test_malformed (void)
{
  static const struct { const char *text; gsize len; const char *expect; } cases[] = {
    { "", 0, "no FASTA records" },
    { "MKV\n>a\nMKV\n", 0, "t.fa:1: sequence data before the first '>'" },
    { ">a\n\n>b\nMK\n", 0, "t.fa:1: record 'a' has no sequence" },
    { ">a\nMK1V\n", 0, "t.fa:2:3: character '1'" },
    { ">a\nMK_V\n", 0, "t.fa:2:3: character '_'" },
    { ">a\nMK\xc3\xa9V\n", 0, "t.fa:2:3: non-ASCII" },
    { ">a\nMK\0V\n", 8, "NUL bytes" },
    { ">\nMKV\n", 0, "t.fa:1: header has no identifier" },
    { ">a\xff\nMKV\n", 0, "t.fa:1: header is not valid UTF-8" },
    { ">a\nMKV\n>b\n", 0, "t.fa:3: record 'b' has no sequence" },
  };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      gsize len = cases[i].len ? cases[i].len : strlen (cases[i].text);
      g_autoptr(GPtrArray) recs = plm_fasta_parse (cases[i].text, len, "t.fa", &error);
      g_assert_null (recs);
      g_assert_error (error, PLM_ERROR, PLM_ERROR_FORMAT);
      g_test_message ("case %u: %s", i, error->message);
      if (strstr (error->message, cases[i].expect) == NULL)
        g_error ("case %u: '%s' does not contain '%s'", i, error->message, cases[i].expect);
    }
}

static void
test_safe_name (void)
{
  static const char *cases[][2] = {
    { "sp|P69905|HBA_HUMAN", "sp_P69905_HBA_HUMAN" },
    { "..", "_.." },
    { "../../etc/passwd", "_.._.._etc_passwd" },
    { ".hidden", "_.hidden" },
    { "a/b", "a_b" },
  };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *s = plm_fasta_safe_name (cases[i][0]);
      g_assert_cmpstr (s, ==, cases[i][1]);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/fasta/parse", test_parse);
  g_test_add_func ("/fasta/malformed", test_malformed);
  g_test_add_func ("/fasta/safe-name", test_safe_name);
  return g_test_run ();
}
