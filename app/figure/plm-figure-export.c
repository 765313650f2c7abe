/* plm-figure-export.c: PNG, SVG and PDF files of a figure, written atomically. */
#include "plm-figure-private.h"

#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <errno.h>
#include <fontconfig/fontconfig.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>
#include <zlib.h>

gboolean
plm_figure_format_from_name (const char *name, PlmFigureFormat *format)
{
  static const char *const names[] = { "png", "svg", "pdf" };
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (name != NULL && g_ascii_strcasecmp (name, names[i]) == 0)
      {
        *format = (PlmFigureFormat) i;
        return TRUE;
      }
  return FALSE;
}

void
plm_figure_release_fonts (void)
{
  pango_cairo_font_map_set_default (NULL);
  cairo_debug_reset_static_data ();
  FcFini ();
}

gboolean
plm_figure_font_family_available (const char *family)
{
  static const char *const generic[] = { "sans", "sans-serif", "serif", "monospace", "mono", "system-ui" };
  PangoFontFamily **families = NULL;
  int n = 0;
  gboolean found = FALSE;
  if (family == NULL || *family == '\0')
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (generic); i++)
    if (g_ascii_strcasecmp (family, generic[i]) == 0)
      return TRUE;
  pango_font_map_list_families (pango_cairo_font_map_get_default (), &families, &n);
  for (int i = 0; i < n && !found; i++)
    found = g_ascii_strcasecmp (pango_font_family_get_name (families[i]), family) == 0;
  g_free (families);
  return found;
}

/* The family fontconfig actually picks for the style's (e.g. "Sans" → "DejaVu Sans"), named in
 * the SVG so that viewers use the same font the layout was measured with. */
static char *
resolved_family (PlmFigure *f)
{
  PangoFontMap *map = pango_cairo_font_map_get_default ();
  PangoContext *pc = pango_font_map_create_context (map);
  PangoFontDescription *desc = pango_font_description_from_string (f->style.font_family ? f->style.font_family : "Sans");
  pango_font_description_set_size (desc, 10 * PANGO_SCALE);
  PangoFont *font = pango_font_map_load_font (map, pc, desc);
  char *family = NULL;
  if (font != NULL)
    {
      PangoFontDescription *got = pango_font_describe (font);
      family = g_strdup (pango_font_description_get_family (got));
      pango_font_description_free (got);
      g_object_unref (font);
    }
  pango_font_description_free (desc);
  g_object_unref (pc);
  return family ? family : g_strdup ("sans-serif");
}

/* The collected <text> elements go last, above everything drawn, before </svg>. */
static void
svg_insert_text (GByteArray *svg, GString *text)
{
  static const char end[] = "</svg>";
  gsize at = svg->len;
  while (at >= sizeof end - 1 && memcmp (svg->data + at - (sizeof end - 1), end, sizeof end - 1) != 0)
    at--;
  if (at < sizeof end - 1 || text->len == 0)
    return;
  at -= sizeof end - 1;
  GByteArray *tail = g_byte_array_new ();
  g_byte_array_append (tail, svg->data + at, svg->len - at);
  g_byte_array_set_size (svg, at);
  g_byte_array_append (svg, (const guint8 *) text->str, text->len);
  g_byte_array_append (svg, tail->data, tail->len);
  g_byte_array_unref (tail);
}

static cairo_status_t
append_bytes (void *closure, const unsigned char *data, unsigned int length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

/* cairo's SVG surface writes <image> elements without any smoothing hint, so viewers would
 * interpolate the heatmap cells; every image in our figures is a heatmap or colour bar, whose
 * pixels must stay sharp. */
static GByteArray *
svg_mark_pixelated (GByteArray *svg)
{
  static const char tag[] = "<image ";
  static const char attr[] = "style=\"image-rendering:optimizeSpeed;image-rendering:pixelated\" ";
  GByteArray *out = g_byte_array_sized_new (svg->len + 1024);
  gsize i = 0;
  while (i < svg->len)
    {
      const char *hit = g_strstr_len ((const char *) svg->data + i, svg->len - i, tag);
      if (hit == NULL)
        {
          g_byte_array_append (out, svg->data + i, svg->len - i);
          break;
        }
      gsize at = (gsize) (hit - (const char *) svg->data) + sizeof tag - 1;
      g_byte_array_append (out, svg->data + i, at - i);
      g_byte_array_append (out, (const guint8 *) attr, sizeof attr - 1);
      i = at;
    }
  g_byte_array_unref (svg);
  return out;
}

/* cairo writes no resolution into PNGs; a pHYs chunk (pixels per metre) after IHDR makes word
 * processors and LaTeX place a 300-dpi figure at its real size instead of 72 or 96 dpi. */
static void
png_set_dpi (GByteArray *png, double dpi)
{
  const gsize after_ihdr = 8 + 4 + 4 + 13 + 4;
  if (png->len < after_ihdr || memcmp (png->data + 12, "IHDR", 4) != 0)
    return;
  guint32 ppm = (guint32) lround (dpi / 0.0254);
  guint8 chunk[4 + 4 + 9 + 4] = { 0, 0, 0, 9, 'p', 'H', 'Y', 's' };
  for (int k = 0; k < 2; k++)
    for (int b = 0; b < 4; b++)
      chunk[8 + 4 * k + b] = (guint8) (ppm >> (24 - 8 * b));
  chunk[16] = 1;   /* unit: metre */
  guint32 crc = (guint32) crc32 (0, chunk + 4, 4 + 9);
  for (int b = 0; b < 4; b++)
    chunk[17 + b] = (guint8) (crc >> (24 - 8 * b));
  GByteArray *tail = g_byte_array_new ();
  g_byte_array_append (tail, png->data + after_ihdr, png->len - after_ihdr);
  g_byte_array_set_size (png, after_ihdr);
  g_byte_array_append (png, chunk, sizeof chunk);
  g_byte_array_append (png, tail->data, tail->len);
  g_byte_array_unref (tail);
}

static gboolean
check_status (cairo_status_t status, const char *path, GError **error)
{
  if (status == CAIRO_STATUS_SUCCESS)
    return TRUE;
  g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_FAILED, "%s: cannot draw the figure: %s",
               path, cairo_status_to_string (status));
  return FALSE;
}

gboolean
plm_figure_export (PlmFigure *f, PlmFigureFormat format, const char *path, GError **error)
{
  g_autoptr(GByteArray) bytes = g_byte_array_new ();
  cairo_surface_t *surface;
  cairo_status_t status;
  double w, h;

  plm_figure_get_size (f, &w, &h);
  switch (format)
    {
    case PLM_FIGURE_PNG:
      {
        int pw, ph;
        plm_figure_get_pixel_size (f, &pw, &ph);
        if ((gint64) pw * ph > (gint64) 400 * 1000 * 1000)
          {
            g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                         "%s: %d × %d pixels is too large an image", path, pw, ph);
            return FALSE;
          }
        surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, pw, ph);
        cairo_t *cr = cairo_create (surface);
        /* exactly pw/w device pixels per point, so cell rectangles × dpi/72 are pixels */
        cairo_scale (cr, pw / w, ph / h);
        plm_figure_draw (f, cr);
        status = cairo_status (cr);
        cairo_destroy (cr);
        if (status == CAIRO_STATUS_SUCCESS)
          status = cairo_surface_write_to_png_stream (surface, append_bytes, bytes);
        if (status == CAIRO_STATUS_SUCCESS)
          png_set_dpi (bytes, f->style.dpi);
        cairo_surface_destroy (surface);
        break;
      }
    case PLM_FIGURE_SVG:
    case PLM_FIGURE_PDF:
      {
        if (format == PLM_FIGURE_SVG)
          {
            surface = cairo_svg_surface_create_for_stream (append_bytes, bytes, w, h);
            cairo_svg_surface_set_document_unit (surface, CAIRO_SVG_UNIT_PT);
          }
        else
          {
            surface = cairo_pdf_surface_create_for_stream (append_bytes, bytes, w, h);
            cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR, "PLM Lens " PLM_VERSION);
            if (f->style.title)
              cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE, f->style.title);
          }
        cairo_t *cr = cairo_create (surface);
        /* sharp at the PNG resolution and at print resolution, whichever is higher */
        f->oversample_dpi = MAX (f->style.dpi, 300);
        if (format == PLM_FIGURE_SVG)
          {
            f->svg_text = g_string_new (NULL);
            f->svg_font_family = resolved_family (f);
          }
        plm_figure_draw (f, cr);
        f->oversample_dpi = 0;
        status = cairo_status (cr);
        cairo_destroy (cr);
        cairo_surface_finish (surface);
        if (status == CAIRO_STATUS_SUCCESS)
          status = cairo_surface_status (surface);
        cairo_surface_destroy (surface);
        if (format == PLM_FIGURE_SVG)
          {
            bytes = svg_mark_pixelated (g_steal_pointer (&bytes));
            svg_insert_text (bytes, f->svg_text);
            g_string_free (g_steal_pointer (&f->svg_text), TRUE);
            g_clear_pointer (&f->svg_font_family, g_free);
          }
        break;
      }
    default:
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL, "%s: unknown figure format", path);
      return FALSE;
    }
  if (!check_status (status, path, error))
    return FALSE;
  /* temporary file in the same directory, renamed over @path: a reader never sees half a figure */
  if (!g_file_set_contents_full (path, (const char *) bytes->data, bytes->len,
                                 G_FILE_SET_CONTENTS_CONSISTENT, 0644, error))
    return FALSE;
  return TRUE;
}
