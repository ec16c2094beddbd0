/**
 * What the Python worker's measuring loop costs: for each Python runtime, on
 * one session, infermark's in-worker loop (a clock read around every call,
 * the stopping rule's bookkeeping) against a bare Python loop of the same
 * calls timed once from outside, in alternating rounds. Prints the ratio of
 * mean per-call times (target <= 1.02).
 */
import { resolveModelRef } from '../src/zoo/resolve.js';
import { getRuntime } from '../src/runtimes/registry.js';
import { synthesizeInputs } from '../src/engine/inputs.js';
import type { PythonRuntimeSession } from '../src/runtimes/python-worker/python-runtime.js';

const RUNTIMES = ['ort-python', 'openvino', 'tvm', 'tensorflow'];
const ROUNDS = 6;
const CALLS = 200;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

export async function main(model = process.env.INFERMARK_BENCH_MODEL ?? 'zoo:mobilenet-tiny', batch = 1): Promise<void> {
  const { path } = await resolveModelRef(model);
  console.log(`python worker overhead: ${model}, batch ${batch}, ${ROUNDS} alternating rounds of ${CALLS} calls`);
  console.log('runtime      in-worker loop ms/call  bare loop ms/call  ratio');
  for (const name of RUNTIMES) {
    const rt = await getRuntime(name);
    const avail = await rt.availability();
    if (!avail[0]?.available) {
      console.log(`${name.padEnd(12)} skipped: ${avail[0]?.reason}`);
      continue;
    }
    const session = (await rt.createSession({ path }, { provider: 'cpu', settings: {} })) as PythonRuntimeSession;
    try {
      const shapes = Object.fromEntries(session.inputs.map((i) => [i.name, i.shape.map((d, axis) => (typeof d === 'number' ? d : axis === 0 ? batch : 16))]));
      const prepared = session.prepare(synthesizeInputs(session.inputs, shapes, 1));
      await session.bareLoop(prepared, 20); // warm-up
      const loop: number[] = [];
      const bare: number[] = [];
      for (let r = 0; r < ROUNDS; r++) {
        const m = await session.measureLoop(prepared, {
          warmupRuns: 0, minSamples: CALLS, maxSamples: CALLS, minTimeMs: 0, maxTimeMs: 600_000, targetCiRel: 0,
        });
        loop.push(m.samplesMs.reduce((a, b) => a + b, 0) / m.samplesMs.length);
        bare.push((await session.bareLoop(prepared, CALLS)) / CALLS);
      }
      const l = median(loop);
      const b = median(bare);
      console.log(`${name.padEnd(12)} ${l.toFixed(4).padStart(22)}  ${b.toFixed(4).padStart(17)}  ${(l / b).toFixed(3)}`);
    } finally {
      await session.dispose();
    }
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
