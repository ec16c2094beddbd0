/**
 * Results from several machines (a Slurm array across nodes, or runs from
 * two hosts reported together) are never pooled: a report splits them by
 * machine, and each machine gets its own environment, recommendation and
 * charts. A machine is named by the hostname in its trials' context.
 */
import type { MachineContext, TrialResult } from '../results/types.js';
import type { StoredRun } from '../store/types.js';

export interface MachineGroup {
  /** The hostname, or 'unknown machine' for trials recorded without a context. */
  hostname: string;
  /** The machine as its first trial (or its run) recorded it. */
  machine?: MachineContext;
  /** Each run that measured on this machine, holding only the trials measured here. */
  runs: StoredRun[];
}

const UNKNOWN = 'unknown machine';

function runMachine(run: StoredRun['run']): MachineContext | undefined {
  const m = run.machine;
  return m && typeof m === 'object' && 'hostname' in m ? (m as MachineContext) : undefined;
}

/** The machine a trial ran on: its own context, else its run's. */
export function machineOf(trial: TrialResult, run: StoredRun['run']): MachineContext | undefined {
  return trial.context?.machine ?? runMachine(run);
}

export function hostnameOf(trial: TrialResult, run: StoredRun['run']): string {
  return machineOf(trial, run)?.hostname || UNKNOWN;
}

/** By hostname, in order of first appearance; a run whose trials span machines appears in each. */
export function groupByMachine(runs: StoredRun[]): MachineGroup[] {
  const groups = new Map<string, MachineGroup>();
  for (const stored of runs) {
    const { run, trials } = stored;
    const here = new Map<string, TrialResult[]>();
    for (const t of trials) {
      const host = hostnameOf(t, run);
      (here.get(host) ?? here.set(host, []).get(host)!).push(t);
      if (!groups.has(host)) groups.set(host, { hostname: host, machine: machineOf(t, run), runs: [] });
    }
    // A run with no trials yet still belongs to the machine that started it.
    if (trials.length === 0) {
      const host = runMachine(run)?.hostname || UNKNOWN;
      if (!groups.has(host)) groups.set(host, { hostname: host, machine: runMachine(run), runs: [] });
      here.set(host, []);
    }
    for (const [host, list] of here) groups.get(host)!.runs.push({ ...stored, trials: list });
  }
  return [...groups.values()];
}
