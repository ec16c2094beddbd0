/**
 * The one way model files (and the files they point at) are read: regular
 * files only (a device such as /dev/zero or a FIFO would be read forever or
 * block), a size bound checked before reading, and external data only from
 * inside the model's own folder after symlinks are resolved, reading only
 * the declared byte range. This is how onnxruntime reads external data, so
 * every runtime sees the same files or refuses the same model.
 */
import { closeSync, constants, fstatSync, openSync, readSync, realpathSync, type Stats } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { InputError } from '../errors/input-error.js';

/** Largest model or plan file read into memory: Node's own Buffer bound, 2 GiB − 1. */
export const MAX_FILE_BYTES = 2 ** 31 - 1;

function describeKind(st: Stats): string {
  if (st.isDirectory()) return 'a directory';
  if (st.isFIFO()) return 'a FIFO';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'a device file';
  if (st.isSocket()) return 'a socket';
  return 'not a regular file';
}

/** Opens without blocking (a FIFO would hang on open) and checks the file is regular and within `maxBytes`. */
function openRegular(path: string, field: string, maxBytes: number): { fd: number; size: number } {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new InputError(field, `${field}: file ${JSON.stringify(path)} does not exist; give the path of an existing file`);
    throw new InputError(field, `${field}: cannot read ${JSON.stringify(path)} (${code ?? (err as Error).message})`);
  }
  const st = fstatSync(fd);
  if (!st.isFile()) {
    closeSync(fd);
    throw new InputError(field, `${field}: ${JSON.stringify(path)} is ${describeKind(st)}; give a regular file`);
  }
  if (st.size > maxBytes) {
    closeSync(fd);
    throw new InputError(field, `${field}: ${JSON.stringify(path)} is ${st.size} bytes, over the bound of ${maxBytes} bytes`);
  }
  return { fd, size: st.size };
}

function readRange(fd: number, offset: number, length: number): Buffer {
  const out = Buffer.allocUnsafe(length);
  let done = 0;
  while (done < length) {
    const n = readSync(fd, out, done, length - done, offset + done);
    if (n === 0) break;
    done += n;
  }
  return done === length ? out : out.subarray(0, done);
}

/** A whole regular file, refused when it is a device, a FIFO, a directory or over `maxBytes`. */
export function readRegularFile(path: string, field: string, maxBytes = MAX_FILE_BYTES): Buffer {
  const { fd, size } = openRegular(path, field, maxBytes);
  try {
    return readRange(fd, 0, size);
  } finally {
    closeSync(fd);
  }
}

/** Throws unless `path` is a regular file within `maxBytes` (for runtimes that open the file themselves). */
export function assertRegularFile(path: string, field: string, maxBytes = MAX_FILE_BYTES): void {
  closeSync(openRegular(path, field, maxBytes).fd);
}

/** Whether `inner` is `root` or lies below it (both already resolved). */
export function isInside(root: string, inner: string): boolean {
  const rel = relative(root, inner);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel) && rel.split(sep)[0] !== '..');
}

export interface ExternalRef {
  /** The initializer's name, for messages. */
  tensor: string;
  location: string | undefined;
  offset: string | number | undefined;
  length: string | number | undefined;
}

function byteCount(v: string | number | undefined, what: string, ref: ExternalRef, field: string): number | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new InputError(field, `${field}: initializer ${JSON.stringify(ref.tensor)} has external data ${what} ${JSON.stringify(v)}; allowed: a whole number of bytes, 0 or more`);
  }
  return n;
}

/**
 * The bytes of one initializer's external data, read from `modelDir` only:
 * the location must be relative, must stay inside the folder after symlinks
 * are resolved, and offset + length must fit the file.
 */
export function readExternalData(modelDir: string, ref: ExternalRef, field = 'model'): Buffer {
  const name = JSON.stringify(ref.tensor);
  if (!ref.location) throw new InputError(field, `${field}: initializer ${name} uses external data but names no location; give the file's path relative to the model`);
  const loc = JSON.stringify(ref.location);
  if (isAbsolute(ref.location) || ref.location.includes('\0')) {
    throw new InputError(field, `${field}: initializer ${name} points at external data ${loc}, an absolute path; external data must lie inside the model's folder`);
  }
  let root: string;
  let target: string;
  try {
    root = realpathSync(modelDir);
    target = realpathSync(resolve(root, ref.location));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new InputError(field, `${field}: initializer ${name} points at external data ${loc}, which cannot be opened (${code ?? (err as Error).message})`);
  }
  if (!isInside(root, target)) {
    throw new InputError(field, `${field}: initializer ${name} points at external data ${loc} (${target}), outside the model's folder ${root}; external data must lie inside it`);
  }
  const offset = byteCount(ref.offset, 'offset', ref, field) ?? 0;
  const { fd, size } = openRegular(target, `${field}: initializer ${name} external data`, MAX_FILE_BYTES);
  try {
    const length = byteCount(ref.length, 'length', ref, field) ?? size - offset;
    if (offset > size || length < 0 || offset + length > size) {
      throw new InputError(field, `${field}: initializer ${name} asks for bytes ${offset}..${offset + Math.max(length, 0)} of ${loc}, which has ${size} bytes`);
    }
    return readRange(fd, offset, length);
  } finally {
    closeSync(fd);
  }
}
