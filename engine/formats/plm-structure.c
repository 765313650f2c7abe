/* plm-structure.c: a small, defensive PDB and mmCIF reader for Cα/Cβ coordinates. */
#include "plm-structure.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gio/gio.h>

#include "plm-error.h"

#define MAX_STRUCTURE_BYTES ((gsize) 1 << 30)

void
plm_structure_free (PlmStructure *structure)
{
  if (structure == NULL)
    return;
  g_free (structure->path);
  if (structure->residues)
    g_array_unref (structure->residues);
  g_free (structure);
}

double
plm_structure_distance (const float *a,
                        const float *b)
{
  double dx = (double) a[0] - b[0], dy = (double) a[1] - b[1], dz = (double) a[2] - b[2];
  return sqrt (dx * dx + dy * dy + dz * dz);
}

/* Adds an atom to the residue list; residues are contiguous in both formats, so only the last
 * residue needs to be compared. */
static void
add_atom (GArray     *residues,
          const char *chain,
          int         number,
          char        icode,
          const char *resname,
          const char *atom,
          const float xyz[3])
{
  PlmResidue *r = residues->len ? &g_array_index (residues, PlmResidue, residues->len - 1) : NULL;
  gboolean is_gly;

  if (r == NULL || r->number != number || r->icode != icode || strcmp (r->chain, chain) != 0)
    {
      PlmResidue n = { 0 };
      g_strlcpy (n.chain, chain, sizeof n.chain);
      g_strlcpy (n.name, resname, sizeof n.name);
      n.number = number;
      n.icode = icode;
      g_array_append_val (residues, n);
      r = &g_array_index (residues, PlmResidue, residues->len - 1);
    }
  is_gly = strcmp (r->name, "GLY") == 0;
  if (strcmp (atom, "CA") == 0 && !r->has_ca)
    {
      memcpy (r->ca, xyz, sizeof r->ca);
      r->has_ca = TRUE;
      if (is_gly)
        {
          memcpy (r->cb, xyz, sizeof r->cb);
          r->has_cb = TRUE;
        }
    }
  else if (strcmp (atom, "CB") == 0 && !r->has_cb)
    {
      memcpy (r->cb, xyz, sizeof r->cb);
      r->has_cb = TRUE;
    }
}

static void
finish_residues (GArray *residues)
{
  for (guint i = 0; i < residues->len; i++)
    {
      PlmResidue *r = &g_array_index (residues, PlmResidue, i);
      if (!r->has_cb && r->has_ca)
        memcpy (r->cb, r->ca, sizeof r->cb);   /* has_cb stays FALSE */
    }
}

static gboolean
parse_float_field (const char *s,
                   float      *out)
{
  char *end;
  double v;

  while (*s == ' ')
    s++;
  if (*s == '\0')
    return FALSE;
  errno = 0;
  v = g_ascii_strtod (s, &end);
  while (*end == ' ')
    end++;
  if (*end != '\0' || errno != 0 || !isfinite (v) || fabs (v) > 1e7)
    return FALSE;
  *out = (float) v;
  return TRUE;
}

static gboolean
parse_int_field (const char *s,
                 int        *out)
{
  char *end;
  long v;

  while (*s == ' ')
    s++;
  if (*s == '\0')
    return FALSE;
  errno = 0;
  v = strtol (s, &end, 10);
  while (*end == ' ')
    end++;
  if (*end != '\0' || errno != 0 || v < -1000000 || v > 100000000)
    return FALSE;
  *out = (int) v;
  return TRUE;
}

/* Copies columns [from, to) (0-based) of @line, or "" when the line is shorter. */
static void
column (const char *line,
        gsize       len,
        gsize       from,
        gsize       to,
        char       *out)
{
  gsize n = 0;

  for (gsize i = from; i < to && i < len; i++)
    out[n++] = line[i];
  out[n] = '\0';
}

static void
strip (char *s)
{
  g_strstrip (s);
}

static gboolean
parse_pdb (char       **lines,
           const char  *source_name,
           GArray      *residues,
           GError     **error)
{
  for (int i = 0; lines[i]; i++)
    {
      const char *line = lines[i];
      gsize len = strlen (line);
      char name[8], alt[4], resname[8], chain[4], num[8], icode[4], x[16], y[16], z[16];
      float xyz[3];
      int number;

      if (g_str_has_prefix (line, "ENDMDL"))
        break;   /* first model only */
      if (!g_str_has_prefix (line, "ATOM  ") && !g_str_has_prefix (line, "HETATM"))
        continue;
      column (line, len, 17, 20, resname);
      strip (resname);
      if (line[0] == 'H' && strcmp (resname, "MSE") != 0)
        continue;
      if (len < 54)
        {
          g_set_error (error, PLM_ERROR, PLM_ERROR_FORMAT, "%s:%d: atom record shorter than 54 columns",
                       source_name, i + 1);
          return FALSE;
        }
      column (line, len, 12, 16, name);
      strip (name);
      column (line, len, 16, 17, alt);
      column (line, len, 21, 22, chain);
      strip (chain);
      column (line, len, 22, 26, num);
      column (line, len, 26, 27, icode);
      column (line, len, 30, 38, x);
      column (line, len, 38, 46, y);
      column (line, len, 46, 54, z);
      if (!parse_int_field (num, &number))
        {
          g_set_error (error, PLM_ERROR, PLM_ERROR_FORMAT, "%s:%d: residue number '%s' is not an integer",
                       source_name, i + 1, num);
          return FALSE;
        }
      if (!parse_float_field (x, &xyz[0]) || !parse_float_field (y, &xyz[1]) || !parse_float_field (z, &xyz[2]))
        {
          g_set_error (error, PLM_ERROR, PLM_ERROR_FORMAT, "%s:%d: unparsable coordinates", source_name, i + 1);
          return FALSE;
        }
      (void) alt;   /* first alternate location wins: add_atom keeps the first CA/CB */
      if (strcmp (resname, "MSE") == 0)
        g_strlcpy (resname, "MET", sizeof resname);
      add_atom (residues, chain, number, icode[0] ? icode[0] : ' ', resname, name, xyz);
    }
  return TRUE;
}

/* Splits one mmCIF data line into tokens (whitespace separated, '…' and "…" quoted). */
static GPtrArray *
cif_tokens (const char *line)
{
  GPtrArray *t = g_ptr_array_new_with_free_func (g_free);
  const char *p = line;

  while (*p)
    {
      while (*p == ' ' || *p == '\t')
        p++;
      if (*p == '\0' || *p == '#')
        break;
      if (*p == '\'' || *p == '"')
        {
          char q = *p++;
          const char *s = p;
          /* a quote closes only when followed by whitespace or the end */
          while (*p && !(*p == q && (p[1] == '\0' || p[1] == ' ' || p[1] == '\t')))
            p++;
          g_ptr_array_add (t, g_strndup (s, p - s));
          if (*p)
            p++;
        }
      else
        {
          const char *s = p;
          while (*p && *p != ' ' && *p != '\t')
            p++;
          g_ptr_array_add (t, g_strndup (s, p - s));
        }
    }
  return t;
}

static gboolean
parse_cif (char       **lines,
           const char  *source_name,
           GArray      *residues,
           GError     **error)
{
  for (int i = 0; lines[i]; i++)
    {
      g_autoptr(GPtrArray) cols = NULL;
      int c_group = -1, c_atom = -1, c_alt = -1, c_comp = -1, c_chain = -1, c_lchain = -1;
      int c_seq = -1, c_lseq = -1, c_ins = -1, c_x = -1, c_y = -1, c_z = -1, c_model = -1;
      int first_model = G_MININT;
      int j;

      if (strncmp (lines[i], "loop_", 5) != 0 || lines[i + 1] == NULL ||
          !g_str_has_prefix (lines[i + 1], "_atom_site."))
        continue;
      cols = g_ptr_array_new_with_free_func (g_free);
      for (j = i + 1; lines[j] && g_str_has_prefix (lines[j], "_atom_site."); j++)
        {
          g_autofree char *name = g_strstrip (g_strdup (lines[j] + strlen ("_atom_site.")));
          int k = cols->len;
          if (strcmp (name, "group_PDB") == 0) c_group = k;
          else if (strcmp (name, "label_atom_id") == 0) c_atom = k;
          else if (strcmp (name, "label_alt_id") == 0) c_alt = k;
          else if (strcmp (name, "label_comp_id") == 0) c_comp = k;
          else if (strcmp (name, "auth_asym_id") == 0) c_chain = k;
          else if (strcmp (name, "label_asym_id") == 0) c_lchain = k;
          else if (strcmp (name, "auth_seq_id") == 0) c_seq = k;
          else if (strcmp (name, "label_seq_id") == 0) c_lseq = k;
          else if (strcmp (name, "pdbx_PDB_ins_code") == 0) c_ins = k;
          else if (strcmp (name, "Cartn_x") == 0) c_x = k;
          else if (strcmp (name, "Cartn_y") == 0) c_y = k;
          else if (strcmp (name, "Cartn_z") == 0) c_z = k;
          else if (strcmp (name, "pdbx_PDB_model_num") == 0) c_model = k;
          g_ptr_array_add (cols, g_strdup (name));
        }
      if (c_chain < 0) c_chain = c_lchain;
      if (c_seq < 0) c_seq = c_lseq;
      if (c_atom < 0 || c_comp < 0 || c_chain < 0 || c_seq < 0 || c_x < 0 || c_y < 0 || c_z < 0)
        {
          g_set_error (error, PLM_ERROR, PLM_ERROR_FORMAT,
                       "%s:%d: _atom_site loop lacks atom, residue, chain, number or coordinate columns",
                       source_name, i + 1);
          return FALSE;
        }
      (void) c_alt;
      for (; lines[j]; j++)
        {
          g_autoptr(GPtrArray) t = NULL;
          float xyz[3];
          int number, model;
          const char *resname, *group;

          if (lines[j][0] == '#' || lines[j][0] == '_' || g_str_has_prefix (lines[j], "loop_") ||
              g_str_has_prefix (lines[j], "data_"))
            break;
          t = cif_tokens (lines[j]);
          if (t->len == 0)
            continue;
          if (t->len != cols->len)
            {
              g_set_error (error, PLM_ERROR, PLM_ERROR_FORMAT,
                           "%s:%d: _atom_site row has %u values, the loop declares %u",
                           source_name, j + 1, t->len, cols->len);
              return FALSE;
            }
          if (c_model >= 0)
            {
              if (!parse_int_field (t->pdata[c_model], &model))
                {
                  g_set_error (error, PLM_ERROR, PLM_ERROR_FORMAT, "%s:%d: bad model number", source_name, j + 1);
                  return FALSE;
                }
              if (first_model == G_MININT)
                first_model = model;
              else if (model != first_model)
                continue;
            }
          group = c_group >= 0 ? t->pdata[c_group] : "ATOM";
          resname = t->pdata[c_comp];
          if (strcmp (group, "ATOM") != 0 && !(strcmp (group, "HETATM") == 0 && strcmp (resname, "MSE") == 0))
            continue;
          if (!parse_int_field (t->pdata[c_seq], &number))
            {
              g_set_error (error, PLM_ERROR, PLM_ERROR_FORMAT, "%s:%d: residue number '%.20s' is not an integer",
                           source_name, j + 1, (char *) t->pdata[c_seq]);
              return FALSE;
            }
          if (!parse_float_field (t->pdata[c_x], &xyz[0]) || !parse_float_field (t->pdata[c_y], &xyz[1]) ||
              !parse_float_field (t->pdata[c_z], &xyz[2]))
            {
              g_set_error (error, PLM_ERROR, PLM_ERROR_FORMAT, "%s:%d: unparsable coordinates", source_name, j + 1);
              return FALSE;
            }
          {
            const char *ins = c_ins >= 0 ? t->pdata[c_ins] : "?";
            char icode = (ins[0] == '?' || ins[0] == '.' || ins[0] == '\0') ? ' ' : ins[0];
            const char *chain = t->pdata[c_chain];
            const char *atom = t->pdata[c_atom];
            add_atom (residues, strcmp (chain, ".") == 0 ? "" : chain, number, icode,
                      strcmp (resname, "MSE") == 0 ? "MET" : resname, atom, xyz);
          }
        }
      return TRUE;   /* the first _atom_site loop */
    }
  return TRUE;
}

PlmStructure *
plm_structure_parse (const char  *text,
                     gsize        length,
                     const char  *source_name,
                     GError     **error)
{
  g_autoptr(PlmStructure) s = NULL;
  g_auto(GStrv) lines = NULL;
  gboolean cif;

  if (length > MAX_STRUCTURE_BYTES)
    {
      g_set_error (error, PLM_ERROR, PLM_ERROR_RESOURCES, "%s: larger than 1 GiB", source_name);
      return NULL;
    }
  if (memchr (text, '\0', length) != NULL)
    {
      g_set_error (error, PLM_ERROR, PLM_ERROR_FORMAT, "%s: binary data (NUL byte), not a PDB or mmCIF file",
                   source_name);
      return NULL;
    }
  {
    g_autofree char *copy = g_strndup (text, length);
    lines = g_strsplit (copy, "\n", -1);
  }
  for (int i = 0; lines[i]; i++)
    {
      gsize n = strlen (lines[i]);
      if (n && lines[i][n - 1] == '\r')
        lines[i][n - 1] = '\0';
    }
  /* @text is length-bounded, not NUL-terminated: never strstr it (found by fuzz-structure) */
  cif = (length >= 5 && strncmp (text, "data_", 5) == 0)
        || g_strstr_len (text, (gssize) length, "\n_atom_site.") != NULL;
  s = g_new0 (PlmStructure, 1);
  s->path = g_strdup (source_name);
  s->residues = g_array_new (FALSE, FALSE, sizeof (PlmResidue));
  if (!(cif ? parse_cif : parse_pdb) (lines, source_name, s->residues, error))
    return NULL;
  if (s->residues->len == 0)
    {
      g_set_error (error, PLM_ERROR, PLM_ERROR_FORMAT, "%s: no protein atoms found (%s)", source_name,
                   cif ? "mmCIF" : "PDB");
      return NULL;
    }
  finish_residues (s->residues);
  return g_steal_pointer (&s);
}

PlmStructure *
plm_structure_read (const char  *path,
                    GError     **error)
{
  g_autoptr(GError) local = NULL;
  g_autofree char *text = NULL;
  gsize length = 0;

  if (g_str_has_suffix (path, ".gz"))
    {
      g_autoptr(GFile) file = g_file_new_for_path (path);
      g_autoptr(GInputStream) raw = (GInputStream *) g_file_read (file, NULL, &local);
      g_autoptr(GZlibDecompressor) dec = NULL;
      g_autoptr(GInputStream) in = NULL;
      g_autoptr(GOutputStream) out = NULL;

      if (raw == NULL)
        {
          g_set_error (error, PLM_ERROR, PLM_ERROR_IO, "%s: %s", path, local->message);
          return NULL;
        }
      dec = g_zlib_decompressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP);
      in = g_converter_input_stream_new (raw, G_CONVERTER (dec));
      out = g_memory_output_stream_new_resizable ();
      if (g_output_stream_splice (out, in, G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET, NULL, &local) < 0)
        {
          g_set_error (error, PLM_ERROR, PLM_ERROR_FORMAT, "%s: %s", path, local->message);
          return NULL;
        }
      length = g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (out));
      text = g_memory_output_stream_steal_data (G_MEMORY_OUTPUT_STREAM (out));
    }
  else if (!g_file_get_contents (path, &text, &length, &local))
    {
      g_set_error (error, PLM_ERROR, PLM_ERROR_IO, "%s: %s", path, local->message);
      return NULL;
    }
  return plm_structure_parse (text ? text : "", length, path, error);
}

const PlmResidue *
plm_structure_find (const PlmStructure *structure,
                    const char         *chain,
                    int                 number)
{
  const char *want = chain;

  if (structure->residues->len == 0)
    return NULL;
  if (want == NULL)
    want = g_array_index (structure->residues, PlmResidue, 0).chain;
  for (guint i = 0; i < structure->residues->len; i++)
    {
      const PlmResidue *r = &g_array_index (structure->residues, PlmResidue, i);
      if (r->number == number && r->icode == ' ' && strcmp (r->chain, want) == 0)
        return r->has_ca ? r : NULL;
    }
  return NULL;
}
