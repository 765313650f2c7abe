/* test-npy.c: .npy round trips, files written by numpy, streaming writes and malformed files. */
#include <glib/gstdio.h>
#include <string.h>

#include "plm-error.h"
#include "plm-npy.h"
#include "plm-test-util.h"

static void
test_roundtrip (void)
{
  g_autofree char *dir = g_dir_make_tmp ("plm-npy-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "a.npy", NULL);
  float data[6] = { 1, -2, 3.5f, 1e-30f, -0.0f, 7 };
  int64_t shape[2] = { 2, 3 };
  g_autoptr(GError) error = NULL;
  PlmNpyArray a;

  g_assert_true (plm_npy_write (path, PLM_NPY_F32, data, 2, shape, &error));
  g_assert_no_error (error);
  g_assert_true (plm_npy_read (path, &a, &error));
  g_assert_cmpint (a.n_dims, ==, 2);
  g_assert_cmpint (a.shape[0], ==, 2);
  g_assert_cmpint (a.shape[1], ==, 3);
  g_assert_cmpmem (a.data, sizeof data, data, sizeof data);
  plm_npy_array_clear (&a);

  /* header length keeps the data 64-byte aligned, as numpy requires for v1.0 */
  g_autofree char *raw = NULL;
  gsize len;
  g_assert_true (g_file_get_contents (path, &raw, &len, NULL));
  guint hlen = (guint8) raw[8] | ((guint) (guint8) raw[9] << 8);
  g_assert_cmpuint ((10 + hlen) % 64, ==, 0);
  g_assert_cmpint (raw[10 + hlen - 1], ==, '\n');
  g_unlink (path);
  g_rmdir (dir);
}

static void
test_streaming_and_abort (void)
{
  g_autofree char *dir = g_dir_make_tmp ("plm-npy-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "s.npy", NULL);
  int64_t shape[1] = { 4 };
  float part[2] = { 1, 2 };
  g_autoptr(GError) error = NULL;

  /* an aborted or short write never leaves a file behind */
  PlmNpyWriter *w = plm_npy_writer_new (path, PLM_NPY_F32, 1, shape, &error);
  g_assert_true (plm_npy_writer_append (w, part, 2, &error));
  plm_npy_writer_abort (w);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  w = plm_npy_writer_new (path, PLM_NPY_F32, 1, shape, &error);
  g_assert_true (plm_npy_writer_append (w, part, 2, &error));
  g_assert_false (plm_npy_writer_commit (w, &error));
  g_assert_error (error, PLM_ERROR, PLM_ERROR_INPUT);
  g_clear_error (&error);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  /* too much data is refused */
  w = plm_npy_writer_new (path, PLM_NPY_F32, 1, shape, &error);
  float five[5] = { 0 };
  g_assert_false (plm_npy_writer_append (w, five, 5, &error));
  g_clear_error (&error);
  g_assert_true (plm_npy_writer_append (w, part, 2, &error));
  g_assert_true (plm_npy_writer_append (w, part, 2, &error));
  g_assert_true (plm_npy_writer_commit (w, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS));
  g_unlink (path);
  GDir *d = g_dir_open (dir, 0, NULL);
  g_assert_null (g_dir_read_name (d));   /* no temporary files left */
  g_dir_close (d);
  g_rmdir (dir);
}

/* Files numpy itself wrote (the reference fixtures) parse with the right shapes. */
static void
test_reads_numpy_files (void)
{
  g_autofree char *path = plm_test_data_path ("ref", "tiny-f32", "short", "logits.npy", NULL);
  PlmNpyArray a;
  plm_test_load_npy (path, &a);
  g_assert_cmpint (a.type, ==, PLM_NPY_F32);
  g_assert_cmpint (a.n_dims, ==, 2);
  g_assert_cmpint (a.shape[1], ==, 33);
  plm_npy_array_clear (&a);
}

static void
test_malformed (void)
{
#define B(s) s, sizeof (s) - 1
  static const struct { const char *name; const char *bytes; gsize len; } cases[] = {
    { "empty", B ("") },
    { "bad-magic", B ("\x93NUMPX\x01\x00\x10\x00{}") },
    { "header-past-end", B ("\x93NUMPY\x01\x00\xff\x00{'descr':") },
    { "fortran", B ("\x93NUMPY\x01\x00\x3c\x00{'descr': '<f4', 'fortran_order': True, 'shape': (1,), }    \n\0\0\0\0") },
    { "bad-dtype", B ("\x93NUMPY\x01\x00\x3c\x00{'descr': '>f4', 'fortran_order': False, 'shape': (1,), }   \n\0\0\0\0") },
    { "short-data", B ("\x93NUMPY\x01\x00\x3c\x00{'descr': '<f4', 'fortran_order': False, 'shape': (9,), }   \n\0\0\0\0") },
    { "huge-shape", B ("\x93NUMPY\x01\x00\x3c\x00{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999,), }") },
  };
  g_autofree char *dir = g_dir_make_tmp ("plm-npy-XXXXXX", NULL);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = plm_test_write_file (dir, cases[i].name, cases[i].bytes, cases[i].len);
      g_autoptr(GError) error = NULL;
      PlmNpyArray a;
      g_assert_false (plm_npy_read (path, &a, &error));
      g_assert_error (error, PLM_ERROR, PLM_ERROR_FORMAT);
      g_assert_nonnull (strstr (error->message, path));
      g_test_message ("%s: %s", cases[i].name, error->message);
      g_unlink (path);
    }
  g_rmdir (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/npy/roundtrip", test_roundtrip);
  g_test_add_func ("/npy/streaming-and-abort", test_streaming_and_abort);
  g_test_add_func ("/npy/reads-numpy-files", test_reads_numpy_files);
  g_test_add_func ("/npy/malformed", test_malformed);
  return g_test_run ();
}
