/* plm-cli-export.c: `plmlens-cli export`: a paper figure (PNG, SVG, PDF) of any view of one
 * FASTA record, through the same renderer as the GUI's export dialog (app/figure/plm-figure). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plm-cli-commands.h"
#include "plm-cli-common.h"
#include "plm-cli-export-structure.h"
#include "plm-contacts.h"
#include "plm-error.h"
#include "plm-esm.h"
#include "plm-fasta.h"
#include "plm-figure-build.h"
#include "plm-hadata.h"
#include "plm-hasites.h"
#include "plm-model.h"
#include "plm-nm-train.h"
#include "plm-npy.h"
#include "plm-scan.h"
#include "plm-scan-matrix.h"
#include "plm-structure-color.h"
#include "plm-structure-map.h"
#include "plm-tokenizer.h"

#define CMD "export"

typedef struct { int layer, head; float *probs; } Wanted;   /* head −1 = mean over heads */

typedef struct {
  GArray           *wanted;   /* Wanted */
  PlmHaAccumulator *ha;
} Sink;

static gboolean
on_attention (int layer, const float *probs, int n_heads, int T, gpointer data)
{
  Sink *sink = data;
  for (guint i = 0; i < sink->wanted->len; i++)
    {
      Wanted *w = &g_array_index (sink->wanted, Wanted, i);
      if (w->layer != layer)
        continue;
      gsize n = (gsize) T * T;
      w->probs = g_new0 (float, n);
      if (w->head >= 0)
        memcpy (w->probs, probs + (gsize) w->head * n, sizeof (float) * n);
      else
        {
          for (int h = 0; h < n_heads; h++)
            for (gsize k = 0; k < n; k++)
              w->probs[k] += probs[(gsize) h * n + k];
          for (gsize k = 0; k < n; k++)
            w->probs[k] /= n_heads;
        }
    }
  return sink->ha == NULL || plm_ha_accumulator_add_layer (sink->ha, layer, probs, n_heads, T);
}

/* --layers/--heads: 0-based lists or ranges ("0,2,4", "0-3"); empty = all. */
static GArray *
parse_list (const char *text, int limit, const char *what, GError **error)
{
  GError *local = NULL;
  GArray *a = plm_figure_parse_indices (text, 0, limit, &local);
  if (a == NULL)
    {
      g_set_error (error, PLM_ERROR, PLM_ERROR_INPUT, "--%s: %s", what, local->message);
      g_error_free (local);
    }
  return a;
}

/* FILE, FILE:ID or FILE/ID → the record's upper-cased sequence (the first record without ID). */
static char *
read_record (const char *spec, const char *id, char **name, GError **error)
{
  g_autofree char *path = g_strdup (spec);
  g_autofree char *want = g_strdup (id);
  if (want == NULL && !g_file_test (path, G_FILE_TEST_EXISTS))
    {
      /* FILE:ID or FILE/ID, only when FILE is there (else the reader names the missing file) */
      for (const char *seps = ":/"; *seps; seps++)
        {
          char *sep = strrchr (path, *seps);
          if (sep == NULL)
            continue;
          *sep = '\0';
          if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
            {
              want = g_strdup (sep + 1);
              break;
            }
          *sep = *seps;
        }
    }
  g_autoptr(GPtrArray) recs = plm_fasta_read (path, error);
  if (recs == NULL)
    return NULL;
  for (guint i = 0; i < recs->len; i++)
    {
      PlmFastaRecord *r = recs->pdata[i];
      if (want == NULL || g_strcmp0 (r->id, want) == 0)
        {
          *name = g_strdup (r->id);
          return plm_sequence_upper (r->sequence);
        }
    }
  g_set_error (error, PLM_ERROR, PLM_ERROR_INPUT, "%s: no record '%s'", path, want);
  return NULL;
}

/* Residue letters of a tokenised sequence without <cls>/<eos> (what the axes show). */
static char *
residue_letters (const int32_t *tokens, int T)
{
  char *s = g_new0 (char, T);
  for (int t = 1; t < T - 1; t++)
    s[t - 1] = plm_token_letter (tokens[t]);
  return s;
}

/* True contacts from a float32 [L, L] Cβ distance matrix: < 8 Å; NaN = unknown (unobserved). */
static guint8 *
truth_from_npy (const char *path, int L, GError **error)
{
  PlmNpyArray d = { 0 };
  guint8 *c = NULL;
  if (!plm_npy_read (path, &d, error))
    return NULL;
  if (d.type != PLM_NPY_F32 || d.n_dims != 2 || d.shape[0] != L || d.shape[1] != L)
    g_set_error (error, PLM_ERROR, PLM_ERROR_INPUT, "%s: expected a float32 [%d, %d] distance matrix", path, L, L);
  else
    {
      c = g_new0 (guint8, (gsize) L * L);
      for (gsize k = 0; k < (gsize) L * L; k++)
        {
          float v = ((const float *) d.data)[k];
          c[k] = isnan (v) ? PLM_CONTACT_UNKNOWN : v < PLM_CONTACT_CUTOFF;
        }
    }
  plm_npy_array_clear (&d);
  return c;
}

/* True contacts (Cβ–Cβ < 8 Å, Gly: Cα) of the record's residues @letters [L] from a PDB/mmCIF
 * chain: the record is aligned to the chain's observed residues (plm-structure-map.h), or, with
 * @numbered, residue i is the one numbered @start + i. Residues the structure lacks are unknown:
 * precision is taken over the pairs of observed residues. Identity and coverage go to stderr. */
static guint8 *
truth_from_structure (const char *path, const char *chain, const char *letters, int L, gboolean numbered,
                      int start, gboolean force, GError **error)
{
  g_autoptr(PlmStructure) st = plm_structure_read (path, error);
  if (st == NULL)
    return NULL;
  g_autoptr(PlmStructureMap) map = numbered ? plm_structure_map_numbered (st, chain, letters, L, start, force, error)
                                            : plm_structure_map_align (st, chain, letters, L, force, error);
  if (map == NULL)
    return NULL;
  char id[G_ASCII_DTOSTR_BUF_SIZE], cov[G_ASCII_DTOSTR_BUF_SIZE];
  g_printerr ("plmlens-cli: %s chain %s (%s): identity %s%%, coverage %s%% (%d of %d residues observed)\n",
              path, map->chain, numbered ? "by residue number" : "aligned",
              isnan (map->identity) ? "NA" : g_ascii_formatd (id, sizeof id, "%.1f", 100.0 * map->identity),
              g_ascii_formatd (cov, sizeof cov, "%.1f", 100.0 * map->coverage), map->aligned, L);
  return plm_contacts_from_structure (st, map);
}

typedef struct {
  PlmEsmState *state;
  PlmNmHead   *head;
  int          max_len;
} PairCtx;

/* Adds the cross-attention panel of chain a over chain b with each chain's top-k marked. */
static gboolean
add_pair_panel (PlmFigure *fig, PairCtx *pc, gboolean positive, const char *name_a, const char *name_b,
                const char *seq_a, const char *seq_b, int top, GError **error)
{
  int Ta, Tb;
  g_autofree float *ea = plm_nm_embed_sequence (pc->state, seq_a, pc->max_len, &Ta, NULL, error);
  if (ea == NULL)
    return FALSE;
  g_autofree float *eb = plm_nm_embed_sequence (pc->state, seq_b, pc->max_len, &Tb, NULL, error);
  if (eb == NULL)
    return FALSE;
  g_autofree float *p_ab = g_new (float, (gsize) Ta * Tb);
  g_autofree float *p_ba = g_new (float, (gsize) Tb * Ta);
  plm_nm_head_cross_attention (pc->head, ea, Ta, eb, Tb, p_ab);
  plm_nm_head_cross_attention (pc->head, eb, Tb, ea, Ta, p_ba);
  g_autofree float *m = plm_nm_residue_block (p_ab, Ta, Tb);
  g_autofree int *ta = g_new (int, MAX (top, 1)), *tb = g_new (int, MAX (top, 1));
  int na = plm_nm_rank_keys (p_ba, Tb, Ta, top, ta, NULL), nb = plm_nm_rank_keys (p_ab, Ta, Tb, top, tb, NULL);
  plm_figure_build_pair_panel (fig, positive, name_a, name_b, m, Ta - 2, Tb - 2, seq_a, seq_b, ta, na, tb, nb);
  return TRUE;
}

/* The mutations view: the scan of @mode (masked- or wild-type-marginal), rows in @order, with the
 * per-residue @summary above ("mean", "entropy" or "none") and, as the app's view shows them, the
 * HA sites of the layer of convergence below (one more forward pass, for its attention). */
static gboolean
add_mutations (PlmFigure *fig, PlmEsmState *state, const int32_t *tokens, int T, const char *name,
               const char *letters, gboolean masked, const char *order, const char *summary, GError **error)
{
  const PlmEsmConfig *cfg = &plm_esm_state_get_model (state)->config;
  int V = cfg->vocab_size, L = T - 2;
  PlmScanOptions o = { 0 };
  g_autofree float *log_probs = g_new (float, (gsize) MAX (L, 1) * V);
  g_autofree float *scores = g_new (float, (gsize) 20 * MAX (L, 1));
  g_autofree float *values = NULL;
  gboolean entropy = strcmp (summary, "entropy") == 0;

  if (!plm_scan_log_probs (state, tokens, T, masked ? PLM_SCAN_MASKED_MARGINAL : PLM_SCAN_WT_MARGINAL, NULL, &o,
                           log_probs, error))
    return FALSE;
  plm_scan_score_matrix (log_probs, V, tokens, T, order, scores);
  plm_figure_build_mutations (fig, name, scores, L, order, letters, masked ? "masked-marginal" : "wt-marginal");
  if (strcmp (summary, "none") != 0)
    {
      values = g_new (float, MAX (L, 1));
      if (entropy)
        plm_scan_entropies (log_probs, V, L, values);
      else
        plm_scan_column_means (scores, L, order, letters, values);
    }

  g_autoptr(GArray) no_maps = g_array_new (FALSE, FALSE, sizeof (Wanted));
  g_autoptr(PlmHaAccumulator) ha = plm_ha_accumulator_new (cfg->n_layers, L);
  Sink sink = { no_maps, ha };
  PlmForwardOptions opt = { .attention_func = on_attention, .attention_data = &sink };
  PlmForwardOutput fo = { 0 };
  PlmHaResult r = { 0 };
  if (!plm_esm_forward (state, tokens, T, &opt, &fo, error))
    return FALSE;
  plm_forward_output_clear (&fo);
  if (!plm_ha_accumulator_finish (ha, &r, error))
    return FALSE;
  plm_figure_set_residue_tracks (fig, values, L, values == NULL ? NULL : entropy ? "Entropy" : "Mean score",
                                 r.sites, r.n_sites, NULL, 0);
  plm_ha_result_clear (&r);
  return TRUE;
}

static int
export_main (int argc, char **argv)
{
  g_autofree char *model_path = NULL, *fasta = NULL, *record = NULL, *view_name = NULL, *format_name = NULL;
  g_autofree char *out = NULL, *layers_s = NULL, *heads_s = NULL, *head_file = NULL, *pair_with = NULL;
  g_autofree char *negative = NULL, *title = NULL, *font = NULL, *cmap = NULL, *scale_name = NULL;
  g_autofree char *cbar_label = NULL, *x_label = NULL, *y_label = NULL, *active_sites = NULL;
  g_autofree char *true_contacts = NULL, *structure = NULL, *chain = NULL;
  g_autofree char *mode_name = NULL, *order_name = NULL, *summary_name = NULL;
  g_autofree char *color_name = NULL, *rotate = NULL, *partner_chain = NULL;
  g_autofree char *negative_structure = NULL, *negative_chain = NULL;
  int top_links = 10;
  int structure_start = G_MININT;
  int layer = -1, head = -1, top = 3, threads = 0, columns = 0;
  double width_mm = 0, height_mm = 0, width_px = 0, height_px = 0, dpi = 300, font_size = 8;
  double pct_lo = 1, pct_hi = 99;
  gboolean force = FALSE;
  gboolean mean = FALSE, transparent = FALSE, no_letters = FALSE, no_ticks = FALSE, specials = FALSE;
  g_autofree char *precision_name = NULL;
  PlmPrecision weight_precision;
  GOptionEntry entries[] = {
    { "model", 'm', 0, G_OPTION_ARG_FILENAME, &model_path, "ESM-2 checkpoint directory", "MODEL" },
    { "fasta", 'f', 0, G_OPTION_ARG_FILENAME, &fasta, "FASTA file", "FILE" },
    { "record", 'r', 0, G_OPTION_ARG_STRING, &record, "Record identifier (default: the first)", "ID" },
    { "view", 'v', 0, G_OPTION_ARG_STRING, &view_name, "attention, grid, hasites, contacts, pair, mutations or structure", "VIEW" },
    { "color", 0, 0, G_OPTION_ARG_STRING, &color_name,
      "Structure colouring: attention, hasites, active, contacts, chain or pair (default attention; pair with --pair-with)", "WHAT" },
    { "top-links", 0, 0, G_OPTION_ARG_INT, &top_links, "Structure: attention links drawn, the strongest pairs (default 10)", "K" },
    { "rotate", 0, 0, G_OPTION_ARG_STRING, &rotate, "Structure: rotation in degrees about x, y, z (default 0,0,0)", "X,Y,Z" },
    { "partner-chain", 0, 0, G_OPTION_ARG_STRING, &partner_chain,
      "Structure with --pair-with: the partner's chain (default: the next chain)", "ID" },
    { "mode", 0, 0, G_OPTION_ARG_STRING, &mode_name, "masked-marginal or wt-marginal (mutations; default wt-marginal)", "MODE" },
    { "order", 0, 0, G_OPTION_ARG_STRING, &order_name, "Rows: hydrophobicity, alphabetical or esm (mutations)", "ORDER" },
    { "summary", 0, 0, G_OPTION_ARG_STRING, &summary_name, "Track above: mean, entropy or none (mutations; default mean)", "WHAT" },
    { "layer", 0, 0, G_OPTION_ARG_INT, &layer, "Layer (attention: default the last; hasites: curve layer, default the LoC)", "N" },
    { "head", 0, 0, G_OPTION_ARG_INT, &head, "Head (attention; default: the mean over heads)", "N" },
    { "mean", 0, 0, G_OPTION_ARG_NONE, &mean, "Mean over heads (attention)", NULL },
    { "layers", 0, 0, G_OPTION_ARG_STRING, &layers_s, "Grid rows, e.g. 0,2,4 (default: all)", "LIST" },
    { "heads", 0, 0, G_OPTION_ARG_STRING, &heads_s, "Grid columns, e.g. 0,1 (default: all)", "LIST" },
    { "head-file", 0, 0, G_OPTION_ARG_FILENAME, &head_file, "Fine-tuned NM attention head (pair)", "H.safetensors" },
    { "pair-with", 0, 0, G_OPTION_ARG_STRING, &pair_with, "Positive partner (pair)", "FASTA[:ID]" },
    { "negative", 0, 0, G_OPTION_ARG_STRING, &negative,
      "Negative partner (pair; structure with --pair-with: a second panel, with --negative-structure)", "FASTA[:ID]" },
    { "negative-structure", 0, 0, G_OPTION_ARG_FILENAME, &negative_structure,
      "Structure with --negative: the negative partner's PDB or mmCIF", "FILE" },
    { "negative-chain", 0, 0, G_OPTION_ARG_STRING, &negative_chain,
      "Chain of --negative-structure (default: the one the negative partner fits best)", "ID" },
    { "top", 0, 0, G_OPTION_ARG_INT, &top, "Residues marked per chain (pair; default 3)", "K" },
    { "active-sites", 0, 0, G_OPTION_ARG_FILENAME, &active_sites, "Active-site TSV as an annotation track (hasites)", "TSV" },
    { "true-contacts", 0, 0, G_OPTION_ARG_FILENAME, &true_contacts, "Cβ distances [L, L] in Å; < 8 Å is a contact (contacts)", "D.npy" },
    { "structure", 0, 0, G_OPTION_ARG_FILENAME, &structure, "PDB or mmCIF (.gz) for true contacts, Cβ < 8 Å (contacts)", "FILE" },
    { "chain", 0, 0, G_OPTION_ARG_STRING, &chain, "Chain of --structure (default: the one the sequence fits best)", "ID" },
    { "force", 0, 0, G_OPTION_ARG_NONE, &force, "Use --structure even below 90% sequence identity", NULL },
    { "structure-start", 0, 0, G_OPTION_ARG_INT, &structure_start,
      "Override: no alignment, the record's residue i is the structure's residue numbered N + i", "N" },
    { "format", 0, 0, G_OPTION_ARG_STRING, &format_name, "png, svg or pdf (default: from --out)", "FORMAT" },
    { "out", 'o', 0, G_OPTION_ARG_FILENAME, &out, "Output file", "FILE" },
    { "width-mm", 0, 0, G_OPTION_ARG_DOUBLE, &width_mm, "Width in mm (default 100 or 180; 89 = one column)", "MM" },
    { "height-mm", 0, 0, G_OPTION_ARG_DOUBLE, &height_mm, "Height in mm (default: fitted to the content)", "MM" },
    { "width-px", 0, 0, G_OPTION_ARG_DOUBLE, &width_px, "Width in pixels at --dpi", "PX" },
    { "height-px", 0, 0, G_OPTION_ARG_DOUBLE, &height_px, "Height in pixels at --dpi", "PX" },
    { "dpi", 0, 0, G_OPTION_ARG_DOUBLE, &dpi, "PNG resolution (default 300)", "DPI" },
    { "title", 0, 0, G_OPTION_ARG_STRING, &title, "Title (\"\" for none)", "TEXT" },
    { "font", 0, 0, G_OPTION_ARG_STRING, &font, "Font family (default Sans)", "FAMILY" },
    { "font-size", 0, 0, G_OPTION_ARG_DOUBLE, &font_size, "Font size in pt (default 8)", "PT" },
    { "colormap", 0, 0, G_OPTION_ARG_STRING, &cmap, "viridis, magma, cividis, grayscale, diverging", "NAME" },
    { "scale", 0, 0, G_OPTION_ARG_STRING, &scale_name, "linear, log or percentile (1–99 %)", "SCALE" },
    { "colorbar-label", 0, 0, G_OPTION_ARG_STRING, &cbar_label, "Colour-bar label", "TEXT" },
    { "x-label", 0, 0, G_OPTION_ARG_STRING, &x_label, "X axis label", "TEXT" },
    { "y-label", 0, 0, G_OPTION_ARG_STRING, &y_label, "Y axis label", "TEXT" },
    { "columns", 0, 0, G_OPTION_ARG_INT, &columns, "Grid panels per row (default: one per head)", "N" },
    { "transparent", 0, 0, G_OPTION_ARG_NONE, &transparent, "No background", NULL },
    { "no-letters", 0, 0, G_OPTION_ARG_NONE, &no_letters, "No residue letters", NULL },
    { "no-ticks", 0, 0, G_OPTION_ARG_NONE, &no_ticks, "No residue numbers", NULL },
    { "specials", 0, 0, G_OPTION_ARG_NONE, &specials, "Show <cls>/<eos> rows and columns", NULL },
    PLM_CLI_PRECISION_ENTRY (precision_name),
    { "threads", 't', 0, G_OPTION_ARG_INT, &threads, "Threads (default: all cores)", "N" },
    { NULL }
  };
  g_autoptr(GError) error = NULL;

  if (!plm_cli_parse_options (CMD, "", "Export a figure of one view as PNG, SVG or PDF.", entries, &argc, &argv))
    return PLM_EXIT_BAD_INPUT;
  if (argc > 1)
    return plm_cli_usage_error (CMD, "unexpected argument '%s'", argv[1]);
  if (model_path == NULL || fasta == NULL || view_name == NULL || out == NULL)
    return plm_cli_usage_error (CMD, "--model, --fasta, --view and --out are required");

  static const char *const views[] = { "attention", "grid", "hasites", "contacts", "pair", "mutations", "structure" };
  int view = -1;
  for (guint i = 0; i < G_N_ELEMENTS (views); i++)
    if (strcmp (view_name, views[i]) == 0)
      view = i;
  if (view < 0)
    return plm_cli_usage_error (CMD, "--view must be attention, grid, hasites, contacts, pair, mutations or structure, not '%s'",
                                view_name);
  PlmCliStructure so = { structure, chain, partner_chain, force, PLM_STRUCTURE_COLOR_ATTENTION, top_links, { 0, 0, 0 },
                         active_sites, negative_structure, negative_chain };
  if (color_name != NULL && !plm_structure_coloring_from_name (color_name, (PlmStructureColoring *) &so.coloring))
    return plm_cli_usage_error (CMD, "--color must be attention, hasites, active, contacts, chain or pair, not '%s'", color_name);
  if (rotate != NULL && !plm_cli_parse_rotation (rotate, so.rotate))
    return plm_cli_usage_error (CMD, "--rotate must be three angles in degrees, X,Y,Z, not '%s'", rotate);
  if ((color_name != NULL || rotate != NULL || partner_chain != NULL) && view != PLM_FIGURE_STRUCTURE)
    return plm_cli_usage_error (CMD, "--color, --rotate and --partner-chain are for --view structure");
  if (view == PLM_FIGURE_STRUCTURE && structure == NULL)
    return plm_cli_usage_error (CMD, "--view structure needs --structure");
  if (view == PLM_FIGURE_STRUCTURE && (structure_start != G_MININT || true_contacts != NULL))
    return plm_cli_usage_error (CMD, "--view structure aligns the record to --structure: no --structure-start or --true-contacts");
  if (view == PLM_FIGURE_STRUCTURE && pair_with != NULL && head_file == NULL)
    return plm_cli_usage_error (CMD, "--view structure --pair-with needs --head-file");
  gboolean structure_pair = view == PLM_FIGURE_STRUCTURE && pair_with != NULL;
  if (structure_pair && color_name == NULL)
    so.coloring = PLM_STRUCTURE_COLOR_PAIR;   /* --pair-with means the pair mode */
  if (view == PLM_FIGURE_STRUCTURE && (so.coloring == PLM_STRUCTURE_COLOR_PAIR) != structure_pair)
    return plm_cli_usage_error (CMD, "--color pair and --pair-with go together");
  if ((negative_structure != NULL || negative_chain != NULL) && !structure_pair)
    return plm_cli_usage_error (CMD, "--negative-structure and --negative-chain are for --view structure --pair-with");
  if (structure_pair && (negative != NULL) != (negative_structure != NULL))
    return plm_cli_usage_error (CMD, "--view structure: --negative and --negative-structure go together");
  if (top_links < 0 || top_links > 100000)
    return plm_cli_usage_error (CMD, "--top-links must be in 0..100000");
  if (mode_name != NULL && strcmp (mode_name, "masked-marginal") != 0 && strcmp (mode_name, "wt-marginal") != 0)
    return plm_cli_usage_error (CMD, "--mode must be masked-marginal or wt-marginal, not '%s'", mode_name);
  const char *order = PLM_SCAN_ORDER_HYDROPHOBICITY;
  if (g_strcmp0 (order_name, "alphabetical") == 0)
    order = PLM_SCAN_ORDER_ALPHABETICAL;
  else if (g_strcmp0 (order_name, "esm") == 0)
    order = PLM_SCAN_AMINO_ACIDS;
  else if (order_name != NULL && strcmp (order_name, "hydrophobicity") != 0)
    return plm_cli_usage_error (CMD, "--order must be hydrophobicity, alphabetical or esm, not '%s'", order_name);
  if (summary_name != NULL && strcmp (summary_name, "mean") != 0 && strcmp (summary_name, "entropy") != 0
      && strcmp (summary_name, "none") != 0)
    return plm_cli_usage_error (CMD, "--summary must be mean, entropy or none, not '%s'", summary_name);
  if ((mode_name != NULL || order_name != NULL || summary_name != NULL) && view != PLM_FIGURE_MUTATIONS)
    return plm_cli_usage_error (CMD, "--mode, --order and --summary are for --view mutations");
  PlmFigureFormat format;
  if (format_name == NULL)
    {
      const char *dot = strrchr (out, '.');
      if (dot == NULL || !plm_figure_format_from_name (dot + 1, &format))
        return plm_cli_usage_error (CMD, "--format not given and '%s' does not end in .png, .svg or .pdf", out);
    }
  else if (!plm_figure_format_from_name (format_name, &format))
    return plm_cli_usage_error (CMD, "--format must be png, svg or pdf, not '%s'", format_name);
  if ((width_mm > 0 || height_mm > 0) && (width_px > 0 || height_px > 0))
    return plm_cli_usage_error (CMD, "give the size in mm or in px, not both");
  if (width_mm < 0 || height_mm < 0 || width_px < 0 || height_px < 0 || width_mm > 2000 || height_mm > 2000
      || width_px > 30000 || height_px > 30000)
    return plm_cli_usage_error (CMD, "sizes must be positive (at most 2000 mm or 30000 px)");
  if (!(dpi >= 10 && dpi <= 2400))
    return plm_cli_usage_error (CMD, "--dpi must be between 10 and 2400");
  if (!(font_size >= 2 && font_size <= 72))
    return plm_cli_usage_error (CMD, "--font-size must be between 2 and 72 pt");
  PlmColorMap color_map = PLM_COLOR_MAP_VIRIDIS;
  if (cmap != NULL && !plm_color_map_from_name (cmap, &color_map))
    return plm_cli_usage_error (CMD, "unknown --colormap '%s' (viridis, magma, cividis, grayscale, diverging)", cmap);
  PlmScaleKind scale_kind = PLM_SCALE_LINEAR;
  if (scale_name != NULL)
    {
      if (strcmp (scale_name, "log") == 0)
        scale_kind = PLM_SCALE_LOG;
      else if (strcmp (scale_name, "percentile") == 0)
        scale_kind = PLM_SCALE_PERCENTILE;
      else if (strcmp (scale_name, "linear") != 0)
        return plm_cli_usage_error (CMD, "--scale must be linear, log or percentile, not '%s'", scale_name);
    }
  if (top < 0 || top > 1000 || threads < 0 || threads > 1024 || columns < 0 || columns > 1000)
    return plm_cli_usage_error (CMD, "--top, --threads or --columns out of range");
  if (view == PLM_FIGURE_PAIR && (head_file == NULL || pair_with == NULL || negative == NULL))
    return plm_cli_usage_error (CMD, "--view pair needs --head-file, --pair-with and --negative");
  if (structure_start != G_MININT && structure == NULL)
    return plm_cli_usage_error (CMD, "--structure-start needs --structure");
  if (true_contacts != NULL && structure != NULL)
    return plm_cli_usage_error (CMD, "--true-contacts and --structure exclude each other");
  if (head >= 0 && mean)
    return plm_cli_usage_error (CMD, "--head and --mean exclude each other");
  plm_engine_set_threads (threads);
  int precision_status = plm_cli_parse_precision (CMD, precision_name, &weight_precision);
  if (precision_status != PLM_EXIT_OK)
    return precision_status;

  g_autofree char *name = NULL;
  g_autofree char *sequence = read_record (fasta, record, &name, &error);
  if (sequence == NULL)
    return plm_cli_report_error (error);
  g_autoptr(PlmModel) model = plm_model_load (model_path, &error);
  if (model == NULL)
    return plm_cli_report_error (error);
  plm_model_set_precision (model, weight_precision, PLM_ISA_AVX512);
  const PlmEsmConfig *cfg = &model->config;
  int T;
  g_autofree int32_t *tokens = plm_tokenize (sequence, &T);
  int max_residues = plm_esm_config_max_residues (cfg);
  if (T - 2 > max_residues)
    {
      g_printerr ("plmlens-cli: %s: record '%s' has %d residues; %s accepts at most %d\n", fasta, name, T - 2,
                  model->name, max_residues);
      return PLM_EXIT_BAD_INPUT;
    }
  if (layer < -1 || layer >= cfg->n_layers)
    return plm_cli_usage_error (CMD, "--layer must be in 0..%d for %s", cfg->n_layers - 1, model->name);
  if (head < -1 || head >= cfg->n_heads)
    return plm_cli_usage_error (CMD, "--head must be in 0..%d for %s", cfg->n_heads - 1, model->name);
  if ((view == PLM_FIGURE_CONTACTS || (view == PLM_FIGURE_STRUCTURE && so.coloring == PLM_STRUCTURE_COLOR_CONTACTS))
      && !model->has_contact_head)
    {
      g_printerr ("plmlens-cli: %s has no contact head\n", model->name);
      return PLM_EXIT_BAD_INPUT;
    }
  g_autoptr(GArray) layers = parse_list (layers_s, cfg->n_layers, "layers", &error);
  g_autoptr(GArray) heads = layers ? parse_list (heads_s, cfg->n_heads, "heads", &error) : NULL;
  if (heads == NULL)
    return plm_cli_report_error (error);

  g_autoptr(PlmFigure) fig = plm_figure_new (view);
  PlmFigureStyle *st = plm_figure_get_style (fig);
  st->unit = width_px > 0 || height_px > 0 ? PLM_FIGURE_UNIT_PX : PLM_FIGURE_UNIT_MM;
  st->width = width_px > 0 || height_px > 0 ? width_px : width_mm;
  st->height = width_px > 0 || height_px > 0 ? height_px : height_mm;
  st->dpi = dpi;
  st->title = g_strdup (title);
  if (font && !plm_figure_font_family_available (font))
    g_printerr ("plmlens-cli: warning: font family '%s' is not installed; a similar one is used\n", font);
  if (font)
    {
      g_free (st->font_family);
      st->font_family = g_strdup (font);
    }
  st->font_size = font_size;
  st->transparent = transparent;
  st->color_map = color_map;
  st->scale_kind = scale_kind;
  st->percentile_lo = pct_lo;
  st->percentile_hi = pct_hi;
  st->colorbar_label = g_strdup (cbar_label);
  st->x_label = g_strdup (x_label);
  st->y_label = g_strdup (y_label);
  st->letters = !no_letters;
  st->ticks = !no_ticks;
  st->specials = specials;

  g_autofree char *letters = residue_letters (tokens, T);
  g_autoptr(PlmEsmState) state = plm_esm_state_new (model);
  g_autoptr(GArray) wanted = g_array_new (FALSE, TRUE, sizeof (Wanted));
  g_autoptr(PlmHaAccumulator) ha = NULL;
  if (view == PLM_FIGURE_ATTENTION || (view == PLM_FIGURE_STRUCTURE && so.coloring == PLM_STRUCTURE_COLOR_ATTENTION))
    {
      Wanted w = { layer >= 0 ? layer : cfg->n_layers - 1, mean ? -1 : head, NULL };
      g_array_append_val (wanted, w);
    }
  else if (view == PLM_FIGURE_GRID)
    for (guint i = 0; i < layers->len; i++)
      for (guint j = 0; j < heads->len; j++)
        {
          Wanted w = { g_array_index (layers, int, i), g_array_index (heads, int, j), NULL };
          g_array_append_val (wanted, w);
        }
  else if (view == PLM_FIGURE_HASITES || (view == PLM_FIGURE_STRUCTURE && so.coloring == PLM_STRUCTURE_COLOR_HASITES))
    ha = plm_ha_accumulator_new (cfg->n_layers, T - 2);
  /* each panel is held twice (forward copy and figure copy): refuse what cannot be a figure */
  if (wanted->len > 256 || (double) wanted->len * T * T * sizeof (float) * 2 > 2.0 * (1 << 30))
    return plm_cli_usage_error (CMD, "%u panels of %d × %d are too many for one figure; choose some with --layers and --heads",
                                wanted->len, T, T);

  int status = PLM_EXIT_OK;
  if (view == PLM_FIGURE_MUTATIONS)
    {
      if (!add_mutations (fig, state, tokens, T, name, letters, g_strcmp0 (mode_name, "masked-marginal") == 0, order,
                          summary_name != NULL ? summary_name : "mean", &error))
        return plm_cli_report_error (error);
      st->color_map = cmap != NULL ? color_map : PLM_COLOR_MAP_DIVERGING;
    }
  else if (view != PLM_FIGURE_PAIR && !structure_pair)
    {
      Sink sink = { wanted, ha };
      PlmForwardOptions opt = {
        .attention_func = wanted->len > 0 || ha ? on_attention : NULL,
        .attention_data = &sink,
        .want_contacts = view == PLM_FIGURE_CONTACTS || (view == PLM_FIGURE_STRUCTURE
                                                         && so.coloring == PLM_STRUCTURE_COLOR_CONTACTS),
      };
      PlmForwardOutput fo = { 0 };
      if (!plm_esm_forward (state, tokens, T, &opt, &fo, &error))
        return plm_cli_report_error (error);
      for (guint i = 0; i < wanted->len; i++)
        {
          Wanted *w = &g_array_index (wanted, Wanted, i);
          if (view == PLM_FIGURE_STRUCTURE)
            continue;
          if (view == PLM_FIGURE_ATTENTION)
            plm_figure_build_attention (fig, name, w->layer, w->head, cfg->n_heads, w->probs, T, letters);
          else
            plm_figure_build_grid_panel (fig, name, w->layer, w->head, cfg->n_heads, w->probs, T, letters);
        }
      if (view == PLM_FIGURE_GRID)
        plm_figure_set_grid_columns (fig, columns > 0 ? columns : (int) heads->len);
      if (view == PLM_FIGURE_CONTACTS)
        {
          int L = T - 2;
          g_autofree guint8 *truth = NULL;
          if (true_contacts != NULL)
            truth = truth_from_npy (true_contacts, L, &error);
          else if (structure != NULL)
            truth = truth_from_structure (structure, chain, letters, L, structure_start != G_MININT,
                                          structure_start, force, &error);
          if ((true_contacts != NULL || structure != NULL) && truth == NULL)
            status = plm_cli_report_error (error);
          plm_figure_build_contacts (fig, name, fo.contacts, L, letters, truth, 6);
          if (truth != NULL)
            {
              char p[G_ASCII_DTOSTR_BUF_SIZE];
              double precision = plm_figure_contact_precision (fig);
              printf ("precision at L/5 of %s: %s\n", name,
                      precision < 0 ? "NA" : g_ascii_formatd (p, sizeof p, "%.3f", precision));
            }
        }
      if (view == PLM_FIGURE_STRUCTURE)
        {
          PlmHaResult r = { 0 };
          g_autofree char *label = NULL;
          if (wanted->len > 0)
            {
              Wanted *w = &g_array_index (wanted, Wanted, 0);
              label = plm_figure_attention_label (w->layer, w->head, cfg->n_heads);
            }
          if (ha != NULL && !plm_ha_accumulator_finish (ha, &r, &error))
            status = plm_cli_report_error (error);
          else if (!plm_cli_structure_figure (fig, &so, name, letters, T - 2, label,
                                              wanted->len > 0 ? g_array_index (wanted, Wanted, 0).probs : NULL,
                                              &r, fo.contacts, &error))
            status = plm_cli_report_error (error);
          plm_ha_result_clear (&r);
        }
      else if (ha != NULL)
        {
          PlmHaResult r = { 0 };
          if (!plm_ha_accumulator_finish (ha, &r, &error))
            status = plm_cli_report_error (error);
          else
            {
              int L = r.length;
              PlmFigureTrack track = { "Active site", 0, NULL, NULL };
              g_autoptr(GHashTable) sites = NULL;
              g_autofree int *pos = NULL;
              if (active_sites != NULL)
                {
                  sites = plm_active_sites_read (active_sites, &error);
                  if (sites == NULL)
                    status = plm_cli_report_error (error);
                  else
                    {
                      g_autofree char *acc = plm_ha_protein_id (name);
                      GArray *p = g_hash_table_lookup (sites, acc);
                      pos = g_new (int, p ? MAX (p->len, 1) : 1);
                      for (guint k = 0; p && k < p->len; k++)
                        if (g_array_index (p, int, k) <= L)   /* 1-based in the file */
                          pos[track.n++] = g_array_index (p, int, k) - 1;
                      track.start = track.end = pos;
                    }
                }
              plm_figure_build_hasites (fig, name, &r, layer, letters, &track, active_sites != NULL ? 1 : 0);
              plm_ha_result_clear (&r);
            }
        }
      for (guint i = 0; i < wanted->len; i++)
        g_free (g_array_index (wanted, Wanted, i).probs);
      plm_forward_output_clear (&fo);
      if (status != PLM_EXIT_OK)
        return status;
    }
  else
    {
      g_autofree char *name_b = NULL, *name_n = NULL;
      g_autofree char *seq_b = read_record (pair_with, NULL, &name_b, &error);
      if (seq_b == NULL)
        return plm_cli_report_error (error);
      g_autofree char *seq_n = negative != NULL ? read_record (negative, NULL, &name_n, &error) : NULL;
      if (seq_n == NULL && negative != NULL)
        return plm_cli_report_error (error);
      g_autoptr(PlmNmHead) nm = plm_nm_head_load (head_file, NULL, &error);
      if (nm == NULL)
        return plm_cli_report_error (error);
      if (plm_nm_head_get_config (nm)->kind != PLM_NM_HEAD_ATTENTION)
        {
          g_printerr ("plmlens-cli: %s: an mlp head has no attention\n", head_file);
          return PLM_EXIT_BAD_INPUT;
        }
      if (plm_nm_head_get_config (nm)->d_model != cfg->d_model)
        {
          g_printerr ("plmlens-cli: %s: the head expects width %d, %s has %d\n", head_file,
                      plm_nm_head_get_config (nm)->d_model, model->name, cfg->d_model);
          return PLM_EXIT_BAD_INPUT;
        }
      if ((int) strlen (seq_b) > max_residues || (seq_n && (int) strlen (seq_n) > max_residues))
        {
          g_printerr ("plmlens-cli: a partner is longer than the %d residues %s accepts\n", max_residues, model->name);
          return PLM_EXIT_BAD_INPUT;
        }
      PairCtx pc = { state, nm, max_residues + 2 };
      if (structure_pair)
        {
          if (!plm_cli_structure_pair_figure (fig, &so, state, nm, max_residues + 2, name, sequence, name_b, seq_b,
                                              name_n, seq_n, top, &error))
            return plm_cli_report_error (error);
        }
      else if (!add_pair_panel (fig, &pc, TRUE, name, name_b, sequence, seq_b, top, &error)
          || !add_pair_panel (fig, &pc, FALSE, name, name_n, sequence, seq_n, top, &error))
        return plm_cli_report_error (error);
      if (!structure_pair)
        st->y_label = st->y_label ? st->y_label : g_strdup_printf ("%s residue", name);
    }

  if (!plm_figure_export (fig, format, out, &error))
    {
      g_printerr ("plmlens-cli: %s\n", error->message);
      return PLM_EXIT_FAILURE;
    }
  double w, h;
  plm_figure_get_size (fig, &w, &h);
  printf ("%s figure of %s written to %s (%.1f × %.1f mm)\n", views[view], name, out, w * 25.4 / 72, h * 25.4 / 72);
  return PLM_EXIT_OK;
}

int
plm_cli_export (int argc, char **argv)
{
  /* Fontconfig, Pango and cairo keep their font caches until the process ends; tearing them
   * down at exit (cairo_debug_reset_static_data) is a debugging aid that can abort when
   * another process is rebuilding the fontconfig cache, so the CLI leaves them to the OS.
   * tests/lsan.supp names these caches for the leak checker. */
  return export_main (argc, argv);
}
