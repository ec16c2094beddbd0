/** A plan may make the tool write only inside its folder, the cache folder or the working folder; plan files are regular files. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadPlan, PlanError } from '../src/plan/load.js';
import { InputError } from '../src/errors/input-error.js';
import { addModelBytes, tempDir, writeModel } from './helpers/models.js';

function plan(dir: string, settings: string): string {
  writeModel(dir, 'add.onnx', addModelBytes());
  const p = join(dir, 'plan.yaml');
  writeFileSync(p, `models: [add.onnx]\nruntimes: [ort-node]\nsettings: ${settings}\n`);
  return p;
}

test('optimizedModelCache outside the plan folder, the cache folder and the working folder is refused with one line per path', () => {
  const dir = tempDir();
  const elsewhere = tempDir();
  symlinkSync(elsewhere, join(dir, 'out'));
  const p = plan(dir, `{ ort-node.optimizedModelCache: [/etc/cron.d/x, ../../x.onnx, ${join(dir, 'out', 'x.onnx')}, ${join(elsewhere, 'x.onnx')}] }`);
  assert.throws(() => loadPlan(p, []), (err: Error) => {
    assert.ok(err instanceof PlanError);
    assert.equal(err.errors.length, 4, err.message);
    assert.match(err.errors[0], /^\/settings\/ort-node.optimizedModelCache: "\/etc\/cron.d\/x" resolves to \/etc\/cron.d\/x, outside the plan's folder/);
    assert.match(err.errors[2], /out\/x.onnx" resolves to .*outside/);
    for (const e of err.errors) assert.ok(!e.includes('\n'));
    return true;
  });
});

test('optimizedModelCache inside the plan folder or the working folder is accepted', () => {
  const dir = tempDir();
  mkdirSync(join(dir, 'cache'));
  const p = plan(dir, `{ optimizedModelCache: [${join(dir, 'cache', 'm.onnx')}, ${join(dir, 'new', 'm.onnx')}, rel/m.onnx] }`);
  assert.doesNotThrow(() => loadPlan(p, []));
});

test('a plan path that is a FIFO or a device is refused at once', () => {
  const dir = tempDir();
  const fifo = join(dir, 'plan.yaml');
  execFileSync('mkfifo', [fifo]);
  assert.throws(() => loadPlan(fifo, []), (err: Error) => err instanceof InputError && /is a FIFO; give a regular file/.test(err.message));
  assert.throws(() => loadPlan('/dev/zero', []), /is a device file/);
});
