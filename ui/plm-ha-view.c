/* plm-ha-view.c: the HA sites page: the paper's layers × residues figure, the two-segment fit of the
 * selected layer, the layer of convergence, and HA-site and annotation tracks under the residues. */
#include <glib/gi18n.h>
#include <math.h>

#include "plm-figure-build.h"
#include "plm-file-chooser.h"
#include "plm-ha-view-private.h"

G_DEFINE_FINAL_TYPE (PlmHaView, plm_ha_view, GTK_TYPE_WIDGET)

static int
n_tracks (PlmHaView *self)
{
  int n = 1;

  if (self->features != NULL)
    for (int k = 0; k < PLM_N_FEATURE_KINDS; k++)
      for (guint i = 0; i < self->features->len; i++)
        if (((PlmFeature *) g_ptr_array_index (self->features, i))->kind == (PlmFeatureKind) k)
          {
            n++;
            break;
          }
  return n;
}

static void
update_distances (PlmHaView *self)
{
  g_autoptr(GString) text = g_string_new (NULL);

  g_clear_pointer (&self->distances, g_free);
  plm_ha_view_update_angstrom (self);
  /* (the fits of the previous result, while a new one's annotations are read again: none yet) */
  if (self->has_ha && self->result != NULL && self->ha.length == self->result->n_residues)
    {
      g_string_append_printf (text, _("%d HA sites (layer %d)"), self->ha.n_sites, self->ha.loc + 1);
      if (self->features == NULL)
        g_string_append_printf (text, "\n%s", _("Load annotations to see the distance of each HA site to them."));
      else if (self->features->len == 0)
        {
          /* loaded, but nothing for this protein: say so rather than ask for a file again */
          g_string_append_c (text, '\n');
          if (self->protein_id != NULL)
            {
              /* "sp|P69905|HBA_HUMAN" → "P69905" */
              g_auto(GStrv) parts = g_strsplit (self->protein_id, "|", 3);
              const char *accession = g_strv_length (parts) == 3 ? parts[1] : self->protein_id;

              /* Translators: the first %s is a UniProt accession such as P69905, the second a file name */
              g_string_append_printf (text, _("No active sites, binding sites or domains listed for %s in %s."),
                                      accession, self->features_name);
            }
          else
            g_string_append_printf (text, _("No annotations for this protein in %s."), self->features_name);
        }
      else
        {
          plm_ha_view_append_angstrom_summary (self, text);
          g_string_append_printf (text, "\n%s", _("Distance along the sequence to the nearest:"));
        }
      for (int s = 0; s < self->ha.n_sites; s++)
        {
          int r = self->ha.sites[s];

          g_string_append_printf (text, "\n%c%d", self->result->sequence[r], r + 1);
          if (self->features == NULL || self->features->len == 0)
            continue;
          for (int k = 0; k < PLM_N_FEATURE_KINDS; k++)
            {
              int d = plm_features_distance (self->features, k, r);

              if (d >= 0)
                {
                  /* Translators: distance along the sequence, e.g. "151 residues" */
                  g_autofree char *dist = g_strdup_printf (g_dngettext (NULL, "%d residue", "%d residues", d), d);

                  g_string_append_printf (text, " · %s %s", plm_ha_view_kind_title (k), dist);
                  if (k == PLM_FEATURE_ACTIVE_SITE)
                    plm_ha_view_append_angstrom (self, text, s);
                }
            }
        }
    }
  self->distances = g_string_free (g_steal_pointer (&text), FALSE);
  gtk_label_set_text (self->distances_label, self->distances);
}

static void
update_labels (PlmHaView *self)
{
  g_autofree char *loc = NULL;

  if (self->has_ha)
    {
      const PlmHaLayer *l = &self->ha.layers[self->ha.loc];

      loc = g_strdup_printf (_("Layer of convergence: %d (θ = %.1f°) · %d HA sites"),
                             self->ha.loc + 1, l->fit.theta, self->ha.n_sites);
    }
  gtk_label_set_text (self->loc_label, loc ? loc : "");
  gtk_drawing_area_set_content_height (GTK_DRAWING_AREA (self->track_area), plm_residue_tracks_height (n_tracks (self)));
  gtk_widget_queue_draw (GTK_WIDGET (self->track_area));
  gtk_widget_queue_draw (GTK_WIDGET (self->curve_area));
  update_distances (self);
}

static void
compute (PlmHaView *self)
{
  PlmInferenceResult *r = self->result;
  g_autofree float *heatmap = NULL;
  PlmScale scale = { PLM_SCALE_LINEAR, 0.0f, 1.0f };
  int L;

  self->dirty = FALSE;
  if (self->has_ha)
    plm_ha_result_clear (&self->ha);
  self->has_ha = FALSE;
  if (r == NULL || r->n_residues < 1)
    {
      plm_heatmap_view_set_data (self->heatmap, NULL, 0, 0);
      update_labels (self);
      return;
    }
  L = r->n_residues;
  heatmap = g_new (float, (gsize) r->n_layers * L);
  if (r->ha_profiles != NULL)
    memcpy (heatmap, r->ha_profiles, sizeof (float) * r->n_layers * L);
  else
    {
      g_autofree float *mean = g_new (float, (gsize) r->n_tokens * r->n_tokens);

      /* the fp16 head mean: within 2⁻¹¹ of the fp32 one, before the 2-decimal rounding */
      for (int l = 0; l < r->n_layers; l++)
        {
          plm_attention_store_copy_map (r->attention, l, -1, mean);
          plm_hasites_layer_profile (mean, 1, r->n_tokens, heatmap + (gsize) l * L);
        }
    }
  plm_ha_result_from_heatmap (heatmap, r->n_layers, L, &self->ha);
  self->has_ha = TRUE;

  plm_heatmap_view_set_data (self->heatmap, self->ha.heatmap, r->n_layers, L);
  plm_heatmap_view_set_labels (self->heatmap, NULL, 0, r->sequence, 0);
  plm_heatmap_view_set_scale (self->heatmap, &scale);
  plm_color_bar_set_scale (self->color_bar, &scale);
  self->updating = TRUE;
  gtk_adjustment_configure (self->layer_adjustment, self->ha.loc + 1, 1, r->n_layers, 1, 1, 0);
  self->updating = FALSE;
  self->layer = self->ha.loc;
  plm_heatmap_view_set_highlight (self->heatmap, self->layer, self->highlighted);
  update_labels (self);
}

/* "Layer 4 · K100 · 0.86 of the layer's maximum" */
static char *
ha_readout (PlmHeatmapView *heatmap,
            int             row,
            int             col,
            float           value,
            gpointer        data)
{
  g_autofree char *residue = plm_heatmap_view_dup_label (heatmap, FALSE, col);

  /* Translators: layer, residue, and its received attention relative to the layer's largest */
  return g_strdup_printf (_("Layer %d · %s · %.2f of the layer’s maximum"), row + 1, residue, value);
}

/* Fitting every layer is only done for a view on screen: a new result must not stall the
 * main loop for pages nobody looks at. */
static void
plm_ha_view_map (GtkWidget *widget)
{
  PlmHaView *self = PLM_HA_VIEW (widget);

  GTK_WIDGET_CLASS (plm_ha_view_parent_class)->map (widget);
  if (self->dirty)
    {
      self->dirty = FALSE;
      compute (self);
    }
}

static void
on_layer_changed (PlmHaView     *self,
                  GtkAdjustment *adjustment)
{
  if (!self->updating)
    plm_ha_view_set_layer (self, (int) gtk_adjustment_get_value (adjustment) - 1);
}

static void
on_heatmap_hovered (PlmHaView      *self,
                    int             row,
                    int             col,
                    PlmHeatmapView *heatmap)
{
  if (self->selection != NULL && col >= 0)
    plm_selection_set_residue (self->selection, col);
}

/* A click picks the layer whose curve is drawn, and the residue for the other views. */
static void
on_heatmap_selected (PlmHaView      *self,
                     int             row,
                     int             col,
                     PlmHeatmapView *heatmap)
{
  if (row >= 0)
    plm_ha_view_set_layer (self, row);
  on_heatmap_hovered (self, row, col, heatmap);
}

static void
on_selection_changed (PlmHaView    *self,
                      GParamSpec   *pspec,
                      PlmSelection *selection)
{
  self->highlighted = plm_selection_get_residue (selection);
  plm_heatmap_view_set_highlight (self->heatmap, self->has_ha ? self->layer : -1, self->highlighted);
  plm_residue_track_area_set_highlight (self->track_area, self->highlighted);
}

static void
on_annotations_clicked (PlmHaView *self)
{
  static const char *const patterns[] = { "*.gff", "*.gff3", "*.tsv", "*.txt", NULL };

  plm_choose_file_to_load (GTK_WIDGET (self), _("Load Annotations"), _("GFF3 and TSV files"), patterns,
                           (PlmLoadFunc) plm_ha_view_load_annotations, self->distances_label);
}

static void
plm_ha_view_dispose (GObject *object)
{
  PlmHaView *self = PLM_HA_VIEW (object);

  plm_ha_view_set_selection (self, NULL);
  plm_loaded_structure_bind (&self->structure, &self->structure_handler, NULL, NULL, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), PLM_TYPE_HA_VIEW);
  G_OBJECT_CLASS (plm_ha_view_parent_class)->dispose (object);
}

static void
plm_ha_view_finalize (GObject *object)
{
  PlmHaView *self = PLM_HA_VIEW (object);

  if (self->has_ha)
    plm_ha_result_clear (&self->ha);
  g_clear_pointer (&self->result, plm_inference_result_unref);
  g_clear_pointer (&self->features, g_ptr_array_unref);
  g_free (self->features_name);
  g_free (self->features_path);
  g_free (self->protein_id);
  g_free (self->distances);
  g_free (self->angstrom);
  g_free (self->nearest);
  G_OBJECT_CLASS (plm_ha_view_parent_class)->finalize (object);
}

static void
plm_ha_view_class_init (PlmHaViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = plm_ha_view_dispose;
  object_class->finalize = plm_ha_view_finalize;
  widget_class->map = plm_ha_view_map;

  g_type_ensure (PLM_TYPE_HEATMAP_VIEW);
  g_type_ensure (PLM_TYPE_COLOR_BAR);
  g_type_ensure (PLM_TYPE_RESIDUE_TRACK_AREA);
  g_type_ensure (PLM_TYPE_STRUCTURE_BAR);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/plmlens/PlmLens/ui/plm-ha-view.ui");
  gtk_widget_class_bind_template_child (widget_class, PlmHaView, box);
  gtk_widget_class_bind_template_child (widget_class, PlmHaView, layer_adjustment);
  gtk_widget_class_bind_template_child (widget_class, PlmHaView, annotations_button);
  gtk_widget_class_bind_template_child (widget_class, PlmHaView, structure_bar);
  gtk_widget_class_bind_template_child (widget_class, PlmHaView, loc_label);
  gtk_widget_class_bind_template_child (widget_class, PlmHaView, heatmap);
  gtk_widget_class_bind_template_child (widget_class, PlmHaView, color_bar);
  gtk_widget_class_bind_template_child (widget_class, PlmHaView, track_area);
  gtk_widget_class_bind_template_child (widget_class, PlmHaView, curve_area);
  gtk_widget_class_bind_template_child (widget_class, PlmHaView, distances_label);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "plmhaview");
}

static void
plm_ha_view_init (PlmHaView *self)
{
  self->highlighted = -1;
  self->median_angstrom = NAN;
  gtk_widget_init_template (GTK_WIDGET (self));
  plm_residue_track_area_set_heatmap (self->track_area, self->heatmap);
  plm_residue_track_area_set_draw_func (self->track_area, plm_ha_view_draw_tracks, self);
  gtk_drawing_area_set_draw_func (self->curve_area, plm_ha_view_draw_curve, self, NULL);
  g_signal_connect_swapped (self->layer_adjustment, "value-changed", G_CALLBACK (on_layer_changed), self);
  g_signal_connect_swapped (self->annotations_button, "clicked", G_CALLBACK (on_annotations_clicked), self);
  g_signal_connect_swapped (self->heatmap, "hovered", G_CALLBACK (on_heatmap_hovered), self);
  g_signal_connect_swapped (self->heatmap, "selected", G_CALLBACK (on_heatmap_selected), self);
  plm_heatmap_view_set_readout_func (self->heatmap, ha_readout, self, NULL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->heatmap), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Normalised received attention of every layer and residue"), -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->track_area), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("HA-site and annotation tracks"), -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->curve_area), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Sorted attention of the selected layer with its two-segment fit"), -1);
  plm_structure_bar_set_message_label (self->structure_bar, self->distances_label);
  /* a structure of its own until the window shares one */
  {
    g_autoptr(PlmLoadedStructure) own = plm_loaded_structure_new ();
    plm_ha_view_set_structure (self, own);
  }
}

GtkWidget *
plm_ha_view_new (void)
{
  return g_object_new (PLM_TYPE_HA_VIEW, NULL);
}

void
plm_ha_view_set_result (PlmHaView          *self,
                        PlmInferenceResult *result)
{
  g_return_if_fail (PLM_IS_HA_VIEW (self));

  if (result != NULL)
    plm_inference_result_ref (result);
  g_clear_pointer (&self->result, plm_inference_result_unref);
  self->result = result;
  /* annotations belong to one protein: the loaded file is read again for this one */
  g_clear_pointer (&self->features, g_ptr_array_unref);
  if (self->features_path != NULL)
    {
      g_autofree char *path = g_strdup (self->features_path);

      if (!plm_ha_view_load_annotations (self, path, NULL))
        g_clear_pointer (&self->features_path, g_free);
    }
  self->dirty = !gtk_widget_get_mapped (GTK_WIDGET (self));
  if (!self->dirty)
    compute (self);
  /* so does a structure: kept for the same sequence, else dropped (after the fits: "changed") */
  if (result != NULL)
    plm_loaded_structure_set_sequence (self->structure, result->sequence, result->n_residues);
}

static void
on_structure_changed (PlmHaView *self)
{
  if (!self->dirty)
    update_labels (self);
}

void
plm_ha_view_set_structure (PlmHaView          *self,
                           PlmLoadedStructure *structure)
{
  g_return_if_fail (PLM_IS_HA_VIEW (self));
  g_return_if_fail (PLM_IS_LOADED_STRUCTURE (structure));

  plm_structure_bar_share (self->structure_bar, &self->structure, &self->structure_handler, structure,
                           self->result != NULL ? self->result->sequence : NULL,
                           self->result != NULL ? self->result->n_residues : 0,
                           G_CALLBACK (on_structure_changed), self);
}

void
plm_ha_view_set_protein_id (PlmHaView  *self,
                            const char *protein_id)
{
  g_return_if_fail (PLM_IS_HA_VIEW (self));
  g_free (self->protein_id);
  self->protein_id = g_strdup (protein_id);
}

gboolean
plm_ha_view_load_annotations (PlmHaView   *self,
                              const char  *path,
                              GError     **error)
{
  GPtrArray *features;

  g_return_val_if_fail (PLM_IS_HA_VIEW (self), FALSE);

  features = plm_features_read (path, self->protein_id, error);
  if (features == NULL)
    {
      g_autoptr(GPtrArray) any = NULL;

      /* a valid file of other proteins: none listed for this one, which the view says */
      if (self->protein_id == NULL || (any = plm_features_read (path, NULL, NULL)) == NULL)
        return FALSE;
      g_clear_error (error);
      features = g_ptr_array_new ();
    }
  g_free (self->features_path);
  self->features_path = g_strdup (path);
  g_clear_pointer (&self->features, g_ptr_array_unref);
  self->features = features;
  g_free (self->features_name);
  self->features_name = g_path_get_basename (path);
  update_labels (self);
  return TRUE;
}

void
plm_ha_view_set_layer (PlmHaView *self,
                       int        layer)
{
  g_return_if_fail (PLM_IS_HA_VIEW (self));

  if (!self->has_ha)
    return;
  layer = CLAMP (layer, 0, self->ha.n_layers - 1);
  self->layer = layer;
  self->updating = TRUE;
  gtk_adjustment_set_value (self->layer_adjustment, layer + 1);
  self->updating = FALSE;
  plm_heatmap_view_set_highlight (self->heatmap, layer, self->highlighted);
  gtk_widget_queue_draw (GTK_WIDGET (self->curve_area));
}

int
plm_ha_view_get_layer (PlmHaView *self)
{
  g_return_val_if_fail (PLM_IS_HA_VIEW (self), 0);
  return self->layer;
}

const PlmHaResult *
plm_ha_view_get_ha_result (PlmHaView *self)
{
  g_return_val_if_fail (PLM_IS_HA_VIEW (self), NULL);
  if (self->dirty)
    {
      self->dirty = FALSE;
      compute (self);
    }
  return self->has_ha ? &self->ha : NULL;
}

const char *
plm_ha_view_get_distances (PlmHaView *self)
{
  g_return_val_if_fail (PLM_IS_HA_VIEW (self), NULL);
  return self->distances;
}

void
plm_ha_view_set_color_map (PlmHaView   *self,
                           PlmColorMap  map)
{
  g_return_if_fail (PLM_IS_HA_VIEW (self));
  plm_heatmap_view_set_color_map (self->heatmap, map);
  plm_color_bar_set_color_map (self->color_bar, map);
}

void
plm_ha_view_set_selection (PlmHaView    *self,
                           PlmSelection *selection)
{
  g_return_if_fail (PLM_IS_HA_VIEW (self));
  plm_selection_bind (&self->selection, &self->selection_handler, selection,
                      (PlmSelectionChanged) on_selection_changed, self);
}

int
plm_ha_view_get_highlighted (PlmHaView *self)
{
  g_return_val_if_fail (PLM_IS_HA_VIEW (self), -1);
  return self->highlighted;
}

GtkWidget *
plm_ha_view_get_heatmap (PlmHaView *self)
{
  g_return_val_if_fail (PLM_IS_HA_VIEW (self), NULL);
  return GTK_WIDGET (self->heatmap);
}

PlmFigure *
plm_ha_view_create_figure (PlmHaView  *self,
                           const char *record)
{
  const PlmHaResult *ha = plm_ha_view_get_ha_result (self);
  PlmFigureTrack tracks[PLM_N_FEATURE_KINDS + 1];
  g_autofree int *starts = NULL, *ends = NULL, *near = NULL;
  g_autofree char *letters = NULL;
  int n_tracks = 0, used = 0, n_near;
  PlmFigure *figure;

  if (ha == NULL)
    return NULL;
  /* one track per annotation kind present, ranges 0-based */
  if (self->features != NULL)
    {
      starts = g_new (int, MAX (self->features->len, 1));
      ends = g_new (int, MAX (self->features->len, 1));
      for (int k = 0; k < PLM_N_FEATURE_KINDS; k++)
        {
          int first = used;

          for (guint i = 0; i < self->features->len; i++)
            {
              const PlmFeature *f = g_ptr_array_index (self->features, i);

              if ((int) f->kind != k || f->start > ha->length)
                continue;
              starts[used] = f->start - 1;
              ends[used] = MIN (f->end, ha->length) - 1;
              used++;
            }
          if (used > first)
            tracks[n_tracks++] = (PlmFigureTrack) { plm_ha_view_kind_title (k), used - first, starts + first, ends + first };
        }
    }
  /* with a structure: the HA sites near an active site in space */
  near = g_new (int, MAX (ha->n_sites, 1));
  n_near = plm_ha_view_near_sites (self, PLM_HA_NEAR_ANGSTROM, near);
  if (n_near > 0)
    tracks[n_tracks++] = (PlmFigureTrack) { plm_ha_view_near_title (), n_near, near, near };
  letters = g_strndup (self->result->sequence, ha->length);
  figure = plm_figure_new (PLM_FIGURE_HASITES);
  plm_figure_build_hasites (figure, record, ha, self->layer, letters, tracks, n_tracks);
  plm_figure_get_style (figure)->color_map = plm_heatmap_view_get_color_map (self->heatmap);
  return figure;
}
