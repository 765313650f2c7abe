/* plm-structure-negative.c: the NM pair mode's negative panel (see the header). The scene is
 * built and coloured as `plmlens-cli export --view structure --negative` builds it
 * (plm_structure_scene_new_pair, plm_structure_paint_pair in app/figure). */
#include <glib/gi18n.h>
#include <math.h>

#include "plm-pair-view.h"
#include "plm-structure-chains.h"
#include "plm-structure-color.h"
#include "plm-structure-negative.h"

struct _PlmStructureNegative
{
  GtkWidget         parent_instance;

  GtkWidget        *box;
  GtkLabel         *title_label;
  PlmStructureArea *area;

  PlmStructure     *structure;   /* the negative partner's file, or NULL */
  char             *name;
  char             *seq[2];      /* the negative pair's chains as shown */
  char              chain[2][8];
  char             *message;
};

G_DEFINE_FINAL_TYPE (PlmStructureNegative, plm_structure_negative, GTK_TYPE_WIDGET)

enum { CHANGED, N_SIGNALS };
static guint signals[N_SIGNALS];

/* The chain of @st (not @except) that @seq fits best at ≥ 90% identity (the most identical
 * residues), aligned; NULL, with @closest the best below that (identity NaN: none), when none is. */
static PlmStructureMap *
map_best (const PlmStructure *st, const char *seq, const char *except, PlmChainFit *closest)
{
  g_autoptr(GArray) fits = plm_structure_chain_fits (st, seq, (int) strlen (seq), NULL);
  int best = -1;
  if (closest != NULL)
    *closest = (PlmChainFit) { .identity = NAN };
  for (guint k = 0; fits != NULL && k < fits->len; k++)
    {
      const PlmChainFit *f = &g_array_index (fits, PlmChainFit, k);
      if (g_strcmp0 (f->chain, except) == 0 || isnan (f->identity))
        continue;
      if (f->identity >= PLM_STRUCTURE_MIN_IDENTITY
          && (best < 0 || f->identical > g_array_index (fits, PlmChainFit, best).identical))
        best = (int) k;
      if (closest != NULL && (isnan (closest->identity) || f->identity > closest->identity))
        *closest = *f;
    }
  if (best < 0)
    return NULL;
  return plm_structure_map_align (st, g_array_index (fits, PlmChainFit, best).chain, seq, (int) strlen (seq), FALSE,
                                  NULL);
}

/* The translated refusal of a file none of whose chains is the negative partner. */
static char *
mismatch_message (const char *name, const PlmChainFit *closest)
{
  if (isnan (closest->identity))
    /* Translators: %s is a structure file name */
    return g_strdup_printf (_("%s has no chain that aligns to the Pair view’s negative partner (chain B of the negative pair): load that protein’s structure."),
                            name);
  /* Translators: file name, its closest chain, the identity in percent and residues aligned */
  return g_strdup_printf (_("%s does not match the Pair view’s negative partner (chain B of the negative pair): its closest chain, %s, is %.0f%% identical over %d residues, below the 90%% required."),
                          name, *closest->chain ? closest->chain : "' '", 100.0 * closest->identity, closest->aligned);
}

gboolean
plm_structure_negative_load (PlmStructureNegative *self, PlmPairView *pair, const char *path, GError **error)
{
  g_return_val_if_fail (PLM_IS_STRUCTURE_NEGATIVE (self), FALSE);
  g_autoptr(PlmStructure) st = plm_structure_read (path, error);
  if (st == NULL)
    return FALSE;
  g_autofree char *name = g_path_get_basename (path);
  const char *partner = pair != NULL ? plm_pair_view_get_sequence (pair, 1, 1) : NULL;
  if (partner != NULL)
    {
      PlmChainFit closest;
      g_autoptr(PlmStructureMap) map = map_best (st, partner, NULL, &closest);
      if (map == NULL)
        {
          g_autofree char *message = mismatch_message (name, &closest);
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, message);
          return FALSE;
        }
    }
  g_clear_pointer (&self->structure, plm_structure_free);
  self->structure = g_steal_pointer (&st);
  g_free (self->name);
  self->name = g_steal_pointer (&name);
  g_signal_emit (self, signals[CHANGED], 0);
  return TRUE;
}

static gboolean
fail (PlmStructureNegative *self, char *message)
{
  g_free (self->message);
  self->message = message;
  plm_structure_negative_hide (self);
  return FALSE;
}

gboolean
plm_structure_negative_update (PlmStructureNegative *self, PlmPairView *pair, const PlmStructure *positive)
{
  g_return_val_if_fail (PLM_IS_STRUCTURE_NEGATIVE (self), FALSE);
  const char *sa = pair != NULL ? plm_pair_view_get_sequence (pair, 1, 0) : NULL;
  const char *sb = pair != NULL ? plm_pair_view_get_sequence (pair, 1, 1) : NULL;
  if (sa == NULL || sb == NULL)
    return fail (self, NULL);
  if (self->structure == NULL)
    return fail (self, g_strdup (_("Load the negative partner’s structure to show the negative pair beside the positive one.")));
  PlmChainFit closest;
  g_autoptr(PlmStructureMap) mb = map_best (self->structure, sb, NULL, &closest);
  if (mb == NULL)
    return fail (self, mismatch_message (self->name, &closest));
  /* chain A: in the complex on the left, else a chain of the negative partner's file */
  const PlmStructure *st_a = positive;
  g_autoptr(PlmStructureMap) ma = positive != NULL ? map_best (positive, sa, NULL, NULL) : NULL;
  if (ma == NULL)
    {
      st_a = self->structure;
      ma = map_best (self->structure, sa, mb->chain, NULL);
    }
  if (ma == NULL)
    return fail (self, g_strdup (_("The negative pair’s chain A is in neither structure: load a structure with it.")));

  gboolean same = self->seq[0] && self->seq[1] && strcmp (self->seq[0], sa) == 0 && strcmp (self->seq[1], sb) == 0
                  && strcmp (self->chain[0], ma->chain) == 0 && strcmp (self->chain[1], mb->chain) == 0
                  && plm_structure_area_get_scene (self->area) != NULL;
  g_free (self->seq[0]);
  g_free (self->seq[1]);
  self->seq[0] = g_strdup (sa);
  self->seq[1] = g_strdup (sb);
  g_strlcpy (self->chain[0], ma->chain, sizeof self->chain[0]);
  g_strlcpy (self->chain[1], mb->chain, sizeof self->chain[1]);
  PlmStructureScene *scene = plm_structure_scene_new_pair (st_a, ma, self->structure, mb);
  int na = 0, nb = 0;
  const int *ta = plm_pair_view_get_top (pair, 1, 0, &na);
  const int *tb = plm_pair_view_get_top (pair, 1, 1, &nb);
  plm_structure_paint_pair (scene, ta, na, tb, nb);
  /* the same pair again (another head, a recompute) keeps the user's rotation */
  plm_structure_area_set_scene (self->area, scene, !same);
  g_clear_pointer (&self->message, g_free);
  gtk_widget_set_visible (GTK_WIDGET (self), TRUE);
  return TRUE;
}

void
plm_structure_negative_hide (PlmStructureNegative *self)
{
  g_return_if_fail (PLM_IS_STRUCTURE_NEGATIVE (self));
  plm_structure_area_set_scene (self->area, NULL, TRUE);
  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
}

const char *
plm_structure_negative_get_message (PlmStructureNegative *self)
{
  g_return_val_if_fail (PLM_IS_STRUCTURE_NEGATIVE (self), NULL);
  return self->message;
}

const char *
plm_structure_negative_get_name (PlmStructureNegative *self)
{
  g_return_val_if_fail (PLM_IS_STRUCTURE_NEGATIVE (self), NULL);
  return self->name;
}

const char *
plm_structure_negative_get_chain (PlmStructureNegative *self, int chain)
{
  g_return_val_if_fail (PLM_IS_STRUCTURE_NEGATIVE (self) && (chain == 0 || chain == 1), NULL);
  return self->chain[chain];
}

PlmStructureArea *
plm_structure_negative_get_area (PlmStructureNegative *self)
{
  g_return_val_if_fail (PLM_IS_STRUCTURE_NEGATIVE (self), NULL);
  return self->area;
}

char *
plm_structure_pair_readout (const PlmStructureScene *scene, int residue, const char *sequences[2])
{
  const PlmSceneResidue *r = &g_array_index (scene->residues, PlmSceneResidue, residue);
  const char *chain = scene->chains->pdata[r->chain];
  if (r->seq < 0 || r->seq > 1 || sequences[r->seq] == NULL)
    return g_strdup_printf (_("%c · chain %s %d"), r->letter, chain, r->number);
  g_autofree char *where = r->icode != ' ' ? g_strdup_printf ("%d%c", r->number, r->icode) : g_strdup_printf ("%d", r->number);
  return g_strdup_printf (_("%c%d · chain %s %s"), sequences[r->seq][r->index], r->index + 1, chain, where);
}

static char *
readout (int residue, gpointer data)
{
  PlmStructureNegative *self = data;
  return plm_structure_pair_readout (plm_structure_area_get_scene (self->area), residue, (const char **) self->seq);
}

static void
plm_structure_negative_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), PLM_TYPE_STRUCTURE_NEGATIVE);
  G_OBJECT_CLASS (plm_structure_negative_parent_class)->dispose (object);
}

static void
plm_structure_negative_finalize (GObject *object)
{
  PlmStructureNegative *self = PLM_STRUCTURE_NEGATIVE (object);
  g_clear_pointer (&self->structure, plm_structure_free);
  g_free (self->name);
  g_free (self->seq[0]);
  g_free (self->seq[1]);
  g_free (self->message);
  G_OBJECT_CLASS (plm_structure_negative_parent_class)->finalize (object);
}

static void
plm_structure_negative_class_init (PlmStructureNegativeClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = plm_structure_negative_dispose;
  object_class->finalize = plm_structure_negative_finalize;
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                   G_TYPE_NONE, 0);
  g_type_ensure (PLM_TYPE_STRUCTURE_AREA);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/plmlens/PlmLens/ui/plm-structure-negative.ui");
  gtk_widget_class_bind_template_child (widget_class, PlmStructureNegative, box);
  gtk_widget_class_bind_template_child (widget_class, PlmStructureNegative, title_label);
  gtk_widget_class_bind_template_child (widget_class, PlmStructureNegative, area);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "plmstructurenegative");
}

static void
plm_structure_negative_init (PlmStructureNegative *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  plm_structure_area_set_readout_func (self->area, readout, self);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->area), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("3D structure of the negative pair"), -1);
}

GtkWidget *
plm_structure_negative_new (void)
{
  return g_object_new (PLM_TYPE_STRUCTURE_NEGATIVE, NULL);
}
