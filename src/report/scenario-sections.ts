/**
 * The per-model part of the HTML report: one section per model, holding a
 * subsection per scenario that ran (with its figures as a table and its
 * charts), efficiency, output agreement, timelines and energy. Subsections
 * with nothing to show are left out, never drawn empty.
 */
import type { OkTrial } from '../results/types.js';
import type { ModelRecommendation } from '../analysis/recommend.js';
import { sig3 } from '../analysis/format-units.js';
import { escapeHtml as h } from './escape.js';
import { energyCharts, latencyChart, memoryChart, paretoChart, throughputChart, timelineCharts, type ChartSpec } from './charts.js';
import { efficiencyChart, ensembleCharts, scanCharts, serverCharts } from './scenario-charts.js';
import { agreementOf, efficiencyOf, measuredPeakShareOf, ensembleOf, scanOf, serverOf } from './figures.js';
import { okOnly, type LabelledTrial, type ModelGroup } from './model-groups.js';
import { paletteFor, type Palette } from './palette.js';
import { samplesNeededForQuantileCI } from '../analysis/quantile-ci.js';

export interface ModelPart {
  html: string;
  charts: ChartSpec[];
}

const n3 = (x: number | null | undefined): string => (x === null || x === undefined || !Number.isFinite(x) ? '—' : sig3(x));

function swatch(p: Palette, t: LabelledTrial): string {
  const i = p.domain.indexOf(p.short(t.series));
  return `<span class="swatch" style="background:${h(p.range[i] ?? '#999')}"></span>`;
}

/** A table of rows keyed by configuration; the first column (the configuration) stays in view when the table scrolls. */
function table(head: string[], rows: string[][], cls = ''): string {
  return `<div class="scroll-x"><table class="figures ${cls}"><thead><tr>${head.map((x) => `<th scope="col">${x}</th>`).join('')}</tr></thead><tbody>${rows.map((r) => `<tr>${r.map((c, i) => (i === 0 ? `<th scope="row">${c}</th>` : `<td>${c}</td>`)).join('')}</tr>`).join('\n')}</tbody></table></div>`;
}

function configCell(p: Palette, t: LabelledTrial): string {
  return `${swatch(p, t)}<span title="${h(t.label)}">${h(p.short(t.series))} · batch ${t.trial.batchSize}</span>`;
}

function sub(id: string, title: string, body: string): string {
  return `<section class="sub" id="${h(id)}"><h3>${h(title)}</h3>\n${body}</section>`;
}

function latencyTable(p: Palette, ok: (LabelledTrial & { trial: OkTrial })[]): string {
  const needP99 = samplesNeededForQuantileCI(0.99);
  const rows = ok.map((t) => {
    const l = t.trial.latencyMs;
    return [configCell(p, t), n3(l.median), `${n3(l.ciLow)}..${n3(l.ciHigh)}`, n3(l.p90), n3(l.p95), `${n3(l.p99)}${l.n < needP99 ? '<sup>*</sup>' : ''}`, n3(l.min), n3(l.max), String(l.n), n3(t.trial.throughputPerS), t.trial.converged ? 'yes' : '<span class="no">no</span>'];
  });
  const few = ok.some((t) => t.trial.latencyMs.n < needP99);
  return table(['configuration', 'median (ms)', '95% CI (ms)', 'p90 (ms)', 'p95 (ms)', 'p99 (ms)', 'min (ms)', 'max (ms)', 'samples', 'throughput (items/s)', 'converged'], rows)
    + (few ? `<p class="muted small"><sup>*</sup> p99 from fewer than ${needP99} samples: the figure is measured, but no 95% confidence interval can be given for it (raise --min-samples).</p>` : '');
}

function scanPart(p: Palette, trials: LabelledTrial[]): string {
  const scans = trials.filter((t) => scanOf(t.trial));
  if (scans.length === 0) return '';
  const rows = scans.map((t) => {
    const s = scanOf(t.trial)!;
    return [`${swatch(p, t)}<span title="${h(t.label)}">${h(p.short(t.series))}</span>`, h(s.batches.join(', ')), h(s.bestBatch ?? 'none'), n3(s.bestThroughputPerS), h(s.stoppedBecause), h(s.detail)];
  });
  return table(['configuration', 'batches tried', 'best batch', 'best throughput (items/s)', 'stopped because', 'detail'], rows, 'wrap');
}

function serverPart(p: Palette, trials: LabelledTrial[]): string {
  const runs = trials.filter((t) => serverOf(t.trial));
  return runs.map((t) => {
    const s = serverOf(t.trial)!;
    const verdict = s.held
      ? `${s.p99BoundMs !== null ? `highest offered rate with p99 within ${n3(s.p99BoundMs)} ms` : 'rate held'}: <strong>${n3(s.maxRatePerS)} queries/s</strong>`
      : `no rate tried was held; the highest achieved rate was ${n3(s.highestAchievedPerS)} queries/s`;
    const rows = s.attempts.map((a) => [n3(a.ratePerS), n3(a.achievedPerS), n3(a.p50Ms), n3(a.p99Ms), n3(a.meanQueueMs), n3(a.meanBatch), a.held ? 'yes' : '<span class="no">no</span>']);
    return `<p>${configCell(p, t)}: ${verdict}${s.maxBatch !== undefined ? ` <span class="muted">(batches up to ${h(s.maxBatch)}, waiting up to ${h(s.maxWaitMs ?? 0)} ms)</span>` : ''}</p>`
      + table(['offered (queries/s)', 'achieved (queries/s)', 'p50 (ms)', 'p99 (ms)', 'mean queue (ms)', 'mean batch', 'held'], rows);
  }).join('\n');
}

function ensemblePart(p: Palette, trials: LabelledTrial[]): string {
  return okOnly(trials).filter((t) => ensembleOf(t.trial)).map((t) => {
    const e = ensembleOf(t.trial)!;
    const rows = e.members.map((m) => [h(m.model), n3(m.aloneMedianMs), n3(m.coLocatedMedianMs), `x${n3(m.slowdown)}`, n3(m.alonePerS), n3(m.coLocatedPerS)]);
    const pred = e.prediction;
    let predText = '';
    if (pred && 'error' in pred) predText = `<p class="muted">The ensemble's prediction could not be checked: ${h(pred.error)}</p>`;
    else if (pred) {
      const agree = pred.top1AgreementWithMembers.map((a, i) => `${h(e.members[i]?.model ?? `member ${i + 1}`)}: ${n3(a * 100)}%`).join('; ');
      predText = `<p>The ensemble's prediction (the mean of the members' outputs, shape [${h(pred.shape.join(', '))}]): ${pred.finite ? 'finite' : '<strong>not finite</strong>'}, ${pred.withinMemberRange ? 'inside' : '<strong>outside</strong>'} the members' range.
Top-1 agreement with each member — the share of items whose highest-scoring class in the ensemble's output is that member's highest-scoring class too: ${agree}.
<span class="muted">0% means they never pick the same class: expected when the members' outputs are not class scores over the same classes.</span></p>`;
    }
    return `<p>${configCell(p, t)} (${h(e.mode)}): all members together serve <strong>${n3(e.aggregateCoLocatedPerS)} inferences/s</strong>; one after another they would serve ${n3(e.aggregateSequentialPerS)} (co-location speed-up x${n3(e.speedup)}). The slowdown is a member's median together over its median alone.</p>`
      + table(['member', 'median alone (ms)', 'median together (ms)', 'slowdown', 'alone (items/s)', 'together (items/s)'], rows) + predText;
  }).join('\n');
}

function efficiencyPart(p: Palette, trials: LabelledTrial[]): string {
  const rows = okOnly(trials).flatMap((t) => {
    const e = efficiencyOf(t.trial);
    const measured = measuredPeakShareOf(e);
    const pct = (x: number | undefined) => (x !== undefined ? `${n3(x * 100)}%` : '—');
    return e ? [[configCell(p, t), n3(e.macsPerItem / 1e6), n3(e.achievedGflops), pct(e.theoreticalPeakShare), n3(e.peakGflops), pct(measured)]] : [];
  });
  if (rows.length === 0) return '';
  // A CPU trial and a GPU trial have different ceilings: each one used is named.
  const derivations = [...new Set(okOnly(trials).map((t) => efficiencyOf(t.trial)?.theoreticalPeakDerivation).filter((d): d is string => d !== undefined))];
  return table(['configuration', 'MMACs per item', 'achieved GFLOP/s', 'share of theoretical peak', 'measured peak GFLOP/s', 'share of measured peak'], rows)
    + `<p class="muted small">GFLOP/s = 2 × MACs per item × counted items per second (convolution and matrix-product work only). The theoretical peak is the FP32 ceiling of what the trial ran on (the CPU, or a GPU provider's GPU)${derivations.length ? `: ${derivations.map(h).join('; ')}` : ''}; a share of it never exceeds 100%. The measured peak is what the same runtime, provider and thread count reach on a large matrix product in a runner on this machine, under the load of the moment: a share above 100% means that reference was measured low.</p>`;
}

function agreementPart(p: Palette, trials: LabelledTrial[]): string {
  const rows = okOnly(trials).flatMap((t) => {
    const a = agreementOf(t.trial);
    if (!a) return [];
    if (a.error !== undefined) return [[configCell(p, t), h(a.reference), '—', '—', '—', '—', `<span class="no">unchecked: ${h(a.error)}</span>`]];
    const verdict = a.withinTolerance ? '<span class="yes">agree</span>' : `<span class="status-failed">MISMATCH${a.mismatch ? `: ${h(a.mismatch)}` : ''}</span>`;
    return [[configCell(p, t), h(a.reference), n3(a.maxAbsError), n3(a.maxRelError), a.top1Agreement !== undefined ? `${n3(a.top1Agreement * 100)}%` : '—', a.tolerance ? `abs ${n3(a.tolerance.absTol)}, rel ${n3(a.tolerance.relTol)}` : '—', verdict]];
  });
  if (rows.length === 0) return '';
  return table(['configuration', 'reference', 'max abs error', 'max rel error', 'top-1 agreement', 'tolerance', 'verdict'], rows, 'wrap')
    + '<p class="muted small">Each trial\'s outputs on its seeded input, compared element by element with the reference runtime on the same input.</p>';
}

function charts(list: (ChartSpec | undefined)[]): ChartSpec[] {
  return list.filter((c): c is ChartSpec => c !== undefined);
}

export function chartBlocks(list: ChartSpec[], block: (c: ChartSpec) => string): string {
  return list.map(block).join('\n');
}

/** Everything measured for one model, in reading order. */
export function modelPart(index: number, group: ModelGroup, block: (c: ChartSpec) => string, rec?: ModelRecommendation, machine?: string): ModelPart {
  const id = `m${index}`;
  const p = paletteFor(group.trials);
  const all: ChartSpec[] = [];
  const parts: string[] = [];
  const add = (subId: string, title: string, html: string, list: ChartSpec[]) => {
    if (!html && list.length === 0) return;
    // The legends show short labels; the page script puts each full label on hover.
    for (const c of list) c.spec.usermeta = { fullLabels: p.full };
    all.push(...list);
    parts.push(sub(`${id}-${subId}`, title, `${html}\n${chartBlocks(list, block)}`));
  };
  const byScenario = (names: string[]) => group.trials.filter((t) => names.includes(t.trial.scenario));
  const plain = okOnly(byScenario(['single-stream']));
  if (plain.length) {
    add('single-stream', 'Single-stream: latency percentiles', latencyTable(p, plain), charts([
      throughputChart(`${id}-throughput`, group.path, byScenario(['single-stream']), p),
      latencyChart(`${id}-latency`, group.path, byScenario(['single-stream']), p),
    ]));
  }
  const offline = byScenario(['offline']);
  if (okOnly(offline).length || offline.some((t) => scanOf(t.trial))) {
    add('offline', 'Offline: throughput and the batch scan', `${scanPart(p, offline)}${okOnly(offline).length ? latencyTable(p, okOnly(offline)) : ''}`,
      // A scan's own chart already draws throughput against batch.
      charts([...scanCharts(id, group.path, offline, p), offline.some((t) => scanOf(t.trial)) ? undefined : throughputChart(`${id}-offline-throughput`, group.path, offline, p)]));
  }
  const server = byScenario(['server']);
  if (server.some((t) => serverOf(t.trial))) add('server', 'Server: offered against achieved rate, p99 against rate', serverPart(p, server), serverCharts(id, group.path, server, p));
  const ensemble = byScenario(['ensemble']);
  if (okOnly(ensemble).some((t) => ensembleOf(t.trial))) add('ensemble', 'Ensemble: members alone and together', ensemblePart(p, ensemble), ensembleCharts(id, group.path, ensemble, p));
  add('efficiency', 'Efficiency: GFLOP/s and share of peak', efficiencyPart(p, group.trials), charts([efficiencyChart(`${id}-efficiency`, group.path, group.trials, p)]));
  add('agreement', 'Output agreement with the reference, per trial', agreementPart(p, group.trials), []);
  add('memory', 'Memory and CPU', '', charts([memoryChart(`${id}-memory`, group.path, group.trials, p), ...timelineCharts(id, group.path, group.trials, p)]));
  add('energy', 'Energy', '', energyCharts(id, group.path, group.trials, p));
  add('pareto', 'Trade-offs', '', charts([paretoChart(`${id}-pareto`, group.path, group.trials, p, rec)]));
  const body = parts.length ? parts.join('\n') : `<p class="muted">No ok trials for this model: nothing measured to show.</p>`;
  return {
    html: `<section class="model" id="model-${index}"><h2>${machine ? `${h(machine)}: ` : ''}${h(group.path)} <span class="muted small">sha256 ${h(group.sha256.slice(0, 12))}</span></h2>\n${body}</section>`,
    charts: all,
  };
}
