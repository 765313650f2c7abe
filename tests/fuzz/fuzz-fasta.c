/* fuzz-fasta.c: libFuzzer target: arbitrary bytes through the FASTA parser and tokenizer. */
#include <glib.h>
#include <stdint.h>
#include <string.h>

#include "plm-fasta.h"
#include "plm-tokenizer.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  GError *error = NULL;
  GPtrArray *recs = plm_fasta_parse ((const char *) data, size, "fuzz.fa", &error);
  if (recs != NULL)
    {
      for (guint i = 0; i < recs->len; i++)
        {
          PlmFastaRecord *r = recs->pdata[i];
          int n = 0;
          g_autofree char *up = plm_sequence_upper (r->sequence);
          g_autofree int32_t *t = plm_tokenize (up, &n);
          g_assert (n >= 2 && t[0] == PLM_TOKEN_CLS && t[n - 1] == PLM_TOKEN_EOS);
          for (int k = 0; k < n; k++)
            g_assert (t[k] >= 0 && t[k] < PLM_VOCAB_SIZE);
          g_autofree char *safe = plm_fasta_safe_name (r->id);
          g_assert (strchr (safe, '/') == NULL && safe[0] != '.' && safe[0] != '\0');
        }
      g_ptr_array_unref (recs);
    }
  g_clear_error (&error);
  return 0;
}
