/**
 * Which tensor element types can cross each runtime's API, as data, so
 * `check`, load() and the conformance runner refuse a model's inputs and
 * outputs by name, with the reason, before a session is made.
 *  - strings: onnxruntime (string[] tensors) and tfjs (string tensors) hold
 *    them; PyTorch has no string tensors, and the Python and browser wires
 *    carry numbers only.
 *  - bfloat16: onnxruntime's JavaScript Tensor (onnxruntime-common 1.30) has
 *    no bfloat16 type, and onnxruntime-node and -web refuse a session whose
 *    inputs or outputs are bfloat16 ("Unsupported data type: 16"). Inside a
 *    graph bfloat16 is fine.
 */
import type { ElementType } from './runtime.js';

const STRING_RUNTIMES = new Set(['ort-node', 'ort-web', 'tfjs']);
const NO_BFLOAT16_RUNTIMES = new Set(['ort-node', 'ort-web', 'ort-web@chromium']);

/** What to do instead, per refused element type. */
const REMEDY: Record<string, string> = {
  string: 'string tensors run on ort-node, ort-web and tfjs',
  bfloat16: "onnxruntime's JavaScript API has no bfloat16 tensor: cast the value to float32 (or float16) at the model's edge, or run it on tfjs or torch",
};

/**
 * Why `runtime` cannot take or give a `role` value of element type `elemType`
 * (an ONNX type name: float, bfloat16, string, ...), or null when it can.
 */
export function valueRefusal(runtime: string, role: 'input' | 'output', name: string, elemType: ElementType | string): string | null {
  const refused = (elemType === 'string' && !STRING_RUNTIMES.has(runtime)) || (elemType === 'bfloat16' && NO_BFLOAT16_RUNTIMES.has(runtime));
  if (!refused) return null;
  return `${role} ${name} of type ${elemType}: not supported by ${runtime} (${REMEDY[elemType]})`;
}
