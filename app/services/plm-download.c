/* plm-download.c: one file over HTTP(S) into a .part file, resumed, verified, renamed. */
#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <string.h>

#include "plm-download.h"
#include "plm-error.h"
#include "plm-handoff.h"

#define CHUNK (256 * 1024)

/* Hashes what an earlier attempt left in @part so the final checksum covers the whole file. */
static gboolean
hash_existing (const char  *part,
               GChecksum   *sum,
               gint64      *size,
               GError     **error)
{
  g_autofree guchar *buf = NULL;
  FILE *f;
  size_t n;

  *size = 0;
  f = g_fopen (part, "rb");
  if (f == NULL)
    return TRUE;
  buf = g_malloc (CHUNK);
  while ((n = fread (buf, 1, CHUNK, f)) > 0)
    {
      g_checksum_update (sum, buf, n);
      *size += n;
    }
  if (ferror (f))
    {
      int saved = errno;
      fclose (f);
      g_set_error (error, PLM_ERROR, PLM_ERROR_IO, _("Could not read %s: %s"), part, g_strerror (saved));
      return FALSE;
    }
  fclose (f);
  return TRUE;
}

static void
set_network_error (GError     **error,
                   const char  *url,
                   GError      *cause)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  const char *host = uri && g_uri_get_host (uri) ? g_uri_get_host (uri) : url;

  if (g_error_matches (cause, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_set_error (error, PLM_ERROR, PLM_ERROR_CANCELLED, _("The download was cancelled"));
  else if (cause->domain == G_RESOLVER_ERROR ||
           g_error_matches (cause, G_IO_ERROR, G_IO_ERROR_NETWORK_UNREACHABLE) ||
           g_error_matches (cause, G_IO_ERROR, G_IO_ERROR_HOST_UNREACHABLE) ||
           g_error_matches (cause, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED))
    g_set_error (error, PLM_ERROR, PLM_ERROR_IO,
                 _("Could not reach %s. Check the internet connection and try again. (%s)"),
                 host, cause->message);
  else
    g_set_error (error, PLM_ERROR, PLM_ERROR_IO,
                 _("The download from %s was interrupted: %s. Try again to resume it."),
                 host, cause->message);
}

const char *
plm_download_check_describe (PlmDownloadCheck check)
{
  switch (check)
    {
    case PLM_DOWNLOAD_CHECK_PINNED_SHA256:
      return _("checked against the SHA-256 in the model catalogue");
    case PLM_DOWNLOAD_CHECK_HUB_SHA256:
      return _("checked against the SHA-256 the server reported");
    case PLM_DOWNLOAD_CHECK_SIZE_ONLY:
    default:
      return _("only its size was checked (no SHA-256 known)");
    }
}

gboolean
plm_download_parse_linked_etag (const char *value,
                                char        out[65])
{
  gsize n;

  if (value == NULL)
    return FALSE;
  while (*value == ' ')
    value++;
  if (g_str_has_prefix (value, "W/"))
    value += 2;
  if (*value == '"')
    value++;
  n = strspn (value, "0123456789abcdefABCDEF");
  if (n != 64 || (value[n] != '\0' && value[n] != '"'))
    return FALSE;
  if (value[n] == '"' && value[n + 1] != '\0' && value[n + 1] != ' ')
    return FALSE;
  for (gsize i = 0; i < 64; i++)
    out[i] = g_ascii_tolower (value[i]);
  out[64] = '\0';
  return TRUE;
}

/* Every response, a redirect included (libsoup follows those itself), may carry the hub's
 * X-Linked-Etag: keep the last SHA-256 seen. */
static void
on_got_headers (SoupMessage *msg,
                char        *hub_sha256)
{
  const char *v = soup_message_headers_get_one (soup_message_get_response_headers (msg), "X-Linked-Etag");
  char sha[65];

  if (plm_download_parse_linked_etag (v, sha))
    memcpy (hub_sha256, sha, sizeof sha);
}

gboolean
plm_download_file_sync (const char               *url,
                        const char               *dest,
                        gint64                    expected_size,
                        const char               *expected_sha256,
                        PlmDownloadProgressFunc   progress_func,
                        gpointer                  progress_data,
                        GCancellable             *cancellable,
                        PlmDownloadCheck         *check,
                        GError                  **error)
{
  g_autoptr(SoupSession) session = NULL;
  char hub_sha256[65] = "";
  g_autoptr(GChecksum) sum = NULL;
  g_autofree char *part = NULL;
  g_autofree char *base = NULL;
  g_autofree guchar *buf = NULL;
  gint64 offset = 0, received, total = -1;
  int attempt;

  g_return_val_if_fail (url != NULL, FALSE);
  g_return_val_if_fail (dest != NULL, FALSE);

  part = g_strconcat (dest, ".part", NULL);
  base = g_path_get_basename (dest);
  session = soup_session_new_with_options ("user-agent", "PLM-Lens/" PLM_VERSION " ",
                                           "timeout", 60, NULL);
  buf = g_malloc (CHUNK);

  /* At most two attempts: the second starts from zero when the server refused to resume. */
  for (attempt = 0; attempt < 2; attempt++)
    {
      g_autoptr(SoupMessage) msg = NULL;
      g_autoptr(GInputStream) in = NULL;
      g_autoptr(GFile) part_file = g_file_new_for_path (part);
      g_autoptr(GFileOutputStream) out = NULL;
      g_autoptr(GError) local_error = NULL;
      guint status;

      sum = g_checksum_new (G_CHECKSUM_SHA256);
      if (!hash_existing (part, sum, &offset, error))
        return FALSE;
      if (expected_size >= 0 && offset > expected_size)
        {
          g_unlink (part);
          g_checksum_reset (sum);
          offset = 0;
        }

      msg = soup_message_new (SOUP_METHOD_GET, url);
      if (msg == NULL)
        {
          g_set_error (error, PLM_ERROR, PLM_ERROR_INPUT, _("Not a valid address: %s"), url);
          return FALSE;
        }
      if (offset > 0)
        soup_message_headers_set_range (soup_message_get_request_headers (msg), offset, -1);
      hub_sha256[0] = '\0';
      g_signal_connect (msg, "got-headers", G_CALLBACK (on_got_headers), hub_sha256);

      in = soup_session_send (session, msg, cancellable, &local_error);
      if (in == NULL)
        {
          set_network_error (error, url, local_error);
          return FALSE;
        }

      status = soup_message_get_status (msg);
      if (offset > 0 && status == SOUP_STATUS_REQUESTED_RANGE_NOT_SATISFIABLE)
        {
          /* Either the .part is already complete or it is not from this file: verify below
           * if the size says complete, otherwise start over. */
          if (expected_size == offset)
            {
              received = offset;
              goto verify;
            }
          g_unlink (part);
          continue;
        }
      if (status == SOUP_STATUS_OK && offset > 0)
        {
          /* The server ignored the Range header: start from zero. */
          g_unlink (part);
          g_checksum_reset (sum);
          offset = 0;
        }
      else if (status == SOUP_STATUS_PARTIAL_CONTENT && offset > 0)
        {
          goffset start = 0, end = 0, length = 0;

          if (!soup_message_headers_get_content_range (soup_message_get_response_headers (msg),
                                                       &start, &end, &length) || start != offset)
            {
              g_unlink (part);
              continue;
            }
        }
      else if (status != SOUP_STATUS_OK)
        {
          g_set_error (error, PLM_ERROR, PLM_ERROR_IO,
                       _("Could not download %s: the server answered %u %s"),
                       base, status, soup_message_get_reason_phrase (msg));
          return FALSE;
        }

      total = soup_message_headers_get_content_length (soup_message_get_response_headers (msg));
      total = total > 0 ? offset + total : expected_size;
      if (expected_size >= 0 && total >= 0 && total != expected_size)
        {
          g_autofree char *sends = g_strdup_printf ("%" G_GINT64_FORMAT, total);
          g_autofree char *expected = g_strdup_printf ("%" G_GINT64_FORMAT, expected_size);

          /* Translators: file name, then two byte counts */
          g_set_error (error, PLM_ERROR, PLM_ERROR_FORMAT,
                       _("Could not download %s: the server sends %s bytes but %s were expected"),
                       base, sends, expected);
          return FALSE;
        }

      if (offset > 0)
        out = g_file_append_to (part_file, G_FILE_CREATE_PRIVATE, cancellable, &local_error);
      else
        out = g_file_replace (part_file, NULL, FALSE, G_FILE_CREATE_PRIVATE, cancellable, &local_error);
      if (out == NULL)
        {
          g_set_error (error, PLM_ERROR, PLM_ERROR_IO, _("Could not write %s: %s"), part, local_error->message);
          return FALSE;
        }

      received = offset;
      if (progress_func)
        progress_func (received, total, progress_data);
      for (;;)
        {
          gssize n = g_input_stream_read (in, buf, CHUNK, cancellable, &local_error);

          if (n < 0)
            {
              g_output_stream_close (G_OUTPUT_STREAM (out), NULL, NULL);
              set_network_error (error, url, local_error);
              return FALSE;
            }
          if (n == 0)
            break;
          if (!g_output_stream_write_all (G_OUTPUT_STREAM (out), buf, n, NULL, cancellable, &local_error))
            {
              g_set_error (error, PLM_ERROR, PLM_ERROR_IO, _("Could not write %s: %s"), part, local_error->message);
              return FALSE;
            }
          g_checksum_update (sum, buf, n);
          received += n;
          if (expected_size >= 0 && received > expected_size)
            {
              g_output_stream_close (G_OUTPUT_STREAM (out), NULL, NULL);
              g_unlink (part);
              g_set_error (error, PLM_ERROR, PLM_ERROR_FORMAT,
                           _("Could not download %s: the server sent more data than expected"), base);
              return FALSE;
            }
          if (progress_func)
            progress_func (received, total, progress_data);
        }
      if (!g_output_stream_close (G_OUTPUT_STREAM (out), cancellable, &local_error))
        {
          g_set_error (error, PLM_ERROR, PLM_ERROR_IO, _("Could not write %s: %s"), part, local_error->message);
          return FALSE;
        }
      goto verify;
    }

  g_set_error (error, PLM_ERROR, PLM_ERROR_IO, _("Could not download %s: the server refuses to resume"), base);
  return FALSE;

verify:
  if ((expected_size >= 0 && received != expected_size) || (total >= 0 && received != total))
    {
      /* Keep the .part: the next attempt resumes it. */
      g_autofree char *bytes = g_strdup_printf ("%" G_GINT64_FORMAT, received);

      g_set_error (error, PLM_ERROR, PLM_ERROR_IO,
                   _("The download of %s ended early (%s bytes). Try again to resume it."),
                   base, bytes);
      return FALSE;
    }
  if (expected_sha256 != NULL && g_ascii_strcasecmp (g_checksum_get_string (sum), expected_sha256) != 0)
    {
      /* Corrupt data must not be resumed either. */
      g_unlink (part);
      g_set_error (error, PLM_ERROR, PLM_ERROR_FORMAT,
                   _("The download of %s is corrupt: its SHA-256 is %s but %s was expected"),
                   base, g_checksum_get_string (sum), expected_sha256);
      return FALSE;
    }
  if (expected_sha256 == NULL && hub_sha256[0] != '\0'
      && g_ascii_strcasecmp (g_checksum_get_string (sum), hub_sha256) != 0)
    {
      g_unlink (part);
      g_set_error (error, PLM_ERROR, PLM_ERROR_FORMAT,
                   _("The download of %s is corrupt: its SHA-256 is %s but the server reported %s"),
                   base, g_checksum_get_string (sum), hub_sha256);
      return FALSE;
    }
  if (g_rename (part, dest) != 0)
    {
      int saved = errno;
      g_set_error (error, PLM_ERROR, PLM_ERROR_IO, _("Could not rename %s: %s"), part, g_strerror (saved));
      return FALSE;
    }
  if (check != NULL)
    *check = expected_sha256 != NULL ? PLM_DOWNLOAD_CHECK_PINNED_SHA256
           : hub_sha256[0] != '\0' ? PLM_DOWNLOAD_CHECK_HUB_SHA256 : PLM_DOWNLOAD_CHECK_SIZE_ONLY;
  return TRUE;
}

/* Asynchronous wrapper */

typedef struct
{
  char                    *url;
  char                    *dest;
  gint64                   expected_size;
  char                    *sha256;
  PlmHandoffProgress       progress;
  PlmDownloadCheck         check;
} AsyncData;

static void
async_data_free (gpointer data)
{
  AsyncData *ad = data;

  g_free (ad->url);
  g_free (ad->dest);
  g_free (ad->sha256);
  plm_handoff_progress_clear (&ad->progress);
  g_free (ad);
}

static void
thread_progress (gint64   received,
                 gint64   total,
                 gpointer user_data)
{
  GTask *task = user_data;
  AsyncData *ad = g_task_get_task_data (task);

  plm_handoff_progress_post (&ad->progress, received, total);
}

static void
download_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  AsyncData *ad = task_data;
  GError *error = NULL;

  if (plm_download_file_sync (ad->url, ad->dest, ad->expected_size, ad->sha256,
                              ad->progress.func != NULL ? thread_progress : NULL, task,
                              cancellable, &ad->check, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
plm_download_file_async (const char               *url,
                         const char               *dest,
                         gint64                    expected_size,
                         const char               *expected_sha256,
                         PlmDownloadProgressFunc   progress_func,
                         gpointer                  progress_data,
                         GCancellable             *cancellable,
                         GAsyncReadyCallback       callback,
                         gpointer                  user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  AsyncData *ad = g_new0 (AsyncData, 1);

  ad->url = g_strdup (url);
  ad->dest = g_strdup (dest);
  ad->expected_size = expected_size;
  ad->sha256 = g_strdup (expected_sha256);
  plm_handoff_progress_init (&ad->progress, task, (PlmHandoffProgressFunc) progress_func, progress_data);
  g_task_set_source_tag (task, plm_download_file_async);
  g_task_set_task_data (task, ad, async_data_free);
  g_task_run_in_thread (task, download_thread);
}

gboolean
plm_download_file_finish (GAsyncResult      *result,
                          PlmDownloadCheck  *check,
                          GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;
  if (check != NULL)
    *check = ((AsyncData *) g_task_get_task_data (G_TASK (result)))->check;
  return TRUE;
}
