/* plm-file-chooser.h: "choose a file, load it, say what went wrong" for the views' Load…
 * buttons (annotations, structures, heads). */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Loads @path into @owner; FALSE with @error naming the problem. */
typedef gboolean (*PlmLoadFunc) (gpointer     owner,
                                 const char  *path,
                                 GError     **error);

/* Asks for one file with the native chooser (the portal in Flatpak), offering @filter_name
 * with the NULL-terminated @patterns (or no filter when @patterns is NULL), and hands its path
 * to @load. @load's error is shown in @error_label. @owner is kept while the chooser is open. */
void plm_choose_file_to_load (GtkWidget          *owner,
                              const char         *title,
                              const char         *filter_name,
                              const char * const *patterns,
                              PlmLoadFunc         load,
                              GtkLabel           *error_label);

G_END_DECLS
