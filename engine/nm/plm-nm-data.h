/* plm-nm-data.h: the train/valid/test sets of one fine-tuning run, read and split as the CLI
 * and the app's training panel both need them. */
#pragma once

#include "plm-dataset.h"

G_BEGIN_DECLS

typedef struct {
  PlmDataset *sets[3];     /* train, valid, test (valid/test may be NULL) */
  GPtrArray  *classes;     /* sorted labels of the training set */
} PlmNmData;

/* Reads the files, splits @train when @valid is NULL (deterministic with @split_seed),
 * keeps seeded subsets of at most @max_train training and @max_eval validation/test items
 * (0 = all), maps labels. */
gboolean plm_nm_data_load   (PlmNmData      *data,
                             PlmDataTask     task,
                             PlmFastaLabel   fasta_label,
                             const char     *dictionary,
                             const char     *train,
                             const char     *valid,
                             const char     *test,
                             double          valid_fraction,
                             double          test_fraction,
                             guint64         split_seed,
                             int             max_train,
                             int             max_eval,
                             GError        **error);
void     plm_nm_data_clear  (PlmNmData      *data);

G_END_DECLS
