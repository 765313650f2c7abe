/* plm-dataset.c: readers, splits, class balance and negative sampling for fine-tuning data. */
#include "plm-dataset.h"

#include <string.h>

#include "plm-error.h"
#include "plm-fasta.h"

static PlmDataset *
dataset_new (PlmDataTask task, const char *name)
{
  PlmDataset *ds = g_new0 (PlmDataset, 1);
  ds->task = task;
  ds->name = g_strdup (name);
  ds->seq_ids = g_ptr_array_new_with_free_func (g_free);
  ds->seqs = g_ptr_array_new_with_free_func (g_free);
  ds->item_label = g_ptr_array_new_with_free_func (g_free);
  return ds;
}

void
plm_dataset_free (PlmDataset *ds)
{
  if (ds == NULL)
    return;
  g_free (ds->name);
  g_free (ds->sha256);
  g_ptr_array_unref (ds->seq_ids);
  g_ptr_array_unref (ds->seqs);
  g_ptr_array_unref (ds->item_label);
  g_free (ds->item_a);
  g_free (ds->item_b);
  g_free (ds->item_line);
  g_free (ds->label);
  g_free (ds);
}

/* Growable item arrays while parsing. */
typedef struct {
  GArray *a, *b, *line;
} ItemBuilder;

static void
builder_init (ItemBuilder *ib)
{
  ib->a = g_array_new (FALSE, FALSE, sizeof (int));
  ib->b = g_array_new (FALSE, FALSE, sizeof (int));
  ib->line = g_array_new (FALSE, FALSE, sizeof (int));
}

static void
builder_add (ItemBuilder *ib, PlmDataset *ds, int a, int b, int line, const char *label)
{
  g_array_append_val (ib->a, a);
  g_array_append_val (ib->b, b);
  g_array_append_val (ib->line, line);
  g_ptr_array_add (ds->item_label, g_strdup (label));
}

static void
builder_finish (ItemBuilder *ib, PlmDataset *ds)
{
  ds->n_items = ib->a->len;
  ds->item_a = (int *) g_array_free (ib->a, FALSE);
  if (ds->task == PLM_DATA_PAIR)
    ds->item_b = (int *) g_array_free (ib->b, FALSE);
  else
    g_array_free (ib->b, TRUE);
  ds->item_line = (int *) g_array_free (ib->line, FALSE);
}

static void
builder_clear (ItemBuilder *ib)
{
  g_array_free (ib->a, TRUE);
  g_array_free (ib->b, TRUE);
  g_array_free (ib->line, TRUE);
}

/* Upper-cases @seq in place; FALSE (with the offending character) if it holds a non-letter. */
static gboolean
normalise_sequence (char *seq, char *bad)
{
  for (char *p = seq; *p; p++)
    {
      if (!g_ascii_isalpha (*p))
        {
          *bad = *p;
          return FALSE;
        }
      *p = g_ascii_toupper (*p);
    }
  return TRUE;
}

static char **
split_lines (const char *text)
{
  return g_strsplit (text, "\n", -1);
}

/* Strips @line in place (a CRLF file's '\r' included); FALSE for a blank or '#' comment line. */
static gboolean
data_line (char *line)
{
  return *g_strstrip (line) != '\0' && line[0] != '#';
}

PlmDataset *
plm_dataset_parse_table (const char *text, const char *source, GError **error)
{
  g_auto(GStrv) lines = split_lines (text);
  g_autoptr(PlmDataset) ds = dataset_new (PLM_DATA_PROTEIN, source);
  ItemBuilder ib;
  int col_seq = -1, col_label = -1, n_cols = 0, header_line = 0;
  const char *sep = ",";

  builder_init (&ib);
  for (int i = 0; lines[i] != NULL; i++)
    {
      char *line = lines[i];
      if (!data_line (line))
        continue;
      if (header_line == 0)
        {
          /* the header names the columns; tab-separated when it holds a tab */
          sep = strchr (line, '\t') != NULL ? "\t" : ",";
          g_auto(GStrv) cols = g_strsplit (line, sep, -1);
          n_cols = g_strv_length (cols);
          for (int c = 0; c < n_cols; c++)
            {
              char *name = g_strstrip (cols[c]);
              if (g_ascii_strcasecmp (name, "sequence") == 0)
                col_seq = c;
              else if (g_ascii_strcasecmp (name, "label") == 0)
                col_label = c;
            }
          header_line = i + 1;
          if (col_seq < 0 || col_label < 0)
            {
              g_set_error (error, PLM_ERROR, PLM_ERROR_FORMAT,
                           "%s:%d: the header must name the columns \"sequence\" and \"label\"",
                           source, i + 1);
              builder_clear (&ib);
              return NULL;
            }
          continue;
        }
      g_auto(GStrv) cols = g_strsplit (line, sep, -1);
      int n = g_strv_length (cols);
      if (n <= MAX (col_seq, col_label))
        {
          g_set_error (error, PLM_ERROR, PLM_ERROR_FORMAT,
                       "%s:%d: expected %d columns, found %d", source, i + 1, n_cols, n);
          builder_clear (&ib);
          return NULL;
        }
      char *seq = g_strstrip (cols[col_seq]);
      char *label = g_strstrip (cols[col_label]);
      char bad = 0;
      if (*seq == '\0' || *label == '\0')
        {
          g_set_error (error, PLM_ERROR, PLM_ERROR_FORMAT, "%s:%d: empty %s", source, i + 1,
                       *seq == '\0' ? "sequence" : "label");
          builder_clear (&ib);
          return NULL;
        }
      if (!normalise_sequence (seq, &bad))
        {
          g_set_error (error, PLM_ERROR, PLM_ERROR_FORMAT,
                       "%s:%d: the sequence contains '%c', which is not a residue letter",
                       source, i + 1, g_ascii_isprint (bad) ? bad : '?');
          builder_clear (&ib);
          return NULL;
        }
      int idx = ds->seqs->len;
      g_ptr_array_add (ds->seqs, g_strdup (seq));
      g_ptr_array_add (ds->seq_ids, g_strdup_printf ("%s:%d", source, i + 1));
      builder_add (&ib, ds, idx, -1, i + 1, label);
    }
  if (header_line == 0 || ds->seqs->len == 0)
    {
      g_set_error (error, PLM_ERROR, PLM_ERROR_FORMAT, "%s: no data rows", source);
      builder_clear (&ib);
      return NULL;
    }
  builder_finish (&ib, ds);
  return g_steal_pointer (&ds);
}

PlmDataset *
plm_dataset_parse_fasta (const char *text, const char *source, PlmFastaLabel kind,
                         GError **error)
{
  g_autoptr(GPtrArray) records = plm_fasta_parse (text, strlen (text), source, error);
  if (records == NULL)
    return NULL;

  g_autoptr(PlmDataset) ds = dataset_new (PLM_DATA_PROTEIN, source);
  ItemBuilder ib;
  builder_init (&ib);
  for (guint i = 0; i < records->len; i++)
    {
      PlmFastaRecord *r = g_ptr_array_index (records, i);
      g_auto(GStrv) words = g_strsplit_set (r->header, " \t", -1);
      const char *field = NULL;
      for (int w = 1; words[w] != NULL && field == NULL; w++)
        if (*words[w] != '\0')
          field = words[w];
      const char *dash = field != NULL ? strrchr (field, '-') : NULL;
      /* dash[1] == 0 first: strchr finds the terminator of "MSU" (found by fuzz-dataset) */
      if (dash == NULL || dash == field || dash[1] == '\0' || strchr ("MSU", dash[1]) == NULL || dash[2] != '\0')
        {
          g_set_error (error, PLM_ERROR, PLM_ERROR_FORMAT,
                       "%s:%d: expected a DeepLoc header \">ID Location-M\" (M, S or U)",
                       source, r->line);
          builder_clear (&ib);
          return NULL;
        }
      g_autofree char *label = NULL;
      if (kind == PLM_FASTA_LABEL_LOCATION)
        label = g_strndup (field, dash - field);
      else if (dash[1] == 'U')
        {
          ds->n_skipped++;   /* unknown membrane status: not part of the binary task */
          continue;
        }
      else
        label = g_strdup (dash[1] == 'M' ? "membrane" : "soluble");

      char *seq = g_strdup (r->sequence);
      char bad = 0;
      if (!normalise_sequence (seq, &bad))
        {
          g_set_error (error, PLM_ERROR, PLM_ERROR_FORMAT,
                       "%s:%d: the sequence contains '%c', which is not a residue letter",
                       source, r->line, g_ascii_isprint (bad) ? bad : '?');
          g_free (seq);
          builder_clear (&ib);
          return NULL;
        }
      int idx = ds->seqs->len;
      g_ptr_array_add (ds->seqs, seq);
      g_ptr_array_add (ds->seq_ids, g_strdup (r->id));
      builder_add (&ib, ds, idx, -1, r->line, label);
    }
  if (ds->seqs->len == 0)
    {
      g_set_error (error, PLM_ERROR, PLM_ERROR_FORMAT, "%s: no usable records%s", source,
                   ds->n_skipped > 0 ? " (all have membrane status U, unknown)" : "");
      builder_clear (&ib);
      return NULL;
    }
  builder_finish (&ib, ds);
  return g_steal_pointer (&ds);
}

PlmDataset *
plm_dataset_parse_pairs (const char *pairs, const char *pairs_source, const char *dictionary,
                         const char *dict_source, GError **error)
{
  g_autofree char *name = g_strdup_printf ("%s + %s", pairs_source, dict_source);
  g_autoptr(PlmDataset) ds = dataset_new (PLM_DATA_PAIR, name);
  g_autoptr(GHashTable) index = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_auto(GStrv) dlines = split_lines (dictionary);

  for (int i = 0; dlines[i] != NULL; i++)
    {
      char *line = dlines[i];
      if (!data_line (line))
        continue;
      g_auto(GStrv) cols = g_strsplit (line, "\t", 3);
      if (g_strv_length (cols) < 2)
        {
          g_set_error (error, PLM_ERROR, PLM_ERROR_FORMAT,
                       "%s:%d: expected \"id<TAB>sequence\"", dict_source, i + 1);
          return NULL;
        }
      char *id = g_strstrip (cols[0]), *seq = g_strstrip (cols[1]), bad = 0;
      if (g_hash_table_contains (index, id))
        {
          g_set_error (error, PLM_ERROR, PLM_ERROR_FORMAT, "%s:%d: duplicate id \"%s\"",
                       dict_source, i + 1, id);
          return NULL;
        }
      if (*seq == '\0' || !normalise_sequence (seq, &bad))
        {
          g_set_error (error, PLM_ERROR, PLM_ERROR_FORMAT,
                       "%s:%d: the sequence of \"%s\" is empty or holds a non-letter", dict_source,
                       i + 1, id);
          return NULL;
        }
      g_ptr_array_add (ds->seq_ids, g_strdup (id));
      g_ptr_array_add (ds->seqs, g_strdup (seq));
      g_hash_table_insert (index, g_ptr_array_index (ds->seq_ids, ds->seq_ids->len - 1),
                           GINT_TO_POINTER (ds->seqs->len));
    }

  g_auto(GStrv) lines = split_lines (pairs);
  ItemBuilder ib;
  gboolean first = TRUE;
  builder_init (&ib);
  for (int i = 0; lines[i] != NULL; i++)
    {
      char *line = lines[i];
      if (!data_line (line))
        continue;
      g_auto(GStrv) cols = g_strsplit_set (line, "\t ", -1);
      /* collapse runs of separators */
      char *f[3] = { NULL, NULL, NULL };
      int nf = 0;
      for (int c = 0; cols[c] != NULL && nf < 3; c++)
        if (*cols[c] != '\0')
          f[nf++] = cols[c];
      gpointer ia = nf >= 2 ? g_hash_table_lookup (index, f[0]) : NULL;
      gpointer ibp = nf >= 2 ? g_hash_table_lookup (index, f[1]) : NULL;
      if (first && ia == NULL && ibp == NULL)
        {
          first = FALSE;   /* a header line (e.g. SHS27k's "item_id_a item_id_b mode ...") */
          continue;
        }
      first = FALSE;
      if (nf < 3)
        {
          g_set_error (error, PLM_ERROR, PLM_ERROR_FORMAT,
                       "%s:%d: expected \"idA idB label\"", pairs_source, i + 1);
          builder_clear (&ib);
          return NULL;
        }
      if (ia == NULL || ibp == NULL)
        {
          g_set_error (error, PLM_ERROR, PLM_ERROR_FORMAT,
                       "%s:%d: \"%s\" is not in the sequence dictionary %s", pairs_source, i + 1,
                       ia == NULL ? f[0] : f[1], dict_source);
          builder_clear (&ib);
          return NULL;
        }
      /* identical rows (SHS27k lists each directed action) count once */
      char *key = g_strdup_printf ("%s\t%s\t%s", f[0], f[1], f[2]);
      if (!g_hash_table_add (seen, key))
        continue;
      builder_add (&ib, ds, GPOINTER_TO_INT (ia) - 1, GPOINTER_TO_INT (ibp) - 1, i + 1, f[2]);
    }
  if (ib.a->len == 0)
    {
      g_set_error (error, PLM_ERROR, PLM_ERROR_FORMAT, "%s: no pairs", pairs_source);
      builder_clear (&ib);
      return NULL;
    }
  builder_finish (&ib, ds);
  return g_steal_pointer (&ds);
}

/* Reads a whole file; failures become PLM_ERROR_IO naming the file. */
static gboolean
read_file (const char *path, char **text, gsize *len, GError **error)
{
  g_autoptr(GError) local = NULL;
  if (g_file_get_contents (path, text, len, &local))
    return TRUE;
  /* GLib's message already names the file */
  g_set_error_literal (error, PLM_ERROR, PLM_ERROR_IO, local->message);
  return FALSE;
}

PlmDataset *
plm_dataset_read (const char *path, PlmDataTask task, const PlmDatasetOptions *options,
                  GError **error)
{
  g_autofree char *text = NULL, *dict = NULL;
  gsize len = 0, dict_len = 0;
  PlmDataset *ds;

  if (!read_file (path, &text, &len, error))
    return NULL;
  if (memchr (text, '\0', len) != NULL)
    {
      g_set_error (error, PLM_ERROR, PLM_ERROR_FORMAT, "%s: binary data, not a text file", path);
      return NULL;
    }
  g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  g_checksum_update (sum, (const guchar *) text, len);

  if (task == PLM_DATA_PAIR)
    {
      if (options == NULL || options->dictionary == NULL)
        {
          g_set_error (error, PLM_ERROR, PLM_ERROR_INPUT,
                       "%s: a pair data set needs a sequence dictionary (--sequences)", path);
          return NULL;
        }
      if (!read_file (options->dictionary, &dict, &dict_len, error))
        return NULL;
      g_checksum_update (sum, (const guchar *) dict, dict_len);
      ds = plm_dataset_parse_pairs (text, path, dict, options->dictionary, error);
    }
  else
    {
      const char *p = text;
      while (g_ascii_isspace (*p))
        p++;
      if (*p == '>')
        ds = plm_dataset_parse_fasta (text, path,
                                      options != NULL ? options->fasta_label : PLM_FASTA_LABEL_LOCATION,
                                      error);
      else
        ds = plm_dataset_parse_table (text, path, error);
    }
  if (ds != NULL)
    ds->sha256 = g_strdup (g_checksum_get_string (sum));
  return ds;
}

static int
compare_strings (gconstpointer a, gconstpointer b)
{
  return strcmp (*(char *const *) a, *(char *const *) b);
}

GPtrArray *
plm_dataset_classes (PlmDataset *ds)
{
  g_autoptr(GHashTable) set = g_hash_table_new (g_str_hash, g_str_equal);
  GPtrArray *classes = g_ptr_array_new_with_free_func (g_free);
  for (int i = 0; i < ds->n_items; i++)
    {
      char *l = g_ptr_array_index (ds->item_label, i);
      if (g_hash_table_add (set, l))
        g_ptr_array_add (classes, g_strdup (l));
    }
  g_ptr_array_sort (classes, compare_strings);
  return classes;
}

gboolean
plm_dataset_map_labels (PlmDataset *ds, GPtrArray *classes, GError **error)
{
  g_autoptr(GHashTable) index = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint c = 0; c < classes->len; c++)
    g_hash_table_insert (index, g_ptr_array_index (classes, c), GINT_TO_POINTER (c + 1));
  g_free (ds->label);
  ds->label = g_new (int, MAX (ds->n_items, 1));
  for (int i = 0; i < ds->n_items; i++)
    {
      const char *l = g_ptr_array_index (ds->item_label, i);
      int c = GPOINTER_TO_INT (g_hash_table_lookup (index, l));
      if (c == 0)
        {
          g_set_error (error, PLM_ERROR, PLM_ERROR_INPUT,
                       "%s:%d: label \"%s\" is not one of the training labels", ds->name,
                       ds->item_line[i], l);
          g_clear_pointer (&ds->label, g_free);
          return FALSE;
        }
      ds->label[i] = c - 1;
    }
  return TRUE;
}

PlmDataset *
plm_dataset_subset (PlmDataset *ds, const int *indices, int n, const char *suffix)
{
  PlmDataset *sub = g_new0 (PlmDataset, 1);
  sub->task = ds->task;
  sub->name = g_strdup_printf ("%s%s", ds->name, suffix);
  sub->sha256 = g_strdup (ds->sha256);
  sub->seq_ids = g_ptr_array_ref (ds->seq_ids);
  sub->seqs = g_ptr_array_ref (ds->seqs);
  sub->item_label = g_ptr_array_new_with_free_func (g_free);
  sub->n_items = n;
  sub->item_a = g_new (int, MAX (n, 1));
  sub->item_b = ds->item_b != NULL ? g_new (int, MAX (n, 1)) : NULL;
  sub->item_line = g_new (int, MAX (n, 1));
  sub->label = ds->label != NULL ? g_new (int, MAX (n, 1)) : NULL;
  for (int i = 0; i < n; i++)
    {
      int j = indices[i];
      sub->item_a[i] = ds->item_a[j];
      if (sub->item_b != NULL)
        sub->item_b[i] = ds->item_b[j];
      sub->item_line[i] = ds->item_line[j];
      if (sub->label != NULL)
        sub->label[i] = ds->label[j];
      g_ptr_array_add (sub->item_label, g_strdup (g_ptr_array_index (ds->item_label, j)));
    }
  return sub;
}

void
plm_dataset_split (PlmDataset *ds, double valid_fraction, double test_fraction, uint64_t seed,
                   PlmDataset **train, PlmDataset **valid, PlmDataset **test)
{
  int n = ds->n_items;
  g_autofree int *order = g_new (int, MAX (n, 1));
  PlmRng rng;
  for (int i = 0; i < n; i++)
    order[i] = i;
  plm_rng_seed (&rng, seed);
  plm_rng_shuffle (&rng, order, n);
  int n_valid = (int) (valid_fraction * n + 0.5), n_test = (int) (test_fraction * n + 0.5);
  n_valid = CLAMP (n_valid, 0, n);
  n_test = CLAMP (n_test, 0, n - n_valid);
  if (valid != NULL)
    *valid = plm_dataset_subset (ds, order, n_valid, " (valid split)");
  if (test != NULL)
    *test = plm_dataset_subset (ds, order + n_valid, n_test, " (test split)");
  if (train != NULL)
    *train = plm_dataset_subset (ds, order + n_valid + n_test, n - n_valid - n_test,
                                 " (train split)");
}

char *
plm_dataset_balance_report (PlmDataset *ds, GPtrArray *classes)
{
  GString *s = g_string_new (NULL);
  g_autofree int *count = g_new0 (int, classes->len);
  for (int i = 0; i < ds->n_items; i++)
    if (ds->label != NULL)
      count[ds->label[i]]++;
  g_string_append_printf (s, "%s: %d items", ds->name, ds->n_items);
  if (ds->n_skipped > 0)
    g_string_append_printf (s, " (%d records skipped)", ds->n_skipped);
  for (guint c = 0; c < classes->len; c++)
    g_string_append_printf (s, "%s %s %d (%.1f%%)", c == 0 ? ";" : ",",
                            (char *) g_ptr_array_index (classes, c), count[c],
                            ds->n_items > 0 ? 100.0 * count[c] / ds->n_items : 0.0);
  return g_string_free (s, FALSE);
}

/* ---- negative sampling ---- */

struct _PlmNmSampler {
  PlmDataset  *ds;
  int          n_classes;
  GArray     **by_label;      /* [n_classes] item indices */
  int         *present;       /* labels with at least one item */
  int          n_present;
  /* pair task: per sequence, its non-partners (from label "0" rows) and partner set */
  GArray     **non_partners;  /* [n_seqs] sequence indices */
  GHashTable **partners;      /* [n_seqs] set of sequence index + 1 */
  GArray      *proteins;      /* sequence indices that occur in some pair */
};

static gboolean
is_negative_label (const char *label)
{
  return strcmp (label, "0") == 0 || g_ascii_strcasecmp (label, "negative") == 0
         || g_ascii_strcasecmp (label, "false") == 0;
}

PlmNmSampler *
plm_nm_sampler_new (PlmDataset *ds)
{
  g_return_val_if_fail (ds->label != NULL, NULL);
  PlmNmSampler *s = g_new0 (PlmNmSampler, 1);
  s->ds = ds;
  for (int i = 0; i < ds->n_items; i++)
    s->n_classes = MAX (s->n_classes, ds->label[i] + 1);
  s->by_label = g_new0 (GArray *, MAX (s->n_classes, 1));
  for (int c = 0; c < s->n_classes; c++)
    s->by_label[c] = g_array_new (FALSE, FALSE, sizeof (int));
  for (int i = 0; i < ds->n_items; i++)
    g_array_append_val (s->by_label[ds->label[i]], i);
  s->present = g_new (int, MAX (s->n_classes, 1));
  for (int c = 0; c < s->n_classes; c++)
    if (s->by_label[c]->len > 0)
      s->present[s->n_present++] = c;

  if (ds->task == PLM_DATA_PAIR)
    {
      int n_seqs = ds->seqs->len;
      g_autofree gboolean *used = g_new0 (gboolean, MAX (n_seqs, 1));
      s->non_partners = g_new0 (GArray *, n_seqs);
      s->partners = g_new0 (GHashTable *, n_seqs);
      s->proteins = g_array_new (FALSE, FALSE, sizeof (int));
      for (int i = 0; i < ds->n_items; i++)
        {
          int a = ds->item_a[i], b = ds->item_b[i];
          gboolean neg = is_negative_label (g_ptr_array_index (ds->item_label, i));
          for (int side = 0; side < 2; side++)
            {
              int x = side == 0 ? a : b, y = side == 0 ? b : a;
              if (!used[x])
                {
                  used[x] = TRUE;
                  g_array_append_val (s->proteins, x);
                  s->non_partners[x] = g_array_new (FALSE, FALSE, sizeof (int));
                  s->partners[x] = g_hash_table_new (NULL, NULL);
                }
              if (neg)
                g_array_append_val (s->non_partners[x], y);
              else
                g_hash_table_add (s->partners[x], GINT_TO_POINTER (y + 1));
            }
        }
    }
  return s;
}

void
plm_nm_sampler_free (PlmNmSampler *s)
{
  if (s == NULL)
    return;
  for (int c = 0; c < s->n_classes; c++)
    g_array_free (s->by_label[c], TRUE);
  g_free (s->by_label);
  g_free (s->present);
  if (s->proteins != NULL)
    {
      for (guint i = 0; i < s->ds->seqs->len; i++)
        {
          if (s->non_partners[i] != NULL)
            g_array_free (s->non_partners[i], TRUE);
          if (s->partners[i] != NULL)
            g_hash_table_unref (s->partners[i]);
        }
      g_free (s->non_partners);
      g_free (s->partners);
      g_array_free (s->proteins, TRUE);
    }
  g_free (s);
}

void
plm_nm_sampler_sample (PlmNmSampler *s, PlmRng *rng, int item, int n_neg, int *positive,
                       int *neg_seq, int *neg_side)
{
  PlmDataset *ds = s->ds;

  if (ds->task == PLM_DATA_PROTEIN)
    {
      int label = ds->label[item];
      GArray *same = s->by_label[label];
      /* a random other item of the same label (itself when it is alone) */
      int pos = item;
      if (same->len > 1)
        do
          pos = g_array_index (same, int, plm_rng_below (rng, same->len));
        while (pos == item);
      if (positive != NULL)
        *positive = pos;
      for (int n = 0; n < n_neg; n++)
        {
          int other;
          if (s->n_present < 2)
            other = label;   /* degenerate: one class only */
          else
            do
              other = s->present[plm_rng_below (rng, s->n_present)];
            while (other == label);
          GArray *pool = s->by_label[other];
          neg_seq[n] = ds->item_a[g_array_index (pool, int, plm_rng_below (rng, pool->len))];
          neg_side[n] = 0;
        }
      return;
    }

  if (positive != NULL)
    *positive = -1;
  for (int n = 0; n < n_neg; n++)
    {
      int side = n % 2;
      int x = side == 0 ? ds->item_a[item] : ds->item_b[item];
      GArray *np = s->non_partners[x];
      int pick;
      if (np->len > 0)
        pick = g_array_index (np, int, plm_rng_below (rng, np->len));
      else
        {
          /* no listed non-partner: a random protein never listed as its partner */
          int tries = 0;
          do
            pick = g_array_index (s->proteins, int, plm_rng_below (rng, s->proteins->len));
          while ((pick == x || g_hash_table_contains (s->partners[x], GINT_TO_POINTER (pick + 1)))
                 && ++tries < 64);
        }
      neg_seq[n] = pick;
      neg_side[n] = side;
    }
}
