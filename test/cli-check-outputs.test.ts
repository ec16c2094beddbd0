/** --check-outputs is on by default, can be said explicitly, and cannot be contradicted silently. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseRunArgs } from '../src/cli/run-args.js';
import { InputError } from '../src/errors/input-error.js';
import { trialContext } from '../src/engine/context.js';

test('--check-outputs and --no-check-outputs', () => {
  assert.equal(parseRunArgs(['m.onnx']).checkOutputs, true);
  assert.equal(parseRunArgs(['m.onnx', '--check-outputs']).checkOutputs, true);
  assert.equal(parseRunArgs(['m.onnx', '--no-check-outputs']).checkOutputs, false);
  assert.throws(() => parseRunArgs(['m.onnx', '--check-outputs', '--no-check-outputs']),
    (e: unknown) => e instanceof InputError && e.field === '--check-outputs' && /contradict/.test(e.message));
});

test("a Python-hosted runtime's interpreter version fills the context's pythonVersion", () => {
  assert.equal(trialContext({ torch: '2.13.0', python: '3.11.9' }, new Date()).pythonVersion, '3.11.9');
  assert.equal(trialContext({ 'onnxruntime-node': '1.30.0' }, new Date()).pythonVersion, undefined);
});
