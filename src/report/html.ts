/**
 * The HTML report: one self-contained file (the chart library inlined, data
 * as JSON in the page) that opens with no network. A Content-Security-Policy
 * forbids every network request, so a page that renders here renders offline.
 */
import type { StoredRun } from '../store/types.js';
import { recommend, type Recommendation } from '../analysis/recommend.js';
import type { ChartSpec } from './charts.js';
import { modelPart, type ModelPart } from './scenario-sections.js';
import { groupByModel, labelTrials, sharedAcrossRuns } from './model-groups.js';
import { groupByMachine, type MachineGroup } from './machine-groups.js';
import { loadVegaBundles, type VegaBundles } from './assets.js';
import { escapeHtml as h, inlineScript } from './escape.js';
import { CLIENT_SCRIPT } from './client-script.js';
import { REPORT_CSS } from './style.js';
import { conformanceSection } from './conformance-section.js';
import { chartBlock, failuresSection, resultsTable, runsSection, summarySection, warningsSection } from './html-sections.js';
import { environmentSection, machineText } from './environment-section.js';

export interface HtmlReportOptions {
  title?: string;
  /** Defaults to the installed vega bundles; tests may pass stubs. */
  bundles?: VegaBundles;
  /** When the report was made (ISO 8601); defaults to now. */
  generatedAt?: string;
}

/** Vega compiles its expressions with Function(), hence 'unsafe-eval'; nothing may be fetched. */
const CSP = "default-src 'none'; script-src 'unsafe-inline' 'unsafe-eval'; style-src 'unsafe-inline'; img-src data:; font-src data:";

/**
 * Each model's part of the report, with the Pareto colouring of a recommendation over the runs shown;
 * `first` numbers the parts on from another machine's, so ids stay unique on the page.
 */
export function modelParts(runs: StoredRun[], first = 0, machine?: string): ModelPart[] {
  const rec = recommend(labelTrials(runs).map((t) => t.trial));
  return groupByModel(runs).map((g, i) => modelPart(first + i, g, chartBlock, rec.models.find((m) => (m.model.sha256 || m.model.path) === (g.sha256 || g.path)), machine));
}

/** The model parts of each machine, numbered on across machines: one machine's trials are never charted with another's. */
function machineParts(machines: MachineGroup[]): ModelPart[][] {
  let next = 0;
  return machines.map((m) => {
    const parts = modelParts(m.runs, next, machines.length > 1 ? m.hostname : undefined);
    next += parts.length;
    return parts;
  });
}

/** Every chart of the report, in page order. */
export function reportCharts(runs: StoredRun[]): ChartSpec[] {
  return machineParts(groupByMachine(runs)).flat().flatMap((m) => m.charts);
}

function commonNote(runs: StoredRun[]): string {
  const shared = sharedAcrossRuns(runs);
  if (!shared) return '';
  if (shared.models === 0) {
    return `<p class="note" id="nothing-in-common">These ${runs.length} runs have nothing in common: no model appears in all of them, so their figures are shown side by side but cannot be compared directly.</p>`;
  }
  if (shared.keys === 0) {
    return `<p class="note" id="nothing-in-common">These ${runs.length} runs share ${shared.models} model(s) but no configuration: compare them with care.</p>`;
  }
  return `<p class="note">These ${runs.length} runs share ${shared.keys} configuration(s); for a test of each difference use <code>infermark compare A B</code>.</p>`;
}

const SIGNIFICANCE_NOTE = '<p class="muted">Significant means the winner\'s and the runner-up\'s 95% confidence intervals do not overlap. Energy is ranked on measurements only, never on estimates.</p>';

function recommendations(runs: StoredRun[]): { runId: string; rec: Recommendation }[] {
  return runs.map((r) => ({ runId: r.run.id, rec: recommend(r.trials) }));
}

/** The page's body between the runs and the results table: one machine's, or each machine's in turn. */
function body(runs: StoredRun[], machines: MachineGroup[], parts: ModelPart[][]): { nav: string; html: string } {
  const noResults = '<section><p class="muted">No results.</p></section>';
  if (machines.length <= 1) {
    const nav = groupByModel(runs).map((g, i) => `<a href="#model-${i}">${h(g.path)}</a>`).join(' · ');
    return {
      nav: `<a href="#summary">Summary</a> · ${nav}`,
      html: `<section id="summary"><h2>Summary: the best configuration per objective</h2>
${SIGNIFICANCE_NOTE}
${summarySection(recommendations(runs), runs.length > 1)}</section>
<div id="charts">${parts.flat().map((m) => m.html).join('\n') || noResults}</div>`,
    };
  }
  const blocks = machines.map((m, i) => {
    const desc = m.machine ? `<p class="muted">${h(machineText(m.machine))}</p>` : '';
    return `<section class="machine" id="machine-${i}"><h2>Machine ${i + 1} of ${machines.length}: ${h(m.hostname)}</h2>${desc}
<h3 id="machine-${i}-summary">The best configuration per objective on ${h(m.hostname)}</h3>
${SIGNIFICANCE_NOTE}
${summarySection(recommendations(m.runs), m.runs.length > 1)}
<h3 id="machine-${i}-environment">Environment of ${h(m.hostname)}</h3>
${environmentSection(m.runs)}</section>
${parts[i].map((p) => p.html).join('\n')}`;
  });
  return {
    nav: machines.map((m, i) => `<a href="#machine-${i}">${h(m.hostname)}</a>`).join(' · '),
    html: `<div id="charts">${blocks.join('\n')}</div>`,
  };
}

/** Said at the top when results from several machines are in one report. */
function machinesNote(machines: MachineGroup[]): string {
  if (machines.length <= 1) return '';
  return `<p class="note" id="machines-note">These results were measured on ${machines.length} machines (${machines.map((m) => h(m.hostname)).join(', ')}). Each machine has its own part below, with its environment, its recommendation and its charts: a configuration is ranked only against others measured on the same machine, never across machines.</p>`;
}

export function renderHtmlReport(runs: StoredRun[], opts: HtmlReportOptions = {}): string {
  const bundles = opts.bundles ?? loadVegaBundles();
  const title = opts.title ?? (runs.length === 1 ? `infermark report: run ${runs[0].run.id}` : `infermark report: ${runs.length} runs`);
  const machines = groupByMachine(runs);
  const { nav, html } = body(runs, machines, machineParts(machines));
  const failed = runs.reduce((n, r) => n + r.trials.filter((t) => t.status !== 'ok').length, 0);
  const warnings = runs.reduce((n, r) => n + r.trials.reduce((m, t) => m + t.warnings.length, 0), 0);
  const environment = machines.length > 1 ? '' : `<section id="environment"><h2>Environment</h2>${environmentSection(runs)}</section>`;

  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${h(CSP)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="infermark">
<title>${h(title)}</title>
<style>${REPORT_CSS}</style>
</head>
<body>
<header>
<h1>${h(title)}</h1>
<p class="muted">Generated ${h(opts.generatedAt ?? new Date().toISOString())}. Latency is the time of one runtime call for one batch; throughput is items (batch elements) per second; 95% confidence intervals throughout.</p>
<nav>${nav} · <a href="#results">Results</a> · <a href="#failures">Failed and skipped (${failed})</a> · <a href="#warnings">Warnings (${warnings})</a>${environment ? ' · <a href="#environment">Environment</a>' : ''}</nav>
</header>
<main>
<section id="runs"><h2>Runs</h2>${runsSection(runs)}${commonNote(runs)}${machinesNote(machines)}</section>
${html}
<section id="results"><h2>All results</h2>${resultsTable(runs)}</section>
<section id="failures"><h2>Failed and skipped trials</h2>${failuresSection(runs)}</section>
<section id="warnings"><h2>Warnings</h2>${warningsSection(runs)}</section>
${conformanceSection(runs)}
${environment}
</main>
<script>${inlineScript(bundles.vega)}</script>
<script>${inlineScript(bundles.vegaLite)}</script>
<script>${inlineScript(bundles.vegaEmbed)}</script>
<script>${CLIENT_SCRIPT}</script>
</body>
</html>
`;
}
