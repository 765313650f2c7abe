/* plm-drift.c: how far --precision bf16 and int8 move a model's outputs from fp32, on the first
 * proteins of a FASTA file: the drift gates of issue 17 (README: Reduced precision).
 *
 *   plm-drift MODEL FASTA N [MAX_RESIDUES [THREADS]]
 *
 * Prints one JSON line per precision: logits Pearson (pooled over all residue positions, and the
 * smallest per protein), argmax agreement over residue positions, the share of proteins whose HA
 * sites (plm-hasites.h) are identical and the sets' mean Jaccard index, and the mean overlap of the top-L/5 contact sets (pairs
 * |i − j| ≥ 6). Every run uses the kernels the CPU has (PLM_ISA caps them). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plm-bench-util.h"
#include "plm-esm.h"
#include "plm-fasta.h"
#include "plm-hasites.h"
#include "plm-model.h"
#include "plm-runtime.h"
#include "plm-tokenizer.h"

typedef struct {
  float *logits;      /* [T, vocab] */
  float *contacts;    /* [L, L] */
  int   *sites;       /* sorted HA sites */
  int    n_sites;
  int    T;
} Run;

static gboolean
feed_ha (int layer, const float *probs, int n_heads, int n_tokens, gpointer data)
{
  plm_ha_accumulator_add_layer (data, layer, probs, n_heads, n_tokens);
  return TRUE;
}

static int
cmp_int (const void *a, const void *b)
{
  return *(const int *) a - *(const int *) b;
}

static void
run_one (PlmEsmState *state, const PlmModel *model, const int32_t *tokens, int T, Run *r)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PlmHaAccumulator) acc = plm_ha_accumulator_new (model->config.n_layers, T - 2);
  PlmForwardOptions opt = { .want_logits = TRUE, .want_contacts = TRUE, .attention_func = feed_ha,
                            .attention_data = acc };
  PlmForwardOutput out;
  PlmHaResult ha;

  if (!plm_esm_forward (state, tokens, T, &opt, &out, &error) || !plm_ha_accumulator_finish (acc, &ha, &error))
    g_error ("%s", error->message);
  r->T = T;
  r->logits = g_steal_pointer (&out.logits);
  r->contacts = g_steal_pointer (&out.contacts);
  r->n_sites = ha.n_sites;
  r->sites = g_memdup2 (ha.sites, sizeof (int) * MAX (ha.n_sites, 1));
  qsort (r->sites, ha.n_sites, sizeof (int), cmp_int);
  plm_ha_result_clear (&ha);
  plm_forward_output_clear (&out);
}

static void
run_clear (Run *r)
{
  g_free (r->logits);
  g_free (r->contacts);
  g_free (r->sites);
}

/* Indices i·L + j (i < j − 5) of the @k highest contacts. */
static int *
top_contacts (const float *c, int L, int k)
{
  int n = 0;
  int *idx = g_new (int, (gsize) L * L);
  for (int i = 0; i < L; i++)
    for (int j = i + 6; j < L; j++)
      idx[n++] = i * L + j;
  /* partial selection sort is enough for k = L/5 */
  for (int a = 0; a < k && a < n; a++)
    {
      int best = a;
      for (int b = a + 1; b < n; b++)
        if (c[idx[b]] > c[idx[best]])
          best = b;
      int t = idx[a];
      idx[a] = idx[best];
      idx[best] = t;
    }
  return idx;
}

typedef struct {
  double sx, sy, sxx, syy, sxy, n;
} Corr;

static void
corr_add (Corr *c, double x, double y)
{
  c->sx += x, c->sy += y, c->sxx += x * x, c->syy += y * y, c->sxy += x * y, c->n += 1;
}

static double
corr_get (const Corr *c)
{
  double cov = c->sxy - c->sx * c->sy / c->n;
  return cov / sqrt ((c->sxx - c->sx * c->sx / c->n) * (c->syy - c->sy * c->sy / c->n));
}

int
main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;

  plm_runtime_setup (argv);
  if (argc < 4)
    {
      fprintf (stderr, "usage: %s MODEL FASTA N [MAX_RESIDUES [THREADS]]\n", argv[0]);
      return 2;
    }
  int n_wanted = atoi (argv[3]), max_len = argc > 4 ? atoi (argv[4]) : 1000;
  plm_engine_set_threads (argc > 5 ? atoi (argv[5]) : 0);
  g_autoptr(PlmModel) model = plm_model_load (argv[1], &error);
  g_autoptr(GPtrArray) recs = model != NULL ? plm_fasta_read (argv[2], &error) : NULL;
  if (recs == NULL)
    {
      fprintf (stderr, "%s\n", error->message);
      return 2;
    }
  const int V = model->config.vocab_size, max_tokens = plm_esm_config_max_tokens (&model->config);
  if (max_tokens > 0)
    max_len = MIN (max_len, max_tokens - 2);   /* ESM-1b's learned positions */
  g_autoptr(GPtrArray) proteins = g_ptr_array_new ();
  for (guint i = 0; i < recs->len && (int) proteins->len < n_wanted; i++)
    {
      PlmFastaRecord *r = recs->pdata[i];
      int L = (int) strlen (r->sequence);
      if (L >= 20 && L <= max_len)
        g_ptr_array_add (proteins, r);
    }
  int n = (int) proteins->len;
  Run *ref = g_new0 (Run, n);
  g_autoptr(PlmEsmState) state = plm_esm_state_new (model);
  double t_ref = 0.0;

  for (int p = 0; p < n; p++)
    {
      PlmFastaRecord *r = proteins->pdata[p];
      int T;
      g_autofree int32_t *tokens = plm_tokenize (r->sequence, &T);
      double t = plm_bench_now ();
      run_one (state, model, tokens, T, &ref[p]);
      t_ref += plm_bench_now () - t;
    }
  for (int pr = PLM_PRECISION_BF16; pr <= PLM_PRECISION_INT8; pr++)
    {
      PlmPrecision ran = plm_model_set_precision (model, (PlmPrecision) pr, PLM_ISA_AVX512);
      Corr all = { 0 };
      double min_r = 1.0, contact_overlap = 0.0, t_run = 0.0;
      gint64 agree = 0, positions = 0;
      int same_sites = 0;
      double jaccard = 0.0;

      for (int p = 0; p < n; p++)
        {
          PlmFastaRecord *rec = proteins->pdata[p];
          int T, L;
          g_autofree int32_t *tokens = plm_tokenize (rec->sequence, &T);
          Run got;
          Corr one = { 0 };
          double t = plm_bench_now ();

          run_one (state, model, tokens, T, &got);
          t_run += plm_bench_now () - t;
          L = T - 2;
          for (int tt = 1; tt <= L; tt++)
            {
              const float *a = ref[p].logits + (gsize) tt * V, *b = got.logits + (gsize) tt * V;
              int ia = 0, ib = 0;
              for (int v = 0; v < V; v++)
                {
                  corr_add (&all, a[v], b[v]);
                  corr_add (&one, a[v], b[v]);
                  ia = a[v] > a[ia] ? v : ia;
                  ib = b[v] > b[ib] ? v : ib;
                }
              agree += ia == ib;
              positions++;
            }
          min_r = MIN (min_r, corr_get (&one));
          same_sites += got.n_sites == ref[p].n_sites
                        && memcmp (got.sites, ref[p].sites, sizeof (int) * got.n_sites) == 0;
          int common = 0;
          for (int i = 0, j = 0; i < got.n_sites && j < ref[p].n_sites;)
            if (got.sites[i] == ref[p].sites[j])
              common++, i++, j++;
            else if (got.sites[i] < ref[p].sites[j])
              i++;
            else
              j++;
          int n_union = got.n_sites + ref[p].n_sites - common;
          jaccard += n_union > 0 ? (double) common / n_union : 1.0;
          int k = MAX (1, L / 5), hit = 0;
          g_autofree int *ta = top_contacts (ref[p].contacts, L, k);
          g_autofree int *tb = top_contacts (got.contacts, L, k);
          qsort (ta, k, sizeof (int), cmp_int);
          qsort (tb, k, sizeof (int), cmp_int);
          for (int i = 0, j = 0; i < k && j < k;)
            if (ta[i] == tb[j])
              hit++, i++, j++;
            else if (ta[i] < tb[j])
              i++;
            else
              j++;
          contact_overlap += (double) hit / k;
          run_clear (&got);
        }
      printf ("{\"model\": \"%s\", \"precision\": \"%s\", \"kernels\": \"%s\", \"proteins\": %d, "
              "\"logits_pearson\": %.6f, \"logits_pearson_min\": %.6f, \"argmax_agreement\": %.4f, "
              "\"ha_sites_identical\": %.4f, \"ha_sites_jaccard\": %.4f, \"top_l5_contacts_overlap\": %.4f, \"time_ratio_vs_fp32\": %.3f}\n",
              model->name, plm_precision_name (ran), plm_isa_name (plm_lowp_isa (model->lowp)), n,
              corr_get (&all), min_r, (double) agree / MAX (1, positions), (double) same_sites / MAX (1, n),
              jaccard / MAX (1, n),
              contact_overlap / MAX (1, n), t_run / t_ref);
      fflush (stdout);
    }
  for (int p = 0; p < n; p++)
    run_clear (&ref[p]);
  g_free (ref);
  return 0;
}
