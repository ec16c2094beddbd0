/**
 * The Slurm commands against stand-ins that exit at once, without reading
 * what they were given: the sweep gets Slurm's answer, never an unhandled
 * EPIPE (which once ended a fleet run while squeue was polled).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { queuedTasks, sbatch } from '../src/launchers/slurm-commands.js';
import { InputError } from '../src/errors/input-error.js';

test('a Slurm command that exits before reading its input is answered by its exit code, not a crash', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'infermark-slurm-cmds-'));
  const path = process.env.PATH;
  try {
    writeFileSync(join(dir, 'sbatch'), '#!/bin/sh\necho "sbatch: error: Batch job submission failed: Invalid partition name specified" >&2\nexit 1\n', { mode: 0o755 });
    writeFileSync(join(dir, 'squeue'), '#!/bin/sh\necho "1|RUNNING|None|node1"\n', { mode: 0o755 });
    process.env.PATH = `${dir}:${path}`;
    // Far more than a pipe holds, so writing it to a command that has gone fails with EPIPE.
    const script = `#!/bin/bash\n${'# padding\n'.repeat(200_000)}`;
    await assert.rejects(sbatch(script, process.env), (err: Error) => err instanceof InputError && /Invalid partition name/.test(err.message));
    for (let i = 0; i < 20; i++) assert.deepEqual(await queuedTasks('42'), [{ task: 1, state: 'RUNNING', reason: 'None', node: 'node1' }]);
  } finally {
    process.env.PATH = path;
    rmSync(dir, { recursive: true, force: true });
  }
});
