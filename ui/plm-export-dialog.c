/* plm-export-dialog.c: the Export Figure window: choices on the right, a preview drawn by the
 * figure renderer itself on the left, and the file written in a worker thread. */
#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "plm-export-dialog-private.h"
#include "plm-figure-build.h"

/* Grids larger than this are refused: each panel is a T × T copy (the CLI's limit too). */
#define MAX_GRID_PANELS 256
#define MAX_GRID_BYTES  (1024.0 * 1024 * 1024)
/* Default grid: every layer, and as many heads as keep it near this many panels */
#define DEFAULT_GRID_PANELS 64

const char *const plm_export_format_ext[3] = { "png", "svg", "pdf" };


G_DEFINE_FINAL_TYPE (PlmExportDialog, plm_export_dialog, ADW_TYPE_WINDOW)

enum {
  EXPORTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* ---- style from the controls ---- */

static void
set_text (char **field, const char *text)
{
  g_free (*field);
  *field = g_strdup (text);
}

void
plm_export_dialog_apply_style (PlmExportDialog *self)
{
  PlmFigureStyle *st;
  const char *font;

  if (self->figure == NULL)
    return;
  st = plm_figure_get_style (self->figure);
  st->unit = self->unit;
  st->width = gtk_adjustment_get_value (self->width_adjustment);
  st->height = gtk_adjustment_get_value (self->height_adjustment);
  st->dpi = gtk_adjustment_get_value (self->dpi_adjustment);
  set_text (&st->title, gtk_editable_get_text (GTK_EDITABLE (self->title_row)));
  font = gtk_editable_get_text (GTK_EDITABLE (self->font_row));
  set_text (&st->font_family, font[0] != '\0' ? font : "Sans");
  st->font_size = gtk_adjustment_get_value (self->font_size_adjustment);
  set_text (&st->colorbar_label, gtk_editable_get_text (GTK_EDITABLE (self->colorbar_row)));
  set_text (&st->x_label, gtk_editable_get_text (GTK_EDITABLE (self->x_label_row)));
  set_text (&st->y_label, gtk_editable_get_text (GTK_EDITABLE (self->y_label_row)));
  st->color_map = (PlmColorMap) MIN (adw_combo_row_get_selected (self->color_map_row), PLM_N_COLOR_MAPS - 1);
  switch (adw_combo_row_get_selected (self->scale_row))
    {
    case 1: st->scale_kind = PLM_SCALE_LOG; break;
    case 2: st->scale_kind = PLM_SCALE_PERCENTILE; break;
    default: st->scale_kind = PLM_SCALE_LINEAR; break;
    }
  st->ticks = gtk_switch_get_active (self->ticks_switch);
  st->letters = gtk_switch_get_active (self->letters_switch);
  st->specials = gtk_switch_get_active (self->specials_switch);
  st->transparent = gtk_switch_get_active (self->transparent_switch);
  if (self->view == PLM_FIGURE_GRID)
    plm_figure_set_grid_columns (self->figure, (int) gtk_adjustment_get_value (self->columns_adjustment));
}

/* ---- grid ---- */

static void
rebuild_grid (PlmExportDialog *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) layers = NULL, heads = NULL;
  PlmInferenceResult *r = self->result;
  g_autofree char *letters = NULL;
  g_autofree float *map = NULL;
  int T = r->n_tokens;

  g_clear_pointer (&self->figure, plm_figure_free);
  g_clear_pointer (&self->error, g_free);
  layers = plm_figure_parse_indices (gtk_editable_get_text (GTK_EDITABLE (self->layers_row)), 1, r->n_layers, &error);
  if (layers == NULL)
    /* Translators: the grid's layer list is wrong; the reason follows */
    self->error = g_strdup_printf (_("Layers: %s"), error->message);
  else if ((heads = plm_figure_parse_indices (gtk_editable_get_text (GTK_EDITABLE (self->heads_row)), 1, r->n_heads, &error)) == NULL)
    self->error = g_strdup_printf (_("Heads: %s"), error->message);
  else if (layers->len * heads->len > MAX_GRID_PANELS
           || (double) layers->len * heads->len * T * T * sizeof (float) > MAX_GRID_BYTES)
    self->error = g_strdup_printf (_("%u panels of %d × %d are too many for one figure; choose fewer layers or heads."),
                                   layers->len * heads->len, T, T);
  gtk_label_set_text (self->grid_error, self->error ? self->error : "");
  gtk_widget_set_visible (GTK_WIDGET (self->grid_error), self->error != NULL);
  gtk_widget_set_sensitive (GTK_WIDGET (self->export_button), self->error == NULL);
  if (self->error != NULL)
    return;

  self->figure = plm_figure_new (PLM_FIGURE_GRID);
  letters = g_strndup (r->sequence, r->n_residues);
  map = g_new (float, (gsize) T * T);
  for (guint i = 0; i < layers->len; i++)
    for (guint j = 0; j < heads->len; j++)
      {
        int layer = g_array_index (layers, int, i), head = g_array_index (heads, int, j);

        plm_attention_store_copy_map (r->attention, layer, head, map);
        plm_figure_build_grid_panel (self->figure, self->record, layer, head, r->n_heads, map, T, letters);
      }
  /* 0 panels per row: one layer per row */
  if (gtk_adjustment_get_value (self->columns_adjustment) == 0)
    plm_figure_set_grid_columns (self->figure, (int) heads->len);
}

/* ---- preview ---- */

static void
render_preview (PlmExportDialog *self)
{
  int aw = gtk_widget_get_width (GTK_WIDGET (self->preview));
  int ah = gtk_widget_get_height (GTK_WIDGET (self->preview));
  int sf = gtk_widget_get_scale_factor (GTK_WIDGET (self->preview));
  double w, h, s;
  int pw, ph;
  cairo_t *cr;

  g_clear_pointer (&self->preview_surface, cairo_surface_destroy);
  if (self->figure == NULL || aw < 32 || ah < 32)
    return;
  plm_figure_get_size (self->figure, &w, &h);
  s = MIN ((aw - 24.0) / w, (ah - 24.0) / h);
  pw = MAX (1, (int) floor (w * s * sf));
  ph = MAX (1, (int) floor (h * s * sf));
  self->preview_surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, pw, ph);
  cairo_surface_set_device_scale (self->preview_surface, sf, sf);
  cr = cairo_create (self->preview_surface);
  cairo_scale (cr, s, s);
  plm_figure_draw (self->figure, cr);
  cairo_destroy (cr);
  self->preview_w = aw;
  self->preview_h = ah;
}

static void
update_size_label (PlmExportDialog *self)
{
  g_autofree char *text = NULL;
  double w, h;
  int pw, ph;

  if (self->figure == NULL)
    {
      gtk_label_set_text (self->size_label, "");
      return;
    }
  plm_figure_get_size (self->figure, &w, &h);
  plm_figure_get_pixel_size (self->figure, &pw, &ph);
  /* Translators: the figure's size, e.g. "100 × 74 mm · PNG 1181 × 874 px at 300 dpi" */
  text = g_strdup_printf (_("%.0f × %.0f mm · PNG %d × %d px at %.0f dpi"), w * 25.4 / 72, h * 25.4 / 72, pw, ph,
                          gtk_adjustment_get_value (self->dpi_adjustment));
  gtk_label_set_text (self->size_label, text);
}

static gboolean
update_now (gpointer data)
{
  PlmExportDialog *self = data;

  self->update_source = 0;
  if (self->exporting)
    return G_SOURCE_REMOVE;
  plm_export_dialog_apply_style (self);
  update_size_label (self);
  render_preview (self);
  gtk_widget_queue_draw (GTK_WIDGET (self->preview));
  return G_SOURCE_REMOVE;
}

/* Coalesces the changes of one main-loop iteration (typing, spinning) into one redraw. */
static void
schedule_update (PlmExportDialog *self)
{
  if (self->filling || self->update_source != 0)
    return;
  self->update_source = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, update_now, self, NULL);
}

static void
on_grid_changed (PlmExportDialog *self)
{
  if (self->filling || self->result == NULL || self->exporting)
    return;
  rebuild_grid (self);
  schedule_update (self);
}

static void
draw_checkerboard (cairo_t *cr, double x, double y, double w, double h)
{
  cairo_save (cr);
  cairo_rectangle (cr, x, y, w, h);
  cairo_clip (cr);
  cairo_set_source_rgb (cr, 0.85, 0.85, 0.85);
  cairo_paint (cr);
  cairo_set_source_rgb (cr, 0.97, 0.97, 0.97);
  for (int i = 0; i * 8 < w; i++)
    for (int j = 0; j * 8 < h; j++)
      if ((i + j) % 2 == 0)
        cairo_rectangle (cr, x + i * 8, y + j * 8, 8, 8);
  cairo_fill (cr);
  cairo_restore (cr);
}

static void
draw_preview (GtkDrawingArea *area,
              cairo_t        *cr,
              int             width,
              int             height,
              gpointer        data)
{
  PlmExportDialog *self = data;
  double sw, sh, x, y, dx, dy;

  if (!self->exporting && (self->preview_surface == NULL || width != self->preview_w || height != self->preview_h))
    render_preview (self);
  if (self->preview_surface == NULL)
    return;
  cairo_surface_get_device_scale (self->preview_surface, &dx, &dy);
  sw = cairo_image_surface_get_width (self->preview_surface) / dx;
  sh = cairo_image_surface_get_height (self->preview_surface) / dy;
  x = floor ((width - sw) / 2);
  y = floor ((height - sh) / 2);
  if (gtk_switch_get_active (self->transparent_switch))
    draw_checkerboard (cr, x, y, sw, sh);
  cairo_set_source_surface (cr, self->preview_surface, x, y);
  cairo_paint (cr);
  cairo_set_source_rgba (cr, 0, 0, 0, 0.3);
  cairo_set_line_width (cr, 1);
  cairo_rectangle (cr, x - 0.5, y - 0.5, sw + 1, sh + 1);
  cairo_stroke (cr);
}

/* ---- filling the controls ---- */

static void
fill_defaults (PlmExportDialog *self)
{
  PlmFigureStyle *st;
  const char *text;
  double w, h;

  if (self->figure == NULL)
    return;
  self->filling = TRUE;
  st = plm_figure_get_style (self->figure);
  st->width = st->height = 0;
  plm_figure_get_size (self->figure, &w, &h);
  gtk_adjustment_set_value (self->width_adjustment,
                            self->unit == PLM_FIGURE_UNIT_MM ? round (w * 25.4 / 72)
                                                             : round (w / 72 * gtk_adjustment_get_value (self->dpi_adjustment)));
  gtk_adjustment_set_value (self->height_adjustment, 0);
  text = plm_figure_get_text (self->figure, PLM_FIGURE_TEXT_TITLE);
  gtk_editable_set_text (GTK_EDITABLE (self->title_row), text ? text : "");
  gtk_editable_set_text (GTK_EDITABLE (self->colorbar_row), plm_figure_get_text (self->figure, PLM_FIGURE_TEXT_COLORBAR_LABEL));
  gtk_editable_set_text (GTK_EDITABLE (self->x_label_row), plm_figure_get_text (self->figure, PLM_FIGURE_TEXT_X_LABEL));
  gtk_editable_set_text (GTK_EDITABLE (self->y_label_row), plm_figure_get_text (self->figure, PLM_FIGURE_TEXT_Y_LABEL));
  adw_combo_row_set_selected (self->color_map_row, st->color_map);
  self->filling = FALSE;
}

static void
on_unit_changed (PlmExportDialog *self)
{
  PlmFigureUnit unit = adw_combo_row_get_selected (self->unit_row) == 1 ? PLM_FIGURE_UNIT_PX : PLM_FIGURE_UNIT_MM;
  double dpi = gtk_adjustment_get_value (self->dpi_adjustment);
  double k = unit == PLM_FIGURE_UNIT_PX ? dpi / 25.4 : 25.4 / dpi;
  double w = gtk_adjustment_get_value (self->width_adjustment);
  double h = gtk_adjustment_get_value (self->height_adjustment);
  double upper = unit == PLM_FIGURE_UNIT_PX ? 30000 : 2000;

  if (unit == self->unit)
    return;
  self->unit = unit;
  gtk_adjustment_set_upper (self->width_adjustment, upper);
  gtk_adjustment_set_upper (self->height_adjustment, upper);
  gtk_adjustment_set_lower (self->width_adjustment, unit == PLM_FIGURE_UNIT_PX ? 50 : 10);
  gtk_adjustment_set_step_increment (self->width_adjustment, unit == PLM_FIGURE_UNIT_PX ? 10 : 1);
  gtk_adjustment_set_step_increment (self->height_adjustment, unit == PLM_FIGURE_UNIT_PX ? 10 : 1);
  gtk_adjustment_set_value (self->width_adjustment, round (w * k));
  gtk_adjustment_set_value (self->height_adjustment, round (h * k));
  schedule_update (self);
}

static void
on_font_changed (PlmExportDialog *self)
{
  const char *font = gtk_editable_get_text (GTK_EDITABLE (self->font_row));

  /* pango silently substitutes families it does not have: say so */
  if (font[0] != '\0' && !plm_figure_font_family_available (font))
    gtk_widget_add_css_class (GTK_WIDGET (self->font_row), "warning");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->font_row), "warning");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->font_row),
                               gtk_widget_has_css_class (GTK_WIDGET (self->font_row), "warning")
                                 ? _("This font is not installed; a similar one is used") : NULL);
  schedule_update (self);
}

/* ---- exporting ---- */

/* ---- public ---- */

void
plm_export_dialog_emit_exported (PlmExportDialog *self,
                                 const char      *path)
{
  g_signal_emit (self, signals[EXPORTED], 0, path);
}


PlmFigure *
plm_export_dialog_get_figure (PlmExportDialog *self)
{
  g_return_val_if_fail (PLM_IS_EXPORT_DIALOG (self), NULL);

  if (!self->exporting)
    plm_export_dialog_apply_style (self);
  return self->figure;
}

void
plm_export_dialog_set_format (PlmExportDialog *self,
                              PlmFigureFormat  format)
{
  g_return_if_fail (PLM_IS_EXPORT_DIALOG (self));

  adw_combo_row_set_selected (self->format_row, format);
}

PlmFigureFormat
plm_export_dialog_get_format (PlmExportDialog *self)
{
  guint i = adw_combo_row_get_selected (self->format_row);

  return i == 1 ? PLM_FIGURE_SVG : i == 2 ? PLM_FIGURE_PDF : PLM_FIGURE_PNG;
}

void
plm_export_dialog_set_size (PlmExportDialog *self,
                            PlmFigureUnit    unit,
                            double           width,
                            double           height)
{
  g_return_if_fail (PLM_IS_EXPORT_DIALOG (self));

  adw_combo_row_set_selected (self->unit_row, unit == PLM_FIGURE_UNIT_PX ? 1 : 0);
  gtk_adjustment_set_value (self->width_adjustment, width);
  gtk_adjustment_set_value (self->height_adjustment, height);
}

void
plm_export_dialog_set_dpi (PlmExportDialog *self,
                           double           dpi)
{
  g_return_if_fail (PLM_IS_EXPORT_DIALOG (self));

  gtk_adjustment_set_value (self->dpi_adjustment, dpi);
}

void
plm_export_dialog_set_grid (PlmExportDialog *self,
                            const char      *layers,
                            const char      *heads)
{
  g_return_if_fail (PLM_IS_EXPORT_DIALOG (self));

  self->filling = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->layers_row), layers ? layers : "");
  gtk_editable_set_text (GTK_EDITABLE (self->heads_row), heads ? heads : "");
  self->filling = FALSE;
  on_grid_changed (self);
}

const char *
plm_export_dialog_get_error (PlmExportDialog *self)
{
  g_return_val_if_fail (PLM_IS_EXPORT_DIALOG (self), NULL);

  return self->error;
}

/* ---- construction ---- */

static void
bind_settings (PlmExportDialog *self)
{
  g_autofree char *format = NULL;

  if (self->settings == NULL)
    {
      gtk_editable_set_text (GTK_EDITABLE (self->font_row), "Sans");
      return;
    }
  format = g_settings_get_string (self->settings, "export-format");
  for (guint i = 0; i < G_N_ELEMENTS (plm_export_format_ext); i++)
    if (g_str_equal (format, plm_export_format_ext[i]))
      adw_combo_row_set_selected (self->format_row, i);
  g_settings_bind (self->settings, "export-dpi", self->dpi_adjustment, "value", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "export-font", self->font_row, "text", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "export-font-size", self->font_size_adjustment, "value", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "export-transparent", self->transparent_switch, "active", G_SETTINGS_BIND_DEFAULT);
}

/* The format chosen is remembered for the next export. */
static void
on_format_changed (PlmExportDialog *self)
{
  if (self->settings != NULL)
    g_settings_set_string (self->settings, "export-format", plm_export_format_ext[plm_export_dialog_get_format (self)]);
}

static PlmExportDialog *
dialog_new (GtkWindow  *parent,
            GSettings  *settings,
            const char *basename)
{
  PlmExportDialog *self = g_object_new (PLM_TYPE_EXPORT_DIALOG, "transient-for", parent, NULL);

  self->settings = settings ? g_object_ref (settings) : NULL;
  self->basename = g_strdup (basename && basename[0] ? basename : "figure");
  bind_settings (self);
  return self;
}

PlmExportDialog *
plm_export_dialog_new (GtkWindow  *parent,
                       GSettings  *settings,
                       PlmFigure  *figure,
                       const char *basename)
{
  PlmExportDialog *self;

  g_return_val_if_fail (figure != NULL, NULL);

  self = dialog_new (parent, settings, basename);
  self->figure = figure;
  self->view = plm_figure_get_view (figure);
  gtk_widget_set_visible (GTK_WIDGET (self->specials_row),
                          self->view == PLM_FIGURE_ATTENTION || self->view == PLM_FIGURE_GRID);
  /* variant scores: always the symmetric linear scale of the figure library */
  gtk_widget_set_visible (GTK_WIDGET (self->scale_row), self->view != PLM_FIGURE_MUTATIONS);
  fill_defaults (self);
  schedule_update (self);
  return self;
}

PlmExportDialog *
plm_export_dialog_new_grid (GtkWindow          *parent,
                            GSettings          *settings,
                            PlmInferenceResult *result,
                            const char         *record,
                            const char         *basename)
{
  PlmExportDialog *self;
  g_autofree char *heads = NULL;
  int n_heads;

  g_return_val_if_fail (result != NULL && result->attention != NULL, NULL);

  self = dialog_new (parent, settings, basename);
  self->view = PLM_FIGURE_GRID;
  self->result = plm_inference_result_ref (result);
  self->record = g_strdup (record);
  gtk_widget_set_visible (GTK_WIDGET (self->layers_row), TRUE);
  gtk_widget_set_visible (GTK_WIDGET (self->heads_row), TRUE);
  gtk_widget_set_visible (GTK_WIDGET (self->columns_row), TRUE);
  n_heads = CLAMP (DEFAULT_GRID_PANELS / MAX (result->n_layers, 1), 1, result->n_heads);
  if (n_heads < result->n_heads)
    heads = n_heads == 1 ? g_strdup ("1") : g_strdup_printf ("1-%d", n_heads);
  plm_export_dialog_set_grid (self, "", heads);
  fill_defaults (self);
  schedule_update (self);
  return self;
}

static void
plm_export_dialog_dispose (GObject *object)
{
  PlmExportDialog *self = PLM_EXPORT_DIALOG (object);

  g_clear_handle_id (&self->update_source, g_source_remove);
  G_OBJECT_CLASS (plm_export_dialog_parent_class)->dispose (object);
}

static void
plm_export_dialog_finalize (GObject *object)
{
  PlmExportDialog *self = PLM_EXPORT_DIALOG (object);

  /* a running export holds a reference: the figure is not in use any more */
  g_clear_pointer (&self->figure, plm_figure_free);
  g_clear_pointer (&self->preview_surface, cairo_surface_destroy);
  g_clear_pointer (&self->result, plm_inference_result_unref);
  g_clear_object (&self->settings);
  g_free (self->basename);
  g_free (self->record);
  g_free (self->error);
  G_OBJECT_CLASS (plm_export_dialog_parent_class)->finalize (object);
}

static gboolean
plm_export_dialog_close_request (GtkWindow *window)
{
  /* the worker thread is writing: the dialog stays until the file is complete */
  return PLM_EXPORT_DIALOG (window)->exporting;
}

static gboolean
close_on_escape (GtkWidget *widget,
                 GVariant  *args,
                 gpointer   data)
{
  gtk_window_close (GTK_WINDOW (widget));
  return TRUE;
}

static void
plm_export_dialog_class_init (PlmExportDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = plm_export_dialog_dispose;
  object_class->finalize = plm_export_dialog_finalize;
  window_class->close_request = plm_export_dialog_close_request;

  /* The figure was written to the path given. */
  signals[EXPORTED] = g_signal_new ("exported", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                    G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/plmlens/PlmLens/ui/plm-export-dialog.ui");
#define CHILD(name) gtk_widget_class_bind_template_child (widget_class, PlmExportDialog, name)
  CHILD (toast_overlay);
  CHILD (cancel_button);
  CHILD (export_button);
  CHILD (spinner);
  CHILD (body);
  CHILD (preview);
  CHILD (size_label);
  CHILD (format_row);
  CHILD (title_row);
  CHILD (layers_row);
  CHILD (heads_row);
  CHILD (columns_row);
  CHILD (columns_adjustment);
  CHILD (grid_error);
  CHILD (unit_row);
  CHILD (width_adjustment);
  CHILD (height_adjustment);
  CHILD (dpi_adjustment);
  CHILD (font_row);
  CHILD (font_size_adjustment);
  CHILD (colorbar_row);
  CHILD (x_label_row);
  CHILD (y_label_row);
  CHILD (color_map_row);
  CHILD (scale_row);
  CHILD (ticks_switch);
  CHILD (letters_switch);
  CHILD (specials_row);
  CHILD (specials_switch);
  CHILD (transparent_switch);
#undef CHILD
  gtk_widget_class_add_binding (widget_class, GDK_KEY_Escape, 0, close_on_escape, NULL);
}

static void
plm_export_dialog_init (PlmExportDialog *self)
{
  GObject *changes[5], *texts[4], *switches[4];

  gtk_widget_init_template (GTK_WIDGET (self));
  changes[0] = G_OBJECT (self->width_adjustment);
  changes[1] = G_OBJECT (self->height_adjustment);
  changes[2] = G_OBJECT (self->dpi_adjustment);
  changes[3] = G_OBJECT (self->font_size_adjustment);
  changes[4] = G_OBJECT (self->columns_adjustment);
  texts[0] = G_OBJECT (self->title_row);
  texts[1] = G_OBJECT (self->colorbar_row);
  texts[2] = G_OBJECT (self->x_label_row);
  texts[3] = G_OBJECT (self->y_label_row);
  switches[0] = G_OBJECT (self->ticks_switch);
  switches[1] = G_OBJECT (self->letters_switch);
  switches[2] = G_OBJECT (self->specials_switch);
  switches[3] = G_OBJECT (self->transparent_switch);
  self->unit = PLM_FIGURE_UNIT_MM;
  gtk_drawing_area_set_draw_func (self->preview, draw_preview, self, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (changes); i++)
    g_signal_connect_swapped (changes[i], "value-changed", G_CALLBACK (schedule_update), self);
  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    g_signal_connect_swapped (texts[i], "changed", G_CALLBACK (schedule_update), self);
  for (guint i = 0; i < G_N_ELEMENTS (switches); i++)
    g_signal_connect_swapped (switches[i], "notify::active", G_CALLBACK (schedule_update), self);
  g_signal_connect_swapped (self->color_map_row, "notify::selected", G_CALLBACK (schedule_update), self);
  g_signal_connect_swapped (self->scale_row, "notify::selected", G_CALLBACK (schedule_update), self);
  g_signal_connect_swapped (self->unit_row, "notify::selected", G_CALLBACK (on_unit_changed), self);
  g_signal_connect_swapped (self->format_row, "notify::selected", G_CALLBACK (on_format_changed), self);
  g_signal_connect_swapped (self->font_row, "changed", G_CALLBACK (on_font_changed), self);
  g_signal_connect_swapped (self->layers_row, "changed", G_CALLBACK (on_grid_changed), self);
  g_signal_connect_swapped (self->heads_row, "changed", G_CALLBACK (on_grid_changed), self);
  g_signal_connect_swapped (self->export_button, "clicked", G_CALLBACK (plm_export_dialog_choose_file), self);
  g_signal_connect_swapped (self->cancel_button, "clicked", G_CALLBACK (gtk_window_close), self);
}
