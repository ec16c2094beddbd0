/**
 * Temporary folders this process makes for itself, removed by their owner when done and, whatever
 * is still here, when the process exits (a normal end or process.exit). A runner killed mid-trial
 * never reaches its own clean-up, so the process that forked it removes the folder it gave it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const live = new Set<string>();
let hooked = false;

export function makeTempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  live.add(dir);
  if (!hooked) {
    hooked = true;
    process.once('exit', () => { for (const d of live) rmSync(d, { recursive: true, force: true }); });
  }
  return dir;
}

export function removeTempDir(dir: string): void {
  live.delete(dir);
  rmSync(dir, { recursive: true, force: true });
}
