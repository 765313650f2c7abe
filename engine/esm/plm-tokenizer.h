/* plm-tokenizer.h: the fair-esm ESM-1b/ESM-2 alphabet (33 tokens). */
#pragma once

#include <glib.h>
#include <stdint.h>

G_BEGIN_DECLS

enum {
  PLM_TOKEN_CLS = 0,
  PLM_TOKEN_PAD = 1,
  PLM_TOKEN_EOS = 2,
  PLM_TOKEN_UNK = 3,
  PLM_TOKEN_MASK = 32,
  PLM_VOCAB_SIZE = 33,
};

/* Token text for @id ("<cls>", "L", ...), or NULL when out of range. */
const char *plm_token_text       (int          id);
/* Token id of a single residue character, or PLM_TOKEN_UNK. Case-sensitive, as upstream. */
int         plm_token_for_char   (char         c);
/* <cls> + one token per character (literal "<mask>" → mask) + <eos>. Returns a new array
 * of *n_tokens entries. Unknown characters become <unk>. */
int32_t    *plm_tokenize         (const char  *sequence,
                                  int         *n_tokens);
/* The residue letter shown for token @id ('?' for specials other than mask '#'). */
char        plm_token_letter     (int          id);

G_END_DECLS

G_BEGIN_DECLS
/* Upper-cases residue letters, leaving literal "<mask>" intact. */
char       *plm_sequence_upper   (const char  *sequence);
G_END_DECLS
