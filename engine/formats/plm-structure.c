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
  if (structure->chains)
    g_ptr_array_unref (structure->chains);
  g_free (structure);
}

double
plm_structure_distance (const float *a,
                        const float *b)
{
  double dx = (double) a[0] - b[0], dy = (double) a[1] - b[1], dz = (double) a[2] - b[2];
  return sqrt (dx * dx + dy * dy + dz * dz);
}

/* Residue names → the one-letter code of their parent amino acid, sorted by name for bsearch.
 * The modified residues are the common ones of the PDB's chemical component dictionary
 * (mon_nstd_parent_comp_id). PCA (pyroglutamic acid) → Q: it mostly forms from an N-terminal
 * Gln, which is what the UniProt sequence shows. */
typedef struct {
  char name[4];
  char letter;
} ParentEntry;

static const ParentEntry parents[] = {
  { "2MR", 'R' }, { "AAR", 'R' }, { "ABA", 'A' }, { "AGM", 'R' }, { "AIB", 'A' }, { "ALA", 'A' },
  { "ALY", 'K' }, { "ARG", 'R' }, { "ASN", 'N' }, { "ASP", 'D' }, { "ASX", 'B' }, { "BMT", 'T' },
  { "CAF", 'C' }, { "CAS", 'C' }, { "CCS", 'C' }, { "CGU", 'E' }, { "CME", 'C' }, { "CMT", 'C' },
  { "CSD", 'C' }, { "CSO", 'C' }, { "CSS", 'C' }, { "CSX", 'C' }, { "CXM", 'M' }, { "CYS", 'C' },
  { "DAH", 'F' }, { "DAL", 'A' }, { "DAR", 'R' }, { "DAS", 'D' }, { "DCY", 'C' }, { "DGL", 'E' },
  { "DGN", 'Q' }, { "DHI", 'H' }, { "DIL", 'I' }, { "DLE", 'L' }, { "DLY", 'K' }, { "DPN", 'F' },
  { "DPR", 'P' }, { "DSG", 'N' }, { "DSN", 'S' }, { "DTH", 'T' }, { "DTR", 'W' }, { "DTY", 'Y' },
  { "DVA", 'V' }, { "FME", 'M' }, { "GLN", 'Q' }, { "GLU", 'E' }, { "GLX", 'Z' }, { "GLY", 'G' },
  { "HIC", 'H' }, { "HIP", 'H' }, { "HIS", 'H' }, { "HYP", 'P' }, { "ILE", 'I' }, { "IYR", 'Y' },
  { "KCX", 'K' }, { "LEU", 'L' }, { "LLP", 'K' }, { "LYS", 'K' }, { "M3L", 'K' }, { "MED", 'M' },
  { "MET", 'M' }, { "MHO", 'M' }, { "MLE", 'L' }, { "MLY", 'K' }, { "MLZ", 'K' }, { "MSE", 'M' },
  { "MVA", 'V' }, { "NEP", 'H' }, { "NLE", 'L' }, { "NMM", 'R' }, { "OCS", 'C' }, { "OMT", 'M' },
  { "PCA", 'Q' }, { "PHD", 'D' }, { "PHE", 'F' }, { "PRO", 'P' }, { "PTR", 'Y' }, { "PYL", 'O' },
  { "SAC", 'S' }, { "SAR", 'G' }, { "SCH", 'C' }, { "SCY", 'C' }, { "SEC", 'U' }, { "SEP", 'S' },
  { "SER", 'S' }, { "SMC", 'C' }, { "SNN", 'N' }, { "THR", 'T' }, { "TPO", 'T' }, { "TPQ", 'Y' },
  { "TRP", 'W' }, { "TRQ", 'W' }, { "TYI", 'Y' }, { "TYR", 'Y' }, { "TYS", 'Y' }, { "UNK", 'X' },
  { "VAL", 'V' },
};

static int
compare_parent (const void *key,
                const void *entry)
{
  return strcmp (key, ((const ParentEntry *) entry)->name);
}

char
plm_structure_parent_letter (const char *name)
{
  const ParentEntry *hit;

  if (name == NULL || strlen (name) != 3)
    return '\0';
  hit = bsearch (name, parents, G_N_ELEMENTS (parents), sizeof parents[0], compare_parent);
  return hit ? hit->letter : '\0';
}

/* The twenty residues an ATOM-only reader would see; HETATM records of these are free amino
 * acids (ligands), never polymer residues. */
static gboolean
is_standard (const char *name)
{
  static const char *const standard[] = { "ALA", "ARG", "ASN", "ASP", "CYS", "GLN", "GLU", "GLY", "HIS", "ILE",
                                          "LEU", "LYS", "MET", "PHE", "PRO", "SER", "THR", "TRP", "TYR", "VAL" };
  for (guint i = 0; i < G_N_ELEMENTS (standard); i++)
    if (strcmp (name, standard[i]) == 0)
      return TRUE;
  return FALSE;
}

/* HETATM residues kept: modified amino acids (in the table, not one of the twenty). */
static gboolean
is_modified (const char *name)
{
  return plm_structure_parent_letter (name) != '\0' && !is_standard (name);
}

/* One atom record, as read from either format. */
typedef struct {
  const char *chain;
  const char *label_chain;
  int         number;
  int         label_number;
  char        icode;
  const char *resname;
  const char *atom;
  float       occupancy;
  float       xyz[3];
} Atom;

typedef struct {
  GArray     *residues;
  GPtrArray  *chains;
  GHashTable *index;    /* "chain\x1fnumber\x1ficode" → residue index + 1 */
  GHashTable *chain_set;
} Reader;

static void
note_chain (Reader     *rd,
            const char *chain)
{
  if (!g_hash_table_contains (rd->chain_set, chain))
    {
      char *c = g_strdup (chain);
      g_hash_table_add (rd->chain_set, c);
      g_ptr_array_add (rd->chains, g_strdup (chain));
    }
}

/* Adds a Cα or Cβ to its residue (created on first sight): per atom the alternate location with
 * the highest occupancy, the first on ties. The residue's name follows its Cα. */
static void
add_atom (Reader     *rd,
          const Atom *a)
{
  g_autofree char *key = NULL;
  PlmResidue *r;
  gpointer slot;
  gboolean is_ca = strcmp (a->atom, "CA") == 0, is_cb = strcmp (a->atom, "CB") == 0;

  if (!is_ca && !is_cb)
    return;
  key = g_strdup_printf ("%s\x1f%d\x1f%c", a->chain, a->number, a->icode);
  slot = g_hash_table_lookup (rd->index, key);
  if (slot == NULL)
    {
      PlmResidue n = { 0 };
      g_strlcpy (n.chain, a->chain, sizeof n.chain);
      g_strlcpy (n.name, a->resname, sizeof n.name);
      g_strlcpy (n.label_chain, a->label_chain, sizeof n.label_chain);
      n.number = a->number;
      n.label_number = a->label_number;
      n.icode = a->icode;
      g_array_append_val (rd->residues, n);
      g_hash_table_insert (rd->index, g_steal_pointer (&key), GUINT_TO_POINTER (rd->residues->len));
      r = &g_array_index (rd->residues, PlmResidue, rd->residues->len - 1);
    }
  else
    r = &g_array_index (rd->residues, PlmResidue, GPOINTER_TO_UINT (slot) - 1);

  if (is_ca && (!r->has_ca || a->occupancy > r->ca_occupancy))
    {
      memcpy (r->ca, a->xyz, sizeof r->ca);
      r->ca_occupancy = a->occupancy;
      r->has_ca = TRUE;
      g_strlcpy (r->name, a->resname, sizeof r->name);
    }
  else if (is_cb && (!r->has_cb || a->occupancy > r->cb_occupancy))
    {
      memcpy (r->cb, a->xyz, sizeof r->cb);
      r->cb_occupancy = a->occupancy;
      r->has_cb = TRUE;
    }
}

/* Sets the one-letter codes (unknown names of ATOM records → X), drops residues without a Cα;
 * Gly's Cβ is its Cα, a missing Cβ → Cα. */
static void
finish_residues (GArray *residues)
{
  guint n = 0;

  for (guint i = 0; i < residues->len; i++)
    {
      PlmResidue r = g_array_index (residues, PlmResidue, i);
      if (!r.has_ca)
        continue;
      r.letter = plm_structure_parent_letter (r.name);
      if (r.letter == '\0')
        r.letter = 'X';
      if (r.letter == 'G')
        {
          memcpy (r.cb, r.ca, sizeof r.cb);
          r.cb_occupancy = r.ca_occupancy;
          r.has_cb = TRUE;
        }
      else if (!r.has_cb)
        memcpy (r.cb, r.ca, sizeof r.cb);   /* has_cb stays FALSE */
      g_array_index (residues, PlmResidue, n++) = r;
    }
  g_array_set_size (residues, n);
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

/* Occupancy: blank or absent → 1. */
static gboolean
parse_occupancy (const char *s,
                 float      *out)
{
  const char *p = s;

  while (*p == ' ')
    p++;
  if (*p == '\0' || strcmp (p, "?") == 0 || strcmp (p, ".") == 0)
    {
      *out = 1.0f;
      return TRUE;
    }
  return parse_float_field (s, out);
}

static gboolean
parse_pdb (char       **lines,
           const char  *source_name,
           Reader      *rd,
           GError     **error)
{
  g_autoptr(GHashTable) ended = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  char last_chain[4] = "";

  for (int i = 0; lines[i]; i++)
    {
      const char *line = lines[i];
      gsize len = strlen (line);
      char name[8], resname[8], chain[4], num[8], icode[4], x[16], y[16], z[16], occ[8];
      Atom a = { 0 };
      gboolean het;

      if (g_str_has_prefix (line, "ENDMDL"))
        break;   /* first model only */
      if (g_str_has_prefix (line, "TER"))
        {
          /* HETATM records of a chain after its TER are ligands, not polymer residues; the chain
           * is the one TER names and the one of the atom before it (TER's fields are optional) */
          column (line, len, 21, 22, chain);
          strip (chain);
          if (len > 21)
            g_hash_table_add (ended, g_strdup (chain));
          g_hash_table_add (ended, g_strdup (last_chain));
          continue;
        }
      het = g_str_has_prefix (line, "HETATM");
      if (!het && !g_str_has_prefix (line, "ATOM  "))
        continue;
      column (line, len, 17, 20, resname);
      strip (resname);
      column (line, len, 21, 22, chain);
      strip (chain);
      note_chain (rd, chain);
      if (het && (!is_modified (resname) || g_hash_table_contains (ended, chain)))
        continue;
      if (len < 54)
        {
          g_set_error (error, PLM_ERROR, PLM_ERROR_FORMAT, "%s:%d: atom record shorter than 54 columns",
                       source_name, i + 1);
          return FALSE;
        }
      column (line, len, 12, 16, name);
      strip (name);
      column (line, len, 22, 26, num);
      column (line, len, 26, 27, icode);
      column (line, len, 30, 38, x);
      column (line, len, 38, 46, y);
      column (line, len, 46, 54, z);
      column (line, len, 54, 60, occ);
      if (!parse_int_field (num, &a.number))
        {
          g_set_error (error, PLM_ERROR, PLM_ERROR_FORMAT, "%s:%d: residue number '%s' is not an integer",
                       source_name, i + 1, num);
          return FALSE;
        }
      if (!parse_float_field (x, &a.xyz[0]) || !parse_float_field (y, &a.xyz[1]) || !parse_float_field (z, &a.xyz[2]))
        {
          g_set_error (error, PLM_ERROR, PLM_ERROR_FORMAT, "%s:%d: unparsable coordinates", source_name, i + 1);
          return FALSE;
        }
      if (!parse_occupancy (occ, &a.occupancy))
        {
          g_set_error (error, PLM_ERROR, PLM_ERROR_FORMAT, "%s:%d: unparsable occupancy '%s'", source_name, i + 1, occ);
          return FALSE;
        }
      g_strlcpy (last_chain, chain, sizeof last_chain);
      a.chain = chain;
      a.label_chain = "";
      a.icode = icode[0] && icode[0] != ' ' ? icode[0] : ' ';
      a.resname = resname;
      a.atom = name;
      add_atom (rd, &a);
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
           Reader      *rd,
           GError     **error)
{
  for (int i = 0; lines[i]; i++)
    {
      g_autoptr(GPtrArray) cols = NULL;
      int c_group = -1, c_atom = -1, c_aatom = -1, c_comp = -1, c_acomp = -1, c_chain = -1, c_lchain = -1;
      int c_seq = -1, c_lseq = -1, c_ins = -1, c_x = -1, c_y = -1, c_z = -1, c_model = -1, c_occ = -1;
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
          else if (strcmp (name, "auth_atom_id") == 0) c_aatom = k;
          else if (strcmp (name, "label_comp_id") == 0) c_comp = k;
          else if (strcmp (name, "auth_comp_id") == 0) c_acomp = k;
          else if (strcmp (name, "auth_asym_id") == 0) c_chain = k;
          else if (strcmp (name, "label_asym_id") == 0) c_lchain = k;
          else if (strcmp (name, "auth_seq_id") == 0) c_seq = k;
          else if (strcmp (name, "label_seq_id") == 0) c_lseq = k;
          else if (strcmp (name, "pdbx_PDB_ins_code") == 0) c_ins = k;
          else if (strcmp (name, "Cartn_x") == 0) c_x = k;
          else if (strcmp (name, "Cartn_y") == 0) c_y = k;
          else if (strcmp (name, "Cartn_z") == 0) c_z = k;
          else if (strcmp (name, "occupancy") == 0) c_occ = k;
          else if (strcmp (name, "pdbx_PDB_model_num") == 0) c_model = k;
          g_ptr_array_add (cols, g_strdup (name));
        }
      if (c_atom < 0) c_atom = c_aatom;
      if (c_comp < 0) c_comp = c_acomp;
      if (c_chain < 0) c_chain = c_lchain;
      if (c_seq < 0) c_seq = c_lseq;
      if (c_atom < 0 || c_comp < 0 || c_chain < 0 || c_seq < 0 || c_x < 0 || c_y < 0 || c_z < 0)
        {
          g_set_error (error, PLM_ERROR, PLM_ERROR_FORMAT,
                       "%s:%d: _atom_site loop lacks atom, residue, chain, number or coordinate columns",
                       source_name, i + 1);
          return FALSE;
        }
      for (; lines[j]; j++)
        {
          g_autoptr(GPtrArray) t = NULL;
          Atom a = { 0 };
          int model;
          const char *group, *lseq, *chain;

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
          a.resname = t->pdata[c_comp];
          chain = t->pdata[c_chain];
          a.chain = strcmp (chain, ".") == 0 || strcmp (chain, "?") == 0 ? "" : chain;
          note_chain (rd, a.chain);
          /* polymer residues: with a label_seq_id ('.' = ligands, waters, ions), else ATOM records
           * and HETATM records of modified amino acids */
          lseq = c_lseq >= 0 ? t->pdata[c_lseq] : NULL;
          if (strcmp (group, "ATOM") != 0 && strcmp (group, "HETATM") != 0)
            continue;
          if (lseq != NULL ? strcmp (lseq, ".") == 0
                           : strcmp (group, "HETATM") == 0 && !is_modified (a.resname))
            continue;
          if (!parse_int_field (t->pdata[c_seq], &a.number))
            {
              g_set_error (error, PLM_ERROR, PLM_ERROR_FORMAT, "%s:%d: residue number '%.20s' is not an integer",
                           source_name, j + 1, (char *) t->pdata[c_seq]);
              return FALSE;
            }
          if (lseq != NULL && strcmp (lseq, ".") != 0 && strcmp (lseq, "?") != 0 &&
              !parse_int_field (lseq, &a.label_number))
            {
              g_set_error (error, PLM_ERROR, PLM_ERROR_FORMAT, "%s:%d: label_seq_id '%.20s' is not an integer",
                           source_name, j + 1, lseq);
              return FALSE;
            }
          if (!parse_float_field (t->pdata[c_x], &a.xyz[0]) || !parse_float_field (t->pdata[c_y], &a.xyz[1]) ||
              !parse_float_field (t->pdata[c_z], &a.xyz[2]))
            {
              g_set_error (error, PLM_ERROR, PLM_ERROR_FORMAT, "%s:%d: unparsable coordinates", source_name, j + 1);
              return FALSE;
            }
          if (!parse_occupancy (c_occ >= 0 ? t->pdata[c_occ] : "", &a.occupancy))
            {
              g_set_error (error, PLM_ERROR, PLM_ERROR_FORMAT, "%s:%d: unparsable occupancy '%.20s'",
                           source_name, j + 1, (char *) t->pdata[c_occ]);
              return FALSE;
            }
          {
            const char *ins = c_ins >= 0 ? t->pdata[c_ins] : "?";
            const char *lchain = c_lchain >= 0 ? t->pdata[c_lchain] : "";
            a.icode = (ins[0] == '?' || ins[0] == '.' || ins[0] == '\0') ? ' ' : ins[0];
            a.label_chain = strcmp (lchain, ".") == 0 || strcmp (lchain, "?") == 0 ? "" : lchain;
            a.atom = t->pdata[c_atom];
            add_atom (rd, &a);
          }
        }
      return TRUE;   /* the first _atom_site loop */
    }
  return TRUE;
}

/* g_strsplit (text, "\n", -1) in linear time: GLib's runs strstr over the rest of the text for
 * every line, which sanitizer builds make quadratic (4UV3, 2.9 MB, took a minute under ASan). */
static char **
split_lines (const char *text,
             gsize       length)
{
  GPtrArray *lines = g_ptr_array_new ();
  const char *p = text, *end = text + length;

  for (;;)
    {
      const char *nl = memchr (p, '\n', (gsize) (end - p));

      if (nl == NULL)
        {
          g_ptr_array_add (lines, g_strndup (p, (gsize) (end - p)));
          break;
        }
      g_ptr_array_add (lines, g_strndup (p, (gsize) (nl - p)));
      p = nl + 1;
    }
  g_ptr_array_add (lines, NULL);
  return (char **) g_ptr_array_free (lines, FALSE);
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
  lines = split_lines (text, length);
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
  s->chains = g_ptr_array_new_with_free_func (g_free);
  {
    Reader rd = { s->residues, s->chains,
                  g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL),
                  g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL) };
    gboolean ok = (cif ? parse_cif : parse_pdb) (lines, source_name, &rd, error);
    g_hash_table_unref (rd.index);
    g_hash_table_unref (rd.chain_set);
    if (!ok)
      return NULL;
  }
  finish_residues (s->residues);
  if (s->residues->len == 0)
    {
      g_set_error (error, PLM_ERROR, PLM_ERROR_FORMAT, "%s: no protein atoms found (%s)", source_name,
                   cif ? "mmCIF" : "PDB");
      return NULL;
    }
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
        return r;
    }
  return NULL;
}
