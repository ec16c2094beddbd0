import { test } from 'node:test';
import assert from 'node:assert/strict';
import { latencyWarnings } from '../src/stats/index.js';
import type { LatencySummary } from '../src/results/types.js';

/** A quiet, converged run: median 10 ms, CV 5%, 2% outliers, CI +-1%. */
const quietSummary: LatencySummary = {
  median: 10, mean: 10, p90: 10.5, p95: 10.8, p99: 11, min: 9, max: 11.5, stddev: 0.5, mad: 0.3,
  ciLow: 9.9, ciHigh: 10.1, n: 100, outliers: 2,
};
const quiet = { summary: quietSummary, firstInferenceMs: 20, converged: true, timerResolutionMs: 0.001, targetCiRel: 0.02 };

const codes = (input: Parameters<typeof latencyWarnings>[0]): string[] => latencyWarnings(input).map((w) => w.code);

test('a quiet converged run gets no warning', () => {
  assert.deepEqual(latencyWarnings(quiet), []);
});

test('not-converged fires only when the run did not converge, with the CI and target in the message', () => {
  const [w, ...rest] = latencyWarnings({ ...quiet, converged: false });
  assert.equal(rest.length, 0);
  assert.equal(w.code, 'not-converged');
  assert.match(w.message, /1\.00%/);
  assert.match(w.message, /2\.00%/);
  assert.match(w.remedy, /--max-time/);
});

test('high-variance fires above 10% CV or above 5% outliers, not at the limits', () => {
  assert.deepEqual(codes({ ...quiet, summary: { ...quietSummary, stddev: 1.1 } }), ['high-variance']);
  assert.deepEqual(codes({ ...quiet, summary: { ...quietSummary, stddev: 1 } }), []);
  assert.deepEqual(codes({ ...quiet, summary: { ...quietSummary, outliers: 6 } }), ['high-variance']);
  assert.deepEqual(codes({ ...quiet, summary: { ...quietSummary, outliers: 5 } }), []);
  const [w] = latencyWarnings({ ...quiet, summary: { ...quietSummary, outliers: 6 } });
  assert.match(w.message, /6 of 100/);
  assert.match(w.remedy, /--warmup/);
});

test('slow-first-run fires above 3x the median and says by how much', () => {
  const [w, ...rest] = latencyWarnings({ ...quiet, firstInferenceMs: 31 });
  assert.equal(rest.length, 0);
  assert.equal(w.code, 'slow-first-run');
  assert.match(w.message, /first inference is 3\.1 x slower than the median/);
  assert.match(w.message, /firstInferenceMs and excluded/);
  assert.match(w.remedy, /--warmup/);
  assert.deepEqual(codes({ ...quiet, firstInferenceMs: 30 }), []);
});

test('timer-resolution fires when the median is under 100 timer steps', () => {
  const [w, ...rest] = latencyWarnings({ ...quiet, timerResolutionMs: 0.125 }); // 80 steps
  assert.equal(rest.length, 0);
  assert.equal(w.code, 'timer-resolution');
  assert.match(w.message, /80 timer steps of 0\.125 ms/);
  assert.match(w.remedy, /--batch/);
  assert.deepEqual(codes({ ...quiet, timerResolutionMs: 0.0625 }), []); // 160 steps
  assert.deepEqual(codes({ ...quiet, timerResolutionMs: 0 }), []); // unknown resolution
});

test('several problems give several warnings in a stable order', () => {
  assert.deepEqual(
    codes({ summary: { ...quietSummary, stddev: 2 }, firstInferenceMs: 100, converged: false, timerResolutionMs: 1, targetCiRel: 0.02 }),
    ['not-converged', 'high-variance', 'slow-first-run', 'timer-resolution'],
  );
});
