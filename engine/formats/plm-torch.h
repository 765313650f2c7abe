/* plm-torch.h: a PyTorch `torch.save` zip archive read without executing anything.
 *
 * The archive's `data.pkl` is a pickle; this reader interprets only the opcodes torch.save
 * writes (protocol 2) and only the globals a saved state dict with its arguments needs:
 * collections.OrderedDict, torch._utils._rebuild_tensor_v2, the Float/Half/BFloat16 (and
 * Long/Int) storage classes and argparse.Namespace. Any other global is refused by name. Every
 * storage must be an entry of the archive and every tensor must lie inside its storage. */
#pragma once

#include <glib.h>
#include <stdint.h>

#include "plm-safetensors.h"

G_BEGIN_DECLS

typedef enum {
  PLM_PY_NONE,
  PLM_PY_BOOL,
  PLM_PY_INT,
  PLM_PY_FLOAT,
  PLM_PY_STR,
  PLM_PY_TUPLE,
  PLM_PY_LIST,
  PLM_PY_DICT,        /* dict or OrderedDict: keys and values in insertion order */
  PLM_PY_NAMESPACE,   /* argparse.Namespace: its attributes as a dict (attrs) */
  PLM_PY_TENSOR,
  PLM_PY_STORAGE,     /* internal: a persistent id resolved to an archive entry */
  PLM_PY_GLOBAL,      /* internal: one of the allowed callables */
} PlmPyKind;

typedef struct _PlmPyValue PlmPyValue;

struct _PlmPyValue {
  PlmPyKind     kind;
  gint64        i;          /* BOOL, INT; GLOBAL: which one */
  double        f;          /* FLOAT */
  char         *s;          /* STR (UTF-8, NUL-terminated; may contain no NUL) */
  GPtrArray    *items;      /* TUPLE, LIST: values; DICT: key, value, key, value, ... */
  PlmPyValue   *attrs;      /* NAMESPACE: a DICT */
  PlmTensorInfo tensor;     /* TENSOR (name is NULL); STORAGE: dtype, data, n_elements, n_bytes */
};

typedef struct _PlmTorchFile PlmTorchFile;

/* Maps @path, checks the zip and parses data.pkl. */
PlmTorchFile     *plm_torch_open          (const char         *path,
                                           GError            **error);
/* The same from bytes in memory (not copied; must outlive the result). @name is for messages. */
PlmTorchFile     *plm_torch_open_bytes    (const guint8       *data,
                                           gsize               size,
                                           const char         *name,
                                           GError            **error);
void              plm_torch_free          (PlmTorchFile       *tf);
const char       *plm_torch_path          (PlmTorchFile       *tf);
guint64           plm_torch_file_size     (PlmTorchFile       *tf);
/* The unpickled object (owned by @tf). */
const PlmPyValue *plm_torch_root          (PlmTorchFile       *tf);

/* Lookups (NULL when absent or of another kind). A NAMESPACE is searched through its attrs. */
const PlmPyValue *plm_py_get              (const PlmPyValue   *dict_or_ns,
                                           const char         *key);
guint             plm_py_dict_size        (const PlmPyValue   *dict);
const PlmPyValue *plm_py_dict_key         (const PlmPyValue   *dict,
                                           guint               i);
const PlmPyValue *plm_py_dict_value       (const PlmPyValue   *dict,
                                           guint               i);
gboolean          plm_py_as_int           (const PlmPyValue   *v,
                                           gint64             *out);
const char       *plm_py_as_str           (const PlmPyValue   *v);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PlmTorchFile, plm_torch_free)

G_END_DECLS
