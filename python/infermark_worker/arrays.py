"""Tensors on the wire as numpy arrays: {"dtype", "shape", "buffer"} in JSON, raw little-endian bytes."""
import numpy as np

NUMPY_DTYPES = {
    "float32": np.float32, "float64": np.float64, "float16": np.float16,
    "int64": np.int64, "int32": np.int32, "int16": np.int16,
    "int8": np.int8, "uint8": np.uint8, "bool": np.bool_,
}
DTYPE_NAMES = {np.dtype(v): k for k, v in NUMPY_DTYPES.items()}


def decode_array(spec, buffers):
    """An array from its JSON description and the frame's buffers (copied, so it owns aligned memory)."""
    name = spec.get("dtype")
    if name not in NUMPY_DTYPES:
        raise ValueError(f"tensor dtype {name!r} is not supported; supported: {', '.join(NUMPY_DTYPES)}")
    shape = [int(d) for d in spec.get("shape", [])]
    index = spec.get("buffer")
    if not isinstance(index, int) or not 0 <= index < len(buffers):
        raise ValueError(f"tensor buffer index {index!r} is not one of the frame's {len(buffers)} buffers")
    dtype = np.dtype(NUMPY_DTYPES[name])
    raw = buffers[index]
    count = int(np.prod(shape)) if shape else 1
    if raw.nbytes != count * dtype.itemsize:
        raise ValueError(f"tensor of {name} {shape} needs {count * dtype.itemsize} bytes, its buffer has {raw.nbytes}")
    return np.frombuffer(raw, dtype=dtype).reshape(shape).copy()


def encode_array(a, buffers):
    """Append a's bytes to buffers and return its JSON description."""
    a = np.ascontiguousarray(np.asarray(a))
    if a.dtype not in DTYPE_NAMES:
        raise ValueError(f"output dtype {a.dtype} has no infermark name; supported: {', '.join(NUMPY_DTYPES)}")
    name = DTYPE_NAMES[a.dtype]
    if a.dtype == np.bool_:
        a = a.astype(np.uint8)
    buffers.append(memoryview(a).cast("B") if a.size else b"")
    return {"dtype": name, "shape": list(a.shape), "buffer": len(buffers) - 1}
