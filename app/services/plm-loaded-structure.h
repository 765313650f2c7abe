/* plm-loaded-structure.h: the structure loaded for the sequence on show, aligned to it, shared
 * by every view that uses one (Contacts, HA sites). */
#pragma once

#include <gio/gio.h>

#include "plm-structure-chains.h"
#include "plm-structure-map.h"

G_BEGIN_DECLS

#define PLM_LOADED_STRUCTURE_ERROR (plm_loaded_structure_error_quark ())
typedef enum {
  PLM_LOADED_STRUCTURE_ERROR_NO_SEQUENCE,   /* nothing to align to yet */
  PLM_LOADED_STRUCTURE_ERROR_IDENTITY,      /* below PLM_STRUCTURE_MIN_IDENTITY: force to use it */
} PlmLoadedStructureError;
GQuark plm_loaded_structure_error_quark (void);

#define PLM_TYPE_LOADED_STRUCTURE (plm_loaded_structure_get_type ())
G_DECLARE_FINAL_TYPE (PlmLoadedStructure, plm_loaded_structure, PLM, LOADED_STRUCTURE, GObject)

PlmLoadedStructure    *plm_loaded_structure_new            (void);
/* The sequence structures are aligned to. A different one drops the structure (it belongs to
 * one protein); the same one keeps it. Emits "changed" when something was dropped. */
void                   plm_loaded_structure_set_sequence   (PlmLoadedStructure  *self,
                                                            const char          *sequence,
                                                            int                  length);
/* Reads @path and aligns the sequence to each chain; uses @chain, or with NULL the best one
 * (plm_structure_chain_best). Fails, keeping what was loaded, for an unreadable file, an unknown
 * chain, no sequence, or (unless @force) a chain below 90% identity:
 * PLM_LOADED_STRUCTURE_ERROR_IDENTITY, with a message saying how to go on. Emits "changed". */
gboolean               plm_loaded_structure_load           (PlmLoadedStructure  *self,
                                                            const char          *path,
                                                            const char          *chain,
                                                            gboolean             force,
                                                            GError             **error);
/* Another chain of the loaded structure; the same refusals as plm_loaded_structure_load. */
gboolean               plm_loaded_structure_set_chain      (PlmLoadedStructure  *self,
                                                            const char          *chain,
                                                            gboolean             force,
                                                            GError             **error);
void                   plm_loaded_structure_clear          (PlmLoadedStructure  *self);

/* For views: drops *@slot (disconnecting *@handler), then keeps @structure (may be NULL) in it
 * with @changed connected (swapped, with @data) to its "changed" signal. */
void                   plm_loaded_structure_bind           (PlmLoadedStructure **slot,
                                                            gulong              *handler,
                                                            PlmLoadedStructure  *structure,
                                                            GCallback            changed,
                                                            gpointer             data);

/* NULL when nothing is loaded. */
const PlmStructure    *plm_loaded_structure_get_structure  (PlmLoadedStructure  *self);
/* The map of the sequence set last to the chain in use; NULL when nothing is loaded. */
const PlmStructureMap *plm_loaded_structure_get_map        (PlmLoadedStructure  *self);
/* The file's base name and path; NULL when nothing is loaded. */
const char            *plm_loaded_structure_get_name       (PlmLoadedStructure  *self);
const char            *plm_loaded_structure_get_path       (PlmLoadedStructure  *self);
/* PlmChainFit of every chain with amino acids, file order; NULL when nothing is loaded. */
GArray                *plm_loaded_structure_get_fits       (PlmLoadedStructure  *self);
/* The index in the fits of the chain in use, −1 when nothing is loaded. */
int                    plm_loaded_structure_get_chain      (PlmLoadedStructure  *self);
/* Whether the chain in use is below 90% identity, used because the user forced it. */
gboolean               plm_loaded_structure_get_forced     (PlmLoadedStructure  *self);

G_END_DECLS
