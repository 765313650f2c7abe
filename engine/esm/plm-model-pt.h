/* plm-model-pt.h: fair-esm checkpoints (`torch.save` .pt files, as in ~/.cache/torch/hub) read
 * safely and presented in Hugging Face layout: an HF config.json and HF tensor names. */
#pragma once

#include <glib.h>

#include "plm-safetensors.h"

G_BEGIN_DECLS

typedef struct {
  char        *path;            /* the .pt opened */
  char        *name;            /* its base name without .pt */
  char        *regression_path; /* the companion <name>-contact-regression.pt used, or NULL */
  gboolean     esm1b;           /* ESM-1b/1v (args, learned positions), else ESM-2 (cfg) */
  char        *config_json;     /* the equivalent HF config.json */
  GPtrArray   *names;           /* HF tensor names, sorted */
  GHashTable  *tensors;         /* HF name → const PlmTensorInfo* (name field = HF name) */
  guint64      file_size;       /* bytes of the files read */

  /* private */
  GPtrArray   *files;           /* PlmTorchFile* */
  GPtrArray   *owned;           /* PlmTensorInfo* (each owns its name) */
  GPtrArray   *buffers;         /* copies made (the ESM-1b embeddings) */
} PlmFairEsm;

/* TRUE when @path is a regular file that looks like a torch.save archive (.pt/.pth, zip magic). */
gboolean    plm_fair_esm_is_checkpoint (const char   *path);
/* Reads @path (and its contact-regression companion when it exists beside it). */
PlmFairEsm *plm_fair_esm_open          (const char   *path,
                                        GError      **error);
void        plm_fair_esm_free          (PlmFairEsm   *fe);
/* fair-esm state-dict key → HF name, or NULL when the key is not part of the model.
 * Exposed for tests. */
char       *plm_fair_esm_hf_name       (const char   *key);
/* Writes @fe as an HF checkpoint directory (config.json + model.safetensors, F32). */
gboolean    plm_fair_esm_write_hf      (PlmFairEsm   *fe,
                                        const char   *out_dir,
                                        GError      **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PlmFairEsm, plm_fair_esm_free)

G_END_DECLS
