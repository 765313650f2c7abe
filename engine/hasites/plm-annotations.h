/* plm-annotations.h: residue features (active sites, binding sites, domains) from TSV or GFF3. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  PLM_FEATURE_ACTIVE_SITE,
  PLM_FEATURE_BINDING_SITE,
  PLM_FEATURE_DOMAIN,
  PLM_N_FEATURE_KINDS
} PlmFeatureKind;

typedef struct {
  PlmFeatureKind kind;
  int            start;   /* 1-based, inclusive */
  int            end;     /* 1-based, inclusive, ≥ start */
  char          *label;   /* GFF Note/Name, or NULL */
} PlmFeature;

/*
 * Two formats, told apart by the first line:
 *   - "##gff-version 3": GFF3 as UniProt writes it (seqid, source, type, start, end, …, attributes).
 *     Types "Active site", "Binding site" and "Domain" (and the SO names active_site,
 *     binding_site, protein_domain / domain) are kept, all others skipped.
 *   - anything else: the active-site TSV of plm-hadata.h (accession<TAB>1-based positions).
 * @protein_id selects the entries of one protein (GFF seqid, TSV accession; a UniProt FASTA id
 * such as "sp|P69905|HBA_HUMAN" is reduced to its accession). With NULL, or when the file holds
 * a single protein, all entries are used. Errors (PLM_ERROR_FORMAT / PLM_ERROR_INPUT) name
 * file:line: wrong column count, a non-integer or non-positive position, end < start, or no
 * entry for @protein_id in a file of several proteins.
 * Returns a GPtrArray of PlmFeature (free with g_ptr_array_unref), sorted by start. */
GPtrArray  *plm_features_read     (const char        *path,
                                   const char        *protein_id,
                                   GError           **error);
GPtrArray  *plm_features_parse    (const char        *text,
                                   gsize              length,
                                   const char        *source_name,
                                   const char        *protein_id,
                                   GError           **error);
/* Sequence distance in residues from 0-based @residue to the nearest feature of @kind (0 inside
 * one); -1 when there is none. */
int         plm_features_distance (GPtrArray         *features,
                                   PlmFeatureKind     kind,
                                   int                residue);
const char *plm_feature_kind_name (PlmFeatureKind     kind);

G_END_DECLS
