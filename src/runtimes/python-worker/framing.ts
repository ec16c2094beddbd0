/**
 * Frames between Node and the Python worker (docs/worker-protocol.md):
 * u32 LE header length H, u32 LE payload length P, H bytes of JSON (an
 * object whose "buffers" lists the byte length of each binary buffer), then
 * P bytes of payload, the buffers one after another.
 */

export const PREFIX_BYTES = 8;
/** Headers carry structure, never tensor data; a bound turns stray text on the pipe into a clear error. */
export const MAX_HEADER_BYTES = 64 << 20;
/** Largest payload a frame may promise: a header claiming more is refused at once, not waited for. */
export const MAX_PAYLOAD_BYTES = 1 << 30;

export interface Frame {
  header: Record<string, unknown> & { type: string };
  buffers: Uint8Array[];
}

/** The peer wrote something that is not a frame; the message says what was read. */
export class ProtocolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProtocolError';
  }
}

export function encodeFrame(header: Record<string, unknown>, buffers: readonly Uint8Array[] = []): Buffer[] {
  const lengths = buffers.map((b) => b.byteLength);
  const json = Buffer.from(JSON.stringify({ ...header, buffers: lengths }), 'utf8');
  const prefix = Buffer.alloc(PREFIX_BYTES);
  prefix.writeUInt32LE(json.byteLength, 0);
  const payloadBytes = lengths.reduce((a, b) => a + b, 0);
  if (payloadBytes > 0xffffffff) throw new RangeError(`frame payload of ${payloadBytes} bytes exceeds the protocol's 4 GiB limit`);
  prefix.writeUInt32LE(payloadBytes, 4);
  return [prefix, json, ...buffers.map((b) => Buffer.from(b.buffer, b.byteOffset, b.byteLength))];
}

/** Printable preview of bytes for error messages. */
export function preview(bytes: Uint8Array, max = 60): string {
  return JSON.stringify(Buffer.from(bytes.subarray(0, max)).toString('latin1')) + (bytes.byteLength > max ? '...' : '');
}

/** Accumulates stdout chunks and yields whole frames; throws ProtocolError on anything else. */
export class FrameDecoder {
  private chunks: Buffer[] = [];
  private buffered = 0;

  push(chunk: Buffer): Frame[] {
    this.chunks.push(chunk);
    this.buffered += chunk.byteLength;
    const frames: Frame[] = [];
    for (;;) {
      const frame = this.next();
      if (!frame) return frames;
      frames.push(frame);
    }
  }

  /** Bytes received that do not yet form a whole frame. */
  get pendingBytes(): number {
    return this.buffered;
  }

  private take(n: number): Buffer {
    const all = this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks);
    const out = all.subarray(0, n);
    const rest = all.subarray(n);
    this.chunks = rest.byteLength ? [rest] : [];
    this.buffered = rest.byteLength;
    return out;
  }

  private peekPrefix(): Buffer {
    if (this.chunks[0].byteLength < PREFIX_BYTES) this.chunks = [Buffer.concat(this.chunks)];
    return this.chunks[0];
  }

  private next(): Frame | undefined {
    if (this.buffered < PREFIX_BYTES) return undefined;
    const head = this.peekPrefix();
    const headerBytes = head.readUInt32LE(0);
    const payloadBytes = head.readUInt32LE(4);
    if (headerBytes === 0 || headerBytes > MAX_HEADER_BYTES) {
      throw new ProtocolError(`worker wrote something that is not a frame: header length ${headerBytes} is outside 1..${MAX_HEADER_BYTES}; bytes read: ${preview(head)}`);
    }
    if (payloadBytes > MAX_PAYLOAD_BYTES) {
      throw new ProtocolError(`worker frame promises a payload of ${payloadBytes} bytes, over the bound of ${MAX_PAYLOAD_BYTES}; bytes read: ${preview(head)}`);
    }
    if (this.buffered < PREFIX_BYTES + headerBytes + payloadBytes) return undefined;
    const bytes = this.take(PREFIX_BYTES + headerBytes + payloadBytes);
    const rawHeader = bytes.subarray(PREFIX_BYTES, PREFIX_BYTES + headerBytes);
    let header: unknown;
    try {
      header = JSON.parse(rawHeader.toString('utf8'));
    } catch (err) {
      throw new ProtocolError(`worker frame header is not JSON (${(err as Error).message}); bytes read: ${preview(rawHeader)}`);
    }
    if (typeof header !== 'object' || header === null || Array.isArray(header) || typeof (header as { type?: unknown }).type !== 'string') {
      throw new ProtocolError(`worker frame header is not an object with a string "type"; read: ${preview(rawHeader)}`);
    }
    const lengths = (header as { buffers?: unknown }).buffers ?? [];
    if (!Array.isArray(lengths) || lengths.some((n) => !Number.isInteger(n) || n < 0) || lengths.reduce((a: number, b: number) => a + b, 0) !== payloadBytes) {
      throw new ProtocolError(`worker frame header lists buffers ${JSON.stringify(lengths)} that do not add up to its payload of ${payloadBytes} bytes`);
    }
    const buffers: Uint8Array[] = [];
    let offset = PREFIX_BYTES + headerBytes;
    for (const n of lengths as number[]) {
      buffers.push(bytes.subarray(offset, offset + n));
      offset += n;
    }
    return { header: header as Frame['header'], buffers };
  }
}
