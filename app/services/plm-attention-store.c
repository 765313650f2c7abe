/* plm-attention-store.c: compact storage of attention maps as IEEE half floats, whole in RAM or
 * per window of a windowed run on disk (plm-spill-file.h), read back a map at a time. */
#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "plm-attention-store.h"
#include "plm-error.h"
#include "plm-spill-file.h"

struct _PlmAttentionStore
{
  int        n_layers;
  int        n_heads;
  int        n_tokens;     /* T = L + 2 of the whole protein */
  int        n_windows;    /* 1 for a whole-length run */
  int        map_tokens;   /* tokens of one stored map: T, or a window's size + 2 */
  gsize      map_len;      /* map_tokens² */
  uint16_t  *maps;         /* whole-length: [n_layers, n_heads + 1, T, T]; slot n_heads is the head mean */
  PlmSpillFile *file;      /* windowed: [n_windows, n_layers, n_heads + 1, m, m] on disk */
  GMutex     lock;         /* guards the one map plm_attention_store_get reads from */
  uint16_t  *cached;       /* [m, m] or NULL */
  gssize     cached_index; /* map_index of @cached, −1 for none */
  int       *complete;     /* [n_layers] windows stored */
  gboolean   windowed;
  PlmWindowPlan plan;      /* windowed only */
};

guint64
plm_attention_store_estimate (int n_layers,
                              int n_heads,
                              int n_tokens)
{
  return (guint64) n_layers * (guint64) (n_heads + 1) * (guint64) n_tokens * (guint64) n_tokens * 2u;
}

static PlmAttentionStore *
store_new (int                  n_layers,
           int                  n_heads,
           int                  n_tokens,
           int                  n_windows,
           int                  map_tokens,
           gboolean             spill,
           GError             **error)
{
  g_autoptr(PlmAttentionStore) self = NULL;
  guint64 bytes;

  if (n_layers <= 0 || n_heads <= 0 || n_tokens <= 0 ||
      n_layers > 1000 || n_heads > 1000 || n_tokens > 100000)
    {
      g_set_error (error, PLM_ERROR, PLM_ERROR_INPUT,
                   _("Unsupported attention shape: %d layers, %d heads, %d tokens"),
                   n_layers, n_heads, n_tokens);
      return NULL;
    }

  bytes = (guint64) n_windows * plm_attention_store_estimate (n_layers, n_heads, map_tokens);
  self = g_new0 (PlmAttentionStore, 1);
  self->n_layers = n_layers;
  self->n_heads = n_heads;
  self->n_tokens = n_tokens;
  self->n_windows = n_windows;
  self->map_tokens = map_tokens;
  self->map_len = (gsize) map_tokens * (gsize) map_tokens;
  self->complete = g_new0 (int, n_layers);
  self->cached_index = -1;
  g_mutex_init (&self->lock);
  if (spill)
    {
      /* a windowed run's maps grow with L: on disk, so memory stays at about one window's */
      self->file = plm_spill_file_new (bytes, error);
      return self->file != NULL ? g_steal_pointer (&self) : NULL;
    }
  if (bytes > G_MAXSIZE || !(self->maps = g_try_malloc (bytes)))
    {
      g_autofree char *size = g_format_size (bytes);

      g_set_error (error, PLM_ERROR, PLM_ERROR_RESOURCES,
                   _("Not enough memory to keep the attention maps (%s)"), size);
      return NULL;
    }

  return g_steal_pointer (&self);
}

PlmAttentionStore *
plm_attention_store_new (int      n_layers,
                         int      n_heads,
                         int      n_tokens,
                         GError **error)
{
  return store_new (n_layers, n_heads, n_tokens, 1, n_tokens, FALSE, error);
}

PlmAttentionStore *
plm_attention_store_new_windowed (int                  n_layers,
                                  int                  n_heads,
                                  const PlmWindowPlan *plan,
                                  GError             **error)
{
  PlmWindowPlan copy;
  PlmAttentionStore *self;

  if (!plm_window_plan_init (&copy, plan->length, plan->size, plan->overlap, error))
    return NULL;
  self = store_new (n_layers, n_heads, plan->length + 2, copy.n_windows, copy.size + 2, TRUE, error);
  if (self == NULL)
    {
      plm_window_plan_clear (&copy);
      return NULL;
    }
  self->windowed = TRUE;
  self->plan = copy;
  return self;
}

guint64
plm_attention_store_estimate_windowed (int n_layers,
                                       int n_heads,
                                       int n_windows,
                                       int window_tokens)
{
  return (guint64) n_windows * plm_attention_store_estimate (n_layers, n_heads, window_tokens);
}

void
plm_attention_store_free (PlmAttentionStore *self)
{
  if (self == NULL)
    return;
  g_free (self->maps);
  g_clear_pointer (&self->file, plm_spill_file_free);
  g_free (self->cached);
  g_mutex_clear (&self->lock);
  g_free (self->complete);
  plm_window_plan_clear (&self->plan);
  g_free (self);
}

static void
f32_to_f16_n (const float *src,
                  uint16_t    *dst,
                  gsize        n)
{
  for (gsize i = 0; i < n; i++)
    dst[i] = plm_f32_to_f16 (src[i]);
}

/* The head mean of @probs [n_heads, n] from the fp32 values, so it carries no extra rounding. */
static void
head_mean_f16 (const float *probs,
                             int          n_heads,
                             gsize        n,
                             uint16_t    *dst)
{
  float inv_heads = 1.0f / (float) n_heads;

  for (gsize i = 0; i < n; i++)
    {
      float sum = 0.0f;

      for (int h = 0; h < n_heads; h++)
        sum += probs[(gsize) h * n + i];
      dst[i] = plm_f32_to_f16 (sum * inv_heads);
    }
}

static inline gsize
map_index (PlmAttentionStore *self,
           int                window,
           int                layer,
           int                slot)
{
  return ((gsize) window * self->n_layers + (gsize) layer) * (gsize) (self->n_heads + 1) + (gsize) slot;
}

/* The whole-length store's map (@layer, @slot), in RAM. */
static inline uint16_t *
map_at (PlmAttentionStore *self,
        int                layer,
        int                slot)
{
  return self->maps + map_index (self, 0, layer, slot) * self->map_len;
}

/* Maps @slot0 … @slot0 + @n_slots − 1 of (@window, @layer) into @buf [n_slots, m, m]: adjacent
 * on disk, so one read. A failed read (the disk, not the caller) leaves NaN halves, which show
 * as uncomputed, and says why once. */
static void
read_maps (PlmAttentionStore *self,
           int                window,
           int                layer,
           int                slot0,
           int                n_slots,
           uint16_t          *buf)
{
  g_autoptr(GError) error = NULL;
  gsize len = (gsize) n_slots * self->map_len;
  static gboolean warned;

  if (!plm_spill_file_read (self->file, (guint64) map_index (self, window, layer, slot0) * self->map_len * 2u,
                            buf, len * 2u, &error))
    {
      if (!g_atomic_int_exchange (&warned, TRUE))
        g_warning ("%s", error->message);
      for (gsize i = 0; i < len; i++)
        buf[i] = 0x7e00;
    }
}

void
plm_attention_store_add_layer (PlmAttentionStore *self,
                               int                layer,
                               const float       *probs)
{
  const gsize n = self->map_len;
  uint16_t *mean;

  g_return_if_fail (self != NULL && !self->windowed);
  g_return_if_fail (layer >= 0 && layer < self->n_layers);
  g_return_if_fail (probs != NULL);

  for (int h = 0; h < self->n_heads; h++)
    f32_to_f16_n (probs + (gsize) h * n, map_at (self, layer, h), n);
  mean = map_at (self, layer, self->n_heads);
  head_mean_f16 (probs, self->n_heads, n, mean);
  g_atomic_int_inc (&self->complete[layer]);
}

gboolean
plm_attention_store_add_window_layer (PlmAttentionStore *self,
                                      int                window,
                                      int                layer,
                                      const float       *probs,
                                      GError           **error)
{
  const gsize n = self->map_len;
  g_autofree uint16_t *buf = NULL;

  g_return_val_if_fail (self != NULL && self->windowed, FALSE);
  g_return_val_if_fail (window >= 0 && window < self->n_windows, FALSE);
  g_return_val_if_fail (layer >= 0 && layer < self->n_layers, FALSE);
  g_return_val_if_fail (probs != NULL, FALSE);

  /* one map at a time through a buffer: the window's maps go to disk as they are produced */
  buf = g_new (uint16_t, n);
  for (int slot = 0; slot <= self->n_heads; slot++)
    {
      if (slot < self->n_heads)
        f32_to_f16_n (probs + (gsize) slot * n, buf, n);
      else
        head_mean_f16 (probs, self->n_heads, n, buf);
      if (!plm_spill_file_write (self->file, (guint64) map_index (self, window, layer, slot) * n * 2u,
                                 buf, n * 2u, error))
        return FALSE;
    }
  g_atomic_int_inc (&self->complete[layer]);
  return TRUE;
}

gboolean
plm_attention_store_has_layer (PlmAttentionStore *self,
                               int                layer)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return layer >= 0 && layer < self->n_layers && g_atomic_int_get (&self->complete[layer]) >= self->n_windows;
}

int
plm_attention_store_get_n_layers (PlmAttentionStore *self)
{
  return self->n_layers;
}

int
plm_attention_store_get_n_heads (PlmAttentionStore *self)
{
  return self->n_heads;
}

int
plm_attention_store_get_n_tokens (PlmAttentionStore *self)
{
  return self->n_tokens;
}

guint64
plm_attention_store_get_bytes (PlmAttentionStore *self)
{
  return (guint64) self->n_windows * plm_attention_store_estimate (self->n_layers, self->n_heads, self->map_tokens);
}

const PlmWindowPlan *
plm_attention_store_get_plan (PlmAttentionStore *self)
{
  return self->windowed ? &self->plan : NULL;
}

/* The window of token pair (@q, @k) and the tokens' indices inside it; residue i is token i + 1.
 * A residue with <cls> or <eos> comes from the residue's own window; <cls> with itself from the
 * first window, <eos> with itself from the last, <cls> with <eos> only from a single window. */
static int
token_window (PlmAttentionStore *self,
              int                q,
              int                k)
{
  const PlmWindowPlan *p = &self->plan;
  int T = self->n_tokens, last = p->n_windows - 1;
  gboolean qs = q == 0 || q == T - 1, ks = k == 0 || k == T - 1;

  if (!self->windowed)
    return 0;
  if (!qs && !ks)
    return plm_window_pair_owner (p, q - 1, k - 1);
  if (!qs)
    return p->owner[q - 1];
  if (!ks)
    return p->owner[k - 1];
  if (q == k)
    return q == 0 ? 0 : last;
  return last == 0 ? 0 : -1;
}

static inline int
local_token (PlmAttentionStore *self,
             int                window,
             int                t)
{
  if (!self->windowed || t == 0)
    return t;
  if (t == self->n_tokens - 1)
    return self->map_tokens - 1;
  return t - self->plan.starts[window];
}

/* token_window for a whole row @q into @win [T] */
static void
row_windows (PlmAttentionStore *self,
             int                q,
             int               *win)
{
  int T = self->n_tokens;

  if (q > 0 && q < T - 1)
    {
      plm_window_pair_owner_row (&self->plan, q - 1, win + 1);
      win[0] = win[T - 1] = self->plan.owner[q - 1];
    }
  else
    for (int k = 0; k < T; k++)
      win[k] = token_window (self, q, k);
}

int
plm_attention_store_get_window (PlmAttentionStore *self,
                                int                query,
                                int                key)
{
  g_return_val_if_fail (self != NULL, -1);
  g_return_val_if_fail (query >= 0 && query < self->n_tokens && key >= 0 && key < self->n_tokens, -1);
  return token_window (self, query, key);
}

const uint16_t *
plm_attention_store_peek_map (PlmAttentionStore *self,
                              int                layer,
                              int                head)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (layer >= 0 && layer < self->n_layers, NULL);
  g_return_val_if_fail (head >= -1 && head < self->n_heads, NULL);
  g_return_val_if_fail (!self->windowed, NULL);

  return map_at (self, layer, head < 0 ? self->n_heads : head);
}

float
plm_attention_store_get (PlmAttentionStore *self,
                         int                layer,
                         int                head,
                         int                query,
                         int                key)
{
  int w;

  g_return_val_if_fail (self != NULL, 0.0f);
  g_return_val_if_fail (layer >= 0 && layer < self->n_layers && head >= -1 && head < self->n_heads, 0.0f);
  g_return_val_if_fail (query >= 0 && query < self->n_tokens && key >= 0 && key < self->n_tokens, 0.0f);

  int slot = head < 0 ? self->n_heads : head;
  gsize at;
  uint16_t v;

  w = token_window (self, query, key);
  if (w < 0)
    return NAN;
  at = (gsize) local_token (self, w, query) * self->map_tokens + local_token (self, w, key);
  if (!self->windowed)
    return plm_f16_to_f32 (map_at (self, layer, slot)[at]);

  /* one map is kept, so a reader walking a map reads it from disk once */
  g_mutex_lock (&self->lock);
  if (self->cached_index != (gssize) map_index (self, w, layer, slot))
    {
      if (self->cached == NULL)
        self->cached = g_new (uint16_t, self->map_len);
      read_maps (self, w, layer, slot, 1, self->cached);
      self->cached_index = (gssize) map_index (self, w, layer, slot);
    }
  v = self->cached[at];
  g_mutex_unlock (&self->lock);
  return plm_f16_to_f32 (v);
}

/* The rows of window @w's map: <cls>, its residues, <eos>; row @i of @n. */
static inline int
window_token (PlmAttentionStore *self,
              int                w,
              int                i)
{
  return i == 0 ? 0 : i == self->map_tokens - 1 ? self->n_tokens - 1 : self->plan.starts[w] + i;
}

void
plm_attention_store_copy_map (PlmAttentionStore *self,
                              int                layer,
                              int                head,
                              float             *out)
{
  /* the whole map is the region of every row and column (one window's map read at a time) */
  plm_attention_store_copy_region (self, layer, head, 0, self->n_tokens, 0, self->n_tokens, out);
}

void
plm_attention_store_copy_region (PlmAttentionStore *self,
                                 int                layer,
                                 int                head,
                                 int                r0,
                                 int                r1,
                                 int                c0,
                                 int                c1,
                                 float             *out)
{
  int T = self->n_tokens, slot = head < 0 ? self->n_heads : head, w_cols = c1 - c0;

  g_return_if_fail (layer >= 0 && layer < self->n_layers && head >= -1 && head < self->n_heads);
  g_return_if_fail (0 <= r0 && r0 <= r1 && r1 <= T && 0 <= c0 && c0 <= c1 && c1 <= T);
  if (!self->windowed)
    {
      const uint16_t *map = map_at (self, layer, slot);
      for (int q = r0; q < r1; q++)
        for (int k = c0; k < c1; k++)
          out[(gsize) (q - r0) * w_cols + (k - c0)] = plm_f16_to_f32 (map[(gsize) q * T + k]);
      return;
    }

  int m = self->map_tokens;
  g_autofree int *win = g_new (int, T);
  g_autofree uint16_t *map = g_new (uint16_t, self->map_len);

  for (gsize i = 0; i < (gsize) (r1 - r0) * w_cols; i++)
    out[i] = NAN;
  for (int w = 0; w < self->n_windows; w++)
    {
      int first = self->plan.starts[w] + 1, last = self->plan.starts[w] + self->plan.size;
      gboolean rows = (r0 == 0) || (r1 == T) || (r0 <= last && r1 > first);
      gboolean cols = (c0 == 0) || (c1 == T) || (c0 <= last && c1 > first);

      /* only the windows holding some of the rows and some of the columns are read */
      if (!rows || !cols)
        continue;
      read_maps (self, w, layer, slot, 1, map);
      for (int lq = 0; lq < m; lq++)
        {
          int q = window_token (self, w, lq);
          const uint16_t *src = map + (gsize) lq * m;

          if (q < r0 || q >= r1)
            continue;
          row_windows (self, q, win);
          for (int lk = 0; lk < m; lk++)
            {
              int k = window_token (self, w, lk);
              if (k >= c0 && k < c1 && win[k] == w)
                out[(gsize) (q - r0) * w_cols + (k - c0)] = plm_f16_to_f32 (src[lk]);
            }
        }
    }
}

/* plm_attention_store_pool_max of the assembled maps of slots @slot0 … @slot1 − 1 into @out
 * [slots, n, n]: only the pairs some window holds count, a block with none is NaN. The windows of
 * a row are found once for every slot. */
static void
pool_max_windowed (PlmAttentionStore *self,
                   int                layer,
                   int                slot0,
                   int                slot1,
                   int                n,
                   float             *out)
{
  int T = self->n_tokens, L = T - 2, m = self->map_tokens, n_slots = slot1 - slot0;
  gsize cells = (gsize) MAX (n, 1) * MAX (n, 1);
  g_autofree int16_t *acc = g_new (int16_t, cells * n_slots);
  g_autofree guint8 *seen = g_new0 (guint8, cells);
  g_autofree int *win = g_new (int, T);
  /* one window's maps of the slots at a time: a layer of one window, never the whole protein */
  g_autofree uint16_t *maps = g_new (uint16_t, self->map_len * n_slots);

  for (int w = 0; w < self->n_windows; w++)
    {
      int st = self->plan.starts[w], size = self->plan.size;

      read_maps (self, w, layer, slot0, n_slots, maps);
      for (int r = st; r < st + size; r++)
        {
          gsize o = (gsize) ((gint64) r * n / L) * n;

          row_windows (self, r + 1, win);
          for (int c = st; c < st + size; c++)
            {
              gsize at = (gsize) (r - st + 1) * m + (c - st + 1);
              gsize cell = o + (gsize) ((gint64) c * n / L);

              if (win[c + 1] != w)
                continue;
              for (int sl = 0; sl < n_slots; sl++)
                {
                  int16_t v = (int16_t) maps[sl * self->map_len + at];
                  int16_t *a = acc + sl * cells + cell;
                  if (!seen[cell] || v > *a)
                    *a = v;
                }
              seen[cell] = 1;
            }
        }
    }
  for (int sl = 0; sl < n_slots; sl++)
    for (gsize i = 0; i < (gsize) n * n; i++)
      out[sl * cells + i] = seen[i] ? plm_f16_to_f32 ((uint16_t) acc[sl * cells + i]) : NAN;
}

void
plm_attention_store_pool_layer (PlmAttentionStore *self,
                                int                layer,
                                int                max_cells,
                                float             *out)
{
  int L = MAX (self->n_tokens - 2, 0), n = MIN (L, max_cells);
  gsize cells = (gsize) MAX (n, 1) * MAX (n, 1);

  if (self->windowed)
    {
      g_autofree float *slots = g_new (float, cells * (self->n_heads + 1));

      pool_max_windowed (self, layer, 0, self->n_heads + 1, n, slots);
      /* the store's slot n_heads is the mean; @out has it first */
      memcpy (out, slots + cells * self->n_heads, cells * sizeof (float));
      memcpy (out + cells, slots, cells * self->n_heads * sizeof (float));
      return;
    }
  for (int h = -1; h < self->n_heads; h++)
    {
      int rows, cols;
      g_autofree float *pooled = plm_attention_store_pool_max (self, layer, h, max_cells, &rows, &cols);

      memcpy (out + (gsize) (h + 1) * cells, pooled, cells * sizeof (float));
    }
}

float *
plm_attention_store_pool_max (PlmAttentionStore *self,
                              int                layer,
                              int                head,
                              int                max_cells,
                              int               *out_rows,
                              int               *out_cols)
{
  int n_tokens = self->n_tokens;
  int L = MAX (n_tokens - 2, 0), n = MIN (L, max_cells);
  g_autofree int16_t *acc = g_new0 (int16_t, (gsize) MAX (n, 1) * MAX (n, 1));
  g_autofree int *col_start = g_new (int, n + 1);
  float *out = g_new (float, (gsize) MAX (n, 1) * MAX (n, 1));

  /* block b holds the columns c with floor (c × n / L) = b, as in plm_heatmap_pool_max */
  for (int b = 0; b <= n; b++)
    col_start[b] = (int) (((gint64) b * L + n - 1) / n);
  if (self->windowed)
    {
      int slot = head < 0 ? self->n_heads : head;

      pool_max_windowed (self, layer, slot, slot + 1, n, out);
      *out_rows = n;
      *out_cols = n;
      return out;
    }
  const uint16_t *map = map_at (self, layer, head < 0 ? self->n_heads : head);
  for (int r = 0; r < L; r++)
    {
      int16_t *o = acc + (gsize) ((gint64) r * n / L) * n;
      const int16_t *v = (const int16_t *) map + (gsize) (r + 1) * n_tokens + 1;

      for (int b = 0; b < n; b++)
        {
          /* As int16, non-negative halves keep their order and negative ones (−0 from rounding)
           * fall below the 0 the accumulator starts at; a signed max vectorises on SSE2. */
          int16_t m = o[b];
          for (int c = col_start[b]; c < col_start[b + 1]; c++)
            m = v[c] > m ? v[c] : m;
          o[b] = m;
        }
    }
  for (int i = 0; i < n * n; i++)
    out[i] = plm_f16_to_f32 ((uint16_t) acc[i]);
  *out_rows = n;
  *out_cols = n;
  return out;
}
