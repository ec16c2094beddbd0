/** zoo:NAME resolution: built once into the cache, reused, rebuilt when corrupted; clear errors. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { resolveModelRef, sha256OfFile } from '../src/zoo/resolve.js';
import { InputError } from '../src/errors/input-error.js';

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'infermark-zoo-'));
}

test('a path that is not zoo:NAME is returned unchanged', async () => {
  assert.deepEqual(await resolveModelRef('models/my.onnx'), { path: 'models/my.onnx' });
});

test('zoo:NAME builds into the cache once, keyed by version, seed and opset, and is reused', async () => {
  const dir = tempDir();
  try {
    const first = await resolveModelRef('zoo:mobilenet-tiny', { cacheDir: dir });
    assert.equal(first.zooName, 'mobilenet-tiny');
    assert.match(first.path, /mobilenet-tiny-arch1-seed0-opset17\.onnx$/);
    const stored = readFileSync(`${first.path}.sha256`, 'utf8').split(/\s+/)[0];
    assert.equal(stored, await sha256OfFile(first.path));
    const mtime = statSync(first.path).mtimeMs;
    const again = await resolveModelRef('zoo:mobilenet-tiny', { cacheDir: dir });
    assert.equal(again.path, first.path);
    assert.equal(statSync(again.path).mtimeMs, mtime, 'reused, not rebuilt');
    const other = await resolveModelRef('zoo:mobilenet-tiny', { cacheDir: dir, seed: 7, opset: 13 });
    assert.match(other.path, /seed7-opset13\.onnx$/);
    assert.ok(readdirSync(dir).every((f) => !f.endsWith('.tmp')), 'no temporary files left');
    const s = await ort.InferenceSession.create(other.path);
    assert.deepEqual(s.inputNames, ['input']);
    await s.release();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a corrupted cache file is detected by its hash and rebuilt', async () => {
  const dir = tempDir();
  try {
    const { path } = await resolveModelRef('zoo:bert-tiny', { cacheDir: dir, seed: 3 });
    const good = await sha256OfFile(path);
    const bytes = readFileSync(path);
    writeFileSync(path, bytes.subarray(0, bytes.length >> 1)); // truncated, as by a killed copy
    const again = await resolveModelRef('zoo:bert-tiny', { cacheDir: dir, seed: 3 });
    assert.equal(again.path, path);
    assert.equal(await sha256OfFile(path), good);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('unknown names and opsets are input errors that list what is allowed', async () => {
  await assert.rejects(resolveModelRef('zoo:resnet51'), (err: unknown) => {
    assert.ok(err instanceof InputError);
    assert.match(err.message, /unknown zoo model "resnet51"; known: resnet50, vgg19, .*bert-tiny/);
    return true;
  });
  await assert.rejects(resolveModelRef('zoo:resnet50', { opset: 9 }), /opset: 9 is not valid; allowed: 13, 14, 15, 16, 17, 18/);
});
