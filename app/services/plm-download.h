/* plm-download.h: resumable, verified HTTP downloads of model files with libsoup 3. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* How a finished download was verified, strongest first. */
typedef enum
{
  PLM_DOWNLOAD_CHECK_PINNED_SHA256,  /* the SHA-256 the caller gave (the catalogue's) */
  PLM_DOWNLOAD_CHECK_HUB_SHA256,     /* the SHA-256 the server reported for the file: Hugging
                                      * Face's X-Linked-Etag of a large (LFS) file */
  PLM_DOWNLOAD_CHECK_SIZE_ONLY,      /* only the size (the catalogue's or Content-Length) */
} PlmDownloadCheck;

/* A translated phrase for @check, e.g. "checked against the SHA-256 the server reported". */
const char *plm_download_check_describe (PlmDownloadCheck check);

/* The SHA-256 in an X-Linked-Etag header value ("<64 hex>", quotes and a W/ prefix allowed),
 * lower-cased into @out[65]; FALSE for anything else. Only that header is read: Hugging Face's
 * plain ETag of a small (non-LFS) file is a git blob SHA-1, not a SHA-256. */
gboolean    plm_download_parse_linked_etag (const char *value,
                                            char        out[65]);

/* Called from the downloading thread; @total is -1 when unknown. */
typedef void (*PlmDownloadProgressFunc) (gint64   received,
                                         gint64   total,
                                         gpointer user_data);

/* Downloads @url to @dest through "@dest.part": an existing .part is resumed with an HTTP
 * Range request; the file is checked against @expected_size (-1: unknown) and
 * @expected_sha256 (NULL: unknown; then the SHA-256 the server reports in X-Linked-Etag, on
 * the redirect or the response itself, if any) and only then renamed to @dest. @check (may be
 * NULL) receives which check was made. A wrong checksum deletes the .part; an interrupted
 * transfer keeps it for the next attempt. Blocking: call it from a worker thread. */
gboolean plm_download_file_sync  (const char               *url,
                                  const char               *dest,
                                  gint64                    expected_size,
                                  const char               *expected_sha256,
                                  PlmDownloadProgressFunc   progress_func,
                                  gpointer                  progress_data,
                                  GCancellable             *cancellable,
                                  PlmDownloadCheck         *check,
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
                                   PlmDownloadCheck        *check,
                                   GError                 **error);

G_END_DECLS
