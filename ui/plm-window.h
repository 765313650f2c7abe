/* plm-window.h: the main window: sequences on the left, model results on the right. */
#pragma once

#include <adwaita.h>

#include "plm-export-dialog.h"
#include "plm-inference-worker.h"
#include "plm-sequence.h"

G_BEGIN_DECLS

#define PLM_TYPE_WINDOW (plm_window_get_type ())
G_DECLARE_FINAL_TYPE (PlmWindow, plm_window, PLM, WINDOW, AdwApplicationWindow)

PlmWindow          *plm_window_new              (GtkApplication  *application);
/* Reads FASTA files (asynchronously) and adds their records. */
void                plm_window_open_files       (PlmWindow       *self,
                                                 GFile          **files,
                                                 guint            n_files);
/* Adds the records of pasted text or FASTA; FALSE with @error when nothing could be read. */
gboolean            plm_window_add_text         (PlmWindow       *self,
                                                 const char      *text,
                                                 const char      *source,
                                                 GError         **error);
/* Loads a checkpoint in the background; with @run_after, runs the selection when loaded. */
void                plm_window_load_model       (PlmWindow       *self,
                                                 const char      *path,
                                                 gboolean         run_after);
void                plm_window_run              (PlmWindow       *self);
/* Runs the selected sequence in overlapping windows of the model's length, without asking: the
 * long-sequence dialog's "Run in Windows". */
void                plm_window_run_windowed     (PlmWindow       *self);
void                plm_window_cancel           (PlmWindow       *self);
GListModel         *plm_window_get_sequences    (PlmWindow       *self);
void                plm_window_select           (PlmWindow       *self,
                                                 guint            position);
/* The selected record, or NULL. */
PlmSequence        *plm_window_get_selected     (PlmWindow       *self);
void                plm_window_set_search       (PlmWindow       *self,
                                                 const char      *text);
/* Number of records the search lets through. */
guint               plm_window_get_n_visible    (PlmWindow       *self);
/* The result on screen, or NULL. */
PlmInferenceResult *plm_window_get_result       (PlmWindow       *self);
/* "welcome", "ready", "running", "error" or "results". */
const char         *plm_window_get_page         (PlmWindow       *self);
/* How many progress updates of its own runs the window has shown (for tests). */
guint               plm_window_get_progress_updates (PlmWindow   *self);
/* Shows progress @done of @total layers of run @run (its cancellable): ignored unless @run is
 * the current run and @done goes beyond what it has shown (for the worker's hand-off and tests). */
void                plm_window_run_progress     (PlmWindow       *self,
                                                 GCancellable    *run,
                                                 int              done,
                                                 int              total);
/* The current run's cancellable while running, else NULL (for tests). */
GCancellable       *plm_window_get_run          (PlmWindow       *self);
/* The text under the running page's progress bar (for tests). */
const char         *plm_window_get_progress_text (PlmWindow      *self);
GtkWidget          *plm_window_get_heatmap      (PlmWindow       *self);
GtkWidget          *plm_window_get_pair_view    (PlmWindow       *self);
GtkWidget          *plm_window_get_mutations_view (PlmWindow     *self);
GtkWidget          *plm_window_get_structure_view (PlmWindow     *self);
/* Shows result view @name: "attention", "overview", "ha-sites", "contacts" or "pair". */
void                plm_window_set_view         (PlmWindow       *self,
                                                 const char      *name);
/* Opens the Export Figure dialog for the view shown (win.export-figure, Ctrl+Shift+E); NULL
 * (and a toast) when it has nothing to export. */
PlmExportDialog    *plm_window_export_figure    (PlmWindow       *self);
/* Monotonic time (µs) at which the last result was handed to the heatmap. */
gint64              plm_window_get_result_time  (PlmWindow       *self);

G_END_DECLS
