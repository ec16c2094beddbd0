/**
 * Checking what a caller gives predict() against what the model declares:
 * names, element types, ranks and fixed dimensions. Each error is one line
 * naming the input, what was given and what the model declares.
 */
import type { Tensor, TensorInfo } from '../runtimes/runtime.js';
import { InputError } from '../errors/input-error.js';
import { elementCount } from '../runtimes/tensors.js';

function isTensor(x: unknown): x is Tensor {
  return typeof x === 'object' && x !== null && 'dtype' in x && 'shape' in x && 'data' in x;
}

function declared(info: TensorInfo): string {
  return `${info.dtype} [${info.shape.map((d) => d ?? '?').join(', ')}]`;
}

/** The feeds by input name; a bare tensor is accepted for a single-input model, nothing for a model without inputs. */
export function feedsByName(x: Tensor | Record<string, Tensor> | undefined, inputs: TensorInfo[]): Record<string, Tensor> {
  if (x === undefined) return {};
  if (isTensor(x)) {
    if (inputs.length !== 1) {
      throw new InputError('x', `x: the model has ${inputs.length} inputs (${inputs.map((i) => i.name).join(', ') || 'none'}); pass an object keyed by input name`);
    }
    return { [inputs[0].name]: x };
  }
  return x;
}

export function checkFeeds(feeds: Record<string, Tensor>, inputs: TensorInfo[]): void {
  const byName = new Map(inputs.map((i) => [i.name, i]));
  for (const [name, t] of Object.entries(feeds)) {
    const info = byName.get(name);
    if (!info) throw new InputError(`x.${name}`, `x.${name}: the model has no input ${JSON.stringify(name)}; its inputs: ${inputs.map((i) => i.name).join(', ') || 'none'}`);
    if (!isTensor(t) || !Array.isArray(t.shape)) throw new InputError(`x.${name}`, `x.${name}: not a tensor ({ dtype, shape, data }); the model declares ${declared(info)}`);
    if (t.dtype !== info.dtype) throw new InputError(`x.${name}`, `x.${name}: dtype ${t.dtype} given; the model declares ${declared(info)}`);
    if (t.dtype === 'string' && !(Array.isArray(t.data) && t.data.every((s) => typeof s === 'string'))) {
      throw new InputError(`x.${name}`, `x.${name}: a string tensor's data must be an array of strings; the model declares ${declared(info)}`);
    }
    if (t.data.length !== elementCount(t.shape)) {
      throw new InputError(`x.${name}`, `x.${name}: ${t.data.length} values given for shape [${t.shape.join(', ')}] (${elementCount(t.shape)} expected)`);
    }
    // A declared rank of 0 may also mean "shape not declared": only a declared non-scalar shape is checked.
    if (info.shape.length > 0) {
      const fixedMismatch = info.shape.some((d, i) => typeof d === 'number' && t.shape[i] !== d);
      if (t.shape.length !== info.shape.length || fixedMismatch) {
        throw new InputError(`x.${name}`, `x.${name}: shape [${t.shape.join(', ')}] given; the model declares ${declared(info)}`);
      }
    }
  }
  for (const info of inputs) {
    if (!(info.name in feeds)) throw new InputError(`x.${info.name}`, `x.${info.name}: missing; the model declares input ${info.name} as ${declared(info)}`);
  }
}
