/**
 * One browser, one page, one local server: the place a browser trial runs.
 * Every call into the page has a time limit; a page that crashes, hangs or
 * throws becomes a BrowserFault carrying the page's console tail, and the
 * browser is closed before the fault is thrown, so no process outlives it.
 */
import type { Browser, Page } from 'playwright-core';
import { readProcStat } from '../../probes/proc-stat.js';
import { BrowserFault } from './fault.js';
import { ConsoleTail } from './console-tail.js';
import { browserFlags } from './flags.js';
import { browserProcesses, type BrowserProcess } from './processes.js';
import { startPageServer, type PageFiles, type PageServer } from './server.js';
import type { Engine } from './page-html.js';
import type { HarnessApi } from './page/harness.js';

export interface PageHostOptions {
  engine: Engine;
  executablePath: string;
  files: PageFiles;
  extraFlags?: string[];
  headed?: boolean;
  /** Limit for starting the browser and loading the page, ms. */
  startTimeoutMs?: number;
}

type Method = keyof HarnessApi;
type Result<M extends Method> = Awaited<ReturnType<HarnessApi[M]>>;

const DEFAULT_START_TIMEOUT_MS = 60_000;

export class PageHost {
  private crashed = false;
  private closed = false;
  private closing: Promise<void> | undefined;
  /** Every browser process seen, so that close() can make sure none outlives it. */
  private readonly knownPids = new Set<number>();

  private constructor(
    readonly browser: Browser,
    readonly page: Page,
    private readonly server: PageServer,
    readonly tail: ConsoleTail,
    /** Chromium's version, e.g. '156.0.8078.108'. */
    readonly browserVersion: string,
    /** The flags this browser was started with (ours; playwright adds its own automation flags). */
    readonly flags: string[],
  ) {
    page.on('crash', () => { this.crashed = true; });
    browser.on('disconnected', () => { this.closed = true; });
  }

  static async open(opts: PageHostOptions): Promise<PageHost> {
    const timeout = opts.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS;
    const tail = new ConsoleTail();
    const flags = browserFlags(opts.extraFlags);
    const server = await startPageServer(opts.files);
    let browser: Browser | undefined;
    try {
      const { chromium } = await import('playwright-core');
      browser = await chromium.launch({ executablePath: opts.executablePath, headless: !opts.headed, args: flags, timeout });
      const page = await browser.newPage();
      page.on('console', (m) => tail.push(m.type(), m.text()));
      page.on('pageerror', (e) => tail.push('pageerror', e.message));
      page.on('requestfailed', (r) => tail.push('requestfailed', `${r.url()} ${r.failure()?.errorText ?? ''}`));
      page.on('response', (r) => { if (r.status() >= 400) tail.push('http', `${r.status()} ${r.url()}`); });
      const host = new PageHost(browser, page, server, tail, browser.version(), flags);
      await page.goto(`${server.origin}/${opts.engine}.html`, { timeout });
      await host.processes().catch(() => []);
      await page.waitForSelector('body[data-harness="ready"]', { state: 'attached', timeout }).catch(async (err: Error) => {
        throw await host.fault(err, 'the harness page did not load', timeout);
      });
      return host;
    } catch (err) {
      await browser?.close().catch(() => undefined);
      await server.close();
      if (err instanceof BrowserFault) throw err;
      throw new BrowserFault('launch', `could not start the browser page (${opts.executablePath}): ${firstLine(err)}`, tail.toString());
    }
  }

  /** Call globalThis.infermark[method](...args) in the page, with a time limit. */
  async call<M extends Method>(method: M, args: Parameters<HarnessApi[M]>, timeoutMs: number): Promise<Result<M>> {
    if (this.closed || this.closing) throw new BrowserFault('closed', `the browser is already closed; cannot call ${method}`, this.tail.toString());
    let timer: NodeJS.Timeout | undefined;
    const hang = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new HangError(timeoutMs)), timeoutMs);
    });
    try {
      const work = this.page.evaluate(
        ([m, a]) => (globalThis as unknown as { infermark: Record<string, (...x: unknown[]) => unknown> }).infermark[m](...a),
        [method, args] as [string, unknown[]],
      );
      const result = await Promise.race([work, hang]) as Result<M>;
      // A renderer that died mid-call may leave the call answered with nothing: the crash, not the answer, is what happened.
      if (this.crashed) throw new Error('Target crashed');
      return result;
    } catch (err) {
      throw await this.fault(err, `${method} failed`, timeoutMs);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Classify a failure, close the browser, and return the error to throw. */
  private async fault(err: unknown, what: string, timeoutMs: number): Promise<BrowserFault> {
    const wasClosed = this.closed;
    await this.close();
    const tail = this.tail.toString();
    if (err instanceof HangError) return new BrowserFault('hang', `the page hung: ${what.replace(/ failed$/, '')} did not finish within ${timeoutMs / 1000}s; the browser was closed`, tail);
    if (this.crashed || /crash/i.test(firstLine(err))) {
      return new BrowserFault('crash', `the page crashed during ${what.replace(/ failed$/, '')} (renderer or GPU process gone: out of memory, or a GPU process crash)`, tail);
    }
    if (wasClosed) return new BrowserFault('closed', `the browser closed during ${what.replace(/ failed$/, '')}: ${firstLine(err)}`, tail);
    return new BrowserFault('throw', `${what}: ${firstLine(err)}`, tail);
  }

  async processes(): Promise<BrowserProcess[]> {
    const list = await browserProcesses(this.browser);
    for (const p of list) this.knownPids.add(p.pid);
    return list;
  }

  /** Close the browser (ending all its processes) and the server; safe to call twice. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      await this.browser.close().catch(() => undefined);
      await reapAll([...this.knownPids]);
      await this.server.close();
      this.closed = true;
    })();
    return this.closing;
  }
}

/** Processes reparented away from the browser can outlive browser.close() for a moment; wait, then kill the stragglers. */
async function reapAll(pids: number[], graceMs = 3000): Promise<void> {
  const alive = () => pids.filter(isRunning);
  const deadline = Date.now() + graceMs;
  while (alive().length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  for (const pid of alive()) {
    try { process.kill(pid, 'SIGKILL'); } catch { /* already gone */ }
  }
}

/** Running and not a zombie; a zombie holds no memory and is its parent's to reap. */
function isRunning(pid: number): boolean {
  const stat = readProcStat('/proc', pid);
  return stat !== undefined && stat.state !== 'Z';
}

class HangError extends Error {
  constructor(readonly timeoutMs: number) { super(`no answer within ${timeoutMs} ms`); }
}

function firstLine(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  return msg.replace(/^page\.evaluate:\s*/, '').replace(/^Error:\s*/, '').split('\n')[0];
}
