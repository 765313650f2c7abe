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

static void
sequence_setup (GtkSignalListItemFactory *factory,
                GtkListItem              *item,
                gpointer                  user_data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
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
  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
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
      gtk_widget_set_visible (GTK_WIDGET (self->long_label), FALSE);
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
      g_string_append_printf (markup, "\n<tt>%s</tt>", residues);
      gtk_label_set_markup (self->invalid_label, markup->str);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->invalid_label), n_invalid > 0);

  if (plm_sequence_is_too_long (seq))
    {
      g_autofree char *text =
        g_strdup_printf (_("This sequence has %d residues. ESM-2 was trained on at most %d; results for longer sequences are less reliable and need much more memory."),
                         plm_sequence_get_length (seq), PLM_SEQUENCE_TRAINED_MAX);
      gtk_label_set_text (self->long_label, text);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->long_label), plm_sequence_is_too_long (seq));
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
}
