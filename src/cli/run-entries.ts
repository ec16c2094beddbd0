/**
 * What `run` will do: the MODEL arguments, or a plan file's entries, with
 * the flags that were given overriding the plan.
 */
import type { BenchmarkOptions } from '../api/options.js';
import type { RunCliOptions } from './run-args.js';
import { isPlanPath, loadPlan } from '../plan/load.js';
import { planEntries, planProbes, type PlanProbeOptions } from '../plan/to-options.js';
import { listZoo } from '../zoo/catalog.js';
import { InputError } from '../errors/input-error.js';
import { defaultBenchmark } from '../plan/defaults.js';

export interface RunEntry { name?: string; bench: BenchmarkOptions }

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

export function runEntries(cli: RunCliOptions): { entries: RunEntry[]; probes: PlanProbeOptions; planName?: string } {
  if (cli.positionals.length === 0) return { entries: [{ name: 'defaults', bench: { ...defaultBenchmark(), ...definedOnly(cli.bench) } }], probes: {} };
  const plans = cli.positionals.filter(isPlanPath);
  if (plans.length === 0) return { entries: [{ bench: { ...definedOnly(cli.bench), model: cli.positionals } }], probes: {} };
  if (plans.length > 1 || cli.positionals.length > 1) {
    throw new InputError('plan', `plan: give one plan file and no model arguments (got ${cli.positionals.join(' ')}); put the models in the plan`);
  }
  const plan = loadPlan(plans[0], listZoo().map((z) => z.name));
  const flags = definedOnly(cli.bench);
  const entries = planEntries(plan).map((e) => ({
    name: e.name,
    bench: {
      ...e.bench,
      ...(e.scan ? { batchScan: e.scan } : {}),
      ...(e.server ? { server: e.server } : {}),
      ...(e.ensemble ? { ensemble: e.ensemble } : {}),
      ...flags,
      stopping: { ...e.bench.stopping, ...flags.stopping },
    },
  }));
  return { entries, probes: planProbes(plan), planName: plan.name ?? plans[0] };
}
