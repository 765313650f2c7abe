/* plm-model.h: an ESM-2, ESM-1b or ESM-1v checkpoint in Hugging Face layout, loaded and
 * validated. */
#pragma once

#include <glib.h>
#include <stdint.h>

#include "plm-quant.h"
#include "plm-safetensors.h"

G_BEGIN_DECLS

typedef struct {
  int    n_layers;
  int    d_model;
  int    n_heads;
  int    d_head;
  int    d_ffn;
  int    vocab_size;
  int    max_positions;       /* max_position_embeddings (1026 → 1024 residues) */
  float  layer_norm_eps;
  gboolean token_dropout;
  int    mask_token_id;
  int    pad_token_id;
  /* ESM-1b / ESM-1v: learned absolute positions (ids pad_token_id + 1 + t, no rotary), so at
   * most max_positions − pad_token_id − 1 tokens; ESM-2: rotary (FALSE). */
  gboolean absolute_positions;
  /* ESM-1b / ESM-1v: a LayerNorm on the embeddings (after the positions) before layer 0. */
  gboolean emb_layer_norm_before;
} PlmEsmConfig;

/* PyTorch Linear layout throughout: weight [out, in], y = x·Wᵀ + b. */
typedef struct {
  const float *ln_attn_w, *ln_attn_b;   /* [d] */
  const float *wq, *bq;                 /* [d,d], [d] */
  const float *wk, *bk;
  const float *wv, *bv;
  const float *wo, *bo;
  const float *ln_ffn_w, *ln_ffn_b;     /* [d] */
  const float *w1, *b1;                 /* [ffn,d], [ffn] */
  const float *w2, *b2;                 /* [d,ffn], [d] */
} PlmEsmLayerWeights;

typedef struct {
  PlmEsmConfig         config;
  const float         *embed;           /* [vocab, d] */
  const float         *pos_embed;       /* [max_positions, d] when absolute_positions, else NULL */
  const float         *emb_ln_w, *emb_ln_b;  /* [d] when emb_layer_norm_before, else NULL */
  PlmEsmLayerWeights  *layers;          /* [n_layers] */
  const float         *final_ln_w, *final_ln_b;
  const float         *lm_dense_w, *lm_dense_b;   /* [d,d] */
  const float         *lm_ln_w, *lm_ln_b;
  const float         *lm_decoder;      /* [vocab, d]; == embed when tied */
  const float         *lm_bias;         /* [vocab] */
  const float         *contact_w;       /* [n_layers·n_heads] or NULL */
  float                contact_b;
  gboolean             has_lm_head;
  gboolean             has_contact_head;

  /* Description */
  char                *path;            /* what was opened */
  char                *name;            /* directory or file base name */
  PlmDType             dtype;           /* dtype of the stored weights */
  guint64              file_size;       /* bytes of all weight files */
  gint64               n_params;        /* parameters actually used */

  /* Storage: the mappings and, for F16/BF16, one F32 arena the weights were converted into. */
  GPtrArray           *files;           /* PlmSafetensors* */
  float               *arena;
  gsize                arena_floats;
  /* --precision bf16/int8: packed copies of the weight products' weights (NULL: fp32) */
  PlmLowp             *lowp;
} PlmModel;

/* @path: a directory with config.json + model.safetensors (or model.safetensors.index.json),
 * or a .safetensors file with config.json beside it. */
PlmModel *plm_model_load            (const char        *path,
                                     GError           **error);
void      plm_model_free            (PlmModel          *model);
/* Runs the weight products (attention projections, FFN, LM-head dense layer) of every later
 * forward pass in @precision, converting the weights once (plm-model-precision.c); attention
 * and its probabilities, softmax and LayerNorm stay fp32. Not while a forward pass runs.
 * fp32 packs the weights (LM head included) in panels for the engine's own kernel when the CPU
 * has AVX2 and FMA and the copy stays under 1 GiB; otherwise fp32 products stay OpenBLAS's.
 * Only for inference: the panels are not updated when the weights change.
 * @isa_cap: PLM_ISA_AVX512 for the best kernels. The precision that will run (fp32 where the
 * CPU lacks the instructions, with one message). */
PlmPrecision plm_model_set_precision (PlmModel          *model,
                                      PlmPrecision       precision,
                                      PlmIsa             isa_cap);
/* Reads and validates config.json only. */
gboolean  plm_esm_config_load       (const char        *config_path,
                                     PlmEsmConfig      *config,
                                     GError           **error);
/* The most tokens (<cls> and <eos> included) the model can run at all: max_positions −
 * pad_token_id − 1 (1,024 for ESM-1b) with absolute positions, 0 (no hard limit) with rotary. */
/* The config.json Hugging Face's conversion writes for an EsmForMaskedLM of this shape (vocabulary
 * 33, <mask> 32, <pad> 1, LayerNorm eps 1e-5); locale-independent. @absolute: ESM-1b/1v's learned
 * positions, else ESM-2's rotary. */
char     *plm_esm_config_json       (int                 n_layers,
                                     int                 d_model,
                                     int                 n_heads,
                                     int                 d_ffn,
                                     int                 max_positions,
                                     gboolean            absolute,
                                     gboolean            token_dropout,
                                     gboolean            emb_layer_norm_before);
int       plm_esm_config_max_tokens (const PlmEsmConfig *config);
/* The model's maximum residues, what every length check and the window size use: its hard limit
 * minus <cls>/<eos> with absolute positions (1,022 for ESM-1b/1v), else max_positions − 2. */
int       plm_esm_config_max_residues (const PlmEsmConfig *config);
/* "ESM-1b" (absolute positions, embedding LayerNorm: ESM-1b and ESM-1v) or "ESM-2". */
const char *plm_esm_config_architecture (const PlmEsmConfig *config);
/* Bytes of F32 weights for @config (what plm_model_load will hold in memory). */
guint64   plm_esm_config_weight_bytes (const PlmEsmConfig *config);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PlmModel, plm_model_free)

G_END_DECLS
