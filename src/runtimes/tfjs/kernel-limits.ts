/**
 * tfjs hands window attributes to its kernels as JavaScript numbers, and the
 * WebAssembly backend passes them on as 32-bit integers: a stride of 2^32
 * wraps to 0, XNNPACK refuses the operator without throwing, and the kernel
 * then writes through a null operator (garbage outputs, then "memory access
 * out of bounds" or an abort in a later op). Values past the 32-bit range are
 * refused here, before any kernel sees them, with the node named.
 */
import type { GraphIR, NodeIR } from '../../onnx/ir.js';

/** The largest value a wasm kernel argument holds (int32). */
export const KERNEL_INT_MAX = 2 ** 31 - 1;

const WINDOW_ATTRS = ['kernel_shape', 'strides', 'dilations', 'pads', 'output_padding', 'output_shape'];

function checkNode(node: NodeIR): void {
  for (const name of WINDOW_ATTRS) {
    const v = node.attrs[name];
    if (!Array.isArray(v)) continue;
    for (const x of v) {
      if (typeof x === 'number' && Math.abs(x) > KERNEL_INT_MAX) {
        throw new Error(`tfjs: node ${JSON.stringify(node.name)} (${node.opType}): attribute ${name} holds ${x}; tfjs kernels take 32-bit integers (at most ${KERNEL_INT_MAX}); run this model on ort-node`);
      }
    }
  }
}

/** Throws at the first node (subgraphs included) whose window attributes a tfjs kernel cannot take. */
export function checkKernelLimits(ir: GraphIR): void {
  for (const node of ir.nodes) {
    checkNode(node);
    for (const v of Object.values(node.attrs)) {
      if (v && typeof v === 'object' && !Array.isArray(v) && 'nodes' in v) checkKernelLimits(v);
    }
  }
}

/**
 * A window larger than its padded input makes an empty output, which
 * XNNPACK refuses to set up (again without throwing; the wasm kernel then
 * writes out of bounds). Checked when the input's shape is known, per axis.
 */
export function checkWindowFits(node: NodeIR, spatial: number[], kernel: number[], dilations: number[], padsBegin: number[], padsEnd: number[]): void {
  spatial.forEach((size, i) => {
    if (!Number.isInteger(kernel[i])) throw new Error(`tfjs: node ${JSON.stringify(node.name)} (${node.opType}): no kernel size for spatial axis ${i} (kernel_shape ${JSON.stringify(kernel)})`);
    const span = (kernel[i] - 1) * (dilations[i] ?? 1) + 1;
    const padded = size + (padsBegin[i] ?? 0) + (padsEnd[i] ?? 0);
    if (!(span >= 1 && padded >= span)) {
      throw new Error(`tfjs: node ${JSON.stringify(node.name)} (${node.opType}): its window spans ${span} on spatial axis ${i} but the padded input there is only ${padded} long (input ${size}); the output would be empty`);
    }
  });
}
