/* plm-fasta.h: a strict but forgiving FASTA reader. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  char *header;     /* the header line without '>' */
  char *id;         /* first word of the header */
  char *sequence;   /* residues, whitespace removed, as written (case kept) */
  int   line;       /* 1-based line of the header */
} PlmFastaRecord;

/* Parses @text (named @source_name in errors). Rejects text before the first header,
 * empty records, binary data and characters that cannot be residues, naming file:line. */
GPtrArray *plm_fasta_parse          (const char  *text,
                                     gsize        length,
                                     const char  *source_name,
                                     GError     **error);
GPtrArray *plm_fasta_read           (const char  *path,
                                     GError     **error);
void       plm_fasta_record_free    (PlmFastaRecord *record);
/* A file-system safe version of @id (for output directory names). */
char      *plm_fasta_safe_name      (const char  *id);

G_END_DECLS
