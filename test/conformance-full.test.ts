/**
 * The whole `node` folder of the ONNX backend tests (Debian's
 * libonnx-testdata, installed by scripts/setup-system.sh) through the
 * TensorFlow.js importer: the pass count must not fall below the floor
 * reached when the importer's breadth was last extended. It runs in every
 * test run (about half a minute on two cores), in CI included.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { DEBIAN_NODE_TESTS, listCases } from '../src/conformance/cases.js';
import { runConformance } from '../src/conformance/run.js';
import { buildScoreboard } from '../src/conformance/scoreboard.js';
import { ONNX_TOLERANCE } from '../src/conformance/types.js';

/** Passed by `infermark conformance --runtime tfjs` on libonnx-testdata's 932 node tests (onnxruntime-node passes 843). */
const TFJS_PASS_FLOOR = 830;

test(`tfjs passes at least ${TFJS_PASS_FLOOR} ONNX backend node tests, and none hangs or crashes`, { timeout: 300_000 }, async () => {
  assert.ok(existsSync(DEBIAN_NODE_TESTS), `${DEBIAN_NODE_TESTS} is missing: run scripts/setup-system.sh (it installs Debian's libonnx-testdata)`);
  const cases = listCases(DEBIAN_NODE_TESTS);
  const results = await runConformance({ runtimes: ['tfjs'], cases, tolerance: ONNX_TOLERANCE, caseTimeoutMs: 60_000 });
  const totals = buildScoreboard(results).totals.tfjs;
  assert.equal(totals.total, cases.length);
  const failures = results.filter((r) => r.status === 'timeout' || r.status === 'crash').map((r) => `${r.test}: ${r.status} ${r.reason}`);
  assert.deepEqual(failures, []);
  assert.ok(totals.pass >= TFJS_PASS_FLOOR, `tfjs passed ${totals.pass} of ${cases.length} node tests, below the floor of ${TFJS_PASS_FLOOR}; run \`infermark conformance --runtime tfjs\` to see which`);
});
