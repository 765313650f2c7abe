/* plm-loss-plot.h: a small cairo line plot of per-epoch series (losses, validation metrics). */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define PLM_TYPE_LOSS_PLOT (plm_loss_plot_get_type ())
G_DECLARE_FINAL_TYPE (PlmLossPlot, plm_loss_plot, PLM, LOSS_PLOT, GtkWidget)

GtkWidget *plm_loss_plot_new          (void);
void       plm_loss_plot_set_title    (PlmLossPlot   *self,
                                       const char    *title);
/* A fixed y range (e.g. 0..1 for accuracies); NAN for both to fit the data (the default). */
void       plm_loss_plot_set_y_range  (PlmLossPlot   *self,
                                       double         y_min,
                                       double         y_max);
/* A logarithmic y axis (whole decades; points ≤ 0 are left out): the NM part of the loss is
 * about a hundredth of the CE part, and both trends should show. */
void       plm_loss_plot_set_log_scale (PlmLossPlot  *self,
                                       gboolean       log_scale);
/* The x axis spans at least 1..@x_max (the planned epochs). */
void       plm_loss_plot_set_x_max    (PlmLossPlot   *self,
                                       double         x_max);
/* Returns the index of the new series; @color in "#rrggbb" (or any gdk_rgba_parse form). */
int        plm_loss_plot_add_series   (PlmLossPlot   *self,
                                       const char    *name,
                                       const char    *color,
                                       gboolean       dashed);
/* Points with a non-finite y are left out. */
void       plm_loss_plot_add_point    (PlmLossPlot   *self,
                                       int            series,
                                       double         x,
                                       double         y);
void       plm_loss_plot_clear_points (PlmLossPlot   *self);
guint      plm_loss_plot_get_n_points (PlmLossPlot   *self,
                                       int            series);

G_END_DECLS
