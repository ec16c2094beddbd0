"""Frames on a byte stream (docs/worker-protocol.md).

A frame is: u32 LE header length H, u32 LE payload length P, H bytes of
UTF-8 JSON (an object), P bytes of payload. The header's "buffers" list
gives the byte length of each binary buffer; the buffers follow one after
another in the payload, and JSON refers to them by index.
"""
import json
import struct

PREFIX = struct.Struct("<II")
# Headers carry graph structure, never tensor data: a few MiB is plenty, and a
# bound turns stray text on the pipe into a clear error instead of a huge read.
MAX_HEADER_BYTES = 64 << 20


class ProtocolError(Exception):
    """The peer wrote something that is not a frame."""


def read_exact(stream, count):
    """Read exactly count bytes; None at a clean end of stream before any byte."""
    chunks = []
    remaining = count
    while remaining > 0:
        chunk = stream.read(remaining)
        if not chunk:
            if remaining == count:
                return None
            raise ProtocolError(f"stream ended inside a frame: {count - remaining} of {count} bytes read")
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks) if len(chunks) != 1 else chunks[0]


def read_frame(stream):
    """Return (header dict, list of memoryview buffers), or None at end of stream."""
    prefix = read_exact(stream, PREFIX.size)
    if prefix is None:
        return None
    header_len, payload_len = PREFIX.unpack(prefix)
    if header_len == 0 or header_len > MAX_HEADER_BYTES:
        raise ProtocolError(f"header length {header_len} is outside 1..{MAX_HEADER_BYTES} (first bytes read: {prefix!r})")
    raw_header = read_exact(stream, header_len)
    if raw_header is None:
        raise ProtocolError("stream ended after a frame prefix")
    try:
        header = json.loads(raw_header.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as err:
        raise ProtocolError(f"header is not JSON ({err}): {raw_header[:80]!r}") from None
    if not isinstance(header, dict):
        raise ProtocolError(f"header is not a JSON object: {raw_header[:80]!r}")
    lengths = header.get("buffers", [])
    if not isinstance(lengths, list) or any(not isinstance(n, int) or n < 0 for n in lengths) or sum(lengths) != payload_len:
        raise ProtocolError(f"header buffers {lengths!r} do not add up to the payload length {payload_len}")
    payload = read_exact(stream, payload_len) if payload_len else b""
    if payload is None:
        raise ProtocolError("stream ended before the payload")
    # bytearray so torch.frombuffer gets writable memory and needs no copy warning.
    view = memoryview(bytearray(payload))
    buffers = []
    offset = 0
    for n in lengths:
        buffers.append(view[offset:offset + n])
        offset += n
    return header, buffers


def write_frame(stream, header, buffers=()):
    """Write one frame; buffers are bytes-like objects (memoryviews are not copied)."""
    lengths = [memoryview(b).nbytes for b in buffers]
    header = dict(header, buffers=lengths)
    raw_header = json.dumps(header, allow_nan=False).encode("utf-8")
    stream.write(PREFIX.pack(len(raw_header), sum(lengths)))
    stream.write(raw_header)
    for b in buffers:
        stream.write(b)
    stream.flush()
