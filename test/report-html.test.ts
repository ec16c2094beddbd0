import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderHtmlReport } from '../src/report/html.js';
import { renderMarkdown } from '../src/report/markdown.js';
import { escapeHtml, jsonForScript } from '../src/report/escape.js';
import type { StoredRun } from '../src/store/types.js';
import type { TrialResult } from '../src/results/types.js';
import { fixtureTrials } from './fixtures/fixture.js';
import { samplesAround, synthTrial } from './fixtures/synthetic.js';

const STUB = { vega: '/* vega */', vegaLite: '/* vega-lite */', vegaEmbed: '/* vega-embed */' };

function runOf(id: string, trials: TrialResult[]): StoredRun {
  return { run: { id, startedAt: '2025-11-20T14:02:11.000Z', toolVersion: '0.1.0', trialCount: trials.length, okCount: trials.filter((t) => t.status === 'ok').length, failedCount: trials.filter((t) => t.status === 'failed').length, skippedCount: 0, models: [...new Set(trials.map((t) => t.model.path))], runtimes: [], command: 'run <b>x</b>' }, trials };
}

test('everything from the user is escaped: the XSS model name is text', () => {
  const html = renderHtmlReport([runOf('r1', fixtureTrials())], { bundles: STUB });
  assert.ok(!html.includes('<img'), 'no img element anywhere');
  assert.ok(!html.includes('<script>alert'), 'the warning message cannot open a script');
  assert.ok(!html.includes('<b>x</b>'));
  assert.ok(html.includes('&lt;img src=x onerror=alert(1)&gt;.onnx'));
  // In a chart's caption the name is escaped text.
  assert.ok(html.includes('<strong>Latency distribution per configuration: &lt;img src=x onerror=alert(1)&gt;.onnx</strong>'));
  assert.equal(escapeHtml(`<a href="x" onclick='y'>&`), '&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;');
  assert.equal(JSON.parse(jsonForScript({ s: '</script><script>' })).s, '</script><script>');
  assert.ok(!jsonForScript({ s: '</script>' }).includes('</'));
});

test('the report holds every section, the failure reason, every warning and the environment', () => {
  const html = renderHtmlReport([runOf('r1', fixtureTrials())], { bundles: STUB, generatedAt: '2025-11-20T15:00:00.000Z' });
  for (const id of ['runs', 'summary', 'results', 'failures', 'warnings', 'environment']) assert.ok(html.includes(`<section id="${id}">`), id);
  for (const id of ['model-0', 'model-1']) assert.ok(html.includes(`<section class="model" id="${id}">`), id);
  assert.equal((html.match(/data-chart="/g) ?? []).length, 14);
  assert.ok(html.includes('Reached heap limit Allocation failed'), 'the failed trial\'s stderr tail');
  assert.ok(html.includes('provider cuda is not available here'), 'the skipped trial\'s reason');
  // Warnings are grouped by kind: each remedy once, every trial listed under it.
  const warnings = fixtureTrials().flatMap((t) => t.warnings);
  const remedies = new Set(warnings.map((w) => `${w.code}\u0000${w.remedy}`));
  assert.equal((html.match(/remedy: /g) ?? []).length, remedies.size);
  for (const w of warnings) assert.ok(html.includes(escapeHtml(w.message)), w.message);
  assert.ok(html.includes('Intel(R) Xeon(R) CPU @ 2.20GHz, 2 logical cores'));
  assert.ok(html.includes('onnxruntime-node'));
  assert.ok(html.includes('no powercap tree'), 'why energy was not measured');
  assert.ok(html.includes('0.0628 (estimate)') || /\(estimate\)<\/td>/.test(html), 'estimates are marked in the table');
  assert.ok(html.includes('<table id="results-table"'));
  assert.equal((html.match(/<tr>/g) ?? []).length > fixtureTrials().length, true);
});

test('the page is self-contained: no external scripts, styles or images, and a CSP that forbids fetching', () => {
  const html = renderHtmlReport([runOf('r1', fixtureTrials())]);
  assert.ok(!/<script[^>]+src=/i.test(html));
  // Outside the inlined library code (whose strings mention tags), no element may load anything.
  const markup = html.replace(/<script>[\s\S]*?<\/script>/g, '');
  assert.ok(!/<link[^>]+href=/i.test(markup));
  assert.ok(!/<img/i.test(markup));
  assert.equal((html.match(/<script>/g) ?? []).length, 4, 'vega, vega-lite, vega-embed and the report script, inlined');
  assert.match(html, /Content-Security-Policy" content="default-src &#39;none&#39;/);
  assert.ok(html.length > 700_000, 'the chart library is inlined');
});

test('runs with nothing in common still render, saying so', () => {
  const a = runOf('run-a', [synthTrial({ model: 'a.onnx', samplesMs: samplesAround(3, 50, 1), peakRssBytes: 1e8 })]);
  const b = runOf('run-b', [synthTrial({ model: 'b.onnx', runtime: 'other', samplesMs: samplesAround(5, 50, 2) })]);
  const html = renderHtmlReport([a, b], { bundles: STUB });
  assert.match(html, /id="nothing-in-common">These 2 runs have nothing in common/);
  assert.ok(html.includes('run run-a: a.onnx') && html.includes('run run-b: b.onnx'));
  assert.match(renderMarkdown([a, b]), /nothing in common/);
});

test('a report over runs with only failures renders', () => {
  const failed = { ...fixtureTrials().find((t) => t.status === 'failed')! };
  const html = renderHtmlReport([runOf('r', [failed])], { bundles: STUB });
  assert.ok(html.includes('No ok trials'));
  assert.ok(!html.includes('data-chart="'));
});

test('the Markdown summary: winners, a table, failures; user text escaped', () => {
  const md = renderMarkdown([runOf('r1', fixtureTrials())]);
  assert.match(md, /^## infermark run r1/);
  assert.match(md, /\| highest throughput \| ort-node\/cpu batch=32 /);
  assert.match(md, /\| median \(ms\) \| 95% CI \(ms\) \| p99 \(ms\) \| throughput \(items\/s\) \|/);
  assert.match(md, /&lt;img src=x onerror=alert\(1\)&gt;.onnx/);
  assert.ok(!md.includes('<img'));
  assert.ok(!md.includes('<script>'));
  assert.match(md, /failed \(oom\): runner was killed by SIGKILL/);
  assert.match(md, /\(estimate\)/);
  assert.match(md, /<details><summary>Warnings \(\d+\)<\/summary>/);
});
