/**
 * The HTML report in a real browser: Debian's chromium, headless, driven by
 * playwright-core (which never downloads a browser here), with the network
 * off. Every chart must be drawn, no console error, no script from the data.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { openStore } from '../src/store/store.js';
import { renderHtmlReport, reportCharts } from '../src/report/html.js';
import { FIXTURE_JSONL, tempDir } from './fixtures/fixture.js';

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = fileURLToPath(new URL('../../test-artifacts/', import.meta.url));

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
  const firstThroughput = await page.$$eval('#results-table tbody tr', (rows) => rows.map((r) => r.querySelectorAll('td')[10].getAttribute('data-v')).filter(Boolean).map(Number));
  assert.deepEqual(firstThroughput, [...firstThroughput].sort((a, b) => a - b));
  await page.click('#results-table th:has-text("throughput")'); // back to descending for the screenshot

  mkdirSync(ARTIFACTS, { recursive: true });
  await page.goto(pathToFileURL(reportPath).href);
  await page.waitForSelector('body[data-charts-done="true"]');
  await page.screenshot({ path: join(ARTIFACTS, 'report.png'), fullPage: true });
  assert.deepEqual(problems, []);
  assert.deepEqual(requests, []);
});
