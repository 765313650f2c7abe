/* plm-tokenizer.c: the fair-esm alphabet; sequences become <cls> residues <eos>. */
#include "plm-tokenizer.h"

#include <string.h>

static const char *const token_texts[PLM_VOCAB_SIZE] = {
  "<cls>", "<pad>", "<eos>", "<unk>",
  "L", "A", "G", "V", "S", "E", "R", "T", "I", "D", "P", "K", "Q", "N", "F", "Y", "M", "H", "W", "C",
  "X", "B", "U", "Z", "O", ".", "-", "<null_1>", "<mask>",
};

const char *
plm_token_text (int id)
{
  return id >= 0 && id < PLM_VOCAB_SIZE ? token_texts[id] : NULL;
}

int
plm_token_for_char (char c)
{
  for (int id = 4; id <= 30; id++)
    if (token_texts[id][0] == c)
      return id;
  return PLM_TOKEN_UNK;
}

char
plm_token_letter (int id)
{
  if (id >= 4 && id <= 30)
    return token_texts[id][0];
  if (id == PLM_TOKEN_MASK)
    return '#';
  return '?';
}

int32_t *
plm_tokenize (const char *sequence, int *n_tokens)
{
  gsize len = strlen (sequence);
  int32_t *tokens = g_new (int32_t, len + 2);
  int n = 0;

  tokens[n++] = PLM_TOKEN_CLS;
  for (gsize i = 0; i < len; )
    {
      if (strncmp (sequence + i, "<mask>", 6) == 0)
        {
          tokens[n++] = PLM_TOKEN_MASK;
          i += 6;
        }
      else
        tokens[n++] = plm_token_for_char (sequence[i++]);
    }
  tokens[n++] = PLM_TOKEN_EOS;
  *n_tokens = n;
  return tokens;
}

char *
plm_sequence_upper (const char *sequence)
{
  char *s = g_strdup (sequence);
  for (char *p = s; *p; p++)
    {
      if (strncmp (p, "<mask>", 6) == 0)
        {
          p += 5;
          continue;
        }
      *p = g_ascii_toupper (*p);
    }
  return s;
}
