/* plm-dataset-preview.c: row-by-row reading of a data file through the engine's own parsers. */
#include <string.h>

#include "plm-dataset-preview.h"

static void
error_clear (gpointer data)
{
  PlmPreviewError *e = data;

  g_free (e->message);
}

/* "SOURCE:LINE: message" → LINE and "message" (the engine's error format). */
static void
add_error (PlmDatasetPreview *p,
           const char        *source,
           int                line,
           const char        *message)
{
  PlmPreviewError e = { line, NULL };
  gsize n = strlen (source);

  if (strncmp (message, source, n) == 0 && message[n] == ':')
    {
      char *end = NULL;
      gint64 l = g_ascii_strtoll (message + n + 1, &end, 10);
      if (end != NULL && end[0] == ':' && end[1] == ' ')
        {
          if (line < 0)
            e.line = (int) l;
          message = end + 2;
        }
      else if (message[n + 1] == ' ')
        message += n + 2;
    }
  e.line = MAX (e.line, 0);
  e.message = g_strdup (message);
  g_array_append_val (p->errors, e);
}

static void
add_items (PlmDatasetPreview *p,
           PlmDataset        *ds,
           GHashTable        *counts)
{
  for (int i = 0; i < ds->n_items; i++)
    {
      const char *label = g_ptr_array_index (ds->item_label, i);
      int len = strlen (g_ptr_array_index (ds->seqs, ds->item_a[i]));
      g_hash_table_insert (counts, g_strdup (label),
                           GINT_TO_POINTER (GPOINTER_TO_INT (g_hash_table_lookup (counts, label)) + 1));
      g_array_append_val (p->lengths, len);
      if (ds->item_b != NULL)
        {
          len = strlen (g_ptr_array_index (ds->seqs, ds->item_b[i]));
          g_array_append_val (p->lengths, len);
        }
    }
  p->n_items += ds->n_items;
  p->n_skipped += ds->n_skipped;
}

/* Each data row is parsed on its own under the file's header line. */
static void
check_rows (PlmDatasetPreview *p,
            const char        *text,
            GHashTable        *counts)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  const char *header = NULL;
  int header_line = 0;

  for (int i = 0; lines[i] != NULL; i++)
    {
      char *line = g_strstrip (lines[i]);
      g_autoptr(GError) error = NULL;

      if (line[0] == '\0' || line[0] == '#')
        continue;
      if (header == NULL)
        {
          g_autofree char *only = g_strconcat (line, "\n", NULL);
          g_autoptr(PlmDataset) ds = plm_dataset_parse_table (only, "row", &error);
          /* alone, a good header only lacks data rows ("row: no data rows") */
          if (ds == NULL && g_str_has_prefix (error->message, "row:1:"))
            {
              add_error (p, "row", i + 1, error->message);
              return;   /* without a usable header no row can be read */
            }
          header = line;
          header_line = i + 1;
          continue;
        }
      g_autofree char *two = g_strconcat (header, "\n", line, "\n", NULL);
      g_autoptr(PlmDataset) ds = plm_dataset_parse_table (two, "row", &error);
      if (ds == NULL)
        add_error (p, "row", i + 1, error->message);
      else
        add_items (p, ds, counts);
    }
  if (header_line == 0)
    add_error (p, "row", 0, "the file holds no header line");
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char **) a, *(const char **) b);
}

PlmDatasetPreview *
plm_dataset_preview_new (const char              *path,
                         PlmDataTask              task,
                         const PlmDatasetOptions *options,
                         GError                 **error)
{
  g_autofree char *text = NULL;
  g_autoptr(GHashTable) counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GError) local_error = NULL;
  PlmDatasetPreview *p;

  if (!g_file_get_contents (path, &text, NULL, error))
    return NULL;

  p = g_new0 (PlmDatasetPreview, 1);
  p->path = g_strdup (path);
  p->classes = g_ptr_array_new_with_free_func (g_free);
  p->counts = g_array_new (FALSE, FALSE, sizeof (int));
  p->lengths = g_array_new (FALSE, FALSE, sizeof (int));
  p->errors = g_array_new (FALSE, FALSE, sizeof (PlmPreviewError));
  g_array_set_clear_func (p->errors, error_clear);

  g_autoptr(PlmDataset) ds = plm_dataset_read (path, task, options, &local_error);
  if (ds != NULL)
    add_items (p, ds, counts);
  else
    {
      const char *s = text;
      while (g_ascii_isspace (*s))
        s++;
      /* only tables can be checked row by row: FASTA records and pairs span or join lines */
      if (task == PLM_DATA_PROTEIN && *s != '>' && memchr (text, '\0', 1) == NULL)
        check_rows (p, text, counts);
      if (p->errors->len == 0)
        add_error (p, path, -1, local_error->message);
    }

  GHashTableIter iter;
  gpointer key, value;
  g_hash_table_iter_init (&iter, counts);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_ptr_array_add (p->classes, g_strdup (key));
  g_ptr_array_sort (p->classes, compare_strings);
  for (guint c = 0; c < p->classes->len; c++)
    {
      int n = GPOINTER_TO_INT (g_hash_table_lookup (counts, g_ptr_array_index (p->classes, c)));
      g_array_append_val (p->counts, n);
    }
  return p;
}

void
plm_dataset_preview_free (PlmDatasetPreview *p)
{
  if (p == NULL)
    return;
  g_free (p->path);
  g_ptr_array_unref (p->classes);
  g_array_unref (p->counts);
  g_array_unref (p->lengths);
  g_array_unref (p->errors);
  g_free (p);
}
