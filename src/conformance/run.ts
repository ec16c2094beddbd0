/**
 * Running cases on runtimes, each runtime in its own worker process. A case
 * that runs past the timeout gets its worker killed and is classified
 * 'timeout'; a worker that dies mid-case marks that case 'crash'; either way
 * a fresh worker goes on with the next case.
 */
import { forkWithOwnTemp } from '../launchers/fork-own-temp.js';
import { onChildEnd } from '../launchers/child-exit.js';
import { fileURLToPath } from 'node:url';
import type { FromWorker, ToWorker } from './worker.js';
import type { CaseResult, ConformanceCase, Tolerance } from './types.js';
import type { Settings } from '../results/types.js';

const WORKER_PATH = fileURLToPath(new URL('./worker.js', import.meta.url));
/** Tail of a crashed worker's stderr kept in the reason. */
const STDERR_TAIL_CHARS = 300;

export interface RunOptions {
  runtimes: string[];
  cases: ConformanceCase[];
  tolerance: Tolerance;
  /** Per case (load + every data set), milliseconds. */
  caseTimeoutMs: number;
  /** Adapter settings per runtime (default: the runtime's defaults). */
  settings?: Record<string, Settings>;
  /** Called as each result arrives (progress). */
  onResult?: (r: CaseResult) => void;
}

/** Run `cases` in one worker; after a timeout or crash, a fresh worker takes the cases left. */
function runWorker(runtime: string, cases: ConformanceCase[], opts: RunOptions, results: CaseResult[]): Promise<void> {
  return new Promise((resolve) => {
    const child = forkWithOwnTemp(WORKER_PATH, ['ignore', 'ignore', 'pipe', 'ipc']);
    let stderr = '';
    child.stderr?.on('data', (b: Buffer) => { stderr = (stderr + b.toString()).slice(-4 * STDERR_TAIL_CHARS); });
    let current = -1;
    let lastDone = -1;
    let timer: NodeJS.Timeout | undefined;
    let finished = false;
    const record = (r: CaseResult) => { results.push(r); opts.onResult?.(r); };
    const fail = (status: 'timeout' | 'crash', reason: string) => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      const c = cases[current];
      record({ runtime, test: c.name, operator: c.operator, status, reason, wallMs: status === 'timeout' ? opts.caseTimeoutMs : 0 });
      const next = current + 1;
      child.kill('SIGKILL');
      if (next < cases.length) void runWorker(runtime, cases.slice(next), opts, results).then(resolve);
      else resolve();
    };
    child.on('message', (msg: FromWorker) => {
      if (msg.type === 'start') {
        current = msg.index;
        clearTimeout(timer);
        timer = setTimeout(() => fail('timeout', `no result within ${opts.caseTimeoutMs / 1000} s; the worker was killed`), opts.caseTimeoutMs);
      } else if (msg.type === 'result') {
        clearTimeout(timer);
        record(msg.result);
        current = -1;
        lastDone = msg.index;
      } else if (msg.type === 'done') {
        finished = true;
        resolve();
      }
    });
    onChildEnd(child, (code, signal) => {
      if (finished) return;
      const tail = stderr.trim().split('\n').slice(-3).join(' ').slice(-STDERR_TAIL_CHARS);
      if (current < 0) current = lastDone + 1;
      fail('crash', `worker exited (${signal ?? `code ${code}`}) during the case${tail ? `: ${tail}` : ''}`);
    });
    child.send({ runtime, settings: opts.settings?.[runtime] ?? {}, cases, tolerance: opts.tolerance } satisfies ToWorker);
  });
}

/** Every case on every runtime; results in runtime order, then case order. */
export async function runConformance(opts: RunOptions): Promise<CaseResult[]> {
  const all: CaseResult[] = [];
  for (const runtime of opts.runtimes) {
    const results: CaseResult[] = [];
    if (opts.cases.length > 0) await runWorker(runtime, opts.cases, opts, results);
    const order = new Map(opts.cases.map((c, i) => [c.name, i]));
    all.push(...results.sort((a, b) => order.get(a.test)! - order.get(b.test)!));
  }
  return all;
}
