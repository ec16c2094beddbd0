/**
 * The browser host's own cost. (1) In the page, on one ort-web wasm session:
 * the median infermark's in-page loop reports against a bare in-page loop
 * (performance.now() around the call, nothing else), alternating, same
 * count of runs each. Target: ratio <= 1.02. (2) The same model on
 * onnxruntime-web's wasm build in Node (infermark's loop) against ort-web
 * wasm in a Chromium page: the price (or gain) of the browser, printed.
 * Both use one wasm thread.
 */
import { getRuntime } from '../src/runtimes/registry.js';
import { measureLoop } from '../src/runner/loop.js';
import { DEFAULT_STOPPING } from '../src/engine/trial-spec.js';
import { synthesizeInputs } from '../src/engine/inputs.js';
import type { BrowserSession } from '../src/hosts/chromium/browser-session.js';
import type { Session, StoppingRule } from '../src/runtimes/runtime.js';
import { benchModelPath } from './models.js';

const WIDTH = 256;
/** Batch 32 makes a run ~1 ms: far above performance.now()'s 5 µs steps in an isolated page, so medians are not quantised. */
const BATCH = 32;
const RUNS = 500;
const ROUNDS = 20;
const NODE_VS_PAGE_ROUNDS = 6;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const quartiles = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); return [0.25, 0.5, 0.75].map((q) => s[Math.floor(q * (s.length - 1))].toFixed(3)).join(' / '); };

/** Exactly RUNS samples, no warm-up, no early stop: the same work as the bare loop. */
const FIXED: StoppingRule = { ...DEFAULT_STOPPING, warmupRuns: 0, minSamples: RUNS, maxSamples: RUNS, minTimeMs: 0, maxTimeMs: 600_000, targetCiRel: 0 };

async function open(name: string, provider: string): Promise<{ session: Session; prepared: unknown }> {
  const rt = await getRuntime(name);
  const session = await rt.createSession({ path: benchModelPath('matmul-256', WIDTH) }, { provider, settings: { numThreads: 1 } });
  const feeds = synthesizeInputs(session.inputs, { x: [BATCH, WIDTH] }, 42);
  return { session, prepared: session.prepare(feeds) };
}

export async function main(): Promise<void> {
  console.log(`browser host: MatMul ${WIDTH}x${WIDTH}, batch ${BATCH}, ort-web wasm, numThreads=1, ${RUNS} runs per loop`);
  const page = await open('ort-web@chromium', 'wasm');
  const bs = page.session as BrowserSession;
  const pagePrepared = page.prepared as Parameters<BrowserSession['run']>[0];
  try {
    await bs.bareLoop(pagePrepared, RUNS); // warm
    const ratios: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const ours = async () => median((await bs.measureLoop(pagePrepared, FIXED)).samplesMs);
      const bare = async () => median(await bs.bareLoop(pagePrepared, RUNS));
      // Alternate which goes first, so drift favours neither.
      let b: number;
      let o: number;
      if (round % 2 === 0) { b = await bare(); o = await ours(); } else { o = await ours(); b = await bare(); }
      ratios.push(o / b);
    }
    console.log(`  in-page loop / bare in-page loop, ${ROUNDS} alternating rounds: quartiles ${quartiles(ratios)}; median ratio ${median(ratios).toFixed(3)} (target <= 1.02)`);

    const node = await open('ort-web', 'wasm');
    try {
      const nodeMs: number[] = [];
      const pageMs: number[] = [];
      for (let round = 0; round < NODE_VS_PAGE_ROUNDS; round++) {
        const inNode = async () => nodeMs.push(median((await measureLoop(() => node.session.run(node.prepared), FIXED, { windowStart() {}, windowEnd() {} })).samplesMs));
        const inPage = async () => pageMs.push(median((await bs.measureLoop(pagePrepared, FIXED)).samplesMs));
        if (round % 2 === 0) { await inNode(); await inPage(); } else { await inPage(); await inNode(); }
      }
      const ratio = pageMs.map((p, i) => p / nodeMs[i]);
      console.log(`  ort-web wasm median: Node ${median(nodeMs).toFixed(4)} ms, Chromium page ${median(pageMs).toFixed(4)} ms; page / Node per round: ${ratio.map((r) => r.toFixed(3)).join(' ')}; median ratio ${median(ratio).toFixed(3)}`);
    } finally {
      await node.session.dispose();
    }
  } finally {
    await bs.dispose();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
