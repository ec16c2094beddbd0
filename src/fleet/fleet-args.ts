/**
 * The flags that choose where a run's trials go (--launcher) and how a Slurm
 * job array is shaped. They are taken out of `run`'s argv here; everything
 * else is `run`'s as usual.
 */
import { InputError, invalidValue } from '../errors/input-error.js';
import { parsePositiveInt } from '../cli/parse-values.js';

export interface SlurmOptions {
  partition?: string;
  /** Slurm's own time format (e.g. 1:00:00, 30, 2-00:00:00): passed through as --time. */
  time?: string;
  gpusPerTask?: number;
  /** At most this many array tasks at once (the array's %N); also the number of shards when given. */
  maxParallel?: number;
  /** More sbatch flags, each passed as given (e.g. --sbatch-arg=--account=abc). */
  sbatchArgs: string[];
  detach: boolean;
  /** A run already in the store whose missing (or failed) trials are submitted. */
  resumeRun?: string;
}

export interface FleetArgs {
  /** external: record the run in the shared store for another scheduler's shards (a Kubernetes Indexed Job). */
  launcher: 'local' | 'slurm' | 'external';
  slurm: SlurmOptions;
  /** The argv left for `run`. */
  rest: string[];
}

const LAUNCHERS = ['local', 'slurm', 'external'] as const;
const SLURM_ONLY = ['--partition', '--time', '--gpus-per-task', '--max-parallel', '--sbatch-arg', '--detach'];
const TIME = /^(\d+-)?\d+(:\d{1,2}){0,2}$|^(infinite|UNLIMITED)$/i;

/** Splits `--flag value` and `--flag=value` alike. */
function take(argv: string[], i: number): { flag: string; value?: string; next: number } {
  const arg = argv[i];
  const eq = arg.indexOf('=');
  if (arg.startsWith('--') && eq > 0) return { flag: arg.slice(0, eq), value: arg.slice(eq + 1), next: i + 1 };
  return { flag: arg, value: argv[i + 1], next: i + 2 };
}

export function splitFleetArgs(argv: string[]): FleetArgs {
  const rest: string[] = [];
  const slurm: SlurmOptions = { sbatchArgs: [], detach: false };
  let launcher: FleetArgs['launcher'] = 'local';
  const seen: string[] = [];
  let resumeValue: string | undefined;
  // `--resume RUN` takes a value only on Slurm; locally a bare --resume is followed by MODEL or plan arguments.
  const onSlurm = argv.some((a, i) => a === '--launcher=slurm' || (a === '--launcher' && argv[i + 1] === 'slurm'));
  for (let i = 0; i < argv.length;) {
    const arg = argv[i];
    const name = arg.split('=')[0];
    if (name === '--detach') {
      slurm.detach = true;
      seen.push(name);
      i++;
      continue;
    }
    if (name === '--resume' && onSlurm && !arg.includes('=') && argv[i + 1] !== undefined && !argv[i + 1].startsWith('-')) {
      // `--resume RUN` (a run id) is the fleet's; a bare --resume stays `run`'s (--out FILE).
      resumeValue = argv[i + 1];
      i += 2;
      continue;
    }
    if (!['--launcher', ...SLURM_ONLY].includes(name)) {
      rest.push(arg);
      i++;
      continue;
    }
    const { flag, value, next } = take(argv, i);
    if (value === undefined) throw new InputError(flag, `${flag} needs a value`);
    seen.push(flag);
    switch (flag) {
      case '--launcher':
        if (!(LAUNCHERS as readonly string[]).includes(value)) throw invalidValue('--launcher', value, LAUNCHERS.join(', '));
        launcher = value as FleetArgs['launcher'];
        break;
      case '--partition': slurm.partition = value; break;
      case '--time':
        if (!TIME.test(value)) throw invalidValue('--time', value, "Slurm's time formats: MINUTES, H:MM:SS, D-HH:MM:SS or infinite");
        slurm.time = value;
        break;
      case '--gpus-per-task': slurm.gpusPerTask = parsePositiveInt('--gpus-per-task', value); break;
      case '--max-parallel': slurm.maxParallel = parsePositiveInt('--max-parallel', value); break;
      case '--sbatch-arg':
        if (!value.startsWith('-')) throw invalidValue('--sbatch-arg', value, 'an sbatch flag such as --sbatch-arg=--account=abc');
        slurm.sbatchArgs.push(value);
        break;
      default: break;
    }
    i = next;
  }
  if (launcher === 'local') {
    const slurmOnly = seen.filter((f) => f !== '--launcher');
    if (slurmOnly.length) throw new InputError(slurmOnly[0], `${slurmOnly[0]} applies to --launcher slurm only`);
  } else if (resumeValue !== undefined) {
    slurm.resumeRun = resumeValue;
  }
  return { launcher, slurm, rest };
}
