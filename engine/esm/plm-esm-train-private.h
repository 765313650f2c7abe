/* plm-esm-train-private.h: PlmEsmTrainable's instance, shared by plm-esm-train.c (layout,
 * forward and backward) and plm-esm-train-save.c (the checkpoint it writes). */
#pragma once

#include "plm-esm-train.h"

G_BEGIN_DECLS

/* One layer's tensors, in HF checkpoint order; the same struct views params and grads. */
typedef struct {
  float *wq, *bq, *wk, *bk, *wv, *bv;   /* [d,d], [d] */
  float *wo, *bo;                       /* [d,d], [d] */
  float *ln_attn_w, *ln_attn_b;         /* [d] */
  float *w1, *b1;                       /* [F,d], [F] */
  float *w2, *b2;                       /* [d,F], [d] */
  float *ln_ffn_w, *ln_ffn_b;           /* [d] */
} LayerTensors;

typedef struct {
  float        *embed;                  /* [V,d] */
  float        *pos_embed;              /* [P,d], ESM-1b only (else NULL) */
  float        *emb_ln_w, *emb_ln_b;    /* [d], ESM-1b only (else NULL) */
  LayerTensors *layers;                 /* [n_layers] */
  float        *final_ln_w, *final_ln_b;
} Tensors;

/* Per-layer saved activations (slot l; the no-save forward uses slot 0 for every layer). */
typedef struct {
  float *x_mid;       /* [T,d] residual after attention (input of LN2) */
  float *h1;          /* [T,d] LN1 output */
  float *q, *k, *v;   /* [T,d] q scaled + rotated, k rotated */
  float *probs;       /* [H,T,T] */
  float *ctx;         /* [T,d] */
  float *h2;          /* [T,d] LN2 output */
  float *pre;         /* [T,F] fc1 output, before GELU */
  float *act;         /* [T,F] after GELU */
  float *mean1, *rstd1, *mean2, *rstd2;  /* [T] */
} LayerActs;

/* A trainer's slot: the tokens and embeddings of the sequence last encoded there. */
typedef struct {
  int      n_tokens, capacity;
  int32_t *tokens;     /* [capacity] */
  float   *emb;        /* [capacity, d] */
} Slot;

#define MAX_SLOTS 1024

struct _PlmEsmTrainable {
  PlmEsmConfig     config;
  /* params and grads: one allocation of 2·n_params floats */
  float           *memory;
  gsize            n_params;
  Tensors          p, g;
  GArray          *info;         /* PlmEsmParamInfo */
  GPtrArray       *names;        /* owns info[].name */

  /* untrained heads copied from the source model, written through by save */
  float           *frozen;
  GArray          *frozen_info;  /* PlmEsmParamInfo, offsets into frozen */
  GPtrArray       *frozen_names;

  /* activations */
  float           *acts_memory;
  int              acts_T;       /* capacity in tokens */
  int              acts_slots;   /* layer slots: 1 (forward only) or n_layers (training) */
  float           *x_res;        /* [slots+1][T,d] residual stream at each layer input; last = final LN input */
  LayerActs       *acts;         /* [slots] */
  float           *final_mean, *final_rstd;     /* [T] */
  float           *emb_pre;                     /* [T,d] ESM-1b: embeddings before their LayerNorm */
  float           *emb_mean, *emb_rstd;         /* [T] */
  float           *cos_t, *sin_t;               /* [T,hd/2] */
  /* backward scratch */
  float           *dx, *dh, *dq, *dk, *dv, *dctx;   /* [T,d] */
  float           *dff;                          /* [T,F] */
  float           *dscores;                      /* [T,T] */

  GPtrArray       *slots;        /* Slot*, created on first use */
};

G_END_DECLS
