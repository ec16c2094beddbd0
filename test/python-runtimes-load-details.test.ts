/**
 * The converter and compiler facts a Python worker reports, as typed result
 * fields and as the report's line; the tolerance a reduced-precision setting earns.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadDetailsOf } from '../src/runtimes/python-worker/load-details.js';
import { loadDetailsText } from '../src/report/results-rows.js';
import { DEFAULT_TOLERANCE } from '../src/engine/agreement.js';
import { REDUCED_PRECISION_TOLERANCE, toleranceFor } from '../src/engine/check-outputs.js';

test('the worker\'s extra becomes typed load details: cache hit or miss from the load kind, figures kept only when they are numbers', () => {
  assert.deepEqual(loadDetailsOf({ converter: 'infermark onnx_to_tf 1', loadKind: 'cold', convertMs: 812.4, xla: 'on' }),
    { converter: 'infermark onnx_to_tf 1', cache: 'miss', convertMs: 812.4 });
  assert.deepEqual(loadDetailsOf({ loadKind: 'warm', tuningTrials: 0, compileMs: 'fast', tuningMs: -1 }), { cache: 'hit', tuningTrials: 0 });
  assert.equal(loadDetailsOf({ streams: 2 }), undefined);
});

test('the report line names the converter, the cache and each step\'s time', () => {
  assert.equal(loadDetailsText({ converter: 'tvm 0.27 relax, meta-schedule tuning', cache: 'miss', compileMs: 2345.6, tuningTrials: 32, tuningMs: 41234 }),
    'tvm 0.27 relax, meta-schedule tuning, cache miss, compile 2346 ms, tuning 32 trials in 41.2 s');
  assert.equal(loadDetailsText({ cache: 'hit' }), 'cache hit');
});

test('a reduced-precision setting widens the tolerance, never narrows it; other settings keep the base', () => {
  assert.deepEqual(toleranceFor({ precision: 'mixed_float16' }, DEFAULT_TOLERANCE), REDUCED_PRECISION_TOLERANCE.mixed_float16);
  assert.deepEqual(toleranceFor({ precision: 'fp32' }, DEFAULT_TOLERANCE), DEFAULT_TOLERANCE);
  assert.deepEqual(toleranceFor({}, DEFAULT_TOLERANCE), DEFAULT_TOLERANCE);
  const loose = { absTol: 1, relTol: 1 };
  assert.deepEqual(toleranceFor({ precision: 'mixed_bfloat16' }, loose), loose);
});
