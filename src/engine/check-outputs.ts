/**
 * --check-outputs: every trial's outputs on its seeded input are compared
 * with a reference (onnxruntime-node, cpu, graph optimisation disabled) on
 * the same input. The reference runs once per model and input shapes, in its
 * own runner process. Disagreement is recorded and flagged, never hidden.
 */
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { makeTempDir, removeTempDir } from '../files/temp-dirs.js';
import type { TrialResult } from '../results/types.js';
import type { Tensor } from '../runtimes/runtime.js';
import type { FromRunner, ToRunner } from '../runner/protocol.js';
import type { TrialSpec } from './trial-spec.js';
import { spawnRunner } from '../launchers/local.js';
import { onChildEnd } from '../launchers/child-exit.js';
import { TailBuffer } from './tail.js';
import { referenceId } from './reference-id.js';
import { readValuesFile } from '../runner/outputs-file.js';
import { compareOutputs, DEFAULT_TOLERANCE, type Tolerance } from './agreement.js';

export const REFERENCE = { runtime: 'ort-node', provider: 'cpu', settings: { graphOptimizationLevel: 'disabled' } } as const;
export const REFERENCE_NAME = 'ort-node/cpu graphOptimizationLevel=disabled';

/**
 * A `precision` setting that computes in fewer bits earns a wider tolerance, recorded in
 * the agreement like any other. Sized from measured errors against the reference on the
 * zoo's MobileNetV2 and ResNet-50 (tensorflow format native, batch 2): float16 compute
 * reached 0.76% of the output's largest value, bfloat16 6.6%; about 2.5x that is allowed.
 * Top-1 agreement is still required.
 */
export const REDUCED_PRECISION_TOLERANCE: Readonly<Record<string, Tolerance>> = {
  mixed_float16: { absTol: 2e-2, relTol: 1e-2 },
  mixed_bfloat16: { absTol: 1.5e-1, relTol: 5e-2 },
};

export function toleranceFor(settings: TrialSpec['settings'], base: Tolerance): Tolerance {
  const wide = REDUCED_PRECISION_TOLERANCE[String(settings.precision ?? '')];
  return wide ? { absTol: Math.max(base.absTol, wide.absTol), relTol: Math.max(base.relTol, wide.relTol) } : base;
}


export class OutputChecker {
  private readonly dir = makeTempDir('infermark-outputs-');
  private readonly references = new Map<string, Promise<Record<string, Tensor> | { error: string }>>();
  private n = 0;

  constructor(private readonly tolerance: Tolerance = DEFAULT_TOLERANCE) {}

  /** Scenarios say whether their outputs are checked (an ensemble checks its own prediction); the reference reads ONNX only. */
  applies(spec: TrialSpec): boolean {
    return referenceId(spec) !== undefined;
  }

  /** The spec with a file for its outputs. */
  prepare(spec: TrialSpec): TrialSpec {
    return this.applies(spec) ? { ...spec, outputsPath: join(this.dir, `t${this.n++}.bin`) } : spec;
  }

  private reference(spec: TrialSpec): Promise<Record<string, Tensor> | { error: string }> {
    const id = referenceId(spec)!;
    let p = this.references.get(id);
    if (!p) {
      const path = join(this.dir, `ref${this.references.size}.bin`);
      p = runReference({ ...spec, ...REFERENCE, settings: { ...REFERENCE.settings }, outputsPath: path, timeoutMs: spec.timeoutMs })
        .then((error) => (error ? { error } : readValuesFile(path)));
      this.references.set(id, p);
    }
    return p;
  }

  /** The result with `agreement`, and a warning when beyond tolerance. */
  async check(spec: TrialSpec, result: TrialResult): Promise<TrialResult> {
    if (result.status !== 'ok' || !spec.outputsPath || !existsSync(spec.outputsPath)) return result;
    const ref = await this.reference(spec);
    if ('error' in ref) {
      return { ...result, agreement: { reference: REFERENCE_NAME, error: `the reference could not run: ${ref.error}` } };
    }
    const agreement = compareOutputs(readValuesFile(spec.outputsPath), ref as Record<string, Tensor>, REFERENCE_NAME, toleranceFor(spec.settings, this.tolerance));
    rmSync(spec.outputsPath, { force: true });
    const warnings = agreement.withinTolerance ? result.warnings : [...result.warnings, {
      code: 'output-mismatch',
      message: `outputs disagree with the reference (${REFERENCE_NAME}): ${agreement.mismatch ?? `max abs error ${agreement.maxAbsError.toPrecision(3)}, max rel error ${agreement.maxRelError.toPrecision(3)}${agreement.top1Agreement !== undefined ? `, top-1 agreement ${(agreement.top1Agreement * 100).toFixed(1)}%` : ''}`}`,
      remedy: 'check the runtime\'s settings (e.g. reduced precision) or report the runtime\'s bug; the figures are for a computation that differs',
    }];
    return { ...result, warnings, agreement };
  }

  close(): void {
    removeTempDir(this.dir);
  }
}

function runReference(spec: TrialSpec): Promise<string | undefined> {
  return new Promise((resolve) => {
    const child = spawnRunner();
    const stderr = new TailBuffer(1000);
    let error: string | undefined;
    child.stderr?.on('data', (c) => stderr.push(c));
    const timer = setTimeout(() => { error = `timed out after ${spec.timeoutMs / 1000}s`; child.kill('SIGKILL'); }, spec.timeoutMs);
    child.on('message', (m: FromRunner) => { if (m.type === 'error') error = m.message; });
    onChildEnd(child, (code, signal) => {
      clearTimeout(timer);
      resolve(code === 0 ? undefined : error ?? `reference runner ended with ${signal ?? `code ${code}`}: ${stderr.toString().slice(-300)}`);
    });
    child.send({ type: 'outputs', spec } satisfies ToRunner);
  });
}
