/** A Markdown summary for a pull request: winners, one table, failures, warnings. */
import type { StoredRun } from '../store/types.js';
import { recommend } from '../analysis/recommend.js';
import { formatValue, sig3 } from '../analysis/format-units.js';
import { configLabel } from '../analysis/config-label.js';
import { toRow } from './results-rows.js';
import { sharedAcrossRuns } from './model-groups.js';
import { groupByMachine, hostnameOf } from './machine-groups.js';
import { runStateText } from '../store/recorder.js';

/**
 * GitHub renders inline HTML in Markdown, so user text is escaped as HTML
 * too; pipes would split table cells and backticks would open code spans.
 */
export function mdText(value: unknown): string {
  return String(value ?? '')
    .replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
    .replace(/\|/g, '\\|').replace(/`/g, '\\`').replace(/\*/g, '\\*').replace(/_/g, '\\_')
    .replace(/[\r\n]+/g, ' ');
}

const n = (x: number | undefined): string => (x === undefined ? '' : sig3(x));

export function renderMarkdown(runs: StoredRun[], opts: { title?: string } = {}): string {
  const out: string[] = [];
  out.push(`## ${mdText(opts.title ?? (runs.length === 1 ? `infermark run ${runs[0].run.id}` : `infermark: ${runs.length} runs`))}`, '');
  for (const { run } of runs) {
    out.push(`- run \`${run.id}\`: ${run.trialCount} trials (${run.okCount} ok, ${run.failedCount} failed, ${run.skippedCount} skipped), ${mdText(run.models.join(', '))} on ${mdText(run.runtimes.join(', '))}, started ${run.startedAt}${run.endedAt ? '' : `, ${runStateText(run.state, run.trialCount, run.recorder)}`}`);
  }
  const shared = sharedAcrossRuns(runs);
  if (shared && shared.models === 0) out.push('', '> These runs have nothing in common: no model appears in all of them.');
  const machines = groupByMachine(runs);
  if (machines.length > 1) out.push('', `> Measured on ${machines.length} machines (${machines.map((g) => mdText(g.hostname)).join(', ')}): each is recommended on its own, never ranked against another.`);
  out.push('');
  // One recommendation per machine and run: trials of different machines are never ranked together.
  for (const g of machines) for (const { run, trials } of g.runs) {
    for (const m of recommend(trials).models) {
      const where = [runs.length > 1 ? `run \`${run.id}\`` : '', machines.length > 1 ? `on ${mdText(g.hostname)}` : ''].filter(Boolean).join(', ');
      out.push(`### Best per objective: ${mdText(m.model.path)}${where ? ` (${where})` : ''}`, '');
      out.push('| objective | winner | value | runner-up | margin | significant |', '| --- | --- | --- | --- | --- | --- |');
      for (const o of m.objectives) {
        if (!o.winner) {
          out.push(`| ${o.title} | — | — | — | — | ${mdText(o.note ?? '')} |`);
          continue;
        }
        out.push(`| ${o.title} | ${mdText(o.winner.label)} | ${mdText(formatValue(o.winner.value, o.unit))} | ${o.runnerUp ? mdText(o.runnerUp.label) : '—'} | ${o.marginPct !== undefined ? `${sig3(o.marginPct)}%` : '—'} | ${o.runnerUp ? (o.significant ? 'yes' : 'no') : '—'} |`);
      }
      out.push('', `Pareto set (${m.paretoObjectives.join(', ')}): ${m.pareto.map((p) => mdText(p.label)).join('; ')}`, '');
      if (m.excluded.length) out.push(`Not recommended: ${m.excluded.map((e) => `${mdText(e.label)} (${mdText(e.reason)})`).join('; ')}`, '');
    }
  }
  out.push('### Results', '');
  const many = runs.length > 1;
  const host = machines.length > 1;
  out.push(`| ${host ? 'machine | ' : ''}${many ? 'run | ' : ''}model | runtime | settings | batch | status | median (ms) | 95% CI (ms) | p99 (ms) | throughput (items/s) | peak RSS (MiB) | energy (J/item) |`);
  out.push(`| ${host ? '--- | ' : ''}${many ? '--- | ' : ''}--- | --- | --- | ---: | --- | ---: | --- | ---: | ---: | ---: | ---: |`);
  for (const { run, trials } of runs) {
    for (const t of trials) {
      const r = toRow(run.id, t);
      const energy = r.energyPerItemJ === undefined ? '' : `${n(r.energyPerItemJ)}${r.energyEstimated ? ' (estimate)' : ''}`;
      const ci = r.ciLowMs === undefined ? '' : `${n(r.ciLowMs)}..${n(r.ciHighMs)}`;
      out.push(`| ${host ? `${mdText(hostnameOf(t, run))} | ` : ''}${many ? `\`${run.id}\` | ` : ''}${mdText(r.model)} | ${mdText(`${r.runtime}/${r.provider}`)} | ${mdText(r.settings)} | ${r.batchSize} | ${r.status} | ${n(r.medianMs)} | ${ci} | ${n(r.p99Ms)} | ${n(r.throughputPerS)} | ${r.peakRssBytes === undefined ? '' : n(r.peakRssBytes / 2 ** 20)} | ${energy} |`);
    }
  }
  const problems = runs.flatMap(({ trials }) => trials.filter((t) => t.status !== 'ok'));
  if (problems.length) {
    out.push('', '### Failed and skipped', '');
    for (const t of problems) {
      const why = t.status === 'failed' ? `failed (${t.error.kind}): ${t.error.message}` : t.status === 'skipped' ? `skipped: ${t.reason}` : '';
      out.push(`- ${mdText(t.model.path)} — ${mdText(configLabel(t))}: ${mdText(why)}`);
    }
  }
  const warnings = runs.flatMap(({ trials }) => trials.flatMap((t) => t.warnings.map((w) => ({ t, w }))));
  if (warnings.length) {
    out.push('', `<details><summary>Warnings (${warnings.length})</summary>`, '');
    for (const { t, w } of warnings) out.push(`- \`${mdText(w.code)}\` ${mdText(configLabel(t))}: ${mdText(w.message)} (remedy: ${mdText(w.remedy)})`);
    out.push('', '</details>');
  }
  if (runs.some((r) => r.trials.some((t) => t.status === 'ok' && t.energy?.estimated))) {
    out.push('', '_Energy marked (estimate) comes from a model, not a sensor._');
  }
  return `${out.join('\n')}\n`;
}
