"""Tensors on the wire: {"dtype", "shape", "buffer"} in JSON, raw little-endian bytes in a buffer."""
import torch

# ONNX/infermark dtype names -> torch dtypes. bool travels as one byte per element.
TORCH_DTYPES = {
    "float32": torch.float32, "float64": torch.float64, "float16": torch.float16,
    "int64": torch.int64, "int32": torch.int32, "int16": torch.int16,
    "int8": torch.int8, "uint8": torch.uint8, "bool": torch.bool, "bfloat16": torch.bfloat16,
}
# Unsigned types wider than a byte (torch >= 2.3); bfloat16 travels as its 16 bits, like torch stores it.
TORCH_DTYPES.update({name: getattr(torch, name) for name in ("uint16", "uint32", "uint64") if hasattr(torch, name)})
DTYPE_NAMES = {v: k for k, v in TORCH_DTYPES.items()}


def decode_tensor(spec, buffers):
    """A tensor from its JSON description and the frame's buffers (copied, so it owns its memory)."""
    dtype_name = spec.get("dtype")
    if dtype_name not in TORCH_DTYPES:
        raise ValueError(f"tensor dtype {dtype_name!r} is not supported; supported: {', '.join(TORCH_DTYPES)}")
    shape = [int(d) for d in spec.get("shape", [])]
    index = spec.get("buffer")
    if not isinstance(index, int) or not 0 <= index < len(buffers):
        raise ValueError(f"tensor buffer index {index!r} is not one of the frame's {len(buffers)} buffers")
    raw = buffers[index]
    dtype = TORCH_DTYPES[dtype_name]
    count = 1
    for d in shape:
        count *= d
    item = torch.empty((), dtype=dtype).element_size()
    if raw.nbytes != count * item:
        raise ValueError(f"tensor of {dtype_name} {shape} needs {count * item} bytes, its buffer has {raw.nbytes}")
    if count == 0:
        return torch.empty(shape, dtype=dtype)
    wire_dtype = torch.uint8 if dtype is torch.bool else dtype
    t = torch.frombuffer(raw, dtype=wire_dtype).reshape(shape).clone()
    return t.to(torch.bool) if dtype is torch.bool else t


def encode_tensor(t, buffers):
    """Append t's bytes to buffers and return its JSON description."""
    t = t.detach()
    if t.device.type != "cpu":
        t = t.cpu()
    if t.dtype not in DTYPE_NAMES:
        raise ValueError(f"output dtype {t.dtype} has no infermark name; supported: {', '.join(TORCH_DTYPES)}")
    name = DTYPE_NAMES[t.dtype]
    if t.dtype is torch.bool:
        t = t.to(torch.uint8)
    t = t.contiguous()
    buffers.append(memoryview(t.numpy()).cast("B") if t.numel() else b"")
    return {"dtype": name, "shape": list(t.shape), "buffer": len(buffers) - 1}
