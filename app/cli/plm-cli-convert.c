/* plm-cli-convert.c: `plmlens-cli convert`: a fair-esm .pt checkpoint as an HF directory. */
#include <stdio.h>

#include "plm-cli-commands.h"
#include "plm-cli-common.h"
#include "plm-error.h"
#include "plm-model-pt.h"

int
plm_cli_convert (int argc, char **argv)
{
  g_autofree char *from = NULL, *out_dir = NULL;
  gboolean quiet = FALSE;
  GOptionEntry entries[] = {
    { "from", 0, 0, G_OPTION_ARG_FILENAME, &from,
      "fair-esm checkpoint (.pt; its -contact-regression.pt beside it is included)", "FILE" },
    { "out", 'o', 0, G_OPTION_ARG_FILENAME, &out_dir, "Output directory (config.json + model.safetensors)", "DIR" },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet, "Print nothing on success", NULL },
    { NULL }
  };
  g_autoptr(GError) error = NULL;

  if (!plm_cli_parse_options ("convert", "",
                              "Write a fair-esm .pt checkpoint in Hugging Face layout (F32 safetensors). "
                              "The .pt is read without executing anything.", entries, &argc, &argv))
    return PLM_EXIT_BAD_INPUT;
  if (argc > 1)
    return plm_cli_usage_error ("convert", "unexpected argument '%s'", argv[1]);
  if (from == NULL || out_dir == NULL)
    return plm_cli_usage_error ("convert", "--from and --out are required");
  g_autoptr(PlmFairEsm) fe = plm_fair_esm_open (from, &error);
  if (fe == NULL)
    return plm_cli_report_error (error);
  if (!plm_fair_esm_write_hf (fe, out_dir, &error))
    {
      plm_cli_report_error (error);
      return PLM_EXIT_FAILURE;
    }
  if (!quiet)
    printf ("%s: %s, %u tensors%s → %s\n", fe->name, fe->esm1b ? "ESM-1b/1v" : "ESM-2", fe->names->len,
            fe->regression_path != NULL ? " (with the contact regression)" : "", out_dir);
  return PLM_EXIT_OK;
}
