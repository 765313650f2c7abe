/* plm-window-sidebar.c: the main window's sequence list: rows, search, the details of the
 * selected record. */
#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "plm-application.h"
#include "plm-error.h"
#include "plm-esm.h"
#include "plm-tokenizer.h"
#include "plm-weak-ref.h"
#include "plm-window-private.h"

/* Sequence list */

/* A right click (or a long press) on a row selects it and opens its menu: Edit, Remove,
 * Remove All. */
static void
show_row_menu (GtkWidget *box,
               double     x,
               double     y)
{
  GtkListItem *item = g_object_get_data (G_OBJECT (box), "list-item");
  PlmWindow *self = PLM_WINDOW (gtk_widget_get_ancestor (box, PLM_TYPE_WINDOW));
  GtkWidget *popover = g_object_get_data (G_OBJECT (box), "menu");
  GdkRectangle rect = { (int) x, (int) y, 1, 1 };
  guint position = gtk_list_item_get_position (item);

  if (self == NULL || position == GTK_INVALID_LIST_POSITION)
    return;
  gtk_single_selection_set_selected (self->selection, position);
  if (popover == NULL)
    {
      popover = gtk_popover_menu_new_from_model (self->sequence_menu);
      gtk_popover_set_has_arrow (GTK_POPOVER (popover), FALSE);
      gtk_widget_set_halign (popover, GTK_ALIGN_START);
      gtk_widget_set_parent (popover, box);
      g_object_set_data (G_OBJECT (box), "menu", popover);
    }
  gtk_popover_set_pointing_to (GTK_POPOVER (popover), &rect);
  gtk_popover_popup (GTK_POPOVER (popover));
}

static void
on_row_pressed (GtkGestureClick *gesture,
                int              n_press,
                double           x,
                double           y,
                gpointer         user_data)
{
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  show_row_menu (gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (gesture)), x, y);
}

static void
on_row_long_pressed (GtkGestureLongPress *gesture,
                     double               x,
                     double               y,
                     gpointer             user_data)
{
  show_row_menu (gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (gesture)), x, y);
}

static void
sequence_setup (GtkSignalListItemFactory *factory,
                GtkListItem              *item,
                gpointer                  user_data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkGesture *click = gtk_gesture_click_new ();
  GtkGesture *long_press = gtk_gesture_long_press_new ();
  GtkWidget *title = gtk_label_new (NULL);
  GtkWidget *subtitle = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_ellipsize (GTK_LABEL (title), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (title, "heading");
  gtk_label_set_xalign (GTK_LABEL (subtitle), 0);
  gtk_label_set_ellipsize (GTK_LABEL (subtitle), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (subtitle, "dim-label");
  gtk_widget_add_css_class (subtitle, "caption");
  /* long headers are cut: the details below the list show them whole */
  gtk_widget_add_css_class (box, "plm-may-ellipsize");
  gtk_box_append (GTK_BOX (box), title);
  gtk_box_append (GTK_BOX (box), subtitle);
  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_SECONDARY);
  g_signal_connect (click, "pressed", G_CALLBACK (on_row_pressed), NULL);
  gtk_widget_add_controller (box, GTK_EVENT_CONTROLLER (click));
  gtk_gesture_single_set_touch_only (GTK_GESTURE_SINGLE (long_press), TRUE);
  g_signal_connect (long_press, "pressed", G_CALLBACK (on_row_long_pressed), NULL);
  gtk_widget_add_controller (box, GTK_EVENT_CONTROLLER (long_press));
  g_object_set_data (G_OBJECT (box), "list-item", item);
  gtk_list_item_set_child (item, box);
}

static void
sequence_bind (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               gpointer                  user_data)
{
  PlmSequence *seq = gtk_list_item_get_item (item);
  GtkWidget *box = gtk_list_item_get_child (item);
  GtkWidget *title = gtk_widget_get_first_child (box);
  GtkWidget *subtitle = gtk_widget_get_next_sibling (title);
  g_autofree char *sub = NULL;
  int n = plm_sequence_get_length (seq);
  const char *desc = plm_sequence_get_description (seq);

  gtk_label_set_text (GTK_LABEL (title), plm_sequence_get_id (seq));
  if (desc[0])
    /* Translators: residue count, then the FASTA description */
    sub = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d residue · %s", "%d residues · %s", n), n, desc);
  else
    sub = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d residue", "%d residues", n), n);
  gtk_label_set_text (GTK_LABEL (subtitle), sub);
  gtk_widget_set_tooltip_text (box, plm_sequence_get_header (seq));
  if (!plm_sequence_is_valid (seq))
    gtk_widget_add_css_class (title, "error");
  else
    gtk_widget_remove_css_class (title, "error");
}

static gboolean
sequence_filter (gpointer item,
                 gpointer user_data)
{
  PlmWindow *self = user_data;
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  g_autofree char *needle = NULL;
  g_autofree char *haystack = NULL;

  if (text == NULL || text[0] == '\0')
    return TRUE;
  needle = g_utf8_casefold (text, -1);
  haystack = g_utf8_casefold (plm_sequence_get_header (item), -1);
  return strstr (haystack, needle) != NULL;
}

/* The list was filtered again (or records were added): the empty state when nothing shows. */
void
plm_window_refilter (PlmWindow *self)
{
  gboolean none = g_list_model_get_n_items (G_LIST_MODEL (self->sequences)) == 0;

  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
  adw_status_page_set_icon_name (self->sidebar_empty, none ? "document-open-symbolic" : "edit-find-symbolic");
  adw_status_page_set_title (self->sidebar_empty, none ? _("No Sequences") : _("No Matches"));
  adw_status_page_set_description (self->sidebar_empty, none ? _("Open a FASTA file or paste a sequence.") : NULL);
  gtk_stack_set_visible_child_name (self->sidebar_stack,
                                    g_list_model_get_n_items (G_LIST_MODEL (self->filtered)) > 0 ? "list" : "empty");
}

/* Sequence details: normalisation note, invalid characters, length warning. */
static void
update_details (PlmWindow *self)
{
  PlmSequence *seq = plm_window_get_selected (self);
  guint n_invalid = 0;
  const int *invalid;

  if (seq == NULL)
    {
      gtk_widget_set_visible (GTK_WIDGET (self->note_label), FALSE);
      gtk_widget_set_visible (GTK_WIDGET (self->invalid_label), FALSE);
      return;
    }

  gtk_label_set_text (self->note_label, plm_sequence_get_note (seq));
  gtk_widget_set_visible (GTK_WIDGET (self->note_label), plm_sequence_get_note (seq) != NULL);

  invalid = plm_sequence_get_invalid (seq, &n_invalid);
  if (n_invalid > 0)
    {
      g_autoptr(GString) markup = g_string_new (NULL);
      g_autofree char *residues = plm_sequence_dup_markup (seq, 2000);
      const char *res = plm_sequence_get_residues (seq);

      g_string_append_printf (markup, "<b>%s</b> ",
                              g_dngettext (GETTEXT_PACKAGE, "Not an amino acid:", "Not amino acids:", n_invalid));
      for (guint i = 0; i < MIN (n_invalid, 10u); i++)
        {
          char c[2] = { res[invalid[i]], 0 };
          g_autofree char *escaped = g_markup_escape_text (c, -1);
          /* Translators: a 1-based position and the character found there, e.g. 12 “J” */
          g_autofree char *item = g_strdup_printf (_("%d “%s”"), invalid[i] + 1, escaped);

          g_string_append_printf (markup, "%s%s", i ? ", " : "", item);
        }
      if (n_invalid > 10)
        g_string_append (markup, ", …");
      /* a residue string is one long word: wrapped anywhere, without hyphens */
      g_string_append_printf (markup, "\n<span font_family=\"monospace\" insert_hyphens=\"false\">%s</span>", residues);
      gtk_label_set_markup (self->invalid_label, markup->str);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->invalid_label), n_invalid > 0);
}

/* Removing, clearing and editing records */

static void
update_sidebar_actions (PlmWindow *self)
{
  PlmSequence *seq = plm_window_get_selected (self);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.remove-sequence", seq != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.edit-sequence", seq != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.clear-sequences",
                                 g_list_model_get_n_items (G_LIST_MODEL (self->sequences)) > 0);
  /* "Correct them to run the model": the way to do it, on the page that says so */
  gtk_widget_set_visible (self->edit_button, seq != NULL && !plm_sequence_is_valid (seq));
}

static void
action_remove_sequence (GtkWidget  *widget,
                        const char *name,
                        GVariant   *param)
{
  PlmWindow *self = PLM_WINDOW (widget);
  PlmSequence *seq = plm_window_get_selected (self);
  guint position;

  if (seq == NULL || !g_list_store_find (self->sequences, seq, &position))
    return;
  g_list_store_remove (self->sequences, position);
  plm_window_refilter (self);
  update_sidebar_actions (self);
}

static void
action_clear_sequences (GtkWidget  *widget,
                        const char *name,
                        GVariant   *param)
{
  PlmWindow *self = PLM_WINDOW (widget);

  g_list_store_remove_all (self->sequences);
  plm_window_set_search (self, "");
  update_sidebar_actions (self);
}

static void
action_edit_sequence (GtkWidget  *widget,
                      const char *name,
                      GVariant   *param)
{
  PlmWindow *self = PLM_WINDOW (widget);
  PlmSequence *seq = plm_window_get_selected (self);

  if (seq != NULL)
    plm_window_edit_dialog (self, seq);
}

void
plm_window_select_and_show (PlmWindow *self,
                            guint      position)
{
  /* the search is cleared first, so that @position is also the filtered list's */
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  plm_window_refilter (self);
  gtk_single_selection_set_selected (self->selection, position);
  /* GTK 4.8 has no gtk_list_view_scroll_to (); the list's own action does the same. */
  gtk_widget_activate_action (GTK_WIDGET (self->sequence_list), "list.scroll-to-item", "u", position);
}

void
plm_window_sidebar_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_bind_template_child_full (widget_class, "sidebar_empty", FALSE,
                                             G_STRUCT_OFFSET (PlmWindow, sidebar_empty));
  gtk_widget_class_bind_template_child_full (widget_class, "edit_button", FALSE,
                                             G_STRUCT_OFFSET (PlmWindow, edit_button));
  gtk_widget_class_install_action (widget_class, "win.remove-sequence", NULL, action_remove_sequence);
  gtk_widget_class_install_action (widget_class, "win.clear-sequences", NULL, action_clear_sequences);
  gtk_widget_class_install_action (widget_class, "win.edit-sequence", NULL, action_edit_sequence);
}

static void
on_selection_changed (PlmWindow *self)
{
  PlmSequence *seq = plm_window_get_selected (self);

  adw_view_switcher_title_set_subtitle (self->switcher_title, seq ? plm_sequence_get_id (seq) : NULL);
  /* a folded sidebar has done its job once a sequence is chosen */
  if (adw_flap_get_folded (self->flap))
    adw_flap_set_reveal_flap (self->flap, FALSE);
  update_details (self);
  update_sidebar_actions (self);
  plm_window_show_current (self);
  plm_window_update_actions (self);
}

void
plm_window_sidebar_init (PlmWindow *self)
{
  self->sequences = g_list_store_new (PLM_TYPE_SEQUENCE);
  self->filter = gtk_custom_filter_new (sequence_filter, self, NULL);
  self->filtered = gtk_filter_list_model_new (g_object_ref (G_LIST_MODEL (self->sequences)),
                                              GTK_FILTER (self->filter));
  self->selection = gtk_single_selection_new (G_LIST_MODEL (self->filtered));
  gtk_single_selection_set_autoselect (self->selection, TRUE);
  gtk_list_view_set_model (self->sequence_list, GTK_SELECTION_MODEL (self->selection));
  g_signal_connect (self->sequence_factory, "setup", G_CALLBACK (sequence_setup), self);
  g_signal_connect (self->sequence_factory, "bind", G_CALLBACK (sequence_bind), self);
  g_signal_connect_swapped (self->selection, "notify::selected-item", G_CALLBACK (on_selection_changed), self);
  g_signal_connect_swapped (self->search_entry, "search-changed", G_CALLBACK (plm_window_refilter), self);

  {
    g_autoptr(GMenu) menu = g_menu_new ();
    g_autoptr(GMenu) section = g_menu_new ();
    GtkEventController *shortcuts = gtk_shortcut_controller_new ();

    g_menu_append (menu, _("_Edit…"), "win.edit-sequence");
    g_menu_append (menu, _("_Remove"), "win.remove-sequence");
    g_menu_append (section, _("Remove _All"), "win.clear-sequences");
    g_menu_append_section (menu, NULL, G_MENU_MODEL (section));
    self->sequence_menu = G_MENU_MODEL (g_steal_pointer (&menu));

    /* Delete removes the selected record while the list has the focus */
    gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts),
                                          gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_Delete, 0),
                                                            gtk_named_action_new ("win.remove-sequence")));
    gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts),
                                          gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_KP_Delete, 0),
                                                            gtk_named_action_new ("win.remove-sequence")));
    gtk_widget_add_controller (GTK_WIDGET (self->sequence_list), shortcuts);
  }
  g_signal_connect_swapped (self->sequences, "items-changed", G_CALLBACK (update_sidebar_actions), self);
  update_sidebar_actions (self);
  plm_window_refilter (self);   /* "No Sequences" until there are some */
}
