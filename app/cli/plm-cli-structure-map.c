/* plm-cli-structure-map.c: `plmlens-cli structure-map`: which structure residue each residue of
 * a FASTA record is, by global alignment (engine/formats/plm-structure-map.h). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "plm-cli-commands.h"
#include "plm-cli-common.h"
#include "plm-error.h"
#include "plm-fasta.h"
#include "plm-structure-map.h"
#include "plm-tokenizer.h"

#define CMD "structure-map"

/* A blank chain id or insertion code is written '.', an unaligned residue's columns '-'. */
static const char *
field (const char *s)
{
  return *s ? s : ".";
}

int
plm_cli_structure_map (int    argc,
                       char **argv)
{
  g_autofree char *fasta = NULL, *record = NULL, *structure = NULL, *chain = NULL, *out = NULL;
  gboolean force = FALSE;
  GOptionEntry entries[] = {
    { "fasta", 'f', 0, G_OPTION_ARG_FILENAME, &fasta, "FASTA file", "FILE" },
    { "record", 'r', 0, G_OPTION_ARG_STRING, &record, "Record identifier (default: the first)", "ID" },
    { "structure", 's', 0, G_OPTION_ARG_FILENAME, &structure, "PDB or mmCIF file (.gz too); first model", "FILE" },
    { "chain", 'c', 0, G_OPTION_ARG_STRING, &chain,
      "Author chain id (auth_asym_id; default: the chain the sequence fits best: most identical residues at >= 90% identity)", "ID" },
    { "force", 0, 0, G_OPTION_ARG_NONE, &force, "Write the map even below 90% sequence identity", NULL },
    { "out", 'o', 0, G_OPTION_ARG_FILENAME, &out, "Output TSV", "FILE" },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) recs = NULL;
  g_autoptr(PlmStructure) st = NULL;
  g_autoptr(PlmStructureMap) map = NULL;
  g_autoptr(GString) tsv = NULL;
  g_autofree char *seq = NULL;
  const PlmFastaRecord *rec = NULL;
  char id[G_ASCII_DTOSTR_BUF_SIZE], cov[G_ASCII_DTOSTR_BUF_SIZE];
  int L;

  if (!plm_cli_parse_options (CMD, "",
                              "Align a FASTA record to a structure chain (BLOSUM62, gaps -10/-1, free end gaps on the "
                              "structure side) and write which structure residue each sequence residue is.\n\n"
                              "TSV columns: index (0-based), residue (one letter), chain, resnum, icode, "
                              "structure_residue (the residue name in the file, e.g. MSE). Numbering is the "
                              "author's (PDB resSeq; mmCIF auth_seq_id). A blank chain id or insertion code is "
                              "written '.'; a residue the structure lacks has '-' in the four structure columns. "
                              "Identity and coverage go to stderr; below 90% identity the map is refused "
                              "(exit 2) unless --force.",
                              entries, &argc, &argv))
    return PLM_EXIT_BAD_INPUT;
  if (argc > 1)
    return plm_cli_usage_error (CMD, "unexpected argument '%s'", argv[1]);
  if (fasta == NULL || structure == NULL || out == NULL)
    return plm_cli_usage_error (CMD, "--fasta, --structure and --out are required");

  recs = plm_fasta_read (fasta, &error);
  if (recs == NULL)
    return plm_cli_report_error (error);
  for (guint i = 0; i < recs->len && rec == NULL; i++)
    if (record == NULL || g_strcmp0 (((PlmFastaRecord *) recs->pdata[i])->id, record) == 0)
      rec = recs->pdata[i];
  if (rec == NULL)
    {
      g_printerr ("plmlens-cli: %s: no record '%s'\n", fasta, record ? record : "");
      return PLM_EXIT_BAD_INPUT;
    }
  seq = plm_sequence_upper (rec->sequence);
  L = (int) strlen (seq);
  if (L == 0)
    {
      g_printerr ("plmlens-cli: %s: record '%s' has no residues\n", fasta, rec->id);
      return PLM_EXIT_BAD_INPUT;
    }
  st = plm_structure_read (structure, &error);
  if (st == NULL)
    return plm_cli_report_error (error);
  map = plm_structure_map_align (st, chain, seq, L, force, &error);
  if (map == NULL)
    return plm_cli_report_error (error);

  tsv = g_string_new ("index\tresidue\tchain\tresnum\ticode\tstructure_residue\n");
  for (int i = 0; i < L; i++)
    {
      const PlmResidue *r = plm_structure_map_get (map, st, i);
      char icode[2] = { r && r->icode != ' ' ? r->icode : '\0', '\0' };
      if (r == NULL)
        g_string_append_printf (tsv, "%d\t%c\t-\t-\t-\t-\n", i, seq[i]);
      else
        g_string_append_printf (tsv, "%d\t%c\t%s\t%d\t%s\t%s\n", i, seq[i], field (r->chain), r->number,
                                field (icode), r->name);
    }
  if (!g_file_set_contents (out, tsv->str, (gssize) tsv->len, &error))   /* atomic: temporary file, rename */
    {
      g_printerr ("plmlens-cli: %s\n", error->message);
      return PLM_EXIT_FAILURE;
    }
  g_printerr ("plmlens-cli: %s chain %s: identity %s%% (%d of %d aligned residues), coverage %s%% (%d of %d "
              "sequence residues)\n", structure, field (map->chain),
              isnan (map->identity) ? "NA" : g_ascii_formatd (id, sizeof id, "%.1f", 100.0 * map->identity),
              map->identical, map->aligned, g_ascii_formatd (cov, sizeof cov, "%.1f", 100.0 * map->coverage),
              map->aligned, L);
  return PLM_EXIT_OK;
}
