/* fuzz-dataset.c: libFuzzer target: arbitrary bytes through the training-data readers
 * (CSV/TSV table, DeepLoc FASTA with both label kinds, and pair TSV + dictionary split at the
 * first NUL-free half). */
#include <glib.h>
#include <stdint.h>
#include <string.h>

#include "plm-dataset.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autofree char *text = g_strndup ((const char *) data, size);   /* the readers take C strings */
  GError *error = NULL;
  PlmDataset *ds;

  if ((ds = plm_dataset_parse_table (text, "fuzz.csv", &error)) != NULL)
    plm_dataset_free (ds);
  g_clear_error (&error);
  if ((ds = plm_dataset_parse_fasta (text, "fuzz.fasta", PLM_FASTA_LABEL_LOCATION, &error)) != NULL)
    plm_dataset_free (ds);
  g_clear_error (&error);
  if ((ds = plm_dataset_parse_fasta (text, "fuzz.fasta", PLM_FASTA_LABEL_MEMBRANE, &error)) != NULL)
    plm_dataset_free (ds);
  g_clear_error (&error);
  gsize half = strlen (text) / 2;
  g_autofree char *pairs = g_strndup (text, half);
  if ((ds = plm_dataset_parse_pairs (pairs, "fuzz-pairs.tsv", text + half, "fuzz-dict.tsv", &error)) != NULL)
    plm_dataset_free (ds);
  g_clear_error (&error);
  return 0;
}
