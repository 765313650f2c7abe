/* plm-color-bar.h: the colour scale of a heatmap, with tick labels (cairo). */
#pragma once

#include <gtk/gtk.h>

#include "plm-color-map.h"

G_BEGIN_DECLS

#define PLM_TYPE_COLOR_BAR (plm_color_bar_get_type ())
G_DECLARE_FINAL_TYPE (PlmColorBar, plm_color_bar, PLM, COLOR_BAR, GtkWidget)

GtkWidget   *plm_color_bar_new           (void);
void         plm_color_bar_set_color_map (PlmColorBar    *self,
                                          PlmColorMap     map);
PlmColorMap  plm_color_bar_get_color_map (PlmColorBar    *self);
void         plm_color_bar_set_scale     (PlmColorBar    *self,
                                          const PlmScale *scale);
void         plm_color_bar_get_scale     (PlmColorBar    *self,
                                          PlmScale       *scale);
/* Tick values for @scale, at most @max_ticks, written to @ticks; returns how many. Linear and
 * percentile scales get 1-2-5 steps, log scales powers of ten (and 2, 5 × when few decades). */
int          plm_color_bar_compute_ticks (const PlmScale *scale,
                                          double         *ticks,
                                          int             max_ticks);

G_END_DECLS
