/* plm-download.h: resumable, verified HTTP downloads of model files with libsoup 3. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Called from the downloading thread; @total is -1 when unknown. */
typedef void (*PlmDownloadProgressFunc) (gint64   received,
                                         gint64   total,
                                         gpointer user_data);

/* Downloads @url to @dest through "@dest.part": an existing .part is resumed with an HTTP
 * Range request; the file is checked against @expected_size (-1: unknown) and
 * @expected_sha256 (NULL: unknown) and only then renamed to @dest. A wrong checksum deletes
 * the .part; an interrupted transfer keeps it for the next attempt. Blocking: call it from a
 * worker thread. */
gboolean plm_download_file_sync  (const char               *url,
                                  const char               *dest,
                                  gint64                    expected_size,
                                  const char               *expected_sha256,
                                  PlmDownloadProgressFunc   progress_func,
                                  gpointer                  progress_data,
                                  GCancellable             *cancellable,
                                  GError                  **error);

/* The same in a thread; @progress_func is called on the caller's main context. */
void     plm_download_file_async (const char               *url,
                                  const char               *dest,
                                  gint64                    expected_size,
                                  const char               *expected_sha256,
                                  PlmDownloadProgressFunc   progress_func,
                                  gpointer                  progress_data,
                                  GCancellable             *cancellable,
                                  GAsyncReadyCallback       callback,
                                  gpointer                  user_data);
gboolean plm_download_file_finish (GAsyncResult            *result,
                                   GError                 **error);

G_END_DECLS
