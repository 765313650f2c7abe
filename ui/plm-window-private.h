/* plm-window-private.h: PlmWindow's instance structure and the functions its files share:
 * plm-window.c (model, life cycle), -sidebar.c, -dnd.c, -run.c and -actions.c. */
#pragma once

#include "plm-attention-view.h"
#include "plm-catalogue.h"
#include "plm-contacts-view.h"
#include "plm-ha-view.h"
#include "plm-model-store.h"
#include "plm-mutations-view.h"
#include "plm-overview-view.h"
#include "plm-pair-view.h"
#include "plm-selection.h"
#include "plm-sequence.h"
#include "plm-structure-view.h"
#include "plm-window.h"

G_BEGIN_DECLS

struct _PlmWindow
{
  AdwApplicationWindow  parent_instance;

  /* Template children */
  AdwToastOverlay      *toast_overlay;
  AdwViewSwitcherTitle *switcher_title;
  AdwFlap              *flap;
  GtkLabel             *model_label;
  GtkLabel             *model_details;
  GtkPopover           *model_popover;
  GtkWidget            *manage_models_button;
  GtkButton            *run_button;
  GtkButton            *cancel_button;
  GtkBox               *progress_box;
  GtkLabel             *progress_label;
  GtkProgressBar       *progress_bar;
  GtkSearchEntry       *search_entry;
  GtkStack             *sidebar_stack;
  AdwStatusPage        *sidebar_empty;
  GtkListView          *sequence_list;
  GtkSignalListItemFactory *sequence_factory;
  GtkLabel             *note_label;
  GtkLabel             *invalid_label;
  GtkRevealer          *long_banner;
  GtkLabel             *long_banner_label;
  AdwViewStack         *main_stack;
  AdwStatusPage        *welcome_page;
  AdwStatusPage        *ready_page;
  GtkWidget            *edit_button;
  AdwStatusPage        *running_page;
  GtkSpinner           *running_spinner;
  AdwStatusPage        *error_page;
  GtkButton            *download_button;
  GtkBox               *download_box;
  GtkProgressBar       *download_progress;
  GtkLabel             *download_error;
  AdwViewStack         *views_stack;
  GtkLabel             *summary_label;
  PlmAttentionView     *attention_view;
  PlmOverviewView      *overview_view;
  PlmContactsView      *contacts_view;
  PlmHaView            *ha_view;
  PlmPairView          *pair_view;
  PlmMutationsView     *mutations_view;
  PlmStructureView     *structure_view;
  GMenu                *recent_section;

  /* Shared with the application */
  GSettings            *settings;
  PlmInferenceWorker   *worker;
  PlmModelStore        *model_store;
  const PlmCatalogue   *catalogue;

  /* The residue hovered or selected in any view, highlighted in all of them */
  PlmSelection         *residue_selection;
  /* The structure loaded for the sequence on show, shared by the Contacts and HA views */
  PlmLoadedStructure   *structure;

  /* Sequences */
  GListStore           *sequences;
  GtkCustomFilter      *filter;
  GtkFilterListModel   *filtered;
  GtkSingleSelection   *selection;
  GMenuModel           *sequence_menu;   /* a record's context menu */

  /* Work in progress */
  GCancellable         *run_cancellable;
  GCancellable         *download_cancellable;
  GCancellable         *load_cancellable;   /* the model being loaded */
  GCancellable         *lifetime;           /* cancelled in dispose: async results find a dead window */
  PlmInferenceResult   *result;
  gint64                result_time;
  gboolean              run_after_load;
  gboolean              loading_model;
  guint                 progress_updates;
  int                   progress_shown;   /* the largest layer the current run has shown */
  gulong                busy_handler;
};

void plm_window_actions_class_init (GtkWidgetClass *widget_class);
void plm_window_actions_init       (PlmWindow *self);
void plm_window_update_actions     (PlmWindow *self);
void plm_window_update_long_banner (PlmWindow *self);
/* Longer than the model was trained on (ESM-2) or can read at all (ESM-1b/1v): Run asks first. */
gboolean plm_window_is_too_long_for_model (PlmWindow *self,
                                           PlmSequence *seq);
void plm_window_download_default   (PlmWindow *self);
void plm_window_cancel_download    (PlmWindow *self);
void plm_window_choose_checkpoint  (PlmWindow *self);
void plm_window_choose_files       (PlmWindow *self);
void plm_window_paste_dialog       (PlmWindow *self);
void plm_window_step_layer         (PlmWindow *self,
                                    int        delta);
void plm_window_update_recent      (PlmWindow *self);

void plm_window_show_toast         (PlmWindow  *self,
                                    const char *message);
void plm_window_show_current       (PlmWindow  *self);
void plm_window_sidebar_class_init (GtkWidgetClass *widget_class);
void plm_window_sidebar_init       (PlmWindow  *self);
/* Selects the record at @position of the (unfiltered) list, clearing the search, and scrolls
 * the list to it. */
void plm_window_select_and_show    (PlmWindow  *self,
                                    guint       position);
/* The paste dialog; with @replace, prefilled with that record, which its records replace. */
GtkWindow *plm_window_edit_dialog  (PlmWindow   *self,
                                    PlmSequence *replace);
void plm_window_refilter           (PlmWindow  *self);
void plm_window_dnd_init           (PlmWindow  *self);
void plm_window_open_map           (PlmWindow       *self,
                                    int              layer,
                                    int              head,
                                    PlmOverviewView *overview);

G_END_DECLS
