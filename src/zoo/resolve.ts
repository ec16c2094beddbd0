/**
 * `zoo:NAME` model references: the model is built once into a cache folder,
 * keyed by name, architecture version, seed and opset, and reused. A stored
 * sha256 beside each file detects a corrupted or truncated file, which is
 * then rebuilt. Files are written to a temporary name and renamed, so two
 * processes resolving the same model never see a half-written file.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { InputError } from '../errors/input-error.js';
import { findZoo, resolveBuildOptions, writeZooModel } from './build.js';
import { defaultCacheRoot } from '../core/cache-root.js';

export const ZOO_PREFIX = 'zoo:';

export interface ResolveOptions {
  /** Folder for built models; default $INFERMARK_CACHE_DIR/zoo, else the user cache folder's infermark/zoo. */
  cacheDir?: string;
  seed?: number;
  opset?: number;
}

export { defaultCacheRoot };

export function defaultZooCacheDir(): string {
  return join(defaultCacheRoot(), 'zoo');
}

export async function sha256OfFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 22 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Files checked in this process (by size and modification time), so a second resolve does not hash 500 MB again. */
const verified = new Map<string, string>();

async function fingerprint(path: string): Promise<string | undefined> {
  try {
    const s = await stat(path);
    return `${s.size}:${s.mtimeMs}`;
  } catch {
    return undefined;
  }
}

async function isIntact(path: string): Promise<boolean> {
  const print = await fingerprint(path);
  if (print === undefined) return false;
  if (verified.get(path) === print) return true;
  let expected: string;
  try {
    expected = (await readFile(`${path}.sha256`, 'utf8')).trim().split(/\s+/)[0];
  } catch {
    return false;
  }
  try {
    return (await sha256OfFile(path)) === expected;
  } catch {
    return false;
  }
}

async function atomicWriteText(path: string, text: string): Promise<void> {
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(tmp, text);
  await rename(tmp, path);
}

export async function resolveModelRef(ref: string, opts: ResolveOptions = {}): Promise<{ path: string; zooName?: string }> {
  if (!ref.startsWith(ZOO_PREFIX)) return { path: ref };
  const name = ref.slice(ZOO_PREFIX.length);
  const def = findZoo(name, 'model');
  const build = resolveBuildOptions(def, { seed: opts.seed, opset: opts.opset });
  const dir = opts.cacheDir ?? defaultZooCacheDir();
  const path = join(dir, `${name}-arch${def.archVersion}-seed${build.seed}-opset${build.opset}.onnx`);
  if (await isIntact(path)) {
    verified.set(path, (await fingerprint(path))!);
    return { path, zooName: name };
  }
  try {
    await mkdir(dir, { recursive: true });
  } catch (err) {
    throw new InputError('cacheDir', `cannot create the zoo cache folder ${JSON.stringify(dir)} (${(err as NodeJS.ErrnoException).code}); set INFERMARK_CACHE_DIR to a writable folder`);
  }
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    const written = await writeZooModel(name, tmp, build);
    await rename(tmp, path);
    await atomicWriteText(`${path}.sha256`, `${written.sha256}  ${name}\n`);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
  verified.set(path, (await fingerprint(path))!);
  return { path, zooName: name };
}
