/**
 * Binding every input's shape: the first dimension is the batch, symbolic
 * dimensions come from --dim NAME=VALUE, and --shape INPUT=d0,d1,... gives one
 * input's whole shape. Anything left unknown is an input error that names it.
 */
import type { TensorInfo } from '../runtimes/runtime.js';
import { InputError } from '../errors/input-error.js';

export interface ShapeBindings {
  dims: Record<string, number>;
  shapes: Record<string, number[]>;
}

export function resolveInputShapes(inputs: TensorInfo[], batchSize: number, bind: ShapeBindings): Record<string, number[]> {
  const names = inputs.map((i) => i.name);
  for (const name of Object.keys(bind.shapes)) {
    if (!names.includes(name)) {
      throw new InputError('--shape', `--shape: the model has no input ${JSON.stringify(name)}; its inputs are: ${names.join(', ')}`);
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
      if (d === 0 && rank > 0) {
        if (typeof declared === 'number' && declared !== batchSize) {
          throw new InputError('--batch', `--batch ${batchSize}: input ${input.name} has a fixed batch dimension of ${declared}; use --batch ${declared} or a model with a dynamic batch`);
        }
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
