/**
 * From resolved options to the list of trials: models resolved (zoo:NAME
 * built into the cache), inspected and hashed, every flag validated. Throws
 * InputError before any trial starts.
 */
import type { ResolvedOptions } from './options.js';
import type { TrialSpec } from '../engine/trial-spec.js';
import { expandTrials } from '../engine/expand.js';
import { inspectModel } from '../engine/model-info.js';
import { resolveModelRef } from '../zoo/resolve.js';
import { InputError } from '../errors/input-error.js';
import type { EnsembleOptions } from '../scenarios/ensemble.js';
import { toEnsembleTrials } from '../scenarios/ensemble-members.js';
import { getScenario } from '../scenarios/registry.js';


async function inspectRefs(refs: string[]) {
  const out = [];
  for (const ref of refs) {
    const { path } = await resolveModelRef(ref);
    out.push({ ref, info: await inspectModel(path, ref.startsWith('zoo:') ? ref : 'model') });
  }
  return out;
}

export async function prepareTrials(o: ResolvedOptions): Promise<TrialSpec[]> {
  for (const s of o.scenarios) getScenario(s);
  const ensemble = o.scenarioOptions?.ensemble as EnsembleOptions | undefined;
  if (o.scenarios.includes('ensemble') && (!ensemble || ensemble.members.length < 2)) {
    throw new InputError('--scenario', '--scenario ensemble: give at least two member models (as MODEL arguments, or ensemble.members in a plan)');
  }
  const plain = o.scenarios.filter((s) => s !== 'ensemble');
  const models = plain.length ? await inspectRefs(o.models) : [];
  const request = (extra: Partial<Parameters<typeof expandTrials>[0]>) => expandTrials({
    models,
    runtimes: o.runtimes,
    providers: o.providers,
    settingsGrid: o.settingsGrid,
    batchSizes: o.batchSizes,
    scenarios: o.scenarios,
    bindings: { dims: o.dims, shapes: o.shapes, batchDim: o.batchDim },
    givenInputs: { entries: o.inputValues, dir: o.inputsDir },
    stopping: o.stopping,
    seed: o.seed,
    timeoutMs: o.timeoutMs,
    repeat: o.repeat,
    ...(o.cpus ? { cpus: o.cpus } : {}),
    scenarioOptions: o.scenarioOptions,
    ...extra,
  });
  const trials = plain.length ? await request({ scenarios: plain }) : [];
  if (ensemble && o.scenarios.includes('ensemble')) {
    const members = await inspectRefs(ensemble.members);
    const onFirst = await request({ models: [members[0]], scenarios: ['ensemble'] });
    trials.push(...toEnsembleTrials(onFirst, members, ensemble.mode, { dims: o.dims, shapes: o.shapes }));
  }
  return trials;
}
