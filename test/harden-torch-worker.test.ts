/**
 * A torch worker that breaks at start (garbage on stdout, a hang, a frame
 * promising 2 GiB) fails at once with its stderr tail, leaves no process
 * behind, and makes torch trials `failed` with the real reason, not skipped.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { WorkerClient, WorkerFailure } from '../src/runtimes/python-worker/worker-client.js';
import { addModelBytes, tempDir, writeModel } from './helpers/models.js';
import { runCli } from './helpers/cli.js';

const dir = tempDir();
function script(name: string, body: string): string {
  const path = join(dir, name);
  writeFileSync(path, `#!/bin/sh\n${body}\n`);
  chmodSync(path, 0o755);
  return path;
}

const garbage = script('garbage.sh', 'echo "Traceback: the worker is broken" >&2; echo "hello, not a frame at all"; sleep 30');
const hang = script('hang.sh', 'echo "stuck while importing" >&2; exec sleep 30');
// A frame prefix promising a 16-byte header and a 2 GiB payload, then silence.
const huge = script('huge.sh', "printf '\\020\\000\\000\\000\\000\\000\\000\\200'; exec sleep 30");

function gone(pid: number | undefined): boolean {
  try {
    process.kill(pid!, 0);
    return false;
  } catch {
    return true;
  }
}

for (const [what, python, startTimeoutMs, message] of [
  ['garbage on stdout', garbage, 20_000, /not a frame/],
  ['a hang at start', hang, 1500, /did not answer at start-up within 1.5 s; it was killed/],
  ['a frame promising 2 GiB', huge, 20_000, /promises a payload of 2147483648 bytes, over the bound/],
] as const) {
  test(`a worker showing ${what} fails at once with its stderr tail and leaves no process`, async () => {
    const started = Date.now();
    const worker = new WorkerClient({ python, runtime: 'torch', script: '/dev/null', startTimeoutMs });
    await assert.rejects(worker.request({ type: 'info' }, [], 60_000), (err: Error) => {
      assert.ok(err instanceof WorkerFailure, err.message);
      assert.match(err.message, message);
      assert.equal(err.missing, false);
      if (python !== huge) assert.match(err.message, /--- worker stderr/);
      return true;
    });
    await worker.close();
    assert.ok(Date.now() - started < startTimeoutMs + 5000, `took ${Date.now() - started} ms`);
    assert.ok(gone(worker.child.pid), 'the worker process is gone (reaped)');
  });
}

test('torch trials with a broken worker are failed with its stderr, after one start, and the run exits 1', () => {
  const model = writeModel(tempDir(), 'add.onnx', addModelBytes());
  const started = Date.now();
  const r = runCli(['run', model, '--runtime', 'torch', '--min-time', '10ms', '--no-check-outputs', '--no-efficiency', '--no-db', '--json', '-q'], { env: { INFERMARK_PYTHON: garbage } });
  assert.equal(r.code, 1, r.stderr);
  const out = JSON.parse(r.stdout) as { results: { status: string; reason?: string; error?: { message?: string } }[] };
  assert.equal(out.results.length, 1);
  assert.equal(out.results[0].status, 'failed');
  const text = JSON.stringify(out.results[0]);
  assert.match(text, /the worker started with .*garbage.sh but failed/);
  assert.match(text, /the worker is broken/);
  assert.doesNotMatch(text, /install Debian's python3-torch/);
  assert.ok(Date.now() - started < 60_000);
});
