/* plm-overview-view.h: every layer × head of a result as thumbnails, plus a head-mean column. */
#pragma once

#include <gtk/gtk.h>

#include "plm-color-map.h"
#include "plm-inference-worker.h"
#include "plm-selection.h"

G_BEGIN_DECLS

#define PLM_TYPE_OVERVIEW_VIEW (plm_overview_view_get_type ())
G_DECLARE_FINAL_TYPE (PlmOverviewView, plm_overview_view, PLM, OVERVIEW_VIEW, GtkWidget)

GtkWidget *plm_overview_view_new           (void);
/* The thumbnails are built when the view is first mapped with this result. */
void       plm_overview_view_set_result    (PlmOverviewView    *self,
                                            PlmInferenceResult *result);
void       plm_overview_view_set_color_map (PlmOverviewView    *self,
                                            PlmColorMap         map);
/* TRUE once every row shows the current result: the first screenful is built when the view
 * is mapped, the other rows in idle time after the first frame. */
gboolean   plm_overview_view_get_complete  (PlmOverviewView    *self);
/* The thumbnail button of (@layer, @head), @head -1 = the mean column; NULL until its row is
 * built. */
GtkWidget *plm_overview_view_get_button    (PlmOverviewView    *self,
                                            int                 layer,
                                            int                 head);
/* Shows (@layer, @head) in the preview pane as hovering its thumbnail does. */
void       plm_overview_view_preview       (PlmOverviewView    *self,
                                            int                 layer,
                                            int                 head);
GtkWidget *plm_overview_view_get_preview   (PlmOverviewView    *self);
/* The scrolled window of the thumbnails, and the number label of @layer (outside it, scrolled
 * only vertically with it); for tests. */
GtkWidget *plm_overview_view_get_scroller  (PlmOverviewView    *self);
GtkWidget *plm_overview_view_get_layer_label (PlmOverviewView  *self,
                                              int               layer);

G_END_DECLS
