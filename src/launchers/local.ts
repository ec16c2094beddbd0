/**
 * The local launcher: one trial in a fresh runner process forked here. Probes watch it from here.
 * Whatever happens to the runner (an error, a crash, a signal, a hang past
 * the timeout) becomes a TrialResult; this function never throws for a trial.
 */
import { fileURLToPath } from 'node:url';
import type { TrialResult } from '../results/types.js';
import type { Probe, ProbeOutput } from '../probes/probe.js';
import type { FromRunner, RunnerResult, ToRunner } from '../runner/protocol.js';
import { trialMessage } from '../runner/trial-message.js';
import type { TrialSpec } from '../core/trial-spec.js';
import type { Launcher, LaunchOptions } from './launcher.js';
import { TailBuffer } from '../engine/tail.js';
import { forkWithOwnTemp } from './fork-own-temp.js';
import { onChildEnd } from './child-exit.js';
import { trialContext } from '../engine/context.js';
import { buildFailedTrial, buildOkTrial } from '../engine/build-result.js';

export const RUNNER_PATH = fileURLToPath(new URL('../runner/child.js', import.meta.url));

/** After the result arrives, a runner that does not exit by itself within this is killed. */
const EXIT_GRACE_MS = 5000;

export interface ExecuteOptions extends LaunchOptions {
  /** Kill functions of the runners now running, for cancel(). */
  running?: Set<() => void>;
}

async function safely<T>(fn: () => T | Promise<T>): Promise<T | undefined> {
  try {
    return await fn();
  } catch {
    return undefined;
  }
}

export function spawnRunner() {
  return forkWithOwnTemp(RUNNER_PATH, ['ignore', 'pipe', 'pipe', 'ipc']);
}

function describeExit(code: number | null, signal: NodeJS.Signals | null, killedByUs: boolean): { kind: 'crash' | 'signal' | 'oom'; message: string } {
  if (signal === 'SIGKILL' && !killedByUs) {
    return { kind: 'oom', message: 'runner was killed by SIGKILL, as the kernel\'s out-of-memory killer does; check free memory, or use a smaller --batch' };
  }
  if (signal) return { kind: 'signal', message: `runner died from signal ${signal}` };
  return { kind: 'crash', message: `runner exited with code ${code} before reporting a result` };
}

/** A sensor that updates slowly (NVML: ~100 ms) needs a long enough window: lengthen the loop to it. */
function withProbeWindow(spec: TrialSpec, probes: Probe[]): TrialSpec {
  const minWindowMs = Math.max(0, ...probes.map((p) => p.minWindowMs ?? 0));
  if (minWindowMs <= spec.stopping.minTimeMs) return spec;
  return { ...spec, stopping: { ...spec.stopping, minTimeMs: minWindowMs, maxTimeMs: Math.max(spec.stopping.maxTimeMs, minWindowMs) } };
}

export async function executeTrial(given: TrialSpec, options: ExecuteOptions = {}): Promise<TrialResult> {
  const probes = options.probes ?? [];
  const spec = withProbeWindow(given, probes);
  const startedAt = new Date();
  const stderr = new TailBuffer();
  const child = spawnRunner();
  child.stdout?.on('data', (c) => { stderr.push(c); options.onOutput?.(c.toString()); });
  child.stderr?.on('data', (c) => { stderr.push(c); options.onOutput?.(c.toString()); });
  options.onPhase?.('starting');
  for (const p of probes) await safely(() => p.attach({ pid: child.pid! }));

  let result: RunnerResult | undefined;
  let runnerError: { message: string; stack?: string } | undefined;
  let timedOut = false;
  let killedByUs = false;
  let cancelled = false;

  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    onChildEnd(child, (code, signal) => resolve({ code, signal }));
    child.on('error', (err) => { runnerError ??= { message: `runner could not start: ${err.message}` }; });
  });
  const kill = () => { timedOut = true; killedByUs = true; child.kill('SIGKILL'); };
  let timer = setTimeout(kill, spec.timeoutMs);
  let allowedMs = spec.timeoutMs;
  const cancel = () => { cancelled = true; killedByUs = true; child.kill('SIGKILL'); };
  options.running?.add(cancel);
  let graceTimer: NodeJS.Timeout | undefined;

  child.on('message', (msg: FromRunner) => {
    switch (msg.type) {
      case 'loaded':
        options.onPhase?.('loaded');
        for (const p of probes) void safely(() => p.loaded?.());
        if (options.barrier) {
          options.barrier.loaded();
          void options.barrier.go.then(() => { if (child.connected) child.send({ type: 'go' } satisfies ToRunner); });
        }
        break;
      case 'window-start': options.onPhase?.('measuring'); for (const p of probes) void safely(() => p.windowStart()); break;
      case 'window-end': for (const p of probes) void safely(() => p.windowEnd()); break;
      case 'planned': {
        // What the scenario plans (a rate search's attempts) on top of --timeout, counted from now.
        const elapsedMs = Date.now() - startedAt.getTime();
        allowedMs = Math.max(allowedMs, elapsedMs + msg.ms + spec.timeoutMs);
        clearTimeout(timer);
        timer = setTimeout(kill, allowedMs - elapsedMs);
        break;
      }
      case 'result':
        result = msg.result;
        graceTimer = setTimeout(() => { killedByUs = true; child.kill('SIGKILL'); }, EXIT_GRACE_MS);
        break;
      case 'error': runnerError = { message: msg.message, stack: msg.stack }; break;
      default: break;
    }
  });
  child.send(trialMessage(spec, Boolean(options.barrier)));

  const { code, signal } = await exited;
  options.running?.delete(cancel);
  clearTimeout(timer);
  if (graceTimer) clearTimeout(graceTimer);
  const outputs: ProbeOutput[] = [];
  for (const p of probes) {
    const out = await safely(() => p.finish());
    if (out) outputs.push(out);
  }
  options.onPhase?.('done');
  const context = trialContext(result?.runtimeVersions ?? {}, startedAt, result?.browser);

  if (result) return buildOkTrial(given, result, outputs, context, options.runnerBaselineRssBytes);
  const stderrTail = stderr.toString();
  if (timedOut) {
    return buildFailedTrial(given, {
      kind: 'timeout', stderrTail, exitCode: code, signal,
      message: `trial did not finish within ${allowedMs / 1000}s (--timeout ${spec.timeoutMs / 1000}s${allowedMs > spec.timeoutMs ? ' plus the time its scenario planned' : ''}) and was killed; raise --timeout if the model is just slow`,
    }, context);
  }
  if (cancelled) return buildFailedTrial(given, { kind: 'signal', message: 'the trial was cancelled', stderrTail, exitCode: code, signal }, context);
  if (runnerError) return buildFailedTrial(given, { kind: 'error', message: runnerError.message, stderrTail, exitCode: code, signal }, context);
  return buildFailedTrial(given, { ...describeExit(code, signal, killedByUs), stderrTail, exitCode: code, signal }, context);
}

/** Forks each trial's runner on this machine: timeout, signals and the OOM killer become failed results. */
export class LocalLauncher implements Launcher {
  readonly name = 'local';
  private readonly running = new Set<() => void>();

  run(spec: TrialSpec, options: LaunchOptions = {}): Promise<TrialResult> {
    return executeTrial(spec, { ...options, running: this.running });
  }

  cancel(): void {
    for (const kill of this.running) kill();
  }
}
