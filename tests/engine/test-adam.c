/* test-adam.c: plm_adam against torch.optim.Adam (tests/reference/adam_reference.py). */
#include <math.h>
#include <string.h>

#include "plm-adam.h"
#include "plm-npy.h"

static float *
load (const char *name, gsize *n)
{
  const char *root = g_getenv ("PLM_TEST_DATA");
  g_autofree char *path = g_strdup_printf ("%s/adam/%s.npy", root != NULL ? root : "tests/data", name);
  g_autoptr(GError) error = NULL;
  PlmNpyArray arr = { 0 };
  if (!plm_npy_read (path, &arr, &error))
    g_error ("%s", error->message);
  g_assert_cmpint (arr.type, ==, PLM_NPY_F32);
  *n = arr.n_elements;
  return arr.data;
}

static void
test_adam_torch (void)
{
  gsize n1, n2, ng1, ng2, na1, na2;
  float *p1 = load ("p1", &n1), *p2 = load ("p2", &n2);
  float *g1 = load ("g1", &ng1), *g2 = load ("g2", &ng2);
  float *a1 = load ("after1", &na1), *a2 = load ("after2", &na2);
  int steps = ng1 / n1;
  float grad1[64], grad2[64];
  g_autoptr(PlmAdam) adam = plm_adam_new (1e-3f, 0.9f, 0.999f, 1e-8f);

  plm_adam_add_group (adam, p1, grad1, n1, 1.0f, 1e-2f);
  plm_adam_add_group (adam, p2, grad2, n2, 10.0f, 0.0f);
  for (int s = 0; s < steps; s++)
    {
      memcpy (grad1, g1 + s * n1, n1 * sizeof (float));
      memcpy (grad2, g2 + s * n2, n2 * sizeof (float));
      plm_adam_step (adam);
      double e1 = 0, e2 = 0;
      for (gsize i = 0; i < n1; i++)
        e1 = MAX (e1, fabs (p1[i] - a1[s * n1 + i]) / MAX (1.0, fabs (a1[s * n1 + i])));
      for (gsize i = 0; i < n2; i++)
        e2 = MAX (e2, fabs (p2[i] - a2[s * n2 + i]) / MAX (1.0, fabs (a2[s * n2 + i])));
      g_test_message ("step %d: max rel err group 1 %.2e, group 2 %.2e", s + 1, e1, e2);
      g_assert_cmpfloat (e1, <, 1e-6);
      g_assert_cmpfloat (e2, <, 1e-6);
    }
  g_assert_cmpint (plm_adam_get_step (adam), ==, steps);
  g_free (p1); g_free (p2); g_free (g1); g_free (g2); g_free (a1); g_free (a2);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/adam/torch", test_adam_torch);
  return g_test_run ();
}
