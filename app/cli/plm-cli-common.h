/* plm-cli-common.h: shared pieces of plmlens-cli: exit codes, error reporting, progress. */
#pragma once

#include <glib.h>
#include <stdint.h>

#include "plm-fasta.h"
#include "plm-model.h"

G_BEGIN_DECLS

enum {
  PLM_EXIT_OK = 0,
  PLM_EXIT_FAILURE = 1,    /* the work failed (I/O, out of memory, cancelled) */
  PLM_EXIT_BAD_INPUT = 2,  /* bad arguments or malformed input files */
};

/* Prints "plmlens-cli: <message>" on one line and returns the exit status for @error. */
int      plm_cli_report_error  (const GError *error);
/* Parses @entries; on bad usage prints one line and returns FALSE. */
gboolean plm_cli_parse_options (const char    *command,
                                const char    *parameter_string,
                                const char    *summary,
                                GOptionEntry  *entries,
                                int           *argc,
                                char        ***argv);
/* Prints a usage error ("plmlens-cli COMMAND: message") and returns PLM_EXIT_BAD_INPUT. */
int      plm_cli_usage_error   (const char    *command,
                                const char    *fmt,
                                ...) G_GNUC_PRINTF (2, 3);

/* The output directory name of a record: its identifier made file-system safe, with "_2", "_3",
 * … when an earlier record of @used (a set of names, which the new name joins) took it. */
char    *plm_cli_record_dir_name (GHashTable   *used,
                                  const char   *id);

/* The --window, --window-size and --window-overlap options against a model that runs at most
 * @max_residues: PLM_EXIT_OK, with a 0 *@window_size replaced by @max_residues, or the status of
 * the one-line usage error printed for @command. */
int      plm_cli_check_window  (const char   *command,
                                int           max_residues,
                                gboolean      windowed,
                                int          *window_size,
                                int           overlap);

/* --precision, for every command that runs a model (a char * variable, NULL: fp32). */
#define PLM_CLI_PRECISION_ENTRY(name_var) \
  { "precision", 0, 0, G_OPTION_ARG_STRING, &(name_var), \
    "Weight products in fp32 (default), bf16 or int8: faster, approximate (README: Reduced precision)", "P" }
/* Parses a --precision value (NULL: fp32) into *@precision; otherwise prints the usage error of
 * @command and returns PLM_EXIT_BAD_INPUT. */
int      plm_cli_parse_precision (const char   *command,
                                  const char   *name,
                                  PlmPrecision *precision);

/* TRUE when @path is NULL (an option not given) or a directory; otherwise prints
 * "plmlens-cli: PATH: not a directory" and returns FALSE (exit with PLM_EXIT_BAD_INPUT). */
gboolean plm_cli_check_dir     (const char    *path);

/* Progress with rate and ETA on stderr, redrawn at most 10 times a second; silent when
 * @quiet or stderr is not a terminal (then one line per 5 %). */
typedef struct _PlmProgress PlmProgress;

PlmProgress *plm_progress_new    (const char  *what,
                                  guint64      total,
                                  gboolean     quiet);
void         plm_progress_update (PlmProgress *progress,
                                  guint64      done,
                                  const char  *item);
void         plm_progress_finish (PlmProgress *progress);

/* The sequence of FASTA record @r as it is run (upper-cased unless @keep_case) and its tokens.
 * NULL, with a one-line message naming @fasta:line printed, when the record is longer than
 * @model was trained on and not @allow_long (exit status PLM_EXIT_BAD_INPUT). */
int32_t *plm_cli_record_tokens (const PlmModel       *model,
                                const char           *fasta,
                                const PlmFastaRecord *record,
                                gboolean              keep_case,
                                gboolean              allow_long,
                                char                **sequence,
                                int                  *n_tokens);

G_END_DECLS
