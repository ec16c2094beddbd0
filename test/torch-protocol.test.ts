/**
 * The torch worker's protocol: framing round trips, error replies, and a
 * worker that crashes, hangs or writes garbage (each must fail the call with
 * the worker's stderr tail and leave no process behind).
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeFrame, FrameDecoder, ProtocolError } from '../src/runtimes/python-worker/framing.js';
import { decodeTensor, encodeTensor } from '../src/runtimes/python-worker/wire.js';
import { findTorch } from '../src/runtimes/torch/python.js';
import { WorkerCallError, WorkerClient, WorkerFailure } from '../src/runtimes/python-worker/worker-client.js';
import type { HostTensor } from '../src/runtimes/runtime.js';

const found = await findTorch();
if (!found.ok && process.env.CI === 'true') throw new Error(`CI=true but torch is missing: ${found.reason}`);
const skip = found.ok ? false : `torch unavailable: ${found.reason}`;
if (skip) console.log(`# skipping torch worker tests: ${skip}`);
const python = found.ok ? found.probe.python : 'python3';
/** The tests of start-up failures need only some python, not torch. */
const skipNoPython = spawnSync(python, ['-c', 'pass']).status === 0 ? false : `no ${python} to start`;
const debugWorker = () => new WorkerClient({ python, runtime: 'torch', env: { INFERMARK_WORKER_DEBUG: '1' } });

const tmp = mkdtempSync(join(tmpdir(), 'infermark-torch-protocol-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

test('frames round-trip through the decoder, split at every byte', () => {
  const payload = Uint8Array.from([1, 2, 3, 4, 5]);
  const bytes = Buffer.concat([...encodeFrame({ type: 'a', n: 1 }, [payload, new Uint8Array(0)]), ...encodeFrame({ type: 'b' })]);
  for (let cut = 0; cut <= bytes.byteLength; cut++) {
    const d = new FrameDecoder();
    const frames = [...d.push(bytes.subarray(0, cut)), ...d.push(bytes.subarray(cut))];
    assert.deepEqual(frames.map((f) => f.header.type), ['a', 'b']);
    assert.deepEqual([...frames[0].buffers[0]], [1, 2, 3, 4, 5]);
    assert.equal(frames[0].buffers[1].byteLength, 0);
    assert.equal(d.pendingBytes, 0);
  }
});

test('the decoder rejects bad lengths, non-JSON and headers without a type, naming what it read', () => {
  const prefix = (h: number, p: number) => { const b = Buffer.alloc(8); b.writeUInt32LE(h, 0); b.writeUInt32LE(p, 4); return b; };
  const cases: [Buffer, RegExp][] = [
    [Buffer.from('hello, world\n'), /header length \d+ is outside.*"hello, w/],
    [Buffer.concat([prefix(0, 0)]), /header length 0/],
    [Buffer.concat([prefix(5, 0), Buffer.from('{nope')]), /not JSON.*\{nope/],
    [Buffer.concat([prefix(2, 0), Buffer.from('[]')]), /not an object with a string "type"/],
    [Buffer.concat([prefix(31, 3), Buffer.from('{"type":"x","buffers":[1,1]}   '), Buffer.from('abc')]), /do not add up/],
  ];
  for (const [bytes, message] of cases) {
    assert.throws(() => new FrameDecoder().push(bytes), (err: Error) => err instanceof ProtocolError && message.test(err.message), message.source);
  }
});

test('tensors of every dtype survive the wire encoding', () => {
  const tensors: HostTensor[] = [
    { dtype: 'float32', shape: [2, 2], data: Float32Array.of(1, -2, 3.5, 0) },
    { dtype: 'int64', shape: [3], data: BigInt64Array.of(1n, -1n, 1n << 40n) },
    { dtype: 'bool', shape: [2], data: Uint8Array.of(1, 0) },
    { dtype: 'float16', shape: [1], data: Uint16Array.of(0x3c00) },
    { dtype: 'float32', shape: [0, 3], data: new Float32Array(0) },
  ];
  for (const t of tensors) {
    const buffers: Uint8Array[] = [];
    const wire = encodeTensor(t, buffers);
    assert.deepEqual(decodeTensor(wire, buffers, 'x'), t);
  }
  assert.throws(() => decodeTensor({ dtype: 'float32', shape: [3], buffer: 0 }, [new Uint8Array(8)], 'output y'), /output y \(float32 \[3\]\) with 8 bytes; 12 expected/);
});

test('a worker script that prints to stdout at start-up is a protocol error with its stderr tail', { skip: skipNoPython }, async () => {
  const script = join(tmp, 'noisy.py');
  writeFileSync(script, 'import sys, time\nsys.stderr.write("about to misbehave\\n")\nprint("hello from a stray print")\nsys.stdout.flush()\ntime.sleep(30)\n');
  const w = new WorkerClient({ python, runtime: 'torch', script });
  await assert.rejects(w.request({ type: 'info' }), (err: Error) =>
    err instanceof WorkerFailure && /not a frame.*"hello from/.test(err.message) && /about to misbehave/.test(err.message));
  await w.close();
  assert.equal(w.alive, false);
});

test('a python whose torch does not import: info says so with the remedy, and the worker stays up', { skip: skipNoPython }, async () => {
  const script = join(tmp, 'no-torch.py');
  writeFileSync(script, 'import sys\nsys.path.insert(0, ' + JSON.stringify(join(process.cwd(), 'python')) + ')\nsys.modules["torch"] = None\nsys.argv[1:] = ["--runtime", "torch"]\nfrom infermark_worker.main import main\nmain()\n');
  const w = new WorkerClient({ python, runtime: 'torch', script });
  try {
    const info = (await w.request({ type: 'info' })).header;
    assert.equal(info.available, false);
    assert.match(String(info.reason), /torch: (importing its package failed|the Python package torch is missing).*bash scripts\/setup-python.sh/);
    assert.equal(w.alive, true);
  } finally {
    await w.close();
  }
});

test('worker requests: info, echo with buffers, error replies keep the worker usable', { skip }, async () => {
  const w = debugWorker();
  try {
    const info = (await w.request({ type: 'info' })).header;
    assert.equal(info.type, 'info');
    assert.match(String(info.torch), /^\d+\.\d+/);
    const echo = await w.request({ type: 'debug', action: 'echo', payload: { a: [1, 'b'] } }, [Uint8Array.of(9, 8, 7)]);
    assert.deepEqual(echo.header.payload, { a: [1, 'b'] });
    assert.deepEqual([...echo.buffers[0]], [9, 8, 7]);
    await assert.rejects(w.request({ type: 'frobnicate' }), (err: Error) => err instanceof WorkerCallError && /request type 'frobnicate' is not valid; allowed: info, load/.test(err.message));
    await assert.rejects(w.request({ type: 'run', inputs: {} }), /no model is loaded; send a load request first/);
    await assert.rejects(w.request({ type: 'load', model: { source: 'onnx', graph: { inputs: [], outputs: [], nodes: [{ opType: 'FancyOp', inputs: [], outputs: ['y'] }] } }, settings: { mode: 'eager' } }),
      /torch cannot run operator FancyOp \(opset 17\): not implemented/);
    assert.equal((await w.request({ type: 'info' })).header.type, 'info', 'still usable after errors');
  } finally {
    await w.close();
  }
});

test('a worker that crashes mid-call: the call fails with the exit code and stderr tail, later calls fail too', { skip }, async () => {
  const w = debugWorker();
  await assert.rejects(w.request({ type: 'debug', action: 'crash', code: 7 }), (err: Error) =>
    err instanceof WorkerFailure && /exited \(code 7\)/.test(err.message) && /debug: crash/.test(err.message));
  await assert.rejects(w.request({ type: 'info' }), /exited \(code 7\)/);
  assert.equal(w.alive, false);
  await w.close();
});

test('a worker that hangs past the call timeout is killed', { skip }, async () => {
  const w = debugWorker();
  await w.ready;
  await assert.rejects(w.request({ type: 'debug', action: 'hang' }, [], 300), (err: Error) =>
    err instanceof WorkerFailure && /did not answer a debug request within 0\.3 s; it was killed/.test(err.message) && /debug: hang/.test(err.message));
  await w.close();
  assert.equal(w.alive, false);
  assert.ok(w.child.signalCode === 'SIGKILL' || w.child.exitCode !== null);
});

test('a worker that writes garbage on its pipe: protocol error naming the bytes, worker killed', { skip }, async () => {
  const w = debugWorker();
  await assert.rejects(w.request({ type: 'debug', action: 'garbage' }), (err: Error) =>
    err instanceof WorkerFailure && /not a frame.*"this is not a frame/.test(err.message));
  await w.close();
  assert.equal(w.alive, false);
});

test('debug requests are refused unless INFERMARK_WORKER_DEBUG=1', { skip }, async () => {
  const w = new WorkerClient({ python, runtime: 'torch', env: { INFERMARK_WORKER_DEBUG: '' } });
  try {
    await assert.rejects(w.request({ type: 'debug', action: 'crash' }), /only with INFERMARK_WORKER_DEBUG=1/);
  } finally {
    await w.close();
  }
});


test('a busy worker whose parent is killed ends by itself (no orphan keeps measuring)', { skip }, async () => {
  const clientUrl = new URL('../src/runtimes/python-worker/worker-client.js', import.meta.url).href;
  const parent = spawn(process.execPath, ['--input-type=module', '-e', `
    const { WorkerClient } = await import(${JSON.stringify(clientUrl)});
    const w = new WorkerClient({ python: ${JSON.stringify(python)}, runtime: 'torch', env: { INFERMARK_WORKER_DEBUG: '1' } });
    const ready = await w.ready;
    w.request({ type: 'debug', action: 'hang' }).catch(() => {});
    console.log(ready.header.pid);
    setInterval(() => {}, 1000);`], { stdio: ['ignore', 'pipe', 'inherit'] });
  const pid = await new Promise<number>((resolve, reject) => {
    parent.stdout.once('data', (d: Buffer) => resolve(Number(d.toString().trim())));
    parent.once('exit', (code) => reject(new Error(`parent exited early (${code})`)));
  });
  assert.ok(pid > 0);
  parent.kill('SIGKILL');
  // A zombie (exited, not yet reaped by an init that does not reap) counts as ended.
  const alive = () => { try { return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8')); } catch { return false; } };
  for (let i = 0; i < 100 && alive(); i++) await new Promise((r) => setTimeout(r, 50));
  assert.equal(alive(), false, `worker ${pid} still runs after its parent was killed`);
});
