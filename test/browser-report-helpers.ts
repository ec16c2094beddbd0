/** Shared by the report tests in chromium: open a report at a width, wait for its charts, check each is drawn and the page fits. */
import assert from 'node:assert/strict';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';

export const REPORT_BROWSER_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

const LOAD_TIMEOUT_MS = 180_000;

/** Screenshots land here (ignored by git) for a person to look at. */
export const ARTIFACTS = fileURLToPath(new URL('../../test-artifacts/', import.meta.url));

/**
 * The report at `width` px wide, offline, once every chart is drawn: the charts in the order `expectedCharts`
 * names, each with marks, and no horizontal overflow. Console errors and warnings are collected in `problems`.
 */
export async function openReportAt(browser: Browser, reportPath: string, width: number, expectedCharts: string[]): Promise<{ context: BrowserContext; page: Page; problems: string[] }> {
  const context = await browser.newContext({ offline: true, viewport: { width, height: 900 } });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  // Loading the 700 kB page and compiling the charts takes seconds; on a loaded 2-core machine, far longer.
  await page.goto(pathToFileURL(reportPath).href, { timeout: LOAD_TIMEOUT_MS });
  await page.waitForSelector('body[data-charts-done="true"]', { timeout: LOAD_TIMEOUT_MS });
  const drawn = await page.$$eval('[data-chart]', (els) => els.map((e) => ({ id: e.id, rendered: e.getAttribute('data-rendered'), marks: e.querySelectorAll('svg path, svg line, svg text').length })));
  assert.deepEqual(drawn.map((c) => c.id), expectedCharts);
  for (const c of drawn) assert.ok(c.rendered === 'true' && c.marks > 0, `${c.id} drawn at ${width} px`);
  const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(scrollWidth <= width, `the page is ${scrollWidth} px wide in a ${width} px window`);
  return { context, page, problems };
}
