/* heatmap-test-view.h: a PlmHeatmapView in a window with its colour bar, main-loop and pixel
 * helpers, shared by the heatmap view tests (rendering and interaction). */
#pragma once

#include <gtk/gtk.h>

#include "plm-color-bar.h"
#include "plm-heatmap-view-private.h"

G_BEGIN_DECLS

typedef struct {
  GtkWidget      *window;
  PlmHeatmapView *view;
  PlmColorBar    *bar;
  GtkWidget      *box;
  float          *data;
  int             rows;
  int             cols;
  char           *sequence;
  int             hovers;
} Fixture;

typedef struct {
  guint32 *pixels;   /* ARGB32 premultiplied, as cairo */
  int      width;
  int      height;
  GdkTexture *texture;
} Picture;

/* GDK_DEBUG contains gl-disable: the view must fall back to cairo by itself. */
extern gboolean gl_disabled_by_env;

/* g_test_init and GTK; FALSE (after printing a TAP skip plan) when there is no display. */
gboolean heatmap_test_init   (int             *argc,
                              char          ***argv);
/* Runs the main loop until the window has painted a frame after every pending change. */
void     wait_for_frame      (Fixture         *fx);
/* A @rows × @cols map in a 900 × 760 window: attention-like with residue labels when square,
 * uniform random otherwise; linear scale fitted, window presented and painted. */
void     fixture_setup       (Fixture         *fx,
                              int              rows,
                              int              cols,
                              PlmHeatmapRenderer renderer);
void     fixture_teardown    (Fixture         *fx);
/* The widget as the window's renderer draws it: widget → node → texture → pixels. */
Picture  render_widget       (GtkWidget       *widget);
void     picture_clear       (Picture         *pic);
/* Largest difference of one 8-bit channel. */
int      channel_diff        (guint32          a,
                              guint32          b);
/* Checks @n random cells (see heatmap-test-view.c); returns how many were checked. */
int      check_cells         (Fixture         *fx,
                              Picture         *pic,
                              int              n,
                              guint32          seed,
                              const char      *state);
/* Zoom/pan state 0 … N_STATES - 1 of the hit-testing and pixel tests. */
#define N_STATES 6
void     apply_state         (Fixture         *fx,
                              int              state);
/* Sends a pointer motion to the view's motion controller. */
void     move_pointer        (PlmHeatmapView  *view,
                              double           x,
                              double           y);

G_END_DECLS
