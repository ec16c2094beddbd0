/**
 * The runner: one child process per trial. It loads the runtime and the
 * model, synthesises the inputs, measures inside this process around the
 * runtime's call, and sends the raw samples back. It never computes
 * statistics and never touches the results file.
 */
import type { FromRunner, ToRunner } from './protocol.js';
import type { TrialSpec } from '../core/trial-spec.js';
import { getRuntime } from '../runtimes/registry.js';
import { numericFeeds, synthesizeFeeds } from './inputs.js';
import { readAllOutputs } from '../runtimes/read-values.js';
import { findScenario } from '../scenarios/registry.js';
import { valueRefusal } from '../runtimes/value-support.js';
import { measureLoop, type LoopHooks } from './loop.js';
import type { LoopMeasurement, Session } from '../runtimes/runtime.js';
import { nowMs } from './clock.js';
import { writeOutputsFile } from './outputs-file.js';
import { runScenarioInRunner } from '../scenarios/in-runner.js';
import { measureMatmulPeak, type PeakGemm } from '../probes/peak.js';
import { CoreSampler, pinSelf } from './affinity.js';
import type { SessionOptions } from '../runtimes/runtime.js';
import type { CompileFigures, LoadDetails } from '../results/types.js';

function send(msg: FromRunner): Promise<void> {
  return new Promise((resolve) => {
    if (!process.send) return resolve();
    process.send(msg, undefined, undefined, () => resolve());
  });
}

let go: () => void = () => {};
const goReceived = new Promise<void>((resolve) => { go = resolve; });

/**
 * A session with its own loop (a Python worker): the first inference and the warm-up run
 * from here, so the window the probes see opens when the measured calls begin.
 */
async function sessionLoop(session: Session, prepared: unknown, spec: TrialSpec, hooks: LoopHooks): Promise<LoopMeasurement> {
  const rule = spec.stopping;
  let t0 = nowMs();
  await session.run(prepared);
  const firstInferenceMs = nowMs() - t0;
  let warmupRuns = 0;
  t0 = nowMs();
  while (warmupRuns < rule.warmupRuns && nowMs() - t0 < (rule.warmupMaxMs ?? Infinity)) {
    await session.run(prepared);
    warmupRuns++;
  }
  hooks.windowStart();
  const m = await session.measureLoop!(prepared, { ...rule, warmupRuns: 0, skipFirstRun: true });
  hooks.windowEnd();
  return { ...m, firstInferenceMs, warmupRuns };
}

/** A runtime that loaded a model whose inputs or outputs cannot cross its API fails the trial here, naming them. */
async function refuseUncarriedValues(runtime: string, session: Session): Promise<void> {
  const refused = [
    ...session.inputs.map((i) => valueRefusal(runtime, 'input', i.name, i.dtype)),
    ...session.outputs.map((o) => valueRefusal(runtime, 'output', o.name, o.dtype)),
  ].filter((r): r is string => r !== null);
  if (refused.length === 0) return;
  await session.dispose();
  throw new Error(refused.join('; '));
}

async function runTrial(spec: TrialSpec, barrier: boolean, scenarioModule: string | undefined): Promise<void> {
  // Pinned before the runtime loads, so every thread it starts inherits the affinity.
  const pinError = spec.cpus ? pinSelf(spec.cpus) : undefined;
  const cores = new CoreSampler();
  const runtime = await getRuntime(spec.runtime);
  const runtimeVersions = await runtime.versions();
  const t0 = nowMs();
  const session = await runtime.createSession({ path: spec.modelPath }, { provider: spec.provider, settings: spec.settings, inputShapes: spec.inputShapes });
  // A schedule search (TVM tuning) is reported apart, as loadDetails.tuningMs, not as load time.
  const loadMs = nowMs() - t0 - ((session as { loadDetails?: LoadDetails }).loadDetails?.tuningMs ?? 0);
  await refuseUncarriedValues(spec.runtime, session);
  await send({ type: 'loaded', loadMs });
  if (barrier) await goReceived;

  const feeds = synthesizeFeeds(session.inputs, spec.inputShapes, spec.seed, spec.intRanges, spec.givenInputs);
  const coresUsed: number[] = [];
  const prepared = session.prepare(feeds);
  const hooks = {
    windowStart: () => { cores.start(); void send({ type: 'window-start' }); },
    windowEnd: () => { coresUsed.push(...cores.stop()); void send({ type: 'window-end' }); },
    planned: (ms: number) => void send({ type: 'planned', ms }),
  };
  const numeric = numericFeeds(feeds);
  if (!numeric && findScenario(spec.scenario)?.runInRunner) {
    const name = Object.keys(feeds).find((k) => feeds[k].dtype === 'string');
    throw new Error(`scenario ${spec.scenario} cuts its own rows of numeric inputs, but input ${name} is a string tensor; run this model with the single-stream or offline scenario`);
  }
  const scenario = numeric ? await runScenarioInRunner(spec, session, numeric, hooks, scenarioModule) : undefined;
  const loop = scenario?.measurement
    ?? (session.measureLoop
      ? await sessionLoop(session, prepared, spec, hooks)
      : await measureLoop(() => session.run(prepared), spec.stopping, hooks));

  if (spec.outputsPath) {
    writeOutputsFile(spec.outputsPath, await readAllOutputs(session, await session.run(prepared)));
  }
  const { loadKind, loadDetails } = session as { loadKind?: 'cold' | 'warm'; loadDetails?: LoadDetails };
  const page = session.pageFigures?.();
  const browser = session.browserContext?.();
  await session.dispose();
  // Read after dispose: a session that compiles on its first call times its warm compile there.
  const compile = (session as { compile?: CompileFigures }).compile;
  await send({
    type: 'result',
    result: {
      ...loop, loadMs, runtimeVersions, loadKind, ...(loadDetails ? { loadDetails } : {}), ...(compile ? { compile } : {}), figures: scenario?.figures, ...(page ? { page } : {}), ...(browser ? { browser } : {}),
      ...(coresUsed.length ? { coresUsed: [...new Set(coresUsed)].sort((a, b) => a - b) } : {}),
      ...(pinError ? { pinError } : {}),
      inputShapes: Object.fromEntries(Object.entries(feeds).map(([k, t]) => [k, t.shape])),
    },
  });
}

async function referenceOutputs(spec: TrialSpec): Promise<void> {
  const runtime = await getRuntime(spec.runtime);
  const session = await runtime.createSession({ path: spec.modelPath }, { provider: spec.provider, settings: spec.settings });
  const prepared = session.prepare(synthesizeFeeds(session.inputs, spec.inputShapes, spec.seed, spec.intRanges, spec.givenInputs));
  writeOutputsFile(spec.outputsPath!, await readAllOutputs(session, await session.run(prepared)));
  await session.dispose();
}

async function idle(runtimeName: string): Promise<void> {
  const runtime = await getRuntime(runtimeName);
  await runtime.versions();
  await send({ type: 'ready' });
  // The parent reads our memory now and then ends us.
  await new Promise(() => setInterval(() => {}, 1 << 30));
}

async function peak(runtimeName: string, options: SessionOptions, gemm: PeakGemm): Promise<void> {
  const runtime = await getRuntime(runtimeName);
  await send({ type: 'peak', ...(await measureMatmulPeak(runtime, options, gemm)) });
}

process.on('message', (msg: ToRunner) => {
  if (msg.type === 'go') return go();
  const job = msg.type === 'trial' ? runTrial(msg.spec, Boolean(msg.barrier), msg.scenarioModule)
    : msg.type === 'outputs' ? referenceOutputs(msg.spec)
      : msg.type === 'peak' ? peak(msg.runtime, msg.options, msg.gemm)
        : idle(msg.runtime);
  job.then(
    // Some runtimes keep worker threads alive; the trial is over, so leave.
    () => process.exit(0),
    async (err: Error) => {
      await send({ type: 'error', message: err?.message ?? String(err), stack: err?.stack });
      process.exit(1);
    },
  );
});
