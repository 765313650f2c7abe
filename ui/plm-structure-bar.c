/* plm-structure-bar.c: loading a structure, picking its chain, forcing a poor match. */
#include <glib/gi18n.h>
#include <math.h>

#include "plm-file-chooser.h"
#include "plm-structure-bar.h"

struct _PlmStructureBar
{
  GtkWidget           parent_instance;

  GtkWidget          *box;
  GtkButton          *load_button;
  GtkDropDown        *chain_dropdown;
  GtkButton          *force_button;

  PlmLoadedStructure *structure;
  gulong              changed_handler;
  GtkLabel           *message_label;
  GtkStringList      *chains;        /* chain ids, in the drop-down's order */
  GArray             *shown_fits;    /* the fits listed (not a reference: compared only) */
  GHashTable         *descriptions;  /* "Chain A" → "Chain A · 100% identical · 92% coverage" */
  char               *pending_path;  /* refused for low identity: Use Anyway loads it */
  char               *pending_chain;
  gboolean            updating;
};

G_DEFINE_FINAL_TYPE (PlmStructureBar, plm_structure_bar, GTK_TYPE_WIDGET)

static void
clear_pending (PlmStructureBar *self)
{
  g_clear_pointer (&self->pending_path, g_free);
  g_clear_pointer (&self->pending_chain, g_free);
  gtk_widget_set_visible (GTK_WIDGET (self->force_button), FALSE);
}

static const char *
chain_label (const char *chain)
{
  return *chain ? chain : "' '";
}

/* The chain in use with its identity and coverage, which the button does not show. */
static void
update_tooltip (PlmStructureBar *self)
{
  const char *text = plm_structure_bar_get_chain_text (self, gtk_drop_down_get_selected (self->chain_dropdown));

  gtk_widget_set_tooltip_text (GTK_WIDGET (self->chain_dropdown), text);
}

/* The drop-down lists the loaded structure's chains; the button shows the one in use. */
static void
on_structure_changed (PlmStructureBar *self)
{
  g_autoptr(GtkStringList) items = gtk_string_list_new (NULL);
  GArray *fits = self->structure != NULL ? plm_loaded_structure_get_fits (self->structure) : NULL;
  int chain = self->structure != NULL ? plm_loaded_structure_get_chain (self->structure) : -1;

  clear_pending (self);
  /* another chain of the same structure: the list stays (it may be the drop-down that
   * changed it, whose selection model must not be replaced under it) */
  if (fits != NULL && fits == self->shown_fits)
    {
      self->updating = TRUE;
      gtk_drop_down_set_selected (self->chain_dropdown, chain);
      self->updating = FALSE;
      update_tooltip (self);
      return;
    }
  self->shown_fits = fits;
  g_clear_object (&self->chains);
  self->chains = gtk_string_list_new (NULL);
  g_hash_table_remove_all (self->descriptions);
  for (guint i = 0; fits != NULL && i < fits->len; i++)
    {
      const PlmChainFit *f = &g_array_index (fits, PlmChainFit, i);
      char *name, *text;

      /* Translators: a chain of a structure, e.g. "Chain A" (the drop-down's button) */
      name = g_strdup_printf (_("Chain %s"), chain_label (f->chain));
      /* Translators: a chain id, the identity of its alignment to the sequence and the share of the sequence it covers */
      text = g_strdup_printf (_("Chain %s · %.0f%% identical · %.0f%% coverage"), chain_label (f->chain),
                              isnan (f->identity) ? 0.0 : 100.0 * f->identity, 100.0 * f->coverage);
      gtk_string_list_append (items, name);
      gtk_string_list_append (self->chains, f->chain);
      g_hash_table_insert (self->descriptions, name, text);
    }
  self->updating = TRUE;
  gtk_drop_down_set_model (self->chain_dropdown, G_LIST_MODEL (items));
  if (chain >= 0)
    gtk_drop_down_set_selected (self->chain_dropdown, chain);
  self->updating = FALSE;
  update_tooltip (self);
  gtk_widget_set_visible (GTK_WIDGET (self->chain_dropdown), fits != NULL && fits->len > 1);
}

static gboolean
handle_refusal (PlmStructureBar *self,
                const char      *path,
                const char      *chain,
                GError          *error)
{
  if (g_error_matches (error, PLM_LOADED_STRUCTURE_ERROR, PLM_LOADED_STRUCTURE_ERROR_IDENTITY))
    {
      g_free (self->pending_path);
      self->pending_path = g_strdup (path);
      g_free (self->pending_chain);
      self->pending_chain = g_strdup (chain);
      gtk_widget_set_visible (GTK_WIDGET (self->force_button), TRUE);
    }
  return FALSE;
}

gboolean
plm_structure_bar_load (PlmStructureBar  *self,
                        const char       *path,
                        GError          **error)
{
  GError *local = NULL;

  g_return_val_if_fail (PLM_IS_STRUCTURE_BAR (self), FALSE);
  g_return_val_if_fail (self->structure != NULL, FALSE);

  clear_pending (self);
  if (plm_loaded_structure_load (self->structure, path, NULL, FALSE, &local))
    return TRUE;
  handle_refusal (self, path, NULL, local);
  g_propagate_error (error, local);
  return FALSE;
}

gboolean
plm_structure_bar_select_chain (PlmStructureBar  *self,
                                const char       *chain,
                                GError          **error)
{
  GError *local = NULL;

  g_return_val_if_fail (PLM_IS_STRUCTURE_BAR (self), FALSE);
  g_return_val_if_fail (self->structure != NULL, FALSE);

  clear_pending (self);
  if (plm_loaded_structure_set_chain (self->structure, chain, FALSE, &local))
    return TRUE;
  handle_refusal (self, plm_loaded_structure_get_path (self->structure), chain, local);
  /* the drop-down goes back to the chain in use */
  self->updating = TRUE;
  gtk_drop_down_set_selected (self->chain_dropdown, MAX (0, plm_loaded_structure_get_chain (self->structure)));
  self->updating = FALSE;
  g_propagate_error (error, local);
  return FALSE;
}

gboolean
plm_structure_bar_force (PlmStructureBar  *self,
                         GError          **error)
{
  g_autofree char *path = NULL, *chain = NULL;
  const char *loaded;

  g_return_val_if_fail (PLM_IS_STRUCTURE_BAR (self), FALSE);

  if (self->pending_path == NULL || self->structure == NULL)
    return FALSE;
  path = g_steal_pointer (&self->pending_path);
  chain = g_steal_pointer (&self->pending_chain);
  clear_pending (self);
  loaded = plm_loaded_structure_get_path (self->structure);
  if (chain != NULL && loaded != NULL && g_str_equal (loaded, path))
    return plm_loaded_structure_set_chain (self->structure, chain, TRUE, error);
  return plm_loaded_structure_load (self->structure, path, chain, TRUE, error);
}

static void
show_error (PlmStructureBar *self,
            GError          *error)
{
  if (error != NULL && self->message_label != NULL)
    gtk_label_set_text (self->message_label, error->message);
}

static void
on_chain_selected (PlmStructureBar *self)
{
  guint selected = gtk_drop_down_get_selected (self->chain_dropdown);
  g_autoptr(GError) error = NULL;

  /* (also the drop-down going back to the chain in use after a refusal, which GTK may notify late) */
  if (self->updating || self->chains == NULL || selected >= g_list_model_get_n_items (G_LIST_MODEL (self->chains)) ||
      (int) selected == plm_loaded_structure_get_chain (self->structure))
    return;
  if (!plm_structure_bar_select_chain (self, gtk_string_list_get_string (self->chains, selected), &error))
    show_error (self, error);
}

static void
on_force_clicked (PlmStructureBar *self)
{
  g_autoptr(GError) error = NULL;

  if (!plm_structure_bar_force (self, &error))
    show_error (self, error);
}

static void
on_load_clicked (PlmStructureBar *self)
{
  static const char *const patterns[] = { "*.pdb", "*.ent", "*.cif", "*.pdb.gz", "*.cif.gz", NULL };

  plm_choose_file_to_load (GTK_WIDGET (self), _("Load a Structure"), _("PDB and mmCIF files"), patterns,
                           (PlmLoadFunc) plm_structure_bar_load, self->message_label);
}

/* The list shows each chain with its identity and coverage, the button only the chain. */
static void
setup_item (GtkSignalListItemFactory *factory,
            GtkListItem              *item)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *label = gtk_label_new (NULL);
  GtkWidget *check = gtk_image_new_from_icon_name ("object-select-symbolic");

  gtk_label_set_xalign (GTK_LABEL (label), 0.0f);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), check);
  gtk_list_item_set_child (item, box);
}

/* The chain's identity and coverage, and a check mark on the one in use (as GTK's own list). */
static void
bind_item (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           PlmStructureBar          *self)
{
  GtkWidget *box = gtk_list_item_get_child (item);
  const char *name = gtk_string_object_get_string (gtk_list_item_get_item (item));
  const char *text = g_hash_table_lookup (self->descriptions, name);

  gtk_label_set_text (GTK_LABEL (gtk_widget_get_first_child (box)), text != NULL ? text : name);
  gtk_widget_set_opacity (gtk_widget_get_last_child (box),
                          gtk_list_item_get_position (item) == gtk_drop_down_get_selected (self->chain_dropdown));
}

static void
plm_structure_bar_dispose (GObject *object)
{
  PlmStructureBar *self = PLM_STRUCTURE_BAR (object);

  plm_structure_bar_set_structure (self, NULL);
  plm_structure_bar_set_message_label (self, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), PLM_TYPE_STRUCTURE_BAR);
  G_OBJECT_CLASS (plm_structure_bar_parent_class)->dispose (object);
}

static void
plm_structure_bar_finalize (GObject *object)
{
  PlmStructureBar *self = PLM_STRUCTURE_BAR (object);

  g_clear_object (&self->chains);
  g_hash_table_unref (self->descriptions);
  g_free (self->pending_path);
  g_free (self->pending_chain);
  G_OBJECT_CLASS (plm_structure_bar_parent_class)->finalize (object);
}

static void
plm_structure_bar_class_init (PlmStructureBarClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = plm_structure_bar_dispose;
  object_class->finalize = plm_structure_bar_finalize;
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/plmlens/PlmLens/ui/plm-structure-bar.ui");
  gtk_widget_class_bind_template_child (widget_class, PlmStructureBar, box);
  gtk_widget_class_bind_template_child (widget_class, PlmStructureBar, load_button);
  gtk_widget_class_bind_template_child (widget_class, PlmStructureBar, chain_dropdown);
  gtk_widget_class_bind_template_child (widget_class, PlmStructureBar, force_button);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "plmstructurebar");
}

static void
plm_structure_bar_init (PlmStructureBar *self)
{
  g_autoptr(GtkListItemFactory) list_factory = gtk_signal_list_item_factory_new ();

  self->descriptions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect (list_factory, "setup", G_CALLBACK (setup_item), NULL);
  g_signal_connect (list_factory, "bind", G_CALLBACK (bind_item), self);
  gtk_drop_down_set_list_factory (self->chain_dropdown, list_factory);
  g_signal_connect_swapped (self->load_button, "clicked", G_CALLBACK (on_load_clicked), self);
  g_signal_connect_swapped (self->force_button, "clicked", G_CALLBACK (on_force_clicked), self);
  g_signal_connect_swapped (self->chain_dropdown, "notify::selected", G_CALLBACK (on_chain_selected), self);
}

GtkWidget *
plm_structure_bar_new (void)
{
  return g_object_new (PLM_TYPE_STRUCTURE_BAR, NULL);
}

void
plm_structure_bar_set_structure (PlmStructureBar    *self,
                                 PlmLoadedStructure *structure)
{
  g_return_if_fail (PLM_IS_STRUCTURE_BAR (self));

  if (self->structure == structure)
    return;
  plm_loaded_structure_bind (&self->structure, &self->changed_handler, structure, G_CALLBACK (on_structure_changed),
                             self);
  on_structure_changed (self);
}

void
plm_structure_bar_share (PlmStructureBar     *bar,
                         PlmLoadedStructure **slot,
                         gulong              *handler,
                         PlmLoadedStructure  *structure,
                         const char          *sequence,
                         int                  n_residues,
                         GCallback            changed,
                         gpointer             view)
{
  g_return_if_fail (PLM_IS_STRUCTURE_BAR (bar));
  g_return_if_fail (PLM_IS_LOADED_STRUCTURE (structure));

  plm_loaded_structure_bind (slot, handler, structure, changed, view);
  plm_structure_bar_set_structure (bar, structure);
  if (sequence != NULL)
    plm_loaded_structure_set_sequence (structure, sequence, n_residues);
  ((void (*) (gpointer)) changed) (view);
}

PlmLoadedStructure *
plm_structure_bar_get_structure (PlmStructureBar *self)
{
  g_return_val_if_fail (PLM_IS_STRUCTURE_BAR (self), NULL);
  return self->structure;
}

void
plm_structure_bar_set_message_label (PlmStructureBar *self,
                                     GtkLabel        *label)
{
  g_return_if_fail (PLM_IS_STRUCTURE_BAR (self));
  g_set_weak_pointer (&self->message_label, label);
}

GtkWidget *
plm_structure_bar_get_chain_dropdown (PlmStructureBar *self)
{
  g_return_val_if_fail (PLM_IS_STRUCTURE_BAR (self), NULL);
  return GTK_WIDGET (self->chain_dropdown);
}

GtkWidget *
plm_structure_bar_get_force_button (PlmStructureBar *self)
{
  g_return_val_if_fail (PLM_IS_STRUCTURE_BAR (self), NULL);
  return GTK_WIDGET (self->force_button);
}

const char *
plm_structure_bar_get_chain_text (PlmStructureBar *self,
                                  guint            position)
{
  g_autoptr(GtkStringObject) item = NULL;
  GListModel *model;

  g_return_val_if_fail (PLM_IS_STRUCTURE_BAR (self), NULL);
  model = gtk_drop_down_get_model (self->chain_dropdown);
  if (model == NULL || position >= g_list_model_get_n_items (model))
    return NULL;
  item = g_list_model_get_item (model, position);
  return g_hash_table_lookup (self->descriptions, gtk_string_object_get_string (item));
}
