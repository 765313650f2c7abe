/* plm-sequence.c: parsing and normalising user-supplied protein sequences. */
#include <glib/gi18n.h>
#include <string.h>

#include "plm-error.h"
#include "plm-sequence.h"

/* More would not fit in memory for attention anyway; guards against huge pastes. */
#define MAX_RECORDS 1000000

struct _PlmSequence
{
  GObject  parent_instance;
  char    *id;
  char    *header;
  char    *description;
  char    *residues;
  char    *source;
  char    *note;
  GArray  *invalid;
  int      line;
  int      length;
};

G_DEFINE_FINAL_TYPE (PlmSequence, plm_sequence, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_HEADER,
  PROP_LENGTH,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The 25 letters of the ESM alphabet that stand for residues (20 standard + X B U Z O). */
static gboolean
is_residue (char c)
{
  return c != '\0' && strchr ("ACDEFGHIKLMNPQRSTVWYXBUZO", c) != NULL;
}

static void
plm_sequence_normalise (PlmSequence *self,
                        const char  *raw)
{
  GString *out = g_string_sized_new (strlen (raw));
  guint n_space = 0, n_digit = 0, n_lower = 0, n_stop = 0;

  for (const char *p = raw; *p; p++)
    {
      char c = *p;

      if (g_ascii_isspace (c))
        { n_space++; continue; }
      if (g_ascii_isdigit (c))
        { n_digit++; continue; }
      /* A literal <mask> is a token of its own. */
      if (c == '<' && strncmp (p, "<mask>", 6) == 0)
        {
          g_string_append (out, "<mask>");
          p += 5;
          continue;
        }
      /* A trailing '*' is a translated stop codon. */
      if (c == '*' && p[1 + strspn (p + 1, " \t\r\n0123456789")] == '\0')
        { n_stop++; continue; }
      if (g_ascii_islower (c))
        {
          n_lower++;
          c = g_ascii_toupper (c);
        }
      if (!is_residue (c))
        {
          int pos = (int) out->len;
          g_array_append_val (self->invalid, pos);
        }
      g_string_append_c (out, c);
    }

  self->residues = g_string_free (out, FALSE);
  self->length = 0;
  for (const char *p = self->residues; *p; p++)
    {
      if (*p == '<')
        p += 5;
      self->length++;
    }

  if (n_digit || n_lower || n_stop)
    {
      GPtrArray *parts = g_ptr_array_new_with_free_func (g_free);

      if (n_digit)
        g_ptr_array_add (parts, g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "removed %u digit",
                                                              "removed %u digits", n_digit), n_digit));
      if (n_lower)
        g_ptr_array_add (parts, g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                              "converted %u lower-case letter to upper case",
                                                              "converted %u lower-case letters to upper case",
                                                              n_lower), n_lower));
      if (n_stop)
        g_ptr_array_add (parts, g_strdup (_("removed the final stop codon “*”")));
      if (n_space)
        g_ptr_array_add (parts, g_strdup (_("removed white space")));
      g_ptr_array_add (parts, NULL);
      {
        g_autofree char *joined = g_strjoinv ("; ", (char **) parts->pdata);
        /* Translators: %s is a list such as "removed 3 digits; converted 5 lower-case letters to upper case" */
        self->note = g_strdup_printf (_("Input normalised: %s."), joined);
      }
      g_ptr_array_unref (parts);
    }
}

PlmSequence *
plm_sequence_new (const char *header,
                  const char *raw_residues,
                  const char *source,
                  int         line)
{
  PlmSequence *self;
  const char *space;

  g_return_val_if_fail (header != NULL, NULL);
  g_return_val_if_fail (raw_residues != NULL, NULL);

  self = g_object_new (PLM_TYPE_SEQUENCE, NULL);
  self->header = g_utf8_make_valid (header, -1);
  g_strstrip (self->header);
  space = strpbrk (self->header, " \t");
  self->id = space ? g_strndup (self->header, space - self->header) : g_strdup (self->header);
  self->description = g_strdup (space ? space + 1 : "");
  g_strstrip (self->description);
  if (self->id[0] == '\0')
    {
      g_free (self->id);
      self->id = g_strdup (_("Unnamed sequence"));
    }
  self->source = g_strdup (source);
  self->line = line;
  plm_sequence_normalise (self, raw_residues);

  return self;
}

static void
plm_sequence_finalize (GObject *object)
{
  PlmSequence *self = (PlmSequence *) object;

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->header, g_free);
  g_clear_pointer (&self->description, g_free);
  g_clear_pointer (&self->residues, g_free);
  g_clear_pointer (&self->source, g_free);
  g_clear_pointer (&self->note, g_free);
  g_clear_pointer (&self->invalid, g_array_unref);

  G_OBJECT_CLASS (plm_sequence_parent_class)->finalize (object);
}

static void
plm_sequence_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  PlmSequence *self = PLM_SEQUENCE (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, plm_sequence_get_id (self));
      break;
    case PROP_HEADER:
      g_value_set_string (value, plm_sequence_get_header (self));
      break;
    case PROP_LENGTH:
      g_value_set_int (value, plm_sequence_get_length (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
plm_sequence_class_init (PlmSequenceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = plm_sequence_finalize;
  object_class->get_property = plm_sequence_get_property;

  properties[PROP_ID] = g_param_spec_string ("id", NULL, NULL, NULL,
                                             G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_HEADER] = g_param_spec_string ("header", NULL, NULL, NULL,
                                                 G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_LENGTH] = g_param_spec_int ("length", NULL, NULL, 0, G_MAXINT, 0,
                                              G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
plm_sequence_init (PlmSequence *self)
{
  self->invalid = g_array_new (FALSE, FALSE, sizeof (int));
}

const char *
plm_sequence_get_id (PlmSequence *self)
{
  g_return_val_if_fail (PLM_IS_SEQUENCE (self), NULL);
  return self->id;
}

const char *
plm_sequence_get_header (PlmSequence *self)
{
  g_return_val_if_fail (PLM_IS_SEQUENCE (self), NULL);
  return self->header;
}

const char *
plm_sequence_get_description (PlmSequence *self)
{
  g_return_val_if_fail (PLM_IS_SEQUENCE (self), NULL);
  return self->description;
}

const char *
plm_sequence_get_residues (PlmSequence *self)
{
  g_return_val_if_fail (PLM_IS_SEQUENCE (self), NULL);
  return self->residues;
}

int
plm_sequence_get_length (PlmSequence *self)
{
  g_return_val_if_fail (PLM_IS_SEQUENCE (self), 0);
  return self->length;
}

const char *
plm_sequence_get_source (PlmSequence *self)
{
  g_return_val_if_fail (PLM_IS_SEQUENCE (self), NULL);
  return self->source;
}

int
plm_sequence_get_line (PlmSequence *self)
{
  g_return_val_if_fail (PLM_IS_SEQUENCE (self), 0);
  return self->line;
}

const char *
plm_sequence_get_note (PlmSequence *self)
{
  g_return_val_if_fail (PLM_IS_SEQUENCE (self), NULL);
  return self->note;
}

const int *
plm_sequence_get_invalid (PlmSequence *self,
                          guint       *n_invalid)
{
  g_return_val_if_fail (PLM_IS_SEQUENCE (self), NULL);
  if (n_invalid)
    *n_invalid = self->invalid->len;
  return (const int *) (gpointer) self->invalid->data;
}

gboolean
plm_sequence_is_valid (PlmSequence *self)
{
  g_return_val_if_fail (PLM_IS_SEQUENCE (self), FALSE);
  return self->invalid->len == 0 && self->length > 0;
}

gboolean
plm_sequence_is_too_long (PlmSequence *self)
{
  g_return_val_if_fail (PLM_IS_SEQUENCE (self), FALSE);
  return self->length > PLM_SEQUENCE_TRAINED_MAX;
}

char *
plm_sequence_dup_markup (PlmSequence *self,
                         guint        max_chars)
{
  GString *str = g_string_new (NULL);
  guint next = 0;
  gsize n = strlen (self->residues);

  for (gsize i = 0; i < n && i < max_chars; i++)
    {
      char c = self->residues[i];
      char buf[2] = { c, 0 };
      g_autofree char *escaped = g_markup_escape_text (buf, 1);

      while (next < self->invalid->len && (gsize) g_array_index (self->invalid, int, next) < i)
        next++;
      if (next < self->invalid->len && (gsize) g_array_index (self->invalid, int, next) == i)
        g_string_append_printf (str, "<span background=\"#e01b24\" foreground=\"white\" weight=\"bold\">%s</span>",
                                escaped);
      else
        g_string_append (str, escaped);
    }
  if (n > max_chars)
    g_string_append (str, "…");

  return g_string_free (str, FALSE);
}

static gboolean
text_is_binary (const char *text,
                gsize       length)
{
  return memchr (text, '\0', length) != NULL;
}

/* A header as an error message quotes it: after the reason, and cut after 40 characters, so
 * that a UniProt header does not push the reason out of a one-line toast. */
static char *
short_header (const char *header)
{
  if (g_utf8_strlen (header, -1) <= 40)
    return g_strdup (header);
  {
    g_autofree char *start = g_utf8_substring (header, 0, 40);
    return g_strconcat (start, "…", NULL);
  }
}

GListStore *
plm_sequence_parse (const char  *text,
                    gssize       length,
                    const char  *source,
                    GError     **error)
{
  g_autoptr(GListStore) store = g_list_store_new (PLM_TYPE_SEQUENCE);
  g_autoptr(GString) residues = g_string_new (NULL);
  g_autofree char *header = NULL;
  const char *p, *end;
  int line = 0, header_line = 0;
  guint n_records = 0;

  g_return_val_if_fail (text != NULL, NULL);

  if (length < 0)
    length = strlen (text);
  if (text_is_binary (text, length))
    {
      g_set_error (error, PLM_ERROR, PLM_ERROR_FORMAT,
                   _("%s: this is a binary file, not FASTA text"), source);
      return NULL;
    }
  if (!g_utf8_validate (text, length, NULL))
    {
      g_set_error (error, PLM_ERROR, PLM_ERROR_FORMAT,
                   _("%s: the text is not valid UTF-8"), source);
      return NULL;
    }

  p = text;
  end = text + length;
  while (p < end)
    {
      const char *eol = memchr (p, '\n', end - p);
      gsize len = (eol ? eol : end) - p;
      g_autofree char *l = g_strndup (p, len);

      line++;
      p = eol ? eol + 1 : end;
      g_strchomp (l);

      if (l[0] == '>')
        {
          if (header != NULL)
            {
              if (residues->len == 0 || strspn (residues->str, " \t\r\n0123456789") == residues->len)
                {
                  g_autofree char *shown = short_header (header);

                  g_set_error (error, PLM_ERROR, PLM_ERROR_FORMAT,
                               _("%s:%d: no residues in the record “%s”"), source, header_line, shown);
                  return NULL;
                }
              PlmSequence *seq = plm_sequence_new (header, residues->str, source, header_line);

              g_list_store_append (store, seq);
              g_object_unref (seq);
              n_records++;
            }
          if (n_records >= MAX_RECORDS)
            {
              g_set_error (error, PLM_ERROR, PLM_ERROR_RESOURCES,
                           _("%s:%d: more than %d records"), source, line, MAX_RECORDS);
              return NULL;
            }
          g_free (header);
          header = g_strdup (l + 1);
          header_line = line;
          g_string_truncate (residues, 0);
        }
      else if (l[0] == ';' && header == NULL)
        {
          /* Old-style FASTA comment before the first record. */
        }
      else
        {
          if (header == NULL && residues->len == 0 && l[0] != '\0')
            header_line = line;
          g_string_append (residues, l);
        }
    }

  if (header == NULL)
    {
      /* One bare sequence, as pasted from a web page. */
      if (strspn (residues->str, " \t\r\n") == residues->len)
        {
          g_set_error (error, PLM_ERROR, PLM_ERROR_INPUT,
                       _("%s: no sequence found"), source);
          return NULL;
        }
      header = g_strdup (_("Pasted sequence"));
    }
  else if (residues->len == 0 || strspn (residues->str, " \t\r\n0123456789") == residues->len)
    {
      g_autofree char *shown = short_header (header);

      g_set_error (error, PLM_ERROR, PLM_ERROR_FORMAT,
                   _("%s:%d: no residues in the record “%s”"), source, header_line, shown);
      return NULL;
    }

  {
    g_autoptr(PlmSequence) last = plm_sequence_new (header, residues->str, source, header_line);
    g_list_store_append (store, last);
  }

  return g_steal_pointer (&store);
}
