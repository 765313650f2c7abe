/* plm-pair-view.c: the Pair page: NM-head cross-attention of a positive and a negative pair side by
 * side, with each chain's most attended residues marked on both sequence tracks. */
#include <glib/gi18n.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "plm-figure-build.h"
#include "plm-compute.h"
#include "plm-error.h"
#include "plm-file-chooser.h"
#include "plm-color-bar.h"
#include "plm-heatmap-view.h"
#include "plm-nm-train.h"
#include "plm-pair-view.h"
#include "plm-weak-ref.h"

typedef struct {
  char    *seq_a, *seq_b;
  float   *matrix;        /* [La, Lb] A's residues (queries) over B's residues (keys) */
  int      la, lb;
  int      top[2][PLM_PAIR_TOP_K];
  int      n_top[2];
  float    probs[16];     /* the head's class probabilities for the pair */
  int      n_classes;
} PairSlot;

/* The loaded head, shared with a computation still running in a thread when another is loaded. */
typedef struct {
  PlmNmHead *head;
} HeadRef;

static void
head_ref_clear (gpointer data)
{
  plm_nm_head_free (((HeadRef *) data)->head);
}

static void
head_ref_unref (HeadRef *ref)
{
  g_rc_box_release_full (ref, head_ref_clear);
}

/* One Compute: the four embedded chains in, both slots out (filled in a worker thread). */
typedef struct {
  HeadRef            *head;
  PlmInferenceResult *chains[4];
  PairSlot            slots[2];
} PairJob;

struct _PlmPairView
{
  GtkWidget           parent_instance;

  GtkWidget          *box;
  GtkButton          *head_button;
  GtkLabel           *head_label;
  GtkButton          *compute_button;
  GtkEntry           *pos_a_entry;
  GtkEntry           *pos_b_entry;
  GtkEntry           *neg_a_entry;
  GtkEntry           *neg_b_entry;
  GtkLabel           *status_label;
  PlmHeatmapView     *pos_heatmap;
  PlmHeatmapView     *neg_heatmap;
  GtkDrawingArea     *pos_tracks;
  GtkDrawingArea     *neg_tracks;
  GtkLabel           *pos_prediction;
  GtkLabel           *neg_prediction;
  PlmColorBar        *color_bar;

  PlmInferenceWorker *worker;
  HeadRef            *head;
  PairSlot            slots[2];
  /* the four chains being embedded: pos A, pos B, neg A, neg B */
  char               *pending[4];
  PlmInferenceResult *embedded[4];
  int                 next;
  GCancellable       *cancellable;
};

G_DEFINE_FINAL_TYPE (PlmPairView, plm_pair_view, GTK_TYPE_WIDGET)

enum {
  COMPUTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
slot_clear (PairSlot *slot)
{
  g_clear_pointer (&slot->seq_a, g_free);
  g_clear_pointer (&slot->seq_b, g_free);
  g_clear_pointer (&slot->matrix, g_free);
  slot->la = slot->lb = 0;
  slot->n_top[0] = slot->n_top[1] = 0;
}

static void
pair_job_free (gpointer data)
{
  PairJob *job = data;

  g_clear_pointer (&job->head, head_ref_unref);
  for (int i = 0; i < 4; i++)
    g_clear_pointer (&job->chains[i], plm_inference_result_unref);
  for (int s = 0; s < 2; s++)
    slot_clear (&job->slots[s]);
  g_free (job);
}

static void
draw_sequence_track (cairo_t    *cr,
                     GtkWidget  *widget,
                     const char *title,
                     const char *seq,
                     int         length,
                     const int  *top,
                     int         n_top,
                     const GdkRGBA *color,
                     double      y,
                     double      width)
{
  double x0 = 70, w = width - x0 - 4, dx = length > 0 ? w / length : 0;
  GdkRGBA fg;

  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &fg);
  {
    g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (widget, title);
    gdk_cairo_set_source_rgba (cr, &fg);
    cairo_move_to (cr, 0, y);
    pango_cairo_show_layout (cr, layout);
  }
  cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, 0.25);
  cairo_rectangle (cr, x0, y + 6, w, 4);
  cairo_fill (cr);
  /* markers first, then the labels left to right, each from its marker's left edge, kept inside
   * the track; a label that would touch the previous one is left out (its marker stays) */
  int order[PLM_PAIR_TOP_K];
  double last_end = -G_MAXDOUBLE;

  n_top = MIN (n_top, PLM_PAIR_TOP_K);
  for (int k = 0; k < n_top; k++)
    {
      double x = x0 + (top[k] + 0.5) * dx;

      gdk_cairo_set_source_rgba (cr, color);
      cairo_rectangle (cr, x - MAX (dx, 3) / 2, y + 2, MAX (dx, 3), 12);
      cairo_fill (cr);
      order[k] = k;
    }
  for (int a = 1; a < n_top; a++)
    for (int b = a; b > 0 && top[order[b]] < top[order[b - 1]]; b--)
      {
        int t = order[b];

        order[b] = order[b - 1];
        order[b - 1] = t;
      }
  gdk_cairo_set_source_rgba (cr, &fg);
  for (int k = 0; k < n_top; k++)
    {
      int r = top[order[k]];
      g_autofree char *label = g_strdup_printf ("%c%d", seq[r], r + 1);
      g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (widget, label);
      int lw, lh;
      double lx;

      pango_layout_get_pixel_size (layout, &lw, &lh);
      lx = CLAMP (x0 + (r + 0.5) * dx - MAX (dx, 3) / 2, x0, width - lw - 1);
      if (lx < last_end + 4)
        continue;
      cairo_move_to (cr, lx, y + 12);
      pango_cairo_show_layout (cr, layout);
      last_end = lx + lw;
    }
}

static void
draw_tracks (GtkDrawingArea *area,
             cairo_t        *cr,
             int             width,
             int             height,
             gpointer        data)
{
  PlmPairView *self = g_object_get_data (G_OBJECT (area), "view");
  PairSlot *slot = &self->slots[GPOINTER_TO_INT (data)];
  static const GdkRGBA a_color = { 0.89f, 0.10f, 0.11f, 1.0f }, b_color = { 0.22f, 0.49f, 0.72f, 1.0f };

  if (slot->matrix == NULL)
    return;
  draw_sequence_track (cr, GTK_WIDGET (area), _("Chain A"), slot->seq_a, slot->la, slot->top[0], slot->n_top[0],
                       &a_color, 0, width);
  draw_sequence_track (cr, GTK_WIDGET (area), _("Chain B"), slot->seq_b, slot->lb, slot->top[1], slot->n_top[1],
                       &b_color, 28, width);
}

/* Both directions of cross-attention between @a and @b under @head: BLAS, so in a worker thread. */
static void
compute_slot (PairSlot                 *slot,
              PlmNmHead                *head,
              const PlmInferenceResult *a,
              const PlmInferenceResult *b)
{
  int ta = a->n_tokens, tb = b->n_tokens;
  g_autofree float *p_ab = g_new (float, (gsize) ta * tb);
  g_autofree float *p_ba = g_new (float, (gsize) tb * ta);

  plm_nm_head_cross_attention (head, a->embeddings, ta, b->embeddings, tb, p_ab);
  plm_nm_head_cross_attention (head, b->embeddings, tb, a->embeddings, ta, p_ba);
  slot->seq_a = g_strdup (a->sequence);
  slot->seq_b = g_strdup (b->sequence);
  slot->la = ta - 2;
  slot->lb = tb - 2;
  /* residues only: <cls>/<eos> rows and columns dropped, as the CLI writes the matrix */
  slot->matrix = plm_nm_residue_block (p_ab, ta, tb);
  /* B's residues attended by A, A's residues attended by B (as `plmlens-cli crossattn`) */
  slot->n_top[1] = plm_nm_rank_keys (p_ab, ta, tb, PLM_PAIR_TOP_K, slot->top[1], NULL);
  slot->n_top[0] = plm_nm_rank_keys (p_ba, tb, ta, PLM_PAIR_TOP_K, slot->top[0], NULL);

  /* the prediction itself: softmax of the head's logits for (a, b) */
  {
    int C = plm_nm_head_get_config (head)->n_classes;
    PlmNmGroup g = { .a = a->embeddings, .len_a = ta, .b = b->embeddings, .len_b = tb, .label = 0 };
    PlmNmLossParts parts = { 0 };
    g_autofree float *logits = g_new0 (float, MAX (C, 1));
    float top = -G_MAXFLOAT;
    double sum = 0;

    slot->n_classes = 0;
    if (C < 1 || C > (int) G_N_ELEMENTS (slot->probs))
      return;
    plm_nm_head_group (head, &g, 0, 0, FALSE, logits, &parts);
    for (int c = 0; c < C; c++)
      top = MAX (top, logits[c]);
    for (int c = 0; c < C; c++)
      sum += slot->probs[c] = expf (logits[c] - top);
    for (int c = 0; c < C; c++)
      slot->probs[c] = (float) (slot->probs[c] / sum);
    slot->n_classes = C;
  }
}

/* "P(interaction) 0.93 · interacting" for a binary head, else the most probable class. */
static char *
prediction_text (const PairSlot *slot)
{
  int best = 0;

  if (slot->n_classes < 1)
    return g_strdup ("");
  for (int c = 1; c < slot->n_classes; c++)
    if (slot->probs[c] > slot->probs[best])
      best = c;
  if (slot->n_classes == 2)
    /* Translators: the head's predicted probability that the two chains interact, and its verdict */
    return g_strdup_printf (_("P(interaction) %.2f · %s"), slot->probs[1],
                            best == 1 ? _("interacting") : _("not interacting"));
  /* Translators: the most probable class of a multi-class head and its probability */
  return g_strdup_printf (_("Class %d · probability %.2f"), best, slot->probs[best]);
}

static void
pair_job_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  PairJob *job = task_data;
  GError *error = NULL;
  g_autoptr(PlmComputeLease) lease = plm_compute_acquire (0, cancellable, &error);

  if (lease == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  for (int s = 0; s < 2 && !g_cancellable_is_cancelled (cancellable); s++)
    compute_slot (&job->slots[s], job->head->head, job->chains[2 * s], job->chains[2 * s + 1]);
  g_task_return_boolean (task, TRUE);
}

static void
show_slot (PlmPairView *self,
           int          slot_index,
           PairSlot    *computed)
{
  PairSlot *slot = &self->slots[slot_index];
  PlmHeatmapView *heatmap = slot_index == 0 ? self->pos_heatmap : self->neg_heatmap;
  g_autofree char *prediction = NULL;

  slot_clear (slot);
  *slot = *computed;
  memset (computed, 0, sizeof *computed);
  plm_heatmap_view_set_data (heatmap, slot->matrix, slot->la, slot->lb);
  plm_heatmap_view_set_labels (heatmap, slot->seq_a, 0, slot->seq_b, 0);
  prediction = prediction_text (slot);
  gtk_label_set_text (slot_index == 0 ? self->pos_prediction : self->neg_prediction, prediction);
  /* shown once there is something to show: before, the maps get their height */
  gtk_widget_set_visible (GTK_WIDGET (slot_index == 0 ? self->pos_prediction : self->neg_prediction), TRUE);
  gtk_widget_set_visible (GTK_WIDGET (slot_index == 0 ? self->pos_tracks : self->neg_tracks), TRUE);
  gtk_widget_queue_draw (GTK_WIDGET (slot_index == 0 ? self->pos_tracks : self->neg_tracks));
}

static void
on_pair_computed (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(PlmPairView) self = plm_weak_ref_take (user_data);
  PairJob *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;

  /* gone, or cancelled: by dispose, or a newer Compute owns the button and the status now */
  if (!g_task_propagate_boolean (G_TASK (result), &error) || self == NULL)
    return;
  for (int s = 0; s < 2; s++)
    show_slot (self, s, &job->slots[s]);
  /* one colour scale for both maps, with one colour bar, as the exported figure */
  {
    PlmScale scale = { PLM_SCALE_LINEAR, 0.0f, 0.0f };

    for (int s = 0; s < 2; s++)
      for (int i = 0; i < self->slots[s].la * self->slots[s].lb; i++)
        scale.vmax = MAX (scale.vmax, self->slots[s].matrix[i]);
    if (scale.vmax <= 0.0f)
      scale.vmax = 1.0f;
    plm_heatmap_view_set_scale (self->pos_heatmap, &scale);
    plm_heatmap_view_set_scale (self->neg_heatmap, &scale);
    plm_color_bar_set_scale (self->color_bar, &scale);
  }
  gtk_label_set_text (self->status_label, _("Rows: chain A residues; columns: chain B residues. Marked: the residues each chain attends to most."));
  gtk_widget_set_sensitive (GTK_WIDGET (self->compute_button), TRUE);
  g_signal_emit (self, signals[COMPUTED], 0);
}

static void run_next (PlmPairView *self);

static void
on_chain_embedded (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  PlmInferenceResult *r = plm_inference_worker_run_finish (PLM_INFERENCE_WORKER (object), result, &error);
  g_autoptr(PlmPairView) self = plm_weak_ref_take (user_data);

  if (self == NULL)
    {
      g_clear_pointer (&r, plm_inference_result_unref);
      return;
    }
  if (r == NULL)
    {
      /* cancelled: by dispose, or a newer Compute owns the button and the status now */
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
          || g_error_matches (error, PLM_ERROR, PLM_ERROR_CANCELLED))
        return;
      gtk_label_set_text (self->status_label, error->message);
      gtk_widget_set_sensitive (GTK_WIDGET (self->compute_button), TRUE);
      return;
    }
  self->embedded[self->next++] = r;
  run_next (self);
}

static void
run_next (PlmPairView *self)
{
  g_autofree char *status = NULL;

  while (self->next < 4)
    {
      PlmInferenceResult *cached = plm_inference_worker_lookup (self->worker, self->pending[self->next]);

      if (cached == NULL)
        break;
      self->embedded[self->next++] = cached;
    }
  if (self->next < 4)
    {
      /* Translators: the pair view embeds four chains one after another */
      status = g_strdup_printf (_("Embedding chain %d of 4…"), self->next + 1);
      gtk_label_set_text (self->status_label, status);
      plm_inference_worker_run_async (self->worker, self->pending[self->next], NULL, NULL, self->cancellable,
                                      on_chain_embedded, plm_weak_ref_new (self));
      return;
    }
  for (int s = 0; s < 2; s++)
    {
      if (self->embedded[2 * s]->d_model != plm_nm_head_get_config (self->head->head)->d_model)
        {
          status = g_strdup_printf (_("The head expects width %d, the model has %d."),
                                    plm_nm_head_get_config (self->head->head)->d_model, self->embedded[2 * s]->d_model);
          gtk_label_set_text (self->status_label, status);
          gtk_widget_set_sensitive (GTK_WIDGET (self->compute_button), TRUE);
          return;
        }
    }
  {
    /* no source object: the task must not keep a closed window's view alive */
    g_autoptr(GTask) task = g_task_new (NULL, self->cancellable, on_pair_computed, plm_weak_ref_new (self));
    PairJob *job = g_new0 (PairJob, 1);

    job->head = g_rc_box_acquire (self->head);
    for (int i = 0; i < 4; i++)
      job->chains[i] = plm_inference_result_ref (self->embedded[i]);
    g_task_set_task_data (task, job, pair_job_free);
    g_task_set_source_tag (task, run_next);
    gtk_label_set_text (self->status_label, _("Computing the cross-attention…"));
    g_task_run_in_thread (task, pair_job_thread);
  }
}

void
plm_pair_view_compute (PlmPairView *self)
{
  GtkEntry *entries[4] = { self->pos_a_entry, self->pos_b_entry, self->neg_a_entry, self->neg_b_entry };

  g_return_if_fail (PLM_IS_PAIR_VIEW (self));

  if (self->head == NULL)
    {
      gtk_label_set_text (self->status_label, _("Load a head first."));
      return;
    }
  if (self->worker == NULL || plm_inference_worker_get_model (self->worker) == NULL)
    {
      gtk_label_set_text (self->status_label, _("Load a model first."));
      return;
    }
  for (int i = 0; i < 4; i++)
    {
      g_autofree char *text = g_ascii_strup (gtk_editable_get_text (GTK_EDITABLE (entries[i])), -1);

      g_strstrip (text);
      if (text[0] == '\0')
        {
          gtk_label_set_text (self->status_label, _("Enter the residues of all four chains."));
          gtk_widget_grab_focus (GTK_WIDGET (entries[i]));
          return;
        }
      g_free (self->pending[i]);
      self->pending[i] = g_steal_pointer (&text);
      g_clear_pointer (&self->embedded[i], plm_inference_result_unref);
    }
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->next = 0;
  gtk_widget_set_sensitive (GTK_WIDGET (self->compute_button), FALSE);
  run_next (self);
}

gboolean
plm_pair_view_load_head (PlmPairView *self,
                         const char  *path,
                         GError     **error)
{
  PlmNmHead *head;
  g_autofree char *name = NULL;

  g_return_val_if_fail (PLM_IS_PAIR_VIEW (self), FALSE);

  head = plm_nm_head_load (path, NULL, error);
  if (head == NULL)
    return FALSE;
  if (plm_nm_head_get_config (head)->kind != PLM_NM_HEAD_ATTENTION)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, _("%s: an MLP head has no attention"), path);
      plm_nm_head_free (head);
      return FALSE;
    }
  g_clear_pointer (&self->head, head_ref_unref);
  self->head = g_rc_box_new0 (HeadRef);
  self->head->head = head;
  name = g_path_get_basename (path);
  gtk_label_set_text (self->head_label, name);
  /* a "Load a head first." from an earlier Compute is answered now */
  gtk_label_set_text (self->status_label, "");
  return TRUE;
}

static void
on_head_clicked (PlmPairView *self)
{
  plm_choose_file_to_load (GTK_WIDGET (self), _("Load a Head"), NULL, NULL, (PlmLoadFunc) plm_pair_view_load_head,
                           self->status_label);
}

static void
plm_pair_view_dispose (GObject *object)
{
  PlmPairView *self = PLM_PAIR_VIEW (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->worker);
  gtk_widget_dispose_template (GTK_WIDGET (self), PLM_TYPE_PAIR_VIEW);
  G_OBJECT_CLASS (plm_pair_view_parent_class)->dispose (object);
}

static void
plm_pair_view_finalize (GObject *object)
{
  PlmPairView *self = PLM_PAIR_VIEW (object);

  for (int s = 0; s < 2; s++)
    slot_clear (&self->slots[s]);
  for (int i = 0; i < 4; i++)
    {
      g_free (self->pending[i]);
      g_clear_pointer (&self->embedded[i], plm_inference_result_unref);
    }
  g_clear_pointer (&self->head, head_ref_unref);
  G_OBJECT_CLASS (plm_pair_view_parent_class)->finalize (object);
}

static void
plm_pair_view_class_init (PlmPairViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = plm_pair_view_dispose;
  object_class->finalize = plm_pair_view_finalize;

  signals[COMPUTED] = g_signal_new ("computed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                    0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  g_type_ensure (PLM_TYPE_HEATMAP_VIEW);
  g_type_ensure (PLM_TYPE_COLOR_BAR);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/plmlens/PlmLens/ui/plm-pair-view.ui");
  gtk_widget_class_bind_template_child (widget_class, PlmPairView, box);
  gtk_widget_class_bind_template_child (widget_class, PlmPairView, head_button);
  gtk_widget_class_bind_template_child (widget_class, PlmPairView, head_label);
  gtk_widget_class_bind_template_child (widget_class, PlmPairView, compute_button);
  gtk_widget_class_bind_template_child (widget_class, PlmPairView, pos_a_entry);
  gtk_widget_class_bind_template_child (widget_class, PlmPairView, pos_b_entry);
  gtk_widget_class_bind_template_child (widget_class, PlmPairView, neg_a_entry);
  gtk_widget_class_bind_template_child (widget_class, PlmPairView, neg_b_entry);
  gtk_widget_class_bind_template_child (widget_class, PlmPairView, status_label);
  gtk_widget_class_bind_template_child (widget_class, PlmPairView, pos_heatmap);
  gtk_widget_class_bind_template_child (widget_class, PlmPairView, neg_heatmap);
  gtk_widget_class_bind_template_child (widget_class, PlmPairView, pos_tracks);
  gtk_widget_class_bind_template_child (widget_class, PlmPairView, neg_tracks);
  gtk_widget_class_bind_template_child (widget_class, PlmPairView, pos_prediction);
  gtk_widget_class_bind_template_child (widget_class, PlmPairView, neg_prediction);
  gtk_widget_class_bind_template_child (widget_class, PlmPairView, color_bar);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "plmpairview");
}

/* "A: K12 · B: L14 · 0.031" */
static char *
pair_readout (PlmHeatmapView *heatmap,
              int             row,
              int             col,
              float           value,
              gpointer        data)
{
  g_autofree char *a = plm_heatmap_view_dup_label (heatmap, TRUE, row);
  g_autofree char *b = plm_heatmap_view_dup_label (heatmap, FALSE, col);

  /* Translators: a residue of chain A, one of chain B, and the cross-attention between them */
  return g_strdup_printf (_("A: %s · B: %s · %.3g"), a, b, value);
}

/* The prediction labels, for tests. */
const char *
plm_pair_view_get_prediction (PlmPairView *self,
                              int          slot)
{
  g_return_val_if_fail (PLM_IS_PAIR_VIEW (self) && (slot == 0 || slot == 1), NULL);
  return gtk_label_get_text (slot == 0 ? self->pos_prediction : self->neg_prediction);
}

static void
plm_pair_view_init (PlmPairView *self)
{
  static const struct { const char *name; } entries[] = { { N_("Positive pair, chain A") }, { N_("Positive pair, chain B") },
                                                           { N_("Negative pair, chain A") }, { N_("Negative pair, chain B") } };
  GtkEntry *widgets[4];

  gtk_widget_init_template (GTK_WIDGET (self));
  widgets[0] = self->pos_a_entry, widgets[1] = self->pos_b_entry;
  widgets[2] = self->neg_a_entry, widgets[3] = self->neg_b_entry;
  for (int i = 0; i < 4; i++)
    gtk_accessible_update_property (GTK_ACCESSIBLE (widgets[i]), GTK_ACCESSIBLE_PROPERTY_LABEL, _(entries[i].name), -1);
  g_object_set_data (G_OBJECT (self->pos_tracks), "view", self);
  g_object_set_data (G_OBJECT (self->neg_tracks), "view", self);
  gtk_drawing_area_set_draw_func (self->pos_tracks, draw_tracks, GINT_TO_POINTER (0), NULL);
  gtk_drawing_area_set_draw_func (self->neg_tracks, draw_tracks, GINT_TO_POINTER (1), NULL);
  g_signal_connect_swapped (self->head_button, "clicked", G_CALLBACK (on_head_clicked), self);
  g_signal_connect_swapped (self->compute_button, "clicked", G_CALLBACK (plm_pair_view_compute), self);
  plm_heatmap_view_set_readout_func (self->pos_heatmap, pair_readout, NULL, NULL);
  plm_heatmap_view_set_readout_func (self->neg_heatmap, pair_readout, NULL, NULL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->pos_heatmap), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Cross-attention of the positive pair"), -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->neg_heatmap), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Cross-attention of the negative pair"), -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->pos_tracks), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Most attended residues of the positive pair"), -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->neg_tracks), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Most attended residues of the negative pair"), -1);
}

GtkWidget *
plm_pair_view_new (void)
{
  return g_object_new (PLM_TYPE_PAIR_VIEW, NULL);
}

void
plm_pair_view_set_worker (PlmPairView        *self,
                          PlmInferenceWorker *worker)
{
  g_return_if_fail (PLM_IS_PAIR_VIEW (self));
  g_set_object (&self->worker, worker);
}

void
plm_pair_view_set_chains (PlmPairView *self,
                          int          slot,
                          const char  *chain_a,
                          const char  *chain_b)
{
  g_return_if_fail (PLM_IS_PAIR_VIEW (self));
  g_return_if_fail (slot == 0 || slot == 1);

  gtk_editable_set_text (GTK_EDITABLE (slot == 0 ? self->pos_a_entry : self->neg_a_entry), chain_a);
  gtk_editable_set_text (GTK_EDITABLE (slot == 0 ? self->pos_b_entry : self->neg_b_entry), chain_b);
}

const float *
plm_pair_view_get_matrix (PlmPairView *self,
                          int          slot,
                          int         *rows,
                          int         *cols)
{
  g_return_val_if_fail (PLM_IS_PAIR_VIEW (self) && (slot == 0 || slot == 1), NULL);
  *rows = self->slots[slot].la;
  *cols = self->slots[slot].lb;
  return self->slots[slot].matrix;
}

const int *
plm_pair_view_get_top (PlmPairView *self,
                       int          slot,
                       int          chain,
                       int         *n)
{
  g_return_val_if_fail (PLM_IS_PAIR_VIEW (self) && (slot == 0 || slot == 1) && (chain == 0 || chain == 1), NULL);
  *n = self->slots[slot].n_top[chain];
  return self->slots[slot].top[chain];
}

const char *
plm_pair_view_get_sequence (PlmPairView *self,
                            int          slot,
                            int          chain)
{
  g_return_val_if_fail (PLM_IS_PAIR_VIEW (self) && (slot == 0 || slot == 1) && (chain == 0 || chain == 1), NULL);
  PlmInferenceResult *r = self->embedded[slot * 2 + chain];
  return r != NULL && self->slots[slot].n_top[chain] > 0 ? r->sequence : NULL;
}

void
plm_pair_view_set_color_map (PlmPairView *self,
                             PlmColorMap  map)
{
  g_return_if_fail (PLM_IS_PAIR_VIEW (self));
  plm_heatmap_view_set_color_map (self->pos_heatmap, map);
  plm_heatmap_view_set_color_map (self->neg_heatmap, map);
  plm_color_bar_set_color_map (self->color_bar, map);
}

GtkWidget *
plm_pair_view_get_heatmap (PlmPairView *self,
                           int          slot)
{
  g_return_val_if_fail (PLM_IS_PAIR_VIEW (self), NULL);
  return GTK_WIDGET (slot == 0 ? self->pos_heatmap : self->neg_heatmap);
}

const char *
plm_pair_view_get_head_name (PlmPairView *self)
{
  g_return_val_if_fail (PLM_IS_PAIR_VIEW (self), NULL);
  return self->head != NULL ? gtk_label_get_text (self->head_label) : NULL;
}

PlmFigure *
plm_pair_view_create_figure (PlmPairView *self)
{
  PlmFigure *figure;

  g_return_val_if_fail (PLM_IS_PAIR_VIEW (self), NULL);

  for (int s = 0; s < 2; s++)
    if (self->slots[s].matrix == NULL || self->slots[s].la < 1 || self->slots[s].lb < 1)
      return NULL;
  figure = plm_figure_new (PLM_FIGURE_PAIR);
  for (int s = 0; s < 2; s++)
    {
      PairSlot *slot = &self->slots[s];

      plm_figure_build_pair_panel (figure, s == 0, NULL, NULL, slot->matrix, slot->la, slot->lb, slot->seq_a,
                                   slot->seq_b, slot->top[0], slot->n_top[0], slot->top[1], slot->n_top[1]);
    }
  plm_figure_get_style (figure)->color_map = plm_heatmap_view_get_color_map (self->pos_heatmap);
  return figure;
}

/* At most FIGURE_NAME_RESIDUES of a chain, only letters, digits and '-' (file names stay portable). */
#define FIGURE_NAME_RESIDUES 8

static void
append_chain_stem (GString    *s,
                   const char *chain)
{
  int n = 0;

  for (const char *p = chain ? chain : ""; *p && n < FIGURE_NAME_RESIDUES; p++)
    if (g_ascii_isalnum (*p))
      {
        g_string_append_c (s, *p);
        n++;
      }
  if (n == 0)
    g_string_append_c (s, '_');
}

char *
plm_pair_view_dup_figure_name (PlmPairView *self)
{
  GString *s;

  g_return_val_if_fail (PLM_IS_PAIR_VIEW (self), NULL);

  for (int k = 0; k < 2; k++)
    if (self->slots[k].matrix == NULL)
      return NULL;
  s = g_string_new ("pair");
  for (int k = 0; k < 2; k++)
    {
      g_string_append (s, k == 0 ? "-" : "-vs-");
      append_chain_stem (s, self->slots[k].seq_a);
      g_string_append_c (s, '-');
      append_chain_stem (s, self->slots[k].seq_b);
    }
  return g_string_free (s, FALSE);
}
