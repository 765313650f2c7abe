/* plm-attention-store.c: compact storage of attention maps as IEEE half floats. */
#include <glib/gi18n.h>
#include <string.h>

#include "plm-attention-store.h"
#include "plm-error.h"

struct _PlmAttentionStore
{
  int        n_layers;
  int        n_heads;
  int        n_tokens;
  gsize      map_len;      /* T² */
  uint16_t  *maps;         /* [n_layers, n_heads + 1, T, T]; slot n_heads is the head mean */
  gboolean  *complete;
};

guint64
plm_attention_store_estimate (int n_layers,
                              int n_heads,
                              int n_tokens)
{
  return (guint64) n_layers * (guint64) (n_heads + 1) * (guint64) n_tokens * (guint64) n_tokens * 2u;
}

PlmAttentionStore *
plm_attention_store_new (int      n_layers,
                         int      n_heads,
                         int      n_tokens,
                         GError **error)
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

  bytes = plm_attention_store_estimate (n_layers, n_heads, n_tokens);
  self = g_new0 (PlmAttentionStore, 1);
  self->n_layers = n_layers;
  self->n_heads = n_heads;
  self->n_tokens = n_tokens;
  self->map_len = (gsize) n_tokens * (gsize) n_tokens;
  self->complete = g_new0 (gboolean, n_layers);
  if (bytes > G_MAXSIZE || !(self->maps = g_try_malloc (bytes)))
    {
      g_autofree char *size = g_format_size (bytes);

      g_set_error (error, PLM_ERROR, PLM_ERROR_RESOURCES,
                   _("Not enough memory to keep the attention maps (%s)"), size);
      return NULL;
    }

  return g_steal_pointer (&self);
}

void
plm_attention_store_free (PlmAttentionStore *self)
{
  if (self == NULL)
    return;
  g_free (self->maps);
  g_free (self->complete);
  g_free (self);
}

static inline uint16_t *
map_at (PlmAttentionStore *self,
        int                layer,
        int                slot)
{
  return self->maps + ((gsize) layer * (gsize) (self->n_heads + 1) + (gsize) slot) * self->map_len;
}

void
plm_attention_store_add_layer (PlmAttentionStore *self,
                               int                layer,
                               const float       *probs)
{
  uint16_t *mean;
  float inv_heads;

  g_return_if_fail (self != NULL);
  g_return_if_fail (layer >= 0 && layer < self->n_layers);
  g_return_if_fail (probs != NULL);

  for (int h = 0; h < self->n_heads; h++)
    {
      const float *src = probs + (gsize) h * self->map_len;
      uint16_t *dst = map_at (self, layer, h);

      for (gsize i = 0; i < self->map_len; i++)
        dst[i] = plm_f32_to_f16 (src[i]);
    }

  /* The head mean comes from the fp32 values so it carries no extra rounding. */
  mean = map_at (self, layer, self->n_heads);
  inv_heads = 1.0f / (float) self->n_heads;
  for (gsize i = 0; i < self->map_len; i++)
    {
      float sum = 0.0f;

      for (int h = 0; h < self->n_heads; h++)
        sum += probs[(gsize) h * self->map_len + i];
      mean[i] = plm_f32_to_f16 (sum * inv_heads);
    }

  g_atomic_int_set (&self->complete[layer], TRUE);
}

gboolean
plm_attention_store_has_layer (PlmAttentionStore *self,
                               int                layer)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return layer >= 0 && layer < self->n_layers && g_atomic_int_get (&self->complete[layer]);
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
  return plm_attention_store_estimate (self->n_layers, self->n_heads, self->n_tokens);
}

const uint16_t *
plm_attention_store_peek_map (PlmAttentionStore *self,
                              int                layer,
                              int                head)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (layer >= 0 && layer < self->n_layers, NULL);
  g_return_val_if_fail (head >= -1 && head < self->n_heads, NULL);

  return map_at (self, layer, head < 0 ? self->n_heads : head);
}

float
plm_attention_store_get (PlmAttentionStore *self,
                         int                layer,
                         int                head,
                         int                query,
                         int                key)
{
  const uint16_t *map = plm_attention_store_peek_map (self, layer, head);

  g_return_val_if_fail (map != NULL, 0.0f);
  g_return_val_if_fail (query >= 0 && query < self->n_tokens && key >= 0 && key < self->n_tokens, 0.0f);

  return plm_f16_to_f32 (map[(gsize) query * self->n_tokens + key]);
}

void
plm_attention_store_copy_map (PlmAttentionStore *self,
                              int                layer,
                              int                head,
                              float             *out)
{
  const uint16_t *map = plm_attention_store_peek_map (self, layer, head);

  g_return_if_fail (map != NULL);
  for (gsize i = 0; i < self->map_len; i++)
    out[i] = plm_f16_to_f32 (map[i]);
}

float *
plm_attention_store_pool_max (PlmAttentionStore *self,
                              int                layer,
                              int                head,
                              int                max_cells,
                              int               *out_rows,
                              int               *out_cols)
{
  const uint16_t *map = plm_attention_store_peek_map (self, layer, head);
  int n_tokens = self->n_tokens;
  int L = MAX (n_tokens - 2, 0), n = MIN (L, max_cells);
  g_autofree int16_t *acc = g_new0 (int16_t, (gsize) MAX (n, 1) * MAX (n, 1));
  g_autofree int *col_start = g_new (int, n + 1);
  float *out = g_new (float, (gsize) MAX (n, 1) * MAX (n, 1));

  /* block b holds the columns c with floor (c × n / L) = b, as in plm_heatmap_pool_max */
  for (int b = 0; b <= n; b++)
    col_start[b] = (int) (((gint64) b * L + n - 1) / n);
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
