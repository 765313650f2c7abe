/* plm-contacts-view.c: the Contacts page: the predicted map, its top L/k marked above the
 * diagonal (true or false positives against a structure), the structure's contacts below. */
#include <glib/gi18n.h>
#include <math.h>
#include <stdlib.h>

#include "plm-color-bar.h"
#include "plm-contacts-view.h"
#include "plm-figure-build.h"
#include "plm-heatmap-sources.h"
#include "plm-heatmap-view.h"
#include "plm-structure-bar.h"
#include "plm-structure-map.h"
#include "plm-windowed-readout.h"

struct _PlmContactsView
{
  GtkWidget           parent_instance;

  GtkWidget          *box;
  GtkDropDown        *top_dropdown;
  PlmStructureBar    *structure_bar;
  GtkLabel           *status_label;
  PlmHeatmapView     *heatmap;
  PlmColorBar        *color_bar;
  GtkLabel           *legend_label;

  PlmInferenceResult *result;
  PlmSelection       *selection;
  gulong              selection_handler;
  int                 highlighted;
  int                 divisor;
  guint8             *truth;          /* [L, L] 1 / 0 / PLM_CONTACT_UNKNOWN, NULL without a structure */
  int                 truth_length;
  PlmLoadedStructure *structure;      /* shared with the other views (plm_contacts_view_set_structure) */
  gulong              structure_handler;
  double              precision;
  gboolean            dirty;          /* the map does not match the result yet (not mapped) */
};

G_DEFINE_FINAL_TYPE (PlmContactsView, plm_contacts_view, GTK_TYPE_WIDGET)

/* A legend entry's symbol as it looks on the map: the mark on the colour map's lowest colour. */
static void
append_symbol (GString            *legend,
               PlmContactMarkKind  kind,
               guint32             background)
{
  static const char *const symbols[PLM_CONTACT_N_MARKS] = { "●", "○", "○", "■" };
  guint32 c = plm_contact_mark_colors[kind];

  g_string_append_printf (legend, "<span background=\"#%06x\" foreground=\"#%06x\">\u00a0%s\u00a0</span>",
                          background & 0xffffff, c & 0xffffff, symbols[kind]);
}

/* The marks of the exported figure (plm_contact_marks): the top L/k predictions above the
 * diagonal, as true or false positives when a structure is loaded, the structure's contacts
 * below it; the legend lists exactly the kinds drawn. */
static void
set_marks (PlmContactsView *self)
{
  PlmInferenceResult *r = self->result;
  int L = r->n_residues, counts[PLM_CONTACT_N_MARKS];
  const guint8 *truth = self->truth != NULL && self->truth_length == L ? self->truth : NULL;
  int n_top = MAX (1, L / self->divisor);
  g_autofree int *top = g_new (int, n_top);
  /* ranked as plm_contact_marks ranks: over every pair, known to the structure or not */
  int n = plm_inference_result_rank_contacts (r, PLM_CONTACT_MIN_SEPARATION, n_top, NULL, top);
  g_autoptr(GArray) marks = plm_contact_marks_ranked (top, n, L, PLM_CONTACT_MIN_SEPARATION, truth, counts);
  g_autoptr(GArray) view_marks = g_array_sized_new (FALSE, FALSE, sizeof (PlmHeatmapMark), marks->len);
  g_autoptr(GString) legend = g_string_new (NULL);
  guint32 background = plm_color_map_get_lut (plm_heatmap_view_get_color_map (self->heatmap))[0];

  for (guint i = 0; i < marks->len; i++)
    {
      const PlmContactMark *m = &g_array_index (marks, PlmContactMark, i);
      static const PlmHeatmapMarkShape shapes[PLM_CONTACT_N_MARKS] = {
        PLM_HEATMAP_MARK_DISC, PLM_HEATMAP_MARK_RING, PLM_HEATMAP_MARK_RING, PLM_HEATMAP_MARK_BOX
      };
      PlmHeatmapMark hm = { m->row, m->col, shapes[m->kind], plm_contact_mark_colors[m->kind] };

      g_array_append_val (view_marks, hm);
    }
  plm_heatmap_view_set_marks (self->heatmap, (PlmHeatmapMark *) (gpointer) view_marks->data, (int) view_marks->len);

  g_string_append (legend, _("Colour: predicted contact probability. Above the diagonal the top predictions, below it the contacts of a loaded structure:"));
  for (int k = 0; k < PLM_CONTACT_N_MARKS; k++)
    if (counts[k] > 0)
      {
        g_autofree char *label = plm_contact_mark_label (k, self->divisor, truth != NULL);
        g_autofree char *escaped = g_markup_escape_text (label, -1);
        g_auto(GStrv) words = g_strsplit (escaped, " ", -1);
        g_autofree char *joined = g_strjoinv ("\u00a0", words);   /* an entry is never wrapped */

        g_string_append (legend, "   ");
        append_symbol (legend, k, background);
        g_string_append_printf (legend, "\u00a0%s", joined);
      }
  if (plm_inference_result_is_windowed (r))
    {
      g_autofree char *missing = plm_windowed_readout_legend ();

      g_string_append_printf (legend, "\n%s", missing);
    }
  gtk_label_set_markup (self->legend_label, legend->str);
}

/* "R105–H93 · P(contact) 0.12 · in structure: yes, 6.1 Å" */
static char *
contact_text (PlmHeatmapView *heatmap,
                 int             row,
                 int             col,
                 float           value,
                 gpointer        data)
{
  PlmContactsView *self = data;
  g_autofree char *a = plm_heatmap_view_dup_label (heatmap, TRUE, row);
  g_autofree char *b = plm_heatmap_view_dup_label (heatmap, FALSE, col);
  int L = self->result != NULL ? self->result->n_residues : 0;

  if (self->truth != NULL && self->truth_length == L)
    {
      const PlmStructure *structure = plm_loaded_structure_get_structure (self->structure);
      const PlmStructureMap *map = plm_loaded_structure_get_map (self->structure);
      const PlmResidue *ra = plm_structure_map_get (map, structure, row);
      const PlmResidue *rb = plm_structure_map_get (map, structure, col);
      /* cb holds Gly's Cα (and Cα when a Cβ is missing), see plm-structure.h */
      float d = ra != NULL && rb != NULL ? (float) plm_structure_distance (ra->cb, rb->cb) : NAN;

      if (self->truth[(gsize) row * L + col] == PLM_CONTACT_UNKNOWN)
        /* Translators: a residue of the pair is missing from the loaded structure */
        return g_strdup_printf (_("%s–%s · P(contact) %.2f · in structure: not observed"), a, b, value);
      if (self->truth[(gsize) row * L + col] == 1)
        /* Translators: two residues, their predicted contact probability and their distance in the structure */
        return g_strdup_printf (_("%s–%s · P(contact) %.2f · in structure: yes, %.1f Å"), a, b, value, d);
      if (abs (row - col) < PLM_CONTACT_MIN_SEPARATION)
        /* Translators: neighbours in sequence are not counted as contacts */
        return g_strdup_printf (_("%s–%s · P(contact) %.2f · in structure: neighbours, %.1f Å"), a, b, value, d);
      return g_strdup_printf (_("%s–%s · P(contact) %.2f · in structure: no, %.1f Å"), a, b, value, d);
    }
  /* Translators: two residues and their predicted contact probability */
  return g_strdup_printf (_("%s–%s · P(contact) %.2f"), a, b, value);
}

/* A windowed run's readout also says which window the probability came from. */
static char *
contact_readout (PlmHeatmapView *heatmap,
                 int             row,
                 int             col,
                 float           value,
                 gpointer        data)
{
  PlmContactsView *self = data;
  g_autofree char *window = plm_windowed_readout_pair (self->result, row + 1, col + 1);
  g_autofree char *text = NULL;

  if (window != NULL && isnan (value))
    {
      g_autofree char *a = plm_heatmap_view_dup_label (heatmap, TRUE, row);
      g_autofree char *b = plm_heatmap_view_dup_label (heatmap, FALSE, col);

      /* Translators: two residues of a long protein whose pair no window computed, and why */
      return g_strdup_printf (_("%s–%s · %s"), a, b, window);
    }
  text = contact_text (heatmap, row, col, value, data);
  return window != NULL ? g_strdup_printf ("%s · %s", text, window) : g_steal_pointer (&text);
}

static void
update_map (PlmContactsView *self)
{
  PlmInferenceResult *r = self->result;
  g_autofree int *top5 = NULL;
  g_autofree char *status = NULL;
  PlmScale scale = { PLM_SCALE_LINEAR, 0.0f, 1.0f };
  float *values;
  int L, k, n5, hits = 0;

  self->dirty = FALSE;
  self->precision = NAN;
  if (r == NULL || !plm_inference_result_has_contacts (r))
    {
      plm_heatmap_view_set_data (self->heatmap, NULL, 0, 0);
      gtk_label_set_text (self->status_label, r == NULL ? "" : _("This model has no contact head."));
      gtk_label_set_text (self->legend_label, "");
      return;
    }
  L = r->n_residues;
  /* the predicted probability in both triangles, marked as the exported figure marks it */
  k = MAX (1, L / self->divisor);
  if (plm_heatmap_sources_is_large (L))
    /* read in place from the result: no second L × L copy */
    plm_heatmap_sources_set_contacts (self->heatmap, r);
  else
    {
      values = g_new (float, (gsize) L * L);
      plm_inference_result_copy_contacts (r, 0, L, 0, L, values);
      plm_heatmap_view_set_data_full (self->heatmap, values, L, L, g_free);
    }
  plm_heatmap_view_set_sequence (self->heatmap, r->sequence, 0);
  plm_heatmap_view_set_scale (self->heatmap, &scale);
  plm_color_bar_set_scale (self->color_bar, &scale);
  plm_heatmap_view_set_highlight (self->heatmap, self->highlighted, self->highlighted);
  set_marks (self);

  if (self->truth != NULL && self->truth_length == L)
    {
      /* precision at L/5 among the pairs of residues the structure has (plm-contacts.h) */
      top5 = g_new (int, MAX (1, L / 5));
      n5 = plm_inference_result_rank_contacts (r, PLM_CONTACT_MIN_SEPARATION, MAX (1, L / 5), self->truth, top5);
      self->precision = plm_contacts_precision (top5, n5, self->truth, &hits);
      const PlmStructureMap *map = plm_loaded_structure_get_map (self->structure);

      status = g_strdup_printf (_("Precision at L/5: %.2f (%d of %d) · %s chain %s · %.0f%% identical, %d of %d residues in the structure"),
                                self->precision, hits, n5, plm_loaded_structure_get_name (self->structure),
                                *map->chain ? map->chain : "' '", 100.0 * map->identity, map->aligned, L);
    }
  else
    {
      /* pairs a windowed run did not compute are no possible contacts */
      gint64 possible = plm_inference_result_count_contacts (r, PLM_CONTACT_MIN_SEPARATION);
      status = g_strdup_printf (_("Top %d of %d possible contacts (|i − j| ≥ %d)"), (int) MIN (k, possible),
                                (int) possible, PLM_CONTACT_MIN_SEPARATION);
    }
  gtk_label_set_text (self->status_label, status);
}

/* The shared structure changed: its true contacts, for the result on show (distances are
 * read from the structure when hovered: an [L, L] float map would be 100 MB at 5,000 residues). */
static void
on_structure_changed (PlmContactsView *self)
{
  const PlmStructure *structure = plm_loaded_structure_get_structure (self->structure);
  const PlmStructureMap *map = plm_loaded_structure_get_map (self->structure);
  PlmInferenceResult *r = self->result;

  g_clear_pointer (&self->truth, g_free);
  self->truth_length = 0;
  if (r != NULL && plm_inference_result_has_contacts (r) && map != NULL && map->length == r->n_residues)
    {
      self->truth = plm_contacts_from_structure (structure, map);
      self->truth_length = r->n_residues;
    }
  self->dirty = !gtk_widget_get_mapped (GTK_WIDGET (self));
  if (!self->dirty)
    update_map (self);
}

gboolean
plm_contacts_view_load_structure (PlmContactsView *self,
                                  const char      *path,
                                  GError         **error)
{
  PlmInferenceResult *r;

  g_return_val_if_fail (PLM_IS_CONTACTS_VIEW (self), FALSE);

  r = self->result;
  if (r == NULL || !plm_inference_result_has_contacts (r))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                           _("A structure is compared with a sequence's predicted contacts: run one first."));
      return FALSE;
    }
  /* the best chain, aligned to the sequence (BLOSUM62; refused below 90 % identity) */
  return plm_structure_bar_load (self->structure_bar, path, error);
}

void
plm_contacts_view_set_structure (PlmContactsView    *self,
                                 PlmLoadedStructure *structure)
{
  g_return_if_fail (PLM_IS_CONTACTS_VIEW (self));
  g_return_if_fail (PLM_IS_LOADED_STRUCTURE (structure));

  plm_structure_bar_share (self->structure_bar, &self->structure, &self->structure_handler, structure,
                           self->result != NULL ? self->result->sequence : NULL,
                           self->result != NULL ? self->result->n_residues : 0,
                           G_CALLBACK (on_structure_changed), self);
}

static void
on_top_changed (PlmContactsView *self)
{
  static const int divisors[] = { 1, 2, 5 };
  guint selected = gtk_drop_down_get_selected (self->top_dropdown);

  if (selected < G_N_ELEMENTS (divisors))
    plm_contacts_view_set_top (self, divisors[selected]);
}

static void
on_heatmap_hovered (PlmContactsView *self,
                    int              row,
                    int              col,
                    PlmHeatmapView  *heatmap)
{
  if (self->selection != NULL && row >= 0)
    plm_selection_set_residue (self->selection, row);
}

static void
on_selection_changed (PlmContactsView *self,
                      GParamSpec      *pspec,
                      PlmSelection    *selection)
{
  self->highlighted = plm_selection_get_residue (selection);
  plm_heatmap_view_set_highlight (self->heatmap, self->highlighted, self->highlighted);
}

/* Ranking all pairs is only done for a view on screen (see plm-ha-view.c). */
static void
plm_contacts_view_map (GtkWidget *widget)
{
  PlmContactsView *self = PLM_CONTACTS_VIEW (widget);

  GTK_WIDGET_CLASS (plm_contacts_view_parent_class)->map (widget);
  if (self->dirty)
    {
      self->dirty = FALSE;
      update_map (self);
    }
}

static void
plm_contacts_view_dispose (GObject *object)
{
  PlmContactsView *self = PLM_CONTACTS_VIEW (object);

  plm_contacts_view_set_selection (self, NULL);
  plm_loaded_structure_bind (&self->structure, &self->structure_handler, NULL, NULL, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), PLM_TYPE_CONTACTS_VIEW);
  G_OBJECT_CLASS (plm_contacts_view_parent_class)->dispose (object);
}

static void
plm_contacts_view_finalize (GObject *object)
{
  PlmContactsView *self = PLM_CONTACTS_VIEW (object);

  g_clear_pointer (&self->result, plm_inference_result_unref);
  g_free (self->truth);
  G_OBJECT_CLASS (plm_contacts_view_parent_class)->finalize (object);
}

static void
plm_contacts_view_class_init (PlmContactsViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = plm_contacts_view_dispose;
  object_class->finalize = plm_contacts_view_finalize;
  widget_class->map = plm_contacts_view_map;

  g_type_ensure (PLM_TYPE_HEATMAP_VIEW);
  g_type_ensure (PLM_TYPE_COLOR_BAR);
  g_type_ensure (PLM_TYPE_STRUCTURE_BAR);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/plmlens/PlmLens/ui/plm-contacts-view.ui");
  gtk_widget_class_bind_template_child (widget_class, PlmContactsView, box);
  gtk_widget_class_bind_template_child (widget_class, PlmContactsView, top_dropdown);
  gtk_widget_class_bind_template_child (widget_class, PlmContactsView, structure_bar);
  gtk_widget_class_bind_template_child (widget_class, PlmContactsView, status_label);
  gtk_widget_class_bind_template_child (widget_class, PlmContactsView, heatmap);
  gtk_widget_class_bind_template_child (widget_class, PlmContactsView, color_bar);
  gtk_widget_class_bind_template_child (widget_class, PlmContactsView, legend_label);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "plmcontactsview");
}

static void
plm_contacts_view_init (PlmContactsView *self)
{
  self->highlighted = -1;
  self->divisor = 5;
  self->precision = NAN;
  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect_swapped (self->top_dropdown, "notify::selected", G_CALLBACK (on_top_changed), self);
  plm_structure_bar_set_message_label (self->structure_bar, self->status_label);
  g_signal_connect_swapped (self->heatmap, "hovered", G_CALLBACK (on_heatmap_hovered), self);
  g_signal_connect_swapped (self->heatmap, "selected", G_CALLBACK (on_heatmap_hovered), self);
  plm_heatmap_view_set_readout_func (self->heatmap, contact_readout, self, NULL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->heatmap), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Predicted contact map"), -1);
  /* a structure of its own until the window shares one */
  {
    g_autoptr(PlmLoadedStructure) own = plm_loaded_structure_new ();
    plm_contacts_view_set_structure (self, own);
  }
}

GtkWidget *
plm_contacts_view_new (void)
{
  return g_object_new (PLM_TYPE_CONTACTS_VIEW, NULL);
}

void
plm_contacts_view_set_result (PlmContactsView    *self,
                              PlmInferenceResult *result)
{
  g_return_if_fail (PLM_IS_CONTACTS_VIEW (self));

  if (result != NULL)
    plm_inference_result_ref (result);
  g_clear_pointer (&self->result, plm_inference_result_unref);
  self->result = result;
  /* a structure belongs to one protein: kept for the same sequence, else dropped */
  if (result != NULL)
    plm_loaded_structure_set_sequence (self->structure, result->sequence, result->n_residues);
  on_structure_changed (self);
}

void
plm_contacts_view_set_top (PlmContactsView *self,
                           int              divisor)
{
  g_return_if_fail (PLM_IS_CONTACTS_VIEW (self));
  g_return_if_fail (divisor >= 1);

  if (self->divisor == divisor)
    return;
  self->divisor = divisor;
  gtk_drop_down_set_selected (self->top_dropdown, divisor == 1 ? 0 : divisor == 2 ? 1 : 2);
  update_map (self);
}

double
plm_contacts_view_get_precision (PlmContactsView *self)
{
  g_return_val_if_fail (PLM_IS_CONTACTS_VIEW (self), NAN);
  return self->precision;
}

void
plm_contacts_view_set_color_map (PlmContactsView *self,
                                 PlmColorMap      map)
{
  g_return_if_fail (PLM_IS_CONTACTS_VIEW (self));
  plm_heatmap_view_set_color_map (self->heatmap, map);
  plm_color_bar_set_color_map (self->color_bar, map);
  /* the legend's swatches are the map's lowest colour */
  if (self->result != NULL && plm_inference_result_has_contacts (self->result) && !self->dirty)
    set_marks (self);
}

void
plm_contacts_view_set_selection (PlmContactsView *self,
                                 PlmSelection    *selection)
{
  g_return_if_fail (PLM_IS_CONTACTS_VIEW (self));
  plm_selection_bind (&self->selection, &self->selection_handler, selection,
                      (PlmSelectionChanged) on_selection_changed, self);
}

int
plm_contacts_view_get_highlighted (PlmContactsView *self)
{
  g_return_val_if_fail (PLM_IS_CONTACTS_VIEW (self), -1);
  return self->highlighted;
}

GtkWidget *
plm_contacts_view_get_heatmap (PlmContactsView *self)
{
  g_return_val_if_fail (PLM_IS_CONTACTS_VIEW (self), NULL);
  return GTK_WIDGET (self->heatmap);
}

PlmFigure *
plm_contacts_view_create_figure (PlmContactsView *self,
                                 const char      *record)
{
  PlmInferenceResult *r;
  g_autofree char *letters = NULL;
  g_autofree float *values = NULL;
  PlmFigure *figure;

  g_return_val_if_fail (PLM_IS_CONTACTS_VIEW (self), NULL);

  r = self->result;
  if (r == NULL || !plm_inference_result_has_contacts (r) || r->n_residues < 1)
    return NULL;
  letters = g_strndup (r->sequence, r->n_residues);
  /* the figure holds its map dense while it is exported */
  values = g_new (float, (gsize) r->n_residues * r->n_residues);
  plm_inference_result_copy_contacts (r, 0, r->n_residues, 0, r->n_residues, values);
  figure = plm_figure_new (PLM_FIGURE_CONTACTS);
  plm_figure_build_contacts (figure, record, values, r->n_residues, letters,
                             self->truth != NULL && self->truth_length == r->n_residues ? self->truth : NULL,
                             PLM_CONTACT_MIN_SEPARATION);
  plm_figure_set_contact_top (figure, self->divisor);
  plm_figure_get_style (figure)->color_map = plm_heatmap_view_get_color_map (self->heatmap);
  return figure;
}
