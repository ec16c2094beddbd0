/** The HTML report's sections, each a pure function to an escaped HTML fragment. */
import type { StoredRun } from '../store/types.js';
import type { Recommendation } from '../analysis/recommend.js';
import { formatBound, formatValue, sig3 } from '../analysis/format-units.js';
import { configLabel } from '../analysis/config-label.js';
import { escapeHtml as h, jsonForScript } from './escape.js';
import type { ChartSpec } from './charts.js';
import { toRow, type ResultRow } from './results-rows.js';
import { groupWarnings, probeWarnings } from './warning-groups.js';
import { hostnameOf } from './machine-groups.js';

export function runsSection(runs: StoredRun[]): string {
  const rows = runs.map(({ run }) => `<tr><td>${h(run.id)}</td><td>${h(run.startedAt)}</td><td>${h(run.command ?? '')}</td>
    <td>${h(run.models.join(', '))}</td><td>${h(run.runtimes.join(', '))}</td>
    <td data-v="${run.trialCount}">${run.trialCount} (${run.okCount} ok, ${run.failedCount} failed, ${run.skippedCount} skipped)</td><td>${h(run.toolVersion)}</td></tr>`);
  return `<div class="scroll-x"><table class="compact"><thead><tr><th>run</th><th>started (UTC)</th><th>command</th><th>models</th><th>runtimes</th><th>trials</th><th>infermark</th></tr></thead>
<tbody>${rows.join('\n')}</tbody></table></div>`;
}

export function summarySection(recs: { runId: string; rec: Recommendation }[], many: boolean): string {
  const parts: string[] = [];
  for (const { runId, rec } of recs) {
    for (const m of rec.models) {
      const heading = `${many ? `run ${runId}: ` : ''}${m.model.path}`;
      const rows = m.objectives.map((o) => {
        if (!o.winner) return `<tr><th scope="row">${h(o.title)}</th><td colspan="4" class="muted">${h(o.note ?? 'no data')}</td></tr>`;
        const ci = o.winner.ciLow !== undefined && o.winner.ciHigh !== undefined ? ` <span class="muted">[${h(formatBound(o.winner.ciLow, o.unit))}..${h(formatBound(o.winner.ciHigh, o.unit))}]</span>` : '';
        const runner = o.runnerUp ? `${h(o.runnerUp.label)}: ${h(formatValue(o.runnerUp.value, o.unit))}` : '—';
        const margin = o.marginPct !== undefined ? `${h(sig3(o.marginPct))}%` : '—';
        const sig = o.runnerUp ? (o.significant ? '<span class="yes">significant</span>' : `<span class="no" title="${h(o.note ?? '')}">not significant</span>`) : '—';
        return `<tr><th scope="row">${h(o.title)}</th><td><strong>${h(o.winner.label)}</strong><br>${h(formatValue(o.winner.value, o.unit))}${ci}</td><td>${runner}</td><td>${margin}</td><td>${sig}${o.note && o.runnerUp ? `<br><span class="muted small">${h(o.note)}</span>` : ''}</td></tr>`;
      });
      const front = m.pareto.map((p) => `<li>${h(p.label)}</li>`).join('');
      parts.push(`<h3>${h(heading)}</h3>
<div class="scroll-x"><table class="summary"><thead><tr><th>objective</th><th>winner (95% CI)</th><th>runner-up</th><th>margin</th><th>significance</th></tr></thead><tbody>${rows.join('\n')}</tbody></table></div>
<p>Pareto set over ${h(m.paretoObjectives.join(', '))}: ${m.pareto.length} of ${m.configurations} configurations.</p><ul class="pareto">${front}</ul>${excludedList(m.excluded)}`);
    }
  }
  return parts.length ? parts.join('\n') : '<p class="muted">No ok trials: nothing to recommend.</p>';
}

/**
 * A chart's title and notes go in a caption, as HTML text that wraps on a
 * narrow screen; Vega would draw them on one line and a phone would cut them.
 */
export function chartBlock(chart: ChartSpec): string {
  const { title, ...spec } = chart.spec;
  const t = typeof title === 'object' && title !== null ? title as { text: string; subtitle?: string | string[] } : { text: String(title ?? chart.title) };
  const notes = t.subtitle === undefined ? [] : Array.isArray(t.subtitle) ? t.subtitle : [t.subtitle];
  return `<figure class="chart-figure"><figcaption><strong>${h(t.text)}</strong>${notes.map((n) => `<br><span class="muted small">${h(n)}</span>`).join('')}</figcaption>
<div class="chart" id="${h(chart.id)}" data-chart="${h(chart.id)}" role="img" aria-label="${h(chart.title)}"></div>
<script type="application/json" id="spec-${h(chart.id)}">${jsonForScript(spec)}</script></figure>`;
}

type Cell = { text: string; v?: string | number; cls?: string };
/** `optional` columns start hidden and can be shown from the column chooser; an all-empty column is left out. */
type Col = { title: string; optional?: boolean; wrap?: boolean; value: (r: ResultRow) => Cell };

const num = (x: number | undefined, unit = ''): Cell => (x === undefined ? { text: '' } : { text: `${sig3(x)}${unit}`, v: x });

const COLUMNS: Col[] = [
  { title: 'model', wrap: true, value: (r) => ({ text: r.model }) },
  { title: 'configuration', wrap: true, value: (r) => ({ text: `${r.runtime}/${r.provider}${r.settings ? ` ${r.settings}` : ''}` }) },
  { title: 'batch', value: (r) => ({ text: String(r.batchSize), v: r.batchSize }) },
  { title: 'scenario', value: (r) => ({ text: r.scenario }) },
  { title: 'status', value: (r) => ({ text: r.status, cls: `status-${r.status}` }) },
  { title: 'median (ms)', value: (r) => num(r.medianMs) },
  { title: '95% CI (ms)', optional: true, value: (r) => (r.ciLowMs === undefined ? { text: '' } : { text: `${sig3(r.ciLowMs)}..${sig3(r.ciHighMs!)}`, v: r.ciLowMs }) },
  { title: 'p99 (ms)', value: (r) => num(r.p99Ms) },
  { title: 'throughput (items/s)', value: (r) => num(r.throughputPerS) },
  { title: 'GFLOP/s', value: (r) => num(r.achievedGflops) },
  { title: 'share of theoretical peak', optional: true, value: (r) => (r.theoreticalPeakShare === undefined ? { text: '' } : { text: `${sig3(r.theoreticalPeakShare * 100)}%`, v: r.theoreticalPeakShare }) },
  { title: 'share of measured peak', optional: true, value: (r) => (r.peakShare === undefined ? { text: '' } : { text: `${sig3(r.peakShare * 100)}%`, v: r.peakShare }) },
  { title: 'load (ms)', optional: true, value: (r) => num(r.loadMs) },
  { title: 'load details', optional: true, wrap: true, value: (r) => ({ text: r.loadDetails ?? '' }) },
  { title: 'first inference (ms)', optional: true, value: (r) => num(r.firstInferenceMs) },
  { title: 'compile cold (ms)', optional: true, value: (r) => num(r.compileColdMs) },
  { title: 'compile warm (ms)', optional: true, value: (r) => num(r.compileWarmMs) },
  { title: 'CPU (cores busy)', optional: true, value: (r) => num(r.coresBusy) },
  { title: 'peak RSS (MiB)', value: (r) => (r.peakRssBytes === undefined ? { text: '' } : { text: sig3(r.peakRssBytes / 2 ** 20), v: r.peakRssBytes }) },
  { title: 'energy (J/item)', value: (r) => (r.energyPerItemJ === undefined ? { text: '' } : { text: `${sig3(r.energyPerItemJ)}${r.energyEstimated ? ' (estimate)' : ''}`, v: r.energyPerItemJ, cls: r.energyEstimated ? 'estimate' : undefined }) },
  { title: 'power (W)', optional: true, value: (r) => (r.averagePowerW === undefined ? { text: '' } : { text: `${sig3(r.averagePowerW)}${r.energyEstimated ? ' (estimate)' : ''}`, v: r.averagePowerW, cls: r.energyEstimated ? 'estimate' : undefined }) },
  { title: 'outputs', value: (r) => ({ text: r.agreement ?? '' }) },
  { title: 'samples', optional: true, value: (r) => num(r.samples) },
  { title: 'converged', optional: true, value: (r) => ({ text: r.converged === undefined ? '' : r.converged ? 'yes' : 'no' }) },
  { title: 'warnings', value: (r) => ({ text: String(r.warnings), v: r.warnings }) },
];

export function resultsTable(runs: StoredRun[]): string {
  const many = runs.length > 1;
  const rows = runs.flatMap(({ run, trials }) => trials.map((t) => ({ ...toRow(run.id, t), machine: hostnameOf(t, run) })));
  const machines = new Set(rows.map((r) => r.machine)).size > 1;
  const all: Col[] = [
    ...(machines ? [{ title: 'machine', value: (r: ResultRow) => ({ text: r.machine ?? '' }) }] : []),
    ...(many ? [{ title: 'run', value: (r: ResultRow) => ({ text: r.run }) }] : []),
    ...COLUMNS,
  ];
  // A column no trial fills says nothing: leave it out rather than draw it empty.
  const cols = all.filter((c) => c.title === 'warnings' || rows.some((r) => c.value(r).text !== ''));
  const attrs = (c: Col, i: number) => ` data-col="${i}"${c.optional ? ' hidden' : ''}${c.wrap ? ' class="wrap"' : ''}`;
  const head = cols.map((c, i) => `<th scope="col" title="click to sort"${attrs(c, i)}>${h(c.title)}</th>`).join('');
  const body = rows.map((r) => `<tr>${cols.map((c, i) => {
    const cell = c.value(r);
    const v = cell.v !== undefined ? ` data-v="${h(cell.v)}"` : '';
    const cls = [cell.cls, c.wrap ? 'wrap' : ''].filter(Boolean).join(' ');
    return `<td data-col="${i}"${c.optional ? ' hidden' : ''}${v}${cls ? ` class="${h(cls)}"` : ''}>${h(cell.text)}</td>`;
  }).join('')}</tr>`).join('\n');
  const chooser = cols.map((c, i) => (c.optional ? `<label><input type="checkbox" data-toggle-col="${i}"> ${h(c.title)}</label>` : '')).filter(Boolean).join(' ');
  return `<p><label>Filter: <input id="results-filter" type="search" placeholder="e.g. ort-node batch 8" size="30"></label>
<span id="results-count" class="muted">${rows.length} trials</span> <span class="muted">— click a column title to sort</span></p>
${chooser ? `<details class="columns"><summary>More columns</summary><p>${chooser}</p></details>` : ''}
<div class="scroll"><table id="results-table" class="results"><thead><tr>${head}</tr></thead><tbody>
${body}
</tbody></table></div>`;
}

export function failuresSection(runs: StoredRun[]): string {
  const items: string[] = [];
  for (const { run, trials } of runs) {
    for (const t of trials) {
      if (t.status === 'failed') {
        const tail = t.error.stderrTail ? `<pre>${h(t.error.stderrTail)}</pre>` : '';
        const exit = [t.error.exitCode != null ? `exit code ${t.error.exitCode}` : '', t.error.signal ? `signal ${t.error.signal}` : ''].filter(Boolean).join(', ');
        items.push(`<li class="failed"><strong>failed</strong> (${h(t.error.kind)}${exit ? `, ${h(exit)}` : ''}): ${h(t.model.path)} — ${h(configLabel(t))}${runs.length > 1 ? ` <span class="muted">[run ${h(run.id)}]</span>` : ''}<br>${h(t.error.message)}${tail}</li>`);
      } else if (t.status === 'skipped') {
        items.push(`<li class="skipped"><strong>skipped</strong>: ${h(t.model.path)} — ${h(configLabel(t))}<br>${h(t.reason)}</li>`);
      }
    }
  }
  return items.length ? `<ul class="issues">${items.join('\n')}</ul>` : '<p class="muted">Every trial ran.</p>';
}

/** Warnings by kind: the remedy once, then every trial it applies to with its own message. */
export function warningsSection(runs: StoredRun[]): string {
  const groups = groupWarnings(runs.flatMap((r) => r.trials), probeWarnings);
  if (groups.length === 0) return '<p class="muted">No warnings.</p>';
  return groups.map((g) => `<details class="warning-group" open><summary><code>${h(g.code)}</code>: ${g.trials.length} trial(s)</summary>
${g.remedies.map((r) => `<p class="remedy">remedy: ${h(r)}</p>`).join('')}
<ul class="issues">${g.trials.map((t) => `<li>${h(t.model)} — ${h(t.label)}: ${h(t.message)}</li>`).join('\n')}</ul></details>`).join('\n');
}

/** Configurations the recommendation left out (failed, outputs disagree, did not converge), with the reason. */
function excludedList(excluded: { label: string; reason: string }[]): string {
  if (excluded.length === 0) return '';
  const items = excluded.map((e) => `<li>${h(e.label)}: <span class="muted">${h(e.reason)}</span></li>`).join('');
  return `<p>Not recommended (${excluded.length}):</p><ul class="excluded">${items}</ul>`;
}
