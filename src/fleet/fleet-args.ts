/**
 * The flags that choose where a run's trials go (--launcher, resolved through
 * the launcher registry) and how a cluster job is shaped. They are taken out
 * of `run`'s argv here; everything else is `run`'s as usual.
 */
import { InputError, invalidValue } from '../errors/input-error.js';
import { parsePositiveInt } from '../cli/parse-values.js';
import type { ClusterOptions } from '../launchers/cluster.js';
import { launcherInfo, launcherNames } from '../launchers/registry.js';

export interface FleetOptions extends ClusterOptions {
  detach: boolean;
  /** A run already in the store whose missing (or failed) trials are submitted. */
  resumeRun?: string;
}

export interface FleetArgs {
  /** A name from the launcher registry: local, slurm, or external (record the run for another scheduler's workers). */
  launcher: string;
  cluster: FleetOptions;
  /** The argv left for `run`. */
  rest: string[];
}

const CLUSTER_ONLY = ['--partition', '--time', '--gpus-per-task', '--max-parallel', '--sbatch-arg', '--detach'];
const TIME = /^(\d+-)?\d+(:\d{1,2}){0,2}$|^(infinite|UNLIMITED)$/i;

/** Splits `--flag value` and `--flag=value` alike. */
function take(argv: string[], i: number): { flag: string; value?: string; next: number } {
  const arg = argv[i];
  const eq = arg.indexOf('=');
  if (arg.startsWith('--') && eq > 0) return { flag: arg.slice(0, eq), value: arg.slice(eq + 1), next: i + 1 };
  return { flag: arg, value: argv[i + 1], next: i + 2 };
}

/** The --launcher value given, if any (validated later, in order with the other flags). */
function launcherGiven(argv: string[]): string | undefined {
  for (const [i, a] of argv.entries()) {
    if (a.startsWith('--launcher=')) return a.slice('--launcher='.length);
    if (a === '--launcher') return argv[i + 1];
  }
  return undefined;
}

export function splitFleetArgs(argv: string[]): FleetArgs {
  const rest: string[] = [];
  const cluster: FleetOptions = { sbatchArgs: [], detach: false };
  let launcher = 'local';
  const seen: string[] = [];
  let resumeValue: string | undefined;
  // `--resume RUN` takes a value only on a cluster launcher; locally a bare --resume is followed by MODEL or plan arguments.
  const given = launcherGiven(argv);
  const onCluster = given !== undefined && launcherNames().includes(given) && launcherInfo(given).scope === 'plan';
  for (let i = 0; i < argv.length;) {
    const arg = argv[i];
    const name = arg.split('=')[0];
    if (name === '--detach') {
      cluster.detach = true;
      seen.push(name);
      i++;
      continue;
    }
    if (name === '--resume' && onCluster && !arg.includes('=') && argv[i + 1] !== undefined && !argv[i + 1].startsWith('-')) {
      // `--resume RUN` (a run id) is the fleet's; a bare --resume stays `run`'s (--out FILE).
      resumeValue = argv[i + 1];
      i += 2;
      continue;
    }
    if (!['--launcher', ...CLUSTER_ONLY].includes(name)) {
      rest.push(arg);
      i++;
      continue;
    }
    const { flag, value, next } = take(argv, i);
    if (value === undefined) throw new InputError(flag, `${flag} needs a value`);
    seen.push(flag);
    switch (flag) {
      case '--launcher': launcher = launcherInfo(value).name; break;
      case '--partition': cluster.partition = value; break;
      case '--time':
        if (!TIME.test(value)) throw invalidValue('--time', value, "Slurm's time formats: MINUTES, H:MM:SS, D-HH:MM:SS or infinite");
        cluster.time = value;
        break;
      case '--gpus-per-task': cluster.gpusPerTask = parsePositiveInt('--gpus-per-task', value); break;
      case '--max-parallel': cluster.maxParallel = parsePositiveInt('--max-parallel', value); break;
      case '--sbatch-arg':
        if (!value.startsWith('-')) throw invalidValue('--sbatch-arg', value, 'an sbatch flag such as --sbatch-arg=--account=abc');
        cluster.sbatchArgs.push(value);
        break;
      default: break;
    }
    i = next;
  }
  if (launcherInfo(launcher).scope === 'trial') {
    const clusterOnly = seen.filter((f) => f !== '--launcher');
    if (clusterOnly.length) throw new InputError(clusterOnly[0], `${clusterOnly[0]} applies to a cluster launcher only (--launcher slurm)`);
  } else if (resumeValue !== undefined) {
    cluster.resumeRun = resumeValue;
  }
  return { launcher, cluster, rest };
}
