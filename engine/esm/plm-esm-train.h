/* plm-esm-train.h: a trainable ESM-2 or ESM-1b/1v encoder (embeddings → layers → final
 * LayerNorm) with its own parameter and gradient arenas, for `--plm finetune` and `--plm scratch`. */
#pragma once

#include <glib.h>
#include <stdint.h>

#include "plm-model.h"

G_BEGIN_DECLS

/* Not thread-safe: the activation arena and slots are shared by all calls on one object. */
typedef struct _PlmEsmTrainable PlmEsmTrainable;

/* One named parameter tensor: @offset floats into both the parameter and the gradient arena. */
typedef struct {
  const char *name;      /* Hugging Face EsmForMaskedLM name, e.g. "esm.encoder.layer.0.attention.self.query.weight" */
  gsize       offset;
  gsize       n_elements;
  int         n_dims;
  int64_t     shape[2];
} PlmEsmParamInfo;

/* Copies the encoder weights of @model into a new F32 arena; the LM and contact heads (not
 * trained) are copied aside so that plm_esm_trainable_save can write them through. */
PlmEsmTrainable       *plm_esm_trainable_new_from_model (const PlmModel        *model,
                                                         GError               **error);
/* Random init as Hugging Face ESM: Linear and Embedding weights normal(0, 0.02) (the <pad> row
 * zero), biases 0, LayerNorm weight 1, bias 0. Deterministic for a @seed. */
PlmEsmTrainable       *plm_esm_trainable_new_random     (const PlmEsmConfig    *config,
                                                         guint64                seed);
void                   plm_esm_trainable_free           (PlmEsmTrainable       *t);

const PlmEsmConfig    *plm_esm_trainable_get_config     (PlmEsmTrainable       *t);
/* The flat arenas (same layout): parameters and their gradients. */
float                 *plm_esm_trainable_get_params     (PlmEsmTrainable       *t,
                                                         gsize                 *n_floats);
float                 *plm_esm_trainable_get_grads      (PlmEsmTrainable       *t,
                                                         gsize                 *n_floats);
/* The table of named tensors, in checkpoint order. */
const PlmEsmParamInfo *plm_esm_trainable_get_tensors    (PlmEsmTrainable       *t,
                                                         guint                 *n_tensors);
/* The parameter tensor called @name, or NULL. */
const PlmEsmParamInfo *plm_esm_trainable_lookup         (PlmEsmTrainable       *t,
                                                         const char            *name);
void                   plm_esm_trainable_zero_grad      (PlmEsmTrainable       *t);

/* Sizes the activation arena for training on sequences up to @n_tokens, so that later
 * forward/backward calls up to that length allocate nothing and cannot fail for memory. */
gboolean               plm_esm_trainable_reserve        (PlmEsmTrainable       *t,
                                                         int                    n_tokens,
                                                         GError               **error);
/* Bytes of activations forward+backward need at @n_tokens (one sequence). */
guint64                plm_esm_trainable_activation_bytes (const PlmEsmConfig  *config,
                                                           int                  n_tokens);

/* emb_out[T,d] = the embeddings after the final LayerNorm for @tokens (<cls> … <eos>).
 * Saves nothing: activations of one layer at a time. */
gboolean               plm_esm_trainable_forward        (PlmEsmTrainable       *t,
                                                         const int32_t         *tokens,
                                                         int                    n_tokens,
                                                         float                 *emb_out,
                                                         GError               **error);
/* Accumulates (+=) into the gradient arena d(loss)/d(params) given d_emb[T,d] = d(loss)/d(emb).
 * Recomputes the forward of this one sequence, saving every layer's activations into the
 * activation arena (grown once to the longest sequence), then runs the backward. So a batch
 * costs the activation memory of its longest sequence, not of the whole batch, for one extra
 * forward per sequence (the trainer's forward already ran without saving). */
gboolean               plm_esm_trainable_backward       (PlmEsmTrainable       *t,
                                                         const int32_t         *tokens,
                                                         int                    n_tokens,
                                                         const float           *d_emb,
                                                         GError               **error);

/* Slots, for a trainer that encodes several sequences of a group (anchor, partner, negatives)
 * before back-propagating each: slot @slot (0 ≤ slot < 1024) keeps a copy of its tokens and its
 * embeddings [T,d], valid until the slot is encoded again. Slot buffers grow only when a longer
 * sequence arrives. backward_slot = plm_esm_trainable_backward on the slot's tokens.
 * These two, get_params/get_grads and save are what the NM trainer's PlmNmEncoder hooks call. */
const float           *plm_esm_trainable_encode_slot    (PlmEsmTrainable       *t,
                                                         int                    slot,
                                                         const int32_t         *tokens,
                                                         int                    n_tokens,
                                                         GError               **error);
gboolean               plm_esm_trainable_backward_slot  (PlmEsmTrainable       *t,
                                                         int                    slot,
                                                         const float           *d_emb,
                                                         GError               **error);

/* Writes @dir/config.json and @dir/model.safetensors (HF EsmForMaskedLM layout, F32): the
 * encoder parameters, plus the untouched LM head (decoder omitted: tied to the embeddings) and
 * contact head when the source model had them. plm_model_load reads it back. */
gboolean               plm_esm_trainable_save           (PlmEsmTrainable       *t,
                                                         const char            *dir,
                                                         GError               **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PlmEsmTrainable, plm_esm_trainable_free)

G_END_DECLS
