/**
 * Charts of what a scenario measured beyond latency: the offline batch scan's
 * curve, the server's rate search, the ensemble's members alone and together,
 * and the efficiency of each configuration. Pure, like charts.ts.
 */
import { base, rowsHeight, shortConfig, type ChartSpec } from './charts.js';
import { efficiencyOf, ensembleOf, measuredPeakShareOf, scanOf, serverOf } from './figures.js';
import { okOnly, type LabelledTrial } from './model-groups.js';
import { colourEncoding, type Palette } from './palette.js';
import { sig3 } from '../analysis/format-units.js';

/** The scan's throughput at each batch it tried, the best batch ringed, the stop reason in the subtitle. */
export function scanCharts(idPrefix: string, model: string, trials: LabelledTrial[], p: Palette): ChartSpec[] {
  return trials.flatMap((t, i) => {
    const scan = scanOf(t.trial);
    if (!scan) return [];
    const values = scan.batches.map((b, k) => ({ series: p.short(t.series), configuration: t.label, batchSize: b, throughputPerS: scan.throughputsPerS[k], best: b === scan.bestBatch ? 'best batch' : 'tried' }))
      .filter((v) => v.throughputPerS !== null);
    if (values.length === 0) return [];
    const title = `Batch scan: ${p.short(t.series)}: ${model}`;
    const subtitle = [`best batch ${scan.bestBatch ?? 'none'}${scan.bestThroughputPerS != null ? ` at ${sig3(scan.bestThroughputPerS)} items/s` : ''}`, `stopped: ${scan.stoppedBecause} (${scan.detail})`];
    const x = { field: 'batchSize', type: 'quantitative', title: 'batch size (items)', scale: { type: 'log', base: 2 }, axis: { tickMinStep: 1, format: 'd' } };
    const y = { field: 'throughputPerS', type: 'quantitative', title: 'throughput (items/s)', axis: { format: '~s' } };
    return [{
      id: `${idPrefix}-scan-${i}`, title,
      spec: {
        ...base({ text: title, subtitle }, values),
        height: 260,
        layer: [
          { mark: { type: 'line', point: true }, encoding: { x, y, color: colourEncoding(p, values), tooltip: [{ field: 'configuration', title: 'configuration' }, { field: 'batchSize', title: 'batch size' }, { field: 'throughputPerS', title: 'throughput (items/s)', format: ',.3~r' }] } },
          { transform: [{ filter: "datum.best === 'best batch'" }], mark: { type: 'point', size: 320, strokeWidth: 2, color: '#111' }, encoding: { x, y } },
          { transform: [{ filter: "datum.best === 'best batch'" }], mark: { type: 'text', dy: -16, fontWeight: 'bold' }, encoding: { x, y, text: { value: 'best batch' } } },
        ],
      },
    }];
  });
}

function attemptRows(trials: LabelledTrial[], p: Palette) {
  return trials.flatMap((t) => {
    const s = serverOf(t.trial);
    return s ? s.attempts.map((a) => ({ series: p.short(t.series), configuration: t.label, offeredPerS: a.ratePerS, achievedPerS: a.achievedPerS, p99Ms: a.p99Ms, p50Ms: a.p50Ms, held: a.held ? 'held' : 'not held', boundMs: s.p99BoundMs })) : [];
  });
}

/** Offered against achieved rate (with the line where they are equal), and p99 against rate with the bound drawn. */
export function serverCharts(idPrefix: string, model: string, trials: LabelledTrial[], p: Palette): ChartSpec[] {
  const rows = attemptRows(trials, p);
  if (rows.length === 0) return [];
  const x = { field: 'offeredPerS', type: 'quantitative', title: 'offered rate (queries/s)', scale: { zero: false } };
  const tooltip = [{ field: 'configuration', title: 'configuration' }, { field: 'offeredPerS', title: 'offered (queries/s)', format: '.3~g' }, { field: 'achievedPerS', title: 'achieved (queries/s)', format: '.3~g' }, { field: 'p99Ms', title: 'p99 latency (ms)', format: '.3~g' }, { field: 'held', title: 'rate held' }];
  const points = (yField: string, yTitle: string, scale: object = {}) => ({
    mark: { type: 'point', size: 90, strokeWidth: 2 },
    encoding: {
      x, y: { field: yField, type: 'quantitative', title: yTitle, scale: { ...('type' in scale ? {} : { zero: false }), ...scale } }, color: colourEncoding(p, rows),
      shape: { field: 'held', type: 'nominal', title: 'rate held', scale: { domain: ['held', 'not held'], range: ['circle', 'cross'] }, legend: null },
      tooltip,
    },
  });
  const bounds = [...new Set(rows.map((r) => r.boundMs).filter((b): b is number => b !== null))];
  const diagonal = [Math.min(...rows.map((r) => Math.min(r.offeredPerS, r.achievedPerS))), Math.max(...rows.map((r) => Math.max(r.offeredPerS, r.achievedPerS)))];
  const rateTitle = `Server: offered against achieved rate: ${model}`;
  const p99Title = `Server: p99 latency against offered rate: ${model}`;
  return [
    {
      id: `${idPrefix}-server-rate`, title: rateTitle,
      spec: {
        ...base({ text: rateTitle, subtitle: 'dashed: achieved = offered; a point below it is a rate the server could not keep up with; crosses: rates not held' }, rows),
        height: 260,
        layer: [
          { data: { values: diagonal.map((v) => ({ offeredPerS: v, achievedPerS: v })) }, mark: { type: 'line', color: '#999', strokeDash: [4, 4] }, encoding: { x, y: { field: 'achievedPerS', type: 'quantitative' } } },
          points('achievedPerS', 'achieved rate (queries/s)'),
        ],
      },
    },
    {
      id: `${idPrefix}-server-p99`, title: p99Title,
      spec: {
        ...base(bounds.length ? { text: p99Title, subtitle: `red line: the p99 bound (${bounds.map((b) => `${b} ms`).join(', ')}); crosses: rates not held` } : p99Title, rows),
        height: 260,
        layer: [
          points('p99Ms', 'p99 latency (ms)', { type: 'log' }),
          ...(bounds.length ? [{ data: { values: bounds.map((b) => ({ boundMs: b })) }, mark: { type: 'rule', color: '#d62828', strokeWidth: 2 }, encoding: { y: { field: 'boundMs', type: 'quantitative' }, tooltip: [{ field: 'boundMs', title: 'p99 bound (ms)' }] } }] : []),
        ],
      },
    },
  ];
}

/** Each member's median alone and co-located, side by side. */
export function ensembleCharts(idPrefix: string, model: string, trials: LabelledTrial[], p: Palette): ChartSpec[] {
  return okOnly(trials).flatMap((t, i) => {
    const e = ensembleOf(t.trial);
    if (!e || e.members.length === 0) return [];
    const values = e.members.flatMap((m) => [
      { member: m.model, when: 'alone', medianMs: m.aloneMedianMs, slowdown: m.slowdown },
      { member: m.model, when: 'together', medianMs: m.coLocatedMedianMs, slowdown: m.slowdown },
    ]);
    const title = `Ensemble (${e.mode}): members alone and together: ${p.short(t.series)}`;
    return [{
      id: `${idPrefix}-ensemble-${i}`, title,
      spec: {
        ...base({ text: title, subtitle: `all together: ${sig3(e.aggregateCoLocatedPerS)} inferences/s; one after another: ${sig3(e.aggregateSequentialPerS)} (x${e.speedup.toFixed(2)})` }, values),
        height: rowsHeight(values.length, 16),
        mark: { type: 'bar' },
        encoding: {
          y: { field: 'member', type: 'nominal', title: null, axis: { labelLimit: 220 } },
          yOffset: { field: 'when', sort: ['alone', 'together'] },
          x: { field: 'medianMs', type: 'quantitative', title: 'median latency per call (ms)' },
          color: { field: 'when', type: 'nominal', title: 'member runs', scale: { domain: ['alone', 'together'], range: ['#8d99ae', '#e15759'] }, legend: { orient: 'bottom' } },
          tooltip: [{ field: 'member', title: 'member' }, { field: 'when', title: 'member runs' }, { field: 'medianMs', title: 'median (ms)', format: '.3~g' }, { field: 'slowdown', title: 'slowdown together (x)', format: '.2f' }],
        },
      },
    }];
  });
}

/** GFLOP/s per configuration, with the runtime's measured matrix-product peak as a tick. */
export function efficiencyChart(id: string, model: string, trials: LabelledTrial[], p: Palette): ChartSpec | undefined {
  const values = okOnly(trials).flatMap((t) => {
    const e = efficiencyOf(t.trial);
    return e ? [{ row: shortConfig(p, t), series: p.short(t.series), configuration: t.label, achievedGflops: e.achievedGflops, peakGflops: e.peakGflops ?? null, peakSharePct: measuredPeakShareOf(e) !== undefined ? measuredPeakShareOf(e)! * 100 : null }] : [];
  });
  if (values.length === 0) return undefined;
  const title = `Arithmetic rate: ${model}`;
  const peak = values.some((v) => v.peakGflops !== null);
  const y = { field: 'row', type: 'nominal', title: null, sort: values.map((v) => v.row), axis: { labelLimit: 240 } };
  return {
    id, title,
    spec: {
      ...base(peak ? { text: title, subtitle: 'bar: GFLOP/s reached on the model; black tick: the same runtime\'s measured peak on a large matrix product' } : title, values),
      height: rowsHeight(values.length),
      layer: [
        { mark: { type: 'bar' }, encoding: {
          y, x: { field: 'achievedGflops', type: 'quantitative', title: 'arithmetic rate (GFLOP/s)' }, color: colourEncoding(p, false),
          tooltip: [{ field: 'configuration', title: 'configuration' }, { field: 'achievedGflops', title: 'achieved GFLOP/s', format: '.3~g' }, { field: 'peakGflops', title: 'measured peak GFLOP/s', format: '.3~g' }, { field: 'peakSharePct', title: 'share of measured peak (%)', format: '.3~g' }],
        } },
        ...(peak ? [{ transform: [{ filter: 'datum.peakGflops !== null' }], mark: { type: 'tick', color: '#111', thickness: 3 }, encoding: { y, x: { field: 'peakGflops', type: 'quantitative' } } }] : []),
      ],
    },
  };
}
