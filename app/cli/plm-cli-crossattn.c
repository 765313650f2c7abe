/* plm-cli-crossattn.c: `plmlens-cli crossattn`: the cross-attention of two chains under a
 * fine-tuned head (the NM paper's Figure 3) and each chain's most attended residues (Figure 4). */
#include <stdio.h>
#include <string.h>

#include "plm-cli-commands.h"
#include "plm-cli-common.h"
#include "plm-error.h"
#include "plm-esm.h"
#include "plm-fasta.h"
#include "plm-model.h"
#include "plm-npy.h"
#include "plm-nm-train.h"
#include "plm-tokenizer.h"

/* A FASTA file (its first record) or a literal sequence. */
static char *
read_chain (const char *arg, char **name, GError **error)
{
  if (g_file_test (arg, G_FILE_TEST_EXISTS))
    {
      g_autoptr(GPtrArray) recs = plm_fasta_read (arg, error);
      if (recs == NULL)
        return NULL;
      PlmFastaRecord *r = recs->pdata[0];
      *name = g_strdup (r->id);
      return plm_sequence_upper (r->sequence);
    }
  for (const char *p = arg; *p; p++)
    if (!g_ascii_isalpha (*p))
      {
        g_set_error (error, PLM_ERROR, PLM_ERROR_INPUT,
                     "'%s' is neither a file nor a sequence (character '%c')", arg, *p);
        return NULL;
      }
  if (*arg == '\0')
    {
      g_set_error (error, PLM_ERROR, PLM_ERROR_INPUT, "empty sequence");
      return NULL;
    }
  *name = g_strdup ("sequence");
  return plm_sequence_upper (arg);
}

/* Residues of the key chain ranked by the attention they receive from the query chain's
 * residues (plm_nm_rank_keys). */
static void
print_top (const char *label, const char *seq, const float *probs, int Tq, int Tk, int top)
{
  g_autofree int *pos = g_new (int, MAX (top, 1));
  g_autofree double *value = g_new (double, MAX (top, 1));
  int n = plm_nm_rank_keys (probs, Tq, Tk, top, pos, value);
  printf ("%s: top %d residues by received cross-attention\n", label, n);
  for (int k = 0; k < n; k++)
    printf ("  %d. %c%d  %.6f\n", k + 1, seq[pos[k]], pos[k] + 1, value[k]);
}

int
plm_cli_crossattn (int argc, char **argv)
{
  g_autofree char *model_path = NULL, *head_path = NULL, *a_arg = NULL, *b_arg = NULL, *out = NULL;
  int top = 2, threads = 0;
  g_autofree char *precision_name = NULL;
  PlmPrecision weight_precision;
  GOptionEntry entries[] = {
    { "model", 'm', 0, G_OPTION_ARG_FILENAME, &model_path, "The ESM-2 checkpoint the head was trained on", "MODEL" },
    { "head", 0, 0, G_OPTION_ARG_FILENAME, &head_path, "Fine-tuned head (attention, not mlp)", "HEAD" },
    { "a", 0, 0, G_OPTION_ARG_STRING, &a_arg, "Chain A: a sequence or a FASTA file (first record)", "SEQ_OR_FASTA" },
    { "b", 0, 0, G_OPTION_ARG_STRING, &b_arg, "Chain B: a sequence or a FASTA file (first record)", "SEQ_OR_FASTA" },
    { "out", 'o', 0, G_OPTION_ARG_FILENAME, &out, "Cross-attention of A's residues over B's residues, float32 [La, Lb]", "M.npy" },
    { "top", 0, 0, G_OPTION_ARG_INT, &top, "Residues to list per chain (default 2)", "K" },
    PLM_CLI_PRECISION_ENTRY (precision_name),
    { "threads", 't', 0, G_OPTION_ARG_INT, &threads, "Threads (default: all cores)", "N" },
    { NULL }
  };
  g_autoptr(GError) error = NULL;

  if (!plm_cli_parse_options ("crossattn", "", "Cross-attention between two chains under a fine-tuned head.",
                              entries, &argc, &argv))
    return PLM_EXIT_BAD_INPUT;
  if (argc > 1)
    return plm_cli_usage_error ("crossattn", "unexpected argument '%s'", argv[1]);
  if (model_path == NULL || head_path == NULL || a_arg == NULL || b_arg == NULL || out == NULL)
    return plm_cli_usage_error ("crossattn", "--model, --head, --a, --b and --out are required");
  if (top < 0 || threads < 0 || threads > 1024)
    return plm_cli_usage_error ("crossattn", "--top or --threads out of range");
  plm_engine_set_threads (threads);
  int precision_status = plm_cli_parse_precision ("crossattn", precision_name, &weight_precision);
  if (precision_status != PLM_EXIT_OK)
    return precision_status;

  g_autofree char *name_a = NULL, *name_b = NULL;
  g_autofree char *seq_a = read_chain (a_arg, &name_a, &error);
  if (seq_a == NULL)
    return plm_cli_report_error (error);
  g_autofree char *seq_b = read_chain (b_arg, &name_b, &error);
  if (seq_b == NULL)
    return plm_cli_report_error (error);

  g_autoptr(PlmNmHead) head = plm_nm_head_load (head_path, NULL, &error);
  if (head == NULL)
    return plm_cli_report_error (error);
  if (plm_nm_head_get_config (head)->kind != PLM_NM_HEAD_ATTENTION)
    {
      g_printerr ("plmlens-cli: %s: an mlp head has no attention\n", head_path);
      return PLM_EXIT_BAD_INPUT;
    }
  g_autoptr(PlmModel) model = plm_model_load (model_path, &error);
  if (model == NULL)
    return plm_cli_report_error (error);
  plm_model_set_precision (model, weight_precision, PLM_ISA_AVX512);
  if (model->config.d_model != plm_nm_head_get_config (head)->d_model)
    {
      g_printerr ("plmlens-cli: %s: the head expects width %d, %s has %d\n", head_path,
                  plm_nm_head_get_config (head)->d_model, model->name, model->config.d_model);
      return PLM_EXIT_BAD_INPUT;
    }

  /* no truncation: the map covers every residue (up to what the model accepts) */
  int max_len = plm_esm_config_max_residues (&model->config) + 2;
  if ((int) strlen (seq_a) + 2 > max_len || (int) strlen (seq_b) + 2 > max_len)
    {
      g_printerr ("plmlens-cli: a chain is longer than the %d residues %s accepts\n", max_len - 2, model->name);
      return PLM_EXIT_BAD_INPUT;
    }
  g_autoptr(PlmEsmState) state = plm_esm_state_new (model);
  int Ta, Tb;
  g_autofree float *ea = plm_nm_embed_sequence (state, seq_a, max_len, &Ta, NULL, &error);
  if (ea == NULL)
    return plm_cli_report_error (error);
  g_autofree float *eb = plm_nm_embed_sequence (state, seq_b, max_len, &Tb, NULL, &error);
  if (eb == NULL)
    return plm_cli_report_error (error);

  g_autofree float *p_ab = g_new (float, (gsize) Ta * Tb);
  g_autofree float *p_ba = g_new (float, (gsize) Tb * Ta);
  plm_nm_head_cross_attention (head, ea, Ta, eb, Tb, p_ab);
  plm_nm_head_cross_attention (head, eb, Tb, ea, Ta, p_ba);

  /* residues only: rows and columns of <cls>/<eos> dropped (rows then sum to slightly < 1) */
  int La = Ta - 2, Lb = Tb - 2;
  g_autofree float *m = g_new (float, (gsize) MAX (La * Lb, 1));
  for (int i = 0; i < La; i++)
    memcpy (m + (gsize) i * Lb, p_ab + (gsize) (i + 1) * Tb + 1, sizeof (float) * Lb);
  int64_t shape[2] = { La, Lb };
  if (!plm_npy_write (out, PLM_NPY_F32, m, 2, shape, &error))
    {
      plm_cli_report_error (error);
      return PLM_EXIT_FAILURE;
    }
  printf ("cross-attention of %s (%d residues) over %s (%d residues) written to %s\n",
          name_a, La, name_b, Lb, out);
  g_autofree char *la = g_strdup_printf ("A %s", name_a), *lb = g_strdup_printf ("B %s", name_b);
  print_top (lb, seq_b, p_ab, Ta, Tb, top);
  print_top (la, seq_a, p_ba, Tb, Ta, top);
  return PLM_EXIT_OK;
}
