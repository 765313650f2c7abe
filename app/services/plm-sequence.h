/* plm-sequence.h: one protein sequence as the user gave it, normalised for the model. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* ESM-2 was trained on crops of at most 1,022 residues (1,024 positions with <cls>/<eos>). */
#define PLM_SEQUENCE_TRAINED_MAX 1022

#define PLM_TYPE_SEQUENCE (plm_sequence_get_type ())
G_DECLARE_FINAL_TYPE (PlmSequence, plm_sequence, PLM, SEQUENCE, GObject)

PlmSequence  *plm_sequence_new              (const char   *header,
                                             const char   *raw_residues,
                                             const char   *source,
                                             int           line);
const char   *plm_sequence_get_id           (PlmSequence  *self);
const char   *plm_sequence_get_header       (PlmSequence  *self);
const char   *plm_sequence_get_description  (PlmSequence  *self);
/* The normalised residues the model sees (upper case, no whitespace or digits). */
const char   *plm_sequence_get_residues     (PlmSequence  *self);
int           plm_sequence_get_length       (PlmSequence  *self);
const char   *plm_sequence_get_source       (PlmSequence  *self);
int           plm_sequence_get_line         (PlmSequence  *self);
/* What normalisation changed, for the user ("Removed 12 digits; converted 30 lower-case
 * letters to upper case"), or NULL when the input was already clean. */
const char   *plm_sequence_get_note         (PlmSequence  *self);
/* 0-based residue positions of characters that are not amino acids. */
const int    *plm_sequence_get_invalid      (PlmSequence  *self,
                                             guint        *n_invalid);
gboolean      plm_sequence_is_valid         (PlmSequence  *self);
gboolean      plm_sequence_is_too_long      (PlmSequence  *self);
/* Pango markup of the residues with invalid characters highlighted, @max_chars at most. */
char         *plm_sequence_dup_markup       (PlmSequence  *self,
                                             guint         max_chars);

/* Parses pasted text or a file: FASTA with any number of records, or one bare sequence.
 * Returns a new list of PlmSequence, or NULL with @error naming @source and the line. */
GListStore   *plm_sequence_parse            (const char   *text,
                                             gssize        length,
                                             const char   *source,
                                             GError      **error);

G_END_DECLS
