/**
 * Chart specifications as data: pure functions from results to Vega-Lite
 * specs. Tests check them as JSON; the HTML report hands them to vega-embed.
 * Every axis title carries its unit, every tooltip field a human name, every
 * chart of a model colours a configuration the same way (palette.ts), and a
 * chart with nothing to show is not made.
 */
import type { OkTrial } from '../results/types.js';
import type { ModelRecommendation } from '../analysis/recommend.js';
import { okOnly, type LabelledTrial } from './model-groups.js';
import { colourEncoding, type Palette } from './palette.js';

export type VegaLiteSpec = Record<string, unknown>;

export interface ChartSpec {
  /** Stable id, used as the element id in the HTML. */
  id: string;
  title: string;
  spec: VegaLiteSpec;
}

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';
/** Raw samples kept per configuration for the distribution chart: enough for its shape, small enough for the file. */
export const MAX_SAMPLES_PER_CONFIG = 400;

/** Axis labels never collide: Vega drops the ones that would overlap, and numbers keep 3 significant digits. */
const CONFIG = { font: 'system-ui, sans-serif', axis: { labelOverlap: true, labelFlush: true }, legend: { labelFontSize: 11 } };

/** The chart takes its figure's width, so it fits a phone and a wide screen alike. */
export function base(title: string | { text: string; subtitle?: string | string[] }, values: object[]): VegaLiteSpec {
  return { $schema: SCHEMA, title, width: 'container', data: { values }, config: CONFIG };
}

/**
 * The height of a chart with one band per row. A fixed number, not a step:
 * a chart that takes its container's width must have a continuous height.
 */
export function rowsHeight(rows: number, step = 22): number {
  return Math.max(1, rows) * step;
}

/** Evenly spaced order statistics: keeps the distribution's shape with fewer points. */
export function thinSamples(samples: readonly number[], max = MAX_SAMPLES_PER_CONFIG): number[] {
  const sorted = [...samples].sort((a, b) => a - b);
  if (sorted.length <= max) return sorted;
  return Array.from({ length: max }, (_, i) => sorted[Math.round((i * (sorted.length - 1)) / (max - 1))]);
}

/** A configuration with its batch size, short enough for an axis. */
export function shortConfig(p: Palette, t: LabelledTrial): string {
  return `${p.short(t.series)} · batch ${t.trial.batchSize}`;
}

export function throughputChart(id: string, model: string, trials: LabelledTrial[], p: Palette): ChartSpec | undefined {
  const ok = okOnly(trials);
  // A line needs two batch sizes of one configuration; a lone point per configuration is in the table.
  const bySeries = new Map<string, Set<number>>();
  for (const t of ok) (bySeries.get(t.series) ?? bySeries.set(t.series, new Set()).get(t.series)!).add(t.trial.batchSize);
  if (![...bySeries.values()].some((s) => s.size > 1)) return undefined;
  const values = ok.map((t) => ({ series: p.short(t.series), batchSize: t.trial.batchSize, throughputPerS: t.trial.throughputPerS, configuration: t.label }));
  const title = `Throughput against batch size: ${model}`;
  return {
    id, title,
    spec: {
      ...base(title, values),
      height: 300,
      mark: { type: 'line', point: true },
      encoding: {
        x: { field: 'batchSize', type: 'quantitative', title: 'batch size (items)', scale: { type: 'log', base: 2 }, axis: { tickMinStep: 1, format: 'd' } },
        y: { field: 'throughputPerS', type: 'quantitative', title: 'throughput (items/s)', scale: { type: 'log' }, axis: { format: '~s' } },
        color: colourEncoding(p, values),
        tooltip: [{ field: 'configuration', title: 'configuration' }, { field: 'batchSize', title: 'batch size' }, { field: 'throughputPerS', title: 'throughput (items/s)', format: ',.3~r' }],
      },
    },
  };
}

export function latencyChart(id: string, model: string, trials: LabelledTrial[], p: Palette): ChartSpec | undefined {
  const ok = okOnly(trials).filter((t) => (t.trial.samplesMs ?? []).length > 0);
  const values = ok.flatMap((t) => thinSamples(t.trial.samplesMs).map((latencyMs) => ({ row: shortConfig(p, t), series: p.short(t.series), configuration: t.label, latencyMs })));
  if (values.length === 0) return undefined;
  const title = `Latency distribution per configuration: ${model}`;
  return {
    id, title,
    spec: {
      ...base({ text: title, subtitle: 'box: quartiles; whiskers: min and max' }, values),
      height: rowsHeight(ok.length),
      mark: { type: 'boxplot', extent: 'min-max', size: 14 },
      encoding: {
        y: { field: 'row', type: 'nominal', title: null, sort: ok.map((t) => shortConfig(p, t)), axis: { labelLimit: 220 } },
        x: { field: 'latencyMs', type: 'quantitative', title: 'latency per call (ms)', scale: { type: 'log' } },
        color: colourEncoding(p, false),
        tooltip: [{ field: 'configuration', title: 'configuration' }],
      },
    },
  };
}

interface EnergyRow { row: string; series: string; configuration: string; source: string; energyPerItemJ: number | null; averagePowerW: number | null; sensors: string }

function energyRows(trials: LabelledTrial[], p: Palette): EnergyRow[] {
  return okOnly(trials)
    .filter((t) => t.trial.energy && (t.trial.energy.energyPerItemJ !== undefined || t.trial.energy.averagePowerW !== undefined))
    .map((t) => {
      const e = t.trial.energy!;
      return {
        // The label itself says "estimate", so the mark is never read as a measurement.
        row: e.estimated ? `(estimate) ${shortConfig(p, t)}` : shortConfig(p, t),
        series: p.short(t.series),
        configuration: e.estimated ? `(estimate) ${t.label}` : t.label,
        source: e.estimated ? 'estimate' : 'measured',
        energyPerItemJ: e.energyPerItemJ ?? null,
        averagePowerW: e.averagePowerW ?? null,
        sensors: [...new Set(e.readings.map((r) => `${r.source}:${r.domain}`))].join(', '),
      };
    });
}

function energyBar(id: string, title: string, rows: EnergyRow[], field: 'energyPerItemJ' | 'averagePowerW', axisTitle: string, p: Palette): ChartSpec | undefined {
  const values = rows.filter((r) => r[field] !== null);
  if (values.length === 0) return undefined;
  const estimates = values.some((v) => v.source === 'estimate');
  return {
    id, title,
    spec: {
      ...base(estimates ? { text: title, subtitle: 'pale dashed bars are estimates from a model, not sensor readings' } : title, values),
      height: rowsHeight(values.length),
      mark: { type: 'bar' },
      encoding: {
        y: { field: 'row', type: 'nominal', title: null, sort: values.map((v) => v.row), axis: { labelLimit: 240 } },
        x: { field, type: 'quantitative', title: axisTitle, axis: { format: '.2~g', tickCount: 4 } },
        color: colourEncoding(p, false),
        opacity: { condition: { test: "datum.source === 'estimate'", value: 0.45 }, value: 1 },
        strokeDash: { condition: { test: "datum.source === 'estimate'", value: [4, 2] }, value: [1, 0] },
        stroke: { value: '#333' },
        tooltip: [{ field: 'configuration', title: 'configuration' }, { field, title: axisTitle, format: '.3~g' }, { field: 'source', title: 'energy source' }, { field: 'sensors', title: 'sensors' }],
      },
    },
  };
}

/** Energy per inference and average power, only where some trial has either. */
export function energyCharts(idPrefix: string, model: string, trials: LabelledTrial[], p: Palette): ChartSpec[] {
  const rows = energyRows(trials, p);
  return [
    energyBar(`${idPrefix}-energy`, `Energy per inference: ${model}`, rows, 'energyPerItemJ', 'energy per inference (J/item)', p),
    energyBar(`${idPrefix}-power`, `Average power: ${model}`, rows, 'averagePowerW', 'average power (W)', p),
  ].filter((c): c is ChartSpec => c !== undefined);
}

export function memoryChart(id: string, model: string, trials: LabelledTrial[], p: Palette): ChartSpec | undefined {
  const values = okOnly(trials).filter((t) => t.trial.memory).map((t) => ({
    row: shortConfig(p, t),
    series: p.short(t.series),
    configuration: t.label,
    peakRssMiB: t.trial.memory!.peakRssBytes / 2 ** 20,
    rssAfterLoadMiB: t.trial.memory!.rssAfterLoadBytes !== undefined ? t.trial.memory!.rssAfterLoadBytes / 2 ** 20 : null,
  }));
  if (values.length === 0) return undefined;
  const afterLoad = values.some((v) => v.rssAfterLoadMiB !== null);
  const title = `Memory (peak RSS of the runner's process tree): ${model}`;
  const y = { field: 'row', type: 'nominal', title: null, sort: values.map((v) => v.row), axis: { labelLimit: 240 } };
  return {
    id, title,
    spec: {
      ...base({ text: title, ...(afterLoad ? { subtitle: 'bar: peak RSS over the trial; black tick: RSS once the model was loaded' } : {}) }, values),
      height: rowsHeight(values.length),
      layer: [
        { mark: { type: 'bar' }, encoding: {
          y, x: { field: 'peakRssMiB', type: 'quantitative', title: 'peak RSS (MiB)' },
          color: colourEncoding(p, false),
          tooltip: [{ field: 'configuration', title: 'configuration' }, { field: 'peakRssMiB', title: 'peak RSS (MiB)', format: '.1f' }, { field: 'rssAfterLoadMiB', title: 'RSS after load (MiB)', format: '.1f' }],
        } },
        ...(afterLoad ? [{ transform: [{ filter: 'datum.rssAfterLoadMiB !== null' }], mark: { type: 'tick', color: '#111', thickness: 3 }, encoding: {
          y, x: { field: 'rssAfterLoadMiB', type: 'quantitative' },
        } }] : []),
      ],
    },
  };
}

/** Whether b is at least as good as a on both drawn axes and better on one (lower p99, higher y, or lower energy). */
function dominates2d(a: { p99: number; y: number }, b: { p99: number; y: number }, higherIsBetter: boolean): boolean {
  const yBetterEq = higherIsBetter ? b.y >= a.y : b.y <= a.y;
  const yBetter = higherIsBetter ? b.y > a.y : b.y < a.y;
  return b.p99 <= a.p99 && yBetterEq && (b.p99 < a.p99 || yBetter);
}

/**
 * Latency against measured energy per inference where there is any, else
 * against throughput; each point labelled. A member of the Pareto set that
 * looks dominated here is in the set for an objective not drawn (memory),
 * and its mark says so.
 */
export function paretoChart(id: string, model: string, trials: LabelledTrial[], p: Palette, rec?: ModelRecommendation): ChartSpec | undefined {
  const ok = okOnly(trials);
  if (ok.length < 2) return undefined;
  const front = new Set(rec?.paretoKeys ?? []);
  const measured = (t: OkTrial) => t.energy !== undefined && !t.energy.estimated && t.energy.energyPerItemJ !== undefined;
  const withEnergy = ok.filter((t) => measured(t.trial)).length >= 2;
  const drawn = withEnergy ? ok.filter((t) => measured(t.trial)) : ok;
  const yOf = (t: OkTrial) => (withEnergy ? t.energy!.energyPerItemJ! : t.throughputPerS);
  const points = drawn.map((t) => ({ t, p99: t.trial.latencyMs.p99, y: yOf(t.trial) }));
  const values = points.map(({ t, p99, y }) => {
    const inFront = front.has(t.trial.key);
    const hidden = inFront && points.some((o) => o.t !== t && dominates2d({ p99, y }, o, !withEnergy));
    return {
      series: p.short(t.series),
      configuration: t.label,
      label: shortConfig(p, t),
      p99Ms: p99,
      value: y,
      pareto: !inFront ? 'dominated' : hidden ? 'Pareto set (by an objective not drawn)' : 'Pareto set',
    };
  });
  const yTitle = withEnergy ? 'energy per inference (J/item)' : 'throughput (items/s)';
  const title = withEnergy ? `Latency against energy per inference: ${model}` : `Latency against throughput: ${model}`;
  const notes = [
    rec ? `Pareto set computed over ${rec.paretoObjectives.join(', ')}: filled marks` : '',
    values.some((v) => v.pareto.startsWith('Pareto set (')) ? 'diamonds are in the set for an objective not drawn here (e.g. memory)' : '',
  ].filter(Boolean);
  const x = { field: 'p99Ms', type: 'quantitative', title: 'p99 latency (ms)', scale: { type: 'log' } };
  const y = { field: 'value', type: 'quantitative', title: yTitle, scale: { type: 'log' }, axis: { format: withEnergy ? '.2~g' : '~s' } };
  return {
    id, title,
    spec: {
      ...base(notes.length ? { text: title, subtitle: notes } : title, values),
      height: 320,
      // Filled marks for the Pareto set, hollow for the rest: two layers, so colour keeps meaning configuration.
      layer: [
        ...[true, false].filter((inFront) => values.some((v) => (v.pareto !== 'dominated') === inFront)).map((inFront) => ({
          transform: [{ filter: inFront ? "datum.pareto !== 'dominated'" : "datum.pareto === 'dominated'" }],
          mark: { type: 'point', size: 110, strokeWidth: 2, filled: inFront, opacity: 0.9 },
          encoding: {
            x, y, color: colourEncoding(p, values),
            shape: { field: 'pareto', type: 'nominal', title: 'Pareto', scale: { domain: ['Pareto set', 'Pareto set (by an objective not drawn)', 'dominated'], range: ['circle', 'diamond', 'circle'] }, legend: null },
            tooltip: [{ field: 'configuration', title: 'configuration' }, { field: 'p99Ms', title: 'p99 latency (ms)', format: '.3~g' }, { field: 'value', title: yTitle, format: '.3~g' }, { field: 'pareto', title: 'Pareto' }],
          },
        })),
        {
          mark: { type: 'text', align: 'left', dx: 8, dy: -6, fontSize: 10, limit: 180 },
          encoding: { x, y, text: { field: 'label' }, color: { value: '#333' } },
        },
      ],
    },
  };
}

/** Unit conversions for timelines: bytes read in MiB. */
function timelineUnit(unit: string): { unit: string; scale: number } {
  return unit === 'bytes' ? { unit: 'MiB', scale: 1 / 2 ** 20 } : { unit, scale: 1 };
}

const SERIES_TITLES: Record<string, string> = { rssBytes: 'RSS of the runner\'s process tree', cpuCores: 'CPU (cores busy)', powerW: 'power' };

/** One timeline per probe series (memory, CPU, power), each configuration a line over the measured window. */
export function timelineCharts(idPrefix: string, model: string, trials: LabelledTrial[], p: Palette): ChartSpec[] {
  const ok = okOnly(trials);
  const names = [...new Set(ok.flatMap((t) => (t.trial.series ?? []).map((s) => s.name)))];
  const charts: ChartSpec[] = [];
  for (const [i, name] of names.entries()) {
    const values: object[] = [];
    let unit = '';
    for (const t of ok) {
      const s = t.trial.series?.find((x) => x.name === name);
      if (!s || s.values.length < 2) continue;
      const u = timelineUnit(s.unit);
      unit = u.unit;
      // Windows differ by orders of magnitude between scenarios: each line spans its own window, 0 to 100%.
      const windowMs = Math.max(s.tMs[s.tMs.length - 1], 1e-9);
      s.values.forEach((v, k) => values.push({ series: p.short(t.series), trial: t.label, configuration: t.label, tS: s.tMs[k] / 1000, windowPct: (100 * s.tMs[k]) / windowMs, value: v * u.scale }));
    }
    if (values.length === 0) continue;
    const what = SERIES_TITLES[name] ?? name;
    const title = `${what} over the measured window: ${model}`;
    charts.push({
      id: `${idPrefix}-timeline-${i}`, title,
      spec: {
        ...base(title, values),
        height: 220,
        mark: { type: 'line', interpolate: 'step-after', strokeWidth: 1.5 },
        encoding: {
          x: { field: 'windowPct', type: 'quantitative', title: 'share of the measured window (%)', scale: { domain: [0, 100] } },
          y: { field: 'value', type: 'quantitative', title: `${what} (${unit})`, axis: { format: '~s' } },
          color: colourEncoding(p, values as { series: string }[]),
          detail: { field: 'trial', type: 'nominal' },
          tooltip: [{ field: 'configuration', title: 'configuration' }, { field: 'tS', title: 'time (s)', format: '.2f' }, { field: 'value', title: `${what} (${unit})`, format: '.4~g' }],
        },
      },
    });
  }
  return charts;
}
