/* glib-tsan-shim.c: makes GLib's mutexes and condition variables visible to ThreadSanitizer.
 *
 * On Linux GLib implements GMutex and GCond with raw futex system calls, which ThreadSanitizer
 * does not model: every access our code protects with a GMutex would be reported as a race.
 * Preloaded into the tests of the TSan build (tests/meson.build), this library wraps the
 * entry points our code calls and tells TSan about the lock's acquire/release. GLib's own
 * locking and reference counts bind directly inside the (uninstrumented) libraries, so the
 * hand-offs our code relies on are annotated at their entry points too: a GTask's result,
 * its thread function, a main-context invocation, and the last unref of an object.
 * tests/tsan/tsan.supp lists what stays invisible. Built only with -Db_sanitize=thread. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <gio/gio.h>

/* Weak: the shim is preloaded into every process of a test, shell scripts included, and only
 * the TSan-built ones have the runtime. */
void __tsan_acquire (void *addr) __attribute__((weak));
void __tsan_release (void *addr) __attribute__((weak));

#define __tsan_acquire(addr) do { if (__tsan_acquire) (__tsan_acquire) (addr); } while (0)
#define __tsan_release(addr) do { if (__tsan_release) (__tsan_release) (addr); } while (0)

static void     (*real_g_mutex_lock) (GMutex *);
static gboolean (*real_g_mutex_trylock) (GMutex *);
static void     (*real_g_mutex_unlock) (GMutex *);
static void     (*real_g_cond_wait) (GCond *, GMutex *);
static gboolean (*real_g_cond_wait_until) (GCond *, GMutex *, gint64);
static void     (*real_g_rec_mutex_lock) (GRecMutex *);
static void     (*real_g_rec_mutex_unlock) (GRecMutex *);
static void     (*real_g_async_queue_push) (GAsyncQueue *, gpointer);
static gpointer (*real_g_async_queue_pop) (GAsyncQueue *);
static void     (*real_g_object_unref) (gpointer);
static void     (*real_g_task_run_in_thread) (GTask *, GTaskThreadFunc);
static void     (*real_g_task_return_pointer) (GTask *, gpointer, GDestroyNotify);
static void     (*real_g_task_return_boolean) (GTask *, gboolean);
static void     (*real_g_task_return_error) (GTask *, GError *);
static gpointer (*real_g_task_propagate_pointer) (GTask *, GError **);
static gboolean (*real_g_task_propagate_boolean) (GTask *, GError **);
static void     (*real_g_main_context_invoke_full) (GMainContext *, gint, GSourceFunc, gpointer, GDestroyNotify);

/* Resolved at the first call, which GLib's own start-up makes before any thread exists. */
static void
resolve (void)
{
  real_g_mutex_lock = dlsym (RTLD_NEXT, "g_mutex_lock");
  real_g_mutex_trylock = dlsym (RTLD_NEXT, "g_mutex_trylock");
  real_g_mutex_unlock = dlsym (RTLD_NEXT, "g_mutex_unlock");
  real_g_cond_wait = dlsym (RTLD_NEXT, "g_cond_wait");
  real_g_cond_wait_until = dlsym (RTLD_NEXT, "g_cond_wait_until");
  real_g_rec_mutex_lock = dlsym (RTLD_NEXT, "g_rec_mutex_lock");
  real_g_rec_mutex_unlock = dlsym (RTLD_NEXT, "g_rec_mutex_unlock");
  real_g_async_queue_push = dlsym (RTLD_NEXT, "g_async_queue_push");
  real_g_async_queue_pop = dlsym (RTLD_NEXT, "g_async_queue_pop");
  real_g_object_unref = dlsym (RTLD_NEXT, "g_object_unref");
  real_g_task_run_in_thread = dlsym (RTLD_NEXT, "g_task_run_in_thread");
  real_g_task_return_pointer = dlsym (RTLD_NEXT, "g_task_return_pointer");
  real_g_task_return_boolean = dlsym (RTLD_NEXT, "g_task_return_boolean");
  real_g_task_return_error = dlsym (RTLD_NEXT, "g_task_return_error");
  real_g_task_propagate_pointer = dlsym (RTLD_NEXT, "g_task_propagate_pointer");
  real_g_task_propagate_boolean = dlsym (RTLD_NEXT, "g_task_propagate_boolean");
  real_g_main_context_invoke_full = dlsym (RTLD_NEXT, "g_main_context_invoke_full");
}

void
g_mutex_lock (GMutex *mutex)
{
  if (G_UNLIKELY (real_g_mutex_lock == NULL))
    resolve ();
  real_g_mutex_lock (mutex);
  __tsan_acquire (mutex);
}

gboolean
g_mutex_trylock (GMutex *mutex)
{
  if (G_UNLIKELY (real_g_mutex_trylock == NULL))
    resolve ();
  gboolean ok = real_g_mutex_trylock (mutex);
  if (ok)
    __tsan_acquire (mutex);
  return ok;
}

void
g_mutex_unlock (GMutex *mutex)
{
  if (G_UNLIKELY (real_g_mutex_unlock == NULL))
    resolve ();
  __tsan_release (mutex);
  real_g_mutex_unlock (mutex);
}

void
g_cond_wait (GCond *cond, GMutex *mutex)
{
  if (G_UNLIKELY (real_g_cond_wait == NULL))
    resolve ();
  __tsan_release (mutex);
  real_g_cond_wait (cond, mutex);
  __tsan_acquire (mutex);
}

gboolean
g_cond_wait_until (GCond *cond, GMutex *mutex, gint64 end_time)
{
  if (G_UNLIKELY (real_g_cond_wait_until == NULL))
    resolve ();
  __tsan_release (mutex);
  gboolean ok = real_g_cond_wait_until (cond, mutex, end_time);
  __tsan_acquire (mutex);
  return ok;
}

void
g_rec_mutex_lock (GRecMutex *mutex)
{
  if (G_UNLIKELY (real_g_rec_mutex_lock == NULL))
    resolve ();
  real_g_rec_mutex_lock (mutex);
  __tsan_acquire (mutex);
}

void
g_rec_mutex_unlock (GRecMutex *mutex)
{
  if (G_UNLIKELY (real_g_rec_mutex_unlock == NULL))
    resolve ();
  __tsan_release (mutex);
  real_g_rec_mutex_unlock (mutex);
}

/* A value pushed by one thread is owned by the one that pops it. */
void
g_async_queue_push (GAsyncQueue *queue, gpointer data)
{
  if (G_UNLIKELY (real_g_async_queue_push == NULL))
    resolve ();
  __tsan_release (queue);
  real_g_async_queue_push (queue, data);
}

gpointer
g_async_queue_pop (GAsyncQueue *queue)
{
  if (G_UNLIKELY (real_g_async_queue_pop == NULL))
    resolve ();
  gpointer data = real_g_async_queue_pop (queue);
  __tsan_acquire (queue);
  return data;
}

/* Whoever drops the last reference finalises: after everything other holders did. */
void
g_object_unref (gpointer object)
{
  if (G_UNLIKELY (real_g_object_unref == NULL))
    resolve ();
  __tsan_release (object);
  __tsan_acquire (object);
  real_g_object_unref (object);
}

/* The thread function sees what the caller set up. */
static GQuark func_quark;

static void
task_trampoline (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  GTaskThreadFunc func = g_object_get_qdata (G_OBJECT (task), func_quark);

  __tsan_acquire (task);
  func (task, source, data, cancellable);
}

void
g_task_run_in_thread (GTask *task, GTaskThreadFunc func)
{
  if (G_UNLIKELY (real_g_task_run_in_thread == NULL))
    resolve ();
  if (func_quark == 0)
    func_quark = g_quark_from_static_string ("plm-tsan-task-func");
  g_object_set_qdata (G_OBJECT (task), func_quark, func);
  __tsan_release (task);
  real_g_task_run_in_thread (task, task_trampoline);
}

/* A result returned in a thread is read by the callback on the main context. */
void
g_task_return_pointer (GTask *task, gpointer result, GDestroyNotify notify)
{
  if (G_UNLIKELY (real_g_task_return_pointer == NULL))
    resolve ();
  __tsan_release (task);
  real_g_task_return_pointer (task, result, notify);
}

void
g_task_return_boolean (GTask *task, gboolean result)
{
  if (G_UNLIKELY (real_g_task_return_boolean == NULL))
    resolve ();
  __tsan_release (task);
  real_g_task_return_boolean (task, result);
}

void
g_task_return_error (GTask *task, GError *error)
{
  if (G_UNLIKELY (real_g_task_return_error == NULL))
    resolve ();
  __tsan_release (task);
  real_g_task_return_error (task, error);
}

gpointer
g_task_propagate_pointer (GTask *task, GError **error)
{
  if (G_UNLIKELY (real_g_task_propagate_pointer == NULL))
    resolve ();
  __tsan_acquire (task);
  return real_g_task_propagate_pointer (task, error);
}

gboolean
g_task_propagate_boolean (GTask *task, GError **error)
{
  if (G_UNLIKELY (real_g_task_propagate_boolean == NULL))
    resolve ();
  __tsan_acquire (task);
  return real_g_task_propagate_boolean (task, error);
}

/* A function invoked on another thread's main context runs after the call. */
typedef struct {
  GSourceFunc    func;
  gpointer       data;
  GDestroyNotify notify;
} Invocation;

static gboolean
invoke_trampoline (gpointer data)
{
  Invocation *inv = data;

  __tsan_acquire (inv);
  return inv->func (inv->data);
}

static void
invoke_free (gpointer data)
{
  Invocation *inv = data;

  __tsan_acquire (inv);
  if (inv->notify != NULL)
    inv->notify (inv->data);
  g_free (inv);
}

void
g_main_context_invoke_full (GMainContext *context, gint priority, GSourceFunc function, gpointer data,
                            GDestroyNotify notify)
{
  Invocation *inv;

  if (G_UNLIKELY (real_g_main_context_invoke_full == NULL))
    resolve ();
  inv = g_new (Invocation, 1);
  *inv = (Invocation) { function, data, notify };
  __tsan_release (inv);
  real_g_main_context_invoke_full (context, priority, invoke_trampoline, inv, invoke_free);
}
