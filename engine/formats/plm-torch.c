/* plm-torch.c: reads torch.save archives (a zip of stored entries with a pickled data.pkl)
 * without executing anything: a pickle interpreter for the handful of opcodes and globals a
 * saved state dict uses, every other global refused by name. */
#include "plm-torch-private.h"

#include <string.h>

#include "plm-error.h"

enum {
  G_ORDERED_DICT = 1,
  G_REBUILD_TENSOR_V2,
  G_NAMESPACE,
  G_STORAGE_F32,
  G_STORAGE_F16,
  G_STORAGE_BF16,
  G_STORAGE_I64,
  G_STORAGE_I32,
};

static const struct { const char *module, *name; int id; } allowed_globals[] = {
  { "collections", "OrderedDict", G_ORDERED_DICT },
  { "torch._utils", "_rebuild_tensor_v2", G_REBUILD_TENSOR_V2 },
  { "argparse", "Namespace", G_NAMESPACE },
  { "torch", "FloatStorage", G_STORAGE_F32 },
  { "torch", "HalfStorage", G_STORAGE_F16 },
  { "torch", "BFloat16Storage", G_STORAGE_BF16 },
  { "torch", "LongStorage", G_STORAGE_I64 },
  { "torch", "IntStorage", G_STORAGE_I32 },
};

static const char *
global_name (int id)
{
  for (guint i = 0; i < G_N_ELEMENTS (allowed_globals); i++)
    if (allowed_globals[i].id == id)
      return allowed_globals[i].id == G_NAMESPACE ? "argparse.Namespace"
        : allowed_globals[i].id == G_ORDERED_DICT ? "collections.OrderedDict"
        : allowed_globals[i].id == G_REBUILD_TENSOR_V2 ? "torch._utils._rebuild_tensor_v2"
        : allowed_globals[i].name;
  return "?";
}

static void
value_free (gpointer p)
{
  PlmPyValue *v = p;
  g_free (v->s);
  if (v->items != NULL)
    g_ptr_array_unref (v->items);
  g_free (v);
}

static PlmPyValue *
new_value (PlmTorchFile *tf, PlmPyKind kind)
{
  PlmPyValue *v = g_new0 (PlmPyValue, 1);
  v->kind = kind;
  if (kind == PLM_PY_TUPLE || kind == PLM_PY_LIST || kind == PLM_PY_DICT)
    v->items = g_ptr_array_new ();
  g_ptr_array_add (tf->values, v);
  return v;
}

/* ---- pickle ---- */

typedef struct {
  PlmTorchFile *tf;
  const guint8 *p, *start, *end;
  GPtrArray    *stack;
  GArray       *marks;     /* stack heights */
  GHashTable   *memo;      /* index → value */
  GError      **error;
} Unpickler;

static gboolean
pk_fail (Unpickler *u, const char *fmt, ...) G_GNUC_PRINTF (2, 3);

static gboolean
pk_fail (Unpickler *u, const char *fmt, ...)
{
  va_list ap;
  va_start (ap, fmt);
  g_autofree char *msg = g_strdup_vprintf (fmt, ap);
  va_end (ap);
  g_set_error (u->error, PLM_ERROR, PLM_ERROR_FORMAT, "%s: data.pkl at byte %td: %s", u->tf->path,
               u->p - u->start, msg);
  return FALSE;
}

static gboolean
need (Unpickler *u, gsize n)
{
  if ((gsize) (u->end - u->p) < n)
    return pk_fail (u, "truncated");
  return TRUE;
}

static PlmPyValue *
pop (Unpickler *u)
{
  guint floor = u->marks->len ? g_array_index (u->marks, guint, u->marks->len - 1) : 0;
  if (u->stack->len <= floor)
    {
      pk_fail (u, "stack underflow");
      return NULL;
    }
  return g_ptr_array_steal_index (u->stack, u->stack->len - 1);
}

static PlmPyValue *
top (Unpickler *u)
{
  guint floor = u->marks->len ? g_array_index (u->marks, guint, u->marks->len - 1) : 0;
  if (u->stack->len <= floor)
    {
      pk_fail (u, "stack underflow");
      return NULL;
    }
  return u->stack->pdata[u->stack->len - 1];
}

/* Pops everything above the last mark (and the mark) into a new TUPLE/LIST value's items. */
static PlmPyValue *
pop_mark (Unpickler *u, PlmPyKind kind)
{
  if (u->marks->len == 0)
    {
      pk_fail (u, "no MARK");
      return NULL;
    }
  guint m = g_array_index (u->marks, guint, u->marks->len - 1);
  g_array_set_size (u->marks, u->marks->len - 1);
  PlmPyValue *v = new_value (u->tf, kind);
  for (guint i = m; i < u->stack->len; i++)
    g_ptr_array_add (v->items, u->stack->pdata[i]);
  g_ptr_array_set_size (u->stack, m);
  return v;
}

static const char *
kind_name (const PlmPyValue *v)
{
  static const char *names[] = { "None", "bool", "int", "float", "str", "tuple", "list", "dict",
                                 "argparse.Namespace", "tensor", "storage", "global" };
  return v->kind < G_N_ELEMENTS (names) ? names[v->kind] : "?";
}

static gboolean
resolve_global (Unpickler *u, const char *module, const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (allowed_globals); i++)
    if (strcmp (module, allowed_globals[i].module) == 0 && strcmp (name, allowed_globals[i].name) == 0)
      {
        PlmPyValue *v = new_value (u->tf, PLM_PY_GLOBAL);
        v->i = allowed_globals[i].id;
        g_ptr_array_add (u->stack, v);
        return TRUE;
      }
  return pk_fail (u, "global '%s.%s' is not allowed: a checkpoint may only use collections.OrderedDict, "
                  "torch._utils._rebuild_tensor_v2, torch storages and argparse.Namespace "
                  "(nothing in the file was executed)", module, name);
}

static gboolean
read_line (Unpickler *u, char **out)
{
  const guint8 *nl = memchr (u->p, '\n', MIN ((gsize) (u->end - u->p), (gsize) MAX_NAME));
  if (nl == NULL)
    return pk_fail (u, "GLOBAL name without a newline");
  *out = g_strndup ((const char *) u->p, (gsize) (nl - u->p));
  if (strlen (*out) != (gsize) (nl - u->p) || !g_utf8_validate (*out, -1, NULL))
    {
      g_clear_pointer (out, g_free);
      return pk_fail (u, "GLOBAL name is not text");
    }
  u->p = nl + 1;
  return TRUE;
}

static gboolean
as_int (const PlmPyValue *v, gint64 *out)
{
  if (v == NULL || (v->kind != PLM_PY_INT && v->kind != PLM_PY_BOOL))
    return FALSE;
  *out = v->i;
  return TRUE;
}

static PlmPyValue *
persistent_load (Unpickler *u, PlmPyValue *pid)
{
  gint64 numel = 0;
  if (pid->kind != PLM_PY_TUPLE || pid->items->len != 5)
    {
      pk_fail (u, "persistent id is not ('storage', class, key, location, size)");
      return NULL;
    }
  PlmPyValue **it = (PlmPyValue **) pid->items->pdata;
  if (it[0]->kind != PLM_PY_STR || strcmp (it[0]->s, "storage") != 0 || it[1]->kind != PLM_PY_GLOBAL
      || it[2]->kind != PLM_PY_STR || !as_int (it[4], &numel) || numel < 0)
    {
      pk_fail (u, "persistent id is not ('storage', class, key, location, size)");
      return NULL;
    }
  PlmDType dtype;
  switch (it[1]->i)
    {
    case G_STORAGE_F32: dtype = PLM_DTYPE_F32; break;
    case G_STORAGE_F16: dtype = PLM_DTYPE_F16; break;
    case G_STORAGE_BF16: dtype = PLM_DTYPE_BF16; break;
    case G_STORAGE_I64: dtype = PLM_DTYPE_I64; break;
    case G_STORAGE_I32: dtype = PLM_DTYPE_I32; break;
    default:
      pk_fail (u, "persistent id names %s, not a storage class", global_name ((int) it[1]->i));
      return NULL;
    }
  const char *key = it[2]->s;
  if (*key == '\0' || strchr (key, '/') != NULL || strcmp (key, "..") == 0 || strcmp (key, ".") == 0)
    {
      pk_fail (u, "storage key '%s' is not a plain name inside the archive", key);
      return NULL;
    }
  g_autofree char *rel = g_strconcat ("data/", key, NULL);
  const ZipEntry *ze = plm_torch_zip_entry (u->tf, rel);
  if (ze == NULL)
    {
      pk_fail (u, "storage '%s' points outside the archive (no entry %sdata/%s)", key, u->tf->prefix, key);
      return NULL;
    }
  gsize es = plm_dtype_size (dtype);
  if ((guint64) numel > ze->size / es)
    {
      pk_fail (u, "storage '%s' claims %" G_GINT64_FORMAT " elements but its entry holds %" G_GUINT64_FORMAT " bytes",
               key, numel, ze->size);
      return NULL;
    }
  PlmPyValue *v = new_value (u->tf, PLM_PY_STORAGE);
  v->tensor.dtype = dtype;
  v->tensor.data = ze->data;
  v->tensor.n_elements = (guint64) numel;
  v->tensor.n_bytes = (guint64) numel * es;
  return v;
}

static PlmPyValue *
rebuild_tensor (Unpickler *u, PlmPyValue *args)
{
  gint64 offset = 0;
  if (args->kind != PLM_PY_TUPLE || args->items->len < 4)
    {
      pk_fail (u, "_rebuild_tensor_v2 needs (storage, offset, size, stride, ...)");
      return NULL;
    }
  PlmPyValue **a = (PlmPyValue **) args->items->pdata;
  PlmPyValue *st = a[0], *size = a[2], *stride = a[3];
  if (st->kind != PLM_PY_STORAGE || !as_int (a[1], &offset) || offset < 0 || size->kind != PLM_PY_TUPLE
      || stride->kind != PLM_PY_TUPLE || size->items->len != stride->items->len)
    {
      pk_fail (u, "_rebuild_tensor_v2 arguments are not (storage, offset, size, stride)");
      return NULL;
    }
  guint nd = size->items->len;
  if (nd > PLM_SAFETENSORS_MAX_DIMS)
    {
      pk_fail (u, "tensor has %u dimensions (at most %d)", nd, PLM_SAFETENSORS_MAX_DIMS);
      return NULL;
    }
  PlmPyValue *t = new_value (u->tf, PLM_PY_TENSOR);
  guint64 numel = 1;
  gint64 expect = 1;
  t->tensor.dtype = st->tensor.dtype;
  t->tensor.n_dims = (int) nd;
  for (guint i = 0; i < nd; i++)
    {
      gint64 s;
      if (!as_int (size->items->pdata[i], &s) || s < 0 || s > MAX_DIM_SIZE)
        {
          pk_fail (u, "tensor size %u is negative or absurd", i);
          return NULL;
        }
      t->tensor.shape[i] = s;
      if (s != 0 && numel > G_MAXUINT64 / (guint64) s / 8)
        {
          pk_fail (u, "tensor size overflows");
          return NULL;
        }
      numel *= (guint64) s;
    }
  /* Only contiguous (row-major) tensors: strides of dimensions of size 1 do not matter. */
  for (guint k = nd; k-- > 0;)
    {
      gint64 s;
      if (!as_int (stride->items->pdata[k], &s))
        {
          pk_fail (u, "tensor stride is not an integer");
          return NULL;
        }
      if (t->tensor.shape[k] > 1 && s != expect)
        {
          pk_fail (u, "tensor is not contiguous (stride %" G_GINT64_FORMAT " in dimension %u, %" G_GINT64_FORMAT
                   " expected); only contiguous tensors are read", s, k, expect);
          return NULL;
        }
      expect *= MAX (t->tensor.shape[k], 1);
    }
  if ((guint64) offset > st->tensor.n_elements || numel > st->tensor.n_elements - (guint64) offset)
    {
      pk_fail (u, "tensor of %" G_GUINT64_FORMAT " elements at offset %" G_GINT64_FORMAT
               " exceeds its storage of %" G_GUINT64_FORMAT, numel, offset, st->tensor.n_elements);
      return NULL;
    }
  gsize es = plm_dtype_size (st->tensor.dtype);
  t->tensor.n_elements = numel;
  t->tensor.n_bytes = numel * es;
  t->tensor.data = (const guint8 *) st->tensor.data + (guint64) offset * es;
  return t;
}

static gboolean
dict_set (Unpickler *u, PlmPyValue *dict, PlmPyValue *key, PlmPyValue *value)
{
  if (dict->kind != PLM_PY_DICT)
    return pk_fail (u, "SETITEM on a %s", kind_name (dict));
  g_ptr_array_add (dict->items, key);
  g_ptr_array_add (dict->items, value);
  return TRUE;
}

static gboolean
run_pickle (Unpickler *u)
{
  while (u->p < u->end)
    {
      guint8 op = *u->p++;
      PlmPyValue *v = NULL, *a = NULL, *b = NULL;
      switch (op)
        {
        case 0x80: /* PROTO */
          if (!need (u, 1))
            return FALSE;
          if (*u->p < 2 || *u->p > 5)
            return pk_fail (u, "pickle protocol %u is not supported", *u->p);
          u->p++;
          break;
        case 0x95: /* FRAME */
          if (!need (u, 8))
            return FALSE;
          u->p += 8;
          break;
        case '}': g_ptr_array_add (u->stack, new_value (u->tf, PLM_PY_DICT)); break;
        case ']': g_ptr_array_add (u->stack, new_value (u->tf, PLM_PY_LIST)); break;
        case ')': g_ptr_array_add (u->stack, new_value (u->tf, PLM_PY_TUPLE)); break;
        case 'N': g_ptr_array_add (u->stack, new_value (u->tf, PLM_PY_NONE)); break;
        case 0x88: case 0x89:
          v = new_value (u->tf, PLM_PY_BOOL);
          v->i = op == 0x88;
          g_ptr_array_add (u->stack, v);
          break;
        case '(':
          g_array_append_val (u->marks, u->stack->len);
          break;
        case 't': case 'l':
          if ((v = pop_mark (u, op == 't' ? PLM_PY_TUPLE : PLM_PY_LIST)) == NULL)
            return FALSE;
          g_ptr_array_add (u->stack, v);
          break;
        case 'd':
          if ((a = pop_mark (u, PLM_PY_LIST)) == NULL)
            return FALSE;
          if (a->items->len % 2 != 0)
            return pk_fail (u, "DICT with an odd number of items");
          v = new_value (u->tf, PLM_PY_DICT);
          for (guint i = 0; i < a->items->len; i++)
            g_ptr_array_add (v->items, a->items->pdata[i]);
          g_ptr_array_add (u->stack, v);
          break;
        case 0x85: case 0x86: case 0x87:
          {
            guint n = op - 0x84u;
            guint floor = u->marks->len ? g_array_index (u->marks, guint, u->marks->len - 1) : 0;
            if (u->stack->len < floor + n)
              return pk_fail (u, "stack underflow");
            v = new_value (u->tf, PLM_PY_TUPLE);
            for (guint i = u->stack->len - n; i < u->stack->len; i++)
              g_ptr_array_add (v->items, u->stack->pdata[i]);
            g_ptr_array_set_size (u->stack, u->stack->len - n);
            g_ptr_array_add (u->stack, v);
          }
          break;
        case '0': /* POP */
          if (pop (u) == NULL)
            return FALSE;
          break;
        case '1': /* POP_MARK */
          if (pop_mark (u, PLM_PY_LIST) == NULL)
            return FALSE;
          break;
        case 'q': case 'r': case 0x94: /* BINPUT, LONG_BINPUT, MEMOIZE */
          {
            guint32 idx;
            if (op == 'q') { if (!need (u, 1)) return FALSE; idx = *u->p++; }
            else if (op == 'r') { if (!need (u, 4)) return FALSE; idx = rd32 (u->p); u->p += 4; }
            else idx = g_hash_table_size (u->memo);
            if ((v = top (u)) == NULL)
              return FALSE;
            g_hash_table_insert (u->memo, GUINT_TO_POINTER (idx), v);
          }
          break;
        case 'h': case 'j': /* BINGET, LONG_BINGET */
          {
            guint32 idx;
            if (op == 'h') { if (!need (u, 1)) return FALSE; idx = *u->p++; }
            else { if (!need (u, 4)) return FALSE; idx = rd32 (u->p); u->p += 4; }
            if (!g_hash_table_lookup_extended (u->memo, GUINT_TO_POINTER (idx), NULL, (gpointer *) &v))
              return pk_fail (u, "memo %u is unset", idx);
            g_ptr_array_add (u->stack, v);
          }
          break;
        case 'X': case 0x8c: case 0x8d: /* BINUNICODE, SHORT_BINUNICODE, BINUNICODE8 */
          {
            guint64 len;
            if (op == 'X') { if (!need (u, 4)) return FALSE; len = rd32 (u->p); u->p += 4; }
            else if (op == 0x8c) { if (!need (u, 1)) return FALSE; len = *u->p++; }
            else { if (!need (u, 8)) return FALSE; len = rd64 (u->p); u->p += 8; }
            if (len > (guint64) (u->end - u->p))
              return pk_fail (u, "string runs past the end");
            if (memchr (u->p, 0, len) != NULL || !g_utf8_validate ((const char *) u->p, (gssize) len, NULL))
              return pk_fail (u, "string is not valid UTF-8 text");
            v = new_value (u->tf, PLM_PY_STR);
            v->s = g_strndup ((const char *) u->p, len);
            u->p += len;
            g_ptr_array_add (u->stack, v);
          }
          break;
        case 'J': case 'K': case 'M': /* BININT, BININT1, BININT2 */
          v = new_value (u->tf, PLM_PY_INT);
          if (op == 'J') { if (!need (u, 4)) return FALSE; v->i = (gint32) rd32 (u->p); u->p += 4; }
          else if (op == 'K') { if (!need (u, 1)) return FALSE; v->i = *u->p++; }
          else { if (!need (u, 2)) return FALSE; v->i = rd16 (u->p); u->p += 2; }
          g_ptr_array_add (u->stack, v);
          break;
        case 0x8a: /* LONG1 */
          {
            if (!need (u, 1))
              return FALSE;
            guint n = *u->p++;
            if (n > 8)
              return pk_fail (u, "integer of %u bytes is too large", n);
            if (!need (u, n))
              return FALSE;
            guint64 x = 0;
            for (guint i = 0; i < n; i++)
              x |= (guint64) u->p[i] << (8 * i);
            if (n > 0 && n < 8 && (u->p[n - 1] & 0x80))
              x |= ~(guint64) 0 << (8 * n);   /* sign-extend */
            u->p += n;
            v = new_value (u->tf, PLM_PY_INT);
            v->i = (gint64) x;
            g_ptr_array_add (u->stack, v);
          }
          break;
        case 'G': /* BINFLOAT, big-endian */
          {
            if (!need (u, 8))
              return FALSE;
            guint64 x = 0;
            for (int i = 0; i < 8; i++)
              x = (x << 8) | u->p[i];
            u->p += 8;
            v = new_value (u->tf, PLM_PY_FLOAT);
            memcpy (&v->f, &x, sizeof x);
            g_ptr_array_add (u->stack, v);
          }
          break;
        case 'c': /* GLOBAL */
          {
            g_autofree char *module = NULL, *name = NULL;
            if (!read_line (u, &module) || !read_line (u, &name) || !resolve_global (u, module, name))
              return FALSE;
          }
          break;
        case 0x93: /* STACK_GLOBAL */
          if ((b = pop (u)) == NULL || (a = pop (u)) == NULL)
            return FALSE;
          if (a->kind != PLM_PY_STR || b->kind != PLM_PY_STR)
            return pk_fail (u, "STACK_GLOBAL needs two strings");
          if (!resolve_global (u, a->s, b->s))
            return FALSE;
          break;
        case 'Q': /* BINPERSID */
          if ((a = pop (u)) == NULL || (v = persistent_load (u, a)) == NULL)
            return FALSE;
          g_ptr_array_add (u->stack, v);
          break;
        case 'R': case 0x81: /* REDUCE, NEWOBJ */
          if ((a = pop (u)) == NULL || (b = pop (u)) == NULL)
            return FALSE;
          if (a->kind != PLM_PY_TUPLE)
            return pk_fail (u, "%s arguments are not a tuple", op == 'R' ? "REDUCE" : "NEWOBJ");
          if (b->kind != PLM_PY_GLOBAL)
            return pk_fail (u, "%s on a %s is not allowed", op == 'R' ? "REDUCE" : "NEWOBJ", kind_name (b));
          if (b->i == G_ORDERED_DICT && a->items->len == 0)
            v = new_value (u->tf, PLM_PY_DICT);
          else if (op == 'R' && b->i == G_REBUILD_TENSOR_V2)
            v = rebuild_tensor (u, a);
          else if (op == 0x81 && b->i == G_NAMESPACE && a->items->len == 0)
            {
              v = new_value (u->tf, PLM_PY_NAMESPACE);
              v->attrs = new_value (u->tf, PLM_PY_DICT);
            }
          else
            return pk_fail (u, "%s on %s with %u arguments is not allowed", op == 'R' ? "REDUCE" : "NEWOBJ",
                            global_name ((int) b->i), a->items->len);
          if (v == NULL)
            return FALSE;
          g_ptr_array_add (u->stack, v);
          break;
        case 'b': /* BUILD */
          if ((a = pop (u)) == NULL || (v = top (u)) == NULL)
            return FALSE;
          if (v->kind == PLM_PY_NAMESPACE && a->kind == PLM_PY_DICT)
            {
              for (guint i = 0; i < a->items->len; i++)
                g_ptr_array_add (v->attrs->items, a->items->pdata[i]);
            }
          else if (v->kind == PLM_PY_DICT && (a->kind == PLM_PY_DICT || a->kind == PLM_PY_NONE))
            ;   /* an OrderedDict's instance attributes (a state dict's _metadata): not needed */
          else
            return pk_fail (u, "BUILD of a %s from a %s is not allowed", kind_name (v), kind_name (a));
          break;
        case 's': /* SETITEM */
          if ((b = pop (u)) == NULL || (a = pop (u)) == NULL || (v = top (u)) == NULL)
            return FALSE;
          if (!dict_set (u, v, a, b))
            return FALSE;
          break;
        case 'u': /* SETITEMS */
          if ((a = pop_mark (u, PLM_PY_LIST)) == NULL || (v = top (u)) == NULL)
            return FALSE;
          if (a->items->len % 2 != 0)
            return pk_fail (u, "SETITEMS with an odd number of items");
          for (guint i = 0; i < a->items->len; i += 2)
            if (!dict_set (u, v, a->items->pdata[i], a->items->pdata[i + 1]))
              return FALSE;
          break;
        case 'a': /* APPEND */
          if ((a = pop (u)) == NULL || (v = top (u)) == NULL)
            return FALSE;
          if (v->kind != PLM_PY_LIST)
            return pk_fail (u, "APPEND to a %s", kind_name (v));
          g_ptr_array_add (v->items, a);
          break;
        case 'e': /* APPENDS */
          if ((a = pop_mark (u, PLM_PY_LIST)) == NULL || (v = top (u)) == NULL)
            return FALSE;
          if (v->kind != PLM_PY_LIST)
            return pk_fail (u, "APPENDS to a %s", kind_name (v));
          for (guint i = 0; i < a->items->len; i++)
            g_ptr_array_add (v->items, a->items->pdata[i]);
          break;
        case '.': /* STOP */
          if ((v = pop (u)) == NULL)
            return FALSE;
          if (v->kind == PLM_PY_GLOBAL || v->kind == PLM_PY_STORAGE)
            return pk_fail (u, "the pickle's result is a bare %s", kind_name (v));
          u->tf->root = v;
          return TRUE;
        default:
          u->p--;
          return pk_fail (u, "opcode 0x%02x is not supported by this reader (it reads what torch.save writes)", op);
        }
    }
  return pk_fail (u, "no STOP");
}

static PlmTorchFile *
open_common (PlmTorchFile *tf, GError **error)
{
  tf->entries = g_hash_table_new (g_str_hash, g_str_equal);
  tf->entry_list = g_ptr_array_new ();
  tf->values = g_ptr_array_new_with_free_func (value_free);
  if (!plm_torch_read_zip (tf, error))
    {
      plm_torch_free (tf);
      return NULL;
    }
  const ZipEntry *pkl = plm_torch_zip_entry (tf, "data.pkl");
  Unpickler u = {
    .tf = tf, .p = pkl->data, .start = pkl->data, .end = pkl->data + pkl->size,
    .stack = g_ptr_array_new (), .marks = g_array_new (FALSE, FALSE, sizeof (guint)),
    .memo = g_hash_table_new (NULL, NULL), .error = error,
  };
  gboolean ok = run_pickle (&u);
  g_ptr_array_unref (u.stack);
  g_array_unref (u.marks);
  g_hash_table_unref (u.memo);
  if (!ok)
    {
      plm_torch_free (tf);
      return NULL;
    }
  return tf;
}

PlmTorchFile *
plm_torch_open (const char *path, GError **error)
{
  g_autoptr(GError) local = NULL;
  GMappedFile *mf = g_mapped_file_new (path, FALSE, &local);
  if (mf == NULL)
    {
      g_set_error (error, PLM_ERROR, PLM_ERROR_IO, "%s: cannot read: %s", path, local->message);
      return NULL;
    }
  PlmTorchFile *tf = g_new0 (PlmTorchFile, 1);
  tf->path = g_strdup (path);
  tf->mapped = mf;
  tf->base = (const guint8 *) g_mapped_file_get_contents (mf);
  tf->size = g_mapped_file_get_length (mf);
  return open_common (tf, error);
}

PlmTorchFile *
plm_torch_open_bytes (const guint8 *data, gsize size, const char *name, GError **error)
{
  PlmTorchFile *tf = g_new0 (PlmTorchFile, 1);
  tf->path = g_strdup (name);
  tf->base = data;
  tf->size = size;
  return open_common (tf, error);
}

static void
entry_free (gpointer p)
{
  ZipEntry *ze = p;
  g_free ((char *) ze->name);
  g_free (ze);
}

void
plm_torch_free (PlmTorchFile *tf)
{
  if (tf == NULL)
    return;
  g_clear_pointer (&tf->values, g_ptr_array_unref);
  g_clear_pointer (&tf->entries, g_hash_table_unref);
  if (tf->entry_list != NULL)
    {
      g_ptr_array_set_free_func (tf->entry_list, entry_free);
      g_ptr_array_unref (tf->entry_list);
    }
  g_clear_pointer (&tf->mapped, g_mapped_file_unref);
  g_free (tf->prefix);
  g_free (tf->path);
  g_free (tf);
}

const char *
plm_torch_path (PlmTorchFile *tf)
{
  return tf->path;
}

guint64
plm_torch_file_size (PlmTorchFile *tf)
{
  return tf->size;
}

const PlmPyValue *
plm_torch_root (PlmTorchFile *tf)
{
  return tf->root;
}

const PlmPyValue *
plm_py_get (const PlmPyValue *d, const char *key)
{
  if (d != NULL && d->kind == PLM_PY_NAMESPACE)
    d = d->attrs;
  if (d == NULL || d->kind != PLM_PY_DICT)
    return NULL;
  /* the last assignment wins, as in Python */
  for (guint i = d->items->len; i >= 2; i -= 2)
    {
      const PlmPyValue *k = d->items->pdata[i - 2];
      if (k->kind == PLM_PY_STR && strcmp (k->s, key) == 0)
        return d->items->pdata[i - 1];
    }
  return NULL;
}

guint
plm_py_dict_size (const PlmPyValue *d)
{
  return d != NULL && d->kind == PLM_PY_DICT ? d->items->len / 2 : 0;
}

const PlmPyValue *
plm_py_dict_key (const PlmPyValue *d, guint i)
{
  return d->items->pdata[2 * i];
}

const PlmPyValue *
plm_py_dict_value (const PlmPyValue *d, guint i)
{
  return d->items->pdata[2 * i + 1];
}

gboolean
plm_py_as_int (const PlmPyValue *v, gint64 *out)
{
  return as_int (v, out);
}

const char *
plm_py_as_str (const PlmPyValue *v)
{
  return v != NULL && v->kind == PLM_PY_STR ? v->s : NULL;
}
