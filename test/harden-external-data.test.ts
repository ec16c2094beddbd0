/**
 * Hostile model files: external data that escapes the model's folder
 * (relative, absolute, a symlinked file, a symlinked folder), a missing
 * location, a range past the file's end, and model paths that are devices
 * or FIFOs. Every runtime refuses them; tfjs and torch with an InputError
 * naming the initializer and the path.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { onnx } from '../src/onnx/read.js';
import { InputError } from '../src/errors/input-error.js';
import type { Runtime } from '../src/runtimes/runtime.js';
import tfjs from '../src/runtimes/tfjs.js';
import ortNode from '../src/runtimes/ort-node.js';
import torch from '../src/runtimes/torch.js';
import { findTorch } from '../src/runtimes/torch/python.js';
import { readExternalData, readRegularFile } from '../src/files/safe-read.js';
import { tempDir } from './helpers/models.js';

const found = await findTorch();
if (!found.ok && process.env.CI === 'true') throw new Error(`CI=true, so the torch tests must run, but: ${found.reason}`);

const W = Float32Array.from([1, 2, 3, 4]);

/** y = x + w, with w stored as external data described by `ext` (undefined: no location key). */
function modelWithExternal(ext: { location?: string; offset?: number; length?: number }): Uint8Array {
  const externalData = Object.entries(ext).filter(([, v]) => v !== undefined).map(([key, value]) => ({ key, value: String(value) }));
  const info = (name: string) => ({ name, type: { tensorType: { elemType: 1, shape: { dim: [{ dimValue: 1 }, { dimValue: 4 }] } } } });
  return onnx.ModelProto.encode({
    irVersion: 8,
    opsetImport: [{ domain: '', version: 17 }],
    graph: {
      name: 'g',
      node: [{ opType: 'Add', input: ['x', 'w'], output: ['y'] }],
      input: [info('x')],
      output: [info('y')],
      initializer: [{ name: 'w', dataType: 1, dims: [1, 4], dataLocation: onnx.TensorProto.DataLocation.EXTERNAL, externalData }],
    },
  }).finish();
}

/** A layout with a model folder, a sibling folder outside it, and links that lead out. */
function layout(): { root: string; dir: string; outside: string } {
  const root = tempDir('infermark-ext-');
  const dir = join(root, 'model');
  const outside = join(root, 'outside');
  mkdirSync(dir);
  mkdirSync(outside);
  const bytes = Buffer.from(W.buffer);
  writeFileSync(join(dir, 'w.bin'), bytes);
  writeFileSync(join(outside, 'secret.bin'), bytes);
  symlinkSync(join(outside, 'secret.bin'), join(dir, 'link.bin'));
  symlinkSync(outside, join(dir, 'sub'));
  mkdirSync(join(dir, 'inner'));
  symlinkSync('../w.bin', join(dir, 'inner', 'ok.bin'));
  return { root, dir, outside };
}

const L = layout();
function writeModel(name: string, ext: { location?: string; offset?: number; length?: number }): string {
  const path = join(L.dir, `${name}.onnx`);
  writeFileSync(path, modelWithExternal(ext));
  return path;
}

const escapes: [string, { location?: string; offset?: number; length?: number }, RegExp][] = [
  ['relative', { location: '../outside/secret.bin' }, /initializer "w" points at external data "..\/outside\/secret.bin" .*outside the model's folder/],
  ['absolute', { location: join(L.outside, 'secret.bin') }, /initializer "w" points at external data ".*secret.bin", an absolute path/],
  ['symlinked file', { location: 'link.bin' }, /initializer "w" points at external data "link.bin" .*outside the model's folder/],
  ['symlinked folder', { location: 'sub/secret.bin' }, /initializer "w" points at external data "sub\/secret.bin" .*outside the model's folder/],
  ['no location', {}, /initializer "w" uses external data but names no location/],
  ['range past the end', { location: 'w.bin', offset: 8, length: 16 }, /asks for bytes 8..24 of "w.bin", which has 16 bytes/],
  ['length not matching dims', { location: 'w.bin', offset: 0, length: 8 }, /declares float32\[1, 4\] \(16 bytes\) but holds 8 bytes/],
];

const runtimes: [string, Runtime, string, false | string][] = [
  ['tfjs', tfjs, 'cpu', false],
  ['torch', torch, 'cpu', found.ok ? false : found.reason],
];

for (const [rtName, rt, provider, skip] of runtimes) {
  for (const [what, ext, message] of escapes) {
    test(`${rtName}: external data ${what} is an InputError naming the initializer and the path`, { skip }, async () => {
      const path = writeModel(`${rtName}-${what.replace(/ /g, '-')}`, ext);
      await assert.rejects(rt.createSession({ path }, { provider, settings: {} }), (err: Error) => {
        assert.ok(err instanceof InputError, `${err.name}: ${err.message}`);
        assert.match(err.message, message);
        assert.ok(!err.message.includes('\n'), 'one line');
        return true;
      });
    });
  }
  test(`${rtName}: external data inside the folder (also through an inner symlink) loads and runs`, { skip }, async () => {
    for (const location of ['w.bin', 'inner/ok.bin']) {
      const session = await rt.createSession({ path: writeModel(`${rtName}-good-${location.replace('/', '-')}`, { location }) }, { provider, settings: {} });
      try {
        const raw = await session.run(session.prepare({ x: { dtype: 'float32', shape: [1, 4], data: Float32Array.from([10, 20, 30, 40]) } }));
        const out = await session.readOutputs(raw);
        assert.deepEqual([...out.y.data as Float32Array], [11, 22, 33, 44]);
      } finally {
        await session.dispose();
      }
    }
  });
}

test('ort-node: onnxruntime refuses every escape too', async () => {
  for (const [what, ext] of escapes.slice(0, 4)) {
    const path = writeModel(`ort-${what.replace(/ /g, '-')}`, ext);
    await assert.rejects(ortNode.createSession({ path }, { provider: 'cpu', settings: {} }), Error, what);
  }
});

test('model paths that are devices, FIFOs or folders are refused without reading them', async () => {
  const fifo = join(L.root, 'model.fifo');
  execFileSync('mkfifo', [fifo]);
  for (const path of ['/dev/zero', '/dev/urandom', fifo, L.dir]) {
    for (const [name, rt] of [['tfjs', tfjs], ['ort-node', ortNode]] as const) {
      await assert.rejects(rt.createSession({ path }, { provider: 'cpu', settings: {} }), (err: Error) => {
        assert.ok(err instanceof InputError, `${name} ${path}: ${err.message}`);
        assert.match(err.message, /is (a device file|a FIFO|a directory); give a regular file/);
        return true;
      });
    }
    assert.throws(() => readRegularFile(path, 'model'), InputError);
  }
  assert.throws(() => readRegularFile(join(L.dir, 'w.bin'), 'model', 8), /16 bytes, over the bound of 8 bytes/);
});

test('external data that is a device or a FIFO inside the folder is refused', () => {
  const fifo = join(L.dir, 'w.fifo');
  execFileSync('mkfifo', [fifo]);
  symlinkSync('/dev/zero', join(L.dir, 'zero'));
  assert.throws(() => readExternalData(L.dir, { tensor: 'w', location: 'w.fifo', offset: 0, length: 16 }), /is a FIFO; give a regular file/);
  // /dev/zero through a link resolves outside the folder before its kind is even looked at.
  assert.throws(() => readExternalData(L.dir, { tensor: 'w', location: 'zero', offset: 0, length: 16 }), /outside the model's folder/);
  assert.throws(() => readExternalData(L.dir, { tensor: 'w', location: 'w.bin', offset: -1, length: 16 }), /offset "?-1"?; allowed: a whole number/);
  assert.deepEqual([...readExternalData(L.dir, { tensor: 'w', location: 'w.bin', offset: 4, length: 8 })], [...Buffer.from(W.buffer).subarray(4, 12)]);
});
