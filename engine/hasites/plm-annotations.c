/* plm-annotations.c: reads the feature tracks shown under the HA-site view. */
#include <string.h>

#include "plm-annotations.h"
#include "plm-error.h"
#include "plm-hadata.h"

static void
feature_free (gpointer data)
{
  PlmFeature *f = data;

  if (f == NULL)
    return;
  g_free (f->label);
  g_free (f);
}

static int
compare_features (gconstpointer a,
                  gconstpointer b)
{
  const PlmFeature *fa = *(PlmFeature * const *) a, *fb = *(PlmFeature * const *) b;

  if (fa->start != fb->start)
    return fa->start < fb->start ? -1 : 1;
  return (fa->end > fb->end) - (fa->end < fb->end);
}

static gboolean
kind_from_type (const char     *type,
                PlmFeatureKind *kind)
{
  if (g_ascii_strcasecmp (type, "Active site") == 0 || g_str_equal (type, "active_site"))
    *kind = PLM_FEATURE_ACTIVE_SITE;
  else if (g_ascii_strcasecmp (type, "Binding site") == 0 || g_str_equal (type, "binding_site"))
    *kind = PLM_FEATURE_BINDING_SITE;
  else if (g_ascii_strcasecmp (type, "Domain") == 0 || g_str_equal (type, "protein_domain"))
    *kind = PLM_FEATURE_DOMAIN;
  else
    return FALSE;
  return TRUE;
}

static char *
attribute (const char *attributes,
           const char *key)
{
  g_auto(GStrv) parts = g_strsplit (attributes, ";", -1);
  gsize n = strlen (key);

  for (char **p = parts; *p != NULL; p++)
    if (strncmp (*p, key, n) == 0 && (*p)[n] == '=')
      return g_uri_unescape_string (*p + n + 1, NULL);
  return NULL;
}

static GPtrArray *
parse_gff (const char  *text,
           const char  *source_name,
           const char  *protein_id,
           GError     **error)
{
  g_autoptr(GPtrArray) all = g_ptr_array_new_with_free_func (feature_free);
  g_autoptr(GPtrArray) seqids = g_ptr_array_new_with_free_func (g_free);   /* per feature */
  g_autoptr(GHashTable) distinct = g_hash_table_new (g_str_hash, g_str_equal);
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  GPtrArray *out;
  gboolean any_match = FALSE;

  for (int n = 0; lines[n] != NULL; n++)
    {
      char *line = g_strchomp (lines[n]);
      g_auto(GStrv) cols = NULL;
      PlmFeatureKind kind;
      PlmFeature *f;
      gint64 start, end;

      if (line[0] == '\0' || line[0] == '#')
        continue;
      cols = g_strsplit (line, "\t", -1);
      if (g_strv_length (cols) < 8)
        {
          g_set_error (error, PLM_ERROR, PLM_ERROR_FORMAT, "%s:%d: GFF3 needs 9 tab-separated columns, found %u",
                       source_name, n + 1, g_strv_length (cols));
          return NULL;
        }
      if (!kind_from_type (cols[2], &kind))
        continue;
      if (!plm_parse_int (cols[3], 1, 10000000, &start) || !plm_parse_int (cols[4], 1, 10000000, &end))
        {
          g_set_error (error, PLM_ERROR, PLM_ERROR_FORMAT, "%s:%d: start and end must be positive integers, got \"%s\" and \"%s\"",
                       source_name, n + 1, cols[3], cols[4]);
          return NULL;
        }
      if (end < start)
        {
          g_set_error (error, PLM_ERROR, PLM_ERROR_FORMAT, "%s:%d: end %" G_GINT64_FORMAT " is before start %" G_GINT64_FORMAT,
                       source_name, n + 1, end, start);
          return NULL;
        }
      f = g_new0 (PlmFeature, 1);
      f->kind = kind;
      f->start = (int) start;
      f->end = (int) end;
      if (cols[8] != NULL)
        {
          f->label = attribute (cols[8], "Note");
          if (f->label == NULL)
            f->label = attribute (cols[8], "Name");
        }
      g_ptr_array_add (all, f);
      g_ptr_array_add (seqids, g_strdup (cols[0]));
      g_hash_table_add (distinct, g_ptr_array_index (seqids, seqids->len - 1));
      if (protein_id != NULL && g_str_equal (cols[0], protein_id))
        any_match = TRUE;
    }

  if (protein_id != NULL && !any_match && g_hash_table_size (distinct) > 1)
    {
      g_set_error (error, PLM_ERROR, PLM_ERROR_INPUT, "%s: no features for %s (the file describes %u proteins)",
                   source_name, protein_id, g_hash_table_size (distinct));
      return NULL;
    }
  out = g_ptr_array_new_with_free_func (feature_free);
  for (guint i = 0; i < all->len; i++)
    if (!any_match || g_str_equal (g_ptr_array_index (seqids, i), protein_id))
      {
        /* moved: the NULL left behind is skipped by feature_free */
        g_ptr_array_add (out, all->pdata[i]);
        all->pdata[i] = NULL;
      }
  g_ptr_array_sort (out, compare_features);
  return out;
}

static GPtrArray *
parse_tsv (const char  *text,
           gsize        length,
           const char  *source_name,
           const char  *protein_id,
           GError     **error)
{
  g_autoptr(GHashTable) table = plm_active_sites_parse (text, length, source_name, error);
  GArray *positions = NULL;
  GPtrArray *out;

  if (table == NULL)
    return NULL;
  if (protein_id != NULL)
    positions = g_hash_table_lookup (table, protein_id);
  if (positions == NULL && g_hash_table_size (table) == 1)
    {
      GHashTableIter iter;
      g_hash_table_iter_init (&iter, table);
      g_hash_table_iter_next (&iter, NULL, (gpointer *) &positions);
    }
  if (positions == NULL)
    {
      g_set_error (error, PLM_ERROR, PLM_ERROR_INPUT, "%s: no active sites for %s (the file lists %u proteins)",
                   source_name, protein_id ? protein_id : "(no id)", g_hash_table_size (table));
      return NULL;
    }
  out = g_ptr_array_new_with_free_func (feature_free);
  for (guint i = 0; i < positions->len; i++)
    {
      PlmFeature *f = g_new0 (PlmFeature, 1);

      f->kind = PLM_FEATURE_ACTIVE_SITE;
      f->start = f->end = g_array_index (positions, int, i);
      g_ptr_array_add (out, f);
    }
  g_ptr_array_sort (out, compare_features);
  return out;
}

GPtrArray *
plm_features_parse (const char  *text,
                    gsize        length,
                    const char  *source_name,
                    const char  *protein_id,
                    GError     **error)
{
  g_autofree char *copy = g_strndup (text, length);
  g_autofree char *accession = protein_id ? plm_ha_protein_id (protein_id) : NULL;

  if (g_str_has_prefix (copy, "##gff-version"))
    return parse_gff (copy, source_name, accession, error);
  return parse_tsv (copy, strlen (copy), source_name, accession, error);
}

GPtrArray *
plm_features_read (const char  *path,
                   const char  *protein_id,
                   GError     **error)
{
  g_autofree char *text = NULL;
  gsize length = 0;

  if (!g_file_get_contents (path, &text, &length, NULL))
    {
      g_set_error (error, PLM_ERROR, PLM_ERROR_IO, "%s: cannot be read", path);
      return NULL;
    }
  return plm_features_parse (text, length, path, protein_id, error);
}

int
plm_features_distance (GPtrArray      *features,
                       PlmFeatureKind  kind,
                       int             residue)
{
  int best = -1, position = residue + 1;

  for (guint i = 0; i < features->len; i++)
    {
      const PlmFeature *f = g_ptr_array_index (features, i);
      int d;

      if (f->kind != kind)
        continue;
      d = position < f->start ? f->start - position : position > f->end ? position - f->end : 0;
      if (best < 0 || d < best)
        best = d;
    }
  return best;
}

const char *
plm_feature_kind_name (PlmFeatureKind kind)
{
  switch (kind)
    {
    case PLM_FEATURE_ACTIVE_SITE:
      return "active site";
    case PLM_FEATURE_BINDING_SITE:
      return "binding site";
    case PLM_FEATURE_DOMAIN:
      return "domain";
    case PLM_N_FEATURE_KINDS:
    default:
      return "?";
    }
}
