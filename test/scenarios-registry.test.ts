/**
 * The scenario axis: a scenario registered only here (no other file knows
 * it) runs end to end through the CLI's main(argv); scenario options are
 * validated by the scenario's own schema with the path of the bad field.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { addModelBytes, tempDir, writeModel } from './helpers/models.js';
import { main } from '../src/cli/main.js';
import { getScenario, registerScenario, scenarioNames } from '../src/scenarios/registry.js';
import { executeTrial } from '../src/launchers/local.js';
import type { Scenario } from '../src/scenarios/scenario.js';
import type { TrialResult } from '../src/results/types.js';

process.env.INFERMARK_DB = join(tempDir('infermark-db-'), 'results.db');
process.env.INFERMARK_CACHE_DIR = join(tmpdir(), 'infermark-test-cache');

async function cli(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { stdout: (t) => { stdout += t; }, stderr: (t) => { stderr += t; }, isTTY: false });
  return { code, stdout, stderr };
}

/** Twice the same single-stream trial in a row: its figures are what it counted, orchestrated from the parent. */
const twice: Scenario = {
  name: 'twice',
  description: 'runs a trial twice and keeps the faster',
  runsIn: () => 'parent',
  checks: { agreement: false, efficiency: false },
  latencyWarnings: true,
  batchScan: false,
  async runInParent(spec, run) {
    run.onPhase('starting');
    const results: TrialResult[] = [];
    for (let i = 0; i < 2; i++) results.push(await executeTrial({ ...spec, scenario: 'single-stream' }, { probes: run.probes() }));
    run.onPhase('done');
    const ok = results.filter((r) => r.status === 'ok');
    const best = ok.length === 2 ? (ok[0].latencyMs.median <= ok[1].latencyMs.median ? ok[0] : ok[1]) : results[0];
    return { ...best, key: spec.key, scenario: spec.scenario } as TrialResult;
  },
};

test('a scenario registered only in a test runs end to end through the CLI', async (t) => {
  const unregister = registerScenario(twice);
  t.after(unregister);
  const model = writeModel(tempDir(), 'add.onnx', addModelBytes());
  const r = await cli(['run', model, '--runtime', 'fake', '--set', 'latencyMs=1', '--scenario', 'twice',
    '--min-time', '50ms', '--min-samples', '5', '--warmup', '1', '--json', '-q']);
  assert.equal(r.code, 0, r.stderr);
  const [result] = JSON.parse(r.stdout).results as { status: string; scenario: string; latencyMs?: { median: number } }[];
  assert.equal(result.status, 'ok', JSON.stringify(result));
  assert.equal(result.scenario, 'twice');
  assert.ok(result.latencyMs!.median >= 1, 'the fake runtime sleeps 1 ms per query');
  // The plan schema gains it too.
  const schema = await cli(['plan', '--schema']);
  assert.ok(JSON.parse(schema.stdout).properties.scenarios.items.enum.includes('twice'));
});

test('an unknown scenario is an input error naming the known ones', async () => {
  const r = await cli(['run', 'zoo:resnet-tiny', '--runtime', 'fake', '--scenario', 'nope']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, new RegExp(`--scenario: "nope" is not a scenario; scenarios: ${scenarioNames().join(', ')}`));
});

test("a scenario's options schema rejects a bad value in a plan with the field's path", async () => {
  const dir = tempDir();
  const plan = join(dir, 'plan.json');
  writeFileSync(plan, JSON.stringify({ models: ['zoo:resnet-tiny'], runtimes: ['fake'], scenarios: ['server'], server: { maxBatch: 0, rate: 3 } }));
  const r = await cli(['plan', '--check', plan]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /\/server\/maxBatch: must be >= 1/);
  assert.match(r.stderr, /\/server: unknown key "rate"/);
  writeFileSync(plan, JSON.stringify({ models: ['zoo:resnet-tiny'], runtimes: ['fake'], scenarios: ['ensemble'], ensemble: { members: ['a', 'b'], mode: 'threads' } }));
  const e = await cli(['plan', '--check', plan]);
  assert.match(e.stderr, /\/ensemble\/mode: must be one of sessions, processes/);
});

const FIXTURE = new URL('./fixtures/scenario-repeated.js', import.meta.url).href;

test('a scenario registered with its module runs its own loop in the forked runner, with options from its own flag', async (t) => {
  const { scenario } = await import(FIXTURE) as { scenario: Scenario };
  t.after(registerScenario(scenario, { module: FIXTURE }));
  const model = writeModel(tempDir(), 'add.onnx', addModelBytes());
  const r = await cli(['run', model, '--runtime', 'fake', '--set', 'latencyMs=4', '--scenario', 'repeated', '--repeat-runs', '3',
    '--min-time', '50ms', '--min-samples', '5', '--warmup', '1', '--json', '-q']);
  assert.equal(r.code, 0, r.stderr);
  const [result] = JSON.parse(r.stdout).results as { status: string; scenario: string; latencyMs?: { median: number }; error?: unknown }[];
  assert.equal(result.status, 'ok', JSON.stringify(result.error));
  assert.equal(result.scenario, 'repeated');
  // Three runs of 4 ms per timed query: only the scenario's own loop, run in the runner, times that.
  assert.ok(result.latencyMs!.median >= 12, `median ${result.latencyMs!.median} ms`);
});

test("a scenario's flag is checked by its options schema, as the same key in a plan is", async (t) => {
  const { scenario } = await import(FIXTURE) as { scenario: Scenario };
  t.after(registerScenario(scenario, { module: FIXTURE }));
  // Its name and its flag are in `run --help` (and so in shell completion, which reads the help).
  const help = await cli(['run', '--help']);
  assert.match(help.stdout, /--scenario LIST +single-stream \(default\), .*repeated/);
  assert.match(help.stdout, /--repeat-runs N +repeated: /);
  const bad = await cli(['run', 'zoo:resnet-tiny', '--runtime', 'fake', '--scenario', 'repeated', '--repeat-runs', '0', '--dry-run']);
  assert.equal(bad.code, 2);
  assert.equal(bad.stderr.trim(), 'infermark run: --repeat-runs: "0" is not valid; allowed: an integer >= 1');
  const dir = tempDir();
  const plan = join(dir, 'plan.json');
  writeFileSync(plan, JSON.stringify({ models: ['zoo:resnet-tiny'], runtimes: ['fake'], scenarios: ['repeated'], repeated: { runs: 0 } }));
  const fromPlan = await cli(['plan', '--check', plan]);
  assert.equal(fromPlan.code, 2);
  assert.match(fromPlan.stderr, /\/repeated\/runs: must be >= 1/);
});

test("the built-in scenarios' flags give one-line errors naming the flag, the value and what their schema allows", async () => {
  const cases: [string[], string][] = [
    [['--rate', 'abc'], '--rate: "abc" is not valid; allowed: a number > 0'],
    [['--queries', '5'], '--queries: "5" is not valid; allowed: an integer >= 10'],
    [['--max-batch', '0'], '--max-batch: "0" is not valid; allowed: an integer >= 1'],
    [['--p99', 'soon'], '--p99: "soon" is not valid; allowed: a duration such as 500ms, 10s, 2m'],
    [['--ensemble-mode', 'threads'], '--ensemble-mode: "threads" is not valid; allowed: sessions, processes'],
  ];
  for (const [flags, message] of cases) {
    const r = await cli(['run', 'zoo:resnet-tiny', '--runtime', 'fake', '--scenario', 'server', ...flags, '--dry-run']);
    assert.equal(r.code, 2, flags.join(' '));
    assert.equal(r.stderr.trim(), `infermark run: ${message}`);
  }
});

test("every scenario's flags set keys of its own options schema", () => {
  for (const name of scenarioNames()) {
    const s = getScenario(name);
    const keys = Object.keys((s.options?.schema as { properties?: object } | undefined)?.properties ?? {});
    for (const [flag, key] of Object.entries(s.flags ?? {})) assert.ok(keys.includes(key), `${name}: --${flag} sets ${key}, which its schema lacks`);
    if (s.positionals) assert.ok(keys.includes(s.positionals), `${name}: positionals fill ${s.positionals}`);
  }
});
