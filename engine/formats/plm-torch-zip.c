/* plm-torch-zip.c: the zip archive torch.save writes (stored entries, zip64 when large), read
 * through its central directory with every offset and size checked against the file. */
#include "plm-torch-private.h"

#include <string.h>

#include "plm-error.h"

static gboolean
zip_fail (PlmTorchFile *tf, GError **error, const char *what)
{
  g_set_error (error, PLM_ERROR, PLM_ERROR_FORMAT, "%s: not a readable PyTorch archive: %s", tf->path, what);
  return FALSE;
}

gboolean
plm_torch_read_zip (PlmTorchFile *tf, GError **error)
{
  const guint8 *b = tf->base;
  guint64 n = tf->size;

  if (n < 22)
    return zip_fail (tf, error, "too short for a zip file");
  /* The end-of-central-directory record: within the last 22 + 65535 bytes. */
  gint64 eocd = -1;
  guint64 lo = n > 22 + 65535 ? n - 22 - 65535 : 0;
  for (guint64 p = n - 22 + 1; p-- > lo;)
    if (rd32 (b + p) == 0x06054b50u && p + 22 + rd16 (b + p + 20) == n)
      {
        eocd = (gint64) p;
        break;
      }
  if (eocd < 0)
    return zip_fail (tf, error, "no end-of-central-directory record (is it a zip file?)");
  guint64 n_entries = rd16 (b + eocd + 10);
  guint64 cd_size = rd32 (b + eocd + 12);
  guint64 cd_off = rd32 (b + eocd + 16);
  if (rd16 (b + eocd + 4) != 0 || rd16 (b + eocd + 6) != 0)
    return zip_fail (tf, error, "multi-disk archives are not supported");
  if (n_entries == 0xFFFF || cd_size == 0xFFFFFFFFu || cd_off == 0xFFFFFFFFu)
    {
      /* zip64: a locator right before the record points at the zip64 record */
      if (eocd < 20 || rd32 (b + eocd - 20) != 0x07064b50u)
        return zip_fail (tf, error, "zip64 locator missing");
      guint64 z = rd64 (b + eocd - 20 + 8);
      if (z > n || n - z < 56 || rd32 (b + z) != 0x06064b50u)
        return zip_fail (tf, error, "zip64 end record out of range");
      n_entries = rd64 (b + z + 32);
      cd_size = rd64 (b + z + 40);
      cd_off = rd64 (b + z + 48);
    }
  if (cd_off > n || cd_size > n - cd_off)
    return zip_fail (tf, error, "central directory outside the file");
  if (n_entries > MAX_ENTRIES || n_entries > cd_size / 46)
    return zip_fail (tf, error, "implausible number of entries");

  guint64 p = cd_off, end = cd_off + cd_size;
  for (guint64 e = 0; e < n_entries; e++)
    {
      if (end - p < 46 || rd32 (b + p) != 0x02014b50u)
        return zip_fail (tf, error, "corrupt central directory");
      guint flags = rd16 (b + p + 8), method = rd16 (b + p + 10);
      guint64 csize = rd32 (b + p + 20), usize = rd32 (b + p + 24);
      guint name_len = rd16 (b + p + 28), extra_len = rd16 (b + p + 30), comment_len = rd16 (b + p + 32);
      guint64 local = rd32 (b + p + 42);
      if ((guint64) 46 + name_len + extra_len + comment_len > end - p)
        return zip_fail (tf, error, "corrupt central directory entry");
      if (name_len == 0 || name_len > MAX_NAME)
        return zip_fail (tf, error, "entry name empty or too long");
      const guint8 *name = b + p + 46;
      const guint8 *x = name + name_len, *xend = x + extra_len;
      /* zip64 extended information: the 8-byte values of the fields that overflowed */
      while (xend - x >= 4)
        {
          guint id = rd16 (x), len = rd16 (x + 2);
          if ((guint64) (xend - x - 4) < len)
            return zip_fail (tf, error, "corrupt extra field");
          if (id == 0x0001)
            {
              const guint8 *q = x + 4, *qend = q + len;
              if (usize == 0xFFFFFFFFu) { if (qend - q < 8) return zip_fail (tf, error, "short zip64 field"); usize = rd64 (q); q += 8; }
              if (csize == 0xFFFFFFFFu) { if (qend - q < 8) return zip_fail (tf, error, "short zip64 field"); csize = rd64 (q); q += 8; }
              if (local == 0xFFFFFFFFu) { if (qend - q < 8) return zip_fail (tf, error, "short zip64 field"); local = rd64 (q); q += 8; }
            }
          x += 4 + len;
        }
      g_autofree char *nm = g_strndup ((const char *) name, name_len);
      if (strlen (nm) != name_len)
        return zip_fail (tf, error, "entry name contains a NUL byte");
      if (flags & 1)
        {
          g_set_error (error, PLM_ERROR, PLM_ERROR_FORMAT, "%s: entry '%s' is encrypted", tf->path, nm);
          return FALSE;
        }
      if (method != 0 || csize != usize)
        {
          g_set_error (error, PLM_ERROR, PLM_ERROR_FORMAT,
                       "%s: entry '%s' is compressed (method %u); torch.save stores entries uncompressed "
                       "and only those can be read (re-save the file with torch.save)", tf->path, nm, method);
          return FALSE;
        }
      if (local > n || n - local < 30 || rd32 (b + local) != 0x04034b50u)
        return zip_fail (tf, error, "local header outside the file");
      guint64 data = local + 30 + rd16 (b + local + 26) + rd16 (b + local + 28);
      if (data > n || usize > n - data)
        {
          g_set_error (error, PLM_ERROR, PLM_ERROR_FORMAT, "%s: entry '%s' extends past the end of the file",
                       tf->path, nm);
          return FALSE;
        }
      if (g_hash_table_contains (tf->entries, nm))
        {
          g_set_error (error, PLM_ERROR, PLM_ERROR_FORMAT, "%s: entry '%s' appears twice", tf->path, nm);
          return FALSE;
        }
      ZipEntry *ze = g_new0 (ZipEntry, 1);
      ze->name = g_steal_pointer (&nm);
      ze->data = b + data;
      ze->size = usize;
      g_ptr_array_add (tf->entry_list, ze);
      g_hash_table_insert (tf->entries, (gpointer) ze->name, ze);
      p += 46 + name_len + extra_len + comment_len;
    }

  /* The pickle: "<folder>/data.pkl", one folder deep. */
  for (guint i = 0; i < tf->entry_list->len; i++)
    {
      ZipEntry *ze = tf->entry_list->pdata[i];
      const char *slash = strchr (ze->name, '/');
      if (slash != NULL && slash != ze->name && strcmp (slash + 1, "data.pkl") == 0)
        {
          if (tf->prefix != NULL)
            return zip_fail (tf, error, "more than one data.pkl");
          tf->prefix = g_strndup (ze->name, (gsize) (slash - ze->name) + 1);
        }
    }
  if (tf->prefix == NULL)
    return zip_fail (tf, error, "no data.pkl (a legacy non-zip torch file, or not a checkpoint)");
  return TRUE;
}

const ZipEntry *
plm_torch_zip_entry (PlmTorchFile *tf, const char *rel)
{
  g_autofree char *full = g_strconcat (tf->prefix, rel, NULL);
  return g_hash_table_lookup (tf->entries, full);
}

