/* plm-resources.c: how much memory there is, and whether a run fits in it. */
#include "plm-resources.h"

#include <stdio.h>
#include <string.h>
#include <sys/resource.h>

#include "plm-error.h"
#include "plm-esm.h"

static guint64
read_u64_file (const char *path)
{
  g_autofree char *text = NULL;
  if (!g_file_get_contents (path, &text, NULL, NULL))
    return 0;
  if (g_str_has_prefix (text, "max"))
    return 0;
  return g_ascii_strtoull (text, NULL, 10);
}

guint64
plm_resources_available_memory (void)
{
  guint64 avail = 0;
  g_autofree char *meminfo = NULL;
  struct rlimit rl;

  if (g_file_get_contents ("/proc/meminfo", &meminfo, NULL, NULL))
    {
      const char *p = strstr (meminfo, "MemAvailable:");
      if (p != NULL)
        avail = g_ascii_strtoull (p + strlen ("MemAvailable:"), NULL, 10) * 1024;
    }
  guint64 cg = read_u64_file ("/sys/fs/cgroup/memory.max");
  if (cg > 0)
    {
      guint64 used = read_u64_file ("/sys/fs/cgroup/memory.current");
      guint64 left = cg > used ? cg - used : 0;
      if (avail == 0 || left < avail)
        avail = left;
    }
  if (getrlimit (RLIMIT_AS, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY)
    if (avail == 0 || (guint64) rl.rlim_cur < avail)
      avail = rl.rlim_cur;
  return avail;
}

gboolean
plm_resources_check_forward (const PlmModel *model, int n_tokens, guint64 extra, const char *what,
                             GError **error)
{
  guint64 need = plm_esm_activation_bytes (&model->config, n_tokens, TRUE) + extra;
  guint64 avail = plm_resources_available_memory ();

  if (avail != 0 && need > avail)
    {
      g_set_error (error, PLM_ERROR, PLM_ERROR_RESOURCES,
                   "%s: %d tokens need about %" G_GUINT64_FORMAT " MiB of working memory but only %"
                   G_GUINT64_FORMAT " MiB are available; use a shorter sequence or a smaller model",
                   what, n_tokens, need >> 20, avail >> 20);
      return FALSE;
    }
  return TRUE;
}
