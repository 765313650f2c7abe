/* plm-attention-view.c: the Attention page: a PlmHeatmapView of one map, a colour bar and the controls. */
#include <glib/gi18n.h>
#include <math.h>

#include "plm-attention-view.h"
#include "plm-color-bar.h"
#include "plm-figure-build.h"
#include "plm-heatmap-sources.h"
#include "plm-heatmap-view.h"
#include "plm-step-shortcuts.h"
#include "plm-windowed-readout.h"

struct _PlmAttentionView
{
  GtkWidget           parent_instance;

  GtkWidget          *box;
  GtkAdjustment      *layer_adjustment;
  GtkDropDown        *head_dropdown;
  GtkLabel           *hover_label;
  GtkLabel           *missing_label;
  PlmHeatmapView     *heatmap;
  PlmColorBar        *color_bar;

  PlmInferenceResult *result;
  PlmSelection       *selection;
  gulong              selection_handler;
  int                 highlighted;
  PlmColorMap         color_map;
  int                 layer;
  int                 head;
  gboolean            updating;       /* controls being set from code: do not reload twice */
  gboolean            frame_pending;  /* new data handed to the heatmap, not yet painted */
  GCancellable       *assembling;     /* a windowed map being assembled in a thread */
  GdkFrameClock      *frame_clock;
  gulong              after_paint_handler;
};

G_DEFINE_FINAL_TYPE (PlmAttentionView, plm_attention_view, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_RESULT,
  PROP_LAYER,
  PROP_HEAD,
  PROP_COLOR_MAP,
  N_PROPS
};

enum {
  FRAME_DRAWN,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* A windowed map assembled off the main thread: read window by window from the store's file,
 * a few hundred ms at 5,000 residues, which would otherwise stall every layer or head step. */
typedef struct
{
  PlmInferenceResult *result;
  int                 layer;
  int                 head;
  float              *values;
  /* a map above the display cap: only its pooled copy of @window (plm-heatmap-sources.h) */
  gboolean            pooled_only;
  int                 window[4];
  float              *pooled;
  int                 pooled_rows;
  int                 pooled_cols;
} MapLoad;

static void
map_load_free (gpointer data)
{
  MapLoad *ml = data;

  plm_inference_result_unref (ml->result);
  g_free (ml->values);
  g_free (ml->pooled);
  g_free (ml);
}

static void show_values (PlmAttentionView *self,
                         float            *values);

static void
assemble_map (GTask        *task,
              gpointer      source,
              gpointer      data,
              GCancellable *cancellable)
{
  MapLoad *ml = data;
  int T = ml->result->n_tokens;

  if (g_task_return_error_if_cancelled (task))
    return;
  if (ml->pooled_only)
    {
      ml->pooled = plm_heatmap_sources_pool_attention (ml->result, ml->layer, ml->head, ml->window,
                                                       &ml->pooled_rows, &ml->pooled_cols);
      g_task_return_boolean (task, TRUE);
      return;
    }
  ml->values = g_new (float, (gsize) T * T);
  plm_attention_store_copy_map (ml->result->attention, ml->layer, ml->head, ml->values);
  g_task_return_boolean (task, TRUE);
}

static void
on_map_assembled (GObject      *source,
                  GAsyncResult *res,
                  gpointer      data)
{
  PlmAttentionView *self = PLM_ATTENTION_VIEW (source);
  MapLoad *ml = g_task_get_task_data (G_TASK (res));

  /* cancelled: a newer map was asked for, or the view went away */
  if (!g_task_propagate_boolean (G_TASK (res), NULL))
    return;
  if (ml->result != self->result || ml->layer != self->layer || ml->head != self->head)
    return;
  if (ml->pooled_only)
    {
      plm_heatmap_sources_set_attention_pooled (self->heatmap, ml->result, ml->layer, ml->head,
                                                g_steal_pointer (&ml->pooled), ml->pooled_rows, ml->pooled_cols,
                                                ml->window);
      show_values (self, NULL);
    }
  else
    show_values (self, g_steal_pointer (&ml->values));
}

/* Decodes the fp16 map once per (layer, head): the heatmap uploads it once and then only
 * re-colours, so stepping heads costs one T² decode. A windowed map is assembled in a thread
 * while the previous map stays on show. */
static void
load_map (PlmAttentionView *self)
{
  PlmInferenceResult *r = self->result;
  float *values;
  int T;

  g_cancellable_cancel (self->assembling);
  g_clear_object (&self->assembling);
  if (r == NULL)
    {
      plm_heatmap_view_set_data (self->heatmap, NULL, 0, 0);
      return;
    }
  if (plm_inference_result_is_windowed (r) || plm_heatmap_sources_is_large (r->n_tokens))
    {
      g_autoptr(GTask) task = NULL;
      MapLoad *ml = g_new0 (MapLoad, 1);

      ml->result = plm_inference_result_ref (r);
      ml->layer = self->layer;
      ml->head = self->head;
      /* above the display cap the view reads the store region by region, never the whole
       * T × T map: the thread makes only its pooled copy */
      ml->pooled_only = plm_heatmap_sources_is_large (r->n_tokens);
      plm_heatmap_sources_attention_window (r, plm_heatmap_view_get_show_special_tokens (self->heatmap), ml->window);
      self->assembling = g_cancellable_new ();
      task = g_task_new (self, self->assembling, on_map_assembled, NULL);
      g_task_set_source_tag (task, load_map);
      g_task_set_task_data (task, ml, map_load_free);
      g_task_run_in_thread (task, assemble_map);
      return;
    }
  T = r->n_tokens;
  values = g_new (float, (gsize) T * T);
  plm_attention_store_copy_map (r->attention, self->layer, self->head, values);
  show_values (self, values);
}

static void
show_values (PlmAttentionView *self,
             float            *values)
{
  PlmInferenceResult *r = self->result;
  PlmScale scale;
  int T = r->n_tokens;

  /* NULL: the source is set already (a map above the display cap) */
  if (values != NULL)
    plm_heatmap_view_set_data_full (self->heatmap, values, T, T, g_free);
  plm_heatmap_view_set_sequence (self->heatmap, r->sequence, 1);
  /* Linear from 0 to the largest residue–residue value: <cls>/<eos> sinks would wash it out. */
  plm_heatmap_view_fit_scale (self->heatmap, PLM_SCALE_LINEAR, 0.0, 100.0);
  plm_heatmap_view_get_scale (self->heatmap, &scale);
  scale.vmin = 0.0f;
  plm_heatmap_view_set_scale (self->heatmap, &scale);
  plm_color_bar_set_scale (self->color_bar, &scale);
  self->frame_pending = TRUE;
  gtk_widget_queue_draw (GTK_WIDGET (self->heatmap));
  {
    g_autofree char *name = self->head < 0
      ? g_strdup_printf (_("Attention of layer %d, mean of all heads"), self->layer + 1)
      : g_strdup_printf (_("Attention of layer %d, head %d"), self->layer + 1, self->head + 1);
    gtk_accessible_update_property (GTK_ACCESSIBLE (self->heatmap), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
  }
}

/* A windowed run's readout also says which window the value came from:
 * "Query K12 · key L14 · 0.031 · window 2 · residues 767–1788". */
static char *
windowed_readout (PlmHeatmapView *heatmap,
                  int             row,
                  int             col,
                  float           value,
                  gpointer        data)
{
  PlmAttentionView *self = data;
  g_autofree char *q = plm_heatmap_view_dup_label (heatmap, TRUE, row);
  g_autofree char *k = plm_heatmap_view_dup_label (heatmap, FALSE, col);
  g_autofree char *window = plm_windowed_readout_pair (self->result, row, col);

  if (window == NULL)
    return g_strdup_printf (_("Query %s · key %s · %.3g"), q, k, value);
  if (isnan (value))
    /* Translators: query and key residue of a pair that no window computed, and why */
    return g_strdup_printf (_("Query %s · key %s · %s"), q, k, window);
  /* Translators: query residue, key residue, attention weight, the window it came from */
  return g_strdup_printf (_("Query %s · key %s · %.3g · %s"), q, k, value, window);
}

static void
sync_controls (PlmAttentionView *self)
{
  self->updating = TRUE;
  gtk_adjustment_set_value (self->layer_adjustment, self->layer + 1);
  gtk_drop_down_set_selected (self->head_dropdown, (guint) (self->head + 1));
  self->updating = FALSE;
}

void
plm_attention_view_show (PlmAttentionView *self,
                         int               layer,
                         int               head)
{
  g_return_if_fail (PLM_IS_ATTENTION_VIEW (self));

  if (self->result != NULL)
    {
      layer = CLAMP (layer, 0, self->result->n_layers - 1);
      head = CLAMP (head, -1, self->result->n_heads - 1);
    }
  else
    {
      layer = MAX (layer, 0);
      head = MAX (head, -1);
    }
  if (layer == self->layer && head == self->head)
    return;
  self->layer = layer;
  self->head = head;
  sync_controls (self);
  load_map (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAYER]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HEAD]);
}

static void
on_layer_changed (PlmAttentionView *self,
                  GtkAdjustment    *adjustment)
{
  if (!self->updating)
    plm_attention_view_show (self, (int) gtk_adjustment_get_value (adjustment) - 1, self->head);
}

static void
on_head_changed (PlmAttentionView *self,
                 GParamSpec       *pspec,
                 GtkDropDown      *dropdown)
{
  guint selected = gtk_drop_down_get_selected (dropdown);

  if (!self->updating && selected != GTK_INVALID_LIST_POSITION)
    plm_attention_view_show (self, self->layer, (int) selected - 1);
}

static void
update_hover_label (PlmAttentionView *self,
                    int               row,
                    int               col)
{
  g_autofree char *text = NULL;

  /* the heatmap's readout: "Query K12 · key L14 · 0.031" */
  if (row >= 0 && col >= 0 && self->result != NULL)
    text = plm_heatmap_view_dup_readout (self->heatmap, row, col);
  gtk_label_set_text (self->hover_label, text ? text : "");
}

/* Rows are queries: the query residue is the one the pointer is "on" for the linked views. */
static void
on_heatmap_hovered (PlmAttentionView *self,
                    int               row,
                    int               col,
                    PlmHeatmapView   *heatmap)
{
  update_hover_label (self, row, col);
  if (self->selection != NULL && self->result != NULL && row >= 1 && row <= self->result->n_residues)
    plm_selection_set_residue (self->selection, row - 1);
  /* the crosshair follows the cell under the pointer: its query row and its key column */
  if (row >= 0 && col >= 0)
    plm_heatmap_view_set_highlight (self->heatmap, row, col);
}

static void
on_heatmap_selected (PlmAttentionView *self,
                     int               row,
                     int               col,
                     PlmHeatmapView   *heatmap)
{
  if (self->selection != NULL && self->result != NULL && row >= 1 && row <= self->result->n_residues)
    plm_selection_set_residue (self->selection, row - 1);
}

static void
on_selection_changed (PlmAttentionView *self,
                      GParamSpec       *pspec,
                      PlmSelection     *selection)
{
  int residue = plm_selection_get_residue (selection);
  int index = residue >= 0 ? residue + 1 : -1;

  self->highlighted = residue;

  plm_heatmap_view_set_highlight (self->heatmap, index, index);
}

static void
on_after_paint (PlmAttentionView *self,
                GdkFrameClock    *clock)
{
  if (self->frame_pending && self->result != NULL && gtk_widget_get_mapped (GTK_WIDGET (self->heatmap)))
    {
      self->frame_pending = FALSE;
      g_signal_emit (self, signals[FRAME_DRAWN], 0);
    }
}

static void
plm_attention_view_realize (GtkWidget *widget)
{
  PlmAttentionView *self = PLM_ATTENTION_VIEW (widget);

  GTK_WIDGET_CLASS (plm_attention_view_parent_class)->realize (widget);
  self->frame_clock = g_object_ref (gtk_widget_get_frame_clock (widget));
  self->after_paint_handler = g_signal_connect_swapped (self->frame_clock, "after-paint",
                                                        G_CALLBACK (on_after_paint), self);
}

static void
plm_attention_view_unrealize (GtkWidget *widget)
{
  PlmAttentionView *self = PLM_ATTENTION_VIEW (widget);

  if (self->frame_clock != NULL)
    g_clear_signal_handler (&self->after_paint_handler, self->frame_clock);
  g_clear_object (&self->frame_clock);
  GTK_WIDGET_CLASS (plm_attention_view_parent_class)->unrealize (widget);
}

static gboolean
step_layer_binding (GtkWidget *widget, GVariant *args, gpointer data)
{
  plm_attention_view_step_layer (PLM_ATTENTION_VIEW (widget), g_variant_get_int32 (args));
  return TRUE;
}

static gboolean
step_head_binding (GtkWidget *widget, GVariant *args, gpointer data)
{
  plm_attention_view_step_head (PLM_ATTENTION_VIEW (widget), g_variant_get_int32 (args));
  return TRUE;
}

static void
plm_attention_view_dispose (GObject *object)
{
  PlmAttentionView *self = PLM_ATTENTION_VIEW (object);

  plm_attention_view_set_selection (self, NULL);
  g_cancellable_cancel (self->assembling);
  g_clear_object (&self->assembling);
  gtk_widget_dispose_template (GTK_WIDGET (self), PLM_TYPE_ATTENTION_VIEW);
  G_OBJECT_CLASS (plm_attention_view_parent_class)->dispose (object);
}

static void
plm_attention_view_finalize (GObject *object)
{
  PlmAttentionView *self = PLM_ATTENTION_VIEW (object);

  g_clear_pointer (&self->result, plm_inference_result_unref);
  G_OBJECT_CLASS (plm_attention_view_parent_class)->finalize (object);
}

static void
plm_attention_view_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  PlmAttentionView *self = PLM_ATTENTION_VIEW (object);

  switch (prop_id)
    {
    case PROP_RESULT:
      g_value_set_pointer (value, self->result);
      break;
    case PROP_LAYER:
      g_value_set_int (value, self->layer);
      break;
    case PROP_HEAD:
      g_value_set_int (value, self->head);
      break;
    case PROP_COLOR_MAP:
      g_value_set_int (value, self->color_map);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
plm_attention_view_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  PlmAttentionView *self = PLM_ATTENTION_VIEW (object);

  switch (prop_id)
    {
    case PROP_LAYER:
      plm_attention_view_show (self, g_value_get_int (value), self->head);
      break;
    case PROP_HEAD:
      plm_attention_view_show (self, self->layer, g_value_get_int (value));
      break;
    case PROP_COLOR_MAP:
      plm_attention_view_set_color_map (self, g_value_get_int (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
plm_attention_view_class_init (PlmAttentionViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = plm_attention_view_dispose;
  object_class->finalize = plm_attention_view_finalize;
  object_class->get_property = plm_attention_view_get_property;
  object_class->set_property = plm_attention_view_set_property;
  widget_class->realize = plm_attention_view_realize;
  widget_class->unrealize = plm_attention_view_unrealize;

  properties[PROP_RESULT] =
    g_param_spec_pointer ("result", NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_LAYER] =
    g_param_spec_int ("layer", NULL, NULL, 0, G_MAXINT, 0,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_HEAD] =
    g_param_spec_int ("head", NULL, NULL, -1, G_MAXINT, -1,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_COLOR_MAP] =
    g_param_spec_int ("color-map", NULL, NULL, 0, PLM_N_COLOR_MAPS - 1, PLM_COLOR_MAP_VIRIDIS,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* Emitted once after new data has been painted (first frame of a result, layer or head). */
  signals[FRAME_DRAWN] = g_signal_new ("frame-drawn", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                       0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  g_type_ensure (PLM_TYPE_HEATMAP_VIEW);
  g_type_ensure (PLM_TYPE_COLOR_BAR);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/plmlens/PlmLens/ui/plm-attention-view.ui");
  gtk_widget_class_bind_template_child (widget_class, PlmAttentionView, box);
  gtk_widget_class_bind_template_child (widget_class, PlmAttentionView, layer_adjustment);
  gtk_widget_class_bind_template_child (widget_class, PlmAttentionView, head_dropdown);
  gtk_widget_class_bind_template_child (widget_class, PlmAttentionView, hover_label);
  gtk_widget_class_bind_template_child (widget_class, PlmAttentionView, missing_label);
  gtk_widget_class_bind_template_child (widget_class, PlmAttentionView, heatmap);
  gtk_widget_class_bind_template_child (widget_class, PlmAttentionView, color_bar);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "plmattentionview");
}

static void
plm_attention_view_init (PlmAttentionView *self)
{
  self->head = -1;
  self->highlighted = -1;
  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect_swapped (self->layer_adjustment, "value-changed", G_CALLBACK (on_layer_changed), self);
  g_signal_connect_swapped (self->head_dropdown, "notify::selected", G_CALLBACK (on_head_changed), self);
  g_signal_connect_swapped (self->heatmap, "hovered", G_CALLBACK (on_heatmap_hovered), self);
  g_signal_connect_swapped (self->heatmap, "selected", G_CALLBACK (on_heatmap_selected), self);
  plm_heatmap_view_set_show_special_tokens (self->heatmap, FALSE);

  /* Capture phase: the focused heatmap takes plain and Alt+arrows for panning in its own
   * (bubble) handler, so the view must see its keys first. Page Up/Down step layers,
   * Alt+Left/Right heads; Alt+Up/Down stay the window's previous/next sequence. */
  {
    static const PlmStepShortcut keys[] = {
      { GDK_KEY_Page_Down, 0, step_layer_binding, +1 },
      { GDK_KEY_Page_Up, 0, step_layer_binding, -1 },
      { GDK_KEY_Right, GDK_ALT_MASK, step_head_binding, +1 },
      { GDK_KEY_Left, GDK_ALT_MASK, step_head_binding, -1 },
    };
    GtkEventController *shortcuts = plm_step_shortcuts_new (keys, G_N_ELEMENTS (keys));

    gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts),
                                          gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_Down, GDK_ALT_MASK),
                                                            gtk_named_action_new ("win.next-record")));
    gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts),
                                          gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_Up, GDK_ALT_MASK),
                                                            gtk_named_action_new ("win.previous-record")));
    gtk_widget_add_controller (GTK_WIDGET (self), shortcuts);
  }
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->head_dropdown), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Head"), -1);
}

GtkWidget *
plm_attention_view_new (void)
{
  return g_object_new (PLM_TYPE_ATTENTION_VIEW, NULL);
}

void
plm_attention_view_set_result (PlmAttentionView   *self,
                               PlmInferenceResult *result)
{
  gboolean same_shape;

  g_return_if_fail (PLM_IS_ATTENTION_VIEW (self));

  same_shape = self->result != NULL && result != NULL &&
               self->result->n_layers == result->n_layers && self->result->n_heads == result->n_heads;
  if (result != NULL)
    plm_inference_result_ref (result);
  g_clear_pointer (&self->result, plm_inference_result_unref);
  self->result = result;

  if (result != NULL && !same_shape)
    {
      g_autoptr(GtkStringList) heads = gtk_string_list_new (NULL);

      gtk_string_list_append (heads, _("Mean of all heads"));
      for (int h = 0; h < result->n_heads; h++)
        {
          g_autofree char *name = g_strdup_printf (_("Head %d"), h + 1);
          gtk_string_list_append (heads, name);
        }
      self->updating = TRUE;
      gtk_drop_down_set_model (self->head_dropdown, G_LIST_MODEL (heads));
      gtk_adjustment_configure (self->layer_adjustment, 1, 1, result->n_layers, 1, 1, 0);
      self->updating = FALSE;
      self->layer = 0;
      self->head = -1;
    }
  if (result != NULL && plm_inference_result_is_windowed (result))
    {
      g_autofree char *legend = plm_windowed_readout_legend ();

      plm_heatmap_view_set_readout_func (self->heatmap, windowed_readout, self, NULL);
      gtk_label_set_markup (self->missing_label, legend);
    }
  else
    plm_heatmap_view_set_readout_func (self->heatmap, NULL, NULL, NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->missing_label), result != NULL && plm_inference_result_is_windowed (result));
  sync_controls (self);
  /* a windowed map arrives later: the previous result's map must not stay on show meanwhile */
  if (result != NULL && plm_inference_result_is_windowed (result))
    plm_heatmap_view_set_data (self->heatmap, NULL, 0, 0);
  load_map (self);
  update_hover_label (self, -1, -1);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RESULT]);
}

PlmInferenceResult *
plm_attention_view_get_result (PlmAttentionView *self)
{
  g_return_val_if_fail (PLM_IS_ATTENTION_VIEW (self), NULL);
  return self->result;
}

int
plm_attention_view_get_layer (PlmAttentionView *self)
{
  g_return_val_if_fail (PLM_IS_ATTENTION_VIEW (self), 0);
  return self->layer;
}

int
plm_attention_view_get_head (PlmAttentionView *self)
{
  g_return_val_if_fail (PLM_IS_ATTENTION_VIEW (self), -1);
  return self->head;
}

void
plm_attention_view_step_layer (PlmAttentionView *self,
                               int               delta)
{
  g_return_if_fail (PLM_IS_ATTENTION_VIEW (self));
  plm_attention_view_show (self, self->layer + delta, self->head);
}

void
plm_attention_view_step_head (PlmAttentionView *self,
                              int               delta)
{
  g_return_if_fail (PLM_IS_ATTENTION_VIEW (self));
  plm_attention_view_show (self, self->layer, self->head + delta);
}

void
plm_attention_view_set_color_map (PlmAttentionView *self,
                                  PlmColorMap       map)
{
  g_return_if_fail (PLM_IS_ATTENTION_VIEW (self));

  if (self->color_map == map)
    return;
  self->color_map = map;
  plm_heatmap_view_set_color_map (self->heatmap, map);
  plm_color_bar_set_color_map (self->color_bar, map);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COLOR_MAP]);
}

PlmColorMap
plm_attention_view_get_color_map (PlmAttentionView *self)
{
  g_return_val_if_fail (PLM_IS_ATTENTION_VIEW (self), PLM_COLOR_MAP_VIRIDIS);
  return self->color_map;
}

void
plm_attention_view_set_selection (PlmAttentionView *self,
                                  PlmSelection     *selection)
{
  g_return_if_fail (PLM_IS_ATTENTION_VIEW (self));
  plm_selection_bind (&self->selection, &self->selection_handler, selection,
                      (PlmSelectionChanged) on_selection_changed, self);
}

GtkWidget *
plm_attention_view_get_heatmap (PlmAttentionView *self)
{
  g_return_val_if_fail (PLM_IS_ATTENTION_VIEW (self), NULL);
  return GTK_WIDGET (self->heatmap);
}

int
plm_attention_view_get_highlighted (PlmAttentionView *self)
{
  g_return_val_if_fail (PLM_IS_ATTENTION_VIEW (self), -1);
  return self->highlighted;
}

PlmFigure *
plm_attention_view_create_figure (PlmAttentionView *self,
                                  const char       *record)
{
  PlmInferenceResult *r;
  g_autofree float *map = NULL;
  g_autofree char *letters = NULL;
  PlmFigure *figure;

  g_return_val_if_fail (PLM_IS_ATTENTION_VIEW (self), NULL);

  r = self->result;
  if (r == NULL || r->attention == NULL)
    return NULL;
  map = g_new (float, (gsize) r->n_tokens * r->n_tokens);
  plm_attention_store_copy_map (r->attention, self->layer, self->head, map);
  letters = g_strndup (r->sequence, r->n_residues);
  figure = plm_figure_new (PLM_FIGURE_ATTENTION);
  plm_figure_build_attention (figure, record, self->layer, self->head, r->n_heads, map, r->n_tokens, letters);
  plm_figure_get_style (figure)->color_map = self->color_map;
  plm_figure_get_style (figure)->specials = plm_heatmap_view_get_show_special_tokens (self->heatmap);
  return figure;
}
