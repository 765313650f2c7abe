/* plm-nm-data.c: reading and splitting the data sets of a fine-tuning run. */
#include "plm-nm-data.h"

#include "plm-error.h"
#include "plm-rng.h"

static PlmDataset *
limit_items (PlmDataset *ds, int max_items, guint64 seed)
{
  if (ds == NULL || max_items <= 0 || ds->n_items <= max_items)
    return ds;
  g_autofree int *order = g_new (int, ds->n_items);
  PlmRng rng;
  for (int i = 0; i < ds->n_items; i++)
    order[i] = i;
  plm_rng_seed (&rng, seed);
  plm_rng_shuffle (&rng, order, ds->n_items);
  PlmDataset *sub = plm_dataset_subset (ds, order, max_items, "");
  plm_dataset_free (ds);
  return sub;
}

gboolean
plm_nm_data_load (PlmNmData *data, PlmDataTask task, PlmFastaLabel fasta_label,
                  const char *dictionary, const char *train, const char *valid,
                  const char *test, double valid_fraction, double test_fraction,
                  guint64 split_seed, int max_train, int max_eval, GError **error)
{
  PlmDatasetOptions opt = { fasta_label, dictionary };
  const char *paths[3] = { train, valid, test };

  for (int s = 0; s < 3; s++)
    if (paths[s] != NULL)
      {
        data->sets[s] = plm_dataset_read (paths[s], task, &opt, error);
        if (data->sets[s] == NULL)
          {
            plm_nm_data_clear (data);
            return FALSE;
          }
      }
  if (valid == NULL)
    {
      /* one file (or train + test): split off validation (and test when absent) */
      PlmDataset *all = data->sets[0], *tr = NULL, *va = NULL, *te = NULL;
      plm_dataset_split (all, valid_fraction, test == NULL ? test_fraction : 0.0, split_seed,
                         &tr, &va, &te);
      plm_dataset_free (all);
      data->sets[0] = tr;
      data->sets[1] = va;
      if (test == NULL)
        data->sets[2] = te;
      else
        plm_dataset_free (te);
      for (int s = 1; s < 3; s++)
        if (data->sets[s] != NULL && data->sets[s]->n_items == 0)
          g_clear_pointer (&data->sets[s], plm_dataset_free);
    }
  for (int s = 0; s < 3; s++)
    data->sets[s] = limit_items (data->sets[s], s == 0 ? max_train : max_eval, split_seed + s);
  if (data->sets[0]->n_items < 2)
    {
      g_set_error (error, PLM_ERROR, PLM_ERROR_INPUT, "%s: fewer than two training items", train);
      plm_nm_data_clear (data);
      return FALSE;
    }
  data->classes = plm_dataset_classes (data->sets[0]);
  if (data->classes->len < 2)
    {
      g_set_error (error, PLM_ERROR, PLM_ERROR_INPUT, "%s: the training data hold a single label", train);
      plm_nm_data_clear (data);
      return FALSE;
    }
  for (int s = 0; s < 3; s++)
    if (data->sets[s] != NULL && !plm_dataset_map_labels (data->sets[s], data->classes, error))
      {
        plm_nm_data_clear (data);
        return FALSE;
      }
  return TRUE;
}

void
plm_nm_data_clear (PlmNmData *data)
{
  for (int s = 0; s < 3; s++)
    g_clear_pointer (&data->sets[s], plm_dataset_free);
  g_clear_pointer (&data->classes, g_ptr_array_unref);
}
