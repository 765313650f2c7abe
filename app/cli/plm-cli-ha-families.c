/* plm-cli-ha-families.c: `plmlens-cli ha-families`: do HA sites separate Pfam families? */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plm-cli-commands.h"
#include "plm-cli-common.h"
#include "plm-error.h"
#include "plm-fasta.h"
#include "plm-hadata.h"
#include "plm-hastats.h"
#include "plm-npy.h"
#include "plm-resources.h"

typedef struct {
  const PlmHaRow *row;
  float          *ha;        /* [n_sites, layers]: heatmap columns of the HA residues */
  int             n_layers;
  float          *embedding; /* [d] or NULL */
  int             d;
} Protein;

static gboolean
load_npy (const char   *dir,
          const char   *protein,
          PlmNpyArray  *arr,
          char        **path_out,
          GError      **error)
{
  g_autofree char *safe = plm_fasta_safe_name (protein);
  g_autofree char *name = g_strconcat (safe, ".npy", NULL);
  char *path = g_build_filename (dir, name, NULL);

  *path_out = path;
  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    return FALSE;
  return plm_npy_read (path, arr, error);
}

static int
cmp_protein (gconstpointer a,
             gconstpointer b)
{
  const PlmHaRow *x = *(PlmHaRow * const *) a, *y = *(PlmHaRow * const *) b;
  return strcmp (x->protein, y->protein);
}

static double
mean_of (const double *v,
         int           n,
         int          *count)
{
  double s = 0.0;
  int c = 0;

  for (int i = 0; i < n; i++)
    if (!isnan (v[i]))
      {
        s += v[i];
        c++;
      }
  *count = c;
  return c ? s / c : NAN;
}

int
plm_cli_ha_families (int    argc,
                     char **argv)
{
  g_autofree char *heatmaps = NULL, *ha_path = NULL, *fam_path = NULL, *emb_dir = NULL, *out_path = NULL;
  GOptionEntry entries[] = {
    { "heatmaps", 0, 0, G_OPTION_ARG_FILENAME, &heatmaps, "Heatmaps written by 'hasites --heatmaps'", "DIR" },
    { "ha", 0, 0, G_OPTION_ARG_FILENAME, &ha_path, "HA table written by 'plmlens-cli hasites'", "FILE" },
    { "families", 0, 0, G_OPTION_ARG_FILENAME, &fam_path, "Family TSV (pfam, uniprot_accs comma-separated)", "FILE" },
    { "embeddings", 0, 0, G_OPTION_ARG_FILENAME, &emb_dir,
      "Mean-pooled embeddings written by 'hasites --embeddings' (the baseline)", "DIR" },
    { "out", 'o', 0, G_OPTION_ARG_FILENAME, &out_path, "Per-family silhouettes (TSV)", "FILE" },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GPtrArray) families = NULL;
  g_autoptr(GHashTable) in_family = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) index = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) chosen = g_ptr_array_new ();
  g_autoptr(GString) out = g_string_new ("family\tmembers\tsilhouette_ha\tsilhouette_mean\n");
  g_autofree Protein *prot = NULL;
  g_autofree double *d_ha = NULL, *d_mean = NULL;
  g_autoptr(GArray) s_ha = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) s_mean = g_array_new (FALSE, FALSE, sizeof (double));
  int n, n_fam = 0, n_better = 0, n_both = 0, n_missing_heat = 0, status = PLM_EXIT_OK;
  gboolean have_emb = FALSE;

  if (!plm_cli_parse_options ("ha-families", "",
                              "The paper's HA-based protein distance (best-match cosine distances of HA-residue "
                              "layer profiles) against mean-pooled embeddings: per-family silhouettes.",
                              entries, &argc, &argv))
    return PLM_EXIT_BAD_INPUT;
  if (argc > 1)
    return plm_cli_usage_error ("ha-families", "unexpected argument '%s'", argv[1]);
  if (heatmaps == NULL || ha_path == NULL || fam_path == NULL)
    return plm_cli_usage_error ("ha-families", "--heatmaps, --ha and --families are required");
  if (!plm_cli_check_dir (heatmaps) || !plm_cli_check_dir (emb_dir))
    return PLM_EXIT_BAD_INPUT;
  rows = plm_ha_table_read (ha_path, &error);
  if (rows == NULL)
    return plm_cli_report_error (error);
  families = plm_families_read (fam_path, TRUE, &error);
  if (families == NULL)
    return plm_cli_report_error (error);

  /* the authors' protein set: members of cleaned families with HA sites and a heatmap, sorted */
  for (guint f = 0; f < families->len; f++)
    {
      PlmFamily *fam = families->pdata[f];
      for (guint m = 0; m < fam->members->len; m++)
        g_hash_table_add (in_family, fam->members->pdata[m]);
    }
  for (guint r = 0; r < rows->len; r++)
    {
      const PlmHaRow *row = rows->pdata[r];
      if (row->n_sites > 0 && g_hash_table_contains (in_family, row->protein))
        g_ptr_array_add (chosen, (gpointer) row);
    }
  g_ptr_array_sort (chosen, cmp_protein);
  n = chosen->len;
  {
    guint64 need = (guint64) n * n * sizeof (double) * (emb_dir ? 2 : 1);
    guint64 avail = plm_resources_available_memory ();
    if (avail != 0 && need > avail / 10 * 8)
      {
        g_printerr ("plmlens-cli: ha-families: %d proteins need %.1f GiB for the distance matrices, only %.1f GiB "
                    "available; split the family table\n", n, need / 1073741824.0, avail / 1073741824.0);
        return PLM_EXIT_BAD_INPUT;
      }
  }
  prot = g_new0 (Protein, MAX (n, 1));
  for (int i = 0; i < n; i++)
    {
      const PlmHaRow *row = chosen->pdata[i];
      PlmNpyArray h = { 0 };
      g_autofree char *path = NULL;

      prot[i].row = row;
      if (!load_npy (heatmaps, row->protein, &h, &path, &error))
        {
          if (error != NULL)
            {
              status = plm_cli_report_error (error);
              goto out;
            }
          n_missing_heat++;
          continue;
        }
      if (h.type != PLM_NPY_F32 || h.n_dims != 2 || h.shape[1] != row->length || h.shape[0] < 1)
        {
          g_printerr ("plmlens-cli: %s: expected float32 [layers, %d] for protein %s (%s:%d)\n", path, row->length,
                      row->protein, ha_path, row->line);
          plm_npy_array_clear (&h);
          status = PLM_EXIT_BAD_INPUT;
          goto out;
        }
      prot[i].n_layers = h.shape[0];
      prot[i].ha = g_new (float, (gsize) row->n_sites * prot[i].n_layers);
      for (int s = 0; s < row->n_sites; s++)
        for (int l = 0; l < prot[i].n_layers; l++)
          prot[i].ha[(gsize) s * prot[i].n_layers + l] = ((float *) h.data)[(gsize) l * row->length + row->sites[s]];
      plm_npy_array_clear (&h);
      if (i > 0 && prot[0].n_layers != 0 && prot[i].n_layers != prot[0].n_layers)
        {
          g_printerr ("plmlens-cli: %s: %d layers, other heatmaps have %d (mixed models?)\n", path,
                      prot[i].n_layers, prot[0].n_layers);
          status = PLM_EXIT_BAD_INPUT;
          goto out;
        }
      if (emb_dir != NULL)
        {
          PlmNpyArray e = { 0 };
          g_autofree char *epath = NULL;
          if (load_npy (emb_dir, row->protein, &e, &epath, &error))
            {
              if (e.type != PLM_NPY_F32 || e.n_dims != 1)
                {
                  g_printerr ("plmlens-cli: %s: expected a float32 vector\n", epath);
                  plm_npy_array_clear (&e);
                  status = PLM_EXIT_BAD_INPUT;
                  goto out;
                }
              prot[i].d = e.shape[0];
              prot[i].embedding = g_steal_pointer (&e.data);
              have_emb = TRUE;
            }
          else if (error != NULL)
            {
              status = plm_cli_report_error (error);
              goto out;
            }
        }
      g_hash_table_insert (index, (gpointer) row->protein, GINT_TO_POINTER (i + 1));
    }

  d_ha = g_new (double, (gsize) MAX (n, 1) * MAX (n, 1));
  if (have_emb)
    d_mean = g_new (double, (gsize) MAX (n, 1) * MAX (n, 1));
#ifdef _OPENMP
#pragma omp parallel for schedule(dynamic, 4)
#endif
  for (int i = 0; i < n; i++)
    for (int j = i; j < n; j++)
      {
        double v = NAN, w = NAN;
        if (i == j)
          v = w = prot[i].ha ? 0.0 : NAN;
        else if (prot[i].ha && prot[j].ha)
          v = plm_ha_distance (prot[i].ha, prot[i].row->n_sites, prot[j].ha, prot[j].row->n_sites,
                               prot[i].n_layers);
        d_ha[(gsize) i * n + j] = d_ha[(gsize) j * n + i] = v;
        if (have_emb)
          {
            if (i != j && prot[i].embedding && prot[j].embedding && prot[i].d == prot[j].d)
              w = plm_cosine_distance (prot[i].embedding, prot[j].embedding, prot[i].d);
            else if (i == j)
              w = prot[i].embedding ? 0.0 : NAN;
            d_mean[(gsize) i * n + j] = d_mean[(gsize) j * n + i] = w;
          }
      }

  {
    g_autofree gboolean *member = g_new0 (gboolean, MAX (n, 1));
    for (guint f = 0; f < families->len; f++)
      {
        PlmFamily *fam = families->pdata[f];
        int count = 0;
        double a, b = NAN;
        char sa[G_ASCII_DTOSTR_BUF_SIZE], sb[G_ASCII_DTOSTR_BUF_SIZE];

        memset (member, 0, sizeof (gboolean) * MAX (n, 1));
        for (guint m = 0; m < fam->members->len; m++)
          {
            int k = GPOINTER_TO_INT (g_hash_table_lookup (index, fam->members->pdata[m]));
            if (k > 0 && !member[k - 1])
              {
                member[k - 1] = TRUE;
                count++;
              }
          }
        if (count < 2)
          continue;
        a = plm_family_silhouette (d_ha, n, member);
        if (have_emb)
          b = plm_family_silhouette (d_mean, n, member);
        if (isnan (a))
          continue;
        n_fam++;
        g_array_append_val (s_ha, a);
        if (!isnan (b))
          {
            g_array_append_val (s_mean, b);
            n_both++;
            n_better += a > b;
          }
        g_ascii_formatd (sa, sizeof sa, "%.6f", a);
        g_ascii_formatd (sb, sizeof sb, "%.6f", b);
        g_string_append_printf (out, "%s\t%d\t%s\t%s\n", fam->id, count, sa, isnan (b) ? "NA" : sb);
      }
  }

  if (out_path != NULL && !g_file_set_contents (out_path, out->str, out->len, &error))
    {
      g_printerr ("plmlens-cli: %s\n", error->message);
      status = PLM_EXIT_FAILURE;
      goto out;
    }
  if (n_missing_heat > 0)
    g_printerr ("plmlens-cli: warning: %d protein(s) have no heatmap in %s and were left out\n", n_missing_heat,
                heatmaps);
  {
    int c1 = 0, c2 = 0, pos = 0;
    double m1 = mean_of ((double *) s_ha->data, s_ha->len, &c1);
    double m2 = mean_of ((double *) s_mean->data, s_mean->len, &c2);
    for (guint i = 0; i < s_ha->len; i++)
      pos += g_array_index (s_ha, double, i) > 0;
    printf ("proteins: %d in families with HA sites; families with >= 2 of them: %d\n", n, n_fam);
    if (n_fam == 0)
      printf ("no family could be evaluated: a silhouette needs >= 2 members and some non-members with HA sites\n");
    printf ("silhouette, HA-based: mean %.3f, median %.3f, > 0 in %.1f%% (paper, ESM-2 650M: 0.560, 0.528, 94%%)\n",
            m1, plm_median ((double *) s_ha->data, s_ha->len), c1 ? 100.0 * pos / c1 : 0.0);
    if (have_emb)
      printf ("silhouette, mean-pooled embeddings: mean %.3f, median %.3f (paper: -0.072); HA better in %d of %d "
              "families\n", m2, plm_median ((double *) s_mean->data, s_mean->len), n_better, n_both);
  }

out:
  for (int i = 0; i < n; i++)
    {
      g_free (prot[i].ha);
      g_free (prot[i].embedding);
    }
  return status;
}
