/* plm-cli-nm.c: data loading and progress shared by the fine-tuning subcommands. */
#include "plm-cli-nm.h"

void
plm_cli_nm_embed_progress (int done, int total, gpointer data)
{
  PlmCliNmProgress *p = data;
  if (p->progress == NULL)
    p->progress = plm_progress_new ("embed", total, p->quiet);
  plm_progress_update (p->progress, done, NULL);
}

void
plm_cli_nm_progress_finish (PlmCliNmProgress *p)
{
  if (p->progress != NULL)
    plm_progress_finish (p->progress);
  p->progress = NULL;
}
