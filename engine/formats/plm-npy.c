/* plm-npy.c: NumPy .npy v1.0 files, written to a temporary file and renamed into place. */
#include "plm-npy.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "plm-error.h"

#define NPY_MAX_HEADER 65535

struct _PlmNpyWriter {
  char    *path;
  char    *tmp_path;
  FILE    *file;
  gsize    elem_size;
  guint64  expected;
  guint64  written;
};

static const char *
descr_for (PlmNpyType type, gsize *size)
{
  switch (type)
    {
    case PLM_NPY_F32: *size = 4; return "<f4";
    case PLM_NPY_I32: *size = 4; return "<i4";
    case PLM_NPY_F64: *size = 8; return "<f8";
    case PLM_NPY_I64: *size = 8; return "<i8";
    case PLM_NPY_U8: *size = 1; return "|u1";
    default: *size = 0; return NULL;
    }
}

static GString *
make_header (PlmNpyType type, int n_dims, const int64_t *shape)
{
  gsize size;
  GString *dict = g_string_new (NULL);
  g_string_append_printf (dict, "{'descr': '%s', 'fortran_order': False, 'shape': (", descr_for (type, &size));
  for (int i = 0; i < n_dims; i++)
    g_string_append_printf (dict, "%" G_GINT64_FORMAT "%s", shape[i], (n_dims == 1 || i + 1 < n_dims) ? "," : "");
  g_string_append (dict, "), }");
  /* magic(6) + version(2) + len(2) + dict + padding + '\n' ≡ 0 mod 64 */
  gsize total = 10 + dict->len + 1;
  gsize pad = (64 - total % 64) % 64;
  for (gsize i = 0; i < pad; i++)
    g_string_append_c (dict, ' ');
  g_string_append_c (dict, '\n');

  GString *h = g_string_new_len ("\x93NUMPY\x01\x00", 8);
  guint16 len = (guint16) dict->len;
  g_string_append_c (h, (char) (len & 0xff));
  g_string_append_c (h, (char) (len >> 8));
  g_string_append_len (h, dict->str, (gssize) dict->len);
  g_string_free (dict, TRUE);
  return h;
}

PlmNpyWriter *
plm_npy_writer_new (const char *path, PlmNpyType type, int n_dims, const int64_t *shape, GError **error)
{
  PlmNpyWriter *w = g_new0 (PlmNpyWriter, 1);
  guint64 n = 1;

  if (descr_for (type, &w->elem_size) == NULL || n_dims < 0 || n_dims > 8)
    {
      g_set_error (error, PLM_ERROR, PLM_ERROR_INPUT, "%s: unsupported array type", path);
      g_free (w);
      return NULL;
    }
  for (int i = 0; i < n_dims; i++)
    n *= (guint64) shape[i];
  w->expected = n;
  w->path = g_strdup (path);
  w->tmp_path = g_strdup_printf ("%s.XXXXXX", path);
  int fd = g_mkstemp (w->tmp_path);
  if (fd >= 0)
    fchmod (fd, 0644);   /* mkstemp creates 0600; outputs are ordinary files */
  if (fd < 0 || (w->file = fdopen (fd, "wb")) == NULL)
    {
      int e = errno;
      if (fd >= 0)
        close (fd);
      g_set_error (error, PLM_ERROR, PLM_ERROR_IO, "%s: cannot create: %s", path, g_strerror (e));
      g_free (w->path);
      g_free (w->tmp_path);
      g_free (w);
      return NULL;
    }
  g_autoptr(GString) h = make_header (type, n_dims, shape);
  if (fwrite (h->str, 1, h->len, w->file) != h->len)
    {
      g_set_error (error, PLM_ERROR, PLM_ERROR_IO, "%s: write failed: %s", path, g_strerror (errno));
      plm_npy_writer_abort (w);
      return NULL;
    }
  return w;
}

gboolean
plm_npy_writer_append (PlmNpyWriter *w, const void *data, guint64 n, GError **error)
{
  if (w->written + n > w->expected)
    {
      g_set_error (error, PLM_ERROR, PLM_ERROR_INPUT, "%s: more data than the declared shape", w->path);
      return FALSE;
    }
  if (n > 0 && fwrite (data, w->elem_size, n, w->file) != n)
    {
      g_set_error (error, PLM_ERROR, PLM_ERROR_IO, "%s: write failed: %s", w->path, g_strerror (errno));
      return FALSE;
    }
  w->written += n;
  return TRUE;
}

gboolean
plm_npy_writer_commit (PlmNpyWriter *w, GError **error)
{
  gboolean ok = w->written == w->expected;
  if (!ok)
    g_set_error (error, PLM_ERROR, PLM_ERROR_INPUT, "%s: %" G_GUINT64_FORMAT " of %" G_GUINT64_FORMAT
                 " elements written", w->path, w->written, w->expected);
  if (ok && (fflush (w->file) != 0 || fsync (fileno (w->file)) != 0))
    {
      ok = FALSE;
      g_set_error (error, PLM_ERROR, PLM_ERROR_IO, "%s: write failed: %s", w->path, g_strerror (errno));
    }
  if (fclose (w->file) != 0 && ok)
    {
      ok = FALSE;
      g_set_error (error, PLM_ERROR, PLM_ERROR_IO, "%s: write failed: %s", w->path, g_strerror (errno));
    }
  w->file = NULL;
  if (ok && g_rename (w->tmp_path, w->path) != 0)
    {
      ok = FALSE;
      g_set_error (error, PLM_ERROR, PLM_ERROR_IO, "%s: cannot rename into place: %s", w->path, g_strerror (errno));
    }
  if (!ok)
    g_unlink (w->tmp_path);
  g_free (w->path);
  g_free (w->tmp_path);
  g_free (w);
  return ok;
}

void
plm_npy_writer_abort (PlmNpyWriter *w)
{
  if (w == NULL)
    return;
  if (w->file != NULL)
    fclose (w->file);
  g_unlink (w->tmp_path);
  g_free (w->path);
  g_free (w->tmp_path);
  g_free (w);
}

gboolean
plm_npy_write (const char *path, PlmNpyType type, const void *data, int n_dims, const int64_t *shape,
               GError **error)
{
  PlmNpyWriter *w = plm_npy_writer_new (path, type, n_dims, shape, error);
  if (w == NULL)
    return FALSE;
  if (!plm_npy_writer_append (w, data, w->expected, error))
    {
      plm_npy_writer_abort (w);
      return FALSE;
    }
  return plm_npy_writer_commit (w, error);
}

/* Parses the header dict: descr, fortran_order, shape. Strict about what we can read. */
static gboolean
parse_header (const char *path, const char *dict, PlmNpyArray *out, gsize *elem_size, GError **error)
{
  const char *d = strstr (dict, "'descr':");
  const char *f = strstr (dict, "'fortran_order':");
  const char *s = strstr (dict, "'shape':");
  if (d == NULL || f == NULL || s == NULL)
    goto bad;

  d += 8;
  while (*d == ' ') d++;
  if (g_str_has_prefix (d, "'<f4'")) { out->type = PLM_NPY_F32; *elem_size = 4; }
  else if (g_str_has_prefix (d, "'<i4'")) { out->type = PLM_NPY_I32; *elem_size = 4; }
  else if (g_str_has_prefix (d, "'<f8'")) { out->type = PLM_NPY_F64; *elem_size = 8; }
  else if (g_str_has_prefix (d, "'<i8'")) { out->type = PLM_NPY_I64; *elem_size = 8; }
  else if (g_str_has_prefix (d, "'|u1'")) { out->type = PLM_NPY_U8; *elem_size = 1; }
  else
    {
      g_set_error (error, PLM_ERROR, PLM_ERROR_FORMAT, "%s: unsupported dtype (need <f4, <i4, <f8, <i8 or |u1)", path);
      return FALSE;
    }
  f += 16;
  while (*f == ' ') f++;
  if (!g_str_has_prefix (f, "False"))
    {
      g_set_error (error, PLM_ERROR, PLM_ERROR_FORMAT, "%s: Fortran-order arrays are not supported", path);
      return FALSE;
    }
  s += 8;
  while (*s == ' ') s++;
  if (*s++ != '(')
    goto bad;
  out->n_dims = 0;
  out->n_elements = 1;
  for (;;)
    {
      while (*s == ' ' || *s == ',') s++;
      if (*s == ')')
        break;
      if (!g_ascii_isdigit (*s) || out->n_dims >= 8)
        goto bad;
      char *end;
      guint64 v = g_ascii_strtoull (s, &end, 10);
      if (end == s || v > G_MAXINT32)
        goto bad;
      if (v != 0 && out->n_elements > G_MAXUINT64 / v)
        goto bad;
      out->shape[out->n_dims++] = (int64_t) v;
      out->n_elements *= v;
      s = end;
    }
  return TRUE;

bad:
  g_set_error (error, PLM_ERROR, PLM_ERROR_FORMAT, "%s: malformed .npy header", path);
  return FALSE;
}

gboolean
plm_npy_read (const char *path, PlmNpyArray *out, GError **error)
{
  g_autofree char *contents = NULL;
  gsize len = 0;
  g_autoptr(GError) local = NULL;
  gsize elem_size = 0;
  g_autofree char *dict = NULL;

  memset (out, 0, sizeof *out);
  if (!g_file_get_contents (path, &contents, &len, &local))
    {
      g_set_error (error, PLM_ERROR, PLM_ERROR_IO, "%s: %s", path, local->message);
      return FALSE;
    }
  if (len < 10 || memcmp (contents, "\x93NUMPY", 6) != 0)
    {
      g_set_error (error, PLM_ERROR, PLM_ERROR_FORMAT, "%s: not a .npy file", path);
      return FALSE;
    }
  guint8 major = (guint8) contents[6];
  gsize hlen, hstart;
  if (major == 1)
    {
      hlen = (guint8) contents[8] | ((gsize) (guint8) contents[9] << 8);
      hstart = 10;
    }
  else if (major == 2 || major == 3)
    {
      if (len < 12)
        goto trunc;
      hlen = (guint8) contents[8] | ((gsize) (guint8) contents[9] << 8)
             | ((gsize) (guint8) contents[10] << 16) | ((gsize) (guint8) contents[11] << 24);
      hstart = 12;
    }
  else
    {
      g_set_error (error, PLM_ERROR, PLM_ERROR_FORMAT, "%s: unsupported .npy version %u", path, major);
      return FALSE;
    }
  if (hlen > len - hstart)
    goto trunc;
  dict = g_strndup (contents + hstart, hlen);
  if (!parse_header (path, dict, out, &elem_size, error))
    return FALSE;
  gsize data_start = hstart + hlen;
  if (out->n_elements > (len - data_start) / elem_size || (len - data_start) != out->n_elements * elem_size)
    goto trunc;
  out->data = g_memdup2 (contents + data_start, out->n_elements * elem_size);
  return TRUE;

trunc:
  g_set_error (error, PLM_ERROR, PLM_ERROR_FORMAT, "%s: truncated .npy file", path);
  return FALSE;
}

void
plm_npy_array_clear (PlmNpyArray *a)
{
  g_clear_pointer (&a->data, g_free);
  memset (a, 0, sizeof *a);
}
