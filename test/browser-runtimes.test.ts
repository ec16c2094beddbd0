/**
 * ort-web@chromium and tfjs@chromium on every provider/backend, in Debian's
 * chromium: outputs agree with onnxruntime-node, the loop runs in the page,
 * renderer + GPU memory and CPU are read, the software GPU is labelled, and
 * every browser process is gone after dispose.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getRuntime } from '../src/runtimes/registry.js';
import { synthesizeInputs } from '../src/engine/inputs.js';
import { compareOutputs } from '../src/engine/agreement.js';
import type { BrowserSession } from '../src/hosts/chromium/browser-session.js';
import { matmulModelBytes } from './helpers/models.js';
import { runOrt } from './helpers/tensors.js';
import { needChromium, QUICK_RULE, running } from './browser-helpers.js';

const CASES: [string, string][] = [
  ['ort-web@chromium', 'wasm'], ['ort-web@chromium', 'webgl'], ['ort-web@chromium', 'webgpu'],
  ['tfjs@chromium', 'cpu'], ['tfjs@chromium', 'wasm'], ['tfjs@chromium', 'webgl'], ['tfjs@chromium', 'webgpu'],
];

const bytes = matmulModelBytes(32);

for (const [name, provider] of CASES) {
  test(`${name}:${provider} agrees with onnxruntime-node, measures in the page, records renderer + GPU memory and CPU`, async (t) => {
    if (!needChromium(t)) return;
    const rt = await getRuntime(name);
    const context = await rt.versions();
    const session = await rt.createSession({ bytes }, { provider, settings: {} }) as BrowserSession;
    let pids: number[] = [];
    try {
      const feeds = synthesizeInputs(session.inputs, { x: [3, 32] }, 7, {});
      const prepared = session.prepare(feeds);
      const m = await session.measureLoop(prepared, QUICK_RULE);
      // SwiftShader's WebGPU on a busy 2-core machine may reach the time limit first: at least one sample, never none.
      assert.ok(m.samplesMs.length >= 1, `${m.samplesMs.length} samples`);
      assert.ok(m.samplesMs.every((s) => s >= 0 && Number.isFinite(s)));
      assert.ok(m.timerResolutionMs > 0 && m.timerResolutionMs < 1, `performance.now() resolution ${m.timerResolutionMs} ms (crossOriginIsolated: fine-grained)`);

      const agreement = compareOutputs(await session.readOutputs(await session.run(prepared)), await runOrt(bytes, feeds), 'ort-node');
      assert.equal(agreement.withinTolerance, true, JSON.stringify(agreement));

      const f = session.figures.rendererAndGpu!;
      pids = f.processes.map((p) => p.pid);
      assert.equal(f.processes.filter((p) => p.type === 'renderer').length, 1, JSON.stringify(f.processes));
      assert.ok(f.processes.some((p) => p.type === 'GPU'));
      assert.ok(f.peakRssBytes > 20 * 2 ** 20, `renderer + GPU peak RSS ${f.peakRssBytes}`);
      assert.ok(f.sumVmHwmBytes > 20 * 2 ** 20);
      assert.ok(f.cpuS >= 0);
      assert.ok(session.figures.pageLoadMs > 0);
      assert.ok((session.figures.jsHeapUsedBytes ?? 0) > 0, 'performance.memory is precise');

      assert.equal(context.host, 'chromium');
      assert.match(context.chromium, /^\d+\.\d+\.\d+\.\d+$/);
      assert.match(context['chromium.flags'], /--enable-unsafe-webgpu/);
      assert.equal(context['chromium.crossOriginIsolated'], 'true');
      assert.match(context['chromium.adapter.isFallbackAdapter'], /^(true|false)$/);
      if (provider === 'webgl' || provider === 'webgpu') assert.match(context['chromium.gpu'], /software-emulated|hardware/);
      assert.equal(context[`${name.startsWith('tfjs') ? 'tfjs' : 'ort'}.backend`], provider);
    } finally {
      await session.dispose();
    }
    assert.deepEqual(running(pids), [], 'no browser process outlives dispose');
  });
}
