/**
 * The browser's own processes, by role. The browser-wide CDP session's
 * SystemInfo.getProcessInfo lists every process with its pid and type; the
 * page's work happens in the renderer and, for WebGL/WebGPU, in the GPU
 * process, so memory and CPU time are the sum of those two roles, read
 * from /proc.
 */
import { readFileSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { readProcStat, readVmHwmBytes } from '../../probes/proc-stat.js';
import { systemConstants } from '../../probes/system-constants.js';

export interface BrowserProcess {
  pid: number;
  /** Chromium's process type: browser, renderer, GPU, utility, … */
  type: string;
}

/** Roles whose memory and CPU a trial counts: the page's renderer and the GPU process. */
export const MEASURED_ROLES = ['renderer', 'GPU'];

export async function browserProcesses(browser: Browser): Promise<BrowserProcess[]> {
  const cdp = await browser.newBrowserCDPSession();
  try {
    const { processInfo } = await cdp.send('SystemInfo.getProcessInfo') as { processInfo: { id: number; type: string }[] };
    return processInfo.map((p) => ({ pid: p.id, type: p.type === 'renderer' && isBrowserUiRenderer(p.id) ? 'renderer (browser UI)' : p.type }));
  } finally {
    await cdp.detach().catch(() => undefined);
  }
}

/** Chromium renders its own UI (the omnibox popup, even headless) in a renderer marked --top-chrome-webui: not the page's. */
function isBrowserUiRenderer(pid: number): boolean {
  try {
    // Chromium rewrites its process title, so the arguments may be joined by spaces rather than NULs.
    return /(^|[\s\0])--top-chrome-webui([\s\0]|$)/.test(readFileSync(`/proc/${pid}/cmdline`, 'utf8'));
  } catch {
    return false;
  }
}

/** Renderer + GPU figures over a measuring window. */
export interface PageProcessFigures {
  /** Pids counted, with their role. */
  processes: BrowserProcess[];
  /** Highest sum of the counted processes' RSS seen by the sampler during the window, bytes. */
  peakRssBytes: number;
  /** Sum of each counted process's own high-water mark (VmHWM) at the window's end, bytes; includes load. */
  sumVmHwmBytes: number;
  /** User + system CPU time of the counted processes during the window, s. */
  cpuS: number;
  /** How often RSS was sampled, ms. */
  sampleIntervalMs: number;
}

export class PageProcessSampler {
  private timer: NodeJS.Timeout | undefined;
  private peakRssBytes = 0;
  private startTicks = 0;
  private readonly constants = systemConstants();

  constructor(private readonly processes: BrowserProcess[], private readonly intervalMs = 50, private readonly procRoot = '/proc') {}

  private counted(): number[] {
    return this.processes.filter((p) => MEASURED_ROLES.includes(p.type)).map((p) => p.pid);
  }

  private read(): { rssBytes: number; ticks: number } {
    let rssBytes = 0;
    let ticks = 0;
    for (const pid of this.counted()) {
      const s = readProcStat(this.procRoot, pid);
      if (!s) continue;
      rssBytes += s.rssPages * this.constants.pageSizeBytes;
      ticks += s.ownTicks;
    }
    return { rssBytes, ticks };
  }

  private sample(): void {
    const { rssBytes } = this.read();
    if (rssBytes > this.peakRssBytes) this.peakRssBytes = rssBytes;
  }

  start(): void {
    const first = this.read();
    this.startTicks = first.ticks;
    this.peakRssBytes = first.rssBytes;
    this.timer = setInterval(() => this.sample(), this.intervalMs);
    this.timer.unref();
  }

  stop(): PageProcessFigures {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    const last = this.read();
    if (last.rssBytes > this.peakRssBytes) this.peakRssBytes = last.rssBytes;
    const sumVmHwmBytes = this.counted().reduce((s, pid) => s + (readVmHwmBytes(this.procRoot, pid) ?? 0), 0);
    return {
      processes: this.processes,
      peakRssBytes: this.peakRssBytes,
      sumVmHwmBytes,
      cpuS: (last.ticks - this.startTicks) / this.constants.clockTicksPerS,
      sampleIntervalMs: this.intervalMs,
    };
  }
}
