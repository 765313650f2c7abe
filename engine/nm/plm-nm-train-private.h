/* plm-nm-train-private.h: the trainer's state, shared by the files that implement it
 * (plm-nm-train.c, plm-nm-checkpoint.c, plm-nm-emb-cache.c, plm-nm-metrics.c). */
#pragma once

#include <json-glib/json-glib.h>

#include "plm-adam.h"
#include "plm-nm-train.h"
#include "plm-safetensors.h"

G_BEGIN_DECLS

/* Metadata JSON goes through json-glib, whose numbers do not follow the user's locale. */
#define JS(k, v) do { json_builder_set_member_name (b, k); json_builder_add_string_value (b, v); } while (0)
#define JI(k, v) do { json_builder_set_member_name (b, k); json_builder_add_int_value (b, v); } while (0)
#define JD(k, v) do { json_builder_set_member_name (b, k); json_builder_add_double_value (b, v); } while (0)
#define JB(k, v) do { json_builder_set_member_name (b, k); json_builder_add_boolean_value (b, v); } while (0)

typedef struct {
  float **emb;   /* per sequence index of the data set's table, NULL when unused */
  int    *len;
  int     n;
} EmbCache;

/* One item's group, ready for the head: its embeddings and sampled negatives. */
typedef struct _Prepared {
  PlmNmGroup   g;
  const float *neg[64];
  int          len_neg[64], neg_seq[64], neg_side[64];
} Prepared;

struct _PlmNmTrainer {
  PlmNmTrainConfig  config;
  PlmModel         *model;
  PlmNmEncoder     *encoder;
  PlmDataset       *train, *valid, *test;
  GPtrArray        *classes;
  PlmNmHead        *head;
  PlmAdam          *adam;
  PlmNmSampler     *sampler;
  GHashTable       *caches;        /* GPtrArray *seqs → EmbCache* */
  char             *out_path, *last_path;
  char             *emb_cache_path;
  PlmNmEpochFunc    epoch_func;
  PlmNmEmbedFunc    embed_func;
  gpointer          user_data;
  PlmNmBatchFunc    batch_func;
  gpointer          batch_data;

  /* state */
  int               epochs_done;
  double            best_val;
  int               bad_epochs;
  int               best_epoch;
  float            *best_params;
  float            *best_encoder;   /* encoder parameters at the best epoch, or NULL */
  gboolean          have_best;
  double            l_neg_before, l_neg_after;
  PlmNmMetrics      valid_metrics, test_metrics;
  JsonArray        *history;       /* one object per epoch, for the resumable state */

  /* frozen path, data-parallel over a batch's groups: one head per extra thread (parameters
   * copied in before each batch, gradients summed after) and the batch's prepared groups */
  PlmNmHead       **workers;
  int               n_workers;
  Prepared         *prepared;
  const PlmNmGroup **group_ptrs;

  /* buffers for one group (encoder path) */
  float            *d_emb[2];
  float           **d_neg;
  int               n_d_slots;
};

/* The builder's JSON as a string (compact). */
char     *plm_nm_json_to_string        (JsonBuilder  *b);

/* plm-nm-emb-cache.c: the frozen path's embeddings, per sequence table of a data set. */
void      plm_nm_emb_cache_free        (gpointer      data);
EmbCache *plm_nm_trainer_cache_for     (PlmNmTrainer *tr,
                                        PlmDataset   *ds);

/* plm-nm-checkpoint.c: the best head (with metrics) and the resumable state. */
gboolean  plm_nm_trainer_save_best     (PlmNmTrainer *tr,
                                        GError      **error);
gboolean  plm_nm_trainer_save_last     (PlmNmTrainer *tr,
                                        GError      **error);

G_END_DECLS
