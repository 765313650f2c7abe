/* plm-hadata.h: readers for the HA-site tables: active sites, Pfam families, our HA TSV. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Active sites, format of the authors' prot_activeSite (converted to TSV):
 *   uniprot_acc<TAB>active_site_positions      (header line required)
 *   P00918<TAB>64,92                           (comma-separated, ≥ 1 position)
 * Positions are 1-based residue numbers (UniProt "Active site" features): checked on the 122
 * accessions that also occur in DeepLoc, where read 1-based they land on a catalytic residue
 * (D/H/C/S/E/K/Y/R) at 198 of 204 sites (97%), read 0-based at 57 (28%, background).
 * Returns accession → GArray of int (1-based, as written, sorted, duplicates removed).
 * Errors name file:line: missing header, wrong column count, empty accession, duplicate
 * accession, a position that is not an integer in 1..10^7. */
GHashTable *plm_active_sites_read   (const char  *path,
                                     GError     **error);
GHashTable *plm_active_sites_parse  (const char  *text,
                                     gsize        length,
                                     const char  *source_name,
                                     GError     **error);

typedef struct {
  char      *id;        /* Pfam accession, e.g. "PF00069" */
  GPtrArray *members;   /* char* UniProt accessions, file order */
} PlmFamily;

/* Families, format of family_prot.tsv: header `pfam<TAB>uniprot_accs`, members comma-separated.
 * With @clean, drops what the authors' ESM_partial_dist.py drops: empty / blank / "nan" keys and
 * families with fewer than 2 members. Returns a GPtrArray of PlmFamily*. */
GPtrArray  *plm_families_read       (const char  *path,
                                     gboolean     clean,
                                     GError     **error);
GPtrArray  *plm_families_parse      (const char  *text,
                                     gsize        length,
                                     const char  *source_name,
                                     gboolean     clean,
                                     GError     **error);
void        plm_family_free         (PlmFamily   *family);

/* One row of `plmlens-cli hasites` output:
 *   protein<TAB>length<TAB>layer<TAB>ha_sites<TAB>angle     (0-based layer and residue indices) */
typedef struct {
  char   *protein;
  int     length;
  int     layer;
  int     n_sites;
  int    *sites;       /* 0-based, descending attention */
  double  angle;
  int     line;
} PlmHaRow;

/* Returns a GPtrArray of PlmHaRow*. Rejects duplicates, sites outside 0..length−1, bad numbers. */
GPtrArray  *plm_ha_table_read       (const char  *path,
                                     GError     **error);
GPtrArray  *plm_ha_table_parse      (const char  *text,
                                     gsize        length,
                                     const char  *source_name,
                                     GError     **error);
void        plm_ha_row_free         (PlmHaRow    *row);

/* The protein identifier the HA tables use for a FASTA id: UniProt style `db|ACC|NAME` → ACC
 * (the authors' `id.split('|')[1]`), anything else unchanged. */
char       *plm_ha_protein_id       (const char  *fasta_id);

/* Strict decimal integer in [min, max] (no sign unless min < 0, no spaces, no overflow). */
gboolean    plm_parse_int           (const char  *text,
                                     gint64       min,
                                     gint64       max,
                                     gint64      *out);

G_END_DECLS
