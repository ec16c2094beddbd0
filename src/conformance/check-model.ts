/**
 * `check`: per runtime, whether it can run a model and what blocks it. The
 * importers (tfjs, torch) answer from their own operator tables; every
 * runtime that is available then tries to create a session, which catches
 * what a table cannot see (attributes, onnxruntime's kernels by opset).
 */
import type { ModelProto } from '../onnx/read.js';
import { getRuntime, runtimeStatus } from '../runtimes/registry.js';
import { resolveSettings } from '../runtimes/settings.js';
import { findTorch } from '../runtimes/torch/python.js';
import { modelNeeds, operatorLabel, refusedValues, type ModelNeeds, type OperatorNeed } from '../onnx/model-needs.js';
import { valueRefusal } from '../runtimes/value-support.js';
import { torchOperatorNames } from './torch-op-names.js';

export interface Blocker {
  kind: 'operator' | 'type' | 'session' | 'unavailable';
  /** The operator, value or provider concerned. */
  subject: string;
  reason: string;
}

export interface RuntimeVerdict {
  runtime: string;
  /** runs: a session was created; blocked: something listed stops it; unavailable: the runtime cannot start here. */
  status: 'runs' | 'blocked' | 'unavailable';
  blockers: Blocker[];
}

export interface CheckReport {
  model: string;
  opsets: Record<string, number>;
  operators: OperatorNeed[];
  runtimes: RuntimeVerdict[];
}

const DEFAULT_DOMAINS = new Set(['', 'ai.onnx']);

function operatorBlockers(runtime: string, ops: OperatorNeed[], known: Set<string>): Blocker[] {
  return ops
    .filter((o) => !DEFAULT_DOMAINS.has(o.domain) || !known.has(o.opType))
    .map((o) => ({ kind: 'operator', subject: operatorLabel(o), reason: `${runtime} cannot run operator ${operatorLabel(o)} (opset ${o.opset}): not implemented` }));
}

function typeBlockers(runtime: string, needs: ModelNeeds): Blocker[] {
  const refused = needs.values.filter((v) => v.kind === 'tensor' && v.carried && valueRefusal(runtime, v.role, v.name, v.elemType ?? ''))
    .map((v): Blocker => ({ kind: 'type', subject: v.name, reason: valueRefusal(runtime, v.role, v.name, v.elemType ?? '')! }));
  return [...refused, ...needs.values.filter((v) => !v.carried).map((v): Blocker => ({
    kind: 'type',
    subject: v.name,
    reason: v.kind === 'tensor'
      ? `${v.role} ${v.name} of type ${v.elemType}: not supported by ${runtime}`
      : `${v.role} ${v.name} is ${v.kind === 'optional' ? 'an' : 'a'} ${v.kind}: not supported by ${runtime} (tensor inputs and outputs only)`,
  }))];
}

/** The importer's own table, or undefined for a runtime that has none (onnxruntime: the session decides). */
async function knownOperators(runtime: string): Promise<Set<string> | undefined> {
  if (runtime === 'tfjs') return new Set(Object.keys((await import('../runtimes/tfjs/ops/index.js')).OPS));
  if (runtime === 'torch') {
    const found = await findTorch();
    return found.ok ? torchOperatorNames(found.probe.python) : undefined;
  }
  return undefined;
}

/** ORT names the missing kernel as "... implementation for Foo(13) node ..."; keep that as the subject. */
function sessionBlocker(runtime: string, message: string): Blocker {
  const first = message.split('\n')[0];
  const kernel = /implementation for ([A-Za-z0-9_.]+)\((\d+)\)/.exec(first);
  if (kernel) return { kind: 'operator', subject: kernel[1], reason: `${runtime} cannot run operator ${kernel[1]} (opset ${kernel[2]}): ${first}` };
  return { kind: 'session', subject: 'session', reason: first };
}

async function checkRuntime(runtime: string, modelPath: string, needs: ModelNeeds): Promise<RuntimeVerdict> {
  const status = await runtimeStatus(runtime);
  const provider = status.providers.find((p) => p.available);
  const blockers: Blocker[] = [...typeBlockers(runtime, needs)];
  if (!provider) {
    const why = status.loadError ?? status.providers.map((p) => `${p.name}: ${p.reason ?? 'unavailable'}`).join('; ');
    return { runtime, status: 'unavailable', blockers: [...blockers, { kind: 'unavailable', subject: runtime, reason: why || `${runtime} has no provider here` }] };
  }
  const known = await knownOperators(runtime);
  if (known) blockers.push(...operatorBlockers(runtime, needs.operators, known));
  if (blockers.length > 0) return { runtime, status: 'blocked', blockers };
  const rt = await getRuntime(runtime);
  try {
    const session = await rt.createSession({ path: modelPath }, { provider: provider.name, settings: resolveSettings(rt.name, rt.settings, {}) });
    await session.dispose();
    return { runtime, status: 'runs', blockers: [] };
  } catch (err) {
    return { runtime, status: 'blocked', blockers: [sessionBlocker(runtime, (err as Error).message)] };
  }
}

export async function checkModel(model: ModelProto, modelPath: string, runtimes: string[]): Promise<CheckReport> {
  const needs = modelNeeds(model);
  const verdicts: RuntimeVerdict[] = [];
  // One after another: each session may load a whole model into memory.
  for (const r of runtimes) verdicts.push(await checkRuntime(r, modelPath, needs));
  return { model: modelPath, opsets: needs.opsets, operators: needs.operators, runtimes: verdicts };
}

export function checkText(report: CheckReport): string {
  const opsets = Object.entries(report.opsets).map(([d, v]) => `${d || 'ai.onnx'} ${v}`).join(', ');
  const lines = [
    `${report.model}: ${report.operators.length} operator types (opsets: ${opsets || 'none'})`,
    `  ${report.operators.map((o) => `${operatorLabel(o)}×${o.count}`).join(' ')}`,
  ];
  for (const v of report.runtimes) {
    lines.push(`${v.runtime.padEnd(8)} ${v.status === 'runs' ? 'can run this model' : v.status === 'blocked' ? 'cannot run this model:' : 'unavailable here:'}`);
    for (const b of v.blockers) lines.push(`           - ${b.reason}`);
  }
  return `${lines.join('\n')}\n`;
}
