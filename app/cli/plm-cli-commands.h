/* plm-cli-commands.h: the subcommands of plmlens-cli; each returns the process exit status. */
#pragma once

int plm_cli_info  (int argc, char **argv);
int plm_cli_convert (int argc, char **argv);
int plm_cli_infer (int argc, char **argv);
int plm_cli_scan  (int argc, char **argv);
int plm_cli_hasites     (int argc, char **argv);
int plm_cli_ha_active   (int argc, char **argv);
int plm_cli_ha_families (int argc, char **argv);
int plm_cli_train (int argc, char **argv);
int plm_cli_evaluate (int argc, char **argv);
int plm_cli_crossattn (int argc, char **argv);
int plm_cli_export (int argc, char **argv);
int plm_cli_structure_map (int argc, char **argv);
