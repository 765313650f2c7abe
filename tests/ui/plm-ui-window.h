/* plm-ui-window.h: what the main-window tests share: the application, paths from the test
 * environment, windows, models and waits. */
#pragma once

#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "plm-application.h"
#include "plm-attention-view.h"
#include "plm-models-window.h"
#include "plm-preferences-window.h"
#include "plm-error.h"
#include "plm-npy.h"
#include "plm-nm-train.h"
#include "plm-pair-view.h"
#include "plm-sequence.h"
#include "plm-window.h"
#include "plm-ui-test.h"

G_BEGIN_DECLS

extern PlmApplication *plm_uiw_app;
extern const char *plm_uiw_test_data;
extern const char *plm_uiw_model_8m;      /* the 8M shape, written at build time by tests/models */
extern const char *plm_uiw_source_root;
extern const char *plm_uiw_wanted_model;  /* what plm_uiw_model_loaded () waits for */

PlmWindow *plm_uiw_new_window (void);
guint plm_uiw_n_sequences (gpointer data);
gboolean plm_uiw_has_any (gpointer data);
gboolean plm_uiw_has_two (gpointer data);
gboolean plm_uiw_has_three (gpointer data);
gboolean plm_uiw_page_is_results (gpointer data);
gboolean plm_uiw_model_loaded (gpointer data);
gboolean plm_uiw_worker_idle (gpointer data);
void plm_uiw_load_model (PlmWindow  *window, const char *path);
char *plm_uiw_synthetic_fasta (int length);
/* Opens the fine-tuning window through the application's "training" action. */
GtkWindow *plm_uiw_open_training_window (void);
/* g_test_init, the display check, the application; plm_uiw_finish () after g_test_run (). */
void plm_uiw_init (int *argc, char ***argv);
void plm_uiw_finish (void);

G_END_DECLS
