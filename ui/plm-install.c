/* plm-install.c: see plm-install.h. */
#include <glib/gi18n.h>

#include "plm-install.h"

typedef struct
{
  GWeakRef            owner;
  GtkProgressBar     *bar;
  gulong              handler;
  PlmInstallDoneFunc  done;
} Install;

static void
on_progress (Install       *install,
             gint64         received,
             gint64         total,
             PlmModelStore *store)
{
  g_autofree char *a = g_format_size (received);
  g_autofree char *b = total > 0 ? g_format_size (total) : NULL;
  /* Translators: bytes received of total, e.g. "12.0 MB of 31.4 MB" */
  g_autofree char *text = b != NULL ? g_strdup_printf (_("%s of %s"), a, b) : g_strdup (a);

  gtk_progress_bar_set_text (install->bar, text);
  if (total > 0)
    gtk_progress_bar_set_fraction (install->bar, (double) received / total);
  else
    gtk_progress_bar_pulse (install->bar);
}

static void
on_installed (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  Install *install = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *checks = NULL;
  g_autofree char *path = plm_model_store_install_finish (PLM_MODEL_STORE (object), result, &checks, &error);
  g_autoptr(GObject) owner = g_weak_ref_get (&install->owner);

  g_clear_signal_handler (&install->handler, object);
  if (owner != NULL)
    install->done (owner, path, checks, error);
  g_weak_ref_clear (&install->owner);
  g_object_unref (install->bar);
  g_free (install);
}

void
plm_install_start (PlmModelStore           *store,
                   const PlmCatalogueEntry *entry,
                   GtkProgressBar          *bar,
                   GCancellable            *cancellable,
                   gpointer                 owner,
                   PlmInstallDoneFunc       done)
{
  Install *install = g_new0 (Install, 1);

  g_weak_ref_init (&install->owner, owner);
  install->bar = g_object_ref (bar);
  install->done = done;
  gtk_progress_bar_set_fraction (bar, 0.0);
  gtk_progress_bar_set_text (bar, _("Connecting…"));
  install->handler = g_signal_connect_swapped (store, "progress", G_CALLBACK (on_progress), install);
  plm_model_store_install_async (store, entry, cancellable, on_installed, install);
}
