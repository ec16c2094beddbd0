/**
 * Who is recording a run: host name, process id and that process's start
 * time (a token, so a recycled pid is never mistaken for the recorder). A run
 * with no ended_at whose recorder ran on this host and is gone was killed:
 * it is shown as interrupted, with the trials it kept, instead of as a run
 * that may still be going.
 */
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';

export interface RecorderMark {
  host: string;
  pid: number;
  /** The process's start time in clock ticks since boot (Linux), else a random token. */
  token: string;
}

/** finished: ended normally; running: its recorder is alive; interrupted: its recorder died; unknown: recorded elsewhere, or by an older infermark. */
export type RunState = 'finished' | 'running' | 'interrupted' | 'unknown';

/** Field 22 of /proc/PID/stat; the command name (field 2) may hold spaces, so count from its closing parenthesis. */
function startTicks(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

let self: RecorderMark | undefined;

export function currentRecorder(): RecorderMark {
  self ??= { host: hostname(), pid: process.pid, token: startTicks(process.pid) ?? `r${Math.random().toString(36).slice(2)}` };
  return self;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The state of a run from its end time and its recorder, as seen from this host now. */
export function runState(endedAt: string | undefined, recorder: RecorderMark | undefined): RunState {
  if (endedAt) return 'finished';
  if (!recorder || recorder.host !== hostname()) return 'unknown';
  if (!alive(recorder.pid)) return 'interrupted';
  const ticks = startTicks(recorder.pid);
  // A live process with another start time is a recycled pid: the recorder is gone.
  if (ticks !== undefined && !recorder.token.startsWith('r') && ticks !== recorder.token) return 'interrupted';
  return 'running';
}

/** The recorder columns as a mark, when all three are there. */
export function recorderFromColumns(host: string | null | undefined, pid: number | string | null | undefined, token: string | null | undefined): RecorderMark | undefined {
  return host && pid !== null && pid !== undefined && token ? { host, pid: Number(pid), token } : undefined;
}

/** One phrase for a run's state, for tables and reports. */
export function runStateText(state: RunState | undefined, trialCount: number, recorder?: RecorderMark): string {
  switch (state) {
    case 'finished': return 'finished';
    case 'running': return `running (pid ${recorder?.pid} on ${recorder?.host})`;
    case 'interrupted': return `interrupted (its process ${recorder?.pid} on ${recorder?.host} died; it kept ${trialCount} trial(s); --resume continues it)`;
    default: return `unfinished (still running elsewhere, or killed; ${trialCount} trial(s) kept; --resume continues it)`;
  }
}
