/** The browser host's pieces that need no browser: wire formats, the page server's headers and limits, flags, labels. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeGraph, decodeGraph } from '../src/hosts/chromium/graph-wire.js';
import { tensorFromWire, tensorToWire } from '../src/hosts/chromium/tensor-wire.js';
import { startPageServer } from '../src/hosts/chromium/server.js';
import { browserFlags } from '../src/hosts/chromium/flags.js';
import { describeGpu } from '../src/hosts/chromium/gpu-label.js';
import { fixSymbolicDims } from '../src/hosts/chromium/fix-dims.js';
import { decodeModel, modelIO } from '../src/onnx/read.js';
import { toGraphIR } from '../src/onnx/ir.js';
import type { GraphIR } from '../src/onnx/ir.js';
import { matmulModelBytes } from './helpers/models.js';

test('tensors cross to the page and back bit for bit, int64 and float32 alike', () => {
  const f = { dtype: 'float32' as const, shape: [2, 3], data: Float32Array.from([1.5, -2, 3e-8, Infinity, NaN, 0]) };
  const i = { dtype: 'int64' as const, shape: [2], data: BigInt64Array.from([-(2n ** 62n), 7n]) };
  assert.deepEqual(tensorFromWire(tensorToWire(f)), f);
  assert.deepEqual(tensorFromWire(tensorToWire(i)), i);
  const view = { dtype: 'float32' as const, shape: [1], data: new Float32Array(Float32Array.from([9, 8, 7]).buffer, 4, 1) };
  assert.deepEqual(Array.from(tensorFromWire(tensorToWire(view)).data as Float32Array), [8]);
});

test('a graph with initializers, maps and a nested subgraph survives the trip to the page', () => {
  const ir = toGraphIR(decodeModel(matmulModelBytes(8)));
  const sub: GraphIR = { ...ir, initializers: new Map([['k', { dtype: 'int8', shape: [3], data: Int8Array.from([1, -2, 3]) }]]) };
  const withSub: GraphIR = { ...ir, nodes: [...ir.nodes, { name: 'if', opType: 'If', domain: '', inputs: ['c'], outputs: ['o'], attrs: { then_branch: sub, n: 3 } }] };
  const { json, blob } = encodeGraph(withSub);
  const back = decodeGraph(json, blob.buffer.slice(blob.byteOffset, blob.byteOffset + blob.byteLength) as ArrayBuffer);
  assert.deepEqual(back, withSub);
  assert.ok(back.initializers instanceof Map);
});

test('the page server isolates the page (COOP/COEP), serves only its folders, and fixes symbolic dims on request', async (t) => {
  const bytes = matmulModelBytes(4);
  const server = await startPageServer({ modelBytes: bytes });
  t.after(() => server.close());
  assert.match(server.origin, /^http:\/\/127\.0\.0\.1:\d+$/);
  const page = await fetch(`${server.origin}/ort.html`);
  assert.equal(page.status, 200);
  assert.equal(page.headers.get('cross-origin-opener-policy'), 'same-origin');
  assert.equal(page.headers.get('cross-origin-embedder-policy'), 'require-corp');
  assert.match(await page.text(), /type="importmap"/);
  const wasm = await fetch(`${server.origin}/ort/ort-wasm-simd-threaded.wasm`);
  assert.equal(wasm.headers.get('content-type'), 'application/wasm');
  await wasm.arrayBuffer();
  assert.deepEqual(new Uint8Array(await (await fetch(`${server.origin}/model.onnx`)).arrayBuffer()), new Uint8Array(bytes));
  const fixed = new Uint8Array(await (await fetch(`${server.origin}/model.onnx?dims=${encodeURIComponent('{"batch":5}')}`)).arrayBuffer());
  assert.deepEqual(modelIO(decodeModel(fixed)).inputs[0].shape, [5, 4]);
  for (const path of ['/ort/../package.json', '/dist/src/../../package.json', '/etc/passwd', '/graph.json', '/ort/README.md']) {
    assert.equal((await fetch(`${server.origin}${path}`)).status, 404, path);
  }
  const shim = await (await fetch(`${server.origin}/shim/tfjs-core.js`)).text();
  assert.match(shim, /export const \{ .*\bconv2d\b.*\} = tf;/);
});

test('flags: WebGPU and precise memory always; no sandbox only as root; the user\'s flags last', () => {
  const asUser = browserFlags(['--foo'], false);
  assert.ok(asUser.includes('--enable-unsafe-webgpu') && asUser.includes('--enable-precise-memory-info'));
  assert.ok(!asUser.includes('--no-sandbox'));
  assert.equal(asUser.at(-1), '--foo');
  assert.ok(browserFlags([], true).includes('--no-sandbox'));
});

test('a software GPU is labelled as such', () => {
  assert.match(describeGpu({ vendor: 'google', architecture: 'swiftshader', isFallbackAdapter: true }), /isFallbackAdapter: true, software-emulated GPU/);
  assert.equal(describeGpu({ vendor: 'nvidia', architecture: 'hopper', isFallbackAdapter: false }), 'nvidia hopper');
  assert.match(describeGpu({ missing: 'requestAdapter() returned no adapter' }), /^none \(/);
  assert.deepEqual(modelIO(decodeModel(fixSymbolicDims(matmulModelBytes(4), { other: 2 }))).inputs[0].shape, ['batch', 4]);
});
