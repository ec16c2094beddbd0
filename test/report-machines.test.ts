/**
 * A report holding trials from two machines groups them by machine: each
 * machine gets its environment, its own recommendation and its own charts,
 * and no configuration is ranked against one measured on the other machine.
 * Also: the environment names the browser a page-hosted trial ran in.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderHtmlReport, reportCharts } from '../src/report/html.js';
import { renderCsv } from '../src/report/csv.js';
import { renderMarkdown } from '../src/report/markdown.js';
import { groupByMachine } from '../src/report/machine-groups.js';
import { browserText } from '../src/report/environment-section.js';
import type { StoredRun } from '../src/store/types.js';
import type { BrowserContext, MachineContext, TrialResult } from '../src/results/types.js';
import { samplesAround, synthTrial } from './fixtures/synthetic.js';

const STUB = { vega: '/* vega */', vegaLite: '/* vega-lite */', vegaEmbed: '/* vega-embed */' };

const machine = (hostname: string, cpuModel: string): MachineContext => ({ cpuModel, cpuCores: 8, memoryBytes: 32 * 2 ** 30, os: 'Linux 6.1.0', arch: 'x64', hostname });
const NODE_A = machine('node-a', 'AMD EPYC 7763 64-Core Processor');
const NODE_B = machine('node-b', 'Intel(R) Xeon(R) Gold 6348');

/** One trial on `m`: runtime `runtime` at about `ms` per call. */
function on(m: MachineContext, runtime: string, ms: number, seed: number, browser?: BrowserContext): TrialResult {
  const t = synthTrial({ runtime, samplesMs: samplesAround(ms, 80, seed, 0.02), peakRssBytes: 100e6 });
  return { ...t, context: { toolVersion: '0.1.0', nodeVersion: 'v20.19.0', runtimeVersions: { [runtime]: '1.0.0' }, machine: m, startedAt: '2026-11-27T12:00:00.000Z', ...(browser ? { browser } : {}) } };
}

/** On node-a ort-node is the faster; on node-b tfjs is: pooled, the ranking would mean nothing. */
function twoMachineTrials(): TrialResult[] {
  return [on(NODE_A, 'ort-node', 2, 1), on(NODE_A, 'tfjs', 4, 2), on(NODE_B, 'ort-node', 6, 3), on(NODE_B, 'tfjs', 1, 4)];
}

function storedRun(id: string, trials: TrialResult[], hostname?: string): StoredRun {
  return {
    run: {
      id, startedAt: '2026-11-27T12:00:00.000Z', toolVersion: '0.1.0', trialCount: trials.length, okCount: trials.length, failedCount: 0, skippedCount: 0,
      models: [...new Set(trials.map((t) => t.model.path))], runtimes: [...new Set(trials.map((t) => t.runtime))], command: 'infermark run model.onnx',
      ...(hostname ? { machine: machine(hostname, 'cpu') } : {}),
    },
    trials,
  };
}

function section(html: string, id: string): string {
  const m = new RegExp(`<section class="machine" id="${id}">([\\s\\S]*?)</section>`).exec(html);
  assert.ok(m, `section ${id}`);
  return m[1];
}

/** The winner the summary names for an objective, in a piece of the page. */
function winner(html: string, title: string): string {
  const m = new RegExp(`<th scope="row">${title}</th><td><strong>([^<]*)</strong>`).exec(html);
  assert.ok(m, `a winner for ${title}`);
  return m[1];
}

test('one run across two machines (a fleet): each machine its own recommendation, environment and charts', () => {
  const html = renderHtmlReport([storedRun('fleet', twoMachineTrials())], { bundles: STUB });
  assert.match(html, /id="machines-note">These results were measured on 2 machines \(node-a, node-b\)/);
  const a = section(html, 'machine-0');
  const b = section(html, 'machine-1');
  assert.match(a, /Machine 1 of 2: node-a/);
  assert.match(b, /Machine 2 of 2: node-b/);
  // Each machine's own winner: pooled, node-b's tfjs would win on node-a's page too.
  assert.equal(winner(a, 'lowest p99 latency'), 'ort-node/cpu batch=1');
  assert.equal(winner(b, 'lowest p99 latency'), 'tfjs/cpu batch=1');
  assert.equal(winner(a, 'highest throughput'), 'ort-node/cpu batch=1');
  assert.equal(winner(b, 'highest throughput'), 'tfjs/cpu batch=1');
  assert.match(a, /2 of 2 configurations|of 2 configurations/);
  // Each environment names its own machine only.
  assert.ok(a.includes('AMD EPYC 7763') && !a.includes('Xeon'));
  assert.ok(b.includes('Xeon(R) Gold 6348') && !b.includes('EPYC'));
  // No pooled summary or environment for the whole page.
  assert.ok(!html.includes('<section id="summary">'));
  assert.ok(!html.includes('<section id="environment">'));
  // The model's charts once per machine, headed by the machine, each holding only that machine's two trials.
  assert.ok(html.includes('<section class="model" id="model-0"><h2>node-a: model.onnx'));
  assert.ok(html.includes('<section class="model" id="model-1"><h2>node-b: model.onnx'));
  const charts = reportCharts([storedRun('fleet', twoMachineTrials())]);
  const ids = charts.map((c) => c.id);
  assert.equal(new Set(ids).size, ids.length, 'chart ids unique on the page');
  const latency = charts.filter((c) => /^m\d-latency$/.test(c.id));
  assert.deepEqual(latency.map((c) => c.id), ['m0-latency', 'm1-latency']);
  for (const c of latency) {
    const values = JSON.stringify(c.spec);
    assert.ok(values.includes('ort-node') && values.includes('tfjs'));
  }
  // The results table says where each trial ran.
  assert.match(html, /<th scope="col" title="click to sort" data-col="0">machine<\/th>/);
  assert.equal((html.match(/<td data-col="0">node-[ab]<\/td>/g) ?? []).length, 4);
  assert.match(renderCsv([storedRun('fleet', twoMachineTrials())]).split('\r\n')[1], /,node-a$/);
});

test('two runs from two hosts (report RUN1 RUN2): grouped by machine, the runs kept apart within each', () => {
  const trials = twoMachineTrials();
  const runs = [storedRun('run-a', trials.slice(0, 2), 'node-a'), storedRun('run-b', trials.slice(2), 'node-b')];
  const groups = groupByMachine(runs);
  assert.deepEqual(groups.map((g) => [g.hostname, g.runs.map((r) => r.run.id)]), [['node-a', ['run-a']], ['node-b', ['run-b']]]);
  const html = renderHtmlReport(runs, { bundles: STUB });
  assert.equal(winner(section(html, 'machine-0'), 'lowest p99 latency'), 'ort-node/cpu batch=1');
  assert.equal(winner(section(html, 'machine-1'), 'lowest p99 latency'), 'tfjs/cpu batch=1');
  assert.match(html, /<nav><a href="#machine-0">node-a<\/a> · <a href="#machine-1">node-b<\/a> · <a href="#results">/);
});

test('trials of one machine: no machine grouping, the page as before', () => {
  const html = renderHtmlReport([storedRun('one', twoMachineTrials().slice(0, 2))], { bundles: STUB });
  assert.ok(!html.includes('machines-note'));
  assert.ok(!html.includes('class="machine"'));
  for (const id of ['summary', 'environment']) assert.ok(html.includes(`<section id="${id}">`), id);
  assert.ok(!html.includes('title="click to sort" data-col="0">machine</th>'), 'no machine column when there is one machine');
  // A trial recorded without a context falls back to its run's machine.
  const bare = { ...twoMachineTrials()[0], context: undefined } as TrialResult;
  assert.deepEqual(groupByMachine([storedRun('r', [bare], 'node-z')]).map((g) => g.hostname), ['node-z']);
});

test('the environment names the browser: version, adapter, WebGL renderer and a software GPU said plainly', () => {
  const browser: BrowserContext = {
    name: 'chromium', version: '131.0.6778.85', executablePath: '/usr/bin/chromium', flags: ['--enable-unsafe-webgpu'], crossOriginIsolated: true,
    gpuAdapter: 'google swiftshader, isFallbackAdapter: true, software-emulated GPU', isFallbackAdapter: true,
    webglRenderer: 'ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero) (0x0000C0DE)), SwiftShader driver)', softwareGpu: true,
  };
  const trial = { ...on(NODE_A, 'tfjs@chromium', 3, 9, browser), provider: 'webgl' } as TrialResult;
  trial.context!.runtimeVersions = { host: 'chromium', '@tensorflow/tfjs': '4.22.0', chromium: '131.0.6778.85', 'chromium.gpuAdapter': browser.gpuAdapter! };
  const html = renderHtmlReport([storedRun('b', [trial])], { bundles: STUB });
  const env = /<section id="environment">([\s\S]*?)<\/section>/.exec(html)![1];
  assert.match(env, /<th scope="row">browser<\/th><td>Chromium 131\.0\.6778\.85 \(\/usr\/bin\/chromium\); WebGPU adapter: google swiftshader/);
  assert.match(env, /WebGL renderer: ANGLE \(Google, Vulkan 1\.3\.0 \(SwiftShader Device/);
  assert.match(env, /software-emulated GPU \(SwiftShader on the CPU\)/);
  assert.match(env, /<th scope="row">@tensorflow\/tfjs<\/th><td>4\.22\.0<\/td>/);
  // The browser's facts are in the browser row, not repeated as package versions.
  assert.ok(!/<th scope="row">chromium[.<]/.test(env), 'no chromium.* rows');
  assert.ok(!env.includes('<th scope="row">host</th>'));
  // A record written before the typed field: the same row from its runtime entries.
  const legacy = { ...trial, context: { ...trial.context!, browser: undefined, runtimeVersions: { chromium: '120.0.6099.224', 'chromium.gpuAdapter': 'none (requestAdapter() returned no adapter)', 'chromium.gpu': 'software-emulated (SwiftShader on the CPU)' } } } as TrialResult;
  const old = renderHtmlReport([storedRun('old', [legacy])], { bundles: STUB });
  assert.match(old, /<th scope="row">browser<\/th><td>Chromium 120\.0\.6099\.224; WebGPU adapter: none \(requestAdapter\(\) returned no adapter\); GPU backends ran on a software-emulated GPU/);
  assert.equal(browserText({ name: 'chromium' }), 'Chromium (version not recorded)');
});

test('Markdown: one recommendation per machine, a machine column, never a ranking across machines', () => {
  const md = renderMarkdown([storedRun('fleet', twoMachineTrials())]);
  assert.match(md, /> Measured on 2 machines \(node-a, node-b\)/);
  const parts = md.split('### Best per objective: ').slice(1);
  assert.equal(parts.length, 2);
  assert.match(parts[0], /^model\.onnx \(on node-a\)[\s\S]*\| lowest p99 latency \| ort-node\/cpu batch=1 \|/);
  assert.match(parts[1], /^model\.onnx \(on node-b\)[\s\S]*\| lowest p99 latency \| tfjs\/cpu batch=1 \|/);
  assert.match(md, /\| machine \| model \| runtime \|/);
  assert.match(md, /\| node-b \| model\.onnx \| tfjs\/cpu \|/);
  assert.ok(!renderMarkdown([storedRun('one', twoMachineTrials().slice(0, 2))]).includes('machine'));
});
