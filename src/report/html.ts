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
import { loadVegaBundles, type VegaBundles } from './assets.js';
import { escapeHtml as h, inlineScript } from './escape.js';
import { CLIENT_SCRIPT } from './client-script.js';
import { REPORT_CSS } from './style.js';
import { conformanceSection } from './conformance-section.js';
import { chartBlock, environmentSection, failuresSection, resultsTable, runsSection, summarySection, warningsSection } from './html-sections.js';

export interface HtmlReportOptions {
  title?: string;
  /** Defaults to the installed vega bundles; tests may pass stubs. */
  bundles?: VegaBundles;
  /** When the report was made (ISO 8601); defaults to now. */
  generatedAt?: string;
}

/** Vega compiles its expressions with Function(), hence 'unsafe-eval'; nothing may be fetched. */
const CSP = "default-src 'none'; script-src 'unsafe-inline' 'unsafe-eval'; style-src 'unsafe-inline'; img-src data:; font-src data:";

/** Each model's part of the report, with the Pareto colouring of a recommendation over all runs shown. */
export function modelParts(runs: StoredRun[]): ModelPart[] {
  const rec = recommend(labelTrials(runs).map((t) => t.trial));
  return groupByModel(runs).map((g, i) => modelPart(i, g, chartBlock, rec.models.find((m) => (m.model.sha256 || m.model.path) === (g.sha256 || g.path))));
}

/** Every chart of the report, in page order. */
export function reportCharts(runs: StoredRun[]): ChartSpec[] {
  return modelParts(runs).flatMap((m) => m.charts);
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

export function renderHtmlReport(runs: StoredRun[], opts: HtmlReportOptions = {}): string {
  const bundles = opts.bundles ?? loadVegaBundles();
  const title = opts.title ?? (runs.length === 1 ? `infermark report: run ${runs[0].run.id}` : `infermark report: ${runs.length} runs`);
  const many = runs.length > 1;
  const recs: { runId: string; rec: Recommendation }[] = runs.map((r) => ({ runId: r.run.id, rec: recommend(r.trials) }));
  const parts = modelParts(runs);
  const models = groupByModel(runs);
  const modelNav = models.map((g, i) => `<a href="#model-${i}">${h(g.path)}</a>`).join(' · ');
  const failed = runs.reduce((n, r) => n + r.trials.filter((t) => t.status !== 'ok').length, 0);
  const warnings = runs.reduce((n, r) => n + r.trials.reduce((m, t) => m + t.warnings.length, 0), 0);

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
<nav><a href="#summary">Summary</a> · ${modelNav} · <a href="#results">Results</a> · <a href="#failures">Failed and skipped (${failed})</a> · <a href="#warnings">Warnings (${warnings})</a> · <a href="#environment">Environment</a></nav>
</header>
<main>
<section id="runs"><h2>Runs</h2>${runsSection(runs)}${commonNote(runs)}</section>
<section id="summary"><h2>Summary: the best configuration per objective</h2>
<p class="muted">Significant means the winner's and the runner-up's 95% confidence intervals do not overlap. Energy is ranked on measurements only, never on estimates.</p>
${summarySection(recs, many)}</section>
<div id="charts">${parts.map((m) => m.html).join('\n') || '<section><p class="muted">No results.</p></section>'}</div>
<section id="results"><h2>All results</h2>${resultsTable(runs)}</section>
<section id="failures"><h2>Failed and skipped trials</h2>${failuresSection(runs)}</section>
<section id="warnings"><h2>Warnings</h2>${warningsSection(runs)}</section>
${conformanceSection(runs)}
<section id="environment"><h2>Environment</h2>${environmentSection(runs)}</section>
</main>
<script>${inlineScript(bundles.vega)}</script>
<script>${inlineScript(bundles.vegaLite)}</script>
<script>${inlineScript(bundles.vegaEmbed)}</script>
<script>${CLIENT_SCRIPT}</script>
</body>
</html>
`;
}
