/**
 * The 'process' probe: memory and CPU of the runner's process tree, read from
 * /proc by the parent while the runner measures. Sampling is a timer that
 * reads one small stat file per process; the tree itself (which processes
 * belong to the runner) is re-listed less often, since it rarely changes.
 */
import { existsSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import type { ProbeFailure, TimeSeries } from '../results/types.js';
import { ProbeUpkeep } from './upkeep.js';
import type { Probe, ProbeOutput, ProbeTarget } from './probe.js';
import { listProcessTree, readProcStat, readVmHwmBytes } from './proc-stat.js';
import { systemConstants } from './system-constants.js';

export const DEFAULT_SAMPLE_INTERVAL_MS = 20;
/** Re-list the runner's descendants at most this often (and at every hook). */
const TREE_REFRESH_MS = 250;

export interface ProcessTreeProbeOptions {
  sampleIntervalMs?: number;
  /** Root of the proc filesystem; a fake tree in tests. */
  procRoot?: string;
  clockTicksPerS?: number;
  pageSizeBytes?: number;
}

interface TreeSample {
  atMs: number;
  rssBytes: number;
  cpuTicks: number;
}

export class ProcessTreeProbe implements Probe {
  readonly name = 'process';
  private readonly intervalMs: number;
  private readonly procRoot: string;
  private readonly ticksPerS: number;
  private readonly pageBytes: number;
  private rootPid = 0;
  private tree: number[] = [];
  private treeListedAtMs = -Infinity;
  private peakRssBytes = 0;
  private rssAfterLoadBytes: number | undefined;
  private last: TreeSample | undefined;
  private windowStartSample: TreeSample | undefined;
  private windowEndSample: TreeSample | undefined;
  private inWindow = false;
  private readonly series: TimeSeries = { name: 'rssBytes', unit: 'bytes', tMs: [], values: [] };
  private readonly failures: ProbeFailure[] = [];
  private readonly upkeep = new ProbeUpkeep((m) => this.fail(m));

  constructor(opts: ProcessTreeProbeOptions = {}) {
    this.intervalMs = opts.sampleIntervalMs ?? DEFAULT_SAMPLE_INTERVAL_MS;
    this.procRoot = opts.procRoot ?? '/proc';
    const needConstants = opts.clockTicksPerS === undefined || opts.pageSizeBytes === undefined;
    const sys = needConstants ? systemConstants() : undefined;
    this.ticksPerS = opts.clockTicksPerS ?? sys!.clockTicksPerS;
    this.pageBytes = opts.pageSizeBytes ?? sys!.pageSizeBytes;
  }

  attach(target: ProbeTarget): void {
    this.upkeep.timed(() => {
      this.rootPid = target.pid;
      if (!existsSync(`${this.procRoot}/${target.pid}/stat`)) {
        this.fail(`cannot read ${this.procRoot}/${target.pid}/stat: memory and CPU figures need Linux's /proc`);
        return;
      }
      this.sample(true);
      this.upkeep.every(this.intervalMs, () => this.sample(false));
    });
  }

  loaded(): void {
    this.upkeep.timed(() => {
      const s = this.sample(true);
      if (s) this.rssAfterLoadBytes = s.rssBytes;
    });
  }

  windowStart(): void {
    this.upkeep.timed(() => {
      this.inWindow = true;
      this.series.tMs.length = 0;
      this.series.values.length = 0;
      this.windowStartSample = this.sample(true);
      if (!this.windowStartSample) this.fail('the runner was gone at the window start; no CPU figures');
    });
  }

  windowEnd(): void {
    this.upkeep.timed(() => {
      // Read at once: the runner exits soon after it reports the window's end.
      const s = this.sample(true);
      this.inWindow = false;
      this.windowEndSample = s ?? this.last;
      if (!s && this.last) {
        this.fail('the runner was gone at the window end; CPU time is taken from the last sample before it');
      }
      const hwm = readVmHwmBytes(this.procRoot, this.rootPid);
      // The kernel's own peak of the runner catches spikes between samples.
      if (hwm !== undefined) this.peakRssBytes = Math.max(this.peakRssBytes, hwm);
    });
  }

  async finish(): Promise<ProbeOutput> {
    this.upkeep.stop();
    const out: ProbeOutput = { overheadMs: this.upkeep.overheadMs };
    if (this.peakRssBytes > 0) {
      out.memory = { peakRssBytes: this.peakRssBytes };
      if (this.rssAfterLoadBytes !== undefined) out.memory.rssAfterLoadBytes = this.rssAfterLoadBytes;
    }
    const a = this.windowStartSample;
    const b = this.windowEndSample;
    if (a && b && b.atMs > a.atMs) {
      const cpuTimeS = Math.max(0, b.cpuTicks - a.cpuTicks) / this.ticksPerS;
      const windowS = (b.atMs - a.atMs) / 1000;
      out.cpu = { coresBusy: cpuTimeS / windowS, cpuTimeS, windowS };
    }
    if (this.series.tMs.length > 0) out.series = [this.series];
    if (this.failures.length > 0) out.failures = [...this.failures];
    return out;
  }

  private fail(message: string): void {
    this.failures.push({ probe: this.name, message });
  }

  /** One reading of the whole tree; undefined once the runner is gone. */
  private sample(relist: boolean): TreeSample | undefined {
    const atMs = performance.now();
    if (relist || atMs - this.treeListedAtMs >= TREE_REFRESH_MS) {
      this.tree = listProcessTree(this.procRoot, this.rootPid);
      this.treeListedAtMs = atMs;
    }
    let rssPages = 0;
    let cpuTicks = 0;
    let rootAlive = false;
    for (const pid of this.tree) {
      const st = readProcStat(this.procRoot, pid);
      if (!st) continue;
      if (pid === this.rootPid) rootAlive = true;
      rssPages += st.rssPages;
      // A reaped child's time moves into its parent's cutime/cstime, so the sum stays whole.
      cpuTicks += st.ownTicks + st.reapedChildrenTicks;
    }
    if (!rootAlive) {
      this.upkeep.stop();
      return undefined;
    }
    const s: TreeSample = { atMs, rssBytes: rssPages * this.pageBytes, cpuTicks };
    this.last = s;
    this.peakRssBytes = Math.max(this.peakRssBytes, s.rssBytes);
    if (this.inWindow) {
      const t0 = this.windowStartSample?.atMs ?? atMs;
      this.series.tMs.push(Math.round((atMs - t0) * 1000) / 1000);
      this.series.values.push(s.rssBytes);
    }
    return s;
  }
}

export function createProcessTreeProbe(opts: ProcessTreeProbeOptions = {}): ProcessTreeProbe {
  return new ProcessTreeProbe(opts);
}
