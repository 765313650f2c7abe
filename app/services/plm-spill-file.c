/* plm-spill-file.c: unlinked temporary files (O_TMPFILE, else mkstemp + unlink) written and read
 * with pwrite/pread, so only the ranges a caller holds are in its memory. */
#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <unistd.h>

#include "plm-error.h"
#include "plm-spill-file.h"

struct _PlmSpillFile
{
  int    fd;
  char  *dir;
};

static int
open_unlinked (const char *dir)
{
  g_autofree char *path = NULL;
  int fd;

  if (g_mkdir_with_parents (dir, 0700) != 0)
    return -1;
#ifdef O_TMPFILE
  fd = open (dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
  if (fd >= 0 || (errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL))
    return fd;
#endif
  path = g_build_filename (dir, "attention-XXXXXX", NULL);
  fd = g_mkstemp_full (path, O_RDWR | O_CLOEXEC, 0600);
  if (fd >= 0)
    g_unlink (path);
  return fd;
}

static void
set_write_error (GError     **error,
                 int          errsv,
                 const char  *dir,
                 guint64      size)
{
  g_autofree char *bytes = g_format_size (size);

  if (errsv == ENOSPC || errsv == EFBIG || errsv == EDQUOT)
    g_set_error (error, PLM_ERROR, PLM_ERROR_RESOURCES,
                 _("Not enough disk space in %s to keep the attention maps (%s)"), dir, bytes);
  else
    g_set_error (error, PLM_ERROR, PLM_ERROR_RESOURCES,
                 _("Could not keep the attention maps in %s: %s"), dir, g_strerror (errsv));
}

PlmSpillFile *
plm_spill_file_new (guint64   size,
                    GError  **error)
{
  g_autofree char *cache = g_build_filename (g_get_user_cache_dir (), "plmlens", NULL);
  const char *dirs[] = { cache, g_get_tmp_dir () };
  int fd = -1, errsv = 0, r;
  const char *dir = dirs[0];

  for (guint i = 0; i < G_N_ELEMENTS (dirs) && fd < 0; i++)
    {
      dir = dirs[i];
      fd = open_unlinked (dir);
      errsv = errno;
    }
  if (fd < 0)
    {
      set_write_error (error, errsv, dir, size);
      return NULL;
    }
  /* reserve the blocks now: a full disk is an error before the run, not in the middle of it */
  r = posix_fallocate (fd, 0, (off_t) size);
  if (r == EOPNOTSUPP || r == EINVAL)
    r = ftruncate (fd, (off_t) size) == 0 ? 0 : errno;
  if (r != 0)
    {
      close (fd);
      set_write_error (error, r, dir, size);
      return NULL;
    }

  PlmSpillFile *self = g_new0 (PlmSpillFile, 1);
  self->fd = fd;
  self->dir = g_strdup (dir);
  return self;
}

void
plm_spill_file_free (PlmSpillFile *self)
{
  if (self == NULL)
    return;
  close (self->fd);
  g_free (self->dir);
  g_free (self);
}

const char *
plm_spill_file_get_dir (PlmSpillFile *self)
{
  return self->dir;
}

gboolean
plm_spill_file_write (PlmSpillFile *self,
                      guint64       offset,
                      const void   *data,
                      gsize         len,
                      GError      **error)
{
  const char *p = data;

  while (len > 0)
    {
      ssize_t n = pwrite (self->fd, p, len, (off_t) offset);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        {
          set_write_error (error, n < 0 ? errno : ENOSPC, self->dir, len);
          return FALSE;
        }
      p += n;
      offset += (guint64) n;
      len -= (gsize) n;
    }
  return TRUE;
}

gboolean
plm_spill_file_read (PlmSpillFile *self,
                     guint64       offset,
                     void         *data,
                     gsize         len,
                     GError      **error)
{
  char *p = data;

  while (len > 0)
    {
      ssize_t n = pread (self->fd, p, len, (off_t) offset);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        {
          g_set_error (error, PLM_ERROR, PLM_ERROR_RESOURCES, _("Could not read the attention maps back from %s: %s"),
                       self->dir, n < 0 ? g_strerror (errno) : _("the file is shorter than it was written"));
          return FALSE;
        }
      p += n;
      offset += (guint64) n;
      len -= (gsize) n;
    }
  return TRUE;
}
