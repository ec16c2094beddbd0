/**
 * CPU affinity inside the runner: pin this process and all its threads to the
 * requested cores with util-linux's taskset (threads started later inherit it
 * from the thread that starts them), and read back the cores the threads last
 * ran on from field 39 of /proc/self/task/TID/stat.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/** Pin every thread of this process; an error message when it could not be done. */
export function pinSelf(cpus: number[]): string | undefined {
  try {
    execFileSync('taskset', ['-a', '-p', '-c', cpus.join(','), String(process.pid)], { stdio: 'ignore', timeout: 5000 });
    return undefined;
  } catch (err) {
    return `could not pin the runner to cores ${cpus.join(',')} with taskset (${(err as Error).message.split('\n')[0]}); install util-linux`;
  }
}

/** Pure: the processor a task last ran on, from its stat line (field 39; the name in parentheses may hold spaces). */
export function lastCpuOf(stat: string): number | undefined {
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // rest[0] is field 3 (state): field 39 sits at index 36.
  const cpu = Number(rest[36]);
  return Number.isInteger(cpu) && cpu >= 0 ? cpu : undefined;
}

/** Pure: how often a task has been switched in and out, from its status file; a change means it ran. */
export function switchesOf(status: string): number | undefined {
  const v = /^voluntary_ctxt_switches:\s*(\d+)/m.exec(status);
  const n = /^nonvoluntary_ctxt_switches:\s*(\d+)/m.exec(status);
  return v && n ? Number(v[1]) + Number(n[1]) : undefined;
}

interface ThreadReading { cpu: number; switches: number }

function readThreads(): Map<string, ThreadReading> {
  const out = new Map<string, ThreadReading>();
  let tids: string[] = [];
  try { tids = readdirSync('/proc/self/task'); } catch { return out; }
  for (const tid of tids) {
    try {
      const cpu = lastCpuOf(readFileSync(`/proc/self/task/${tid}/stat`, 'utf8'));
      const switches = switchesOf(readFileSync(`/proc/self/task/${tid}/status`, 'utf8'));
      if (cpu !== undefined && switches !== undefined) out.set(tid, { cpu, switches });
    } catch {
      // the thread ended between the listing and the read
    }
  }
  return out;
}

/**
 * Samples the threads now and then while measuring. A thread's last core counts only once it has
 * been scheduled since the previous sample: an idle thread's field 39 still names where it ran before.
 */
export class CoreSampler {
  private readonly seen = new Set<number>();
  private last = new Map<string, ThreadReading>();
  private timer: NodeJS.Timeout | undefined;
  start(intervalMs = 100): void {
    this.last = readThreads();
    this.timer = setInterval(() => this.sample(), intervalMs);
    this.timer.unref();
  }
  sample(): void {
    const now = readThreads();
    for (const [tid, r] of now) {
      const before = this.last.get(tid);
      if (before === undefined || r.switches !== before.switches) this.seen.add(r.cpu);
    }
    this.last = now;
  }
  stop(): number[] {
    if (this.timer) clearInterval(this.timer);
    this.sample();
    return [...this.seen].sort((a, b) => a - b);
  }
}
