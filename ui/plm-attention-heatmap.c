/* plm-attention-heatmap.c: draws residue × residue attention with cairo, nearest-neighbour. */
#include <glib/gi18n.h>

#include "plm-attention-heatmap.h"

#define MARGIN_LEFT 48
#define MARGIN_TOP 12
#define MARGIN_BOTTOM 36
#define COLORBAR_GAP 16
#define COLORBAR_WIDTH 14
#define COLORBAR_LABELS 48

struct _PlmAttentionHeatmap
{
  GtkDrawingArea      parent_instance;
  PlmInferenceResult *result;
  cairo_surface_t    *surface;   /* L × L, colour-mapped, rebuilt when data or colours change */
  float               vmax;
  int                 layer;
  int                 head;
  PlmColorMap         color_map;
  /* Map placement of the last draw, for hit-testing. */
  double              map_x, map_y, map_size;
};

G_DEFINE_FINAL_TYPE (PlmAttentionHeatmap, plm_attention_heatmap, GTK_TYPE_DRAWING_AREA)

enum {
  PROP_0,
  PROP_LAYER,
  PROP_HEAD,
  PROP_COLOR_MAP,
  PROP_RESULT,
  N_PROPS
};

enum {
  FRAME_DRAWN,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
invalidate (PlmAttentionHeatmap *self)
{
  g_clear_pointer (&self->surface, cairo_surface_destroy);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* Residues only: <cls> and <eos> rows and columns are left out of this overview. */
static void
build_surface (PlmAttentionHeatmap *self)
{
  PlmInferenceResult *r = self->result;
  const uint32_t *lut = plm_color_map_get_lut (self->color_map);
  const uint16_t *map;
  unsigned char *pixels;
  int T = r->n_tokens, L = r->n_residues, stride;
  float vmax = 0.0f, scale;

  map = plm_attention_store_peek_map (r->attention, self->layer, self->head);
  for (int i = 1; i <= L; i++)
    for (int j = 1; j <= L; j++)
      vmax = MAX (vmax, plm_half_to_float (map[(gsize) i * T + j]));
  self->vmax = vmax;
  scale = vmax > 0.0f ? 255.0f / vmax : 0.0f;

  self->surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, L, L);
  stride = cairo_image_surface_get_stride (self->surface);
  cairo_surface_flush (self->surface);
  pixels = cairo_image_surface_get_data (self->surface);
  for (int i = 0; i < L; i++)
    {
      uint32_t *row = (uint32_t *) (gpointer) (pixels + (gsize) i * stride);
      const uint16_t *src = map + (gsize) (i + 1) * T + 1;

      for (int j = 0; j < L; j++)
        {
          int idx = (int) (plm_half_to_float (src[j]) * scale + 0.5f);
          row[j] = lut[CLAMP (idx, 0, 255)];
        }
    }
  cairo_surface_mark_dirty (self->surface);
}

static int
tick_step (int L,
           double pixels)
{
  static const int steps[] = { 1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000 };
  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    if (pixels * steps[i] / L >= 40.0)
      return steps[i];
  return 10000;
}

static void
draw_text (GtkWidget  *widget,
           cairo_t    *cr,
           const char *text,
           double      x,
           double      y,
           double      align_x,
           double      align_y)
{
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (widget, text);
  int w, h;

  pango_layout_get_pixel_size (layout, &w, &h);
  cairo_move_to (cr, x - w * align_x, y - h * align_y);
  pango_cairo_show_layout (cr, layout);
}

static void
plm_attention_heatmap_draw (GtkDrawingArea *area,
                            cairo_t        *cr,
                            int             width,
                            int             height,
                            gpointer        user_data)
{
  PlmAttentionHeatmap *self = PLM_ATTENTION_HEATMAP (area);
  GtkWidget *widget = GTK_WIDGET (area);
  GdkRGBA fg;
  double size, x0, y0, s;
  int L, step;

  if (self->result == NULL || !plm_attention_store_has_layer (self->result->attention, self->layer))
    return;

  if (self->surface == NULL)
    build_surface (self);

  L = self->result->n_residues;
  size = MIN (width - MARGIN_LEFT - COLORBAR_GAP - COLORBAR_WIDTH - COLORBAR_LABELS,
              height - MARGIN_TOP - MARGIN_BOTTOM);
  if (size < 16)
    return;
  x0 = MARGIN_LEFT;
  y0 = MARGIN_TOP;
  self->map_x = x0;
  self->map_y = y0;
  self->map_size = size;

  /* The map itself: one source pixel per residue pair, scaled without smoothing. */
  cairo_save (cr);
  cairo_translate (cr, x0, y0);
  s = size / L;
  cairo_scale (cr, s, s);
  cairo_set_source_surface (cr, self->surface, 0, 0);
  cairo_pattern_set_filter (cairo_get_source (cr), CAIRO_FILTER_NEAREST);
  cairo_rectangle (cr, 0, 0, L, L);
  cairo_fill (cr);
  cairo_restore (cr);

  /* Rulers with 1-based residue numbers. */
  /* GTK 4.8 has no gtk_widget_get_color (); GDK_VERSION_MIN_REQUIRED silences the 4.10 deprecation. */
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &fg);
  gdk_cairo_set_source_rgba (cr, &fg);
  cairo_set_line_width (cr, 1.0);
  step = tick_step (L, size);
  for (int k = step; k <= L; k += step)
    {
      double p = (k - 0.5) * size / L;
      char buf[16];

      g_snprintf (buf, sizeof buf, "%d", k);
      cairo_move_to (cr, x0 + p + 0.5, y0 + size);
      cairo_line_to (cr, x0 + p + 0.5, y0 + size + 4);
      cairo_move_to (cr, x0 - 4, y0 + p + 0.5);
      cairo_line_to (cr, x0, y0 + p + 0.5);
      cairo_stroke (cr);
      draw_text (widget, cr, buf, x0 + p, y0 + size + 5, 0.5, 0.0);
      draw_text (widget, cr, buf, x0 - 6, y0 + p, 1.0, 0.5);
    }
  draw_text (widget, cr, _("Key residue"), x0 + size / 2, y0 + size + 20, 0.5, 0.0);

  /* Colour bar from 0 to the map's maximum. */
  {
    const uint32_t *lut = plm_color_map_get_lut (self->color_map);
    double bx = x0 + size + COLORBAR_GAP;
    char buf[32];

    for (int i = 0; i < 256; i++)
      {
        uint32_t c = lut[i];
        double y = y0 + size - (i + 1) * size / 256.0;

        cairo_set_source_rgb (cr, ((c >> 16) & 0xff) / 255.0, ((c >> 8) & 0xff) / 255.0, (c & 0xff) / 255.0);
        cairo_rectangle (cr, bx, y, COLORBAR_WIDTH, size / 256.0 + 0.5);
        cairo_fill (cr);
      }
    gdk_cairo_set_source_rgba (cr, &fg);
    g_snprintf (buf, sizeof buf, "%.3g", self->vmax);
    draw_text (widget, cr, buf, bx + COLORBAR_WIDTH + 4, y0, 0.0, 0.0);
    draw_text (widget, cr, "0", bx + COLORBAR_WIDTH + 4, y0 + size, 0.0, 1.0);
  }

  g_signal_emit (self, signals[FRAME_DRAWN], 0);
}

gboolean
plm_attention_heatmap_lookup_cell (PlmAttentionHeatmap *self,
                                   double               x,
                                   double               y,
                                   int                 *query,
                                   int                 *key)
{
  int L, i, j;

  g_return_val_if_fail (PLM_IS_ATTENTION_HEATMAP (self), FALSE);

  if (self->result == NULL || self->map_size <= 0)
    return FALSE;
  L = self->result->n_residues;
  i = (int) ((y - self->map_y) / self->map_size * L);
  j = (int) ((x - self->map_x) / self->map_size * L);
  if (y < self->map_y || x < self->map_x || i >= L || j >= L)
    return FALSE;
  *query = i;
  *key = j;
  return TRUE;
}

static gboolean
on_query_tooltip (GtkWidget  *widget,
                  int         x,
                  int         y,
                  gboolean    keyboard,
                  GtkTooltip *tooltip,
                  gpointer    user_data)
{
  PlmAttentionHeatmap *self = PLM_ATTENTION_HEATMAP (widget);
  g_autofree char *text = NULL;
  const char *seq;
  int q, k;

  if (keyboard || !plm_attention_heatmap_lookup_cell (self, x, y, &q, &k))
    return FALSE;
  seq = self->result->sequence;
  /* Translators: query residue position and letter, key residue position and letter, value */
  text = g_strdup_printf (_("Query %d (%c) → key %d (%c): %.4f"),
                          q + 1, seq[q], k + 1, seq[k],
                          plm_attention_store_get (self->result->attention, self->layer, self->head, q + 1, k + 1));
  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

static void
plm_attention_heatmap_dispose (GObject *object)
{
  PlmAttentionHeatmap *self = (PlmAttentionHeatmap *) object;

  g_clear_pointer (&self->surface, cairo_surface_destroy);
  g_clear_pointer (&self->result, plm_inference_result_unref);

  G_OBJECT_CLASS (plm_attention_heatmap_parent_class)->dispose (object);
}

static void
plm_attention_heatmap_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  PlmAttentionHeatmap *self = PLM_ATTENTION_HEATMAP (object);

  switch (prop_id)
    {
    case PROP_LAYER:
      g_value_set_int (value, plm_attention_heatmap_get_layer (self));
      break;
    case PROP_HEAD:
      g_value_set_int (value, plm_attention_heatmap_get_head (self));
      break;
    case PROP_COLOR_MAP:
      g_value_set_int (value, plm_attention_heatmap_get_color_map (self));
      break;
    case PROP_RESULT:
      g_value_set_pointer (value, plm_attention_heatmap_get_result (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
plm_attention_heatmap_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  PlmAttentionHeatmap *self = PLM_ATTENTION_HEATMAP (object);

  switch (prop_id)
    {
    case PROP_LAYER:
      plm_attention_heatmap_set_layer (self, g_value_get_int (value));
      break;
    case PROP_HEAD:
      plm_attention_heatmap_set_head (self, g_value_get_int (value));
      break;
    case PROP_COLOR_MAP:
      plm_attention_heatmap_set_color_map (self, g_value_get_int (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
plm_attention_heatmap_class_init (PlmAttentionHeatmapClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = plm_attention_heatmap_dispose;
  object_class->get_property = plm_attention_heatmap_get_property;
  object_class->set_property = plm_attention_heatmap_set_property;

  properties[PROP_LAYER] = g_param_spec_int ("layer", NULL, NULL, 0, G_MAXINT, 0,
                                             G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_HEAD] = g_param_spec_int ("head", NULL, NULL, -1, G_MAXINT, -1,
                                            G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_COLOR_MAP] = g_param_spec_int ("color-map", NULL, NULL, 0, PLM_N_COLOR_MAPS - 1, 0,
                                                 G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* The PlmInferenceResult shown (read-only; set with plm_attention_heatmap_set_result ()). */
  properties[PROP_RESULT] = g_param_spec_pointer ("result", NULL, NULL,
                                                  G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* Emitted after each frame that showed a map (used to measure time to first frame). */
  signals[FRAME_DRAWN] = g_signal_new ("frame-drawn", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                       0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_css_name (widget_class, "plmattentionheatmap");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
plm_attention_heatmap_init (PlmAttentionHeatmap *self)
{
  self->head = -1;
  gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (self), plm_attention_heatmap_draw, NULL, NULL);
  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
  g_signal_connect (self, "query-tooltip", G_CALLBACK (on_query_tooltip), NULL);
  gtk_widget_set_hexpand (GTK_WIDGET (self), TRUE);
  gtk_widget_set_vexpand (GTK_WIDGET (self), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Attention heatmap"), -1);
}

GtkWidget *
plm_attention_heatmap_new (void)
{
  return g_object_new (PLM_TYPE_ATTENTION_HEATMAP, NULL);
}

void
plm_attention_heatmap_set_result (PlmAttentionHeatmap *self,
                                  PlmInferenceResult  *result)
{
  g_return_if_fail (PLM_IS_ATTENTION_HEATMAP (self));

  if (result == self->result)
    return;
  g_clear_pointer (&self->result, plm_inference_result_unref);
  if (result)
    {
      self->result = plm_inference_result_ref (result);
      self->layer = CLAMP (self->layer, 0, result->n_layers - 1);
      self->head = CLAMP (self->head, -1, result->n_heads - 1);
    }
  invalidate (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RESULT]);
}

PlmInferenceResult *
plm_attention_heatmap_get_result (PlmAttentionHeatmap *self)
{
  g_return_val_if_fail (PLM_IS_ATTENTION_HEATMAP (self), NULL);
  return self->result;
}

void
plm_attention_heatmap_set_layer (PlmAttentionHeatmap *self,
                                 int                  layer)
{
  g_return_if_fail (PLM_IS_ATTENTION_HEATMAP (self));

  if (self->result)
    layer = CLAMP (layer, 0, self->result->n_layers - 1);
  if (layer == self->layer)
    return;
  self->layer = layer;
  invalidate (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAYER]);
}

int
plm_attention_heatmap_get_layer (PlmAttentionHeatmap *self)
{
  g_return_val_if_fail (PLM_IS_ATTENTION_HEATMAP (self), 0);
  return self->layer;
}

void
plm_attention_heatmap_set_head (PlmAttentionHeatmap *self,
                                int                  head)
{
  g_return_if_fail (PLM_IS_ATTENTION_HEATMAP (self));

  if (self->result)
    head = CLAMP (head, -1, self->result->n_heads - 1);
  if (head == self->head)
    return;
  self->head = head;
  invalidate (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HEAD]);
}

int
plm_attention_heatmap_get_head (PlmAttentionHeatmap *self)
{
  g_return_val_if_fail (PLM_IS_ATTENTION_HEATMAP (self), -1);
  return self->head;
}

void
plm_attention_heatmap_set_color_map (PlmAttentionHeatmap *self,
                                     PlmColorMap          map)
{
  g_return_if_fail (PLM_IS_ATTENTION_HEATMAP (self));

  if (map == self->color_map)
    return;
  self->color_map = map;
  invalidate (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COLOR_MAP]);
}

PlmColorMap
plm_attention_heatmap_get_color_map (PlmAttentionHeatmap *self)
{
  g_return_val_if_fail (PLM_IS_ATTENTION_HEATMAP (self), PLM_COLOR_MAP_VIRIDIS);
  return self->color_map;
}
