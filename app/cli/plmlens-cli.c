/* plmlens-cli.c: the headless command-line front end; dispatches to one subcommand. */
#include <glib.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "plm-runtime.h"
#include "plm-cli-commands.h"
#include "plm-cli-common.h"

typedef struct {
  const char *name;
  int (*func) (int argc, char **argv);
  const char *summary;
} Command;

static const Command commands[] = {
  { "info",  plm_cli_info,  "Describe a checkpoint: layers, heads, width, parameters, dtype, size" },
  { "infer", plm_cli_infer, "Run ESM-2 on a FASTA file and write logits, embeddings, contacts, attentions (.npy)" },
  { "scan",  plm_cli_scan,  "Variant effects: masked- or wild-type-marginal scores of every substitution (TSV)" },
  { "hasites", plm_cli_hasites, "High Attention sites and layer of convergence per protein (TSV or the paper's CSVs)" },
  { "ha-active", plm_cli_ha_active, "Distances from HA sites to annotated active sites (sequence and C-alpha)" },
  { "ha-families", plm_cli_ha_families, "HA-based protein distance vs mean-pooled embeddings: per-family silhouettes" },
  { "train", plm_cli_train, "Fine-tune an NM-Transformer head (negative-mining loss) on labelled proteins or pairs" },
  { "evaluate", plm_cli_evaluate, "Accuracy, macro-F1 and AUROC of a fine-tuned head on a test file" },
  { "crossattn", plm_cli_crossattn, "Cross-attention matrix of two chains under a fine-tuned head, and its top residues" },
  { "export", plm_cli_export, "Figure of a view (attention, grid, hasites, contacts, pair) as PNG, SVG or PDF" },
  { "convert", plm_cli_convert, "Write a fair-esm .pt checkpoint as a Hugging Face directory (config.json + safetensors)" },
  { "structure-map", plm_cli_structure_map, "Align a sequence to a PDB/mmCIF chain: the structure residue of each residue (TSV)" },
};

static void
usage (FILE *out)
{
  fprintf (out, "Usage: plmlens-cli COMMAND [OPTIONS]\n\nCommands:\n");
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    fprintf (out, "  %-14s %s\n", commands[i].name, commands[i].summary);
  fprintf (out, "\nRun 'plmlens-cli COMMAND --help' for a command's options.\n");
}

int
main (int argc, char **argv)
{
  setlocale (LC_ALL, "");
  plm_runtime_setup (argv);

  if (argc < 2 || strcmp (argv[1], "--help") == 0 || strcmp (argv[1], "-h") == 0)
    {
      usage (argc < 2 ? stderr : stdout);
      return argc < 2 ? PLM_EXIT_BAD_INPUT : PLM_EXIT_OK;
    }
  if (strcmp (argv[1], "--version") == 0)
    {
      printf ("plmlens-cli %s\n", PLM_VERSION);
      return PLM_EXIT_OK;
    }
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (strcmp (argv[1], commands[i].name) == 0)
      return commands[i].func (argc - 1, argv + 1);

  g_printerr ("plmlens-cli: unknown command '%s' (see plmlens-cli --help)\n", argv[1]);
  return PLM_EXIT_BAD_INPUT;
}
