/* plm-cli-ha-active.c: `plmlens-cli ha-active`: how close HA sites lie to annotated active sites. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plm-cli-commands.h"
#include "plm-cli-common.h"
#include "plm-error.h"
#include "plm-fasta.h"
#include "plm-ha-structure.h"
#include "plm-hadata.h"
#include "plm-hastats.h"
#include "plm-tokenizer.h"

/* Structure file names tried for a protein, in order (AlphaFold DB names included). */
static char *
find_structure (const char *dir,
                const char *protein)
{
  const char *prefixes[] = { "", "AF-" };
  const char *suffixes[] = { ".pdb", ".pdb.gz", ".cif", ".cif.gz" };
  g_autofree char *safe = plm_fasta_safe_name (protein);

  for (guint i = 0; i < 2 * G_N_ELEMENTS (suffixes); i++)
    {
      guint p = i / G_N_ELEMENTS (suffixes);
      g_autofree char *name = g_strconcat (prefixes[p], safe, p ? "-F1-model_v4" : "",
                                           suffixes[i % G_N_ELEMENTS (suffixes)], NULL);
      char *path = g_build_filename (dir, name, NULL);
      if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
        return path;
      g_free (path);
    }
  return NULL;
}

static double
percent (int a,
         int b)
{
  return b > 0 ? 100.0 * a / b : 0.0;
}

int
plm_cli_ha_active (int    argc,
                   char **argv)
{
  g_autofree char *ha_path = NULL, *sites_path = NULL, *structures = NULL, *out_path = NULL, *chain = NULL;
  g_autofree char *fasta = NULL;
  gboolean force = FALSE;
  GOptionEntry entries[] = {
    { "ha", 0, 0, G_OPTION_ARG_FILENAME, &ha_path, "HA table written by 'plmlens-cli hasites'", "FILE" },
    { "active-sites", 0, 0, G_OPTION_ARG_FILENAME, &sites_path,
      "Active sites TSV (uniprot_acc, active_site_positions: 1-based, comma-separated)", "FILE" },
    { "structures", 0, 0, G_OPTION_ARG_FILENAME, &structures,
      "Directory of <acc>.pdb/.cif[.gz] (or AF-<acc>-F1-model_v4.*), aligned to the --fasta sequences", "DIR" },
    { "fasta", 'f', 0, G_OPTION_ARG_FILENAME, &fasta,
      "The proteins' sequences (needed with --structures: each is aligned to its structure's chain)", "FILE" },
    { "chain", 0, 0, G_OPTION_ARG_STRING, &chain, "Chain to use (default: in each file, the one the sequence fits best)", "ID" },
    { "force", 0, 0, G_OPTION_ARG_NONE, &force, "Use structures even below 90% sequence identity", NULL },
    { "out", 'o', 0, G_OPTION_ARG_FILENAME, &out_path, "Per-HA-site distances (TSV)", "FILE" },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GHashTable) sites = NULL;
  g_autoptr(GHashTable) seqs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GArray) ca = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GString) out = g_string_new ("protein\tha_site\tresidue\tnearest_active\tseq_distance\tca_distance\n");
  int n_prot = 0, n_ha = 0, n_exact = 0, n_w1 = 0, n_w3 = 0, n_w5 = 0;
  int p_exact = 0, p_w1 = 0, p_w3 = 0, p_w5 = 0, n_struct = 0, n_struct_missing = 0, n_outside = 0;

  if (!plm_cli_parse_options ("ha-active", "",
                              "Sequence and Cα distances from each HA site to the nearest annotated active site.",
                              entries, &argc, &argv))
    return PLM_EXIT_BAD_INPUT;
  if (argc > 1)
    return plm_cli_usage_error ("ha-active", "unexpected argument '%s'", argv[1]);
  if (ha_path == NULL || sites_path == NULL)
    return plm_cli_usage_error ("ha-active", "--ha and --active-sites are required");
  if (!plm_cli_check_dir (structures))
    return PLM_EXIT_BAD_INPUT;
  if (structures != NULL && fasta == NULL)
    return plm_cli_usage_error ("ha-active", "--structures needs --fasta (the sequences the structures are aligned to)");
  if (fasta != NULL)
    {
      g_autoptr(GPtrArray) recs = plm_fasta_read (fasta, &error);
      if (recs == NULL)
        return plm_cli_report_error (error);
      for (guint i = 0; i < recs->len; i++)
        {
          PlmFastaRecord *rec = recs->pdata[i];
          g_hash_table_insert (seqs, plm_ha_protein_id (rec->id), plm_sequence_upper (rec->sequence));
        }
    }
  rows = plm_ha_table_read (ha_path, &error);
  if (rows == NULL)
    return plm_cli_report_error (error);
  sites = plm_active_sites_read (sites_path, &error);
  if (sites == NULL)
    return plm_cli_report_error (error);

  for (guint r = 0; r < rows->len; r++)
    {
      const PlmHaRow *row = rows->pdata[r];
      GArray *act = g_hash_table_lookup (sites, row->protein);
      g_autoptr(PlmStructure) st = NULL;
      g_autoptr(PlmStructureMap) map = NULL;
      int best_min = G_MAXINT;

      if (act == NULL || row->n_sites == 0)
        continue;
      n_prot++;
      if (structures != NULL)
        {
          g_autofree char *path = find_structure (structures, row->protein);
          if (path != NULL)
            {
              const char *seq = g_hash_table_lookup (seqs, row->protein);
              st = plm_structure_read (path, &error);
              if (st == NULL)
                return plm_cli_report_error (error);
              if (seq == NULL)
                {
                  g_printerr ("plmlens-cli: %s: no sequence of %s\n", fasta, row->protein);
                  return PLM_EXIT_BAD_INPUT;
                }
              if ((int) strlen (seq) != row->length)
                {
                  g_printerr ("plmlens-cli: %s: %s has %d residues, the HA table says %d\n", fasta, row->protein,
                              (int) strlen (seq), row->length);
                  return PLM_EXIT_BAD_INPUT;
                }
              map = plm_structure_map_align (st, chain, seq, row->length, force, &error);
              if (map == NULL)
                return plm_cli_report_error (error);
            }
          else
            n_struct_missing++;
        }
      for (int k = 0; k < row->n_sites; k++)
        {
          int res = row->sites[k] + 1;   /* HA sites are 0-based, active sites 1-based */
          int nearest = -1, dmin = G_MAXINT;
          double ca_min = NAN;

          for (guint a = 0; a < act->len; a++)
            {
              int p = g_array_index (act, int, a);
              int d = abs (p - res);
              if (p > row->length)
                {
                  n_outside++;
                  continue;
                }
              if (d < dmin)
                {
                  dmin = d;
                  nearest = p;
                }
            }
          if (nearest < 0)
            continue;
          if (map != NULL)
            {
              /* sequence positions → structure residues through the alignment */
              g_autofree int *targets = g_new (int, MAX (act->len, 1));
              for (guint a = 0; a < act->len; a++)
                targets[a] = g_array_index (act, int, a) - 1;
              ca_min = plm_ha_structure_distance (st, map, res - 1, targets, (int) act->len, NULL);
              if (!isnan (ca_min))
                {
                  g_array_append_val (ca, ca_min);
                  n_struct++;
                }
            }
          n_ha++;
          n_exact += dmin == 0;
          n_w1 += dmin <= 1;
          n_w3 += dmin <= 3;
          n_w5 += dmin <= 5;
          best_min = MIN (best_min, dmin);
          if (isnan (ca_min))
            g_string_append_printf (out, "%s\t%d\t%d\t%d\t%d\tNA\n", row->protein, row->sites[k], res, nearest, dmin);
          else
            {
              char dist[G_ASCII_DTOSTR_BUF_SIZE];
              g_string_append_printf (out, "%s\t%d\t%d\t%d\t%d\t%s\n", row->protein, row->sites[k], res, nearest,
                                      dmin, g_ascii_formatd (dist, sizeof dist, "%.3f", ca_min));
            }
        }
      p_exact += best_min == 0;
      p_w1 += best_min <= 1;
      p_w3 += best_min <= 3;
      p_w5 += best_min <= 5;
    }

  if (out_path != NULL && !g_file_set_contents (out_path, out->str, out->len, &error))
    {
      g_printerr ("plmlens-cli: %s\n", error->message);
      return PLM_EXIT_FAILURE;
    }
  if (n_outside > 0)
    g_printerr ("plmlens-cli: warning: %d active-site position(s) lie beyond the sequence length and were ignored\n",
                n_outside);

  printf ("proteins with HA sites and active sites: %d (HA table %u, active-site table %u)\n", n_prot, rows->len,
          g_hash_table_size (sites));
  printf ("HA sites: %d\n", n_ha);
  printf ("per HA site, sequence distance to the nearest active site: exact %.1f%% (%d), within 1 %.1f%%, "
          "within 3 %.1f%%, within 5 %.1f%%\n", percent (n_exact, n_ha), n_exact, percent (n_w1, n_ha),
          percent (n_w3, n_ha), percent (n_w5, n_ha));
  printf ("per protein, at least one HA site: exact %.1f%%, within 1 %.1f%%, within 3 %.1f%%, within 5 %.1f%% "
          "(paper, ESM-2 650M: 6.5%%, 17.3%%, 31.5%%, 42.2%%)\n", percent (p_exact, n_prot), percent (p_w1, n_prot),
          percent (p_w3, n_prot), percent (p_w5, n_prot));
  if (structures != NULL)
    {
      int le[6] = { 0 };
      const double cut[6] = { 4, 6, 8, 10, 12, 20 };
      double mean = 0.0;
      for (guint i = 0; i < ca->len; i++)
        {
          mean += g_array_index (ca, double, i);
          for (int c = 0; c < 6; c++)
            le[c] += g_array_index (ca, double, i) <= cut[c];
        }
      mean = ca->len ? mean / ca->len : NAN;
      printf ("C-alpha distance (%d HA sites with structures; %d proteins without a structure file): median %.2f A, "
              "mean %.2f A\n", n_struct, n_struct_missing, plm_median ((double *) ca->data, ca->len),
              mean);
      printf ("within 4/6/8/10/12/20 A: %.1f%% %.1f%% %.1f%% %.1f%% %.1f%% %.1f%% "
              "(paper, ESM-2 650M, n = 8,235: median 9 A, 21.9%% 33.5%% 47.9%% 59.6%% 70.6%% 77.3%%)\n",
              percent (le[0], ca->len), percent (le[1], ca->len), percent (le[2], ca->len), percent (le[3], ca->len),
              percent (le[4], ca->len), percent (le[5], ca->len));
    }
  return PLM_EXIT_OK;
}
