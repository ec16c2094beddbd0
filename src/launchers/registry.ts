/**
 * Every launcher, by name, with what it needs. Adding one: its file, one
 * line here, its tests. `--launcher NAME` is resolved here.
 */
import { InputError, invalidValue } from '../errors/input-error.js';
import type { Launcher, LauncherInfo } from './launcher.js';
import type { ClusterLauncher, ClusterOptions } from './cluster.js';
import { LocalLauncher } from './local.js';
import { SlurmLauncher } from './slurm.js';
import { ExternalLauncher } from './external.js';

type Entry = LauncherInfo & ({ scope: 'trial'; create: () => Launcher } | { scope: 'plan'; create: (options: ClusterOptions) => ClusterLauncher });

const LAUNCHERS: Entry[] = [
  { name: 'local', scope: 'trial', needs: { sharedStore: false }, description: 'each trial in a fresh runner process on this machine', create: () => new LocalLauncher() },
  { name: 'slurm', scope: 'plan', needs: { sharedStore: true }, description: 'the plan as one Slurm job array; every task writes to the shared store', create: (o) => new SlurmLauncher(o) },
  { name: 'external', scope: 'plan', needs: { sharedStore: true }, description: 'the run recorded in the shared store for workers another scheduler starts', create: () => new ExternalLauncher() },
];

export function launcherNames(): string[] {
  return LAUNCHERS.map((l) => l.name);
}

function entry(name: string): Entry {
  const found = LAUNCHERS.find((l) => l.name === name);
  if (!found) throw invalidValue('--launcher', name, launcherNames().join(', '));
  return found;
}

/** What --launcher NAME is and needs; an unknown name is an input error listing the launchers. */
export function launcherInfo(name: string): LauncherInfo {
  const { create: _create, ...info } = entry(name);
  return info;
}

/** A launcher that runs one trial at a time from this process (runSweep's). */
export function createLauncher(name = 'local'): Launcher {
  const e = entry(name);
  if (e.scope !== 'trial') throw new InputError('launcher', `launcher ${JSON.stringify(name)} runs a whole plan, not one trial at a time: use 'infermark run PLAN --launcher ${name}'`);
  return e.create();
}

/** A launcher that hands a whole plan to a scheduler. */
export function createClusterLauncher(name: string, options: ClusterOptions): ClusterLauncher {
  const e = entry(name);
  if (e.scope !== 'plan') throw new InputError('launcher', `launcher ${JSON.stringify(name)} runs trials one at a time from this process, not a whole plan`);
  return e.create(options);
}
