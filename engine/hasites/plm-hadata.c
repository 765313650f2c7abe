/* plm-hadata.c: strict TSV readers for active sites, families and HA tables. */
#include "plm-hadata.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "plm-error.h"

#define MAX_TABLE_BYTES ((gsize) 1 << 30)
#define MAX_POSITION 10000000

gboolean
plm_parse_int (const char *text,
               gint64      min,
               gint64      max,
               gint64     *out)
{
  const char *p = text;
  gint64 v = 0;
  gboolean neg = FALSE;

  if (text == NULL || *p == '\0')
    return FALSE;
  if (*p == '-' && min < 0)
    {
      neg = TRUE;
      p++;
    }
  if (*p == '\0')
    return FALSE;
  for (; *p; p++)
    {
      if (*p < '0' || *p > '9')
        return FALSE;
      if (v > (G_MAXINT64 - 9) / 10)
        return FALSE;
      v = v * 10 + (*p - '0');
    }
  if (neg)
    v = -v;
  if (v < min || v > max)
    return FALSE;
  *out = v;
  return TRUE;
}

char *
plm_ha_protein_id (const char *fasta_id)
{
  const char *a = strchr (fasta_id, '|');
  const char *b;

  if (a == NULL)
    return g_strdup (fasta_id);
  b = strchr (a + 1, '|');
  if (b == NULL)
    b = a + 1 + strlen (a + 1);
  if (b == a + 1)
    return g_strdup (fasta_id);   /* "x||y": no accession, keep the whole id */
  return g_strndup (a + 1, b - (a + 1));
}

/* Splits @text into lines (\n or \r\n), refusing NUL bytes and oversize input. */
static char **
split_lines (const char  *text,
             gsize        length,
             const char  *source_name,
             GError     **error)
{
  char **lines;

  if (length > MAX_TABLE_BYTES)
    {
      g_set_error (error, PLM_ERROR, PLM_ERROR_RESOURCES, "%s: larger than 1 GiB", source_name);
      return NULL;
    }
  if (memchr (text, '\0', length) != NULL)
    {
      gsize line = 1;
      const char *nul = memchr (text, '\0', length);
      for (const char *p = text; p < nul; p++)
        line += *p == '\n';
      g_set_error (error, PLM_ERROR, PLM_ERROR_FORMAT, "%s:%" G_GSIZE_FORMAT ": binary data (NUL byte)",
                   source_name, line);
      return NULL;
    }
  {
    g_autofree char *copy = g_strndup (text, length);
    lines = g_strsplit (copy, "\n", -1);
  }
  for (int i = 0; lines[i]; i++)
    {
      gsize n = strlen (lines[i]);
      if (n > 0 && lines[i][n - 1] == '\r')
        lines[i][n - 1] = '\0';
    }
  return lines;
}

static gboolean
is_blank (const char *s)
{
  for (; *s; s++)
    if (!g_ascii_isspace (*s))
      return FALSE;
  return TRUE;
}

static gboolean
read_file (const char  *path,
           char       **text,
           gsize       *length,
           GError     **error)
{
  g_autoptr(GError) local = NULL;

  if (!g_file_get_contents (path, text, length, &local))
    {
      g_set_error (error, PLM_ERROR, PLM_ERROR_IO, "%s: %s", path, local->message);
      return FALSE;
    }
  return TRUE;
}

static gboolean
check_header (char       **lines,
              const char  *want0,
              const char  *want1,
              const char  *source_name,
              GError     **error)
{
  g_auto(GStrv) f = NULL;

  if (lines[0] == NULL || is_blank (lines[0]))
    {
      g_set_error (error, PLM_ERROR, PLM_ERROR_FORMAT, "%s:1: empty file, expected the header '%s<TAB>%s'",
                   source_name, want0, want1);
      return FALSE;
    }
  f = g_strsplit (lines[0], "\t", -1);
  if (g_strv_length (f) != 2 || strcmp (f[0], want0) != 0 || strcmp (f[1], want1) != 0)
    {
      g_set_error (error, PLM_ERROR, PLM_ERROR_FORMAT, "%s:1: expected the header '%s<TAB>%s'",
                   source_name, want0, want1);
      return FALSE;
    }
  return TRUE;
}

/* The @n_columns tab-separated fields of data line @line_no, or NULL with @error. */
static GStrv
split_row (const char  *line,
           guint        n_columns,
           const char  *source_name,
           int          line_no,
           GError     **error)
{
  GStrv f = g_strsplit (line, "\t", -1);

  if (g_strv_length (f) != n_columns)
    {
      g_set_error (error, PLM_ERROR, PLM_ERROR_FORMAT, "%s:%d: expected %u tab-separated columns, found %u",
                   source_name, line_no, n_columns, g_strv_length (f));
      g_strfreev (f);
      return NULL;
    }
  return f;
}

static int
int_cmp (gconstpointer a,
         gconstpointer b)
{
  int x = *(const int *) a, y = *(const int *) b;
  return x < y ? -1 : x > y;
}

GHashTable *
plm_active_sites_parse (const char  *text,
                        gsize        length,
                        const char  *source_name,
                        GError     **error)
{
  g_auto(GStrv) lines = split_lines (text, length, source_name, error);
  g_autoptr(GHashTable) table = NULL;

  if (lines == NULL)
    return NULL;
  if (!check_header (lines, "uniprot_acc", "active_site_positions", source_name, error))
    return NULL;
  table = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_array_unref);
  for (int i = 1; lines[i]; i++)
    {
      g_auto(GStrv) f = NULL;
      g_auto(GStrv) pos = NULL;
      GArray *arr;

      if (is_blank (lines[i]))
        continue;
      f = split_row (lines[i], 2, source_name, i + 1, error);
      if (f == NULL)
        return NULL;
      if (f[0][0] == '\0' || strpbrk (f[0], " ,;") != NULL)
        {
          g_set_error (error, PLM_ERROR, PLM_ERROR_FORMAT, "%s:%d: empty or malformed accession",
                       source_name, i + 1);
          return NULL;
        }
      if (g_hash_table_contains (table, f[0]))
        {
          g_set_error (error, PLM_ERROR, PLM_ERROR_FORMAT, "%s:%d: duplicate accession %s",
                       source_name, i + 1, f[0]);
          return NULL;
        }
      pos = g_strsplit (f[1], ",", -1);
      arr = g_array_new (FALSE, FALSE, sizeof (int));
      for (int k = 0; pos[k]; k++)
        {
          gint64 v;
          g_strstrip (pos[k]);
          if (!plm_parse_int (pos[k], 1, MAX_POSITION, &v))
            {
              g_set_error (error, PLM_ERROR, PLM_ERROR_FORMAT,
                           "%s:%d: active-site position '%.40s' is not an integer in 1..%d",
                           source_name, i + 1, pos[k], MAX_POSITION);
              g_array_unref (arr);
              return NULL;
            }
          {
            int iv = (int) v;
            g_array_append_val (arr, iv);
          }
        }
      g_array_sort (arr, int_cmp);
      for (guint k = 1; k < arr->len;)
        if (g_array_index (arr, int, k) == g_array_index (arr, int, k - 1))
          g_array_remove_index (arr, k);
        else
          k++;
      g_hash_table_insert (table, g_strdup (f[0]), arr);
    }
  return g_steal_pointer (&table);
}

GHashTable *
plm_active_sites_read (const char  *path,
                       GError     **error)
{
  g_autofree char *text = NULL;
  gsize length;

  if (!read_file (path, &text, &length, error))
    return NULL;
  return plm_active_sites_parse (text, length, path, error);
}

void
plm_family_free (PlmFamily *family)
{
  if (family == NULL)
    return;
  g_free (family->id);
  g_ptr_array_unref (family->members);
  g_free (family);
}

GPtrArray *
plm_families_parse (const char  *text,
                    gsize        length,
                    const char  *source_name,
                    gboolean     clean,
                    GError     **error)
{
  g_auto(GStrv) lines = split_lines (text, length, source_name, error);
  g_autoptr(GPtrArray) families = NULL;
  g_autoptr(GHashTable) seen = NULL;

  if (lines == NULL)
    return NULL;
  if (!check_header (lines, "pfam", "uniprot_accs", source_name, error))
    return NULL;
  families = g_ptr_array_new_with_free_func ((GDestroyNotify) plm_family_free);
  seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (int i = 1; lines[i]; i++)
    {
      g_auto(GStrv) f = NULL;
      g_auto(GStrv) members = NULL;
      PlmFamily *fam;

      if (is_blank (lines[i]))
        continue;
      f = split_row (lines[i], 2, source_name, i + 1, error);
      if (f == NULL)
        return NULL;
      if (g_hash_table_contains (seen, f[0]))
        {
          g_set_error (error, PLM_ERROR, PLM_ERROR_FORMAT, "%s:%d: duplicate family '%.40s'",
                       source_name, i + 1, f[0]);
          return NULL;
        }
      g_hash_table_add (seen, g_strdup (f[0]));
      if (clean && (is_blank (f[0]) || strcmp (f[0], "nan") == 0))
        continue;
      fam = g_new0 (PlmFamily, 1);
      fam->id = g_strdup (f[0]);
      fam->members = g_ptr_array_new_with_free_func (g_free);
      members = g_strsplit (f[1], ",", -1);
      for (int k = 0; members[k]; k++)
        {
          g_strstrip (members[k]);
          if (members[k][0] == '\0')
            {
              if (f[1][0] == '\0')
                break;   /* a family without members */
              g_set_error (error, PLM_ERROR, PLM_ERROR_FORMAT, "%s:%d: empty accession in the member list",
                           source_name, i + 1);
              plm_family_free (fam);
              return NULL;
            }
          g_ptr_array_add (fam->members, g_strdup (members[k]));
        }
      if (clean && fam->members->len < 2)
        {
          plm_family_free (fam);
          continue;
        }
      g_ptr_array_add (families, fam);
    }
  return g_steal_pointer (&families);
}

GPtrArray *
plm_families_read (const char  *path,
                   gboolean     clean,
                   GError     **error)
{
  g_autofree char *text = NULL;
  gsize length;

  if (!read_file (path, &text, &length, error))
    return NULL;
  return plm_families_parse (text, length, path, clean, error);
}

void
plm_ha_row_free (PlmHaRow *row)
{
  if (row == NULL)
    return;
  g_free (row->protein);
  g_free (row->sites);
  g_free (row);
}

GPtrArray *
plm_ha_table_parse (const char  *text,
                    gsize        length,
                    const char  *source_name,
                    GError     **error)
{
  g_auto(GStrv) lines = split_lines (text, length, source_name, error);
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GHashTable) seen = NULL;

  if (lines == NULL)
    return NULL;
  if (lines[0] == NULL || strcmp (lines[0], "protein\tlength\tlayer\tha_sites\tangle") != 0)
    {
      g_set_error (error, PLM_ERROR, PLM_ERROR_FORMAT,
                   "%s:1: expected the header 'protein<TAB>length<TAB>layer<TAB>ha_sites<TAB>angle'",
                   source_name);
      return NULL;
    }
  rows = g_ptr_array_new_with_free_func ((GDestroyNotify) plm_ha_row_free);
  seen = g_hash_table_new (g_str_hash, g_str_equal);
  for (int i = 1; lines[i]; i++)
    {
      g_auto(GStrv) f = NULL;
      PlmHaRow *row;
      gint64 v;
      char *end;

      if (is_blank (lines[i]))
        continue;
      f = split_row (lines[i], 5, source_name, i + 1, error);
      if (f == NULL)
        return NULL;
      row = g_new0 (PlmHaRow, 1);
      row->line = i + 1;
      row->protein = g_strdup (f[0]);
      g_ptr_array_add (rows, row);
      if (f[0][0] == '\0' || g_hash_table_contains (seen, row->protein))
        {
          g_set_error (error, PLM_ERROR, PLM_ERROR_FORMAT, "%s:%d: empty or duplicate protein '%.40s'",
                       source_name, i + 1, f[0]);
          return NULL;
        }
      g_hash_table_add (seen, row->protein);
      if (!plm_parse_int (f[1], 1, MAX_POSITION, &v))
        {
          g_set_error (error, PLM_ERROR, PLM_ERROR_FORMAT, "%s:%d: length '%.40s' is not a positive integer",
                       source_name, i + 1, f[1]);
          return NULL;
        }
      row->length = (int) v;
      if (!plm_parse_int (f[2], 0, 100000, &v))
        {
          g_set_error (error, PLM_ERROR, PLM_ERROR_FORMAT, "%s:%d: layer '%.40s' is not an integer ≥ 0",
                       source_name, i + 1, f[2]);
          return NULL;
        }
      row->layer = (int) v;
      if (f[3][0] != '\0')
        {
          g_auto(GStrv) s = g_strsplit (f[3], ";", -1);
          row->n_sites = g_strv_length (s);
          row->sites = g_new (int, row->n_sites);
          for (int k = 0; k < row->n_sites; k++)
            {
              if (!plm_parse_int (s[k], 0, row->length - 1, &v))
                {
                  g_set_error (error, PLM_ERROR, PLM_ERROR_FORMAT,
                               "%s:%d: HA site '%.40s' is not a residue index in 0..%d",
                               source_name, i + 1, s[k], row->length - 1);
                  return NULL;
                }
              row->sites[k] = (int) v;
            }
        }
      errno = 0;
      row->angle = g_ascii_strtod (f[4], &end);
      if (f[4][0] == '\0' || *end != '\0' || errno != 0)
        {
          g_set_error (error, PLM_ERROR, PLM_ERROR_FORMAT, "%s:%d: angle '%.40s' is not a number",
                       source_name, i + 1, f[4]);
          return NULL;
        }
    }
  return g_steal_pointer (&rows);
}

GPtrArray *
plm_ha_table_read (const char  *path,
                   GError     **error)
{
  g_autofree char *text = NULL;
  gsize length;

  if (!read_file (path, &text, &length, error))
    return NULL;
  return plm_ha_table_parse (text, length, path, error);
}
