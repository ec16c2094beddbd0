/**
 * From resolved options to the list of trials: models resolved (zoo:NAME
 * built into the cache), inspected and hashed, every flag validated. Throws
 * InputError before any trial starts. A scenario with its own expansion
 * (Scenario.expand) makes its trials itself from the usual expansion.
 */
import type { ResolvedOptions } from './options.js';
import type { TrialSpec } from '../engine/trial-spec.js';
import { expandTrials } from '../engine/expand.js';
import { inspectModel } from '../engine/model-info.js';
import { resolveModelRef } from '../zoo/resolve.js';
import { getScenario } from '../scenarios/registry.js';
import type { ExpandContext, InspectedModel } from '../scenarios/scenario.js';

async function inspectRefs(refs: string[]): Promise<InspectedModel[]> {
  const out = [];
  for (const ref of refs) {
    const { path } = await resolveModelRef(ref);
    out.push({ ref, info: await inspectModel(path, ref.startsWith('zoo:') ? ref : 'model') });
  }
  return out;
}

export async function prepareTrials(o: ResolvedOptions): Promise<TrialSpec[]> {
  const scenarios = o.scenarios.map(getScenario);
  const bindings = { dims: o.dims, shapes: o.shapes, batchDim: o.batchDim };
  const expand = (models: InspectedModel[], names: string[]) => expandTrials({
    models,
    runtimes: o.runtimes,
    providers: o.providers,
    settingsGrid: o.settingsGrid,
    batchSizes: o.batchSizes,
    scenarios: names,
    bindings,
    givenInputs: { entries: o.inputValues, dir: o.inputsDir },
    stopping: o.stopping,
    seed: o.seed,
    timeoutMs: o.timeoutMs,
    repeat: o.repeat,
    ...(o.cpus ? { cpus: o.cpus } : {}),
    scenarioOptions: o.scenarioOptions,
  });
  const own = scenarios.filter((s) => s.expand);
  const plain = scenarios.filter((s) => !s.expand).map((s) => s.name);
  // Checked first: a scenario's bad options fail before any model is built or read.
  const context = (name: string): ExpandContext => ({
    options: o.scenarioOptions, models: o.models, inspect: inspectRefs, bindings, expand: (models) => expand(models, [name]),
  });
  const trials = plain.length ? await expand(await inspectRefs(o.models), plain) : [];
  for (const s of own) trials.push(...await s.expand!(context(s.name)));
  return trials;
}
