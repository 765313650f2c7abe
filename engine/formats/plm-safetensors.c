/* plm-safetensors.c: maps a safetensors file and validates every header entry before any use. */
#include "plm-safetensors.h"

#include "plm-half.h"

#include <errno.h>
#include <fcntl.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "plm-error.h"

struct _PlmSafetensors {
  char          *path;
  guint8        *map;
  guint64        map_size;
  GArray        *tensors;   /* PlmTensorInfo */
  GHashTable    *by_name;   /* name → index+1 */
  GHashTable    *metadata;  /* string → string, or NULL */
};

const char *
plm_dtype_name (PlmDType dtype)
{
  switch (dtype)
    {
    case PLM_DTYPE_F32: return "F32";
    case PLM_DTYPE_F16: return "F16";
    case PLM_DTYPE_BF16: return "BF16";
    case PLM_DTYPE_I64: return "I64";
    case PLM_DTYPE_I32: return "I32";
    case PLM_DTYPE_OTHER:
    default: return "other";
    }
}

gsize
plm_dtype_size (PlmDType dtype)
{
  switch (dtype)
    {
    case PLM_DTYPE_F32: case PLM_DTYPE_I32: return 4;
    case PLM_DTYPE_F16: case PLM_DTYPE_BF16: return 2;
    case PLM_DTYPE_I64: return 8;
    case PLM_DTYPE_OTHER:
    default: return 0;
    }
}

static gboolean
parse_dtype (const char *s, PlmDType *dtype, gsize *size)
{
  static const struct { const char *name; PlmDType dtype; gsize size; } table[] = {
    { "F32", PLM_DTYPE_F32, 4 }, { "F16", PLM_DTYPE_F16, 2 }, { "BF16", PLM_DTYPE_BF16, 2 },
    { "I64", PLM_DTYPE_I64, 8 }, { "I32", PLM_DTYPE_I32, 4 }, { "F64", PLM_DTYPE_OTHER, 8 },
    { "I16", PLM_DTYPE_OTHER, 2 }, { "I8", PLM_DTYPE_OTHER, 1 }, { "U8", PLM_DTYPE_OTHER, 1 },
    { "BOOL", PLM_DTYPE_OTHER, 1 }, { "U16", PLM_DTYPE_OTHER, 2 }, { "U32", PLM_DTYPE_OTHER, 4 },
    { "U64", PLM_DTYPE_OTHER, 8 }, { "F8_E4M3", PLM_DTYPE_OTHER, 1 }, { "F8_E5M2", PLM_DTYPE_OTHER, 1 },
  };
  for (guint i = 0; i < G_N_ELEMENTS (table); i++)
    if (g_strcmp0 (s, table[i].name) == 0)
      {
        *dtype = table[i].dtype;
        *size = table[i].size;
        return TRUE;
      }
  return FALSE;
}

void
plm_dtype_to_f32 (PlmDType dtype, const void *src, float *dst, gsize n)
{
  const guint8 *s = src;

  switch (dtype)
    {
    case PLM_DTYPE_F32:
      memcpy (dst, src, n * sizeof (float));
      break;
    case PLM_DTYPE_F16:
    case PLM_DTYPE_BF16:
      {
        float (*to_f32) (uint16_t) = dtype == PLM_DTYPE_F16 ? plm_f16_to_f32 : plm_bf16_to_f32;

        for (gsize i = 0; i < n; i++)
          {
            uint16_t h;
            memcpy (&h, s + 2 * i, 2);
            dst[i] = to_f32 (h);
          }
      }
      break;
    case PLM_DTYPE_I64: case PLM_DTYPE_I32: case PLM_DTYPE_OTHER:
    default:
      g_return_if_reached ();
    }
}

void
plm_safetensors_free (PlmSafetensors *st)
{
  if (st == NULL)
    return;
  if (st->map != NULL)
    munmap (st->map, st->map_size);
  if (st->tensors != NULL)
    {
      for (guint i = 0; i < st->tensors->len; i++)
        g_free (g_array_index (st->tensors, PlmTensorInfo, i).name);
      g_array_unref (st->tensors);
    }
  g_clear_pointer (&st->by_name, g_hash_table_unref);
  g_clear_pointer (&st->metadata, g_hash_table_unref);
  g_free (st->path);
  g_free (st);
}

typedef struct { guint64 begin, end; const char *name; } Range;

static int
compare_range (gconstpointer a, gconstpointer b)
{
  const Range *ra = a, *rb = b;
  return ra->begin < rb->begin ? -1 : ra->begin > rb->begin ? 1 : 0;
}

static gboolean
fail (GError **error, const char *path, const char *fmt, ...) G_GNUC_PRINTF (3, 4);

static gboolean
fail (GError **error, const char *path, const char *fmt, ...)
{
  va_list ap;
  va_start (ap, fmt);
  g_autofree char *msg = g_strdup_vprintf (fmt, ap);
  va_end (ap);
  g_set_error (error, PLM_ERROR, PLM_ERROR_FORMAT, "%s: %s", path, msg);
  return FALSE;
}

/* Reads a JSON integer member that must be a non-negative whole number. */
static gboolean
get_u64 (JsonNode *node, guint64 *out)
{
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  GType t = json_node_get_value_type (node);
  if (t == G_TYPE_INT64)
    {
      gint64 v = json_node_get_int (node);
      if (v < 0)
        return FALSE;
      *out = (guint64) v;
      return TRUE;
    }
  return FALSE;
}

static gboolean
parse_entry (PlmSafetensors *st, const char *name, JsonNode *node, guint64 data_size,
             GArray *ranges, GError **error)
{
  PlmTensorInfo info = { 0 };
  gsize elem_size = 0;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return fail (error, st->path, "header entry '%s' is not an object", name);
  JsonObject *obj = json_node_get_object (node);

  const char *dtype = json_object_has_member (obj, "dtype")
    && JSON_NODE_HOLDS_VALUE (json_object_get_member (obj, "dtype"))
    && json_node_get_value_type (json_object_get_member (obj, "dtype")) == G_TYPE_STRING
    ? json_object_get_string_member (obj, "dtype") : NULL;
  if (dtype == NULL)
    return fail (error, st->path, "tensor '%s' has no dtype", name);
  if (!parse_dtype (dtype, &info.dtype, &elem_size))
    return fail (error, st->path, "tensor '%s' has unknown dtype '%s'", name, dtype);

  JsonNode *shape_node = json_object_get_member (obj, "shape");
  if (shape_node == NULL || !JSON_NODE_HOLDS_ARRAY (shape_node))
    return fail (error, st->path, "tensor '%s' has no shape array", name);
  JsonArray *shape = json_node_get_array (shape_node);
  guint n_dims = json_array_get_length (shape);
  if (n_dims > PLM_SAFETENSORS_MAX_DIMS)
    return fail (error, st->path, "tensor '%s' has %u dimensions (at most %d supported)",
                 name, n_dims, PLM_SAFETENSORS_MAX_DIMS);
  guint64 n_elements = 1;
  for (guint i = 0; i < n_dims; i++)
    {
      guint64 dim;
      if (!get_u64 (json_array_get_element (shape, i), &dim) || dim > G_MAXINT32)
        return fail (error, st->path, "tensor '%s' has an invalid shape entry %u", name, i);
      if (dim != 0 && n_elements > G_MAXUINT64 / dim)
        return fail (error, st->path, "tensor '%s' shape overflows", name);
      n_elements *= dim;
      info.shape[i] = (int64_t) dim;
    }
  info.n_dims = (int) n_dims;
  info.n_elements = n_elements;

  JsonNode *off_node = json_object_get_member (obj, "data_offsets");
  if (off_node == NULL || !JSON_NODE_HOLDS_ARRAY (off_node)
      || json_array_get_length (json_node_get_array (off_node)) != 2)
    return fail (error, st->path, "tensor '%s' has no [begin, end] data_offsets", name);
  JsonArray *offs = json_node_get_array (off_node);
  guint64 begin, end;
  if (!get_u64 (json_array_get_element (offs, 0), &begin)
      || !get_u64 (json_array_get_element (offs, 1), &end))
    return fail (error, st->path, "tensor '%s' has non-integer data_offsets", name);
  if (begin > end || end > data_size)
    return fail (error, st->path,
                 "tensor '%s' data_offsets [%" G_GUINT64_FORMAT ", %" G_GUINT64_FORMAT
                 "] fall outside the %" G_GUINT64_FORMAT "-byte data section (truncated file?)",
                 name, begin, end, data_size);
  if (n_elements > G_MAXUINT64 / elem_size || end - begin != n_elements * elem_size)
    return fail (error, st->path,
                 "tensor '%s' spans %" G_GUINT64_FORMAT " bytes but shape × dtype needs %"
                 G_GUINT64_FORMAT, name, end - begin, n_elements * (guint64) elem_size);

  info.name = g_strdup (name);
  info.n_bytes = end - begin;
  info.data = NULL;  /* filled in after the mapping offset is known */
  Range r = { begin, end, info.name };
  g_array_append_val (ranges, r);
  /* store begin in data temporarily as an offset */
  info.data = GSIZE_TO_POINTER ((gsize) begin);
  g_array_append_val (st->tensors, info);
  g_hash_table_insert (st->by_name, info.name, GUINT_TO_POINTER (st->tensors->len));
  return TRUE;
}

PlmSafetensors *
plm_safetensors_open (const char *path, GError **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GArray) ranges = g_array_new (FALSE, FALSE, sizeof (Range));
  PlmSafetensors *st = g_new0 (PlmSafetensors, 1);
  struct stat sb;
  int fd;

  st->path = g_strdup (path);
  st->tensors = g_array_new (FALSE, TRUE, sizeof (PlmTensorInfo));
  st->by_name = g_hash_table_new (g_str_hash, g_str_equal);

  fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);
  if (fd < 0)
    {
      int e = errno;
      g_set_error (error, PLM_ERROR, PLM_ERROR_IO, "%s: cannot open: %s", path, g_strerror (e));
      goto fail;
    }
  if (fstat (fd, &sb) != 0 || !S_ISREG (sb.st_mode))
    {
      close (fd);
      g_set_error (error, PLM_ERROR, PLM_ERROR_IO, "%s: not a regular file", path);
      goto fail;
    }
  if (sb.st_size < 8)
    {
      close (fd);
      fail (error, path, "file is %lld bytes, too short for a safetensors header", (long long) sb.st_size);
      goto fail;
    }
  st->map_size = (guint64) sb.st_size;
  st->map = mmap (NULL, st->map_size, PROT_READ, MAP_PRIVATE, fd, 0);
  close (fd);
  if (st->map == MAP_FAILED)
    {
      st->map = NULL;
      g_set_error (error, PLM_ERROR, PLM_ERROR_IO, "%s: cannot map: %s", path, g_strerror (errno));
      goto fail;
    }

  guint64 header_len = 0;
  for (int i = 7; i >= 0; i--)
    header_len = (header_len << 8) | st->map[i];
  if (header_len == 0 || header_len > PLM_SAFETENSORS_MAX_HEADER)
    {
      fail (error, path, "header length %" G_GUINT64_FORMAT " is not in 1..%u (not a safetensors file?)",
            header_len, PLM_SAFETENSORS_MAX_HEADER);
      goto fail;
    }
  if (header_len > st->map_size - 8)
    {
      fail (error, path, "header length %" G_GUINT64_FORMAT " exceeds the file size %" G_GUINT64_FORMAT
            " (truncated file?)", header_len, st->map_size);
      goto fail;
    }
  const char *header = (const char *) st->map + 8;
  if (memchr (header, '\0', header_len) != NULL || !g_utf8_validate (header, (gssize) header_len, NULL))
    {
      fail (error, path, "header is not UTF-8 JSON text");
      goto fail;
    }
  if (header[0] != '{')
    {
      fail (error, path, "header does not start with '{' (not a safetensors file?)");
      goto fail;
    }

  parser = json_parser_new_immutable ();
  GError *json_error = NULL;
  if (!json_parser_load_from_data (parser, header, (gssize) header_len, &json_error))
    {
      fail (error, path, "header JSON is invalid: %s", json_error->message);
      g_error_free (json_error);
      goto fail;
    }
  JsonNode *root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      fail (error, path, "header is not a JSON object");
      goto fail;
    }
  JsonObject *obj = json_node_get_object (root);
  guint64 data_start = 8 + header_len;
  guint64 data_size = st->map_size - data_start;

  if (json_object_get_size (obj) > PLM_SAFETENSORS_MAX_TENSORS + 1)
    {
      fail (error, path, "header lists %u entries (limit %d)", json_object_get_size (obj),
            PLM_SAFETENSORS_MAX_TENSORS);
      goto fail;
    }

  JsonObjectIter iter;
  const char *name;
  JsonNode *node;
  json_object_iter_init (&iter, obj);
  while (json_object_iter_next (&iter, &name, &node))
    {
      if (g_strcmp0 (name, "__metadata__") == 0)
        {
          if (!JSON_NODE_HOLDS_OBJECT (node))
            {
              fail (error, path, "__metadata__ is not an object");
              goto fail;
            }
          st->metadata = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
          JsonObjectIter mi;
          const char *key;
          JsonNode *value;
          json_object_iter_init (&mi, json_node_get_object (node));
          while (json_object_iter_next (&mi, &key, &value))
            {
              if (!JSON_NODE_HOLDS_VALUE (value) || json_node_get_value_type (value) != G_TYPE_STRING)
                {
                  fail (error, path, "__metadata__ value '%s' is not a string", key);
                  goto fail;
                }
              g_hash_table_insert (st->metadata, g_strdup (key), g_strdup (json_node_get_string (value)));
            }
          continue;
        }
      if (!parse_entry (st, name, node, data_size, ranges, error))
        goto fail;
    }

  /* Tensors must not overlap: a hostile file could otherwise alias weights. */
  g_array_sort (ranges, compare_range);
  for (guint i = 1; i < ranges->len; i++)
    {
      Range *a = &g_array_index (ranges, Range, i - 1);
      Range *b = &g_array_index (ranges, Range, i);
      if (b->begin < a->end)
        {
          fail (error, path, "tensors '%s' and '%s' overlap in the data section", a->name, b->name);
          goto fail;
        }
    }

  for (guint i = 0; i < st->tensors->len; i++)
    {
      PlmTensorInfo *info = &g_array_index (st->tensors, PlmTensorInfo, i);
      info->data = st->map + data_start + GPOINTER_TO_SIZE (info->data);
    }
  return st;

fail:
  plm_safetensors_free (st);
  return NULL;
}

const char *
plm_safetensors_path (PlmSafetensors *st)
{
  return st->path;
}

guint
plm_safetensors_n_tensors (PlmSafetensors *st)
{
  return st->tensors->len;
}

const PlmTensorInfo *
plm_safetensors_get_nth (PlmSafetensors *st, guint i)
{
  g_return_val_if_fail (i < st->tensors->len, NULL);
  return &g_array_index (st->tensors, PlmTensorInfo, i);
}

const PlmTensorInfo *
plm_safetensors_lookup (PlmSafetensors *st, const char *name)
{
  guint idx = GPOINTER_TO_UINT (g_hash_table_lookup (st->by_name, name));
  return idx == 0 ? NULL : &g_array_index (st->tensors, PlmTensorInfo, idx - 1);
}

GHashTable *
plm_safetensors_metadata (PlmSafetensors *st)
{
  return st->metadata;
}

guint64
plm_safetensors_file_size (PlmSafetensors *st)
{
  return st->map_size;
}

gboolean
plm_safetensors_write (const char *path, const PlmTensorOut *tensors, guint n_tensors,
                       GHashTable *metadata, GError **error)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  guint64 offset = 0;

  json_builder_begin_object (b);
  if (metadata != NULL && g_hash_table_size (metadata) > 0)
    {
      GHashTableIter it;
      gpointer k, v;
      json_builder_set_member_name (b, "__metadata__");
      json_builder_begin_object (b);
      g_hash_table_iter_init (&it, metadata);
      while (g_hash_table_iter_next (&it, &k, &v))
        {
          json_builder_set_member_name (b, k);
          json_builder_add_string_value (b, v);
        }
      json_builder_end_object (b);
    }
  for (guint i = 0; i < n_tensors; i++)
    {
      guint64 n = 1;
      json_builder_set_member_name (b, tensors[i].name);
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "dtype");
      json_builder_add_string_value (b, "F32");
      json_builder_set_member_name (b, "shape");
      json_builder_begin_array (b);
      for (int d = 0; d < tensors[i].n_dims; d++)
        {
          json_builder_add_int_value (b, tensors[i].shape[d]);
          n *= (guint64) tensors[i].shape[d];
        }
      json_builder_end_array (b);
      json_builder_set_member_name (b, "data_offsets");
      json_builder_begin_array (b);
      json_builder_add_int_value (b, (gint64) offset);
      json_builder_add_int_value (b, (gint64) (offset + 4 * n));
      json_builder_end_array (b);
      json_builder_end_object (b);
      offset += 4 * n;
    }
  json_builder_end_object (b);

  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  gsize hlen = 0;
  g_autofree char *header = json_generator_to_data (gen, &hlen);
  gsize padded = (hlen + 7) & ~(gsize) 7;   /* 8-byte aligned data section, like upstream */

  g_autofree char *tmp = g_strdup_printf ("%s.XXXXXX", path);
  int fd = g_mkstemp (tmp);
  if (fd >= 0)
    fchmod (fd, 0644);   /* mkstemp creates 0600; outputs are ordinary files */
  if (fd < 0)
    {
      g_set_error (error, PLM_ERROR, PLM_ERROR_IO, "%s: cannot create: %s", path, g_strerror (errno));
      return FALSE;
    }
  FILE *f = fdopen (fd, "wb");
  gboolean ok = f != NULL;
  guint8 len8[8];
  for (int i = 0; i < 8; i++)
    len8[i] = (guint8) ((guint64) padded >> (8 * i));
  ok = ok && fwrite (len8, 1, 8, f) == 8 && fwrite (header, 1, hlen, f) == hlen;
  for (gsize i = hlen; ok && i < padded; i++)
    ok = fputc (' ', f) != EOF;
  for (guint i = 0; ok && i < n_tensors; i++)
    {
      guint64 n = 1;
      for (int d = 0; d < tensors[i].n_dims; d++)
        n *= (guint64) tensors[i].shape[d];
      ok = fwrite (tensors[i].data, sizeof (float), n, f) == n;
    }
  ok = ok && fflush (f) == 0 && fsync (fileno (f)) == 0;
  if (f != NULL)
    ok = (fclose (f) == 0) && ok;
  else
    close (fd);
  if (!ok || g_rename (tmp, path) != 0)
    {
      int e = errno;
      g_unlink (tmp);
      g_set_error (error, PLM_ERROR, PLM_ERROR_IO, "%s: cannot write: %s", path, g_strerror (e));
      return FALSE;
    }
  return TRUE;
}
