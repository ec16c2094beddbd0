/**
 * The in-page harness: an ES module the page loads from infermark's own dist
 * folder. It creates the runtime's session inside the page and runs
 * infermark's measuring loop (src/runner/loop.ts, the very same code the Node
 * runner uses) there, so performance.now() brackets the runtime's call and
 * nothing crosses the CDP boundary while a sample is taken. Node drives it
 * through `globalThis.infermark`.
 */
import type { HostTensor, LoopMeasurement, Session, StoppingRule, TensorInfo } from '../../../runtimes/runtime.js';
import { measureLoop } from '../../../runner/loop.js';
import { tensorsFromWire, tensorsToWire, type WireTensor } from '../tensor-wire.js';
import { gpuAdapterInfo, webglRenderer, type PageEnvironment } from './environment.js';

/** The runner's clock reads process.hrtime; in the page that clock is performance.now(). */
const g = globalThis as unknown as { process?: unknown; infermark?: unknown; tf?: TfGlobal; performance: { now(): number; memory?: { usedJSHeapSize: number; totalJSHeapSize: number } } };
g.process ??= { hrtime: { bigint: () => BigInt(Math.round(g.performance.now() * 1e6)) } };

export interface LoadRequest {
  engine: 'ort' | 'tfjs';
  provider: string;
  settings: Record<string, string | number | boolean>;
  /** The model's inputs and outputs as read in Node, for a provider that cannot report them (ORT's webgl). */
  io?: { inputs: TensorInfo[]; outputs: TensorInfo[] };
}

export interface LoadReply {
  inputs: TensorInfo[];
  outputs: TensorInfo[];
  /** Session creation inside the page (fetch, wasm compile, graph import), ms. */
  loadMs: number;
  /** What the engine says it is running on (tf.getBackend(), ORT's provider). */
  backend: string;
  /** Threads the engine reports using, where it says. */
  threads?: number;
}

interface TfGlobal {
  setBackend(name: string): Promise<boolean>;
  getBackend(): string;
  ready(): Promise<void>;
  wasm?: { setWasmPaths(p: string): void; setThreadsCount(n: number): void; getThreadsCount(): number };
}

let session: Session | undefined;
/** Set when the session must be rebuilt for the first feeds' shapes (ORT's webgl needs static shapes). */
let rebuildFor: ((feeds: Record<string, HostTensor>) => Promise<Session>) | undefined;
const prepared = new Map<number, unknown>();
let nextId = 1;

async function loadOrt(req: LoadRequest): Promise<{ session: Session; backend: string; threads?: number }> {
  const spec = '/ort/ort.all.min.mjs';
  const ort = await import(spec);
  ort.env.wasm.wasmPaths = '/ort/';
  ort.env.wasm.numThreads = Number(req.settings.numThreads ?? 0);
  const { OrtSession } = await import('../../../runtimes/ort-session.js');
  const create = async (fixedDims?: Record<string, number>) => {
    const url = fixedDims ? `/model.onnx?dims=${encodeURIComponent(JSON.stringify(fixedDims))}` : '/model.onnx';
    const bytes = new Uint8Array(await (await fetch(url)).arrayBuffer());
    const s = await ort.InferenceSession.create(bytes, {
      executionProviders: [req.provider],
      graphOptimizationLevel: req.settings.graphOptimizationLevel ?? 'all',
    });
    return new OrtSession(ort, withMetadata(s, req.io) as never);
  };
  const first = await create();
  const symbolic = first.inputs.some((i) => i.shape.some((d) => typeof d !== 'number'));
  if (req.provider === 'webgl' && symbolic) {
    // ORT's webgl backend checks feeds against the model's declared shapes and rejects symbolic dimensions: load it again with them fixed to the feeds'.
    rebuildFor = async (feeds) => {
      const fixed: Record<string, number> = {};
      for (const info of first.inputs) info.shape.forEach((d, i) => { if (typeof d === 'string') fixed[d] = feeds[info.name].shape[i]; });
      await first.dispose();
      return create(fixed);
    };
  }
  return { session: first, backend: req.provider, threads: req.provider === 'wasm' ? ort.env.wasm.numThreads : undefined };
}

/** ORT's webgl backend throws on inputMetadata ("not supported in webgl backend"): give it the model's own. */
function withMetadata(s: Record<string, unknown>, io: LoadRequest['io']): Record<string, unknown> {
  try {
    void s.inputMetadata;
    return s;
  } catch (err) {
    if (!io) throw err;
    const meta = (ts: TensorInfo[]) => ts.map((t) => ({ name: t.name, isTensor: true, type: t.dtype, shape: t.shape.map((d) => d ?? '') }));
    return {
      inputMetadata: meta(io.inputs),
      outputMetadata: meta(io.outputs),
      run: (feeds: unknown) => (s.run as (f: unknown) => Promise<unknown>).call(s, feeds),
      release: () => (s.release as () => Promise<void>).call(s),
    };
  }
}

async function loadTfjs(req: LoadRequest): Promise<{ session: Session; backend: string; threads?: number }> {
  const tf = g.tf;
  if (!tf) throw new Error('TensorFlow.js did not load in the page (tf-core script missing)');
  if (req.provider === 'wasm') {
    tf.wasm!.setWasmPaths('/tfjs/wasm/');
    tf.wasm!.setThreadsCount(Number(req.settings.numThreads ?? 1));
  }
  const ok = await tf.setBackend(req.provider).catch(() => false);
  await tf.ready().catch(() => undefined);
  // tfjs carries on with another backend when one fails to start: never label its result with the wrong name.
  if (!ok || tf.getBackend() !== req.provider) {
    throw new Error(`backend ${req.provider} did not initialise (TensorFlow.js is on ${JSON.stringify(tf.getBackend())}); see the console tail`);
  }
  const [{ decodeGraph }, { ImportedGraph }, { TfjsSession }] = await Promise.all([
    import('../graph-wire.js'), import('../../../runtimes/tfjs/importer.js'), import('../../../runtimes/tfjs/session.js'),
  ]);
  const [json, blob] = await Promise.all([
    fetch('/graph.json').then((r) => r.text()), fetch('/graph.bin').then((r) => r.arrayBuffer()),
  ]);
  const ir = decodeGraph(json, blob);
  const graph = new ImportedGraph(ir, { layout: req.settings.layout === 'nchw' ? 'nchw' : 'nhwc', fuse: req.settings.fuse !== false });
  const threads = req.provider === 'wasm' ? tf.wasm!.getThreadsCount() : undefined;
  return { session: new TfjsSession(graph, ir.inputs, ir.outputs), backend: tf.getBackend(), threads };
}

const api = {
  async environment(): Promise<PageEnvironment> {
    return {
      userAgent: (globalThis as unknown as { navigator: { userAgent: string } }).navigator.userAgent,
      crossOriginIsolated: (globalThis as unknown as { crossOriginIsolated?: boolean }).crossOriginIsolated === true,
      webassembly: typeof WebAssembly === 'object',
      webglRenderer: webglRenderer(),
      gpu: await gpuAdapterInfo(),
    };
  },

  async load(req: LoadRequest): Promise<LoadReply> {
    const t0 = g.performance.now();
    const made = req.engine === 'ort' ? await loadOrt(req) : await loadTfjs(req);
    session = made.session;
    return { inputs: session.inputs, outputs: session.outputs, loadMs: g.performance.now() - t0, backend: made.backend, threads: made.threads };
  },

  async prepare(feeds: Record<string, WireTensor>): Promise<number> {
    const host = tensorsFromWire(feeds);
    if (rebuildFor) {
      session = await rebuildFor(host);
      rebuildFor = undefined;
    }
    const id = nextId++;
    prepared.set(id, need().prepare(host));
    return id;
  },

  measure(id: number, rule: StoppingRule): Promise<LoopMeasurement> {
    const s = need();
    const p = feedsOf(id);
    return measureLoop(() => s.run(p), rule, { windowStart() {}, windowEnd() {} });
  },

  /** The control for the harness's overhead: the same calls with nothing around them but the clock. */
  async bareLoop(id: number, runs: number): Promise<number[]> {
    const s = need();
    const p = feedsOf(id);
    const out: number[] = [];
    for (let i = 0; i < runs; i++) {
      const t0 = g.performance.now();
      await s.run(p);
      out.push(g.performance.now() - t0);
    }
    return out;
  },

  async runOnce(id: number): Promise<Record<string, WireTensor>> {
    const s = need();
    return tensorsToWire(await s.readOutputs(await s.run(feedsOf(id))));
  },

  jsHeapBytes(): number | undefined {
    return g.performance.memory?.usedJSHeapSize;
  },

  async dispose(): Promise<void> {
    await session?.dispose();
    session = undefined;
    prepared.clear();
  },
};

function need(): Session {
  if (!session) throw new Error('no session in the page: load() first');
  return session;
}

function feedsOf(id: number): unknown {
  if (!prepared.has(id)) throw new Error(`no prepared feeds with id ${id} in the page`);
  return prepared.get(id);
}

export type HarnessApi = typeof api;
g.infermark = api;
