/**
 * A Session whose runtime lives in a browser page. The measuring loop runs
 * inside the page (measureLoop), so the clock brackets the runtime's own
 * call there; from Node, a sampler reads the renderer's and GPU process's
 * memory and CPU time from /proc while the page measures.
 */
import type { HostTensor, LoopMeasurement, Session, StoppingRule, TensorInfo } from '../../runtimes/runtime.js';
import type { PageHost } from './page-host.js';
import { PageProcessSampler, type PageProcessFigures } from './processes.js';
import { tensorsFromWire, tensorsToWire, type WireTensor } from './tensor-wire.js';
import type { BrowserContext, PageFigures } from '../../results/types.js';

interface Prepared {
  wire: Record<string, WireTensor>;
  /** Id of the feeds once uploaded to the page. */
  id?: number;
}

/** What the browser host measured beyond the loop; for the result's extra fields. */
export interface BrowserFigures {
  /** Session creation inside the page (model fetch, wasm compile, graph import), ms. */
  pageLoadMs: number;
  /** Renderer + GPU process memory and CPU time over the measuring window. */
  rendererAndGpu?: PageProcessFigures;
  /** performance.memory.usedJSHeapSize after the loop (JS heap, ArrayBuffers, wasm memory), bytes. */
  jsHeapUsedBytes?: number;
}

export interface BrowserSessionLimits {
  /** Limit for one call that is not the loop (upload, one run), ms. */
  callTimeoutMs: number;
}

export class BrowserSession implements Session<Prepared, Record<string, WireTensor>> {
  readonly figures: BrowserFigures;

  constructor(
    readonly host: PageHost,
    readonly inputs: TensorInfo[],
    readonly outputs: TensorInfo[],
    pageLoadMs: number,
    private readonly limits: BrowserSessionLimits,
    private readonly browser?: BrowserContext,
  ) {
    this.figures = { pageLoadMs };
  }

  prepare(feeds: Record<string, HostTensor>): Prepared {
    return { wire: tensorsToWire(feeds) } satisfies Prepared;
  }

  private async uploaded(prepared: Prepared): Promise<number> {
    const p = prepared as Prepared;
    p.id ??= await this.host.call('prepare', [p.wire], this.limits.callTimeoutMs);
    return p.id;
  }

  /** One run through CDP; its outputs come back with it. Not for timing: measureLoop times in the page. */
  async run(prepared: Prepared): Promise<Record<string, WireTensor>> {
    return this.host.call('runOnce', [await this.uploaded(prepared)], this.limits.callTimeoutMs);
  }

  async readOutputs(raw: Record<string, WireTensor>): Promise<Record<string, HostTensor>> {
    return tensorsFromWire(raw as Record<string, WireTensor>);
  }

  async measureLoop(prepared: Prepared, rule: StoppingRule): Promise<LoopMeasurement> {
    const id = await this.uploaded(prepared);
    const sampler = new PageProcessSampler(await this.host.processes());
    // The loop may take maxTimeMs after a first inference and a warm-up of up to warmupMaxMs; slow runs get the call limit twice over.
    const limitMs = rule.maxTimeMs + (rule.warmupMaxMs ?? rule.maxTimeMs) + 2 * this.limits.callTimeoutMs;
    sampler.start();
    let m: LoopMeasurement;
    try {
      m = await this.host.call('measure', [id, rule], limitMs);
    } finally {
      this.figures.rendererAndGpu = sampler.stop();
    }
    this.figures.jsHeapUsedBytes = await this.host.call('jsHeapBytes', [], this.limits.callTimeoutMs);
    return m;
  }

  pageFigures(): PageFigures {
    const r = this.figures.rendererAndGpu;
    return {
      pageLoadMs: this.figures.pageLoadMs,
      ...(r ? { rendererGpuPeakRssBytes: r.peakRssBytes, rendererGpuCpuS: r.cpuS, processes: r.processes.map((p) => ({ pid: p.pid, type: p.type })) } : {}),
      ...(this.figures.jsHeapUsedBytes !== undefined ? { jsHeapUsedBytes: this.figures.jsHeapUsedBytes } : {}),
    };
  }

  browserContext(): BrowserContext | undefined {
    return this.browser;
  }

  /** The control loop for the harness-overhead benchmark: the same session, nothing but the clock around each run. */
  async bareLoop(prepared: Prepared, runs: number): Promise<number[]> {
    const id = await this.uploaded(prepared);
    return this.host.call('bareLoop', [id, runs], this.limits.callTimeoutMs * 4);
  }

  async dispose(): Promise<void> {
    await this.host.call('dispose', [], this.limits.callTimeoutMs).catch(() => undefined);
    await this.host.close();
  }
}
