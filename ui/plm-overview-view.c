/* plm-overview-view.c: the Overview page: a lazily built grid of pooled thumbnails, sized to the
 * page, and a preview beside or below it. */
#include <glib/gi18n.h>

#include "plm-heatmap-sources.h"
#include "plm-heatmap-thumbnail.h"
#include "plm-heatmap-view.h"
#include "plm-overview-view.h"

#define THUMB_MIN     24    /* below this the maps are unreadable: the grid scrolls instead */
#define THUMB_MAX     160
#define MARGIN        12
#define MEAN_GAP      8     /* the mean column stands apart from the heads */
#define SPACING       2     /* the grids' row and column spacing */
#define PREVIEW_SIDE  320   /* the preview's size beside the grid */
#define PREVIEW_MIN   200   /* and its least size below it */


struct _PlmOverviewView
{
  GtkWidget           parent_instance;

  GtkWidget          *label_scroller;
  GtkGrid            *label_grid;     /* the layer numbers, outside the horizontal scroller */
  GtkWidget          *scroller;
  GtkGrid            *grid;
  GtkLabel           *preview_label;
  PlmHeatmapView     *preview;
  GCancellable       *preview_pending; /* a long protein's preview, pooled in a thread */

  PlmInferenceResult *result;
  PlmColorMap         color_map;
  GPtrArray          *buttons;        /* [n_layers × (n_heads + 1)], column 0 = the mean */
  int                 built_layers;
  int                 built_heads;
  int                 rows_filled;    /* rows 0 … rows_filled − 1 show the current result */
  guint               fill_source;
  gboolean            dirty;          /* the grid does not show the current result yet */
  int                 preview_layer;
  int                 preview_head;
  int                 thumb_size;     /* chosen from the allocation */
  int                 row_height;     /* of a thumbnail button: thumb_size + its padding */
  gboolean            preview_below;
};

G_DEFINE_FINAL_TYPE (PlmOverviewView, plm_overview_view, GTK_TYPE_WIDGET)

enum {
  OPEN_MAP,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
on_button_clicked (PlmOverviewView *self,
                   GtkButton       *button)
{
  int layer = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (button), "layer"));
  int head = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (button), "head"));

  g_signal_emit (self, signals[OPEN_MAP], 0, layer, head);
}

static void
on_button_enter (PlmOverviewView          *self,
                 double                    x,
                 double                    y,
                 GtkEventControllerMotion *motion)
{
  GtkWidget *button = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (motion));

  plm_overview_view_preview (self, GPOINTER_TO_INT (g_object_get_data (G_OBJECT (button), "layer")),
                             GPOINTER_TO_INT (g_object_get_data (G_OBJECT (button), "head")));
}

/* Keyboard users get the preview when a thumbnail takes the focus. */
static void
on_button_focus (PlmOverviewView         *self,
                 GtkEventControllerFocus *focus)
{
  GtkWidget *button = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (focus));

  plm_overview_view_preview (self, GPOINTER_TO_INT (g_object_get_data (G_OBJECT (button), "layer")),
                             GPOINTER_TO_INT (g_object_get_data (G_OBJECT (button), "head")));
}

static GtkWidget *
new_header (const char *text)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_widget_add_css_class (label, "dim-label");
  gtk_widget_add_css_class (label, "caption");
  return label;
}

static GtkWidget *
new_button (PlmOverviewView *self,
            int              layer,
            int              head)
{
  GtkWidget *button = gtk_button_new ();
  GtkWidget *thumbnail = plm_heatmap_thumbnail_new (self->thumb_size);
  GtkEventController *motion = gtk_event_controller_motion_new ();
  GtkEventController *focus = gtk_event_controller_focus_new ();
  g_autofree char *name = head < 0
    ? g_strdup_printf (_("Layer %d, mean of all heads"), layer + 1)
    : g_strdup_printf (_("Layer %d, head %d"), layer + 1, head + 1);

  gtk_button_set_child (GTK_BUTTON (button), thumbnail);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_add_css_class (button, "plm-thumb");
  gtk_widget_set_tooltip_text (button, name);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
  g_object_set_data (G_OBJECT (button), "layer", GINT_TO_POINTER (layer));
  g_object_set_data (G_OBJECT (button), "head", GINT_TO_POINTER (head));
  g_signal_connect_swapped (button, "clicked", G_CALLBACK (on_button_clicked), self);
  g_signal_connect_swapped (motion, "enter", G_CALLBACK (on_button_enter), self);
  g_signal_connect_swapped (focus, "enter", G_CALLBACK (on_button_focus), self);
  gtk_widget_add_controller (button, motion);
  gtk_widget_add_controller (button, focus);
  return button;
}

static void
clear_grid (PlmOverviewView *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->grid))) != NULL)
    gtk_grid_remove (self->grid, child);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->label_grid))) != NULL)
    gtk_grid_remove (self->label_grid, child);
  g_ptr_array_set_size (self->buttons, 0);
  self->built_layers = self->built_heads = 0;
  self->rows_filled = 0;
}

/* Shows the current result's maps in row @l, creating the row's widgets if needed. */
static void
fill_row (PlmOverviewView *self,
          int              l)
{
  PlmInferenceResult *r = self->result;
  int n_heads = r->n_heads;

  if (g_ptr_array_index (self->buttons, (guint) (l * (n_heads + 1))) == NULL)
    {
      g_autofree char *text = g_strdup_printf ("%d", l + 1);
      GtkWidget *label = new_header (text);

      gtk_label_set_xalign (GTK_LABEL (label), 1.0f);
      gtk_widget_set_margin_end (label, 6);
      gtk_widget_set_size_request (label, -1, self->row_height);
      gtk_grid_attach (self->label_grid, label, 0, l + 1, 1, 1);
      for (int h = -1; h < n_heads; h++)
        {
          GtkWidget *button = new_button (self, l, h);

          /* the mean column stands apart from the heads */
          if (h < 0)
            gtk_widget_set_margin_end (button, MEAN_GAP);
          gtk_grid_attach (self->grid, button, h + 1, l + 1, 1, 1);
          g_ptr_array_index (self->buttons, (guint) (l * (n_heads + 1) + h + 1)) = button;
        }
    }

  for (int h = -1; h < n_heads; h++)
    {
      GtkWidget *button = g_ptr_array_index (self->buttons, (guint) (l * (n_heads + 1) + h + 1));
      PlmHeatmapThumbnail *thumbnail = PLM_HEATMAP_THUMBNAIL (gtk_button_get_child (GTK_BUTTON (button)));
      PlmScale scale = { PLM_SCALE_LINEAR, 0.0f, 0.0f };
      int rows, cols;
      float *pooled;

      if (r->thumbnails != NULL)
        {
          gsize cells = (gsize) r->thumbnail_cells * r->thumbnail_cells;

          rows = cols = r->thumbnail_cells;
          pooled = g_memdup2 (r->thumbnails + ((gsize) l * (n_heads + 1) + h + 1) * cells, cells * sizeof (float));
        }
      else
        pooled = plm_attention_store_pool_max (r->attention, l, h, PLM_INFERENCE_THUMBNAIL_CELLS, &rows, &cols);

      /* each map on its own 0…max scale: heads differ by orders of magnitude in sharpness */
      for (int i = 0; i < rows * cols; i++)
        scale.vmax = MAX (scale.vmax, pooled[i]);
      if (scale.vmax <= 0.0f)
        scale.vmax = 1.0f;
      plm_heatmap_thumbnail_set_color_map (thumbnail, self->color_map);
      plm_heatmap_thumbnail_set_scale (thumbnail, &scale);
      plm_heatmap_thumbnail_take_pooled (thumbnail, pooled, rows, cols);
    }
}

/* The rows below the first screenful are filled a few at a time between frames. */
static gboolean
fill_idle (gpointer data)
{
  PlmOverviewView *self = data;

  for (int k = 0; k < 3 && self->rows_filled < self->built_layers; k++)
    fill_row (self, self->rows_filled++);
  if (self->rows_filled < self->built_layers)
    return G_SOURCE_CONTINUE;
  self->fill_source = 0;
  return G_SOURCE_REMOVE;
}

/* Widgets are created once per shape; a new result of the same model only swaps pooled data.
 * Only what the first frame shows is done before returning: 660 buttons cost more than the
 * 1 s the overview may take to open on a loaded machine. */
static void
build (PlmOverviewView *self)
{
  PlmInferenceResult *r = self->result;
  int n_layers, n_heads, first;

  self->dirty = FALSE;
  g_clear_handle_id (&self->fill_source, g_source_remove);
  self->rows_filled = 0;
  if (r == NULL)
    {
      clear_grid (self);
      g_cancellable_cancel (self->preview_pending);
      plm_heatmap_view_set_data (self->preview, NULL, 0, 0);
      return;
    }
  n_layers = r->n_layers;
  n_heads = r->n_heads;
  if (n_layers != self->built_layers || n_heads != self->built_heads)
    {
      clear_grid (self);
      gtk_grid_attach (self->grid, new_header (_("Mean")), 0, 0, 1, 1);
      for (int h = 0; h < n_heads; h++)
        {
          g_autofree char *text = g_strdup_printf ("%d", h + 1);
          gtk_grid_attach (self->grid, new_header (text), h + 1, 0, 1, 1);
        }
      /* as tall as the column numbers, so that the layer numbers line up with their rows */
      gtk_grid_attach (self->label_grid, new_header (" "), 0, 0, 1, 1);
      g_ptr_array_set_size (self->buttons, n_layers * (n_heads + 1));
      self->built_layers = n_layers;
      self->built_heads = n_heads;
    }

  /* a screenful of rows (a thumbnail button is about thumb_size + 6 px tall) */
  first = MIN (n_layers, MAX (4, gtk_widget_get_height (GTK_WIDGET (self)) / (self->thumb_size + 6) + 2));
  while (self->rows_filled < first)
    fill_row (self, self->rows_filled++);
  if (self->rows_filled < n_layers)
    self->fill_source = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, fill_idle, self, NULL);
  self->preview_layer = self->preview_head = G_MININT;
  plm_overview_view_preview (self, 0, -1);
}


/* ---- layout --------------------------------------------------------------------------------- */

/* The largest thumbnail for which @n buttons (each @over px more than its thumbnail) and @fixed
 * px fit into @avail. */
static int
fit (int avail,
     int n,
     int fixed,
     int over)
{
  return n > 0 ? (avail - fixed) / n - over : THUMB_MAX;
}

/* The thumbnail size for a grid area of @width × @height: every head and the mean across when
 * the width allows it, and every layer down when there are few (many scroll instead). */
static int
choose_size (PlmOverviewView *self,
             int              width,
             int              height,
             int              over_x,
             int              header)
{
  int cols = self->built_heads + 1, rows = self->built_layers;
  int sw = fit (width, cols, MEAN_GAP + (cols - 1) * SPACING, over_x);
  int sh = fit (height, rows, header + rows * SPACING, self->row_height - self->thumb_size);

  return CLAMP (sh >= THUMB_MIN ? MIN (sw, sh) : sw, THUMB_MIN, THUMB_MAX);
}

static void
apply_size (PlmOverviewView *self,
            int              size,
            int              row_height)
{
  if (size == self->thumb_size && row_height == self->row_height)
    return;
  self->thumb_size = size;
  self->row_height = row_height;
  for (guint i = 0; i < self->buttons->len; i++)
    {
      GtkWidget *button = g_ptr_array_index (self->buttons, i);

      if (button != NULL)
        plm_heatmap_thumbnail_set_size (PLM_HEATMAP_THUMBNAIL (gtk_button_get_child (GTK_BUTTON (button))), size);
    }
  for (int l = 0; l < self->built_layers; l++)
    {
      GtkWidget *label = gtk_grid_get_child_at (self->label_grid, 0, l + 1);

      if (label != NULL)
        gtk_widget_set_size_request (label, -1, row_height);
    }
}

static int
measure_height (GtkWidget *widget,
                int        for_width)
{
  int min, nat;

  gtk_widget_measure (widget, GTK_ORIENTATION_VERTICAL, for_width, &min, &nat, NULL, NULL);
  return nat;
}

static void
plm_overview_view_measure (GtkWidget      *widget,
                           GtkOrientation  orientation,
                           int             for_size,
                           int            *minimum,
                           int            *natural,
                           int            *minimum_baseline,
                           int            *natural_baseline)
{
  PlmOverviewView *self = PLM_OVERVIEW_VIEW (widget);
  int label_min, label_nat;

  gtk_widget_measure (GTK_WIDGET (self->preview_label), orientation, -1, &label_min, &label_nat, NULL, NULL);
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      /* the preview below a scrolling grid */
      *minimum = 2 * MARGIN + MAX (label_min, PREVIEW_MIN + 40);
      *natural = 2 * MARGIN + 900;
    }
  else
    {
      /* the preview below at least a row of thumbnails */
      *minimum = 2 * MARGIN + 2 * label_min + 6 + PREVIEW_MIN + MARGIN + 60;
      *natural = 2 * MARGIN + label_nat + 6 + PREVIEW_MIN + MARGIN + 400;
    }
}

static void
plm_overview_view_size_allocate (GtkWidget *widget,
                                 int        width,
                                 int        height,
                                 int        baseline)
{
  PlmOverviewView *self = PLM_OVERVIEW_VIEW (widget);
  int iw = MAX (1, width - 2 * MARGIN), ih = MAX (1, height - 2 * MARGIN);
  int label_w, label_h, header = 0, over_x = 4, over_y = 4, side_w;
  int size_side = THUMB_MIN, size_below = THUMB_MIN, size;
  /* a head's button: the mean's has a margin */
  GtkWidget *button = self->buttons->len > 1 ? g_ptr_array_index (self->buttons, 1) : NULL;
  GtkWidget *corner = gtk_widget_get_first_child (GTK_WIDGET (self->label_grid));
  /* below, the preview keeps two fifths of the height when the page allows it */
  int preview_min = MAX (PREVIEW_MIN, MIN (PREVIEW_SIDE, ih * 2 / 5));
  int min, nat;

  gtk_widget_measure (GTK_WIDGET (self->label_grid), GTK_ORIENTATION_HORIZONTAL, -1, &min, &label_w, NULL, NULL);
  if (button != NULL)
    {
      /* what the button's padding and border add to its thumbnail */
      gtk_widget_measure (button, GTK_ORIENTATION_HORIZONTAL, -1, &min, &nat, NULL, NULL);
      over_x = MAX (0, min - self->thumb_size);
      gtk_widget_measure (button, GTK_ORIENTATION_VERTICAL, -1, &min, &nat, NULL, NULL);
      over_y = MAX (0, min - self->thumb_size);
    }
  if (corner != NULL)
    header = measure_height (corner, -1) + SPACING;
  if (self->built_layers > 0)
    self->row_height = self->thumb_size + over_y;

  /* beside the grid, the preview takes PREVIEW_SIDE + a margin from the thumbnails' width;
   * below it, its least height: whichever leaves the larger thumbnails */
  label_h = measure_height (GTK_WIDGET (self->preview_label), iw);
  side_w = iw - PREVIEW_SIDE - MARGIN - label_w;
  if (self->built_layers > 0)
    {
      size_side = choose_size (self, side_w, ih, over_x, header);
      size_below = choose_size (self, iw - label_w, ih - MARGIN - label_h - 6 - preview_min, over_x, header);
    }
  self->preview_below = side_w < 200 || size_below > size_side;
  size = self->preview_below ? size_below : size_side;
  if (self->built_layers > 0)
    apply_size (self, size, size + over_y);

  if (!self->preview_below)
    {
      int grid_w = iw - PREVIEW_SIDE - MARGIN;
      int side_label_h = measure_height (GTK_WIDGET (self->preview_label), PREVIEW_SIDE);

      gtk_widget_size_allocate (self->label_scroller, &(GtkAllocation) { MARGIN, MARGIN, label_w, ih }, -1);
      gtk_widget_size_allocate (self->scroller, &(GtkAllocation) { MARGIN + label_w, MARGIN, MAX (1, grid_w - label_w), ih }, -1);
      gtk_widget_size_allocate (GTK_WIDGET (self->preview_label),
                                &(GtkAllocation) { width - MARGIN - PREVIEW_SIDE, MARGIN, PREVIEW_SIDE, side_label_h }, -1);
      gtk_widget_size_allocate (GTK_WIDGET (self->preview),
                                &(GtkAllocation) { width - MARGIN - PREVIEW_SIDE, MARGIN + side_label_h + 6, PREVIEW_SIDE,
                                                   MAX (1, MIN (PREVIEW_SIDE, ih - side_label_h - 6)) }, -1);
    }
  else
    {
      /* the grid as tall as its rows (or what the preview leaves), the preview the rest */
      int content_h = header + self->built_layers * (self->row_height + SPACING);
      int grid_h = MAX (1, MIN (content_h, ih - MARGIN - label_h - 6 - preview_min));
      int y = MARGIN + grid_h + MARGIN;
      int preview_h = MAX (1, ih - grid_h - MARGIN - label_h - 6);

      gtk_widget_size_allocate (self->label_scroller, &(GtkAllocation) { MARGIN, MARGIN, label_w, grid_h }, -1);
      gtk_widget_size_allocate (self->scroller, &(GtkAllocation) { MARGIN + label_w, MARGIN, MAX (1, iw - label_w), grid_h }, -1);
      gtk_widget_size_allocate (GTK_WIDGET (self->preview_label), &(GtkAllocation) { MARGIN, y, iw, label_h }, -1);
      /* about square: the rulers take 64 px on the left, 34 on top */
      gtk_widget_size_allocate (GTK_WIDGET (self->preview),
                                &(GtkAllocation) { MARGIN, y + label_h + 6, MIN (iw, preview_h + 30), preview_h }, -1);
    }
}

static void
plm_overview_view_map (GtkWidget *widget)
{
  PlmOverviewView *self = PLM_OVERVIEW_VIEW (widget);

  GTK_WIDGET_CLASS (plm_overview_view_parent_class)->map (widget);
  if (self->dirty)
    build (self);
}

static void
plm_overview_view_dispose (GObject *object)
{
  PlmOverviewView *self = PLM_OVERVIEW_VIEW (object);

  g_clear_handle_id (&self->fill_source, g_source_remove);
  g_cancellable_cancel (self->preview_pending);
  g_clear_object (&self->preview_pending);
  gtk_widget_dispose_template (GTK_WIDGET (self), PLM_TYPE_OVERVIEW_VIEW);
  G_OBJECT_CLASS (plm_overview_view_parent_class)->dispose (object);
}

static void
plm_overview_view_finalize (GObject *object)
{
  PlmOverviewView *self = PLM_OVERVIEW_VIEW (object);

  g_clear_pointer (&self->result, plm_inference_result_unref);
  g_clear_pointer (&self->buttons, g_ptr_array_unref);
  G_OBJECT_CLASS (plm_overview_view_parent_class)->finalize (object);
}

static void
plm_overview_view_class_init (PlmOverviewViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = plm_overview_view_dispose;
  object_class->finalize = plm_overview_view_finalize;
  widget_class->map = plm_overview_view_map;
  widget_class->measure = plm_overview_view_measure;
  widget_class->size_allocate = plm_overview_view_size_allocate;

  /* (layer, head) of a clicked thumbnail, head -1 for the mean */
  signals[OPEN_MAP] = g_signal_new ("open-map", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                    0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_INT, G_TYPE_INT);

  g_type_ensure (PLM_TYPE_HEATMAP_VIEW);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/plmlens/PlmLens/ui/plm-overview-view.ui");
  gtk_widget_class_bind_template_child (widget_class, PlmOverviewView, label_scroller);
  gtk_widget_class_bind_template_child (widget_class, PlmOverviewView, label_grid);
  gtk_widget_class_bind_template_child (widget_class, PlmOverviewView, scroller);
  gtk_widget_class_bind_template_child (widget_class, PlmOverviewView, grid);
  gtk_widget_class_bind_template_child (widget_class, PlmOverviewView, preview_label);
  gtk_widget_class_bind_template_child (widget_class, PlmOverviewView, preview);
  gtk_widget_class_set_css_name (widget_class, "plmoverviewview");
}

static void
plm_overview_view_init (PlmOverviewView *self)
{
  self->buttons = g_ptr_array_new ();
  self->thumb_size = 48;
  self->row_height = 48 + 4;
  gtk_widget_init_template (GTK_WIDGET (self));
  /* the layer numbers scroll down with the thumbnails, never sideways */
  gtk_scrolled_window_set_vadjustment (GTK_SCROLLED_WINDOW (self->label_scroller),
                                       gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (self->scroller)));
  plm_heatmap_view_set_show_special_tokens (self->preview, FALSE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->grid), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Attention maps of every layer and head"), -1);
}

GtkWidget *
plm_overview_view_new (void)
{
  return g_object_new (PLM_TYPE_OVERVIEW_VIEW, NULL);
}

void
plm_overview_view_set_result (PlmOverviewView    *self,
                              PlmInferenceResult *result)
{
  g_return_if_fail (PLM_IS_OVERVIEW_VIEW (self));

  if (result != NULL)
    plm_inference_result_ref (result);
  g_clear_pointer (&self->result, plm_inference_result_unref);
  self->result = result;
  self->dirty = TRUE;
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    build (self);
}

void
plm_overview_view_set_color_map (PlmOverviewView *self,
                                 PlmColorMap      map)
{
  g_return_if_fail (PLM_IS_OVERVIEW_VIEW (self));

  self->color_map = map;
  plm_heatmap_view_set_color_map (self->preview, map);
  for (guint i = 0; i < self->buttons->len; i++)
    {
      GtkWidget *button = g_ptr_array_index (self->buttons, i);

      if (button == NULL)
        continue;
      plm_heatmap_thumbnail_set_color_map (PLM_HEATMAP_THUMBNAIL (gtk_button_get_child (GTK_BUTTON (button))), map);
    }
}

GtkWidget *
plm_overview_view_get_button (PlmOverviewView *self,
                              int              layer,
                              int              head)
{
  g_return_val_if_fail (PLM_IS_OVERVIEW_VIEW (self), NULL);

  if (layer < 0 || layer >= self->rows_filled || head < -1 || head >= self->built_heads)
    return NULL;
  return g_ptr_array_index (self->buttons, (guint) (layer * (self->built_heads + 1) + head + 1));
}

/* The preview's labels and scale, once its map is set. */
static void
preview_ready (gpointer data)
{
  PlmOverviewView *self = data;
  PlmScale scale;

  plm_heatmap_view_set_sequence (self->preview, self->result->sequence, 1);
  plm_heatmap_view_fit_scale (self->preview, PLM_SCALE_LINEAR, 0.0, 100.0);
  plm_heatmap_view_get_scale (self->preview, &scale);
  scale.vmin = 0.0f;
  plm_heatmap_view_set_scale (self->preview, &scale);
}

void
plm_overview_view_preview (PlmOverviewView *self,
                           int              layer,
                           int              head)
{
  PlmInferenceResult *r;
  g_autofree char *title = NULL;
  float *values;

  g_return_if_fail (PLM_IS_OVERVIEW_VIEW (self));

  r = self->result;
  if (r == NULL || layer < 0 || layer >= r->n_layers || head < -1 || head >= r->n_heads)
    return;
  if (layer == self->preview_layer && head == self->preview_head)
    return;
  self->preview_layer = layer;
  self->preview_head = head;
  if (plm_heatmap_sources_is_large (r->n_tokens))
    /* pooled in a thread: the previous map stays on show meanwhile */
    plm_heatmap_sources_set_attention_async (self->preview, r, layer, head, &self->preview_pending,
                                             preview_ready, self);
  else
    {
      g_cancellable_cancel (self->preview_pending);
      values = g_new (float, (gsize) r->n_tokens * r->n_tokens);
      plm_attention_store_copy_map (r->attention, layer, head, values);
      plm_heatmap_view_set_data_full (self->preview, values, r->n_tokens, r->n_tokens, g_free);
      preview_ready (self);
    }
  title = head < 0 ? g_strdup_printf (_("Layer %d, mean of all heads"), layer + 1)
                   : g_strdup_printf (_("Layer %d, head %d"), layer + 1, head + 1);
  gtk_label_set_text (self->preview_label, title);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->preview), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
}

GtkWidget *
plm_overview_view_get_preview (PlmOverviewView *self)
{
  g_return_val_if_fail (PLM_IS_OVERVIEW_VIEW (self), NULL);
  return GTK_WIDGET (self->preview);
}

gboolean
plm_overview_view_get_complete (PlmOverviewView *self)
{
  g_return_val_if_fail (PLM_IS_OVERVIEW_VIEW (self), FALSE);
  return !self->dirty && self->result != NULL && self->rows_filled == self->result->n_layers;
}

GtkWidget *
plm_overview_view_get_scroller (PlmOverviewView *self)
{
  g_return_val_if_fail (PLM_IS_OVERVIEW_VIEW (self), NULL);
  return self->scroller;
}

GtkWidget *
plm_overview_view_get_layer_label (PlmOverviewView *self,
                                   int              layer)
{
  g_return_val_if_fail (PLM_IS_OVERVIEW_VIEW (self), NULL);

  if (layer < 0 || layer >= self->rows_filled)
    return NULL;
  return gtk_grid_get_child_at (self->label_grid, 0, layer + 1);
}
