/**
 * Reading a plan file: YAML or JSON, validated against the schema with every
 * error listed by its path in the file, then checked for names that exist
 * (runtimes, zoo models, files). Nothing runs unless the whole plan is valid.
 */
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { Ajv, type ValidateFunction } from 'ajv';
import { planSchema } from './schema.js';
import { scenarioNames } from '../scenarios/registry.js';
import { InputError } from '../errors/input-error.js';
import { readRegularFile } from '../files/safe-read.js';
import { isTfjsModelPath, looksLikeTfjsModel } from '../runtimes/tfjs/model-json.js';
import { planWriteErrors } from './write-guard.js';
import { RUNTIMES, runtimeNames } from '../runtimes/registry.js';

export type PlanEntry = {
  name?: string;
  models?: string[];
  runtimes?: string[];
  providers?: string[];
  settings?: Record<string, unknown>;
  /** Model format(s): native or onnx; a list is an axis. */
  format?: string | string[];
  batch?: number | number[] | 'scan' | { scan: { from?: number; max?: number; threshold?: string } };
  scenarios?: string[];
  dims?: Record<string, number>;
  batchDim?: string;
  inputs?: Record<string, number | boolean | string>;
  inputsDir?: string;
  shapes?: Record<string, number[]>;
  server?: { ratePerS?: number; p99?: string; maxBatch?: number; maxWait?: string; queries?: number };
  ensemble?: { members?: string[]; mode?: 'sessions' | 'processes' };
};

export type Plan = PlanEntry & {
  description?: string;
  repeat?: number;
  seed?: number;
  cpus?: number[];
  timeout?: string;
  stopping?: { warmup?: number; minSamples?: number; minTime?: string; maxTime?: string; targetCi?: string };
  probes?: { sampleInterval?: string; energy?: 'auto' | 'off' | 'estimate'; idleBaseline?: string };
  entries?: PlanEntry[];
};

export class PlanError extends InputError {
  constructor(readonly path: string, readonly errors: string[]) {
    super('plan', `plan ${path} is invalid (${errors.length} error${errors.length > 1 ? 's' : ''}); nothing was run:\n${errors.map((e) => `  ${e}`).join('\n')}`);
  }
}

let compiled: { names: string; validate: ValidateFunction } | undefined;

/**
 * Compiled once per set of registered scenarios: a scenario registered later
 * adds its options. A fresh Ajv each time, since the schema's $id may be
 * compiled only once per instance.
 */
function validator() {
  const names = scenarioNames().join(',');
  if (compiled?.names !== names) compiled = { names, validate: new Ajv({ allErrors: true, strict: false }).compile(planSchema()) };
  return compiled.validate;
}

interface AjvErr { instancePath: string; message?: string; keyword: string; params: Record<string, unknown> }

function describe(e: AjvErr): string {
  const where = e.instancePath || '/';
  if (e.keyword === 'additionalProperties') return `${where}: unknown key ${JSON.stringify(e.params.additionalProperty)}`;
  if (e.keyword === 'enum') return `${where}: must be one of ${(e.params.allowedValues as unknown[]).join(', ')}`;
  return `${where}: ${e.message}`;
}

/** anyOf failures repeat every branch's complaint; keep one line per path and keyword. */
function schemaErrors(errors: AjvErr[]): string[] {
  const anyOfPaths = new Set(errors.filter((e) => e.keyword === 'anyOf').map((e) => e.instancePath));
  const lines = errors
    .filter((e) => e.keyword === 'anyOf' || !anyOfPaths.has(e.instancePath))
    .map((e) => (e.keyword === 'anyOf' ? `${e.instancePath}: does not match any allowed form (see infermark plan --schema)` : describe(e)));
  return [...new Set(lines)];
}

export function isPlanPath(path: string): boolean {
  if (!/\.(ya?ml|json)$/i.test(path)) return false;
  // A TensorFlow.js model.json is a model, not a plan.
  if (!isTfjsModelPath(path) || !existsSync(path)) return true;
  try {
    return !looksLikeTfjsModel(readRegularFile(path, 'plan'));
  } catch {
    return true; // the plan reader reports an unreadable file in its own words
  }
}

/** Names that must exist: runtimes, scenarios' members, models (zoo names or files). */
function semanticErrors(plan: Plan, baseDir: string, zooNames: string[]): string[] {
  const errors: string[] = [];
  const entries: [string, PlanEntry][] = [['', plan], ...(plan.entries ?? []).map((e, i) => [`/entries/${i}`, e] as [string, PlanEntry])];
  for (const [prefix, e] of entries) {
    (e.runtimes ?? []).forEach((r, i) => {
      const name = r.split(':')[0];
      if (!RUNTIMES[name]) errors.push(`${prefix}/runtimes/${i}: unknown runtime ${JSON.stringify(r)}; runtimes: ${runtimeNames().join(', ')}`);
    });
    const checkModel = (m: string, path: string) => {
      if (m.startsWith('zoo:')) {
        if (!zooNames.includes(m.slice(4))) errors.push(`${path}: unknown zoo model ${JSON.stringify(m)}; zoo models: ${zooNames.join(', ')}`);
      } else if (!existsSync(resolve(baseDir, m))) {
        errors.push(`${path}: model file ${JSON.stringify(m)} does not exist (paths are relative to the plan file)`);
      }
    };
    (e.models ?? []).forEach((m, i) => checkModel(m, `${prefix}/models/${i}`));
    (e.ensemble?.members ?? []).forEach((m, i) => checkModel(m, `${prefix}/ensemble/members/${i}`));
    if (e.scenarios?.includes('ensemble') && !(e.ensemble?.members?.length)) errors.push(`${prefix}/ensemble/members: the ensemble scenario needs its members`);
  }
  if (!plan.models && !(plan.entries ?? []).every((e) => e.models || e.ensemble?.members)) {
    errors.push('/models: no models given (top-level or in every entry)');
  }
  return errors;
}

export function loadPlan(path: string, zooNames: string[]): Plan {
  let text: string;
  try {
    text = readRegularFile(path, 'plan', 16 * 1024 * 1024).toString('utf8');
  } catch (err) {
    throw new InputError('plan', `${(err as Error).message}; give a .yaml or .json plan file`);
  }
  let data: unknown;
  try {
    data = parseYaml(text);
  } catch (err) {
    throw new PlanError(path, [`not valid YAML or JSON: ${(err as Error).message.split('\n')[0]}`]);
  }
  const validate = validator();
  if (!validate(data)) throw new PlanError(path, schemaErrors((validate.errors ?? []) as AjvErr[]));
  const plan = data as Plan;
  const errors = [...semanticErrors(plan, dirname(path), zooNames), ...planWriteErrors(plan, dirname(path))];
  if (errors.length) throw new PlanError(path, errors);
  // Model paths are relative to the plan file, not to where the tool was started.
  const fix = (m: string) => (m.startsWith('zoo:') || isAbsolute(m) ? m : resolve(dirname(path), m));
  const fixEntry = (e: PlanEntry): PlanEntry => ({
    ...e,
    ...(e.models ? { models: e.models.map(fix) } : {}),
    ...(e.ensemble?.members ? { ensemble: { ...e.ensemble, members: e.ensemble.members.map(fix) } } : {}),
  });
  return { ...fixEntry(plan), ...(plan.entries ? { entries: plan.entries.map(fixEntry) } : {}) };
}
