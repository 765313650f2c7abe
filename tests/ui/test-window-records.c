/* test-window-records.c: what the user does to the records in the sidebar (remove by Delete or
 * the context menu, remove all, edit in place, paste) and to the models (the checkpoints opened
 * from disk listed in the Models window, the loaded one marked), under Xvfb with screenshots. */
#include <adwaita.h>
#include <glib/gi18n.h>
#include <locale.h>

#include "plm-ui-window.h"

static GtkWidget *
find_widget (GtkWidget *root,
             GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type))
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_widget (child, type);
      if (found)
        return found;
    }
  return NULL;
}

/* The sidebar's list of records. */
static GtkWidget *
find_sequence_list (GtkWidget *root)
{
  if (GTK_IS_LIST_VIEW (root) && gtk_widget_has_css_class (root, "navigation-sidebar"))
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_sequence_list (child);
      if (found)
        return found;
    }
  return NULL;
}

/* The row box of the sidebar's list at @position (one the list has created). */
static GtkWidget *
find_row (GtkWidget *root,
          guint      position)
{
  GtkListItem *item = g_object_get_data (G_OBJECT (root), "list-item");

  if (item != NULL && gtk_list_item_get_position (item) == position)
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_row (child, position);
      if (found)
        return found;
    }
  return NULL;
}

/* A button (or menu item) whose label reads @text. */
static GtkWidget *
find_button (GtkWidget  *root,
             const char *text)
{
  GtkWidget *label = plm_ui_test_find_label (root, text, TRUE);

  while (label && !GTK_IS_BUTTON (label) && g_strcmp0 (G_OBJECT_TYPE_NAME (label), "GtkModelButton") != 0)
    label = gtk_widget_get_parent (label);
  return label;
}

static AdwMessageDialog *
find_dialog (PlmWindow *window)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) w = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (w) && gtk_widget_get_visible (GTK_WIDGET (w))
          && gtk_window_get_transient_for (GTK_WINDOW (w)) == GTK_WINDOW (window))
        return ADW_MESSAGE_DIALOG (w);
    }
  return NULL;
}

static GtkTextBuffer *
dialog_buffer (AdwMessageDialog *dialog)
{
  GtkWidget *view = find_widget (adw_message_dialog_get_extra_child (dialog), GTK_TYPE_TEXT_VIEW);

  g_assert_nonnull (view);
  return gtk_text_view_get_buffer (GTK_TEXT_VIEW (view));
}

/* The paste dialog with @text, answered "add" (Add or Replace). */
static void
answer_dialog (PlmWindow  *window,
               const char *text)
{
  AdwMessageDialog *dialog = find_dialog (window);

  g_assert_nonnull (dialog);
  gtk_text_buffer_set_text (dialog_buffer (dialog), text, -1);
  adw_message_dialog_response (dialog, "add");
  plm_ui_test_spin (100);
  gtk_window_destroy (GTK_WINDOW (dialog));
}

static gboolean
toast_shown (gpointer data)
{
  void **args = data;
  return plm_ui_test_find_label (args[0], args[1], TRUE) != NULL;
}

/* A toast (a label anywhere in the window) containing @text. */
static const char *
wait_toast (PlmWindow  *window,
            const char *text)
{
  void *args[2] = { window, (void *) text };
  GtkWidget *label;

  g_assert_true (plm_ui_test_wait_until (toast_shown, args, 5000));
  label = plm_ui_test_find_label (GTK_WIDGET (window), text, TRUE);
  return gtk_label_get_text (GTK_LABEL (label));
}

static PlmSequence *
record (PlmWindow *window,
        guint      i)
{
  g_autoptr(PlmSequence) seq = g_list_model_get_item (plm_window_get_sequences (window), i);
  return seq;   /* the list holds it */
}

static PlmWindow *
window_with_three (void)
{
  PlmWindow *window = plm_uiw_new_window ();
  g_autofree char *path = g_build_filename (plm_uiw_source_root, "data", "examples", "three_proteins.fasta", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);

  plm_window_open_files (window, &file, 1);
  g_assert_true (plm_ui_test_wait_until (plm_uiw_has_three, window, 5000));
  plm_ui_test_spin (100);
  return window;
}

/* Delete on the list and the row's context menu remove a record; Remove All empties the list. */
static void
test_remove_and_clear (void)
{
  PlmWindow *window = window_with_three ();
  GtkWidget *list = find_sequence_list (GTK_WIDGET (window));
  GtkShortcut *delete = NULL;
  g_autofree char *first_id = g_strdup (plm_sequence_get_id (record (window, 0)));
  g_autofree char *third_id = g_strdup (plm_sequence_get_id (record (window, 2)));
  GtkWidget *row, *popover, *item;

  /* Delete: the list's own shortcut, on the selected record */
  g_assert_nonnull (list);
  {
      g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (list);
      for (guint i = 0; i < g_list_model_get_n_items (controllers) && delete == NULL; i++)
        {
          g_autoptr(GObject) c = g_list_model_get_item (controllers, i);
          if (!GTK_IS_SHORTCUT_CONTROLLER (c))
            continue;
          for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (c)) && delete == NULL; j++)
            {
              g_autoptr(GtkShortcut) s = g_list_model_get_item (G_LIST_MODEL (c), j);
              GtkShortcutTrigger *t = gtk_shortcut_get_trigger (s);
              if (GTK_IS_KEYVAL_TRIGGER (t) && gtk_keyval_trigger_get_keyval (GTK_KEYVAL_TRIGGER (t)) == GDK_KEY_Delete)
                delete = s;
            }
        }
    }
  g_assert_nonnull (delete);
  plm_window_select (window, 0);
  g_assert_true (gtk_shortcut_action_activate (gtk_shortcut_get_action (delete), 0, list, NULL));
  plm_ui_test_spin (100);
  g_assert_cmpuint (plm_uiw_n_sequences (window), ==, 2);
  g_assert_cmpstr (plm_sequence_get_id (record (window, 0)), !=, first_id);

  /* the context menu of the second row: it selects the row, and its Remove removes it */
  plm_window_select (window, 0);
  row = find_row (list, 1);
  g_assert_nonnull (row);
  {
    g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (row);
    for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
      {
        g_autoptr(GObject) c = g_list_model_get_item (controllers, i);
        if (GTK_IS_GESTURE_CLICK (c) && gtk_gesture_single_get_button (GTK_GESTURE_SINGLE (c)) == GDK_BUTTON_SECONDARY)
          g_signal_emit_by_name (c, "pressed", 1, 10.0, 10.0);
      }
  }
  plm_ui_test_spin (300);
  popover = find_widget (row, GTK_TYPE_POPOVER_MENU);
  g_assert_nonnull (popover);
  g_assert_true (gtk_widget_get_visible (popover));
  g_assert_true (plm_window_get_selected (window) == record (window, 1));   /* the row clicked */
  g_assert_cmpstr (plm_sequence_get_id (record (window, 1)), ==, third_id);
  g_assert_nonnull (find_button (popover, "Edit…"));
  g_assert_nonnull (find_button (popover, "Remove All"));
  plm_ui_test_save_screenshot (GTK_WIDGET (window), "ui-record-menu.png");
  item = find_button (popover, "Remove");
  g_assert_nonnull (item);
  g_signal_emit_by_name (item, "clicked");
  plm_ui_test_spin (200);
  g_assert_cmpuint (plm_uiw_n_sequences (window), ==, 1);
  g_assert_cmpstr (plm_sequence_get_id (record (window, 0)), !=, third_id);

  /* Remove All, then the sidebar says the list is empty (not "No Matches") */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.clear-sequences", NULL);
  plm_ui_test_spin (100);
  g_assert_cmpuint (plm_uiw_n_sequences (window), ==, 0);
  g_assert_nonnull (plm_ui_test_find_label (GTK_WIDGET (window), "No Sequences", TRUE));
  g_assert_null (plm_ui_test_find_label (GTK_WIDGET (window), "No Matches", TRUE));
  plm_ui_test_save_screenshot (GTK_WIDGET (window), "ui-records-cleared.png");
  gtk_window_destroy (GTK_WINDOW (window));
}

/* An invalid record's page offers Edit Sequence…; the dialog is prefilled and its text replaces
 * the record in place. */
static void
test_edit_record (void)
{
  PlmWindow *window = window_with_three ();
  g_autofree char *model = g_build_filename (plm_uiw_test_data, "models", "tiny-f32", NULL);
  g_autoptr(GError) error = NULL;
  GtkWidget *edit;
  AdwMessageDialog *dialog;
  g_autofree char *text = NULL;
  GtkTextIter start, end;

  plm_uiw_load_model (window, model);
  g_assert_true (plm_window_add_text (window, ">bad a record with typos\nMKTAYJAKQR!\n", "paste", &error));
  g_assert_no_error (error);
  plm_window_select (window, 1);
  plm_window_select (window, 3);
  plm_ui_test_spin (200);
  g_assert_cmpstr (plm_window_get_page (window), ==, "ready");
  g_assert_nonnull (plm_ui_test_find_label (GTK_WIDGET (window), "Correct them to run the model", TRUE));
  edit = find_button (GTK_WIDGET (window), "Edit Sequence…");
  g_assert_nonnull (edit);
  plm_ui_test_save_screenshot (GTK_WIDGET (window), "ui-record-invalid.png");

  g_signal_emit_by_name (edit, "clicked");
  plm_ui_test_spin (300);
  dialog = find_dialog (window);
  g_assert_nonnull (dialog);
  gtk_text_buffer_get_bounds (dialog_buffer (dialog), &start, &end);
  text = gtk_text_iter_get_text (&start, &end);
  g_assert_cmpstr (text, ==, ">bad a record with typos\nMKTAYJAKQR!\n");
  plm_ui_test_save_screenshot (GTK_WIDGET (dialog), "ui-record-edit-dialog.png");
  answer_dialog (window, ">bad a record, corrected\nMKTAYIAKQR\n");

  g_assert_cmpuint (plm_uiw_n_sequences (window), ==, 4);
  g_assert_cmpstr (plm_sequence_get_header (record (window, 3)), ==, "bad a record, corrected");
  g_assert_cmpstr (plm_sequence_get_residues (record (window, 3)), ==, "MKTAYIAKQR");
  g_assert_true (plm_sequence_is_valid (record (window, 3)));
  g_assert_true (plm_window_get_selected (window) == record (window, 3));
  g_assert_false (gtk_widget_get_visible (edit));
  g_assert_null (plm_ui_test_find_label (GTK_WIDGET (window), "Correct them to run the model", TRUE));

  /* Edit… from the menu works on valid records too; two records replace one */
  plm_window_select (window, 0);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.edit-sequence", NULL);
  plm_ui_test_spin (200);
  answer_dialog (window, ">first\nMKV\n>second\nMKW\n");
  g_assert_cmpuint (plm_uiw_n_sequences (window), ==, 5);
  g_assert_cmpstr (plm_sequence_get_id (record (window, 0)), ==, "first");
  g_assert_cmpstr (plm_sequence_get_id (record (window, 1)), ==, "second");
  gtk_window_destroy (GTK_WINDOW (window));
}

/* Opening a file again adds nothing and says so. */
static void
test_no_duplicates (void)
{
  PlmWindow *window = window_with_three ();
  g_autofree char *path = g_build_filename (plm_uiw_source_root, "data", "examples", "three_proteins.fasta", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;

  plm_window_select (window, 2);
  plm_window_open_files (window, &file, 1);
  wait_toast (window, "already in the list");
  g_assert_cmpuint (plm_uiw_n_sequences (window), ==, 3);
  /* the first record of the file is shown, as when it was opened */
  g_assert_true (plm_window_get_selected (window) == record (window, 0));

  /* same header, other residues: a record of its own */
  g_assert_true (plm_window_add_text (window, ">sp|P68871|HBB_HUMAN edited\nMKV\n", "paste", &error));
  g_assert_cmpuint (plm_uiw_n_sequences (window), ==, 4);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* A record added at the end of a long list is scrolled into view. */
static void
test_scroll_to_new (void)
{
  PlmWindow *window = plm_uiw_new_window ();
  GtkWidget *list = find_sequence_list (GTK_WIDGET (window));
  GtkWidget *scroller = gtk_widget_get_ancestor (list, GTK_TYPE_SCROLLED_WINDOW);
  g_autoptr(GString) many = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  GtkAdjustment *vadj = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scroller));
  GtkWidget *label;
  graphene_rect_t bounds;

  for (int i = 0; i < 60; i++)
    g_string_append_printf (many, ">record%02d\nMKTAYIAKQR\n", i);
  g_assert_true (plm_window_add_text (window, many->str, "paste", &error));
  plm_ui_test_spin (300);
  g_assert_cmpfloat (gtk_adjustment_get_value (vadj), <, 1.0);   /* the first new one: at the top */

  g_assert_true (plm_window_add_text (window, ">the-newest-record\nMKV\n", "paste", &error));
  plm_ui_test_spin (500);
  g_assert_cmpfloat (gtk_adjustment_get_value (vadj), >, 0.0);
  label = plm_ui_test_find_label (list, "the-newest-record", TRUE);
  g_assert_nonnull (label);
  g_assert_true (gtk_widget_compute_bounds (label, scroller, &bounds));
  g_assert_cmpfloat (bounds.origin.y, >=, 0);
  g_assert_cmpfloat (bounds.origin.y + bounds.size.height, <=, gtk_widget_get_height (scroller));
  plm_ui_test_save_screenshot (GTK_WIDGET (window), "ui-record-scrolled.png");
  gtk_window_destroy (GTK_WINDOW (window));
}

/* The paste dialog: an empty box says why nothing was added, an error names the reason before
 * the (long) header, and wrapped residues get no hyphens. */
static void
test_paste_messages (void)
{
  PlmWindow *window = plm_uiw_new_window ();
  AdwMessageDialog *dialog;
  const char *text;
  GtkTextIter iter;
  GSList *tags;
  gboolean hyphens = TRUE;
  const char *header = "sp|P69905|HBA_HUMAN Hemoglobin subunit alpha OS=Homo sapiens OX=9606 GN=HBA1 PE=1 SV=2";
  g_autofree char *no_residues = g_strdup_printf (">%s\n\n", header);
  g_autofree char *long_seq = plm_uiw_synthetic_fasta (600);

  gtk_widget_activate_action (GTK_WIDGET (window), "win.paste", NULL);
  plm_ui_test_spin (200);
  answer_dialog (window, "  \n\n");
  text = wait_toast (window, "Nothing was added");
  g_assert_nonnull (strstr (text, "empty"));
  g_assert_cmpuint (plm_uiw_n_sequences (window), ==, 0);

  gtk_widget_activate_action (GTK_WIDGET (window), "win.paste", NULL);
  plm_ui_test_spin (200);
  answer_dialog (window, no_residues);
  text = wait_toast (window, "no residues");
  /* the reason first, the header after it (cut short) */
  g_assert_nonnull (strstr (text, "HBA_HUMAN"));
  g_assert_true (strstr (text, "no residues") < strstr (text, "HBA_HUMAN"));
  g_assert_null (strstr (text, "SV=2"));
  plm_ui_test_save_screenshot (GTK_WIDGET (window), "ui-record-error-toast.png");

  /* a long sequence wraps by character, without hyphens */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.paste", NULL);
  plm_ui_test_spin (200);
  dialog = find_dialog (window);
  gtk_text_buffer_set_text (dialog_buffer (dialog), long_seq, -1);
  gtk_text_buffer_get_iter_at_offset (dialog_buffer (dialog), &iter, 200);
  tags = gtk_text_iter_get_tags (&iter);
  for (GSList *l = tags; l; l = l->next)
    {
      gboolean set = FALSE, value = TRUE;
      g_object_get (l->data, "insert-hyphens-set", &set, "insert-hyphens", &value, NULL);
      if (set)
        hyphens = value;
    }
  g_slist_free (tags);
  g_assert_false (hyphens);
  g_assert_cmpint (gtk_text_view_get_wrap_mode (GTK_TEXT_VIEW (find_widget (GTK_WIDGET (dialog), GTK_TYPE_TEXT_VIEW))),
                   ==, GTK_WRAP_CHAR);
  plm_ui_test_spin (200);
  plm_ui_test_save_screenshot (GTK_WIDGET (dialog), "ui-paste-long.png");
  gtk_window_destroy (GTK_WINDOW (dialog));
  gtk_window_destroy (GTK_WINDOW (window));
}

/* A row of the Models window titled @name, or NULL. */
static GtkWidget *
model_row (GtkWidget  *root,
           const char *path)
{
  if (ADW_IS_ACTION_ROW (root) && g_strcmp0 (g_object_get_data (G_OBJECT (root), "path"), path) == 0)
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = model_row (child, path);
      if (found)
        return found;
    }
  return NULL;
}

/* Checkpoints opened from disk are remembered, most recent first, and listed in the Models
 * window, where the loaded one is marked. */
static void
test_recent_checkpoints (void)
{
  PlmWindow *window = plm_uiw_new_window ();
  GSettings *settings = plm_application_get_settings (plm_uiw_app);
  g_autofree char *tiny = g_build_filename (plm_uiw_test_data, "models", "tiny-f32", NULL);
  g_autofree char *f16 = g_build_filename (plm_uiw_test_data, "models", "tiny-f16", NULL);
  const char *gone[] = { "/nonexistent/checkpoint", NULL };
  g_auto(GStrv) recent = NULL;
  GtkWidget *models, *row;

  g_settings_set_strv (settings, "recent-checkpoints", gone);
  plm_uiw_load_model (window, f16);
  plm_uiw_load_model (window, tiny);
  recent = g_settings_get_strv (settings, "recent-checkpoints");
  g_assert_cmpstr (recent[0], ==, tiny);
  g_assert_cmpstr (recent[1], ==, f16);
  g_assert_null (recent[2]);   /* the missing path was pruned */

  models = plm_models_window_new (GTK_WINDOW (window), plm_uiw_app);
  gtk_window_present (GTK_WINDOW (models));
  plm_ui_test_spin (300);
  g_assert_nonnull (plm_ui_test_find_label (models, "Opened from Disk", TRUE));
  row = model_row (models, tiny);
  g_assert_nonnull (row);
  g_assert_true (gtk_widget_get_mapped (row));
  g_assert_nonnull (plm_ui_test_find_label (row, "Loaded", TRUE));
  g_assert_null (find_button (row, "Use"));
  row = model_row (models, f16);
  g_assert_nonnull (row);
  g_assert_null (plm_ui_test_find_label (row, "Loaded", TRUE));
  g_assert_nonnull (find_button (row, "Use"));
  g_assert_null (model_row (models, "/nonexistent/checkpoint"));
  plm_ui_test_save_screenshot (models, "ui-models-recent.png");

  /* Use switches back; the mark follows */
  plm_uiw_wanted_model = f16;
  g_signal_emit_by_name (find_button (row, "Use"), "clicked");
  g_assert_true (plm_ui_test_wait_until (plm_uiw_model_loaded, window, 30000));
  recent = (g_strfreev (recent), g_settings_get_strv (settings, "recent-checkpoints"));
  g_assert_cmpstr (recent[0], ==, f16);
  models = plm_models_window_new (GTK_WINDOW (window), plm_uiw_app);
  gtk_window_present (GTK_WINDOW (models));
  plm_ui_test_spin (300);
  g_assert_nonnull (plm_ui_test_find_label (model_row (models, f16), "Loaded", TRUE));
  g_assert_null (plm_ui_test_find_label (model_row (models, tiny), "Loaded", TRUE));
  gtk_window_destroy (GTK_WINDOW (models));
  gtk_window_destroy (GTK_WINDOW (window));
}

/* The changed screens with no assertion on their text, so that they also run in German
 * (test-window-records-de): an invalid record with Edit Sequence…, the edit dialog, the empty
 * list and the Models window with a checkpoint opened from disk. */
static void
test_screenshots (void)
{
  PlmWindow *window = window_with_three ();
  g_autofree char *model = g_build_filename (plm_uiw_test_data, "models", "tiny-f32", NULL);
  const char *lang = g_getenv ("LANGUAGE") ? g_getenv ("LANGUAGE") : "en";
  g_autofree char *invalid_png = g_strdup_printf ("records-%s-invalid.png", lang);
  g_autofree char *dialog_png = g_strdup_printf ("records-%s-edit-dialog.png", lang);
  g_autofree char *empty_png = g_strdup_printf ("records-%s-empty.png", lang);
  g_autofree char *models_png = g_strdup_printf ("records-%s-models.png", lang);
  GtkWidget *models;
  GtkWindow *dialog;

  plm_uiw_load_model (window, model);
  g_assert_true (plm_window_add_text (window, ">bad a record with typos\nMKTAYJAKQR!\n", "paste", NULL));
  plm_ui_test_spin (300);
  plm_ui_test_save_screenshot (GTK_WIDGET (window), invalid_png);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.edit-sequence", NULL);
  plm_ui_test_spin (300);
  dialog = GTK_WINDOW (find_dialog (window));
  g_assert_nonnull (dialog);
  plm_ui_test_save_screenshot (GTK_WIDGET (dialog), dialog_png);
  gtk_window_destroy (dialog);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.clear-sequences", NULL);
  plm_ui_test_spin (300);
  plm_ui_test_save_screenshot (GTK_WIDGET (window), empty_png);
  models = plm_models_window_new (GTK_WINDOW (window), plm_uiw_app);
  gtk_window_present (GTK_WINDOW (models));
  plm_ui_test_spin (300);
  plm_ui_test_save_screenshot (models, models_png);
  gtk_window_destroy (GTK_WINDOW (models));
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  /* the translations of the build tree, for test-window-records-de */
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("PLM_LOCALE_DIR"));
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  plm_uiw_init (&argc, &argv);
  g_test_add_func ("/ui/records/remove-and-clear", test_remove_and_clear);
  g_test_add_func ("/ui/records/edit", test_edit_record);
  g_test_add_func ("/ui/records/no-duplicates", test_no_duplicates);
  g_test_add_func ("/ui/records/scroll-to-new", test_scroll_to_new);
  g_test_add_func ("/ui/records/paste-messages", test_paste_messages);
  g_test_add_func ("/ui/models/recent-checkpoints", test_recent_checkpoints);
  g_test_add_func ("/ui/records/screenshots", test_screenshots);
  ret = g_test_run ();
  plm_uiw_finish ();
  return ret;
}
