/**
 * The ensemble's prediction: the element-wise mean of the members' outputs,
 * checked against the members (same shape, finite, inside the members'
 * range) with the top-1 agreement of the ensemble with each member.
 */
import type { HostTensor } from '../runtimes/runtime.js';

import type { EnsembleCheck } from '../results/types.js';

export type { EnsembleCheck };

function argmaxRows(data: ArrayLike<number>, rows: number, cols: number): number[] {
  const out: number[] = [];
  for (let r = 0; r < rows; r++) {
    let best = 0;
    for (let c = 1; c < cols; c++) if (data[r * cols + c] > data[r * cols + best]) best = c;
    out.push(best);
  }
  return out;
}

export function ensemblePrediction(outputs: HostTensor[]): { mean: Float32Array; check: EnsembleCheck } {
  if (outputs.length === 0) throw new Error('an ensemble needs at least one member output');
  const shape = outputs[0].shape;
  for (const [i, o] of outputs.entries()) {
    if (o.shape.join('x') !== shape.join('x')) {
      throw new Error(`ensemble members disagree on the output shape: member 0 gives [${shape.join(', ')}], member ${i} [${o.shape.join(', ')}]; an ensemble averages outputs of the same shape (e.g. classifiers over the same classes)`);
    }
  }
  const n = outputs[0].data.length;
  const mean = new Float32Array(n);
  let within = true;
  for (let k = 0; k < n; k++) {
    let sum = 0;
    let lo = Infinity;
    let hi = -Infinity;
    for (const o of outputs) {
      const v = Number(o.data[k]);
      sum += v;
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    mean[k] = sum / outputs.length;
    // float32 rounding of the mean may step a hair outside [lo, hi]
    const slack = 1e-6 * Math.max(1, Math.abs(lo), Math.abs(hi));
    if (mean[k] < lo - slack || mean[k] > hi + slack) within = false;
  }
  const rows = shape.length > 1 ? shape[0] : 1;
  const cols = n / rows;
  const ensembleTop1 = argmaxRows(mean, rows, cols);
  const agreement = outputs.map((o) => {
    const member = argmaxRows(Array.from(o.data, Number), rows, cols);
    return member.filter((c, i) => c === ensembleTop1[i]).length / rows;
  });
  return {
    mean,
    check: { shape: [...shape], finite: mean.every(Number.isFinite), withinMemberRange: within, top1AgreementWithMembers: agreement },
  };
}
