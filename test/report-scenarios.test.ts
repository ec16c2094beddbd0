/** The report's per-model sections, from one recorded run of each scenario kind. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderHtmlReport, reportCharts } from '../src/report/html.js';
import { readJsonl } from '../src/results/jsonl.js';
import { agreementOf, efficiencyOf, ensembleOf, scanOf, serverOf } from '../src/report/figures.js';
import { shortLabels } from '../src/report/palette.js';
import type { StoredRun } from '../src/store/types.js';
import type { TrialResult } from '../src/results/types.js';
import { SCENARIO_RUNS, scenarioRunJsonl } from './fixtures/fixture.js';

const STUB = { vega: '', vegaLite: '', vegaEmbed: '' };

function run(name: (typeof SCENARIO_RUNS)[number]): StoredRun {
  const trials: TrialResult[] = readJsonl(scenarioRunJsonl(name)).results;
  return { run: { id: `20251120-14021${SCENARIO_RUNS.indexOf(name)}-${name.slice(0, 4)}`, startedAt: '2025-11-20T14:02:11.000Z', toolVersion: '0.1.0', trialCount: trials.length, okCount: trials.length, failedCount: 0, skippedCount: 0, models: [], runtimes: [] }, trials };
}

const html = (name: (typeof SCENARIO_RUNS)[number]) => renderHtmlReport([run(name)], { bundles: STUB, generatedAt: '2025-11-20T15:00:00.000Z' });
const ids = (name: (typeof SCENARIO_RUNS)[number]) => reportCharts([run(name)]).map((c) => c.id);

test('single-stream: percentiles, efficiency with the measured peak, agreement per trial', () => {
  const page = html('single-stream');
  for (const id of ['m0-single-stream', 'm0-efficiency', 'm0-agreement', 'm0-memory']) assert.ok(page.includes(`id="${id}"`), id);
  for (const words of ['p95 (ms)', 'p99 (ms)', 'achieved GFLOP/s', 'share of measured peak', 'theoretical peak', 'top-1 agreement', 'agree']) assert.ok(page.includes(words), words);
  assert.ok(!page.includes('id="m0-offline"') && !page.includes('id="m0-server"') && !page.includes('id="m0-ensemble"'), 'no section for a scenario that did not run');
  assert.ok(!page.includes('id="m0-energy"'), 'no energy section without energy');
  assert.deepEqual(ids('single-stream'), ['m0-throughput', 'm0-latency', 'm0-efficiency', 'm0-memory', 'm0-timeline-0', 'm0-pareto']);
});

test('offline batch scan: the batches tried, the best batch and why the scan stopped', () => {
  const r = run('offline-scan');
  const scan = r.trials.map(scanOf).find(Boolean)!;
  const page = html('offline-scan');
  assert.ok(page.includes('id="m0-offline"'));
  assert.ok(page.includes('best batch'));
  assert.ok(page.includes(scan.stoppedBecause) && page.includes(scan.detail.replace(/&/g, '&amp;')));
  const chart = reportCharts([r]).find((c) => c.id.startsWith('m0-scan-'))!;
  assert.match(JSON.stringify(chart.spec.title), /best batch 1 .*stopped: plateau/);
  assert.ok(!ids('offline-scan').includes('m0-offline-throughput'), 'the scan chart is the throughput chart');
});

test('server: every rate tried, offered against achieved, p99 against rate with the bound drawn', () => {
  const r = run('server');
  const s = serverOf(r.trials[0])!;
  const page = html('server');
  assert.ok(page.includes('id="m0-server"'));
  assert.ok(page.includes('offered (queries/s)') && page.includes('achieved (queries/s)'));
  assert.equal((page.match(/<tr><th scope="row">/g) ?? []).length >= s.attempts.length, true);
  const charts = reportCharts([r]);
  const p99 = charts.find((c) => c.id === 'm0-server-p99')!;
  const rule = (p99.spec.layer as { mark: { type: string }; data?: { values: { boundMs: number }[] } }[]).find((l) => l.mark.type === 'rule')!;
  assert.deepEqual(rule.data!.values, [{ boundMs: s.p99BoundMs }]);
  assert.ok(charts.some((c) => c.id === 'm0-server-rate'));
  assert.ok(!charts.some((c) => c.id.endsWith('-throughput')), 'a one-batch server run gets no throughput-against-batch chart');
  assert.equal(efficiencyOf(r.trials[0]), undefined);
});

test('ensemble: each member alone and together, the slowdown, and top-1 agreement explained', () => {
  const r = run('ensemble');
  const e = ensembleOf(r.trials[0])!;
  const page = html('ensemble');
  assert.ok(page.includes('id="m0-ensemble"'));
  for (const m of e.members) assert.ok(page.includes(m.model), m.model);
  assert.ok(page.includes('slowdown'));
  assert.ok(page.includes('one after another'));
  assert.ok(page.includes('Top-1 agreement with each member — the share of items'));
  assert.ok(ids('ensemble').includes('m0-ensemble-0'));
});

test('figures are read through one set of accessors', () => {
  const ss = run('single-stream').trials[0];
  assert.equal(agreementOf(ss)?.reference, 'ort-node/cpu graphOptimizationLevel=disabled');
  assert.ok(efficiencyOf(ss)!.achievedGflops > 0);
  assert.equal(scanOf(ss), undefined);
  assert.equal(serverOf(ss), undefined);
  assert.equal(ensembleOf(ss), undefined);
});

test('legend labels drop what every configuration shares and stay unique', () => {
  assert.deepEqual(shortLabels(['ort-node/cpu graphOptimizationLevel=all intraOpNumThreads=1', 'ort-node/cpu graphOptimizationLevel=all intraOpNumThreads=2']),
    ['intraOpNumThreads=1', 'intraOpNumThreads=2']);
  assert.deepEqual(shortLabels(['20251120-140211-abcd ort-node/cpu', '20251121-140211-wxyz ort-node/cpu']), ['run\u00a0abcd:', 'run\u00a0wxyz:']);
  const long = shortLabels(['ort-node/cpu graphOptimizationLevel=all executionMode=parallel', 'tfjs/cpu']);
  assert.ok(long.every((l) => l.length <= 45), long.join(' | '));
  assert.equal(new Set(long).size, 2);
});

test('all four runs in one report: each model once, every chart id unique', () => {
  const runs = SCENARIO_RUNS.map(run);
  const charts = reportCharts(runs);
  assert.equal(new Set(charts.map((c) => c.id)).size, charts.length);
  const page = renderHtmlReport(runs, { bundles: STUB });
  for (const w of ['GFLOP', 'agree', 'best batch', 'slowdown', 'offered', 'theoretical']) assert.ok(page.toLowerCase().includes(w.toLowerCase()), w);
});

test('a browser GPU backend that ran on SwiftShader is marked as a software GPU in the terminal table and the report rows', async () => {
  const { resultsTable } = await import('../src/cli/results-table.js');
  const { toRow } = await import('../src/report/results-rows.js');
  const [base] = readJsonl(scenarioRunJsonl('single-stream')).results;
  const emulated = { ...base, runtime: 'tfjs@chromium', provider: 'webgl', context: { ...base.context!, runtimeVersions: { 'chromium.gpu': 'software-emulated (SwiftShader)' } } } as TrialResult;
  const real = { ...base, runtime: 'tfjs@chromium', provider: 'webgpu', context: { ...base.context!, runtimeVersions: { 'chromium.gpu': 'hardware (NVIDIA)' } } } as TrialResult;
  const table = resultsTable([emulated, real]);
  assert.match(table, /webgl \(software GPU\)/);
  assert.doesNotMatch(table, /webgpu \(software GPU\)/);
  assert.deepEqual([emulated, real].map((t) => toRow('r', t).provider), ['webgl (software GPU)', 'webgpu']);
});

test('the efficiency section names each ceiling its trials were shared against: a CPU\'s and a GPU\'s', () => {
  const base = run('single-stream');
  const oks = base.trials.filter((t) => t.status === 'ok' && efficiencyOf(t));
  assert.ok(oks.length >= 2, 'the fixture has two trials with efficiency figures');
  const ceilings = ['2 cores x 8 fp32 lanes (AVX) x 2 FMA units x 2 FLOP x 2.45 GHz', 'NVIDIA H200: 16896 CUDA cores x 2 FLOP (FMA) x 1.98 GHz'];
  const trials = base.trials.map((t) => {
    const i = oks.indexOf(t);
    return i === 0 || i === 1 ? { ...t, efficiency: { ...efficiencyOf(t)!, theoreticalPeakDerivation: ceilings[i] } } as TrialResult : t;
  });
  const page = renderHtmlReport([{ ...base, trials }], { bundles: STUB, generatedAt: '2025-11-20T15:00:00.000Z' });
  for (const c of ceilings) assert.ok(page.includes(c), c);
});
