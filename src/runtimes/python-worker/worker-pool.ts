/**
 * One Python worker per process and kind, shared by every session of that
 * process: a runner, or the conformance worker going through a thousand
 * cases, starts Python (and imports torch) once. A worker that died is
 * replaced on the next ask, so a crash costs one session, never the rest.
 */
import { WorkerClient, type WorkerOptions } from './worker-client.js';

const pool = new Map<string, WorkerClient>();
let nextSession = 1;

/**
 * A forked process (a trial's runner, a conformance worker) has a parent that keeps the tail of
 * its stderr and puts it in the failed result: the worker's stderr is passed on to it as it comes,
 * so a kill from that parent (--timeout) does not take the worker's last words with it.
 */
function relay(): WorkerOptions['relayStderr'] {
  return process.send ? (chunk) => { process.stderr.write(chunk); } : undefined;
}

/** The live shared worker for `key`, started with `opts` when there is none (or the last one died). */
export function sharedWorker(key: string, opts: WorkerOptions): WorkerClient {
  const known = pool.get(key);
  if (known?.alive) return known;
  const worker = new WorkerClient({ relayStderr: relay(), ...opts });
  worker.detachWhenIdle();
  pool.set(key, worker);
  return worker;
}

/** A fresh id for a session's model in a shared worker. */
export function nextSessionId(): number {
  return nextSession++;
}
