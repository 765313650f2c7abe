/* plm-cli-info.c: `plmlens-cli info MODEL`: what a checkpoint is. */
#include <stdio.h>

#include "plm-cli-commands.h"
#include "plm-cli-common.h"
#include "plm-error.h"
#include "plm-model.h"

int
plm_cli_info (int argc, char **argv)
{
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print JSON instead of text", NULL },
    { NULL }
  };
  g_autoptr(GError) error = NULL;

  if (!plm_cli_parse_options ("info", "MODEL", "Describe an ESM checkpoint (HF directory, .safetensors file or fair-esm .pt).",
                              entries, &argc, &argv))
    return PLM_EXIT_BAD_INPUT;
  if (argc != 2)
    return plm_cli_usage_error ("info", "expected exactly one MODEL");

  g_autoptr(PlmModel) m = plm_model_load (argv[1], &error);
  if (m == NULL)
    return plm_cli_report_error (error);
  const PlmEsmConfig *c = &m->config;
  /* ESM-1b: what the position table holds; ESM-2: what it was trained on */
  int max_residues = plm_esm_config_max_residues (c);
  if (json)
    printf ("{\"name\": \"%s\", \"layers\": %d, \"heads\": %d, \"width\": %d, \"ffn\": %d, "
            "\"parameters\": %" G_GINT64_FORMAT ", \"dtype\": \"%s\", \"file_size\": %" G_GUINT64_FORMAT ", "
            "\"lm_head\": %s, \"contact_head\": %s, \"max_residues\": %d, \"architecture\": \"%s\"}\n",
            m->name, c->n_layers, c->n_heads, c->d_model, c->d_ffn, m->n_params, plm_dtype_name (m->dtype),
            m->file_size, m->has_lm_head ? "true" : "false", m->has_contact_head ? "true" : "false",
            max_residues, plm_esm_config_architecture (c));
  else
    {
      printf ("model:        %s\n", m->name);
      printf ("path:         %s\n", m->path);
      printf ("architecture: %s\n", plm_esm_config_architecture (c));
      printf ("layers:       %d\n", c->n_layers);
      printf ("heads:        %d (width %d each)\n", c->n_heads, c->d_head);
      printf ("width:        %d\n", c->d_model);
      printf ("ffn:          %d\n", c->d_ffn);
      printf ("parameters:   %" G_GINT64_FORMAT " (%.1f M)\n", m->n_params, m->n_params / 1e6);
      printf ("dtype:        %s\n", plm_dtype_name (m->dtype));
      printf ("file size:    %" G_GUINT64_FORMAT " bytes (%.1f MB)\n", m->file_size, m->file_size / 1e6);
      printf ("LM head:      %s\n", m->has_lm_head ? (m->lm_decoder == m->embed ? "yes (tied)" : "yes") : "no");
      printf ("contact head: %s\n", m->has_contact_head ? "yes" : "no");
      printf ("max residues: %d%s\n", max_residues,
              plm_esm_config_max_tokens (c) > 0 ? " (learned positions: a hard limit)" : "");
    }
  return PLM_EXIT_OK;
}
