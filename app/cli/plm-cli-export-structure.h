/* plm-cli-export-structure.h: `plmlens-cli export --view structure`: the figure of the 3D view. */
#pragma once

#include "plm-esm.h"
#include "plm-figure.h"
#include "plm-hasites.h"
#include "plm-nm-head.h"

typedef struct {
  const char *structure;     /* PDB/mmCIF */
  const char *chain;         /* mapped chain (NULL: the first) */
  const char *partner_chain; /* pair mode: chain B (NULL: the next chain with amino acids) */
  gboolean    force;
  int         coloring;      /* PlmStructureColoring */
  int         top_links;
  double      rotate[3];     /* degrees about x, y, z */
  const char *active_sites;  /* TSV (coloring active) */
  const char *negative_structure; /* pair mode with a negative partner: its PDB/mmCIF */
  const char *negative_chain;     /* and its chain (NULL: the first) */
} PlmCliStructure;

/* The Structure figure of the record @name (@letters [L]): its attention map @attention [T, T]
 * (coloring attention), HA result @ha (hasites), predicted contacts @contacts [L, L] (contacts). */
gboolean plm_cli_structure_figure      (PlmFigure             *figure,
                                        const PlmCliStructure *options,
                                        const char            *name,
                                        const char            *letters,
                                        int                    length,
                                        const char            *attention_label,
                                        const float           *attention,
                                        const PlmHaResult     *ha,
                                        const float           *contacts,
                                        GError               **error);
/* NM pair mode (NM-Transformer's Figure 4): @seq_a on the mapped chain, @seq_b on the partner
 * chain, each chain's @top residues by the head's cross-attention as red and blue spheres. With a
 * negative partner @seq_n (else NULL), a second panel to the right: chain A beside the negative
 * partner's chain of options->negative_structure, marked the same way. */
gboolean plm_cli_structure_pair_figure (PlmFigure             *figure,
                                        const PlmCliStructure *options,
                                        PlmEsmState           *state,
                                        PlmNmHead             *head,
                                        int                    max_len,
                                        const char            *name_a,
                                        const char            *seq_a,
                                        const char            *name_b,
                                        const char            *seq_b,
                                        const char            *name_n,
                                        const char            *seq_n,
                                        int                    top,
                                        GError               **error);
/* "X,Y,Z" degrees into @out. */
gboolean plm_cli_parse_rotation        (const char            *text,
                                        double                *out);
