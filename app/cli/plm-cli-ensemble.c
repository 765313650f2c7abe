/* plm-cli-ensemble.c: `infer` over several checkpoints, averaging their logits (ESM-1v is five
 * models meant to be used together; fair-esm's variant scoring averages over them). */
#include "plm-cli-ensemble.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>

#include "plm-cli-common.h"
#include "plm-error.h"
#include "plm-esm.h"
#include "plm-fasta.h"
#include "plm-model.h"
#include "plm-npy.h"
#include "plm-resources.h"
#include "plm-tokenizer.h"

static gboolean
is_model_dir (const char *dir)
{
  g_autofree char *cfg = g_build_filename (dir, "config.json", NULL);
  return g_file_test (cfg, G_FILE_TEST_IS_REGULAR);
}

static int
compare_strings (gconstpointer a, gconstpointer b)
{
  return strcmp (*(char *const *) a, *(char *const *) b);
}

GPtrArray *
plm_cli_ensemble_members (char **paths, GError **error)
{
  g_autoptr(GPtrArray) members = g_ptr_array_new_with_free_func (g_free);
  guint n = paths != NULL ? g_strv_length (paths) : 0;

  if (n == 1 && g_file_test (paths[0], G_FILE_TEST_IS_DIR) && !is_model_dir (paths[0]))
    {
      g_autoptr(GDir) dir = g_dir_open (paths[0], 0, error);
      const char *name;
      if (dir == NULL)
        return NULL;
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *sub = g_build_filename (paths[0], name, NULL);
          if (name[0] != '.' && g_file_test (sub, G_FILE_TEST_IS_DIR) && is_model_dir (sub))
            g_ptr_array_add (members, g_steal_pointer (&sub));
        }
      if (members->len == 0)
        {
          /* a directory of nothing: let the model loader say what is missing */
          g_ptr_array_add (members, g_strdup (paths[0]));
          return g_steal_pointer (&members);
        }
      g_ptr_array_sort (members, compare_strings);
      return g_steal_pointer (&members);
    }
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (members, g_strdup (paths[i]));
  return g_steal_pointer (&members);
}

static char *
config_path_of (const char *member)
{
  if (g_file_test (member, G_FILE_TEST_IS_DIR))
    return g_build_filename (member, "config.json", NULL);
  g_autofree char *dir = g_path_get_dirname (member);
  return g_build_filename (dir, "config.json", NULL);
}

typedef struct {
  char    *dir;
  int32_t *tokens;
  int      T;
  float   *sum;       /* [T, vocab]: Σ over the members of their logits */
  gboolean skip;      /* complete from an earlier run (--resume) */
} Item;

static void
items_free (Item *items, guint n)
{
  for (guint i = 0; i < n; i++)
    {
      g_free (items[i].dir);
      g_free (items[i].tokens);
      g_free (items[i].sum);
    }
  g_free (items);
}

int
plm_cli_infer_ensemble (GPtrArray *members, GPtrArray *records, const char *fasta, const char *out_dir,
                        gboolean keep_case, gboolean resume, gboolean quiet)
{
  g_autoptr(GError) error = NULL;
  const guint n_members = members->len, n_records = records->len;
  int max_tokens = G_MAXINT, vocab = 0;
  g_autofree char *limit_of = NULL;

  /* every member's config first: the length limit is the smallest (and hard: an ensemble's
   * logits are only a mean where every member ran) */
  for (guint m = 0; m < n_members; m++)
    {
      g_autofree char *cfg_path = config_path_of (members->pdata[m]);
      PlmEsmConfig c;
      if (!plm_esm_config_load (cfg_path, &c, &error))
        return plm_cli_report_error (error);
      int limit = plm_esm_config_max_residues (&c) + 2;
      if (limit < max_tokens)
        {
          max_tokens = limit;
          g_free (limit_of);
          limit_of = g_strdup (members->pdata[m]);
        }
      if (m > 0 && c.vocab_size != vocab)
        {
          g_printerr ("plmlens-cli: %s: vocabulary of %d tokens, the first member has %d\n",
                      (const char *) members->pdata[m], c.vocab_size, vocab);
          return PLM_EXIT_BAD_INPUT;
        }
      vocab = c.vocab_size;
    }

  Item *items = g_new0 (Item, MAX (n_records, 1));
  g_autoptr(GHashTable) used = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  int longest = 0;
  int status = PLM_EXIT_OK;
  for (guint i = 0; i < n_records; i++)
    {
      PlmFastaRecord *r = records->pdata[i];
      g_autofree char *seq = keep_case ? g_strdup (r->sequence) : plm_sequence_upper (r->sequence);
      items[i].tokens = plm_tokenize (seq, &items[i].T);
      if (items[i].T > max_tokens)
        {
          g_printerr ("plmlens-cli: %s:%d: record '%s' has %d residues; %s runs at most %d, and an "
                      "ensemble runs nothing longer than each of its models\n", fasta, r->line, r->id,
                      items[i].T - 2, limit_of, max_tokens - 2);
          items_free (items, n_records);
          return PLM_EXIT_BAD_INPUT;
        }
      /* the same directory names as a single-model run */
      g_autofree char *name = plm_cli_record_dir_name (used, r->id);
      items[i].dir = g_build_filename (out_dir, name, NULL);
      if (resume)
        {
          g_autofree char *t = g_build_filename (items[i].dir, "tokens.npy", NULL);
          g_autofree char *l = g_build_filename (items[i].dir, "logits.npy", NULL);
          items[i].skip = g_file_test (t, G_FILE_TEST_IS_REGULAR) && g_file_test (l, G_FILE_TEST_IS_REGULAR);
        }
      if (!items[i].skip)
        longest = MAX (longest, items[i].T);
    }
  if (g_mkdir_with_parents (out_dir, 0755) != 0)
    {
      g_printerr ("plmlens-cli: %s: cannot create directory: %s\n", out_dir, g_strerror (errno));
      items_free (items, n_records);
      return PLM_EXIT_FAILURE;
    }

  /* one member at a time: its logits are added to the sums, then it is freed */
  PlmProgress *progress = plm_progress_new ("infer", (guint64) n_members * n_records,
                                            quiet || (guint64) n_members * n_records < 2);
  for (guint m = 0; m < n_members && status == PLM_EXIT_OK; m++)
    {
      g_autoptr(PlmModel) model = plm_model_load (members->pdata[m], &error);
      if (model == NULL)
        {
          status = plm_cli_report_error (error);
          break;
        }
      if (!model->has_lm_head)
        {
          g_printerr ("plmlens-cli: %s: this checkpoint has no LM head, so no logits to average\n",
                      model->path);
          status = PLM_EXIT_BAD_INPUT;
          break;
        }
      g_autofree char *what = g_strdup_printf ("%s: longest record", fasta);
      if (longest > 0 && !plm_resources_check_forward (model, longest, 0, what, &error))
        {
          status = plm_cli_report_error (error);
          break;
        }
      g_autoptr(PlmEsmState) state = plm_esm_state_new (model);
      for (guint i = 0; i < n_records; i++)
        {
          PlmFastaRecord *r = records->pdata[i];
          plm_progress_update (progress, (guint64) m * n_records + i, r->id);
          if (items[i].skip)
            continue;
          PlmForwardOptions opt = { .want_logits = TRUE };
          PlmForwardOutput out;
          if (!plm_esm_forward (state, items[i].tokens, items[i].T, &opt, &out, &error))
            {
              g_prefix_error (&error, "record '%s', %s: ", r->id, model->name);
              status = plm_cli_report_error (error);
              break;
            }
          gsize n = (gsize) items[i].T * vocab;
          if (items[i].sum == NULL)
            items[i].sum = g_new0 (float, n);
          for (gsize j = 0; j < n; j++)
            items[i].sum[j] += out.logits[j];
          plm_forward_output_clear (&out);
        }
    }
  plm_progress_update (progress, (guint64) n_members * n_records, NULL);
  plm_progress_finish (progress);

  for (guint i = 0; i < n_records && status == PLM_EXIT_OK; i++)
    {
      if (items[i].skip)
        continue;
      gsize n = (gsize) items[i].T * vocab;
      for (gsize j = 0; j < n; j++)
        items[i].sum[j] /= (float) n_members;
      g_autofree char *p_tokens = g_build_filename (items[i].dir, "tokens.npy", NULL);
      g_autofree char *p_logits = g_build_filename (items[i].dir, "logits.npy", NULL);
      int64_t s_tokens[1] = { items[i].T };
      int64_t s_logits[2] = { items[i].T, vocab };
      if (g_mkdir_with_parents (items[i].dir, 0755) != 0)
        {
          g_printerr ("plmlens-cli: %s: cannot create directory: %s\n", items[i].dir, g_strerror (errno));
          status = PLM_EXIT_FAILURE;
        }
      else if (!plm_npy_write (p_tokens, PLM_NPY_I32, items[i].tokens, 1, s_tokens, &error)
               || !plm_npy_write (p_logits, PLM_NPY_F32, items[i].sum, 2, s_logits, &error))
        status = plm_cli_report_error (error);
    }
  if (status == PLM_EXIT_OK && !quiet)
    g_printerr ("plmlens-cli infer: logits averaged over %u models (an ensemble writes tokens.npy and "
                "logits.npy only)\n", n_members);
  items_free (items, n_records);
  return status;
}
