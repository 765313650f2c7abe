/* plm-dataset.h: labelled protein and protein-pair data sets for fine-tuning (CSV/TSV,
 * DeepLoc-style FASTA, pair TSV + sequence dictionary), splits and negative sampling. */
#pragma once

#include <glib.h>

#include "plm-rng.h"

G_BEGIN_DECLS

typedef enum {
  PLM_DATA_PROTEIN,   /* one sequence per item */
  PLM_DATA_PAIR,      /* two sequences per item (PPI) */
} PlmDataTask;

typedef enum {
  PLM_FASTA_LABEL_LOCATION,   /* DeepLoc ">ACC Location-M": "Location" (10 classes) */
  PLM_FASTA_LABEL_MEMBRANE,   /* the M/S flag: "membrane" / "soluble"; U records skipped */
} PlmFastaLabel;

typedef struct {
  PlmFastaLabel  fasta_label;
  const char    *dictionary;   /* pair task: TSV "id<TAB>sequence" */
} PlmDatasetOptions;

/* Items refer to sequences by index; sequence tables are shared between a data set and its
 * splits. Labels are strings until plm_dataset_map_labels gives them class ids. */
typedef struct {
  PlmDataTask  task;
  char        *name;           /* file name(s), for messages */
  char        *sha256;         /* of the file contents (pair: pairs then dictionary) */
  GPtrArray   *seq_ids;        /* char*, shared */
  GPtrArray   *seqs;           /* char*, upper case residues, shared */
  int          n_items;
  int         *item_a;         /* [n_items] sequence index */
  int         *item_b;         /* [n_items] pair task, else NULL */
  int         *item_line;      /* [n_items] source line (1-based) */
  GPtrArray   *item_label;     /* char* per item */
  int         *label;          /* [n_items] class ids, after mapping, else NULL */
  int          n_skipped;      /* records read but not used (e.g. DeepLoc "U") */
} PlmDataset;

PlmDataset *plm_dataset_read            (const char              *path,
                                         PlmDataTask              task,
                                         const PlmDatasetOptions *options,
                                         GError                 **error);
/* Parsers on text (named @source in errors); used by plm_dataset_read and the tests. */
PlmDataset *plm_dataset_parse_table     (const char              *text,
                                         const char              *source,
                                         GError                 **error);
PlmDataset *plm_dataset_parse_fasta     (const char              *text,
                                         const char              *source,
                                         PlmFastaLabel            kind,
                                         GError                 **error);
PlmDataset *plm_dataset_parse_pairs     (const char              *pairs,
                                         const char              *pairs_source,
                                         const char              *dictionary,
                                         const char              *dict_source,
                                         GError                 **error);
void        plm_dataset_free            (PlmDataset              *ds);

/* Sorted, de-duplicated label strings of @ds (the class list of a training set). */
GPtrArray  *plm_dataset_classes         (PlmDataset              *ds);
/* Gives each item the index of its label in @classes; fails naming file:line for a label
 * that is not a class (e.g. a test label never seen in training). */
gboolean    plm_dataset_map_labels      (PlmDataset              *ds,
                                         GPtrArray               *classes,
                                         GError                 **error);
/* A new data set with items @indices[n] of @ds (sequences shared). */
PlmDataset *plm_dataset_subset          (PlmDataset              *ds,
                                         const int               *indices,
                                         int                      n,
                                         const char              *suffix);
/* Deterministic shuffle-split into train/valid/test by fractions (test may be 0). */
void        plm_dataset_split           (PlmDataset              *ds,
                                         double                   valid_fraction,
                                         double                   test_fraction,
                                         uint64_t                 seed,
                                         PlmDataset             **train,
                                         PlmDataset             **valid,
                                         PlmDataset             **test);
/* "name: N items; class (count, %) ..." */
char       *plm_dataset_balance_report  (PlmDataset              *ds,
                                         GPtrArray               *classes);

/* Negative sampling as the authors (load_data.py), reproducible from a PlmRng:
 * protein task: one positive = a random other item of the same label; each negative = an
 * item of a uniformly random other label. Pair task: negative k is a non-partner of chain
 * a (k even) or b (k odd): a protein listed with it in a non-interacting pair (label "0")
 * when there is one, else a random protein never listed as its partner. */
typedef struct _PlmNmSampler PlmNmSampler;

PlmNmSampler *plm_nm_sampler_new        (PlmDataset              *ds);
void          plm_nm_sampler_free       (PlmNmSampler            *sampler);
/* For item @item: *positive = an item index (protein task) or -1; neg_seq[n] = sequence
 * indices; neg_side[n] = which chain the negative is paired with (0 = a, 1 = b). */
void          plm_nm_sampler_sample     (PlmNmSampler            *sampler,
                                         PlmRng                  *rng,
                                         int                      item,
                                         int                      n_neg,
                                         int                     *positive,
                                         int                     *neg_seq,
                                         int                     *neg_side);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PlmDataset, plm_dataset_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PlmNmSampler, plm_nm_sampler_free)

G_END_DECLS
