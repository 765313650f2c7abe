/* plm-fasta.c: FASTA parsing with errors that name file, line and column. */
#include "plm-fasta.h"

#include <string.h>

#include "plm-error.h"

#define FASTA_MAX_BYTES (G_GUINT64_CONSTANT (4) << 30)

void
plm_fasta_record_free (PlmFastaRecord *r)
{
  if (r == NULL)
    return;
  g_free (r->header);
  g_free (r->id);
  g_free (r->sequence);
  g_free (r);
}

static gboolean
is_residue_char (char c)
{
  /* letters (unknown ones become <unk>), gaps, and '*' (a trailing stop is dropped; inside a
   * sequence it is kept and becomes <unk>, as in fair-esm) */
  return g_ascii_isalpha (c) || c == '-' || c == '.' || c == '*';
}

static gboolean
finish_record (PlmFastaRecord *r, GString *seq, const char *source, GPtrArray *records, GError **error)
{
  /* a trailing stop codon '*' is common in translated FASTA and is not a residue */
  if (seq->len > 0 && seq->str[seq->len - 1] == '*')
    g_string_truncate (seq, seq->len - 1);
  if (seq->len == 0)
    {
      g_set_error (error, PLM_ERROR, PLM_ERROR_FORMAT, "%s:%d: record '%s' has no sequence", source, r->line,
                   r->id);
      return FALSE;
    }
  r->sequence = g_strndup (seq->str, seq->len);
  g_ptr_array_add (records, r);
  g_string_truncate (seq, 0);
  return TRUE;
}

GPtrArray *
plm_fasta_parse (const char *text, gsize length, const char *source, GError **error)
{
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func ((GDestroyNotify) plm_fasta_record_free);
  g_autoptr(GString) seq = g_string_new (NULL);
  PlmFastaRecord *cur = NULL;
  gsize pos = 0;
  int line = 0;

  if (memchr (text, '\0', length) != NULL)
    {
      g_set_error (error, PLM_ERROR, PLM_ERROR_FORMAT, "%s: contains NUL bytes (binary file?)", source);
      return NULL;
    }
  /* UTF-8 byte order mark */
  if (length >= 3 && memcmp (text, "\xEF\xBB\xBF", 3) == 0)
    pos = 3;

  while (pos < length)
    {
      const char *start = text + pos;
      const char *nl = memchr (start, '\n', length - pos);
      gsize len = nl ? (gsize) (nl - start) : length - pos;
      pos += len + (nl ? 1 : 0);
      line++;
      if (len > 0 && start[len - 1] == '\r')
        len--;

      if (len > 0 && start[0] == '>')
        {
          if (cur != NULL && !finish_record (cur, seq, source, records, error))
            {
              plm_fasta_record_free (cur);
              return NULL;
            }
          cur = g_new0 (PlmFastaRecord, 1);
          cur->line = line;
          cur->header = g_strstrip (g_strndup (start + 1, len - 1));
          if (!g_utf8_validate (cur->header, -1, NULL))
            {
              g_set_error (error, PLM_ERROR, PLM_ERROR_FORMAT, "%s:%d: header is not valid UTF-8", source, line);
              plm_fasta_record_free (cur);
              return NULL;
            }
          gsize idlen = strcspn (cur->header, " \t");
          if (idlen == 0)
            {
              g_set_error (error, PLM_ERROR, PLM_ERROR_FORMAT, "%s:%d: header has no identifier", source, line);
              plm_fasta_record_free (cur);
              return NULL;
            }
          cur->id = g_strndup (cur->header, idlen);
          continue;
        }
      if (len > 0 && start[0] == ';')
        continue;   /* old-style comment line */

      for (gsize i = 0; i < len; i++)
        {
          char c = start[i];
          if (c == ' ' || c == '\t')
            continue;
          if (cur == NULL)
            {
              g_set_error (error, PLM_ERROR, PLM_ERROR_FORMAT,
                           "%s:%d: sequence data before the first '>' header (not FASTA?)", source, line);
              return NULL;
            }
          if (c == '<' && len - i >= 6 && memcmp (start + i, "<mask>", 6) == 0)
            {
              g_string_append_len (seq, "<mask>", 6);
              i += 5;
              continue;
            }
          if (!is_residue_char (c))
            {
              if ((guchar) c >= 0x80)
                g_set_error (error, PLM_ERROR, PLM_ERROR_FORMAT,
                             "%s:%d:%zu: non-ASCII byte 0x%02x in the sequence of '%s'", source, line, i + 1,
                             (guchar) c, cur->id);
              else
                g_set_error (error, PLM_ERROR, PLM_ERROR_FORMAT,
                             "%s:%d:%zu: character '%c' cannot be a residue (record '%s')", source, line, i + 1,
                             g_ascii_isprint (c) ? c : '?', cur->id);
              plm_fasta_record_free (cur);
              return NULL;
            }
          g_string_append_c (seq, c);
        }
    }
  if (cur != NULL && !finish_record (cur, seq, source, records, error))
    {
      plm_fasta_record_free (cur);
      return NULL;
    }
  if (records->len == 0)
    {
      g_set_error (error, PLM_ERROR, PLM_ERROR_FORMAT, "%s: no FASTA records (empty file?)", source);
      return NULL;
    }
  return g_steal_pointer (&records);
}

GPtrArray *
plm_fasta_read (const char *path, GError **error)
{
  gsize len = 0;
  g_autoptr(GError) local = NULL;
  g_autoptr(GMappedFile) mf = g_mapped_file_new (path, FALSE, &local);

  if (mf == NULL)
    {
      g_set_error (error, PLM_ERROR, PLM_ERROR_IO, "%s: cannot read: %s", path, local->message);
      return NULL;
    }
  len = g_mapped_file_get_length (mf);
  if (len > FASTA_MAX_BYTES)
    {
      g_set_error (error, PLM_ERROR, PLM_ERROR_RESOURCES, "%s: larger than 4 GiB; split it first", path);
      return NULL;
    }
  return plm_fasta_parse (len ? g_mapped_file_get_contents (mf) : "", len, path, error);
}

char *
plm_fasta_safe_name (const char *id)
{
  GString *s = g_string_new (NULL);
  for (const char *p = id; *p; p++)
    {
      char c = *p;
      g_string_append_c (s, (g_ascii_isalnum (c) || c == '-' || c == '_' || c == '.') ? c : '_');
    }
  /* never "", "." or ".." (or a hidden file) */
  if (s->len == 0 || s->str[0] == '.')
    g_string_prepend_c (s, '_');
  if (s->len > 200)
    g_string_truncate (s, 200);
  return g_string_free (s, FALSE);
}
