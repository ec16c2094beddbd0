/**
 * In Debian's chromium: a report of trials from two machines fits 1280 px
 * and 390 px with every chart drawn and no console error; and a real trial
 * hosted in chromium carries its browser (version, adapter, renderer) in its
 * context, typed, which the report's environment names.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openStore } from '../src/store/store.js';
import { renderHtmlReport, reportCharts } from '../src/report/html.js';
import type { StoredRun } from '../src/store/types.js';
import type { TrialResult } from '../src/results/types.js';
import { FIXTURE_JSONL, tempDir } from './fixtures/fixture.js';
import { CHROMIUM, needChromium } from './browser-helpers.js';
import { matmulModelBytes, writeModel } from './helpers/models.js';
import { runCli } from './helpers/cli.js';
import { ARTIFACTS, openReportAt, REPORT_BROWSER_ARGS } from './browser-report-helpers.js';


/** The recorded fixture run as a fleet run: its trials on ci-runner-7, and again on a second node with another CPU. */
function fleetRun(dir: string): StoredRun {
  const store = openStore(join(dir, 'r.db'));
  const run = store.getRun(store.importJsonl(FIXTURE_JSONL));
  store.close();
  const other = run.trials.map((t): TrialResult => (t.context
    ? { ...t, context: { ...t.context, machine: { ...t.context.machine, hostname: 'gpu-node-2', cpuModel: 'AMD EPYC 9654 96-Core Processor', cpuCores: 16 } } }
    : t));
  return { ...run, trials: [...run.trials, ...other] };
}

test('two machines in one report: each its own part, fits 1280 px and 390 px, every chart drawn, no console error', async (t) => {
  if (!needChromium(t)) return;
  const dir = tempDir(t, 'infermark-browser-');
  const run = fleetRun(dir);
  const reportPath = join(dir, 'machines.html');
  writeFileSync(reportPath, renderHtmlReport([run], { generatedAt: '2026-11-27T15:00:00.000Z' }));
  const expected = reportCharts([run]).map((c) => c.id);
  assert.equal(new Set(expected).size, expected.length, 'chart ids unique');

  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: REPORT_BROWSER_ARGS });
  t.after(() => browser.close());
  mkdirSync(ARTIFACTS, { recursive: true });
  for (const width of [1280, 390]) {
    const { context, page, problems } = await openReportAt(browser, reportPath, width, expected);
    const machines = await page.$$eval('section.machine h2', (hs) => hs.map((x) => x.textContent));
    assert.deepEqual(machines, ['Machine 1 of 2: ci-runner-7', 'Machine 2 of 2: gpu-node-2']);
    // The machine column's cells, one per trial, in the rendered table.
    const hosts = await page.$$eval('#results-table tbody tr td:first-child', (tds) => tds.map((x) => x.textContent));
    assert.deepEqual([...new Set(hosts)], ['ci-runner-7', 'gpu-node-2']);
    await page.screenshot({ path: join(ARTIFACTS, `report-machines-${width}.png`), fullPage: true });
    assert.deepEqual(problems, []);
    await context.close();
  }
});

test('a trial in chromium records its browser in its context, typed, and the report names it', (t) => {
  if (!needChromium(t)) return;
  const dir = tempDir(t, 'infermark-browser-');
  const model = writeModel(dir, 'mm.onnx', matmulModelBytes(32));
  const db = join(dir, 'r.db');
  const run = runCli(['run', model, '--runtime', 'ort-web@chromium', '--provider', 'webgl', '--max-time', '1s', '--min-samples', '5', '--warmup', '2',
    '--no-check-outputs', '--no-efficiency', '--db', db, '--export-json', join(dir, 'r.json')], { timeoutMs: 240_000 });
  assert.equal(run.code, 0, run.stderr);
  const exported = JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8')) as { results: TrialResult[] } | TrialResult[];
  const [trial] = Array.isArray(exported) ? exported : exported.results;
  assert.equal(trial.status, 'ok', JSON.stringify(trial).slice(0, 400));
  const b = trial.context?.browser;
  assert.ok(b, 'context.browser');
  assert.equal(b.name, 'chromium');
  assert.match(b.version ?? '', /^\d+\.\d+\.\d+\.\d+$/);
  assert.equal(b.executablePath, CHROMIUM);
  assert.ok(b.flags?.includes('--enable-unsafe-webgpu'));
  assert.equal(b.crossOriginIsolated, true);
  assert.equal(typeof b.webglRenderer, 'string');
  assert.equal(typeof b.gpuAdapter, 'string');
  // webgl is a GPU provider: whether the GPU was real or SwiftShader is said, as a boolean, and agrees with the renderer.
  assert.equal(b.softwareGpu, /swiftshader|llvmpipe|software/i.test(b.webglRenderer!));

  const report = runCli(['report', 'latest', '-o', join(dir, 'r.html'), '--db', db]);
  assert.equal(report.code, 0, report.stderr);
  const html = readFileSync(join(dir, 'r.html'), 'utf8');
  const env = /<section id="environment">([\s\S]*?)<\/section>/.exec(html)![1];
  assert.ok(env.includes(`<th scope="row">browser</th><td>Chromium ${b.version} (${CHROMIUM}); WebGPU adapter: `), env);
  assert.ok(env.includes('WebGL renderer: '));
  assert.match(env, b.softwareGpu ? /software-emulated GPU \(SwiftShader on the CPU\)/ : /ran on a hardware GPU/);
});
