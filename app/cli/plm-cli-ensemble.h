/* plm-cli-ensemble.h: several checkpoints run as one model (ESM-1v's five), for `infer`. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The member checkpoints named by @paths (the --model arguments): a single path that is a
 * directory of model directories (no config.json of its own) stands for those, in name order;
 * otherwise each path is one member. Fails when a directory holds no model. */
GPtrArray *plm_cli_ensemble_members (char      **paths,
                                     GError    **error);

/* `infer` over an ensemble of two or more members: for every record, tokens.npy and logits.npy,
 * the mean of the members' logits. Nothing else is averaged, so nothing else is written
 * (embeddings, contacts and attentions come from one model: run infer on that model). The
 * members run one after the other, so memory holds one model and the logits. Returns the exit
 * status. */
int        plm_cli_infer_ensemble   (GPtrArray  *members,
                                     GPtrArray  *records,
                                     const char *fasta,
                                     const char *out_dir,
                                     gboolean    keep_case,
                                     gboolean    resume,
                                     gboolean    quiet);

G_END_DECLS
