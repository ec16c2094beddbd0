/**
 * Loads each model file named on the command line with load() on one
 * runtime, and runs it once when it loads; prints one JSON line per model
 * before ("start") and after ("end", with how it ended). A crash or a hang
 * shows as a "start" with no "end".
 */
import { load } from '../../src/api/load.js';
import { InputError } from '../../src/errors/input-error.js';
import type { HostTensor } from '../../src/runtimes/runtime.js';

const [runtime, provider, ...files] = process.argv.slice(2);

function zeros(dtype: string, shape: (number | string | null)[]): HostTensor | undefined {
  const dims = shape.map((d) => (typeof d === 'number' && d > 0 && d < 64 ? d : 1));
  const n = dims.reduce((a, b) => a * b, 1);
  if (dtype === 'float32') return { dtype, shape: dims, data: new Float32Array(n) };
  if (dtype === 'int64') return { dtype, shape: dims, data: new BigInt64Array(n) };
  return undefined;
}

for (const [i, file] of files.entries()) {
  process.stdout.write(`${JSON.stringify({ i, at: 'start' })}\n`);
  let outcome: { kind: string; message?: string };
  try {
    const model = await load(file, { runtime, provider });
    try {
      const feeds: Record<string, HostTensor> = {};
      for (const input of model.inputs) {
        const t = zeros(input.dtype, input.shape);
        if (t) feeds[input.name] = t;
      }
      await model.predict(feeds);
      outcome = { kind: 'ok' };
    } finally {
      await model.dispose();
    }
  } catch (err) {
    if (err instanceof InputError) outcome = { kind: 'input', message: err.message };
    else if (err instanceof Error) outcome = { kind: 'failed', message: `${err.name}: ${err.message}` };
    else outcome = { kind: 'unclassified', message: String(err) };
  }
  process.stdout.write(`${JSON.stringify({ i, at: 'end', ...outcome })}\n`);
}
