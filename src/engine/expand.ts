/**
 * Expanding a sweep request into trials: the cartesian product of models,
 * runtimes, providers, settings, batch sizes, scenarios and repetitions.
 * Everything is validated here, before any trial starts.
 */
import type { Settings, SettingValue } from '../results/types.js';
import type { Runtime, StoppingRule } from '../runtimes/runtime.js';
import { getRuntime, runtimeNames, RUNTIMES } from '../runtimes/registry.js';
import { parseSettingValue } from '../runtimes/settings.js';
import { InputError } from '../errors/input-error.js';
import { trialKey, type TrialSpec } from './trial-spec.js';
import { resolveInputShapes, type ShapeBindings } from './shapes.js';
import { checkFileShapes, resolveGivenInputs, type GivenInputsRequest } from './given-inputs.js';
import { FRAMEWORK_FORMATS, torchScriptInputs, type ModelInfo } from './model-info.js';
import { DEFAULT_INT_RANGE } from './inputs.js';
import { findScenario } from '../scenarios/registry.js';

export interface SweepRequest {
  /** Models already inspected, with the reference the user gave. */
  models: { ref: string; info: ModelInfo }[];
  /** Runtime names, or runtime:provider pairs. */
  runtimes: string[];
  /** Providers applied to every runtime that knows them; empty: each runtime's default. */
  providers: string[];
  /** name -> values; `runtime.name` applies to one runtime, a bare name to every runtime that has it. */
  settingsGrid: Record<string, SettingValue[]>;
  batchSizes: number[];
  scenarios: string[];
  bindings: ShapeBindings;
  /** Values the user gave for inputs (--input, --inputs). */
  givenInputs?: GivenInputsRequest;
  stopping: StoppingRule;
  seed: number;
  timeoutMs: number;
  repeat: number;
  cpus?: number[];
  scenarioOptions?: Record<string, unknown>;
}

function cartesian(grid: [string, SettingValue[]][]): Settings[] {
  let out: Settings[] = [{}];
  for (const [name, values] of grid) {
    out = out.flatMap((s) => values.map((v) => ({ ...s, [name]: v })));
  }
  return out;
}

function parseRuntimeRef(ref: string): { runtime: string; provider?: string } {
  const [runtime, provider] = ref.split(':');
  if (!RUNTIMES[runtime]) throw new InputError('--runtime', `--runtime: ${JSON.stringify(runtime)} is not a runtime; runtimes: ${runtimeNames().join(', ')}`);
  return { runtime, provider };
}

function providersFor(rt: Runtime, explicit: string | undefined, requested: string[]): string[] {
  if (explicit) {
    if (!rt.providerNames.includes(explicit)) {
      throw new InputError('--runtime', `--runtime ${rt.name}:${explicit}: ${rt.name} has no provider ${JSON.stringify(explicit)}; its providers: ${rt.providerNames.join(', ')}`);
    }
    return [explicit];
  }
  if (requested.length === 0) return [rt.providerNames[0]];
  const known = requested.filter((p) => rt.providerNames.includes(p));
  if (known.length === 0) {
    throw new InputError('--provider', `--provider ${requested.join(',')}: ${rt.name} has none of these; its providers: ${rt.providerNames.join(', ')} (name one runtime's provider with --runtime ${rt.name}:PROVIDER)`);
  }
  return known;
}

/** The settings grid of one runtime: prefixed names for it, and bare names it declares. */
function gridFor(rt: Runtime, grid: Record<string, SettingValue[]>): [string, SettingValue[]][] {
  const out: [string, SettingValue[]][] = [];
  for (const [fullName, values] of Object.entries(grid)) {
    const dot = fullName.indexOf('.');
    const scoped = dot > 0 && RUNTIMES[fullName.slice(0, dot)] ? fullName.slice(0, dot) : undefined;
    const name = scoped ? fullName.slice(dot + 1) : fullName;
    if (scoped && scoped !== rt.name) continue;
    const spec = rt.settings.find((s) => s.name === name);
    if (!spec) {
      if (scoped) throw new InputError('--set', `--set ${fullName}: ${rt.name} has no setting ${JSON.stringify(name)}; its settings: ${rt.settings.map((s) => s.name).join(', ') || '(none)'}`);
      continue;
    }
    if (values.length === 0) throw new InputError('--set', `--set ${fullName}: no values given; write --set ${fullName}=v1,v2`);
    out.push([name, values.map((v) => parseSettingValue(rt.name, spec, v))]);
  }
  return out;
}

async function checkEverySettingIsUsed(runtimes: Runtime[], grid: Record<string, SettingValue[]>): Promise<void> {
  for (const fullName of Object.keys(grid)) {
    const dot = fullName.indexOf('.');
    if (dot > 0 && RUNTIMES[fullName.slice(0, dot)]) {
      if (!runtimes.some((r) => r.name === fullName.slice(0, dot))) {
        throw new InputError('--set', `--set ${fullName}: runtime ${fullName.slice(0, dot)} is not in --runtime`);
      }
      continue;
    }
    if (!runtimes.some((r) => r.settings.some((s) => s.name === fullName))) {
      const known = runtimes.map((r) => `${r.name}: ${r.settings.map((s) => s.name).join(', ') || '(none)'}`).join('; ');
      throw new InputError('--set', `--set ${fullName}: no selected runtime has this setting; settings are ${known}`);
    }
  }
}

/** Integer inputs that index an embedding table stay inside it. */
export function intRangesOf(info: ModelInfo): Record<string, [number, number]> {
  const out: Record<string, [number, number]> = {};
  for (const input of info.inputs) {
    if (input.dtype.startsWith('int')) out[input.name] = info.vocabSizes[input.name] ? [0, info.vocabSizes[input.name]] : DEFAULT_INT_RANGE;
  }
  return out;
}

/** Only the options that concern a scenario go into its trials (and so into their keys). */
function scenarioOptionsFor(scenario: string, all: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  if (!all) return undefined;
  const out: Record<string, unknown> = {};
  const s = findScenario(scenario);
  if (all.scan && s?.batchScan) out.scan = all.scan;
  if (s?.options && all[s.options.key] !== undefined) out[s.options.key] = all[s.options.key];
  return Object.keys(out).length ? out : undefined;
}

export async function expandTrials(req: SweepRequest): Promise<TrialSpec[]> {
  if (req.batchSizes.length === 0) throw new InputError('--batch', '--batch: no batch size given; write --batch 1,8,32');
  for (const b of req.batchSizes) {
    if (!Number.isInteger(b) || b < 1) throw new InputError('--batch', `--batch: ${JSON.stringify(b)} is not valid; allowed: integers >= 1`);
  }
  const refs = req.runtimes.map(parseRuntimeRef);
  const runtimes = await Promise.all(refs.map((r) => getRuntime(r.runtime)));
  await checkEverySettingIsUsed(runtimes, req.settingsGrid);

  const trials: TrialSpec[] = [];
  for (const { ref, info: given } of req.models) {
    const framework = given.format === 'onnx' ? undefined : given.format;
    // TorchScript, SavedModel and .keras declare no inputs here (--shape gives them); a model.json does.
    const info = framework && framework !== 'tfjs' ? { ...given, inputs: torchScriptInputs(given.path, req.bindings.shapes, framework) } : given;
    for (const rt of runtimes) {
      if (framework && rt.name !== FRAMEWORK_FORMATS[framework].runtime) {
        const { runtime, what } = FRAMEWORK_FORMATS[framework];
        throw new InputError('--runtime', `--runtime ${rt.name}: ${JSON.stringify(ref)} is ${what}, which only the ${runtime} runtime reads; use --runtime ${runtime}, or give the model as ONNX`);
      }
    }
    const feedsGiven = resolveGivenInputs(info.inputs, req.givenInputs ?? {});
    const hasGiven = Object.keys(feedsGiven.given).length > 0;
    const bindings = { ...req.bindings, shapes: { ...req.bindings.shapes, ...feedsGiven.fileShapes } };
    const shapesFor = (b: number) => {
      const shapes = resolveInputShapes(info.inputs, b, bindings);
      checkFileShapes(feedsGiven, shapes, b);
      return shapes;
    };
    const shapesByBatch = new Map(req.batchSizes.map((b) => [b, shapesFor(b)]));
    const intRanges = intRangesOf(info);
    for (let r = 0; r < refs.length; r++) {
      const rt = runtimes[r];
      const grid = cartesian(gridFor(rt, req.settingsGrid));
      for (const provider of providersFor(rt, refs[r].provider, req.providers)) {
        for (const settings of grid) {
          for (const scenario of req.scenarios) {
            const batches = findScenario(scenario)?.batches?.(req.batchSizes, req.scenarioOptions) ?? req.batchSizes;
            for (const batchSize of batches) {
              const inputShapes = shapesByBatch.get(batchSize) ?? shapesFor(batchSize);
              const scenarioOptions = scenarioOptionsFor(scenario, req.scenarioOptions);
              const key = trialKey({
                modelSha256: info.sha256, runtime: rt.name, provider, settings, batchSize, scenario, inputShapes, scenarioOptions,
                ...(hasGiven ? { givenInputs: feedsGiven.given } : {}),
              });
              // A scan's steps share the key of its first step as their group.
              const withGroup = scenarioOptions?.scan ? { ...scenarioOptions, scan: { ...(scenarioOptions.scan as object), group: key } } : scenarioOptions;
              for (let rep = 0; rep < req.repeat; rep++) {
                trials.push({
                  key, modelRef: ref, modelPath: info.path, modelSha256: info.sha256, modelSizeBytes: info.sizeBytes,
                  ...(framework ? { modelFormat: framework } : {}),
                  runtime: rt.name, provider, settings, batchSize, scenario, inputShapes, intRanges,
                  ...(hasGiven ? { givenInputs: feedsGiven.given } : {}),
                  stopping: req.stopping, seed: req.seed, timeoutMs: req.timeoutMs, ...(req.cpus ? { cpus: req.cpus } : {}),
                  ...(req.repeat > 1 ? { repetition: rep } : {}),
                  ...(withGroup ? { scenarioOptions: withGroup } : {}),
                });
              }
            }
          }
        }
      }
    }
  }
  return trials;
}
