/* plm-nm-train.h: the NM-Transformer fine-tuning loop (frozen PLM with cached embeddings, or a
 * pluggable trainable encoder), metrics, early stopping, checkpoints and resume. */
#pragma once

#include <gio/gio.h>
#include <stdint.h>

#include "plm-dataset.h"
#include "plm-esm.h"
#include "plm-model.h"
#include "plm-nm-head.h"
#include "plm-nm-metrics.h"

G_BEGIN_DECLS

typedef enum {
  PLM_NM_OBJECTIVE_NM,    /* CE + λ·L_neg (NM-Transformer) */
  PLM_NM_OBJECTIVE_CE,    /* the "Transformer" baseline: same head, λ = 0 */
  PLM_NM_OBJECTIVE_MLP,   /* mean-pooled embeddings → readout */
} PlmNmObjective;

const char *plm_nm_objective_name  (PlmNmObjective  objective);
/* "nm", "ce" or "mlp"; FALSE for anything else. */
gboolean    plm_nm_objective_parse (const char     *name,
                                    PlmNmObjective *objective);

/* How the PLM under the head is used. */
typedef enum {
  PLM_NM_PLM_FROZEN,     /* embeddings computed once (and cached) */
  PLM_NM_PLM_FINETUNE,   /* back-propagates into the checkpoint's weights */
  PLM_NM_PLM_SCRATCH,    /* the same architecture from a random initialisation */
} PlmNmPlmMode;

/* "frozen", "finetune", "scratch": --plm, and the "plm" recorded in a checkpoint. */
const char *plm_nm_plm_mode_name   (PlmNmPlmMode    mode);
gboolean    plm_nm_plm_mode_parse  (const char     *name,
                                    PlmNmPlmMode   *mode);

/* A trainable PLM plugged into the trainer (`--plm finetune|scratch`). The trainer encodes the
 * sequences of one group into numbered slots (0 = anchor, 1 = pair partner, 2 + n = negative
 * n), runs the head, then hands each slot the gradient of the loss w.r.t. its embeddings; the
 * encoder accumulates into its gradient arena (zeroed by the trainer before each batch), which
 * the trainer's Adam updates with the learning rate multiplied by esm_coe. Evaluation encodes
 * slots 0/1 without backward. See the toy encoder in tests/test-nm-train.c. */
typedef struct {
  int           d_model;
  /* Embeddings [n_tokens, d_model] after the final LayerNorm for @tokens; the pointer stays
   * valid (and the activations for backward are kept) until slot @slot is encoded again. */
  const float *(*encode)     (gpointer self, int slot, const int32_t *tokens, int n_tokens,
                              GError **error);
  /* Accumulates parameter gradients for slot @slot given d(loss)/d(embeddings). */
  void         (*backward)   (gpointer self, int slot, const float *d_embeddings);
  float       *(*param_data) (gpointer self, gsize *n_floats);
  float       *(*grad_data)  (gpointer self, gsize *n_floats);
  /* Writes the tuned PLM (HF safetensors layout) beside the head. */
  gboolean     (*save)       (gpointer self, const char *path, GError **error);
  gpointer      self;
} PlmNmEncoder;

typedef struct _PlmEsmTrainable PlmEsmTrainable;
/* Fills @encoder with hooks onto the trainable ESM-2 @esm (plm-esm-train.h), reserving its
 * activations for @max_len tokens so that backward never allocates. */
gboolean plm_nm_encoder_init_esm (PlmNmEncoder *encoder, PlmEsmTrainable *esm, int max_len, GError **error);

/* The configuration of a fine-tuning run; plm_nm_train_config_init gives every default (the
 * authors': Xu et al. 2024), which the CLI's options and the app's settings start from. */
typedef struct {
  PlmDataTask     task;          /* protein */
  PlmNmObjective  objective;     /* nm */
  PlmNmPlmMode    plm_mode;      /* frozen; recorded in the checkpoint */
  PlmFastaLabel   fasta_label;   /* location; recorded so that evaluate reads the same labels */
  int             n_neg;         /* negatives per anchor (2) */
  float           lambda;        /* 0.1; plm_nm_session_load sets 0 unless the objective is nm */
  float           lr;            /* 1e-4 */
  float           esm_coe;       /* encoder lr multiplier (10) */
  float           weight_decay;  /* < 0: the objective's, 1e-5 (head) or 0 (the authors' MLP) */
  int             epochs;        /* 100 */
  int             batch;         /* 50 */
  int             max_len;       /* 512 tokens incl. <cls>/<eos>; longer sequences are truncated */
  uint64_t        seed;          /* 42 */
  /* Early stopping on validation CE: stop after `patience` epochs without improvement. By
   * default an improvement resets the counter; the authors' never resets it (they stop at
   * the patience-th non-improving epoch overall). 0 = no early stopping. */
  int             patience;      /* 4 */
  gboolean        patience_never_resets;
  int             d_hidden;      /* 128 */
  int             n_heads;       /* 1 */
  gboolean        scaled;        /* FALSE */
  /* The data sets (plm_nm_session_load): without a validation file, valid_fraction of the
   * training file is split off, and test_fraction too without a test file; seeded subsets of
   * at most max_train training and max_eval validation/test items (0 = all). */
  double          valid_fraction;  /* 0.1 */
  double          test_fraction;   /* 0.1 */
  gint64          split_seed;      /* < 0: seed */
  int             max_train;
  int             max_eval;
} PlmNmTrainConfig;

void plm_nm_train_config_init (PlmNmTrainConfig *config);

typedef struct {
  int          epoch;          /* 1-based */
  int          epochs;
  double       train_ce;       /* mean over anchors */
  double       train_neg;      /* mean L_neg over (anchor, negative) pairs, 0 for ce/mlp */
  double       train_loss;     /* mean of CE + λ·L_neg */
  PlmNmMetrics valid;
  gboolean     improved;
  int          bad_epochs;
  double       seconds;
  double       samples_per_second;
} PlmNmEpochReport;

typedef void (*PlmNmEpochFunc) (const PlmNmEpochReport *report, gpointer user_data);
/* Called while embeddings are computed: @done of @total sequences. */
typedef void (*PlmNmEmbedFunc) (int done, int total, gpointer user_data);
/* Called on the training thread before batch @batch (0-based) of @n_batches in @epoch, after
 * the previous epoch's checkpoint is written: a GUI may block here to pause, or count batches
 * for an ETA. Cancellation is checked right after it returns. */
typedef void (*PlmNmBatchFunc) (int epoch, int batch, int n_batches, gpointer user_data);

typedef struct _PlmNmTrainer PlmNmTrainer;

/* @valid may be NULL (then the last epoch's head is kept and no early stopping happens);
 * @test may be NULL. Labels of all sets must already be mapped to @classes. @encoder is
 * NULL for the frozen path (then @model computes the cached embeddings). */
PlmNmTrainer *plm_nm_trainer_new         (const PlmNmTrainConfig *config,
                                          PlmModel               *model,
                                          PlmNmEncoder           *encoder,
                                          PlmDataset             *train,
                                          PlmDataset             *valid,
                                          PlmDataset             *test,
                                          GPtrArray              *classes);
void          plm_nm_trainer_free        (PlmNmTrainer           *trainer);
void          plm_nm_trainer_set_callbacks (PlmNmTrainer         *trainer,
                                          PlmNmEpochFunc          epoch_func,
                                          PlmNmEmbedFunc          embed_func,
                                          gpointer                user_data);
void          plm_nm_trainer_set_batch_func (PlmNmTrainer        *trainer,
                                          PlmNmBatchFunc          batch_func,
                                          gpointer                user_data);
/* Where the best head goes; "<out>.last.safetensors" holds the resumable state. */
void          plm_nm_trainer_set_output  (PlmNmTrainer           *trainer,
                                          const char             *out_path);
/* Frozen path: keep embeddings in @path (safetensors, one tensor per distinct sequence, keyed
 * by its SHA-256) across runs of the same model and max_len; reused and extended by embed. */
void          plm_nm_trainer_set_embedding_cache (PlmNmTrainer   *trainer,
                                          const char             *path);
/* Frozen path: runs the PLM once over every sequence (cancellable). */
gboolean      plm_nm_trainer_embed       (PlmNmTrainer           *trainer,
                                          GCancellable           *cancellable,
                                          GError                **error);
/* Continues from "<out>.last.safetensors" when it exists and matches the configuration. */
gboolean      plm_nm_trainer_resume      (PlmNmTrainer           *trainer,
                                          gboolean               *resumed,
                                          GError                **error);
/* Trains to the end (or early stop), restores the best head, evaluates valid and test. */
gboolean      plm_nm_trainer_run         (PlmNmTrainer           *trainer,
                                          GCancellable           *cancellable,
                                          GError                **error);
PlmNmHead    *plm_nm_trainer_get_head    (PlmNmTrainer           *trainer);
/* Metrics after run: best validation, test, and mean probe L_neg before/after training. */
void          plm_nm_trainer_get_results (PlmNmTrainer           *trainer,
                                          PlmNmMetrics           *valid,
                                          PlmNmMetrics           *test,
                                          double                 *l_neg_before,
                                          double                 *l_neg_after,
                                          int                    *best_epoch);
/* {"valid": {...}, "test": {...}, "l_neg_before", "l_neg_after", "best_epoch", ...} */
char         *plm_nm_trainer_metrics_json (PlmNmTrainer          *trainer);

/* ---- checkpoints ---- */

/* Writes @head atomically as safetensors with the authors' tensor names and string metadata
 * (config, classes, data hashes, metrics: JSON). */
gboolean      plm_nm_head_save           (PlmNmHead              *head,
                                          const char             *path,
                                          GHashTable             *metadata,
                                          GError                **error);
/* Loads a head written by plm_nm_head_save; *metadata (optional) receives its string map. */
PlmNmHead    *plm_nm_head_load           (const char             *path,
                                          GHashTable            **metadata,
                                          GError                **error);

/* What a head file records about its run, for listing heads without a trainer. */
typedef struct {
  gboolean          have_config;   /* a readable "config" with a known objective */
  PlmNmTrainConfig  config;        /* as recorded; what is missing keeps plm_nm_train_config_init's */
  gboolean          have_metrics;
  gboolean          have_valid;
  gboolean          have_test;
  PlmNmMetrics      valid;         /* accuracy, macro_f1, auroc: NAN where not recorded */
  PlmNmMetrics      test;
  int               best_epoch;    /* 0 when not recorded */
} PlmNmHeadSummary;

/* Loads the head at @path (so that a broken file is refused as by plm_nm_head_load) and reads
 * the configuration and final metrics recorded in its metadata. */
gboolean      plm_nm_head_read_summary   (const char             *path,
                                          PlmNmHeadSummary       *summary,
                                          GError                **error);

/* Evaluates @head on @ds (labels mapped) with a frozen PLM; @logits [n, C] optional. */
gboolean      plm_nm_evaluate_dataset    (PlmNmHead              *head,
                                          PlmModel               *model,
                                          PlmDataset             *ds,
                                          int                     max_len,
                                          PlmNmMetrics           *metrics,
                                          float                  *logits,
                                          PlmNmEmbedFunc          progress,
                                          gpointer                progress_data,
                                          GCancellable           *cancellable,
                                          GError                **error);

/* Truncates like the authors' HF tokenizer: <cls> + the first max_len − 2 residues + <eos>. */
int32_t      *plm_nm_tokenize            (const char             *sequence,
                                          int                     max_len,
                                          int                    *n_tokens);
/* Embeddings [T, d] of one sequence from a frozen PLM (after the final LayerNorm). */
float        *plm_nm_embed_sequence      (PlmEsmState            *state,
                                          const char             *sequence,
                                          int                     max_len,
                                          int                    *n_tokens,
                                          GCancellable           *cancellable,
                                          GError                **error);

G_END_DECLS
