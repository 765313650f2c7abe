/* plm-cli-nm.h: pieces shared by the fine-tuning subcommands (train, evaluate, crossattn). */
#pragma once

#include "plm-cli-common.h"
#include "plm-dataset.h"
#include "plm-nm-data.h"

G_BEGIN_DECLS

/* The loader moved to the engine (plm-nm-data.h) so that the app's training panel shares it. */
typedef PlmNmData PlmCliNmData;
#define plm_cli_nm_load_data plm_nm_data_load
#define plm_cli_nm_data_clear plm_nm_data_clear

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
