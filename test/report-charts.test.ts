/** The chart specifications, checked as data: no browser needed. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { reportCharts } from '../src/report/html.js';
import { thinSamples, type ChartSpec } from '../src/report/charts.js';
import type { StoredRun } from '../src/store/types.js';
import { fixtureTrials } from './fixtures/fixture.js';

function fixtureRun(): StoredRun {
  const trials = fixtureTrials();
  return {
    run: { id: '20251120-140211-abcd', startedAt: '2025-11-20T14:02:11.000Z', toolVersion: '0.1.0', trialCount: trials.length, okCount: 19, failedCount: 1, skippedCount: 1, models: [], runtimes: [] },
    trials,
  };
}

type Enc = Record<string, { field?: string; title?: string | null; scale?: { type?: string; base?: number } }>;
const values = (c: ChartSpec) => (c.spec.data as { values: Record<string, unknown>[] }).values;
const enc = (spec: Record<string, unknown>) => spec.encoding as Enc;

test('one set of charts per model, each with a stable id', () => {
  const charts = reportCharts([fixtureRun()]);
  assert.deepEqual(charts.map((c) => c.id), [
    'm0-throughput', 'm0-latency', 'm0-memory', 'm0-timeline-0', 'm0-energy', 'm0-power', 'm0-pareto',
    'm1-throughput', 'm1-latency', 'm1-memory', 'm1-timeline-0', 'm1-energy', 'm1-power', 'm1-pareto',
  ]);
  for (const c of charts) assert.equal(c.spec.$schema, 'https://vega.github.io/schema/vega-lite/v6.json');
});

test('throughput against batch size: log axes with units, one series per runtime', () => {
  const c = reportCharts([fixtureRun()]).find((x) => x.id === 'm0-throughput')!;
  const e = enc(c.spec);
  assert.equal(e.x.field, 'batchSize');
  assert.equal(e.x.title, 'batch size (items)');
  assert.equal(e.x.scale?.type, 'log');
  assert.equal(e.y.title, 'throughput (items/s)');
  assert.equal(e.y.scale?.type, 'log');
  const v = values(c);
  assert.equal(v.length, 17, '6 ort-node + 6 ort-web + 5 tfjs; the failed batch 32 and the skipped cuda trial have no point');
  assert.deepEqual([...new Set(v.map((r) => (r.series as string).split(' ')[0]))], ['ort-node/cpu', 'ort-web/wasm', 'tfjs/cpu']);
  assert.deepEqual(v.filter((r) => (r.series as string).startsWith('tfjs')).map((r) => r.batchSize), [1, 2, 4, 8, 16]);
});

test('latency distributions come from the raw samples', () => {
  const c = reportCharts([fixtureRun()]).find((x) => x.id === 'm0-latency')!;
  assert.equal((c.spec.mark as { type: string }).type, 'boxplot');
  assert.equal(enc(c.spec).x.title, 'latency per call (ms)');
  assert.equal(values(c).length, 17 * 60);
  assert.deepEqual(thinSamples([5, 1, 3], 10), [1, 3, 5]);
  const thin = thinSamples(Array.from({ length: 1000 }, (_, i) => i), 11);
  assert.deepEqual(thin, [0, 100, 200, 300, 400, 500, 599, 699, 799, 899, 999]);
});

test('energy and power: estimates are marked in the data and the labels', () => {
  const c = reportCharts([fixtureRun()]).find((x) => x.id === 'm0-energy')!;
  const v = values(c);
  assert.equal(v.length, 12, 'ort-node measured + ort-web estimated; tfjs has no energy');
  const est = v.filter((r) => r.source === 'estimate');
  assert.equal(est.length, 6);
  for (const r of est) assert.match(r.configuration as string, /^\(estimate\) ort-web/);
  for (const r of est) assert.match(r.row as string, /^\(estimate\) /, 'the axis label says estimate too');
  assert.equal(enc(c.spec).x.title, 'energy per inference (J/item)');
  assert.equal(enc(reportCharts([fixtureRun()]).find((x) => x.id === 'm0-power')!.spec).x.title, 'average power (W)');
  assert.match(JSON.stringify(c.spec.title), /estimates/, 'the note on estimates appears where there are estimates');
  const run = fixtureRun();
  run.trials = run.trials.filter((t) => !(t.status === 'ok' && t.energy?.estimated));
  const measuredOnly = reportCharts([run]).find((x) => x.id === 'm0-energy')!;
  assert.doesNotMatch(JSON.stringify(measuredOnly.spec.title), /estimate/, 'and nowhere else');
});

test('memory in MiB', () => {
  const c = reportCharts([fixtureRun()]).find((x) => x.id === 'm0-memory')!;
  const layer = (c.spec.layer as Record<string, unknown>[])[0];
  assert.equal(enc(layer).x.title, 'peak RSS (MiB)');
  assert.ok(values(c).every((r) => typeof r.peakRssMiB === 'number' && (r.peakRssMiB as number) > 100));
});

test('the Pareto chart plots latency against measured energy, or against throughput; every point labelled', () => {
  const charts = reportCharts([fixtureRun()]);
  const withEnergy = charts.find((x) => x.id === 'm0-pareto')!;
  const layers = withEnergy.spec.layer as Record<string, unknown>[];
  const points = layers.filter((l) => (l.mark as { type: string }).type === 'point');
  assert.equal(enc(points[0]).x.title, 'p99 latency (ms)');
  assert.equal(enc(points[0]).y.title, 'energy per inference (J/item)');
  const text = layers.find((l) => (l.mark as { type: string }).type === 'text')!;
  assert.equal(enc(text).text.field, 'label', 'points carry their configuration as a label');
  const pts = values(withEnergy);
  assert.ok(pts.some((p) => p.pareto === 'Pareto set'));
  assert.ok(pts.every((p) => typeof p.label === 'string' && (p.label as string).length > 0));
  assert.ok(!pts.some((p) => String(p.configuration).includes('estimate')), 'estimates are not placed on a measured-energy axis');
  assert.doesNotMatch(JSON.stringify(withEnergy.spec.title), /hollow marks are energy estimates/);

  const run = fixtureRun();
  run.trials = run.trials.map((t) => (t.status === 'ok' ? { ...t, energy: undefined } : t));
  const noEnergy = reportCharts([run]);
  assert.ok(!noEnergy.some((c) => c.id.endsWith('-energy') || c.id.endsWith('-power')), 'no empty energy chart');
  assert.equal(enc((noEnergy.find((x) => x.id === 'm0-pareto')!.spec.layer as Record<string, unknown>[])[0]).y.title, 'throughput (items/s)');
});

test('a configuration has one colour in every chart of its model, and legends list short labels', () => {
  const charts = reportCharts([fixtureRun()]).filter((c) => c.id.startsWith('m0-'));
  const scales: { domain: string[]; range: string[] }[] = [];
  const walk = (spec: Record<string, unknown>) => {
    const color = (spec.encoding as Record<string, { field?: string; scale?: { domain: string[]; range: string[] } }> | undefined)?.color;
    if (color?.field === 'series' && color.scale) scales.push(color.scale);
    for (const s of (spec.layer as Record<string, unknown>[] | undefined) ?? []) walk(s);
  };
  for (const c of charts) walk(c.spec);
  assert.ok(scales.length >= charts.length);
  for (const s of scales) assert.deepEqual(s, scales[0]);
  assert.equal(new Set(scales[0].range).size, scales[0].domain.length, 'distinct colours');
  for (const label of scales[0].domain) assert.ok(label.length <= 40, label);
});

test('a throughput-against-batch chart needs two batch sizes of one configuration', () => {
  const run = fixtureRun();
  run.trials = run.trials.filter((t) => t.batchSize === 1);
  assert.ok(!reportCharts([run]).some((c) => c.id.endsWith('-throughput')));
});

test('every axis title names its unit', () => {
  const titles: string[] = [];
  const walk = (spec: Record<string, unknown>) => {
    if (spec.encoding) for (const ch of ['x', 'y'] as const) { const t = enc(spec)[ch]?.title; if (t) titles.push(t); }
    for (const k of ['layer'] as const) for (const s of (spec[k] as Record<string, unknown>[] | undefined) ?? []) walk(s);
  };
  for (const c of reportCharts([fixtureRun()])) walk(c.spec);
  assert.ok(titles.length >= 10);
  for (const t of titles) assert.match(t, /\((ms|items|items\/s|J\/item|W|MiB|%)\)$/, t);
});
