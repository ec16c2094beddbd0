/**
 * One colour per configuration across every chart of a model, and a short
 * legend label for it: the parts every configuration shares are left out,
 * long setting names are cut to their first word. The full label stays in
 * each mark's tooltip.
 */
import type { LabelledTrial } from './model-groups.js';

/** Tableau's ten, then ten more of matching weight: distinct for the eye and in print. */
const COLOURS = [
  '#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac',
  '#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#8c564b', '#e377c2', '#17becf', '#bcbd22', '#7f7f7f', '#393b79',
];

/** Longest legend label kept whole; longer ones lose their setting names' tails. */
const SHORT_MAX = 30;

export interface Palette {
  /** Short labels, in order of first appearance: the colour scale's domain. */
  domain: string[];
  range: string[];
  /** Short label of a trial's series. */
  short(series: string): string;
  /** Short label to the full one: the legend shows it on hover. */
  full: Record<string, string>;
}

function cutKey(token: string): string {
  const eq = token.indexOf('=');
  if (eq < 0) return token;
  const key = token.slice(0, eq);
  const first = /^[a-z]+|^[A-Z][a-z]*/.exec(key)?.[0] ?? key;
  return `${first.length < key.length ? `${first}…` : key}${token.slice(eq)}`;
}

/** A run id (20251123-084812-k3f9) is told apart by its last four characters. */
const RUN_ID = /^\d{8}-\d{6}-([a-z0-9]{4})$/;

/** Short labels for series labels, unique, in the same order. */
export function shortLabels(full: string[]): string[] {
  const series = full.map((s) => s.split(' ').map((t) => (RUN_ID.test(t) ? `run\u00a0${RUN_ID.exec(t)![1]}:` : t)).join(' '));
  if (series.length <= 1) return series.map((s) => (s.length > SHORT_MAX ? s.split(' ').map(cutKey).join(' ') : s));
  const tokens = series.map((s) => s.split(' '));
  const common = new Set(tokens[0].filter((t) => tokens.every((ts) => ts.includes(t))));
  const shorts = tokens.map((ts, i) => {
    const kept = ts.filter((t) => !common.has(t));
    const text = kept.length ? kept.join(' ') : series[i];
    return text.length > SHORT_MAX ? text.split(' ').map(cutKey).join(' ') : text;
  });
  // Two configurations must never share a legend entry: fall back to the full labels.
  return new Set(shorts).size === shorts.length ? shorts : full;
}

export function paletteFor(trials: LabelledTrial[]): Palette {
  const series = [...new Set(trials.map((t) => t.series))];
  const shorts = shortLabels(series);
  const map = new Map(series.map((s, i) => [s, shorts[i]]));
  return {
    domain: shorts,
    range: shorts.map((_, i) => COLOURS[i % COLOURS.length]),
    short: (s) => map.get(s) ?? s,
    full: Object.fromEntries(series.map((s, i) => [shorts[i], s])),
  };
}

/** The colour channel every chart of a model uses: the same configuration, the same colour. */
export function colourEncoding(p: Palette, legend: boolean | { series: string }[] = true): Record<string, unknown> {
  // The scale holds every configuration of the model (same colours everywhere); the legend only those drawn here.
  const shown = Array.isArray(legend) ? p.domain.filter((d) => legend.some((v) => v.series === d)) : p.domain;
  return {
    field: 'series', type: 'nominal', title: 'configuration',
    scale: { domain: p.domain, range: p.range },
    // Below the plot, in columns, so a narrow page wraps the legend instead of cutting it.
    legend: legend ? { orient: 'bottom', direction: 'horizontal', columns: shown.length > 4 ? 2 : 1, labelLimit: 220, symbolType: 'circle', values: shown } : null,
  };
}
