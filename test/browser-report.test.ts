/**
 * The HTML report in a real browser: Debian's chromium, headless, driven by
 * playwright-core (which never downloads a browser here), with the network
 * off. Every chart must be drawn, no console error, no script from the data.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { openStore } from '../src/store/store.js';
import { renderHtmlReport, reportCharts } from '../src/report/html.js';
import { FIXTURE_JSONL, SCENARIO_RUNS, scenarioRunJsonl, tempDir } from './fixtures/fixture.js';
import { ARTIFACTS, openReportAt, REPORT_BROWSER_ARGS } from './browser-report-helpers.js';

const CHROMIUM = '/usr/bin/chromium';

test('the report renders every chart offline in chromium, with no console error', async (t) => {
  if (!existsSync(CHROMIUM) && process.env.CI !== 'true') {
    const why = `${CHROMIUM} is not installed; run 'bash scripts/setup-system.sh' to install it (under CI=true this test fails instead)`;
    console.log(`# skipped: ${why}`);
    t.skip(why);
    return;
  }
  const dir = tempDir(t, 'infermark-browser-');
  const store = openStore(join(dir, 'r.db'));
  const runId = store.importJsonl(FIXTURE_JSONL);
  const run = store.getRun(runId);
  store.close();
  const reportPath = join(dir, 'report.html');
  writeFileSync(reportPath, renderHtmlReport([run], { generatedAt: '2025-11-20T15:00:00.000Z' }));
  const expectedCharts = reportCharts([run]).length;

  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  t.after(() => browser.close());
  const context = await browser.newContext({ offline: true, viewport: { width: 1360, height: 900 } });
  const page = await context.newPage();
  const problems: string[] = [];
  const requests: string[] = [];
  page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('dialog', (d) => { problems.push(`dialog opened: ${d.message()}`); void d.dismiss(); });
  page.on('request', (r) => { if (!r.url().startsWith('file:') && !r.url().startsWith('data:')) requests.push(r.url()); });

  await page.goto(pathToFileURL(reportPath).href);
  await page.waitForSelector('body[data-charts-done="true"]', { timeout: 30_000 });

  const charts = await page.$$eval('[data-chart]', (els) => els.map((e) => ({
    id: e.id, rendered: e.getAttribute('data-rendered'), marks: e.querySelectorAll('svg .mark-symbol path, svg .mark-line path, svg .mark-rect path, svg .mark-rule line, svg .mark-rule path').length,
  })));
  assert.equal(charts.length, expectedCharts);
  for (const c of charts) {
    assert.equal(c.rendered, 'true', `chart ${c.id} drawn`);
    assert.ok(c.marks > 0, `chart ${c.id} has marks`);
  }
  // The XSS model name shows as text and never becomes an element.
  assert.equal(await page.locator('img').count(), 0);
  assert.ok((await page.locator('#results-table').innerText()).includes('<img src=x onerror=alert(1)>.onnx'));
  // The table sorts and filters.
  await page.fill('#results-filter', 'tfjs');
  assert.equal(await page.locator('#results-table tbody tr:not([hidden])').count(), 6);
  await page.fill('#results-filter', '');
  await page.click('#results-table th:has-text("throughput")');
  const col = await page.$$eval('#results-table thead th', (ths) => ths.findIndex((th) => th.textContent!.startsWith('throughput')));
  const firstThroughput = await page.$$eval('#results-table tbody tr', (rows, i) => rows.map((r) => r.querySelectorAll('td')[i].getAttribute('data-v')).filter(Boolean).map(Number), col);
  assert.deepEqual(firstThroughput, [...firstThroughput].sort((a, b) => a - b));
  await page.click('#results-table th:has-text("throughput")'); // back to descending for the screenshot

  mkdirSync(ARTIFACTS, { recursive: true });
  await page.goto(pathToFileURL(reportPath).href);
  await page.waitForSelector('body[data-charts-done="true"]');
  await page.screenshot({ path: join(ARTIFACTS, 'report.png'), fullPage: true });
  assert.deepEqual(problems, []);
  assert.deepEqual(requests, []);
});

/** A configuration's colour in each drawn chart, read from the Vega views' own colour scales. */
async function coloursByChart(page: import('playwright-core').Page): Promise<Record<string, Record<string, string>>> {
  return page.evaluate(() => {
    const views = (window as unknown as { infermarkViews: Record<string, { scale(name: string): ((x: string) => string) & { domain(): string[] } }> }).infermarkViews;
    const out: Record<string, Record<string, string>> = {};
    for (const [id, view] of Object.entries(views)) {
      let scale;
      try { scale = view.scale('color'); } catch { continue; }
      if (!scale || typeof scale.domain !== 'function') continue;
      out[id] = Object.fromEntries(scale.domain().map((d) => [d, scale(d)]));
    }
    return out;
  });
}

test('every scenario kind in one report: fits 1280 px and 390 px, one colour per configuration, no console error', async (t) => {
  if (!existsSync(CHROMIUM) && process.env.CI !== 'true') {
    t.skip(`${CHROMIUM} is not installed; run 'bash scripts/setup-system.sh' (under CI=true this test fails instead)`);
    return;
  }
  const dir = tempDir(t, 'infermark-browser-');
  const store = openStore(join(dir, 'r.db'));
  const runs = SCENARIO_RUNS.map((name) => store.getRun(store.importJsonl(scenarioRunJsonl(name))));
  store.close();
  const reportPath = join(dir, 'scenarios.html');
  writeFileSync(reportPath, renderHtmlReport(runs, { generatedAt: '2025-11-20T15:00:00.000Z' }));
  const expected = reportCharts(runs).map((c) => c.id);

  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: REPORT_BROWSER_ARGS,
  });
  t.after(() => browser.close());
  mkdirSync(ARTIFACTS, { recursive: true });
  for (const width of [1280, 390]) {
    const { context, page, problems } = await openReportAt(browser, reportPath, width, expected);
    // Same model, same configuration: the same colour in every chart that draws it.
    const byChart = await coloursByChart(page);
    assert.ok(Object.keys(byChart).length >= 5, `colour scales read from ${Object.keys(byChart).join(', ')}`);
    const seen = new Map<string, string>();
    for (const [id, colours] of Object.entries(byChart)) {
      const model = id.split('-')[0];
      for (const [config, colour] of Object.entries(colours)) {
        const k = `${model} ${config}`;
        if (!seen.has(k)) seen.set(k, colour);
        assert.equal(colour, seen.get(k), `${k} in ${id}`);
      }
    }
    // Legends show short labels; each carries its full configuration on hover.
    const hover = await page.$$eval('.role-legend-label text title', (ts) => ts.map((x) => x.textContent ?? ''));
    assert.ok(hover.length > 0 && hover.every((x) => x.includes('/')), `full labels on hover: ${hover.join(' | ')}`);
    await page.screenshot({ path: join(ARTIFACTS, `report-scenarios-${width}.png`), fullPage: true });
    assert.deepEqual(problems, []);
    await context.close();
  }
});
