/**
 * Binding every input's shape the way the model declares its batch: the
 * batch axis of an input is the one carrying the batch's symbolic name (a
 * recurrent state [2, batch, 64] batches on axis 1), the name being
 * --batch-dim NAME, else a symbolic dimension named like "batch", else a
 * symbolic first dimension of the first input. Inputs without that dimension
 * (scalars, fixed states, lookup tables) keep their declared shape, and a
 * model with no batch dimension runs at its declared shape. Other symbolic
 * dimensions come from --dim NAME=VALUE, and --shape INPUT=d0,d1,... gives one
 * input's whole shape. Anything left unknown is an input error that names it.
 */
import type { TensorInfo } from '../runtimes/runtime.js';
import { InputError } from '../errors/input-error.js';

export interface ShapeBindings {
  dims: Record<string, number>;
  shapes: Record<string, number[]>;
  /** The symbolic dimension that carries the batch (--batch-dim); found from the model when absent. */
  batchDim?: string;
}

function symbolicNames(inputs: TensorInfo[]): string[] {
  return [...new Set(inputs.flatMap((i) => i.shape.filter((d): d is string => typeof d === 'string')))];
}

/** The batch's symbolic name, or null when the model declares none (an unnamed first dimension then batches). */
export function batchDimName(inputs: TensorInfo[], asked?: string): string | null {
  if (asked !== undefined) {
    if (!inputs.some((i) => i.shape.includes(asked))) {
      throw new InputError('--batch-dim', `--batch-dim: no input has a dimension named ${JSON.stringify(asked)}; the model's symbolic dimensions: ${symbolicNames(inputs).join(', ') || 'none'}`);
    }
    return asked;
  }
  const named = symbolicNames(inputs).find((d) => /batch/i.test(d));
  if (named !== undefined) return named;
  const lead = inputs[0]?.shape[0];
  return typeof lead === 'string' ? lead : null;
}

/** Each input's batch axis, or -1 for an input that is passed as declared. */
export function batchAxes(inputs: TensorInfo[], name: string | null): Record<string, number> {
  return Object.fromEntries(inputs.map((i) => [i.name, name !== null ? i.shape.indexOf(name) : i.shape.length > 0 && i.shape[0] === null ? 0 : -1]));
}

export function resolveInputShapes(inputs: TensorInfo[], batchSize: number, bind: ShapeBindings): Record<string, number[]> {
  const names = inputs.map((i) => i.name);
  for (const name of Object.keys(bind.shapes)) {
    if (!names.includes(name)) {
      throw new InputError('--shape', `--shape: the model has no input ${JSON.stringify(name)}; its inputs are: ${names.join(', ')}`);
    }
  }
  const batchName = batchDimName(inputs, bind.batchDim);
  const axes = batchAxes(inputs, batchName);
  if (Object.values(axes).every((a) => a < 0) && inputs.length > 0) {
    // No batch dimension: the model runs at its declared shape, whose leading size (if fixed) is its batch.
    const lead = inputs[0].shape[0];
    const fixed = typeof lead === 'number' ? lead : 1;
    if (batchSize !== 1 && batchSize !== fixed) {
      throw new InputError('--batch', `--batch ${batchSize}: the model declares no batch dimension (input ${inputs[0].name} is [${inputs[0].shape.map(String).join(', ')}], a fixed batch dimension of ${fixed}); it runs at its declared shape: leave out --batch, or name a symbolic dimension with --batch-dim`);
    }
  }
  const out: Record<string, number[]> = {};
  for (const input of inputs) {
    const given = bind.shapes[input.name];
    if (given && input.shape.length > 0 && given.length !== input.shape.length) {
      throw new InputError('--shape', `--shape ${input.name}=${given.join(',')}: the input has ${input.shape.length} dimensions [${input.shape.map(String).join(', ')}], not ${given.length}`);
    }
    const rank = given?.length ?? input.shape.length;
    const shape: number[] = [];
    for (let d = 0; d < rank; d++) {
      const declared = input.shape[d];
      if (d === axes[input.name]) {
        shape.push(batchSize);
        continue;
      }
      if (given) {
        if (typeof declared === 'number' && given[d] !== declared) {
          throw new InputError('--shape', `--shape ${input.name}: dimension ${d} is fixed at ${declared} in the model, not ${given[d]}`);
        }
        shape.push(given[d]);
      } else if (typeof declared === 'number') {
        shape.push(declared);
      } else if (typeof declared === 'string') {
        const v = bind.dims[declared];
        if (v === undefined) {
          throw new InputError('--dim', `input ${input.name}: dimension ${d} is symbolic (${JSON.stringify(declared)}) and unbound; give --dim ${declared}=VALUE or --shape ${input.name}=...`);
        }
        shape.push(v);
      } else {
        throw new InputError('--shape', `input ${input.name}: dimension ${d} has no size in the model; give --shape ${input.name}=d0,d1,...`);
      }
    }
    out[input.name] = shape;
  }
  return out;
}
