/* test-download.c: downloads and model installs against a SoupServer on 127.0.0.1. */
#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <string.h>

#include "plm-download.h"
#include "plm-error.h"
#include "plm-model-store.h"
#include "plm-test-util.h"

/* What the server serves and how it misbehaves. */
typedef struct
{
  SoupServer *server;
  guint       port;
  GBytes     *payload;          /* /file */
  char       *sha256;
  guint       n_requests;
  guint       n_range_requests;
  goffset     last_range_start;
  gboolean    cut_next;         /* the next /cut response stops after half the body */
  char       *dir;              /* a fresh temporary directory per test */
  char       *dest;             /* dir/model.safetensors */
  char       *part;             /* dest.part, where a download collects its bytes */
} Fixture;


static GBytes *
make_payload (gsize size)
{
  guint8 *data = g_malloc (size);
  guint32 x = 1;

  for (gsize i = 0; i < size; i++)
    {
      x = x * 1103515245u + 12345u;
      data[i] = x >> 24;
    }
  return g_bytes_new_take (data, size);
}

static void
serve_payload (Fixture           *f,
               SoupServerMessage *msg)
{
  SoupMessageHeaders *req = soup_server_message_get_request_headers (msg);
  SoupMessageHeaders *resp = soup_server_message_get_response_headers (msg);
  gsize size = g_bytes_get_size (f->payload);
  SoupRange *ranges = NULL;
  int n_ranges = 0;

  if (soup_message_headers_get_ranges (req, size, &ranges, &n_ranges))
    {
      goffset start = ranges[0].start, end = ranges[0].end;

      f->n_range_requests++;
      f->last_range_start = start;
      soup_message_headers_free_ranges (req, ranges);
      if (start >= (goffset) size)
        {
          soup_server_message_set_status (msg, SOUP_STATUS_REQUESTED_RANGE_NOT_SATISFIABLE, NULL);
          return;
        }
      soup_message_headers_set_content_range (resp, start, end, size);
      soup_server_message_set_status (msg, SOUP_STATUS_PARTIAL_CONTENT, NULL);
      soup_server_message_set_response (msg, "application/octet-stream", SOUP_MEMORY_COPY,
                                        (const char *) g_bytes_get_data (f->payload, NULL) + start,
                                        end - start + 1);
      return;
    }
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "application/octet-stream", SOUP_MEMORY_COPY,
                                    g_bytes_get_data (f->payload, NULL), size);
}

/* Sends headers promising the whole body, half of it, then drops the connection. */
static void
serve_cut (Fixture           *f,
           SoupServerMessage *msg)
{
  g_autoptr(GIOStream) stream = soup_server_message_steal_connection (msg);
  GOutputStream *out = g_io_stream_get_output_stream (stream);
  gsize size = g_bytes_get_size (f->payload);
  g_autofree char *head = g_strdup_printf ("HTTP/1.1 200 OK\r\nContent-Length: %" G_GSIZE_FORMAT
                                           "\r\nConnection: close\r\n\r\n", size);

  g_output_stream_write_all (out, head, strlen (head), NULL, NULL, NULL);
  g_output_stream_write_all (out, g_bytes_get_data (f->payload, NULL), size / 2, NULL, NULL, NULL);
  g_output_stream_flush (out, NULL, NULL);
  g_io_stream_close (stream, NULL, NULL);
}

static void
handler (SoupServer        *server,
         SoupServerMessage *msg,
         const char        *path,
         GHashTable        *query,
         gpointer           user_data)
{
  Fixture *f = user_data;

  f->n_requests++;
  if (g_str_equal (path, "/file") || g_str_equal (path, "/model/model.safetensors"))
    serve_payload (f, msg);
  else if (g_str_equal (path, "/model/config.json"))
    {
      soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC, "{}", 2);
    }
  else if (g_str_has_prefix (path, "/hub/") || g_str_has_prefix (path, "/hub-bad/"))
    {
      /* as Hugging Face's resolve/main/<file> for an LFS file: a redirect to the CDN that
       * carries the file's SHA-256 in X-Linked-Etag (and a plain ETag that is not it) */
      SoupMessageHeaders *resp = soup_server_message_get_response_headers (msg);
      g_autofree char *etag = g_strdup_printf ("\"%s\"", g_str_has_prefix (path, "/hub/") ? f->sha256
                                               : "2222222222222222222222222222222222222222222222222222222222222222");
      soup_message_headers_replace (resp, "X-Linked-Etag", etag);
      soup_message_headers_replace (resp, "ETag", "\"0123456789abcdef0123456789abcdef01234567\"");
      soup_message_headers_replace (resp, "Location", "/cdn/model.safetensors");
      soup_server_message_set_status (msg, SOUP_STATUS_FOUND, NULL);
    }
  else if (g_str_equal (path, "/cdn/model.safetensors"))
    serve_payload (f, msg);
  else if (g_str_equal (path, "/small/config.json"))
    {
      /* a small (non-LFS) file: its ETag is a git blob SHA-1, which is no SHA-256 */
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "ETag",
                                    "\"0123456789abcdef0123456789abcdef01234567\"");
      soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC, "{}", 2);
    }
  else if (g_str_equal (path, "/cut"))
    {
      if (f->cut_next)
        {
          f->cut_next = FALSE;
          serve_cut (f, msg);
        }
      else
        serve_payload (f, msg);
    }
  else
    soup_server_message_set_status (msg, SOUP_STATUS_NOT_FOUND, NULL);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  GSList *uris;

  f->payload = make_payload (3 * 1024 * 1024 + 17);
  f->sha256 = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, f->payload);
  f->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (f->server, NULL, handler, f, NULL);
  g_assert_true (soup_server_listen_local (f->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error));
  g_assert_no_error (error);
  uris = soup_server_get_uris (f->server);
  f->port = g_uri_get_port (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  f->dir = g_dir_make_tmp ("plm-download-XXXXXX", &error);
  g_assert_no_error (error);
  f->dest = g_build_filename (f->dir, "model.safetensors", NULL);
  f->part = g_strconcat (f->dest, ".part", NULL);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  plm_test_rm_rf (f->dir);
  g_free (f->dir);
  g_free (f->dest);
  g_free (f->part);
  soup_server_disconnect (f->server);
  g_clear_object (&f->server);
  g_bytes_unref (f->payload);
  g_free (f->sha256);
}

static char *
url (Fixture    *f,
     const char *path)
{
  return g_strdup_printf ("http://127.0.0.1:%u%s", f->port, path);
}

typedef struct
{
  gboolean  done;
  gboolean  ok;
  GError   *error;
  gint64    last_received;
  gint64    last_total;
  guint     n_progress;
  PlmDownloadCheck check;
  char     *checks;      /* install: how each file was verified */
} Wait;

static void
on_progress (gint64   received,
             gint64   total,
             gpointer user_data)
{
  Wait *w = user_data;

  g_assert_true (received >= w->last_received);
  w->last_received = received;
  w->last_total = total;
  w->n_progress++;
}

static void
on_done (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Wait *w = user_data;

  w->ok = plm_download_file_finish (result, &w->check, &w->error);
  w->done = TRUE;
}

/* The server lives on this thread's main loop, so the download must be asynchronous here. */
static gboolean
download (Fixture     *f,
          const char  *path,
          const char  *dest,
          gint64       size,
          const char  *sha256,
          Wait        *w)
{
  g_autofree char *u = url (f, path);

  memset (w, 0, sizeof *w);
  plm_download_file_async (u, dest, size, sha256, on_progress, w, NULL, on_done, w);
  while (!w->done)
    g_main_context_iteration (NULL, TRUE);
  return w->ok;
}

static gboolean
file_equals_payload (Fixture    *f,
                     const char *path)
{
  g_autofree char *contents = NULL;
  gsize len = 0;

  return g_file_get_contents (path, &contents, &len, NULL) &&
         len == g_bytes_get_size (f->payload) &&
         memcmp (contents, g_bytes_get_data (f->payload, NULL), len) == 0;
}

/* A failed download: the error expected, its message holding @needle, and neither the model
 * file nor a .part left behind. */
static void
assert_failed_clean (Fixture    *f,
                     Wait       *w,
                     int         code,
                     const char *needle)
{
  g_assert_false (w->ok);
  g_assert_error (w->error, PLM_ERROR, code);
  g_assert_nonnull (strstr (w->error->message, needle));
  g_test_message ("%s", w->error->message);
  g_assert_false (g_file_test (f->dest, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (f->part, G_FILE_TEST_EXISTS));
  g_clear_error (&w->error);
}

static void
test_success (Fixture       *f,
              gconstpointer  data)
{
  Wait w;

  g_assert_true (download (f, "/file", f->dest, g_bytes_get_size (f->payload), f->sha256, &w));
  g_assert_no_error (w.error);
  g_assert_true (file_equals_payload (f, f->dest));
  g_assert_false (g_file_test (f->part, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (w.n_progress, >, 0);
  g_assert_cmpint (w.last_received, ==, g_bytes_get_size (f->payload));
  g_assert_cmpint (w.last_total, ==, g_bytes_get_size (f->payload));
  g_assert_cmpuint (f->n_range_requests, ==, 0);
  g_assert_cmpint (w.check, ==, PLM_DOWNLOAD_CHECK_PINNED_SHA256);
}

/* No pinned hash: the SHA-256 the hub reports on its redirect (X-Linked-Etag) is checked, and
 * the caller is told so; resuming checks the whole file against it too. */
static void
test_hub_checksum (Fixture       *f,
                   gconstpointer  data)
{
  Wait w;

  g_assert_true (download (f, "/hub/model.safetensors", f->dest, -1, NULL, &w));
  g_assert_no_error (w.error);
  g_assert_true (file_equals_payload (f, f->dest));
  g_assert_cmpint (w.check, ==, PLM_DOWNLOAD_CHECK_HUB_SHA256);
  g_test_message ("%s", plm_download_check_describe (w.check));

  g_unlink (f->dest);
  g_assert_true (g_file_set_contents (f->part, g_bytes_get_data (f->payload, NULL), 1000000, NULL));
  g_assert_true (download (f, "/hub/model.safetensors", f->dest, -1, NULL, &w));
  g_assert_no_error (w.error);
  g_assert_cmpuint (f->n_range_requests, ==, 1);
  g_assert_cmpint (w.check, ==, PLM_DOWNLOAD_CHECK_HUB_SHA256);
  g_assert_true (file_equals_payload (f, f->dest));

  /* a pinned hash wins over the hub's */
  g_unlink (f->dest);
  g_assert_true (download (f, "/hub/model.safetensors", f->dest, -1, f->sha256, &w));
  g_assert_cmpint (w.check, ==, PLM_DOWNLOAD_CHECK_PINNED_SHA256);
}

/* The hub reports another SHA-256 than the bytes have: corrupt, nothing kept. */
static void
test_hub_checksum_wrong (Fixture       *f,
                         gconstpointer  data)
{
  Wait w;

  g_assert_false (download (f, "/hub-bad/model.safetensors", f->dest, -1, NULL, &w));
  g_assert_nonnull (strstr (w.error->message, f->sha256));
  assert_failed_clean (f, &w, PLM_ERROR_FORMAT, "the server reported 2222");
}

/* A small file's ETag (a git SHA-1) is not taken for a SHA-256: size only. */
static void
test_size_only (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *dest = g_build_filename (f->dir, "config.json", NULL);
  Wait w;

  g_assert_true (download (f, "/small/config.json", dest, -1, NULL, &w));
  g_assert_no_error (w.error);
  g_assert_cmpint (w.check, ==, PLM_DOWNLOAD_CHECK_SIZE_ONLY);
  g_test_message ("%s", plm_download_check_describe (w.check));
}

static void
test_parse_linked_etag (void)
{
  const char *hex = "c78322372c5f2a2db07ff6df20637701d82eb255aa32e2623c2db18553db28d9";
  g_autofree char *quoted = g_strdup_printf ("\"%s\"", hex);
  g_autofree char *weak = g_strdup_printf ("W/\"%s\"", hex);
  g_autofree char *upper = g_ascii_strup (quoted, -1);
  g_autofree char *longer = g_strdup_printf ("\"%s0\"", hex);
  char out[65];

  g_assert_true (plm_download_parse_linked_etag (hex, out));
  g_assert_cmpstr (out, ==, hex);
  g_assert_true (plm_download_parse_linked_etag (quoted, out));
  g_assert_cmpstr (out, ==, hex);
  g_assert_true (plm_download_parse_linked_etag (weak, out));
  g_assert_true (plm_download_parse_linked_etag (upper, out));
  g_assert_cmpstr (out, ==, hex);
  g_assert_false (plm_download_parse_linked_etag (NULL, out));
  g_assert_false (plm_download_parse_linked_etag ("", out));
  g_assert_false (plm_download_parse_linked_etag ("\"0123456789abcdef0123456789abcdef01234567\"", out));
  g_assert_false (plm_download_parse_linked_etag (longer, out));
  g_assert_false (plm_download_parse_linked_etag ("\"c78322372c5f2a2db07ff6df20637701d82eb255aa32e2623c2db18553db28dg\"", out));
}

/* A .f->part left by an earlier attempt is continued with a Range request, not restarted. */
static void
test_resume (Fixture       *f,
             gconstpointer  data)
{
  gsize half = 1234567;
  Wait w;

  g_assert_true (g_file_set_contents (f->part, g_bytes_get_data (f->payload, NULL), half, NULL));
  g_assert_true (download (f, "/file", f->dest, g_bytes_get_size (f->payload), f->sha256, &w));
  g_assert_no_error (w.error);
  g_assert_cmpuint (f->n_range_requests, ==, 1);
  g_assert_cmpint (f->last_range_start, ==, half);
  g_assert_true (file_equals_payload (f, f->dest));
  g_assert_false (g_file_test (f->part, G_FILE_TEST_EXISTS));
}

/* Wrong checksum: an error naming both digests, no model file and no .f->part to resume. */
static void
test_wrong_checksum (Fixture       *f,
                     gconstpointer  data)
{
  const char *wrong = "0000000000000000000000000000000000000000000000000000000000000000";
  Wait w;

  g_assert_false (download (f, "/file", f->dest, g_bytes_get_size (f->payload), wrong, &w));
  g_assert_nonnull (strstr (w.error->message, f->sha256));
  assert_failed_clean (f, &w, PLM_ERROR_FORMAT, wrong);
}

static void
test_not_found (Fixture       *f,
                gconstpointer  data)
{
  Wait w;

  g_assert_false (download (f, "/missing", f->dest, -1, NULL, &w));
  assert_failed_clean (f, &w, PLM_ERROR_IO, "404");
}

/* The server goes away mid-transfer: an error, no model, a .f->part with what arrived; the
 * next attempt resumes from there and the result is verified. */
static void
test_server_gone (Fixture       *f,
                  gconstpointer  data)
{
  GStatBuf st;
  Wait w;

  f->cut_next = TRUE;
  g_assert_false (download (f, "/cut", f->dest, g_bytes_get_size (f->payload), f->sha256, &w));
  g_assert_error (w.error, PLM_ERROR, PLM_ERROR_IO);
  g_test_message ("%s", w.error->message);
  g_clear_error (&w.error);
  g_assert_false (g_file_test (f->dest, G_FILE_TEST_EXISTS));
  g_assert_cmpint (g_stat (f->part, &st), ==, 0);
  g_assert_cmpint (st.st_size, >, 0);
  g_assert_cmpint (st.st_size, <=, (goffset) g_bytes_get_size (f->payload) / 2);

  g_assert_true (download (f, "/cut", f->dest, g_bytes_get_size (f->payload), f->sha256, &w));
  g_assert_no_error (w.error);
  g_assert_cmpuint (f->n_range_requests, ==, 1);
  g_assert_cmpint (f->last_range_start, ==, st.st_size);
  g_assert_true (file_equals_payload (f, f->dest));
}

/* Nothing listens: a readable message that names the host. */
static void
test_offline (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *dest = g_build_filename (f->dir, "config.json", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(SoupServer) probe = soup_server_new (NULL, NULL);
  g_autofree char *u = NULL;
  GSList *uris;
  guint port;

  /* A port that was free a moment ago and is closed again. */
  g_assert_true (soup_server_listen_local (probe, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, NULL));
  uris = soup_server_get_uris (probe);
  port = g_uri_get_port (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  soup_server_disconnect (probe);

  u = g_strdup_printf ("http://127.0.0.1:%u/file", port);
  g_assert_false (plm_download_file_sync (u, dest, -1, NULL, NULL, NULL, NULL, NULL, &error));
  g_assert_error (error, PLM_ERROR, PLM_ERROR_IO);
  g_assert_nonnull (strstr (error->message, "127.0.0.1"));
  g_test_message ("%s", error->message);
  g_assert_false (g_file_test (dest, G_FILE_TEST_EXISTS));
}

static void on_installed (GObject *object, GAsyncResult *result, gpointer user_data);

static gboolean
install (PlmModelStore           *store,
         const PlmCatalogueEntry *entry,
         Wait                    *w)
{
  memset (w, 0, sizeof *w);
  plm_model_store_install_async (store, entry, NULL, on_installed, w);
  while (!w->done)
    g_main_context_iteration (NULL, TRUE);
  return w->ok;
}

static void
on_installed (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  Wait *w = user_data;
  g_autofree char *path = plm_model_store_install_finish (PLM_MODEL_STORE (object), result, &w->checks,
                                                          &w->error);

  w->ok = path != NULL;
  w->done = TRUE;
}

/* A model directory appears only complete: a failed file leaves just "<id>.partial". */
static void
test_install_atomic (Fixture       *f,
                     gconstpointer  data)
{
  const char *dir = f->dir;
  g_autoptr(PlmModelStore) store = plm_model_store_new (dir);
  g_autofree char *config_url = url (f, "/model/config.json");
  g_autofree char *weights_url = url (f, "/model/model.safetensors");
  g_autofree char *final = g_build_filename (dir, "tiny", NULL);
  g_autofree char *partial = g_build_filename (dir, "tiny.partial", NULL);
  PlmCatalogueFile files[2] = {
    { (char *) "config.json", config_url, -1, NULL },
    { (char *) "model.safetensors", weights_url, (gint64) g_bytes_get_size (f->payload),
      (char *) "1111111111111111111111111111111111111111111111111111111111111111" },
  };
  PlmCatalogueEntry entry = { (char *) "tiny", (char *) "Tiny", (char *) "", 1, 1, 1, -1, files, 2 };
  g_auto(GStrv) installed = NULL;
  Wait w;

  g_assert_false (install (store, &entry, &w));
  g_assert_error (w.error, PLM_ERROR, PLM_ERROR_FORMAT);
  g_clear_error (&w.error);
  g_assert_false (g_file_test (final, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (partial, G_FILE_TEST_IS_DIR));
  installed = plm_model_store_list_installed (store);
  g_assert_cmpuint (g_strv_length (installed), ==, 0);
  g_assert_false (plm_model_store_is_installed (store, "tiny"));

  /* With the right checksum the retry completes and the directory appears. */
  files[1].sha256 = f->sha256;
  g_assert_true (install (store, &entry, &w));
  g_assert_no_error (w.error);
  g_assert_true (plm_model_store_is_installed (store, "tiny"));
  g_assert_false (g_file_test (partial, G_FILE_TEST_EXISTS));
  g_strfreev (installed);
  installed = plm_model_store_list_installed (store);
  g_assert_cmpuint (g_strv_length (installed), ==, 1);
  g_assert_cmpstr (installed[0], ==, final);
  g_free (w.checks);
}

/* The install reports how each file was verified: the hub's SHA-256 for the weights, the size
 * for config.json. */
static void
test_install_checks (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(PlmModelStore) store = plm_model_store_new (f->dir);
  g_autofree char *config_url = url (f, "/small/config.json");
  g_autofree char *weights_url = url (f, "/hub/model.safetensors");
  g_autofree char *pinned_url = url (f, "/model/model.safetensors");
  PlmCatalogueFile files[2] = {
    { (char *) "config.json", config_url, -1, NULL },
    { (char *) "model.safetensors", weights_url, -1, NULL },
  };
  PlmCatalogueEntry entry = { (char *) "hub", (char *) "Hub", (char *) "", 1, 1, 1, -1, files, 2 };
  Wait w;

  g_assert_true (install (store, &entry, &w));
  g_assert_no_error (w.error);
  g_test_message ("%s", w.checks);
  g_assert_cmpstr (w.checks, ==, "config.json: only its size was checked (no SHA-256 known); "
                   "model.safetensors: checked against the SHA-256 the server reported");
  g_clear_pointer (&w.checks, g_free);

  files[1].url = pinned_url;
  files[1].sha256 = f->sha256;
  entry.id = (char *) "pinned";
  g_assert_true (install (store, &entry, &w));
  g_assert_nonnull (strstr (w.checks, "model.safetensors: checked against the SHA-256 in the model catalogue"));
  g_clear_pointer (&w.checks, g_free);
}

/* The recent-checkpoint list: the new path first, no duplicates, missing paths pruned, capped. */
static void
test_update_recent (void)
{
  g_autofree char *dir = g_dir_make_tmp ("plm-recent-XXXXXX", NULL);
  g_autofree char *a = g_build_filename (dir, "a", NULL);
  g_autofree char *b = g_build_filename (dir, "b", NULL);
  g_autofree char *c = g_build_filename (dir, "c", NULL);
  const char *old[] = { b, "/nonexistent/checkpoint", a, c, NULL };
  g_auto(GStrv) recent = NULL;
  g_auto(GStrv) capped = NULL;

  g_mkdir (a, 0755);
  g_mkdir (b, 0755);
  g_mkdir (c, 0755);
  recent = plm_model_store_update_recent (old, a, 10);
  g_assert_cmpuint (g_strv_length (recent), ==, 3);
  g_assert_cmpstr (recent[0], ==, a);
  g_assert_cmpstr (recent[1], ==, b);
  g_assert_cmpstr (recent[2], ==, c);
  capped = plm_model_store_update_recent (old, NULL, 2);
  g_assert_cmpuint (g_strv_length (capped), ==, 2);
  g_assert_cmpstr (capped[0], ==, b);
  g_assert_cmpstr (capped[1], ==, a);
  g_rmdir (a);
  g_rmdir (b);
  g_rmdir (c);
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/model-store/update-recent", test_update_recent);
  g_test_add ("/download/success", Fixture, NULL, fixture_setup, test_success, fixture_teardown);
  g_test_add ("/download/hub-checksum", Fixture, NULL, fixture_setup, test_hub_checksum, fixture_teardown);
  g_test_add ("/download/hub-checksum-wrong", Fixture, NULL, fixture_setup, test_hub_checksum_wrong, fixture_teardown);
  g_test_add ("/download/size-only", Fixture, NULL, fixture_setup, test_size_only, fixture_teardown);
  g_test_add_func ("/download/parse-linked-etag", test_parse_linked_etag);
  g_test_add ("/download/install-checks", Fixture, NULL, fixture_setup, test_install_checks, fixture_teardown);
  g_test_add ("/download/resume", Fixture, NULL, fixture_setup, test_resume, fixture_teardown);
  g_test_add ("/download/wrong-checksum", Fixture, NULL, fixture_setup, test_wrong_checksum, fixture_teardown);
  g_test_add ("/download/not-found", Fixture, NULL, fixture_setup, test_not_found, fixture_teardown);
  g_test_add ("/download/server-gone", Fixture, NULL, fixture_setup, test_server_gone, fixture_teardown);
  g_test_add ("/download/offline", Fixture, NULL, fixture_setup, test_offline, fixture_teardown);
  g_test_add ("/download/install-atomic", Fixture, NULL, fixture_setup, test_install_atomic, fixture_teardown);

  return g_test_run ();
}
