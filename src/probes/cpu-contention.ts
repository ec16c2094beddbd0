/**
 * How much CPU other work took while something was timed: the machine's busy
 * time (and the time a hypervisor stole) from /proc/stat, less the CPU time
 * of the timed process and its descendants. The 1-minute load average misses
 * a compiler sharing two cores for half a minute; this does not.
 * The /proc root is injectable so tests can use a fake tree.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { listProcessTree, readProcStat } from './proc-stat.js';
import { systemConstants } from './system-constants.js';

/** Other work above this many cores, on average over the timing, makes a peak measured beside it suspect. */
export const CONTENDED_CORES = 0.25;

/**
 * Pure: the aggregate 'cpu' line of /proc/stat, in ticks: time the CPUs were busy (user, nice, system,
 * irq, softirq) plus time a hypervisor gave to other guests (steal); undefined when the line is not there.
 */
export function parseCpuBusyTicks(procStat: string): number | undefined {
  const line = procStat.split('\n').find((l) => /^cpu\s/.test(l));
  if (!line) return undefined;
  // user nice system idle iowait irq softirq steal (guest time is already inside user).
  const f = line.trim().split(/\s+/).slice(1).map(Number);
  if (f.length < 8 || f.slice(0, 8).some((v) => !Number.isFinite(v))) return undefined;
  return f[0] + f[1] + f[2] + f[5] + f[6] + f[7];
}

export interface CpuSnapshot {
  atMs: number;
  /** The whole machine's busy and stolen time, ticks. */
  machineTicks: number;
  /** The process tree's own CPU time, and that of the children it reaped, ticks. */
  treeTicks: number;
}

/** The machine's and the process tree's CPU time now; undefined where /proc cannot be read. */
export function cpuSnapshot(pid = process.pid, procRoot = '/proc'): CpuSnapshot | undefined {
  let machineTicks: number | undefined;
  try {
    machineTicks = parseCpuBusyTicks(readFileSync(join(procRoot, 'stat'), 'utf8'));
  } catch {
    return undefined;
  }
  if (machineTicks === undefined) return undefined;
  let treeTicks = 0;
  for (const p of listProcessTree(procRoot, pid)) {
    const st = readProcStat(procRoot, p);
    if (!st) continue;
    // A descendant that ended and was reaped moved its time into its parent's reaped-children count.
    treeTicks += st.ownTicks + st.reapedChildrenTicks;
  }
  return { atMs: performance.now(), machineTicks, treeTicks };
}

/** Pure: the cores other work kept busy, on average, between two snapshots of the same tree; never below 0. */
export function othersCores(before: CpuSnapshot, after: CpuSnapshot, ticksPerS: number): number {
  const wallS = (after.atMs - before.atMs) / 1000;
  if (!(wallS > 0)) return 0;
  const othersTicks = after.machineTicks - before.machineTicks - (after.treeTicks - before.treeTicks);
  return Math.max(0, othersTicks / ticksPerS / wallS);
}

/** Runs `work` and says how many cores other processes kept busy meanwhile (undefined without /proc). */
export async function watchingOthers<T>(work: () => Promise<T>, pid = process.pid, procRoot = '/proc'): Promise<{ value: T; othersCores?: number }> {
  const before = cpuSnapshot(pid, procRoot);
  const value = await work();
  const after = cpuSnapshot(pid, procRoot);
  return before && after ? { value, othersCores: othersCores(before, after, systemConstants().clockTicksPerS) } : { value };
}
