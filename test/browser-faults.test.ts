/**
 * Browser trials that go wrong: a page that crashes, hangs or throws, a
 * tfjs backend that silently falls back, and no browser at all. Each is an
 * error with its reason and the page's console tail, and no browser process
 * is left behind. One whole trial through the CLI closes the file.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { getRuntime } from '../src/runtimes/registry.js';
import { synthesizeInputs } from '../src/engine/inputs.js';
import { listProcessTree } from '../src/probes/proc-stat.js';
import type { BrowserSession } from '../src/hosts/chromium/browser-session.js';
import { BrowserFault } from '../src/hosts/chromium/fault.js';
import { PageHost } from '../src/hosts/chromium/page-host.js';
import { encodeGraph } from '../src/hosts/chromium/graph-wire.js';
import { toGraphIR } from '../src/onnx/ir.js';
import { decodeModel } from '../src/onnx/read.js';
import { findBrowser, NO_BROWSER_REASON } from '../src/hosts/chromium/browser-path.js';
import { matmulModelBytes, tempDir, unknownOpModelBytes, writeModel } from './helpers/models.js';
import { runCli } from './helpers/cli.js';
import { CHROMIUM, needChromium } from './browser-helpers.js';

const bytes = matmulModelBytes(32);
const LONG_RULE = { warmupRuns: 2, warmupMaxMs: 500, minSamples: 1_000_000, minTimeMs: 60_000, maxTimeMs: 60_000, targetCiRel: 0.001, maxSamples: 10_000_000 };
const SHORT_RULE = { ...LONG_RULE, maxTimeMs: 500, minTimeMs: 100 };

/** Browser processes descending from this test process. */
function browserDescendants(): number[] {
  return listProcessTree('/proc', process.pid).slice(1).filter((pid) => {
    try { return /chrom/i.test(readFileSync(`/proc/${pid}/comm`, 'utf8')); } catch { return false; }
  });
}

async function ortSession(settings = {}): Promise<BrowserSession> {
  const rt = await getRuntime('ort-web@chromium');
  return await rt.createSession({ bytes }, { provider: 'wasm', settings }) as BrowserSession;
}

test('a page whose renderer is killed mid-measurement (as by the OOM killer): a crash fault with the console tail; the browser is gone', async (t) => {
  if (!needChromium(t)) return;
  const session = await ortSession();
  const prepared = session.prepare(synthesizeInputs(session.inputs, { x: [2, 32] }, 1, {}));
  await session.host.page.evaluate(() => console.log('about to crash'));
  const loop = session.measureLoop(prepared, LONG_RULE);
  await new Promise((r) => setTimeout(r, 1500));
  // As the kernel's out-of-memory killer would: the page's renderer gets SIGKILL while the loop runs.
  const renderer = (await session.host.processes()).find((p) => p.type === 'renderer')!;
  process.kill(renderer.pid, 'SIGKILL');
  await assert.rejects(loop, (err: Error) => {
    assert.ok(err instanceof BrowserFault, err.message);
    assert.equal(err.kind, 'crash');
    assert.match(err.message, /page crashed during measure/);
    assert.match(err.message, /about to crash/);
    return true;
  });
  await session.dispose();
  assert.deepEqual(browserDescendants(), []);
});

test('a page whose main thread hangs: a hang fault after the limit; the browser is killed', async (t) => {
  if (!needChromium(t)) return;
  const session = await ortSession({ callTimeoutS: 3 });
  const prepared = session.prepare(synthesizeInputs(session.inputs, { x: [2, 32] }, 1, {}));
  await session.host.page.evaluate(() => {
    console.log('spinning forever');
    (globalThis as unknown as { infermark: { measure: () => void } }).infermark.measure = () => { for (;;) { /* a page that never yields */ } };
  });
  const t0 = Date.now();
  await assert.rejects(session.measureLoop(prepared, SHORT_RULE), (err: Error) => {
    assert.ok(err instanceof BrowserFault, err.message);
    assert.equal(err.kind, 'hang');
    assert.match(err.message, /the page hung: measure did not finish within 7s; the browser was closed/);
    assert.match(err.message, /spinning forever/);
    return true;
  });
  assert.ok(Date.now() - t0 < 60_000);
  await session.dispose();
  assert.deepEqual(browserDescendants(), []);
});

test('a page that throws (an operator tfjs cannot import): the error and the console tail; no browser left', async (t) => {
  if (!needChromium(t)) return;
  const rt = await getRuntime('tfjs@chromium');
  await assert.rejects(rt.createSession({ bytes: unknownOpModelBytes() }, { provider: 'cpu', settings: {} }), (err: Error) => {
    assert.ok(err instanceof BrowserFault, err.message);
    assert.equal(err.kind, 'throw');
    assert.match(err.message, /^load failed: tfjs cannot run operator NoSuchOperator \(opset 17\): not implemented/);
    assert.match(err.message, /page console \(last lines\)/);
    return true;
  });
  assert.deepEqual(browserDescendants(), []);
});

test('a tfjs backend that does not start and leaves tfjs on another: "backend webgpu did not initialise", never a mislabelled result', async (t) => {
  if (!needChromium(t)) return;
  const graph = encodeGraph(toGraphIR(decodeModel(bytes)));
  const host = await PageHost.open({ engine: 'tfjs', executablePath: CHROMIUM, files: { graph } });
  try {
    // What tfjs does when WebGPU cannot start: setBackend resolves false and the previous backend stays.
    await host.page.evaluate(() => { (globalThis as unknown as { tf: { setBackend: () => Promise<boolean> } }).tf.setBackend = async () => false; });
    await assert.rejects(host.call('load', [{ engine: 'tfjs', provider: 'webgpu', settings: {} }], 60_000), /backend webgpu did not initialise \(TensorFlow\.js is on/);
  } finally {
    await host.close();
  }
  assert.deepEqual(browserDescendants(), []);
});

test('no browser: the chromium runtimes are unavailable with what to do, and the others go on', (t) => {
  assert.deepEqual(findBrowser(undefined, ''), { reason: NO_BROWSER_REASON });
  assert.match(NO_BROWSER_REASON, /install chromium \(apt-get install chromium\) or pass --browser/);
  assert.match((findBrowser('/no/such/chromium') as { reason: string }).reason, /browser: "\/no\/such\/chromium" is not an executable file/);
  const r = runCli(['runtimes', '--json'], { env: { PATH: '/nonexistent' } });
  assert.equal(r.code, 0, r.stderr);
  const statuses = JSON.parse(r.stdout) as { name: string; providers: { name: string; available: boolean; reason?: string }[] }[];
  for (const name of ['ort-web@chromium', 'tfjs@chromium']) {
    const s = statuses.find((x) => x.name === name)!;
    assert.ok(s.providers.length >= 3);
    for (const p of s.providers) {
      assert.equal(p.available, false);
      assert.equal(p.reason, NO_BROWSER_REASON);
    }
  }
  assert.ok(statuses.find((x) => x.name === 'ort-node')!.providers.some((p) => p.available));
  t.diagnostic('ort-node stays available without a browser');
});

test('a whole trial through the CLI: host chromium, browser version, flags and adapter in the result; outputs agree; memory of the tree and of renderer + GPU process; no process left', async (t) => {
  if (!needChromium(t)) return;
  const dir = tempDir('infermark-browser-cli-');
  const model = writeModel(dir, 'mm.onnx', bytes);
  const out = join(dir, 'r.jsonl');
  const r = runCli(['run', model, '--runtime', 'ort-web@chromium:wasm', '--batch', '2', '--min-time', '100ms', '--max-time', '1s', '--out', out], { timeoutMs: 240_000 });
  assert.equal(r.code, 0, r.stderr + r.stdout);
  const [line] = readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  assert.equal(line.status, 'ok', JSON.stringify(line.error));
  assert.equal(line.runtime, 'ort-web@chromium');
  const ctx = line.context.runtimeVersions;
  assert.equal(ctx.host, 'chromium');
  assert.match(ctx.chromium, /^\d+\./);
  assert.match(ctx['chromium.flags'], /--enable-unsafe-webgpu --enable-precise-memory-info/);
  assert.match(ctx['chromium.adapter.isFallbackAdapter'], /^(true|false)$/);
  assert.equal(line.agreement.withinTolerance, true);
  assert.ok(line.memory.peakRssBytes > 50 * 2 ** 20, 'the runner tree includes the browser');
  assert.ok(line.cpu.cpuTimeS > 0);
  // The page's own figures: its load, and the renderer and GPU processes alone.
  assert.ok(line.page.pageLoadMs > 0 && line.page.pageLoadMs <= line.loadMs);
  assert.ok(line.page.rendererGpuPeakRssBytes > 10 * 2 ** 20 && line.page.rendererGpuPeakRssBytes < line.memory.peakRssBytes);
  assert.ok(line.page.rendererGpuCpuS > 0);
  assert.ok(line.page.processes.some((p: { type: string }) => p.type === 'renderer'));
  assert.ok(line.page.jsHeapUsedBytes > 0);
  assert.deepEqual(browserDescendants(), []);
});
