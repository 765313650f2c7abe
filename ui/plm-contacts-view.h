/* plm-contacts-view.h: the predicted contact map, its top L, L/2 or L/5 contacts and a structure overlay. */
#pragma once

#include <gtk/gtk.h>

#include "plm-color-map.h"
#include "plm-contacts.h"
#include "plm-figure.h"
#include "plm-inference-worker.h"
#include "plm-loaded-structure.h"
#include "plm-selection.h"

G_BEGIN_DECLS

#define PLM_TYPE_CONTACTS_VIEW (plm_contacts_view_get_type ())
G_DECLARE_FINAL_TYPE (PlmContactsView, plm_contacts_view, PLM, CONTACTS_VIEW, GtkWidget)

GtkWidget *plm_contacts_view_new             (void);
void       plm_contacts_view_set_result      (PlmContactsView    *self,
                                              PlmInferenceResult *result);
/* Highlights the top L / @divisor predicted contacts (1, 2 or 5). */
void       plm_contacts_view_set_top         (PlmContactsView    *self,
                                              int                 divisor);
/* True contacts from a PDB/mmCIF file, loaded into the view's structure: the sequence is
 * aligned to the chain with the best identity (plm_structure_chain_best; the chain picker
 * chooses another); Cβ (Gly Cα) distance < PLM_CONTACT_CUTOFF; residues the structure lacks
 * are unknown, precision is over pairs of observed residues. FALSE with @error when there is no
 * result yet, the file cannot be read or its best chain is under 90 % identical (Use Anyway). */
gboolean   plm_contacts_view_load_structure  (PlmContactsView    *self,
                                              const char         *path,
                                              GError            **error);
/* The structure the view compares with, shared with the other views (the window's); the view
 * has one of its own until then. */
void       plm_contacts_view_set_structure   (PlmContactsView    *self,
                                              PlmLoadedStructure *structure);
/* Precision of the top L/5 predictions (among pairs the structure has) against it; NaN without
 * one. */
double     plm_contacts_view_get_precision   (PlmContactsView    *self);
void       plm_contacts_view_set_color_map   (PlmContactsView    *self,
                                              PlmColorMap         map);
void       plm_contacts_view_set_selection   (PlmContactsView    *self,
                                              PlmSelection       *selection);
/* The residue highlighted through the linked selection, -1 for none. */
int        plm_contacts_view_get_highlighted (PlmContactsView    *self);
/* Data index = residue index (no special tokens). Upper triangle: predicted probabilities;
 * lower triangle: 1 = top-k and true, 0.6 = top-k (true unknown or false), 0.3 = true only. */
GtkWidget *plm_contacts_view_get_heatmap     (PlmContactsView    *self);

/* The figure of the contact map with the loaded structure's contacts for export; NULL without
 * predicted contacts. */
PlmFigure *plm_contacts_view_create_figure   (PlmContactsView    *self,
                                              const char         *record);

G_END_DECLS
