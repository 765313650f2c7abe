/* plm-catalogue.c: parsing the model catalogue, which may come from an untrusted copy. */
#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "plm-catalogue.h"
#include "plm-error.h"

#define MAX_DEPTH 16
#define MAX_STRING 4096

/* json-glib parses recursively: refuse deep nesting before handing the text over. */
static gboolean
check_depth (const char *data,
             gsize       length)
{
  gboolean in_string = FALSE;
  int depth = 0;

  for (gsize i = 0; i < length; i++)
    {
      char c = data[i];

      if (in_string)
        {
          if (c == '\\')
            i++;
          else if (c == '"')
            in_string = FALSE;
        }
      else if (c == '"')
        in_string = TRUE;
      else if (c == '{' || c == '[')
        {
          if (++depth > MAX_DEPTH)
            return FALSE;
        }
      else if (c == '}' || c == ']')
        depth--;
    }
  return TRUE;
}

static const char *
get_string (JsonObject  *obj,
            const char  *key,
            gboolean     required,
            const char  *source,
            const char  *where,
            GError     **error)
{
  JsonNode *node = json_object_get_member (obj, key);
  const char *s;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      if (required)
        g_set_error (error, PLM_ERROR, PLM_ERROR_FORMAT,
                     _("%s: %s: the key “%s” is missing"), source, where, key);
      return NULL;
    }
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      g_set_error (error, PLM_ERROR, PLM_ERROR_FORMAT,
                   _("%s: %s: “%s” must be a string"), source, where, key);
      return NULL;
    }
  s = json_node_get_string (node);
  if (strlen (s) > MAX_STRING || !g_utf8_validate (s, -1, NULL))
    {
      g_set_error (error, PLM_ERROR, PLM_ERROR_FORMAT,
                   _("%s: %s: “%s” is too long or not valid text"), source, where, key);
      return NULL;
    }
  return s;
}

/* -1 when absent or null and !required. */
static gboolean
get_int (JsonObject  *obj,
         const char  *key,
         gboolean     required,
         gint64       min,
         gint64       max,
         gint64      *value,
         const char  *source,
         const char  *where,
         GError     **error)
{
  JsonNode *node = json_object_get_member (obj, key);

  *value = -1;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      if (!required)
        return TRUE;
      g_set_error (error, PLM_ERROR, PLM_ERROR_FORMAT,
                   _("%s: %s: the key “%s” is missing"), source, where, key);
      return FALSE;
    }
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    {
      g_set_error (error, PLM_ERROR, PLM_ERROR_FORMAT,
                   _("%s: %s: “%s” must be an integer"), source, where, key);
      return FALSE;
    }
  *value = json_node_get_int (node);
  if (*value < min || *value > max)
    {
      g_set_error (error, PLM_ERROR, PLM_ERROR_FORMAT,
                   _("%s: %s: “%s” is out of range"), source, where, key);
      return FALSE;
    }
  return TRUE;
}

static gboolean
is_safe_name (const char *s)
{
  if (s == NULL || s[0] == '\0' || s[0] == '.' || strlen (s) > 128)
    return FALSE;
  return strspn (s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-") == strlen (s);
}

static gboolean
is_sha256 (const char *s)
{
  return strlen (s) == 64 && strspn (s, "0123456789abcdef") == 64;
}

/* https only; plain http is allowed for a mirror on this machine (loopback), where there is
 * no network to eavesdrop on. */
static gboolean
is_https_url (const char *s)
{
  g_autoptr(GUri) uri = g_uri_parse (s, G_URI_FLAGS_NONE, NULL);
  const char *scheme, *host;

  if (uri == NULL || g_uri_get_userinfo (uri) != NULL)
    return FALSE;
  scheme = g_uri_get_scheme (uri);
  host = g_uri_get_host (uri);
  if (host == NULL || host[0] == '\0')
    return FALSE;
  if (g_strcmp0 (scheme, "https") == 0)
    return TRUE;
  return g_strcmp0 (scheme, "http") == 0 &&
         (g_str_equal (host, "127.0.0.1") || g_str_equal (host, "::1") || g_str_equal (host, "localhost"));
}

static void
entry_clear (PlmCatalogueEntry *e)
{
  for (guint i = 0; i < e->n_files; i++)
    {
      g_free (e->files[i].name);
      g_free (e->files[i].url);
      g_free (e->files[i].sha256);
    }
  g_free (e->files);
  g_free (e->id);
  g_free (e->name);
  g_free (e->description);
}

void
plm_catalogue_free (PlmCatalogue *self)
{
  if (self == NULL)
    return;
  for (guint i = 0; i < self->n_entries; i++)
    entry_clear (&self->entries[i]);
  g_free (self->entries);
  g_free (self);
}

static gboolean
parse_file (JsonNode          *node,
            PlmCatalogueFile  *file,
            const char        *source,
            const char        *where,
            GError           **error)
{
  JsonObject *obj;
  const char *s;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, PLM_ERROR, PLM_ERROR_FORMAT, _("%s: %s: a file must be an object"), source, where);
      return FALSE;
    }
  obj = json_node_get_object (node);

  if (!(s = get_string (obj, "name", TRUE, source, where, error)))
    return FALSE;
  if (!is_safe_name (s))
    {
      g_set_error (error, PLM_ERROR, PLM_ERROR_FORMAT,
                   _("%s: %s: “%s” is not a plain file name"), source, where, s);
      return FALSE;
    }
  file->name = g_strdup (s);

  if (!(s = get_string (obj, "url", TRUE, source, where, error)))
    return FALSE;
  if (!is_https_url (s))
    {
      g_set_error (error, PLM_ERROR, PLM_ERROR_FORMAT,
                   _("%s: %s: “%s” is not an https:// address"), source, where, s);
      return FALSE;
    }
  file->url = g_strdup (s);

  /* 1 TB is far beyond any ESM checkpoint. */
  if (!get_int (obj, "size", FALSE, 0, G_GINT64_CONSTANT (1) << 40, &file->size, source, where, error))
    return FALSE;

  s = get_string (obj, "sha256", FALSE, source, where, error);
  if (s == NULL && error && *error)
    return FALSE;
  if (s != NULL)
    {
      if (!is_sha256 (s))
        {
          g_set_error (error, PLM_ERROR, PLM_ERROR_FORMAT,
                       _("%s: %s: “sha256” must be 64 lower-case hexadecimal digits"), source, where);
          return FALSE;
        }
      file->sha256 = g_strdup (s);
    }
  return TRUE;
}

static gboolean
parse_entry (JsonNode           *node,
             PlmCatalogueEntry  *e,
             guint               index,
             const char         *source,
             GError            **error)
{
  g_autofree char *where = g_strdup_printf (_("model %u"), index + 1);
  JsonObject *obj;
  JsonNode *files;
  JsonArray *array;
  const char *s;
  gint64 v;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, PLM_ERROR, PLM_ERROR_FORMAT, _("%s: %s must be an object"), source, where);
      return FALSE;
    }
  obj = json_node_get_object (node);

  if (!(s = get_string (obj, "id", TRUE, source, where, error)))
    return FALSE;
  if (!is_safe_name (s))
    {
      g_set_error (error, PLM_ERROR, PLM_ERROR_FORMAT,
                   _("%s: %s: the id “%s” may only use letters, digits, “_”, “.” and “-”"), source, where, s);
      return FALSE;
    }
  e->id = g_strdup (s);
  g_free (where);
  where = g_strdup_printf (_("model “%s”"), e->id);

  if (!(s = get_string (obj, "name", TRUE, source, where, error)))
    return FALSE;
  e->name = g_strdup (s);
  s = get_string (obj, "description", FALSE, source, where, error);
  if (s == NULL && error && *error)
    return FALSE;
  e->description = g_strdup (s ? s : "");

  if (!get_int (obj, "layers", TRUE, 1, 1000, &v, source, where, error))
    return FALSE;
  e->n_layers = (int) v;
  if (!get_int (obj, "heads", TRUE, 1, 1000, &v, source, where, error))
    return FALSE;
  e->n_heads = (int) v;
  if (!get_int (obj, "width", TRUE, 1, 100000, &v, source, where, error))
    return FALSE;
  e->d_model = (int) v;
  if (!get_int (obj, "approximate_size", FALSE, 0, G_GINT64_CONSTANT (1) << 40,
                &e->approximate_size, source, where, error))
    return FALSE;

  files = json_object_get_member (obj, "files");
  if (files == NULL || !JSON_NODE_HOLDS_ARRAY (files))
    {
      g_set_error (error, PLM_ERROR, PLM_ERROR_FORMAT, _("%s: %s: “files” must be a list"), source, where);
      return FALSE;
    }
  array = json_node_get_array (files);
  if (json_array_get_length (array) == 0 || json_array_get_length (array) > PLM_CATALOGUE_MAX_FILES)
    {
      g_set_error (error, PLM_ERROR, PLM_ERROR_FORMAT,
                   _("%s: %s: “files” must list between 1 and %d files"), source, where, PLM_CATALOGUE_MAX_FILES);
      return FALSE;
    }
  e->files = g_new0 (PlmCatalogueFile, json_array_get_length (array));
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      e->n_files = i + 1;
      if (!parse_file (json_array_get_element (array, i), &e->files[i], source, where, error))
        return FALSE;
      for (guint j = 0; j < i; j++)
        if (g_str_equal (e->files[j].name, e->files[i].name))
          {
            g_set_error (error, PLM_ERROR, PLM_ERROR_FORMAT,
                         _("%s: %s: the file “%s” is listed twice"), source, where, e->files[i].name);
            return FALSE;
          }
    }
  return TRUE;
}

static PlmCatalogue *
catalogue_parse (const char  *data,
                     gsize        length,
                     const char  *source,
                     GError     **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(PlmCatalogue) self = NULL;
  g_autoptr(GError) local_error = NULL;
  JsonNode *root, *models;
  JsonArray *array;
  gint64 version;

  g_return_val_if_fail (data != NULL || length == 0, NULL);

  if (length > PLM_CATALOGUE_MAX_BYTES)
    {
      g_set_error (error, PLM_ERROR, PLM_ERROR_FORMAT, _("%s: the catalogue is too large"), source);
      return NULL;
    }
  if (memchr (data, '\0', length) != NULL || !g_utf8_validate (data, length, NULL))
    {
      g_set_error (error, PLM_ERROR, PLM_ERROR_FORMAT, _("%s: the catalogue is not UTF-8 text"), source);
      return NULL;
    }
  if (!check_depth (data, length))
    {
      g_set_error (error, PLM_ERROR, PLM_ERROR_FORMAT, _("%s: the catalogue is nested too deeply"), source);
      return NULL;
    }

  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, data, length, &local_error))
    {
      g_set_error (error, PLM_ERROR, PLM_ERROR_FORMAT, _("%s: not valid JSON: %s"), source, local_error->message);
      return NULL;
    }
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, PLM_ERROR, PLM_ERROR_FORMAT, _("%s: the catalogue must be a JSON object"), source);
      return NULL;
    }
  if (!get_int (json_node_get_object (root), "version", TRUE, 1, 1, &version, source, _("catalogue"), error))
    return NULL;
  models = json_object_get_member (json_node_get_object (root), "models");
  if (models == NULL || !JSON_NODE_HOLDS_ARRAY (models))
    {
      g_set_error (error, PLM_ERROR, PLM_ERROR_FORMAT, _("%s: “models” must be a list"), source);
      return NULL;
    }
  array = json_node_get_array (models);
  if (json_array_get_length (array) > PLM_CATALOGUE_MAX_MODELS)
    {
      g_set_error (error, PLM_ERROR, PLM_ERROR_FORMAT, _("%s: too many models"), source);
      return NULL;
    }

  self = g_new0 (PlmCatalogue, 1);
  self->entries = g_new0 (PlmCatalogueEntry, MAX (1, json_array_get_length (array)));
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      self->n_entries = i + 1;
      if (!parse_entry (json_array_get_element (array, i), &self->entries[i], i, source, error))
        return NULL;
      for (guint j = 0; j < i; j++)
        if (g_str_equal (self->entries[j].id, self->entries[i].id))
          {
            g_set_error (error, PLM_ERROR, PLM_ERROR_FORMAT,
                         _("%s: the model id “%s” is used twice"), source, self->entries[i].id);
            return NULL;
          }
    }

  return g_steal_pointer (&self);
}

PlmCatalogue *
plm_catalogue_parse (const char  *data,
                     gsize        length,
                     const char  *source,
                     GError     **error)
{
  /* The helpers tell "absent" from "wrong" by the error, so always pass a real one. */
  GError *local_error = NULL;
  PlmCatalogue *self = catalogue_parse (data, length, source, &local_error);

  if (self == NULL)
    g_propagate_error (error, local_error);
  return self;
}

const PlmCatalogueEntry *
plm_catalogue_lookup (const PlmCatalogue *self,
                      const char         *id)
{
  for (guint i = 0; self && i < self->n_entries; i++)
    if (g_strcmp0 (self->entries[i].id, id) == 0)
      return &self->entries[i];
  return NULL;
}

gint64
plm_catalogue_entry_size (const PlmCatalogueEntry *entry)
{
  gint64 total = 0;

  for (guint i = 0; i < entry->n_files; i++)
    if (entry->files[i].size > 0)
      total += entry->files[i].size;
  return total;
}
