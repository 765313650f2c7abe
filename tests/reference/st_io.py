"""st_io.py: a minimal safetensors reader/writer in json + numpy (no `safetensors` package here).

Format (https://huggingface.co/docs/safetensors): 8-byte little-endian header length N, then N bytes
of JSON {name: {"dtype", "shape", "data_offsets": [begin, end]}, "__metadata__": {str: str}},
then the data section; offsets are relative to the start of the data section.
BF16 has no numpy dtype: it is carried as uint16 and widened to float32 by a 16-bit shift.
"""

import json
import os
import struct

import numpy as np

# safetensors dtype name -> numpy storage dtype (little endian)
_NP_DTYPE = {
    "F64": np.dtype("<f8"),
    "F32": np.dtype("<f4"),
    "F16": np.dtype("<f2"),
    "BF16": np.dtype("<u2"),  # raw bits; see bf16_to_f32
    "I64": np.dtype("<i8"),
    "I32": np.dtype("<i4"),
    "I16": np.dtype("<i2"),
    "I8": np.dtype("i1"),
    "U8": np.dtype("u1"),
    "BOOL": np.dtype("?"),
}

MAX_HEADER = 100 * 1024 * 1024


def bf16_to_f32(bits):
    """uint16 BF16 bit patterns -> float32 (exact: BF16 is the top half of an IEEE float32)."""
    return (np.asarray(bits, dtype=np.uint16).astype(np.uint32) << 16).view(np.float32)


def f32_to_bf16(x):
    """float32 -> uint16 BF16 bits, round to nearest even (what torch's .to(bfloat16) does)."""
    bits = np.ascontiguousarray(x, dtype=np.float32).view(np.uint32).astype(np.uint64)
    rounding = ((bits >> 16) & 1) + 0x7FFF
    out = ((bits + rounding) >> 16).astype(np.uint16)
    nan = np.isnan(np.asarray(x, dtype=np.float32))
    out[nan] = 0x7FC0
    return out


def encode(x, dtype):
    """A float array as the raw storage array of safetensors dtype `dtype` ("F32", "F16", "BF16", ...)."""
    if dtype == "BF16":
        return f32_to_bf16(x)
    return np.ascontiguousarray(x, dtype=_NP_DTYPE[dtype])


def read_header(path):
    """Return (header dict without __metadata__, metadata dict, data section start offset)."""
    with open(path, "rb") as f:
        raw = f.read(8)
        if len(raw) != 8:
            raise ValueError(f"{path}: shorter than the 8-byte header length")
        (n,) = struct.unpack("<Q", raw)
        if n > MAX_HEADER:
            raise ValueError(f"{path}: header length {n} is implausible")
        text = f.read(n)
        if len(text) != n:
            raise ValueError(f"{path}: truncated header")
    header = json.loads(text.decode("utf-8"))
    meta = header.pop("__metadata__", {}) or {}
    return header, meta, 8 + n


def load(path, names=None, as_float32=True):
    """Read tensors of one .safetensors file into numpy arrays (memory-mapped, then copied).

    as_float32 widens F16/BF16/F64 to float32; integer tensors keep their type.
    """
    header, meta, start = read_header(path)
    size = os.path.getsize(path)
    mm = np.memmap(path, dtype=np.uint8, mode="r")
    out = {}
    for name, info in header.items():
        if names is not None and name not in names:
            continue
        dt = info["dtype"]
        if dt not in _NP_DTYPE:
            raise ValueError(f"{path}: tensor {name}: unsupported dtype {dt}")
        shape = tuple(int(s) for s in info["shape"])
        b, e = (int(v) for v in info["data_offsets"])
        count = int(np.prod(shape, dtype=np.int64))
        if e - b != count * _NP_DTYPE[dt].itemsize or start + e > size or b > e:
            raise ValueError(f"{path}: tensor {name}: byte range [{b},{e}) does not fit shape {shape} {dt}")
        arr = np.frombuffer(mm[start + b:start + e].tobytes(), dtype=_NP_DTYPE[dt]).reshape(shape)
        if as_float32:
            if dt == "BF16":
                arr = bf16_to_f32(arr).reshape(shape)
            elif dt in ("F16", "F64"):
                arr = arr.astype(np.float32)
        out[name] = arr
    del mm
    return out, meta, {k: v["dtype"] for k, v in header.items()}


def _dtype_name(arr):
    for name, dt in _NP_DTYPE.items():
        if name != "BF16" and arr.dtype == dt:
            return name
    raise ValueError(f"no safetensors dtype for numpy {arr.dtype}")


class Writer:
    """Streams a safetensors file: declare every tensor (name, dtype, shape) first, then write
    their data in the same order, one at a time, so large checkpoints never sit in memory twice."""

    def __init__(self, path, specs, metadata=None):
        # specs: list of (name, dtype name, shape)
        self.path = path
        self.specs = list(specs)
        header = {}
        if metadata:
            header["__metadata__"] = {str(k): str(v) for k, v in metadata.items()}
        off = 0
        for name, dt, shape in self.specs:
            n = int(np.prod(shape, dtype=np.int64)) * _NP_DTYPE[dt].itemsize
            header[name] = {"dtype": dt, "shape": [int(s) for s in shape], "data_offsets": [off, off + n]}
            off += n
        self.total = off
        text = json.dumps(header, separators=(",", ":")).encode("utf-8")
        text += b" " * ((8 - len(text) % 8) % 8)  # keep the data section 8-byte aligned, as upstream does
        self.tmp = path + ".tmp"
        self.f = open(self.tmp, "wb")
        self.f.write(struct.pack("<Q", len(text)))
        self.f.write(text)
        self.next = 0

    def write(self, name, storage):
        """`storage` is already in the declared dtype (use encode())."""
        want_name, dt, shape = self.specs[self.next]
        if name != want_name:
            raise ValueError(f"tensor {name} written out of order (expected {want_name})")
        storage = np.ascontiguousarray(storage)
        if storage.dtype != _NP_DTYPE[dt] or tuple(storage.shape) != tuple(shape):
            raise ValueError(f"tensor {name}: got {storage.dtype}{storage.shape}, declared {dt}{tuple(shape)}")
        self.f.write(storage.tobytes())
        self.next += 1

    def close(self):
        if self.next != len(self.specs):
            raise ValueError(f"{self.path}: only {self.next} of {len(self.specs)} tensors written")
        self.f.close()
        os.replace(self.tmp, self.path)


def save(path, tensors, dtypes=None, metadata=None):
    """Write {name: float/int array} in insertion order; dtypes maps name -> safetensors dtype
    (default: the array's own dtype)."""
    dtypes = dtypes or {}
    specs, data = [], []
    for name, arr in tensors.items():
        dt = dtypes.get(name) or _dtype_name(np.asarray(arr))
        specs.append((name, dt, np.shape(arr)))
        data.append((name, encode(arr, dt)))
    w = Writer(path, specs, metadata)
    for name, storage in data:
        w.write(name, storage)
    w.close()
    return w.total
