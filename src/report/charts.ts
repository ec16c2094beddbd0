/**
 * Chart specifications as data: pure functions from results to Vega-Lite
 * specs. Tests check them as JSON; the HTML report hands them to vega-embed.
 * Every axis title carries its unit.
 */
import type { OkTrial } from '../results/types.js';
import type { ModelRecommendation } from '../analysis/recommend.js';
import { okOnly, type LabelledTrial, type ModelGroup } from './model-groups.js';

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
const WIDTH = 640;

function base(title: string, values: object[]): VegaLiteSpec {
  return { $schema: SCHEMA, title, width: WIDTH, data: { values }, config: { font: 'system-ui, sans-serif' } };
}

/** Evenly spaced order statistics: keeps the distribution's shape with fewer points. */
export function thinSamples(samples: readonly number[], max = MAX_SAMPLES_PER_CONFIG): number[] {
  const sorted = [...samples].sort((a, b) => a - b);
  if (sorted.length <= max) return sorted;
  return Array.from({ length: max }, (_, i) => sorted[Math.round((i * (sorted.length - 1)) / (max - 1))]);
}

export function throughputChart(id: string, model: string, trials: LabelledTrial[]): ChartSpec | undefined {
  const values = okOnly(trials).map((t) => ({ series: t.series, batchSize: t.trial.batchSize, throughputPerS: t.trial.throughputPerS, configuration: t.label }));
  if (values.length === 0) return undefined;
  const title = `Throughput against batch size: ${model}`;
  return {
    id, title,
    spec: {
      ...base(title, values),
      height: 320,
      mark: { type: 'line', point: true },
      encoding: {
        x: { field: 'batchSize', type: 'quantitative', title: 'batch size (items)', scale: { type: 'log', base: 2 }, axis: { tickMinStep: 1 } },
        y: { field: 'throughputPerS', type: 'quantitative', title: 'throughput (items/s)', scale: { type: 'log' } },
        color: { field: 'series', type: 'nominal', title: 'runtime / settings' },
        tooltip: [{ field: 'configuration', title: 'configuration' }, { field: 'throughputPerS', title: 'items/s', format: '.3~s' }],
      },
    },
  };
}

export function latencyChart(id: string, model: string, trials: LabelledTrial[]): ChartSpec | undefined {
  const ok = okOnly(trials);
  const values = ok.flatMap((t) => thinSamples(t.trial.samplesMs ?? []).map((latencyMs) => ({ configuration: t.label, latencyMs })));
  if (values.length === 0) return undefined;
  const title = `Latency distribution per configuration: ${model}`;
  return {
    id, title,
    spec: {
      ...base(title, values),
      height: { step: 22 },
      mark: { type: 'boxplot', extent: 'min-max', size: 14 },
      encoding: {
        y: { field: 'configuration', type: 'nominal', title: null, sort: ok.map((t) => t.label), axis: { labelLimit: 420 } },
        x: { field: 'latencyMs', type: 'quantitative', title: 'latency per call (ms)', scale: { type: 'log' } },
        color: { field: 'configuration', type: 'nominal', legend: null },
      },
    },
  };
}

function energyRows(trials: LabelledTrial[]) {
  return okOnly(trials)
    .filter((t) => t.trial.energy && (t.trial.energy.energyPerItemJ !== undefined || t.trial.energy.averagePowerW !== undefined))
    .map((t) => {
      const e = t.trial.energy!;
      const source = e.estimated ? 'estimate' : 'measured';
      return {
        // The label itself says "estimate", so the mark is never read as a measurement.
        configuration: e.estimated ? `(estimate) ${t.label}` : t.label,
        source,
        energyPerItemJ: e.energyPerItemJ ?? null,
        averagePowerW: e.averagePowerW ?? null,
        sensors: [...new Set(e.readings.map((r) => `${r.source}:${r.domain}`))].join(', '),
      };
    });
}

export function energyChart(id: string, model: string, trials: LabelledTrial[]): ChartSpec | undefined {
  const values = energyRows(trials);
  if (values.length === 0) return undefined;
  const title = `Energy per inference and average power: ${model}`;
  const sourceScale = { domain: ['measured', 'estimate'], range: ['#1f77b4', '#ff9f1c'] };
  const order = values.map((v) => v.configuration);
  const bar = (field: string, axisTitle: string): VegaLiteSpec => ({
    width: 240,
    height: { step: 22 },
    mark: { type: 'bar' },
    encoding: {
      y: { field: 'configuration', type: 'nominal', title: null, sort: order, axis: { labelLimit: 280 } },
      x: { field, type: 'quantitative', title: axisTitle },
      color: { field: 'source', type: 'nominal', title: 'energy source', scale: sourceScale },
      opacity: { condition: { test: "datum.source === 'estimate'", value: 0.55 }, value: 1 },
      strokeDash: { condition: { test: "datum.source === 'estimate'", value: [4, 2] }, value: [1, 0] },
      stroke: { value: '#333' },
      tooltip: [{ field: 'configuration' }, { field, format: '.3~s' }, { field: 'source' }, { field: 'sensors' }],
    },
  });
  const { width: _w, ...rest } = base(title, values);
  return {
    id, title,
    spec: { ...rest, hconcat: [bar('energyPerItemJ', 'energy per inference (J/item)'), bar('averagePowerW', 'average power (W)')] },
  };
}

export function memoryChart(id: string, model: string, trials: LabelledTrial[]): ChartSpec | undefined {
  const values = okOnly(trials).filter((t) => t.trial.memory).map((t) => ({
    configuration: t.label,
    peakRssMiB: t.trial.memory!.peakRssBytes / 2 ** 20,
    rssAfterLoadMiB: t.trial.memory!.rssAfterLoadBytes !== undefined ? t.trial.memory!.rssAfterLoadBytes / 2 ** 20 : null,
  }));
  if (values.length === 0) return undefined;
  const title = `Memory (peak RSS of the runner's process tree): ${model}`;
  return {
    id, title,
    spec: {
      ...base(title, values),
      title: { text: title, subtitle: 'bar: peak RSS over the trial; yellow tick: RSS after the model was loaded' },
      height: { step: 22 },
      layer: [
        { mark: { type: 'bar', color: '#6a4c93' }, encoding: {
          y: { field: 'configuration', type: 'nominal', title: null, sort: values.map((v) => v.configuration), axis: { labelLimit: 420 } },
          x: { field: 'peakRssMiB', type: 'quantitative', title: 'peak RSS (MiB)' },
          tooltip: [{ field: 'configuration' }, { field: 'peakRssMiB', title: 'peak RSS (MiB)', format: '.1f' }, { field: 'rssAfterLoadMiB', title: 'RSS after load (MiB)', format: '.1f' }],
        } },
        { mark: { type: 'tick', color: '#ffbe0b', thickness: 3 }, encoding: {
          y: { field: 'configuration', type: 'nominal', sort: values.map((v) => v.configuration) },
          x: { field: 'rssAfterLoadMiB', type: 'quantitative' },
        } },
      ],
    },
  };
}

/**
 * Latency against energy per inference where any energy figure exists (estimates
 * drawn as hollow marks), else against throughput. The Pareto set is coloured.
 */
export function paretoChart(id: string, model: string, trials: LabelledTrial[], rec?: ModelRecommendation): ChartSpec | undefined {
  const ok = okOnly(trials);
  if (ok.length === 0) return undefined;
  const front = new Set(rec?.paretoKeys ?? []);
  const withEnergy = ok.some((t) => t.trial.energy?.energyPerItemJ !== undefined);
  const yField = withEnergy ? 'energyPerItemJ' : 'throughputPerS';
  const values = ok
    .filter((t) => !withEnergy || t.trial.energy?.energyPerItemJ !== undefined)
    .map((t) => ({
      configuration: t.label,
      p99Ms: t.trial.latencyMs.p99,
      throughputPerS: t.trial.throughputPerS,
      energyPerItemJ: t.trial.energy?.energyPerItemJ ?? null,
      energySource: energySource(t.trial),
      pareto: front.has(t.trial.key) ? 'Pareto set' : 'dominated',
    }));
  const title = withEnergy ? `Latency against energy per inference: ${model}` : `Latency against throughput: ${model}`;
  const encoding = {
    x: { field: 'p99Ms', type: 'quantitative', title: 'p99 latency (ms)', scale: { type: 'log' } },
    y: { field: yField, type: 'quantitative', title: withEnergy ? 'energy per inference (J/item)' : 'throughput (items/s)', scale: { type: 'log' } },
    color: { field: 'pareto', type: 'nominal', title: 'Pareto', scale: { domain: ['Pareto set', 'dominated'], range: ['#d62828', '#8d99ae'] } },
    shape: withEnergy
      ? { field: 'energySource', type: 'nominal', title: 'energy source', scale: { domain: ['measured', 'estimate'], range: ['circle', 'triangle-up'] } }
      : { value: 'circle' },
    tooltip: [{ field: 'configuration' }, { field: 'p99Ms', title: 'p99 (ms)', format: '.3~s' }, { field: yField, format: '.3~s' }, { field: 'energySource', title: 'energy source' }, { field: 'pareto' }],
  };
  // Estimates are drawn hollow, in a layer of their own: the eye reads a filled mark as a measurement.
  const layer = (filled: boolean, test: string) => ({ transform: [{ filter: test }], mark: { type: 'point', size: 90, strokeWidth: 2, filled }, encoding });
  return {
    id, title,
    spec: {
      ...base(title, values),
      title: { text: title, subtitle: rec ? `Pareto set computed over ${rec.paretoObjectives.join(', ')}; hollow marks are energy estimates` : 'hollow marks are energy estimates' },
      height: 320,
      // An empty layer would make Vega warn about an infinite extent: add only the layers with points.
      layer: [
        ...(values.some((v) => v.energySource !== 'estimate') ? [layer(true, "datum.energySource !== 'estimate'")] : []),
        ...(values.some((v) => v.energySource === 'estimate') ? [layer(false, "datum.energySource === 'estimate'")] : []),
      ],
    },
  };
}

function energySource(t: OkTrial): string {
  if (!t.energy || t.energy.energyPerItemJ === undefined) return 'none';
  return t.energy.estimated ? 'estimate' : 'measured';
}

/** Every chart for one model, in report order; charts with no data are left out. */
export function chartsForModel(index: number, group: ModelGroup, rec?: ModelRecommendation): ChartSpec[] {
  const p = `m${index}`;
  return [
    throughputChart(`${p}-throughput`, group.path, group.trials),
    latencyChart(`${p}-latency`, group.path, group.trials),
    energyChart(`${p}-energy`, group.path, group.trials),
    memoryChart(`${p}-memory`, group.path, group.trials),
    paretoChart(`${p}-pareto`, group.path, group.trials, rec),
  ].filter((c): c is ChartSpec => c !== undefined);
}
