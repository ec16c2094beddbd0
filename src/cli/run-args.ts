/**
 * `run` flags to benchmark options. Only parsing and checking here: every
 * error names the flag, the value and what is allowed.
 */
import { parseArgs } from 'node:util';
import type { SettingValue } from '../results/types.js';
import type { BenchmarkOptions } from '../api/options.js';
import { InputError } from '../errors/input-error.js';
import { parseDurationMs, parseFraction, parseIntList, parsePair, parsePositiveInt, splitList } from './parse-values.js';
import { getScenario, scenarioNames } from '../scenarios/registry.js';
import { optionsFromFlags, resolveOptions, scenarioFlags } from '../scenarios/options-check.js';

export const RUN_OPTIONS = {
  runtime: { type: 'string', multiple: true },
  provider: { type: 'string', multiple: true },
  batch: { type: 'string', multiple: true },
  set: { type: 'string', multiple: true },
  browser: { type: 'string' },
  'browser-flag': { type: 'string', multiple: true },
  headed: { type: 'boolean' },
  dim: { type: 'string', multiple: true },
  'batch-dim': { type: 'string' },
  input: { type: 'string', multiple: true },
  inputs: { type: 'string' },
  shape: { type: 'string', multiple: true },
  scenario: { type: 'string', multiple: true },
  out: { type: 'string', short: 'o' },
  resume: { type: 'boolean' },
  timeout: { type: 'string' },
  warmup: { type: 'string' },
  'min-samples': { type: 'string' },
  'min-time': { type: 'string' },
  'max-time': { type: 'string' },
  'target-ci': { type: 'string' },
  seed: { type: 'string' },
  cpus: { type: 'string' },
  repeat: { type: 'string' },
  'max-trials': { type: 'string' },
  'sample-interval': { type: 'string' },
  'idle-baseline': { type: 'string' },
  energy: { type: 'string' },
  'scan-max': { type: 'string' },
  'scan-threshold': { type: 'string' },
  'dry-run': { type: 'boolean' },
  db: { type: 'string' },
  'no-db': { type: 'boolean' },
  report: { type: 'string' },
  format: { type: 'string' },
  'check-outputs': { type: 'boolean' },
  'no-check-outputs': { type: 'boolean' },
  'no-efficiency': { type: 'boolean' },
  json: { type: 'boolean' },
  quiet: { type: 'boolean', short: 'q' },
  verbose: { type: 'boolean', short: 'v' },
  'show-output': { type: 'boolean' },
  'export-json': { type: 'string' },
  'export-markdown': { type: 'string' },
  'export-csv': { type: 'string' },
} as const;

/** The `run` flags: its own, and every registered scenario's (scenarios/<name>.ts declares them). */
export function runOptions() {
  const own = Object.keys(RUN_OPTIONS);
  const flags = Object.fromEntries([...scenarioFlags(scenarioNames().map(getScenario)).keys()]
    .filter((flag) => !own.includes(flag))
    .map((flag) => [flag, { type: 'string' as const }]));
  return { ...RUN_OPTIONS, ...flags };
}

/**
 * Each scenario's options that its flags (and, for the scenarios run, the
 * MODEL arguments) give, checked by its schema. A scenario whose options the
 * MODEL arguments fill gets them only when --scenario names it: otherwise a
 * plan's value (ensemble members) would be replaced by one without them.
 * Every flag given is checked either way.
 */
function scenarioOptionsFromFlags(values: Record<string, unknown>, scenarios: string[] | undefined, positionals: string[]): Record<string, unknown> | undefined {
  const out: Record<string, unknown> = {};
  for (const scenario of scenarioNames().map(getScenario)) {
    if (!scenario.options) continue;
    const given = Object.fromEntries(Object.keys(scenario.flags ?? {}).map((flag) => [flag, values[flag] as string | undefined]));
    // Checked even when unused: a bad value is an error wherever it is given.
    const planForm = optionsFromFlags(scenario, given, scenarios?.includes(scenario.name) ? positionals : []);
    if (!planForm || (scenario.positionals && !scenarios?.includes(scenario.name))) continue;
    const flagOf = Object.fromEntries(Object.entries(scenario.flags ?? {}).map(([flag, key]) => [key, `--${flag}`]));
    out[scenario.options.key] = resolveOptions(scenario, planForm, (key) => flagOf[key] ?? `${scenario.options!.key}.${key}`);
  }
  return Object.keys(out).length ? out : undefined;
}

export interface RunCliOptions {
  /** Only what the flags gave: a plan file's values stay where a flag is absent. */
  bench: Partial<BenchmarkOptions>;
  /** MODEL arguments, or one plan file. */
  positionals: string[];
  dryRun: boolean;
  checkOutputs: boolean;
  efficiency: boolean;
  db?: string;
  noDb: boolean;
  report?: string;
  reportFormat?: 'html' | 'md';
  out?: string;
  resume: boolean;
  json: boolean;
  quiet: boolean;
  /** Every warning's trials and messages, and each trial's runner output when it fails. */
  verbose: boolean;
  /** Print the runner's captured output (stdout and stderr) of every trial that has some. */
  showOutput: boolean;
  /** hyperfine's names: files rewritten after every trial. */
  exports: { json?: string; markdown?: string; csv?: string };
  sampleIntervalMs?: number;
  idleBaselineMs?: number;
  energy?: 'auto' | 'off' | 'estimate';
}

const lists = (v: string[] | undefined) => (v?.length ? v.flatMap(splitList) : undefined);

function settingsGrid(pairs: string[] | undefined): Record<string, SettingValue[]> | undefined {
  if (!pairs?.length) return undefined;
  // No prototype: names such as __proto__, constructor or toString are plain keys, refused later as unknown settings.
  const grid: Record<string, SettingValue[]> = Object.create(null) as Record<string, SettingValue[]>;
  for (const text of pairs ?? []) {
    const [name, value] = parsePair('--set', text);
    const values = splitList(value);
    if (values.length === 0) throw new InputError('--set', `--set ${text}: no values given; write --set ${name}=v1,v2`);
    grid[name] = [...(grid[name] ?? []), ...values];
  }
  return grid;
}

/** --browser, --browser-flag and --headed are the chromium runtimes' settings browser, browserFlags and headed. */
function withBrowserSettings(
  grid: Record<string, SettingValue[]> | undefined, browser: string | undefined, flags: string[] | undefined, headed: boolean | undefined,
): Record<string, SettingValue[]> | undefined {
  if (browser === undefined && !flags?.length && !headed) return grid;
  return {
    ...(grid ?? {}),
    ...(browser !== undefined ? { browser: [browser] } : {}),
    ...(flags?.length ? { browserFlags: [flags.join(' ')] } : {}),
    ...(headed ? { headed: [true] } : {}),
  };
}

function dims(pairs: string[] | undefined): Record<string, number> | undefined {
  if (!pairs?.length) return undefined;
  const out: Record<string, number> = Object.create(null) as Record<string, number>;
  for (const text of pairs ?? []) {
    const [name, value] = parsePair('--dim', text);
    out[name] = parsePositiveInt(`--dim ${name}`, value);
  }
  return out;
}

function shapes(pairs: string[] | undefined): Record<string, number[]> | undefined {
  if (!pairs?.length) return undefined;
  const out: Record<string, number[]> = Object.create(null) as Record<string, number[]>;
  for (const text of pairs ?? []) {
    const [name, value] = parsePair('--shape', text);
    out[name] = parseIntList(`--shape ${name}`, value);
  }
  return out;
}

const MODEL_FORMATS = ['native', 'onnx'];

/** --format names either the report's format (html, md) or the models' formats (native, onnx: a setting axis). */
function formatFlag(text: string): { reportFormat?: 'html' | 'md'; modelFormats?: string[] } {
  if (text === 'html' || text === 'md') return { reportFormat: text };
  const values = splitList(text);
  const bad = values.find((f) => !MODEL_FORMATS.includes(f));
  if (bad !== undefined || values.length === 0) {
    throw new InputError('--format', `--format: ${JSON.stringify(bad ?? text)} is not valid; allowed: html, md (the report), or native, onnx (the models, as a list)`);
  }
  return { modelFormats: values };
}

/** On by default; --check-outputs says so explicitly, and contradicting it is an error, not a silent choice. */
function checkOutputs(on: boolean | undefined, off: boolean | undefined): boolean {
  if (on && off) throw new InputError('--check-outputs', '--check-outputs and --no-check-outputs contradict each other; give one');
  return !off;
}

export function parseRunArgs(argv: string[]): RunCliOptions {
  const { values: v, positionals } = parseArgs({ args: argv, options: runOptions(), allowPositionals: true, strict: true });
  const stopping: NonNullable<BenchmarkOptions['stopping']> = {};
  if (v.warmup !== undefined) stopping.warmupRuns = parsePositiveInt('--warmup', v.warmup, 0);
  if (v['min-samples'] !== undefined) stopping.minSamples = parsePositiveInt('--min-samples', v['min-samples']);
  if (v['min-time'] !== undefined) stopping.minTimeMs = parseDurationMs('--min-time', v['min-time'], { minMs: 0 });
  if (v['max-time'] !== undefined) stopping.maxTimeMs = parseDurationMs('--max-time', v['max-time']);
  if (v['target-ci'] !== undefined) stopping.targetCiRel = parseFraction('--target-ci', v['target-ci']);
  const energy = v.energy ?? 'auto';
  if (!['auto', 'off', 'estimate'].includes(energy)) {
    throw new InputError('--energy', `--energy: ${JSON.stringify(energy)} is not valid; allowed: auto, off, estimate`);
  }
  const scan = v.batch?.length === 1 && v.batch[0].trim() === 'scan';
  const batches = v.batch?.length && !scan ? v.batch.flatMap((b) => parseIntList('--batch', b)) : undefined;
  const scenarios = lists(v.scenario);
  const scenarioOptions = scenarioOptionsFromFlags(v, scenarios, positionals);
  const format = v.format !== undefined ? formatFlag(v.format) : {};
  return {
    positionals,
    dryRun: Boolean(v['dry-run']),
    checkOutputs: checkOutputs(v['check-outputs'], v['no-check-outputs']),
    db: v.db,
    noDb: Boolean(v['no-db']),
    report: v.report,
    ...(format.reportFormat ? { reportFormat: format.reportFormat } : {}),
    efficiency: !v['no-efficiency'],
    bench: {
      runtimes: lists(v.runtime),
      providers: lists(v.provider),
      settings: withBrowserSettings(format.modelFormats ? { ...settingsGrid(v.set), format: format.modelFormats } : settingsGrid(v.set), v.browser, v['browser-flag'], v.headed),
      batchSizes: batches,
      ...(scan ? {
        batchScan: {
          from: 1,
          max: v['scan-max'] !== undefined ? parsePositiveInt('--scan-max', v['scan-max']) : 1024,
          threshold: v['scan-threshold'] !== undefined ? parseFraction('--scan-threshold', v['scan-threshold']) : 0.05,
        },
      } : {}),
      scenarios,
      dims: dims(v.dim),
      ...(v['batch-dim'] !== undefined ? { batchDim: v['batch-dim'] } : {}),
      ...(v.input?.length ? { inputValues: v.input } : {}),
      ...(v.inputs !== undefined ? { inputsDir: v.inputs } : {}),
      shapes: shapes(v.shape),
      ...(scenarioOptions ? { scenarioOptions } : {}),
      stopping: Object.keys(stopping).length ? stopping : undefined,
      ...(v.seed !== undefined ? { seed: parsePositiveInt('--seed', v.seed, 0) } : {}),
      ...(v.cpus !== undefined ? { cpus: v.cpus.split(',').map((c) => parsePositiveInt('--cpus', c.trim(), 0)) } : {}),
      ...(v.timeout !== undefined ? { timeoutMs: parseDurationMs('--timeout', v.timeout) } : {}),
      ...(v.repeat !== undefined ? { repeat: parsePositiveInt('--repeat', v.repeat) } : {}),
      ...(v['max-trials'] !== undefined ? { maxTrials: parsePositiveInt('--max-trials', v['max-trials']) } : {}),
    },
    out: v.out,
    resume: Boolean(v.resume),
    json: Boolean(v.json),
    quiet: Boolean(v.quiet),
    verbose: Boolean(v.verbose),
    showOutput: Boolean(v['show-output']),
    exports: { json: v['export-json'], markdown: v['export-markdown'], csv: v['export-csv'] },
    ...(v['sample-interval'] !== undefined ? { sampleIntervalMs: parseDurationMs('--sample-interval', v['sample-interval'], { minMs: 1 }) } : {}),
    ...(v['idle-baseline'] !== undefined ? { idleBaselineMs: parseDurationMs('--idle-baseline', v['idle-baseline'], { minMs: 100 }) } : {}),
    ...(v.energy !== undefined ? { energy: energy as NonNullable<RunCliOptions['energy']> } : {}),
  };
}
