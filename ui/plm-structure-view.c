/* plm-structure-view.c: the Structure page (see the header). The structure is aligned to the
 * result's sequence (plm-structure-map.h): residues the file lacks are not drawn and the tube
 * breaks there, never shifted. Colourings come from app/figure/plm-structure-color.c, as the
 * exported figure's. */
#include <glib/gi18n.h>
#include <math.h>

#include "plm-color-bar.h"
#include "plm-contacts.h"
#include "plm-file-chooser.h"
#include "plm-pair-view.h"
#include "plm-residue-track-area.h"
#include "plm-structure-bar.h"
#include "plm-structure-negative.h"
#include "plm-structure-view.h"

#define SELECTION_COLOR 0xffffd700u   /* the linked selection: a gold sphere */

struct _PlmStructureView
{
  GtkWidget            parent_instance;

  GtkWidget           *box;
  PlmStructureBar     *structure_bar;
  GtkLabel            *status_label;
  GtkDropDown         *color_dropdown;
  GtkSpinButton       *layer_spin;
  GtkDropDown         *head_dropdown;
  GtkStringList       *head_list;
  GtkScale            *links_scale;
  PlmStructureArea    *area;
  GtkLabel            *positive_title;  /* the NM pair mode with the negative pair beside */
  PlmStructureNegative *negative;
  GtkWidget           *negative_button;
  PlmColorBar         *color_bar;
  GtkLabel            *legend_label;

  PlmInferenceResult  *result;
  PlmLoadedStructure  *loaded;          /* shared with the other views (plm_structure_view_set_structure) */
  gulong               loaded_handler;
  const PlmStructure  *structure;       /* the loaded one, with its map to the result; NULL when none */
  const PlmStructureMap *map;
  PlmStructureColoring coloring;
  PlmColorMap          color_map;
  int                  layer, head, links;
  PlmSelection        *selection;
  gulong               selection_handler;
  PlmHaView           *track_source;    /* weak */
  PlmPairView         *pair_source;     /* weak */
  char                *pair_message;    /* why the pair mode shows no pair, or NULL */
  int                  highlighted;
  gboolean             updating;
};

G_DEFINE_FINAL_TYPE (PlmStructureView, plm_structure_view, GTK_TYPE_WIDGET)


static const char *
coloring_value_name (PlmStructureColoring c)
{
  switch (c)
    {
    case PLM_STRUCTURE_COLOR_ATTENTION: return _("attention");
    /* Translators: the normalised attention received at the layer of convergence, in a tooltip */
    case PLM_STRUCTURE_COLOR_HASITES: return _("HA profile");
    default: return NULL;
    }
}

/* Annotation tracks of the HA view (not its first, the HA sites) as spheres of their colours. */
static void
paint_annotations (PlmStructureView *self, PlmStructureScene *scene, GString *legend)
{
  plm_structure_paint_sites (scene, 0, NULL, 0);
  g_autoptr(GArray) tracks = self->track_source ? plm_ha_view_dup_tracks (self->track_source) : NULL;
  for (guint t = 1; tracks != NULL && t < tracks->len; t++)
    {
      const PlmResidueTrack *tr = &g_array_index (tracks, PlmResidueTrack, t);
      uint32_t argb = 0xff000000u | (uint32_t) lround (tr->color.red * 255) << 16
                      | (uint32_t) lround (tr->color.green * 255) << 8 | (uint32_t) lround (tr->color.blue * 255);
      for (guint k = 0; k + 1 < tr->ranges->len; k += 2)
        for (int i = g_array_index (tr->ranges, int, k); i <= g_array_index (tr->ranges, int, k + 1); i++)
          plm_structure_scene_add_spheres (scene, 0, &i, 1, argb);
      g_string_append_printf (legend, "<span foreground=\"#%06x\">⬤</span> %s   ", argb & 0xffffff, tr->title);
    }
  if (legend->len == 0)
    g_string_append (legend, _("No annotations loaded: load active sites or a UniProt file in the HA Sites view."));
}

/* In the NM pair mode, whether the pair's chain A (the scene's sequence 0) is another protein
 * than the result's, which the linked selection's residues belong to. */
static gboolean
pair_is_foreign (PlmStructureView *self)
{
  return self->coloring == PLM_STRUCTURE_COLOR_PAIR && self->pair_message == NULL && self->result != NULL
         && g_strcmp0 (plm_pair_view_get_sequence (self->pair_source, 0, 0), self->result->sequence) != 0;
}

/* Colours the area's scene for the current colouring, then the selection's sphere. */
static void
paint (PlmStructureView *self)
{
  PlmStructureScene *scene = plm_structure_area_get_scene (self->area);
  g_autoptr(GString) legend = g_string_new (NULL);
  PlmInferenceResult *r = self->result;
  PlmScale scale = { PLM_SCALE_LINEAR, 0, 1 };
  gboolean values = FALSE;
  if (scene == NULL || r == NULL)
    return;
  int L = r->n_residues, T = r->n_tokens;
  switch (self->coloring)
    {
    case PLM_STRUCTURE_COLOR_ATTENTION:
      {
        g_autofree float *A = g_new (float, (gsize) T * T);
        plm_attention_store_copy_map (r->attention, self->layer, self->head, A);
        plm_structure_paint_attention (scene, 0, A, T, self->color_map, PLM_SCALE_LINEAR, self->links, &scale);
        values = TRUE;
        if (self->head < 0)
          g_string_append_printf (legend, _("Colour: attention received at layer %d, mean of heads. Links: the %u strongest pairs."),
                                  self->layer + 1, scene->links->len);
        else
          g_string_append_printf (legend, _("Colour: attention received at layer %d, head %d. Links: the %u strongest pairs."),
                                  self->layer + 1, self->head + 1, scene->links->len);
        break;
      }
    case PLM_STRUCTURE_COLOR_HASITES:
      if (r->ha_profiles != NULL)
        {
          PlmHaResult ha = { 0 };
          plm_ha_result_from_heatmap (r->ha_profiles, r->n_layers, L, &ha);
          plm_structure_paint_hasites (scene, 0, &ha, self->color_map, &scale);
          values = TRUE;
          g_string_append_printf (legend, _("Colour: attention received at the layer of convergence (%d). <span foreground=\"#d62728\">⬤</span> HA sites (%d)."),
                                  ha.loc + 1, ha.n_sites);
          plm_ha_result_clear (&ha);
        }
      break;
    case PLM_STRUCTURE_COLOR_ACTIVE:
      paint_annotations (self, scene, legend);
      break;
    case PLM_STRUCTURE_COLOR_CONTACTS:
      if (plm_inference_result_has_contacts (r))
        {
          g_autofree guint8 *truth = plm_contacts_from_structure (self->structure, self->map);
          int counts[3], k = MAX (1, L / 5);
          g_autofree int *top = g_new (int, k);
          int n = plm_inference_result_rank_contacts (r, 6, k, NULL, top);
          plm_structure_paint_contacts (scene, 0, top, n, L, truth, 6, counts);
          g_string_append_printf (legend, _("Links: the top L/5 predicted contacts, <span foreground=\"#2ca02c\">in contact</span> (%d) or <span foreground=\"#d62728\">not</span> (%d) in the structure."),
                                  counts[0], counts[1]);
        }
      else
        g_string_append (legend, _("This model has no contact head."));
      break;
    case PLM_STRUCTURE_COLOR_PAIR:
      if (self->pair_message == NULL)
        {
          int na = 0, nb = 0;
          const int *ta = plm_pair_view_get_top (self->pair_source, 0, 0, &na);
          const int *tb = plm_pair_view_get_top (self->pair_source, 0, 1, &nb);
          plm_structure_paint_pair (scene, ta, na, tb, nb);
          g_string_append_printf (legend, _("<span foreground=\"#d62728\">⬤</span> chain A's and <span foreground=\"#1f77b4\">⬤</span> chain B's %d residues with the most cross-attention of the Pair view's positive pair (%s)."),
                                  MAX (na, nb), plm_pair_view_get_head_name (self->pair_source));
          g_autofree char *more = NULL;
          if (gtk_widget_get_visible (GTK_WIDGET (self->negative)))
            /* Translators: the NM pair mode's second panel, right of the positive pair: the negative
             * partner's structure file and chain */
            more = g_strdup_printf (_("Right: the negative pair, its partner %s chain %s, coloured the same way."),
                                    plm_structure_negative_get_name (self->negative),
                                    plm_structure_negative_get_chain (self->negative, 1));
          else
            more = g_strdup (plm_structure_negative_get_message (self->negative));
          if (more != NULL)
            {
              g_autofree char *escaped = g_markup_escape_text (more, -1);
              g_string_append_printf (legend, " %s", escaped);
            }
        }
      else
        {
          plm_structure_scene_color_chains (scene);
          plm_structure_scene_clear_spheres (scene);
          plm_structure_scene_clear_links (scene);
          g_string_append (legend, self->pair_message);
        }
      break;
    case PLM_STRUCTURE_COLOR_CHAIN:
    default:
      plm_structure_scene_color_chains (scene);
      plm_structure_scene_clear_spheres (scene);
      plm_structure_scene_clear_links (scene);
      for (guint c = 0; c < scene->chains->len; c++)
        g_string_append_printf (legend, "<span foreground=\"#%06x\">⬤</span> %s   ",
                                plm_structure_scene_chain_color ((int) c) & 0xffffff,
                                (const char *) scene->chains->pdata[c]);
      break;
    }
  if (self->highlighted >= 0 && !pair_is_foreign (self))
    plm_structure_scene_add_spheres (scene, 0, &self->highlighted, 1, SELECTION_COLOR);
  gtk_widget_set_visible (GTK_WIDGET (self->color_bar), values);
  if (values)
    {
      plm_color_bar_set_color_map (self->color_bar, self->color_map);
      plm_color_bar_set_scale (self->color_bar, &scale);
    }
  gtk_label_set_markup (self->legend_label, legend->str);
  plm_structure_area_scene_changed (self->area);
}

static void
set_status (PlmStructureView *self)
{
  g_autofree char *status = NULL;
  if (self->result == NULL)
    status = g_strdup (_("Run a sequence, then load its structure."));
  else if (self->map == NULL)
    status = g_strdup (_("Load a PDB or mmCIF file of this protein."));
  else
    {
      const char *name = plm_loaded_structure_get_name (self->loaded);
      /* Translators: file, chain, identity of the alignment, residues of the sequence in the structure */
      status = g_strdup_printf (_("%s chain %s · %.0f%% identical · %d of %d residues in the structure"), name,
                                *self->map->chain ? self->map->chain : "' '", 100.0 * self->map->identity,
                                self->map->aligned, self->map->length);
    }
  gtk_label_set_text (self->status_label, status);
}

/* The first chain of the structure other than @except that @sequence aligns to, as a map. */
static PlmStructureMap *
map_any_chain (PlmStructureView *self, const char *sequence, const char *except)
{
  GArray *fits = plm_loaded_structure_get_fits (self->loaded);
  for (guint k = 0; fits != NULL && k < fits->len; k++)
    {
      const char *chain = g_array_index (fits, PlmChainFit, k).chain;
      if (g_strcmp0 (chain, except) == 0)
        continue;
      PlmStructureMap *map = plm_structure_map_align (self->structure, chain, sequence, (int) strlen (sequence), FALSE, NULL);
      if (map != NULL)
        return map;
    }
  return NULL;
}

/* NM pair mode: the Pair view's positive pair on two chains of the structure, or NULL with
 * self->pair_message saying what is missing. */
static PlmStructureScene *
pair_scene (PlmStructureView *self)
{
  g_clear_pointer (&self->pair_message, g_free);
  const char *sa = self->pair_source ? plm_pair_view_get_sequence (self->pair_source, 0, 0) : NULL;
  const char *sb = self->pair_source ? plm_pair_view_get_sequence (self->pair_source, 0, 1) : NULL;
  if (sa == NULL || sb == NULL)
    {
      self->pair_message = g_strdup (_("Compute a pair in the Pair view first: its positive pair is shown on a two-chain structure."));
      return NULL;
    }
  g_autoptr(PlmStructureMap) ma = map_any_chain (self, sa, NULL);
  g_autoptr(PlmStructureMap) mb = ma ? map_any_chain (self, sb, ma->chain) : NULL;
  if (mb == NULL)
    {
      self->pair_message = g_strdup (_("The structure has no two chains that match the Pair view's positive pair: load the complex of the two proteins."));
      return NULL;
    }
  return plm_structure_scene_new_pair (self->structure, ma, self->structure, mb);
}

/* The negative pair beside the positive one: in the NM pair mode with a pair shown, once the
 * negative partner's structure is loaded. */
static void
update_negative (PlmStructureView *self)
{
  gboolean pair = self->coloring == PLM_STRUCTURE_COLOR_PAIR && self->map != NULL && self->result != NULL
                  && self->pair_message == NULL;
  gboolean shown = pair && plm_structure_negative_update (self->negative, self->pair_source, self->structure);
  if (!pair)
    plm_structure_negative_hide (self->negative);
  gtk_widget_set_visible (GTK_WIDGET (self->positive_title), shown);
}

/* Builds the scene of the mapped chain (and the other chains for the chain colouring). */
static void
rebuild (PlmStructureView *self, gboolean reset)
{
  if (self->map == NULL || self->result == NULL)
    {
      plm_structure_area_set_scene (self->area, NULL, reset);
      gtk_widget_set_visible (GTK_WIDGET (self->color_bar), FALSE);
      gtk_label_set_text (self->legend_label, "");
      update_negative (self);
      set_status (self);
      return;
    }
  const PlmStructureMap *maps[] = { self->map };
  const char *only[] = { self->map->chain, NULL };
  PlmStructureScene *scene = self->coloring == PLM_STRUCTURE_COLOR_PAIR ? pair_scene (self) : NULL;
  if (scene == NULL)
    scene = plm_structure_scene_new (self->structure, self->coloring == PLM_STRUCTURE_COLOR_CHAIN
                                                        || self->coloring == PLM_STRUCTURE_COLOR_PAIR ? NULL : only, maps, 1);
  plm_structure_area_set_scene (self->area, scene, reset);
  update_negative (self);
  set_status (self);
  paint (self);
}

/* The shared structure changed (loaded, another chain, dropped): shown when it is aligned to the
 * result on show. */
static void
on_structure_changed (PlmStructureView *self)
{
  const PlmStructureMap *map = plm_loaded_structure_get_map (self->loaded);
  gboolean ok = self->result != NULL && map != NULL && map->length == self->result->n_residues;
  self->structure = ok ? plm_loaded_structure_get_structure (self->loaded) : NULL;
  self->map = ok ? map : NULL;
  rebuild (self, TRUE);
}

gboolean
plm_structure_view_load_structure (PlmStructureView *self, const char *path, GError **error)
{
  g_return_val_if_fail (PLM_IS_STRUCTURE_VIEW (self), FALSE);
  if (self->result == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                           _("A structure is shown with a sequence's results: run one first."));
      return FALSE;
    }
  /* the best chain, aligned to the sequence (BLOSUM62; refused below 90 % identity) */
  return plm_structure_bar_load (self->structure_bar, path, error);
}

void
plm_structure_view_set_structure (PlmStructureView *self, PlmLoadedStructure *structure)
{
  g_return_if_fail (PLM_IS_STRUCTURE_VIEW (self));
  g_return_if_fail (PLM_IS_LOADED_STRUCTURE (structure));

  plm_structure_bar_share (self->structure_bar, &self->loaded, &self->loaded_handler, structure,
                           self->result != NULL ? self->result->sequence : NULL,
                           self->result != NULL ? self->result->n_residues : 0,
                           G_CALLBACK (on_structure_changed), self);
}

const char *
plm_structure_view_get_path (PlmStructureView *self)
{
  g_return_val_if_fail (PLM_IS_STRUCTURE_VIEW (self), NULL);
  return self->map ? plm_loaded_structure_get_path (self->loaded) : NULL;
}

gboolean
plm_structure_view_set_chain (PlmStructureView *self, const char *chain, GError **error)
{
  g_return_val_if_fail (PLM_IS_STRUCTURE_VIEW (self), FALSE);
  if (self->map != NULL && g_strcmp0 (self->map->chain, chain) == 0)
    return TRUE;
  return plm_structure_bar_select_chain (self->structure_bar, chain, error);
}

const char *
plm_structure_view_get_chain (PlmStructureView *self)
{
  return self->map ? self->map->chain : NULL;
}

PlmStructureBar *
plm_structure_view_get_structure_bar (PlmStructureView *self)
{
  g_return_val_if_fail (PLM_IS_STRUCTURE_VIEW (self), NULL);
  return self->structure_bar;
}

void
plm_structure_view_set_coloring (PlmStructureView *self, PlmStructureColoring coloring)
{
  g_return_if_fail (PLM_IS_STRUCTURE_VIEW (self));
  gboolean chains_change = (coloring == PLM_STRUCTURE_COLOR_CHAIN) != (self->coloring == PLM_STRUCTURE_COLOR_CHAIN)
                           || coloring == PLM_STRUCTURE_COLOR_PAIR || self->coloring == PLM_STRUCTURE_COLOR_PAIR;
  self->coloring = coloring;
  if (gtk_drop_down_get_selected (self->color_dropdown) != (guint) coloring)
    gtk_drop_down_set_selected (self->color_dropdown, coloring);
  gboolean attention = coloring == PLM_STRUCTURE_COLOR_ATTENTION;
  gtk_widget_set_sensitive (GTK_WIDGET (self->layer_spin), attention);
  gtk_widget_set_sensitive (GTK_WIDGET (self->head_dropdown), attention);
  gtk_widget_set_sensitive (GTK_WIDGET (self->links_scale), attention);
  gtk_widget_set_visible (self->negative_button, coloring == PLM_STRUCTURE_COLOR_PAIR);
  if (chains_change)
    rebuild (self, FALSE);
  else
    paint (self);
}

static void
on_color_selected (PlmStructureView *self)
{
  plm_structure_view_set_coloring (self, (PlmStructureColoring) gtk_drop_down_get_selected (self->color_dropdown));
}

void
plm_structure_view_set_attention (PlmStructureView *self, int layer, int head)
{
  g_return_if_fail (PLM_IS_STRUCTURE_VIEW (self));
  if (self->result != NULL)
    {
      layer = CLAMP (layer, 0, self->result->n_layers - 1);
      head = CLAMP (head, -1, self->result->n_heads - 1);
    }
  self->layer = layer;
  self->head = head;
  self->updating = TRUE;
  gtk_spin_button_set_value (self->layer_spin, layer + 1);
  gtk_drop_down_set_selected (self->head_dropdown, (guint) (head + 1));
  self->updating = FALSE;
  paint (self);
}

static void
on_attention_changed (PlmStructureView *self)
{
  if (self->updating)
    return;
  guint h = gtk_drop_down_get_selected (self->head_dropdown);
  plm_structure_view_set_attention (self, gtk_spin_button_get_value_as_int (self->layer_spin) - 1,
                                    h == GTK_INVALID_LIST_POSITION ? -1 : (int) h - 1);
}

void
plm_structure_view_set_links (PlmStructureView *self, int k)
{
  g_return_if_fail (PLM_IS_STRUCTURE_VIEW (self));
  self->links = MAX (k, 0);
  if ((int) gtk_range_get_value (GTK_RANGE (self->links_scale)) != self->links)
    gtk_range_set_value (GTK_RANGE (self->links_scale), self->links);
  paint (self);
}

static void
on_links_changed (PlmStructureView *self)
{
  int k = (int) lround (gtk_range_get_value (GTK_RANGE (self->links_scale)));
  if (k != self->links)
    plm_structure_view_set_links (self, k);
}

void
plm_structure_view_set_color_map (PlmStructureView *self, PlmColorMap map)
{
  g_return_if_fail (PLM_IS_STRUCTURE_VIEW (self));
  self->color_map = map;
  plm_color_bar_set_color_map (self->color_bar, map);
  paint (self);
}

char *
plm_structure_view_readout (PlmStructureView *self, int index)
{
  PlmStructureScene *scene = plm_structure_area_get_scene (self->area);
  int sc = scene ? plm_structure_scene_lookup (scene, 0, index) : -1;
  if (sc < 0 || self->result == NULL)
    return NULL;
  const PlmSceneResidue *r = &g_array_index (scene->residues, PlmSceneResidue, sc);
  const char *chain = scene->chains->pdata[r->chain];
  g_autofree char *where = r->icode != ' ' ? g_strdup_printf ("%d%c", r->number, r->icode) : g_strdup_printf ("%d", r->number);
  const char *what = coloring_value_name (self->coloring);
  if (what != NULL && !isnan (r->value))
    /* Translators: residue, its chain and number in the structure, and what the colour shows */
    return g_strdup_printf (_("%c%d · chain %s %s · %s %.2f"), self->result->sequence[index], index + 1, chain, where,
                            what, r->value);
  return g_strdup_printf (_("%c%d · chain %s %s"), self->result->sequence[index], index + 1, chain, where);
}

static char *
area_readout (int residue, gpointer data)
{
  PlmStructureView *self = data;
  PlmStructureScene *scene = plm_structure_area_get_scene (self->area);
  const PlmSceneResidue *r = &g_array_index (scene->residues, PlmSceneResidue, residue);
  if (self->coloring == PLM_STRUCTURE_COLOR_PAIR && self->pair_message == NULL)
    {
      /* the Pair view's chains, which need not be the result's sequence */
      const char *seqs[] = { plm_pair_view_get_sequence (self->pair_source, 0, 0),
                             plm_pair_view_get_sequence (self->pair_source, 0, 1) };
      return plm_structure_pair_readout (scene, residue, seqs);
    }
  if (r->seq == 0)
    return plm_structure_view_readout (self, r->index);
  /* another chain's residue, not in the result's sequence */
  return g_strdup_printf (_("%c · chain %s %d"), r->letter, (const char *) scene->chains->pdata[r->chain], r->number);
}

static void
on_area_residue (PlmStructureView *self, int residue)
{
  PlmStructureScene *scene = plm_structure_area_get_scene (self->area);
  if (self->selection == NULL || scene == NULL || residue < 0)
    return;
  const PlmSceneResidue *r = &g_array_index (scene->residues, PlmSceneResidue, residue);
  if (pair_is_foreign (self))
    return;
  if (r->seq == 0)
    plm_selection_set_residue (self->selection, r->index);
}

static void
on_selection_changed (PlmStructureView *self, GParamSpec *pspec, PlmSelection *selection)
{
  int residue = selection ? plm_selection_get_residue (selection) : -1;
  if (residue == self->highlighted)
    return;
  self->highlighted = residue;
  paint (self);
}

void
plm_structure_view_set_selection (PlmStructureView *self, PlmSelection *selection)
{
  g_return_if_fail (PLM_IS_STRUCTURE_VIEW (self));
  plm_selection_bind (&self->selection, &self->selection_handler, selection, (PlmSelectionChanged) on_selection_changed,
                      self);
}

static void
on_pair_computed (PlmStructureView *self)
{
  if (self->coloring == PLM_STRUCTURE_COLOR_PAIR)
    rebuild (self, FALSE);
}

void
plm_structure_view_set_pair_source (PlmStructureView *self, PlmPairView *pair_view)
{
  g_return_if_fail (PLM_IS_STRUCTURE_VIEW (self));
  g_set_weak_pointer (&self->pair_source, pair_view);
  if (pair_view != NULL)
    g_signal_connect_object (pair_view, "computed", G_CALLBACK (on_pair_computed), self, G_CONNECT_SWAPPED);
}

gboolean
plm_structure_view_load_negative (PlmStructureView *self, const char *path, GError **error)
{
  g_return_val_if_fail (PLM_IS_STRUCTURE_VIEW (self), FALSE);
  return plm_structure_negative_load (self->negative, self->pair_source, path, error);
}

PlmStructureNegative *
plm_structure_view_get_negative (PlmStructureView *self)
{
  g_return_val_if_fail (PLM_IS_STRUCTURE_VIEW (self), NULL);
  return self->negative;
}

static void
on_negative_clicked (PlmStructureView *self)
{
  static const char *const patterns[] = { "*.pdb", "*.ent", "*.cif", "*.pdb.gz", "*.cif.gz", NULL };
  plm_choose_file_to_load (GTK_WIDGET (self), _("Load the Negative Partner’s Structure"), _("PDB and mmCIF files"),
                           patterns, (PlmLoadFunc) plm_structure_view_load_negative, self->status_label);
}

void
plm_structure_view_set_track_source (PlmStructureView *self, PlmHaView *ha_view)
{
  g_return_if_fail (PLM_IS_STRUCTURE_VIEW (self));
  g_set_weak_pointer (&self->track_source, ha_view);
}

int
plm_structure_view_get_highlighted (PlmStructureView *self)
{
  return self->highlighted;
}

const char *
plm_structure_view_get_status (PlmStructureView *self)
{
  return gtk_label_get_text (self->status_label);
}

PlmStructureArea *
plm_structure_view_get_area (PlmStructureView *self)
{
  return self->area;
}

void
plm_structure_view_set_result (PlmStructureView *self, PlmInferenceResult *result)
{
  g_return_if_fail (PLM_IS_STRUCTURE_VIEW (self));
  if (result != NULL)
    plm_inference_result_ref (result);
  g_clear_pointer (&self->result, plm_inference_result_unref);
  self->result = result;
  self->highlighted = -1;
  self->updating = TRUE;
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->head_list));
  g_autoptr(GPtrArray) heads = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (heads, g_strdup (_("Mean of heads")));
  for (int h = 0; result != NULL && h < result->n_heads; h++)
    g_ptr_array_add (heads, g_strdup_printf (_("Head %d"), h + 1));
  g_ptr_array_add (heads, NULL);
  gtk_string_list_splice (self->head_list, 0, n, (const char *const *) heads->pdata);
  gtk_adjustment_set_upper (gtk_spin_button_get_adjustment (self->layer_spin), result ? result->n_layers : 1);
  self->layer = result ? result->n_layers - 1 : 0;
  self->head = -1;
  gtk_spin_button_set_value (self->layer_spin, self->layer + 1);
  gtk_drop_down_set_selected (self->head_dropdown, 0);
  self->updating = FALSE;
  /* a structure belongs to one protein: kept for the same sequence, else dropped */
  if (result != NULL)
    plm_loaded_structure_set_sequence (self->loaded, result->sequence, result->n_residues);
  on_structure_changed (self);
}

PlmFigure *
plm_structure_view_create_figure (PlmStructureView *self, const char *record)
{
  PlmStructureScene *scene = plm_structure_area_get_scene (self->area);
  if (scene == NULL)
    return NULL;
  PlmStructureScene *copy = plm_structure_scene_copy (scene);
  if (self->highlighted >= 0)
    {
      /* the selection is a view's state, not the figure's: repaint without it */
      int keep = self->highlighted;
      self->highlighted = -1;
      paint (self);
      plm_structure_scene_free (copy);
      copy = plm_structure_scene_copy (scene);
      self->highlighted = keep;
      paint (self);
    }
  PlmFigure *fig = plm_figure_new (PLM_FIGURE_STRUCTURE);
  plm_figure_get_style (fig)->color_map = self->color_map;
  PlmScale scale;
  plm_color_bar_get_scale (self->color_bar, &scale);
  gboolean values = gtk_widget_get_visible (GTK_WIDGET (self->color_bar));
  g_autofree char *title = NULL;
  if (self->coloring == PLM_STRUCTURE_COLOR_ATTENTION)
    title = self->head < 0 ? g_strdup_printf (_("%s · layer %d · mean of %d heads"), record ? record : "", self->layer + 1,
                                              self->result->n_heads)
                           : g_strdup_printf (_("%s · layer %d · head %d"), record ? record : "", self->layer + 1,
                                              self->head + 1);
  else
    title = g_strdup (record ? record : "");
  plm_figure_set_default_title (fig, title);
  int loc = -1;
  if (self->coloring == PLM_STRUCTURE_COLOR_HASITES && self->result->ha_profiles != NULL)
    {
      PlmHaResult ha = { 0 };
      plm_ha_result_from_heatmap (self->result->ha_profiles, self->result->n_layers, self->result->n_residues, &ha);
      loc = ha.loc;
      plm_ha_result_clear (&ha);
    }
  if (self->coloring == PLM_STRUCTURE_COLOR_PAIR && self->pair_message == NULL)
    {
      g_free (title);
      /* Translators: figure title of the NM pair mode; %s is the head's file name */
      title = g_strdup_printf (_("Top cross-attention residues · %s"), plm_pair_view_get_head_name (self->pair_source));
      plm_figure_set_default_title (fig, title);
    }
  if (self->coloring == PLM_STRUCTURE_COLOR_PAIR && gtk_widget_get_visible (GTK_WIDGET (self->negative)))
    {
      /* the positive and the negative pair side by side, as `plmlens-cli export --negative` */
      PlmStructureArea *neg = plm_structure_negative_get_area (self->negative);
      /* Translators: figure legend of the NM pair mode with the negative pair beside the positive */
      plm_figure_add_legend_entry (fig, PLM_STRUCTURE_PAIR_A_COLOR, _("top cross-attention, chain A"));
      /* Translators: figure legend: the top cross-attention residues of chain A's partner in each pair */
      plm_figure_add_legend_entry (fig, PLM_STRUCTURE_PAIR_B_COLOR, _("top cross-attention, partner"));
      plm_structure_figure_pairs (fig, copy, plm_structure_area_get_camera (self->area)->rot,
                                  plm_structure_scene_copy (plm_structure_area_get_scene (neg)),
                                  plm_structure_area_get_camera (neg)->rot, _("Positive pair"), _("Negative pair"));
      return fig;
    }
  plm_structure_figure_legend (fig, copy, self->pair_message ? PLM_STRUCTURE_COLOR_CHAIN : self->coloring, loc);
  plm_figure_set_structure (fig, copy, plm_structure_area_get_camera (self->area)->rot, values ? &scale : NULL);
  return fig;
}

static void
plm_structure_view_dispose (GObject *object)
{
  PlmStructureView *self = PLM_STRUCTURE_VIEW (object);
  plm_structure_view_set_selection (self, NULL);
  plm_loaded_structure_bind (&self->loaded, &self->loaded_handler, NULL, NULL, NULL);
  self->structure = NULL;
  self->map = NULL;
  g_clear_weak_pointer (&self->track_source);
  g_clear_weak_pointer (&self->pair_source);
  gtk_widget_dispose_template (GTK_WIDGET (self), PLM_TYPE_STRUCTURE_VIEW);
  G_OBJECT_CLASS (plm_structure_view_parent_class)->dispose (object);
}

static void
plm_structure_view_finalize (GObject *object)
{
  PlmStructureView *self = PLM_STRUCTURE_VIEW (object);
  g_clear_pointer (&self->result, plm_inference_result_unref);
  g_free (self->pair_message);
  G_OBJECT_CLASS (plm_structure_view_parent_class)->finalize (object);
}

static void
plm_structure_view_class_init (PlmStructureViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = plm_structure_view_dispose;
  object_class->finalize = plm_structure_view_finalize;
  g_type_ensure (PLM_TYPE_STRUCTURE_AREA);
  g_type_ensure (PLM_TYPE_COLOR_BAR);
  g_type_ensure (PLM_TYPE_STRUCTURE_BAR);
  g_type_ensure (PLM_TYPE_STRUCTURE_NEGATIVE);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/plmlens/PlmLens/ui/plm-structure-view.ui");
  gtk_widget_class_bind_template_child (widget_class, PlmStructureView, box);
  gtk_widget_class_bind_template_child (widget_class, PlmStructureView, structure_bar);
  gtk_widget_class_bind_template_child (widget_class, PlmStructureView, status_label);
  gtk_widget_class_bind_template_child (widget_class, PlmStructureView, color_dropdown);
  gtk_widget_class_bind_template_child (widget_class, PlmStructureView, layer_spin);
  gtk_widget_class_bind_template_child (widget_class, PlmStructureView, head_dropdown);
  gtk_widget_class_bind_template_child (widget_class, PlmStructureView, head_list);
  gtk_widget_class_bind_template_child (widget_class, PlmStructureView, links_scale);
  gtk_widget_class_bind_template_child (widget_class, PlmStructureView, area);
  gtk_widget_class_bind_template_child (widget_class, PlmStructureView, positive_title);
  gtk_widget_class_bind_template_child (widget_class, PlmStructureView, negative);
  gtk_widget_class_bind_template_child (widget_class, PlmStructureView, negative_button);
  gtk_widget_class_bind_template_child (widget_class, PlmStructureView, color_bar);
  gtk_widget_class_bind_template_child (widget_class, PlmStructureView, legend_label);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "plmstructureview");
}

static void
plm_structure_view_init (PlmStructureView *self)
{
  self->highlighted = -1;
  self->head = -1;
  self->links = 10;
  gtk_widget_init_template (GTK_WIDGET (self));
  plm_structure_area_set_readout_func (self->area, area_readout, self);
  plm_structure_bar_set_message_label (self->structure_bar, self->status_label);
  g_signal_connect_swapped (self->color_dropdown, "notify::selected", G_CALLBACK (on_color_selected), self);
  g_signal_connect_swapped (self->layer_spin, "value-changed", G_CALLBACK (on_attention_changed), self);
  g_signal_connect_swapped (self->head_dropdown, "notify::selected", G_CALLBACK (on_attention_changed), self);
  g_signal_connect_swapped (self->links_scale, "value-changed", G_CALLBACK (on_links_changed), self);
  g_signal_connect_swapped (self->area, "residue-hovered", G_CALLBACK (on_area_residue), self);
  g_signal_connect_swapped (self->area, "residue-activated", G_CALLBACK (on_area_residue), self);
  g_signal_connect_swapped (self->negative_button, "clicked", G_CALLBACK (on_negative_clicked), self);
  g_signal_connect_swapped (self->negative, "changed", G_CALLBACK (on_pair_computed), self);
  gtk_widget_set_visible (GTK_WIDGET (self->color_bar), FALSE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->area), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("3D structure of the protein"), -1);
  /* a structure of its own until the window shares one */
  {
    g_autoptr(PlmLoadedStructure) own = plm_loaded_structure_new ();
    plm_structure_view_set_structure (self, own);
  }
}

GtkWidget *
plm_structure_view_new (void)
{
  return g_object_new (PLM_TYPE_STRUCTURE_VIEW, NULL);
}
