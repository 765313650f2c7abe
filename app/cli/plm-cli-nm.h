/* plm-cli-nm.h: pieces shared by the fine-tuning subcommands (train, evaluate, crossattn). */
#pragma once

#include "plm-cli-common.h"
#include "plm-dataset.h"

G_BEGIN_DECLS

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
