/* plm-mutations-view.c: the Mutations page: variant scores of every substitution at every residue
 * (wild-type marginal from the run, masked marginal from a scan on request), a summary track
 * above the map and the HA view's tracks under it. */
#include <glib/gi18n.h>
#include <math.h>

#include "plm-color-bar.h"
#include "plm-figure-build.h"
#include "plm-heatmap-view.h"
#include "plm-mutations-view.h"
#include "plm-residue-track-area.h"
#include "plm-scan.h"
#include "plm-scan-matrix.h"
#include "plm-tokenizer.h"
#include "plm-variant-scan.h"
#include "plm-weak-ref.h"

#define WILD_TYPE_MARK 0xff1a1a1au   /* a dark disc with a white rim: visible on any score */

static const char *const orders[] = {
  PLM_SCAN_ORDER_HYDROPHOBICITY, PLM_SCAN_ORDER_ALPHABETICAL, PLM_SCAN_AMINO_ACIDS,
};

struct _PlmMutationsView
{
  GtkWidget            parent_instance;

  GtkWidget           *box;
  GtkDropDown         *mode_dropdown;
  GtkDropDown         *order_dropdown;
  GtkDropDown         *summary_dropdown;
  GtkButton           *scan_button;
  GtkProgressBar      *progress_bar;
  GtkButton           *cancel_button;
  GtkLabel            *status_label;
  PlmResidueTrackArea *summary_area;
  PlmHeatmapView      *heatmap;
  PlmColorBar         *color_bar;
  PlmResidueTrackArea *track_area;

  PlmInferenceWorker  *worker;
  PlmInferenceResult  *result;
  GBytes              *masked;          /* [L, vocab] masked-marginal log-probabilities, or NULL */
  GCancellable        *scan_cancellable;
  PlmHaView           *track_source;    /* weak */
  PlmMutationsMode     mode;
  PlmMutationsOrder    order;
  PlmMutationsSummary  summary;
  float               *scores;          /* [20, L] of the shown mode and order */
  float               *summary_values;  /* [L] */
  float                summary_max;     /* largest |value| of the summary */
  PlmScale             scale;
  PlmSelection        *selection;
  gulong               selection_handler;
  int                  highlighted;
  gboolean             updating;
};

G_DEFINE_FINAL_TYPE (PlmMutationsView, plm_mutations_view, GTK_TYPE_WIDGET)

enum {
  SCAN_FINISHED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const char *
mode_name (PlmMutationsMode mode)
{
  /* Translators: the two kinds of variant score, as in the readout "A23G · score −3.2 · masked-marginal" */
  return mode == PLM_MUTATIONS_MASKED_MARGINAL ? _("masked-marginal") : _("wt-marginal");
}

/* "−3.2" with a real minus sign */
static char *
format_score (double v)
{
  return g_strdup_printf ("%s%.1f", v < -0.05 ? "−" : "", fabs (v));
}

static void
compute (PlmMutationsView *self)
{
  PlmInferenceResult *r = self->result;
  const char *order = orders[self->order];
  g_autofree int32_t *tokens = NULL;
  g_autofree PlmHeatmapMark *marks = NULL;
  const float *log_probs;
  int T = 0, L, n_marks = 0;
  float m = 0.0f;

  g_clear_pointer (&self->scores, g_free);
  g_clear_pointer (&self->summary_values, g_free);
  if (r == NULL || r->n_residues < 1 || r->wt_log_probs == NULL)
    {
      plm_heatmap_view_set_data (self->heatmap, NULL, 0, 0);
      gtk_widget_queue_draw (GTK_WIDGET (self->summary_area));
      gtk_widget_queue_draw (GTK_WIDGET (self->track_area));
      return;
    }
  L = r->n_residues;
  log_probs = self->mode == PLM_MUTATIONS_MASKED_MARGINAL && self->masked != NULL
                ? g_bytes_get_data (self->masked, NULL) : r->wt_log_probs;
  tokens = plm_tokenize (r->sequence, &T);
  g_return_if_fail (T == r->n_tokens);
  self->scores = g_new (float, (gsize) 20 * L);
  plm_scan_score_matrix (log_probs, r->vocab_size, tokens, T, order, self->scores);
  self->summary_values = g_new (float, L);
  if (self->summary == PLM_MUTATIONS_SUMMARY_ENTROPY)
    plm_scan_entropies (log_probs, r->vocab_size, L, self->summary_values);
  else
    plm_scan_column_means (self->scores, L, order, r->sequence, self->summary_values);
  self->summary_max = 0.0f;
  for (int i = 0; i < L; i++)
    self->summary_max = MAX (self->summary_max, fabsf (self->summary_values[i]));

  /* symmetric: 0 at the centre of the diverging map */
  for (gsize k = 0; k < (gsize) 20 * L; k++)
    m = MAX (m, fabsf (self->scores[k]));
  self->scale = (PlmScale) { PLM_SCALE_LINEAR, -MAX (m, 1e-3f), MAX (m, 1e-3f) };

  plm_heatmap_view_set_data (self->heatmap, self->scores, 20, L);
  plm_heatmap_view_set_labels (self->heatmap, order, 0, r->sequence, 0);
  /* rows are amino acids, not positions: "I", as the figure labels them, not "1 I" */
  plm_heatmap_view_set_row_letters_only (self->heatmap, TRUE);
  plm_heatmap_view_set_scale (self->heatmap, &self->scale);
  plm_color_bar_set_scale (self->color_bar, &self->scale);
  marks = g_new (PlmHeatmapMark, L);
  for (int i = 0; i < L; i++)
    {
      int row = plm_scan_order_row (order, r->sequence[i]);
      if (row >= 0)
        marks[n_marks++] = (PlmHeatmapMark) { row, i, PLM_HEATMAP_MARK_DISC, WILD_TYPE_MARK };
    }
  plm_heatmap_view_set_marks (self->heatmap, marks, n_marks);
  plm_heatmap_view_set_highlight (self->heatmap, -1, self->highlighted);
  gtk_widget_queue_draw (GTK_WIDGET (self->summary_area));
  gtk_widget_queue_draw (GTK_WIDGET (self->track_area));
}

static void
update_tracks_height (PlmMutationsView *self)
{
  g_autoptr(GArray) tracks = self->track_source != NULL && self->result != NULL
                               ? plm_ha_view_dup_tracks (self->track_source) : NULL;

  gtk_drawing_area_set_content_height (GTK_DRAWING_AREA (self->track_area),
                                       plm_residue_tracks_height (tracks != NULL ? MAX ((int) tracks->len, 1) : 1));
  gtk_widget_queue_draw (GTK_WIDGET (self->track_area));
}

static void
draw_summary (PlmResidueTrackArea *area, cairo_t *cr, int width, int height, double x0, double dx, gpointer data)
{
  PlmMutationsView *self = data;
  gboolean entropy = self->summary == PLM_MUTATIONS_SUMMARY_ENTROPY;
  const uint32_t *lut = plm_color_map_get_lut (PLM_COLOR_MAP_DIVERGING);
  double top = 2, h = height - 4, base, unit;
  GdkRGBA fg;
  int L;

  if (self->summary_values == NULL)
    return;
  L = self->result->n_residues;
  gtk_style_context_get_color (gtk_widget_get_style_context (GTK_WIDGET (area)), &fg);
  /* entropy: bars up from the bottom, 0 … ln 20; mean score: bars from a zero line */
  base = entropy ? top + h : top + h / 2;
  unit = entropy ? h / log (20.0) : (h / 2) / MAX (self->summary_max, 1e-3f);
  for (int i = 0; i < L; i++)
    {
      double v = self->summary_values[i];

      if (entropy)
        cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, 0.55);
      else
        {
          uint32_t c = lut[plm_scale_index (&self->scale, (float) v)];
          cairo_set_source_rgb (cr, ((c >> 16) & 0xff) / 255.0, ((c >> 8) & 0xff) / 255.0, (c & 0xff) / 255.0);
        }
      cairo_rectangle (cr, x0 + (i - 0.5) * dx, v >= 0 ? base - v * unit : base, MAX (dx, 1.0), fabs (v) * unit);
      cairo_fill (cr);
    }
  cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, 0.4);
  cairo_set_line_width (cr, 1.0);
  cairo_move_to (cr, x0 - 0.5 * dx, floor (base) + 0.5);
  cairo_line_to (cr, x0 + (L - 0.5) * dx, floor (base) + 0.5);
  cairo_stroke (cr);
  plm_residue_track_area_draw_label (area, cr, entropy ? _("Entropy") : _("Mean score"), 0, PLM_RESIDUE_TRACK_HEIGHT);
}

static void
draw_tracks (PlmResidueTrackArea *area, cairo_t *cr, int width, int height, double x0, double dx, gpointer data)
{
  PlmMutationsView *self = data;
  g_autoptr(GArray) tracks = NULL;

  if (self->track_source == NULL || self->result == NULL)
    return;
  tracks = plm_ha_view_dup_tracks (self->track_source);
  plm_residue_track_area_draw_tracks (area, cr, 0, x0, dx, tracks);
}

/* "A23G · score −3.2 · masked-marginal" */
static char *
mutation_readout (PlmHeatmapView *heatmap, int row, int col, float value, gpointer data)
{
  PlmMutationsView *self = data;
  g_autofree char *score = format_score (value);
  PlmMutationsMode shown = self->masked != NULL ? self->mode : PLM_MUTATIONS_WT_MARGINAL;

  if (self->result == NULL || col >= self->result->n_residues || row >= 20)
    return NULL;
  /* Translators: wild type, 1-based position and mutant (A23G), the score, the kind of score */
  return g_strdup_printf (_("%c%d%c · score %s · %s"), self->result->sequence[col], col + 1,
                          orders[self->order][row], score, mode_name (shown));
}

static void
set_status (PlmMutationsView *self, const char *text)
{
  gtk_label_set_text (self->status_label, text != NULL ? text : "");
}

static void
show_scanning (PlmMutationsView *self, gboolean scanning)
{
  gtk_widget_set_visible (GTK_WIDGET (self->progress_bar), scanning);
  gtk_widget_set_visible (GTK_WIDGET (self->cancel_button), scanning);
  gtk_widget_set_sensitive (GTK_WIDGET (self->scan_button), !scanning && self->result != NULL && self->masked == NULL);
}

static void
sync_mode_dropdown (PlmMutationsView *self)
{
  self->updating = TRUE;
  gtk_drop_down_set_selected (self->mode_dropdown, self->mode);
  self->updating = FALSE;
}

static void
on_scan_progress (int done, int total, gpointer data)
{
  PlmMutationsView *self = data;
  g_autofree char *text = g_strdup_printf (_("Scanning: %d of %d positions"), done, total);

  gtk_progress_bar_set_fraction (self->progress_bar, total > 0 ? (double) done / total : 0.0);
  set_status (self, text);
}

static void
on_scan_done (GObject *source, GAsyncResult *res, gpointer user_data)
{
  g_autoptr(PlmMutationsView) self = plm_weak_ref_take (user_data);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = plm_variant_scan_finish (PLM_INFERENCE_WORKER (source), res, &error);

  /* gone, or superseded by a newer result (whose own state is shown) */
  if (self == NULL || (bytes == NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) &&
                       self->scan_cancellable == NULL))
    return;
  g_clear_object (&self->scan_cancellable);
  if (bytes != NULL)
    {
      self->masked = g_steal_pointer (&bytes);
      self->mode = PLM_MUTATIONS_MASKED_MARGINAL;
      sync_mode_dropdown (self);
      compute (self);
      set_status (self, _("Masked-marginal scores of every position"));
    }
  else
    {
      if (self->mode == PLM_MUTATIONS_MASKED_MARGINAL)
        {
          self->mode = PLM_MUTATIONS_WT_MARGINAL;
          sync_mode_dropdown (self);
        }
      set_status (self, g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ? _("Scan cancelled") : error->message);
    }
  show_scanning (self, FALSE);
  g_signal_emit (self, signals[SCAN_FINISHED], 0);
}

void
plm_mutations_view_scan (PlmMutationsView *self)
{
  g_return_if_fail (PLM_IS_MUTATIONS_VIEW (self));

  if (self->result == NULL || self->worker == NULL || self->scan_cancellable != NULL || self->masked != NULL)
    return;
  self->scan_cancellable = g_cancellable_new ();
  gtk_progress_bar_set_fraction (self->progress_bar, 0.0);
  set_status (self, _("Waiting for the engine…"));
  show_scanning (self, TRUE);
  plm_variant_scan_async (self->worker, self->result, on_scan_progress, self, self->scan_cancellable,
                          on_scan_done, plm_weak_ref_new (self));
}

void
plm_mutations_view_cancel_scan (PlmMutationsView *self)
{
  g_return_if_fail (PLM_IS_MUTATIONS_VIEW (self));
  if (self->scan_cancellable != NULL)
    g_cancellable_cancel (self->scan_cancellable);
}

gboolean
plm_mutations_view_get_scanning (PlmMutationsView *self)
{
  g_return_val_if_fail (PLM_IS_MUTATIONS_VIEW (self), FALSE);
  return self->scan_cancellable != NULL;
}

/* cancels a running scan, whose callback then finds no cancellable and leaves the view alone */
static void
drop_scan (PlmMutationsView *self)
{
  if (self->scan_cancellable != NULL)
    {
      g_cancellable_cancel (self->scan_cancellable);
      g_clear_object (&self->scan_cancellable);
    }
}

static void
on_mode_selected (PlmMutationsView *self)
{
  if (!self->updating)
    plm_mutations_view_set_mode (self, gtk_drop_down_get_selected (self->mode_dropdown));
}

static void
on_order_selected (PlmMutationsView *self)
{
  plm_mutations_view_set_order (self, gtk_drop_down_get_selected (self->order_dropdown));
}

static void
on_summary_selected (PlmMutationsView *self)
{
  plm_mutations_view_set_summary (self, gtk_drop_down_get_selected (self->summary_dropdown));
}

static void
on_heatmap_hovered (PlmMutationsView *self, int row, int col, PlmHeatmapView *heatmap)
{
  if (self->selection != NULL && col >= 0)
    plm_selection_set_residue (self->selection, col);
}

static void
on_selection_changed (PlmMutationsView *self, GParamSpec *pspec, PlmSelection *selection)
{
  self->highlighted = plm_selection_get_residue (selection);
  plm_heatmap_view_set_highlight (self->heatmap, -1, self->highlighted);
  plm_residue_track_area_set_highlight (self->summary_area, self->highlighted);
  plm_residue_track_area_set_highlight (self->track_area, self->highlighted);
}

/* annotations may have been loaded in the HA view meanwhile */
static void
plm_mutations_view_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (plm_mutations_view_parent_class)->map (widget);
  update_tracks_height (PLM_MUTATIONS_VIEW (widget));
}

static void
plm_mutations_view_dispose (GObject *object)
{
  PlmMutationsView *self = PLM_MUTATIONS_VIEW (object);

  drop_scan (self);
  plm_mutations_view_set_selection (self, NULL);
  g_clear_weak_pointer (&self->track_source);
  gtk_widget_dispose_template (GTK_WIDGET (self), PLM_TYPE_MUTATIONS_VIEW);
  G_OBJECT_CLASS (plm_mutations_view_parent_class)->dispose (object);
}

static void
plm_mutations_view_finalize (GObject *object)
{
  PlmMutationsView *self = PLM_MUTATIONS_VIEW (object);

  g_clear_object (&self->worker);
  g_clear_pointer (&self->result, plm_inference_result_unref);
  g_clear_pointer (&self->masked, g_bytes_unref);
  g_free (self->scores);
  g_free (self->summary_values);
  G_OBJECT_CLASS (plm_mutations_view_parent_class)->finalize (object);
}

static void
plm_mutations_view_class_init (PlmMutationsViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = plm_mutations_view_dispose;
  object_class->finalize = plm_mutations_view_finalize;
  widget_class->map = plm_mutations_view_map;

  signals[SCAN_FINISHED] = g_signal_new ("scan-finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                         0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  g_type_ensure (PLM_TYPE_HEATMAP_VIEW);
  g_type_ensure (PLM_TYPE_COLOR_BAR);
  g_type_ensure (PLM_TYPE_RESIDUE_TRACK_AREA);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/plmlens/PlmLens/ui/plm-mutations-view.ui");
  gtk_widget_class_bind_template_child (widget_class, PlmMutationsView, box);
  gtk_widget_class_bind_template_child (widget_class, PlmMutationsView, mode_dropdown);
  gtk_widget_class_bind_template_child (widget_class, PlmMutationsView, order_dropdown);
  gtk_widget_class_bind_template_child (widget_class, PlmMutationsView, summary_dropdown);
  gtk_widget_class_bind_template_child (widget_class, PlmMutationsView, scan_button);
  gtk_widget_class_bind_template_child (widget_class, PlmMutationsView, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, PlmMutationsView, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, PlmMutationsView, status_label);
  gtk_widget_class_bind_template_child (widget_class, PlmMutationsView, summary_area);
  gtk_widget_class_bind_template_child (widget_class, PlmMutationsView, heatmap);
  gtk_widget_class_bind_template_child (widget_class, PlmMutationsView, color_bar);
  gtk_widget_class_bind_template_child (widget_class, PlmMutationsView, track_area);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "plmmutationsview");
}

static void
plm_mutations_view_init (PlmMutationsView *self)
{
  self->highlighted = -1;
  gtk_widget_init_template (GTK_WIDGET (self));
  plm_heatmap_view_set_color_map (self->heatmap, PLM_COLOR_MAP_DIVERGING);
  plm_color_bar_set_color_map (self->color_bar, PLM_COLOR_MAP_DIVERGING);
  plm_residue_track_area_set_heatmap (self->summary_area, self->heatmap);
  plm_residue_track_area_set_draw_func (self->summary_area, draw_summary, self);
  plm_residue_track_area_set_heatmap (self->track_area, self->heatmap);
  plm_residue_track_area_set_draw_func (self->track_area, draw_tracks, self);
  plm_heatmap_view_set_readout_func (self->heatmap, mutation_readout, self, NULL);
  g_signal_connect_swapped (self->mode_dropdown, "notify::selected", G_CALLBACK (on_mode_selected), self);
  g_signal_connect_swapped (self->order_dropdown, "notify::selected", G_CALLBACK (on_order_selected), self);
  g_signal_connect_swapped (self->summary_dropdown, "notify::selected", G_CALLBACK (on_summary_selected), self);
  g_signal_connect_swapped (self->scan_button, "clicked", G_CALLBACK (plm_mutations_view_scan), self);
  g_signal_connect_swapped (self->cancel_button, "clicked", G_CALLBACK (plm_mutations_view_cancel_scan), self);
  g_signal_connect_swapped (self->heatmap, "hovered", G_CALLBACK (on_heatmap_hovered), self);
  g_signal_connect_swapped (self->heatmap, "selected", G_CALLBACK (on_heatmap_hovered), self);
  gtk_widget_set_sensitive (GTK_WIDGET (self->scan_button), FALSE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->heatmap), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Score of every substitution at every residue"), -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->summary_area), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Per-residue summary of the scores"), -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->track_area), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("HA-site and annotation tracks"), -1);
}

GtkWidget *
plm_mutations_view_new (void)
{
  return g_object_new (PLM_TYPE_MUTATIONS_VIEW, NULL);
}

void
plm_mutations_view_set_worker (PlmMutationsView *self, PlmInferenceWorker *worker)
{
  g_return_if_fail (PLM_IS_MUTATIONS_VIEW (self));
  g_set_object (&self->worker, worker);
}

void
plm_mutations_view_set_result (PlmMutationsView *self, PlmInferenceResult *result)
{
  g_return_if_fail (PLM_IS_MUTATIONS_VIEW (self));

  drop_scan (self);
  if (result != NULL)
    plm_inference_result_ref (result);
  g_clear_pointer (&self->result, plm_inference_result_unref);
  self->result = result;
  g_clear_pointer (&self->masked, g_bytes_unref);
  if (result != NULL && self->worker != NULL)
    self->masked = plm_variant_scan_lookup (self->worker, result);
  if (self->mode == PLM_MUTATIONS_MASKED_MARGINAL && self->masked == NULL)
    {
      self->mode = PLM_MUTATIONS_WT_MARGINAL;
      sync_mode_dropdown (self);
    }
  set_status (self, self->masked != NULL ? _("Masked-marginal scores of every position") : NULL);
  show_scanning (self, FALSE);
  compute (self);
  update_tracks_height (self);
}

void
plm_mutations_view_set_track_source (PlmMutationsView *self, PlmHaView *ha_view)
{
  g_return_if_fail (PLM_IS_MUTATIONS_VIEW (self));
  g_set_weak_pointer (&self->track_source, ha_view);
  update_tracks_height (self);
}

void
plm_mutations_view_set_color_map (PlmMutationsView *self, PlmColorMap map)
{
  g_return_if_fail (PLM_IS_MUTATIONS_VIEW (self));
  /* the sign is the message: always the diverging map (see the header) */
}

void
plm_mutations_view_set_selection (PlmMutationsView *self, PlmSelection *selection)
{
  g_return_if_fail (PLM_IS_MUTATIONS_VIEW (self));
  plm_selection_bind (&self->selection, &self->selection_handler, selection,
                      (PlmSelectionChanged) on_selection_changed, self);
}

int
plm_mutations_view_get_highlighted (PlmMutationsView *self)
{
  g_return_val_if_fail (PLM_IS_MUTATIONS_VIEW (self), -1);
  return self->highlighted;
}

void
plm_mutations_view_set_mode (PlmMutationsView *self, PlmMutationsMode mode)
{
  g_return_if_fail (PLM_IS_MUTATIONS_VIEW (self));
  self->mode = mode;
  sync_mode_dropdown (self);
  if (mode == PLM_MUTATIONS_MASKED_MARGINAL && self->masked == NULL)
    plm_mutations_view_scan (self);   /* shown when it has finished */
  else
    compute (self);
}

PlmMutationsMode
plm_mutations_view_get_mode (PlmMutationsView *self)
{
  g_return_val_if_fail (PLM_IS_MUTATIONS_VIEW (self), PLM_MUTATIONS_WT_MARGINAL);
  return self->mode;
}

void
plm_mutations_view_set_order (PlmMutationsView *self, PlmMutationsOrder order)
{
  g_return_if_fail (PLM_IS_MUTATIONS_VIEW (self));
  self->order = CLAMP ((int) order, 0, (int) G_N_ELEMENTS (orders) - 1);
  if (gtk_drop_down_get_selected (self->order_dropdown) != (guint) self->order)
    gtk_drop_down_set_selected (self->order_dropdown, self->order);
  compute (self);
}

const char *
plm_mutations_view_get_order_letters (PlmMutationsView *self)
{
  g_return_val_if_fail (PLM_IS_MUTATIONS_VIEW (self), NULL);
  return orders[self->order];
}

void
plm_mutations_view_set_summary (PlmMutationsView *self, PlmMutationsSummary summary)
{
  g_return_if_fail (PLM_IS_MUTATIONS_VIEW (self));
  self->summary = summary == PLM_MUTATIONS_SUMMARY_ENTROPY ? summary : PLM_MUTATIONS_SUMMARY_MEAN;
  if (gtk_drop_down_get_selected (self->summary_dropdown) != (guint) self->summary)
    gtk_drop_down_set_selected (self->summary_dropdown, self->summary);
  compute (self);
}

const float *
plm_mutations_view_get_summary_values (PlmMutationsView *self)
{
  g_return_val_if_fail (PLM_IS_MUTATIONS_VIEW (self), NULL);
  return self->summary_values;
}

const float *
plm_mutations_view_get_masked_log_probs (PlmMutationsView *self)
{
  g_return_val_if_fail (PLM_IS_MUTATIONS_VIEW (self), NULL);
  return self->masked != NULL ? g_bytes_get_data (self->masked, NULL) : NULL;
}

const char *
plm_mutations_view_get_status (PlmMutationsView *self)
{
  g_return_val_if_fail (PLM_IS_MUTATIONS_VIEW (self), NULL);
  return gtk_label_get_text (self->status_label);
}

GtkWidget *
plm_mutations_view_get_heatmap (PlmMutationsView *self)
{
  g_return_val_if_fail (PLM_IS_MUTATIONS_VIEW (self), NULL);
  return GTK_WIDGET (self->heatmap);
}

PlmFigure *
plm_mutations_view_create_figure (PlmMutationsView *self, const char *record)
{
  PlmMutationsMode shown;
  PlmFigure *figure;

  g_return_val_if_fail (PLM_IS_MUTATIONS_VIEW (self), NULL);
  if (self->scores == NULL)
    return NULL;
  shown = self->masked != NULL ? self->mode : PLM_MUTATIONS_WT_MARGINAL;
  figure = plm_figure_new (PLM_FIGURE_MUTATIONS);
  plm_figure_build_mutations (figure, record, self->scores, self->result->n_residues, orders[self->order],
                              self->result->sequence,
                              shown == PLM_MUTATIONS_MASKED_MARGINAL ? "masked-marginal" : "wt-marginal");
  /* the summary and the tracks on screen; the HA view's first track is its HA sites */
  {
    g_autoptr(GArray) tracks = self->track_source != NULL ? plm_ha_view_dup_tracks (self->track_source) : NULL;
    int n = tracks != NULL ? (int) tracks->len : 0;
    g_autofree PlmFigureTrack *ft = g_new0 (PlmFigureTrack, MAX (n, 1));
    g_autoptr(GPtrArray) arrays = g_ptr_array_new_with_free_func (g_free);
    g_autofree int *sites = NULL;
    int n_sites = -1;

    for (int t = 0; t < n; t++)
      {
        const PlmResidueTrack *track = &g_array_index (tracks, PlmResidueTrack, t);
        int k = (int) track->ranges->len / 2;
        int *start = g_new (int, MAX (k, 1)), *end = g_new (int, MAX (k, 1));

        for (int r = 0; r < k; r++)
          {
            start[r] = g_array_index (track->ranges, int, 2 * r);
            end[r] = g_array_index (track->ranges, int, 2 * r + 1);
          }
        g_ptr_array_add (arrays, start);
        g_ptr_array_add (arrays, end);
        ft[t] = (PlmFigureTrack) { track->title, k, start, end };
      }
    if (n > 0)
      {
        sites = g_memdup2 (ft[0].start, sizeof (int) * MAX (ft[0].n, 1));
        n_sites = ft[0].n;
      }
    plm_figure_set_residue_tracks (figure, self->summary_values, self->result->n_residues,
                                   self->summary == PLM_MUTATIONS_SUMMARY_ENTROPY ? _("Entropy") : _("Mean score"),
                                   sites, n_sites, n > 1 ? ft + 1 : NULL, MAX (n - 1, 0));
  }
  return figure;
}
