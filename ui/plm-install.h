/* plm-install.h: installs a catalogue model for a window, showing its progress on a bar. */
#pragma once

#include <gtk/gtk.h>

#include "plm-catalogue.h"
#include "plm-model-store.h"

G_BEGIN_DECLS

/* Called on the main context when the install ends, only if @owner is still alive: @path is the
 * installed model's directory and @checks how its files were verified (see
 * plm_model_store_install_finish), or NULL with @error set (cancelled included). */
typedef void (*PlmInstallDoneFunc) (gpointer      owner,
                                    const char   *path,
                                    const char   *checks,
                                    const GError *error);

/* Starts installing @entry into @store. @bar shows "Connecting…", then the bytes received of the
 * total (pulsing while the total is unknown). @owner is held weakly: a window closed meanwhile
 * is never called back. */
void plm_install_start (PlmModelStore           *store,
                        const PlmCatalogueEntry *entry,
                        GtkProgressBar          *bar,
                        GCancellable            *cancellable,
                        gpointer                 owner,
                        PlmInstallDoneFunc       done);

G_END_DECLS
