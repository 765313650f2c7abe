/* plm-cli-nm.h: pieces shared by the fine-tuning subcommands (train, evaluate, crossattn). */
#pragma once

#include "plm-cli-common.h"
#include "plm-dataset.h"

G_BEGIN_DECLS

typedef struct {
  PlmDataset *sets[3];     /* train, valid, test (valid/test may be NULL) */
  GPtrArray  *classes;     /* sorted labels of the training set */
} PlmCliNmData;

/* Reads the files, splits --train when --valid is absent (deterministic with @split_seed),
 * keeps seeded subsets of at most @max_train training and @max_eval validation/test items
 * (0 = all), maps labels. */
gboolean plm_cli_nm_load_data        (PlmCliNmData   *data,
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
void     plm_cli_nm_data_clear       (PlmCliNmData   *data);

/* PlmNmEmbedFunc drawing a progress line; @data is a PlmCliNmProgress. */
typedef struct {
  PlmProgress *progress;
  gboolean     quiet;
} PlmCliNmProgress;

void     plm_cli_nm_embed_progress   (int             done,
                                      int             total,
                                      gpointer        data);
void     plm_cli_nm_progress_finish  (PlmCliNmProgress *p);

G_END_DECLS
