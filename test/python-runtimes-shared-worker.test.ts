/**
 * The Python-hosted runtimes share one worker per process (and per setting a
 * runtime fixes once per process): two sessions' models live in one worker
 * under their own ids, releasing one leaves the other running, TensorFlow's
 * thread counts get workers of their own, and a worker that died is replaced
 * by the next session's.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getRuntime } from '../src/runtimes/registry.js';
import type { Session } from '../src/runtimes/runtime.js';
import type { PythonRuntimeSession } from '../src/runtimes/python-worker/python-runtime.js';
import { addModelBytes } from './helpers/models.js';
import { skipUnlessPythonRuntimes } from './helpers/python-runtimes.js';

const skip = await skipUnlessPythonRuntimes(['ort-python', 'tensorflow']);
const model = { bytes: addModelBytes(4) };
const x = { dtype: 'float32' as const, shape: [1, 4], data: new Float32Array([1, 2, 3, -4]) };

async function doubled(session: Session): Promise<number[]> {
  const out = await session.readOutputs(await session.run(session.prepare({ x })));
  return Array.from(out.y.data as Float32Array);
}

const pid = (s: Session) => (s as PythonRuntimeSession).workerPid;

test('two ort-python sessions share one worker; releasing one leaves the other running; a dead worker is replaced', { skip }, async () => {
  const rt = await getRuntime('ort-python');
  const a = await rt.createSession(model, { provider: 'cpu', settings: { intraOpNumThreads: 1 } });
  const b = await rt.createSession(model, { provider: 'cpu', settings: { intraOpNumThreads: 2 } });
  try {
    assert.ok(pid(a));
    assert.equal(pid(a), pid(b));
    assert.deepEqual(await doubled(a), [2, 4, 6, -8]);
    assert.deepEqual(await doubled(b), [2, 4, 6, -8]);
    await a.dispose();
    assert.deepEqual(await doubled(b), [2, 4, 6, -8]);
    // A worker killed from outside fails its own session's next call, and the next session starts a new one.
    process.kill(pid(b)!, 'SIGKILL');
    await assert.rejects(doubled(b), /worker/);
    const c = await rt.createSession(model, { provider: 'cpu', settings: {} });
    try {
      assert.notEqual(pid(c), pid(b));
      assert.deepEqual(await doubled(c), [2, 4, 6, -8]);
    } finally {
      await c.dispose();
    }
  } finally {
    await b.dispose();
  }
});

test('tensorflow sessions that differ in thread counts get workers of their own; equal ones share', { skip }, async () => {
  const rt = await getRuntime('tensorflow');
  const one = await rt.createSession(model, { provider: 'cpu', settings: { intraOpThreads: 1 } });
  const oneAgain = await rt.createSession(model, { provider: 'cpu', settings: { intraOpThreads: 1, xla: 'on' } });
  const two = await rt.createSession(model, { provider: 'cpu', settings: { intraOpThreads: 2 } });
  try {
    assert.equal(pid(one), pid(oneAgain));
    assert.notEqual(pid(one), pid(two));
    for (const s of [one, oneAgain, two]) assert.deepEqual(await doubled(s), [2, 4, 6, -8]);
  } finally {
    await Promise.all([one, oneAgain, two].map((s) => s.dispose()));
  }
});
