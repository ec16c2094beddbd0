import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { forkWithOwnTemp } from '../src/launchers/fork-own-temp.js';

const WRITER = fileURLToPath(new URL('./fixtures/temp-writer.js', import.meta.url));

test('a child killed mid-work leaves no temp folder behind: the parent removes the one it gave it', async () => {
  const child = forkWithOwnTemp(WRITER, ['ignore', 'ignore', 'inherit', 'ipc']);
  const { path } = await new Promise<{ path: string }>((resolve) => child.once('message', (m) => resolve(m as { path: string })));
  // The child wrote under a folder of its own inside the shared temp folder, not in it.
  assert.equal(dirname(dirname(path)), tmpdir());
  assert.notEqual(dirname(path), tmpdir());
  assert.ok(existsSync(path));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
  assert.equal(existsSync(dirname(path)), false);
});

test('the parent\'s own temp folders go when it exits, even through process.exit', () => {
  const module = fileURLToPath(new URL('../src/files/temp-dirs.js', import.meta.url));
  const run = spawnSync(process.execPath, ['--input-type=module', '-e',
    `import { makeTempDir } from ${JSON.stringify(module)}; console.log(makeTempDir('infermark-exit-')); process.exit(2);`], { encoding: 'utf8' });
  assert.equal(run.status, 2, run.stderr);
  const dir = run.stdout.trim();
  assert.ok(dir.startsWith(join(tmpdir(), 'infermark-exit-')), dir);
  assert.equal(existsSync(dir), false);
});
