/**
 * The runner's own memory: the same runner process with the runtime's
 * package loaded and no model, measured once per runtime per sweep, so the
 * model's share of a trial's RSS can be read.
 */
import type { ToRunner, FromRunner } from '../runner/protocol.js';
import { spawnRunner } from '../launchers/local.js';
import { ProcessTreeProbe } from '../probes/proc-tree.js';

const cache = new Map<string, Promise<number | undefined>>();

/** Let a few samples land after 'ready'. */
const SETTLE_MS = 150;

async function measure(runtime: string): Promise<number | undefined> {
  const child = spawnRunner();
  const probe = new ProcessTreeProbe({ sampleIntervalMs: 20 });
  try {
    await probe.attach({ pid: child.pid! });
    const ready = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), 60_000);
      child.on('message', (m: FromRunner) => { if (m.type === 'ready') { clearTimeout(timer); resolve(true); } });
      child.on('exit', () => { clearTimeout(timer); resolve(false); });
      child.send({ type: 'idle', runtime } satisfies ToRunner);
    });
    if (!ready) return undefined;
    await new Promise((r) => setTimeout(r, SETTLE_MS));
    await probe.loaded?.();
    const out = await probe.finish();
    return out.memory?.rssAfterLoadBytes;
  } finally {
    child.kill('SIGKILL');
  }
}

export function runnerBaselineRssBytes(runtime: string): Promise<number | undefined> {
  let p = cache.get(runtime);
  if (!p) {
    p = measure(runtime).catch(() => undefined);
    cache.set(runtime, p);
  }
  return p;
}
