/* plm-selection.c: one observable residue index, so views link without knowing each other. */
#include "plm-selection.h"

struct _PlmSelection
{
  GObject parent_instance;
  int     residue;
};

G_DEFINE_FINAL_TYPE (PlmSelection, plm_selection, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_RESIDUE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
plm_selection_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  PlmSelection *self = PLM_SELECTION (object);

  switch (prop_id)
    {
    case PROP_RESIDUE:
      g_value_set_int (value, self->residue);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
plm_selection_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  PlmSelection *self = PLM_SELECTION (object);

  switch (prop_id)
    {
    case PROP_RESIDUE:
      plm_selection_set_residue (self, g_value_get_int (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
plm_selection_class_init (PlmSelectionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = plm_selection_get_property;
  object_class->set_property = plm_selection_set_property;

  /* EXPLICIT_NOTIFY: a view setting the residue it already shows must not start a redraw cascade. */
  properties[PROP_RESIDUE] =
    g_param_spec_int ("residue", NULL, NULL, -1, G_MAXINT, -1,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
plm_selection_init (PlmSelection *self)
{
  self->residue = -1;
}

PlmSelection *
plm_selection_new (void)
{
  return g_object_new (PLM_TYPE_SELECTION, NULL);
}

void
plm_selection_set_residue (PlmSelection *self,
                           int           residue)
{
  g_return_if_fail (PLM_IS_SELECTION (self));

  residue = MAX (residue, -1);
  if (self->residue == residue)
    return;
  self->residue = residue;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RESIDUE]);
}

int
plm_selection_get_residue (PlmSelection *self)
{
  g_return_val_if_fail (PLM_IS_SELECTION (self), -1);
  return self->residue;
}

void
plm_selection_bind (PlmSelection **slot, gulong *handler, PlmSelection *selection,
                    PlmSelectionChanged changed, gpointer view)
{
  g_return_if_fail (selection == NULL || PLM_IS_SELECTION (selection));

  if (*slot == selection)
    return;
  if (*slot != NULL)
    g_clear_signal_handler (handler, *slot);
  g_set_object (slot, selection);
  if (selection != NULL)
    {
      *handler = g_signal_connect_swapped (selection, "notify::residue", G_CALLBACK (changed), view);
      changed (view, NULL, selection);
    }
}
