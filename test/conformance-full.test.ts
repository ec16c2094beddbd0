/**
 * The whole `node` folder of the ONNX backend tests (Debian's
 * libonnx-testdata, installed by scripts/setup-system.sh) through the
 * TensorFlow.js importer: the pass count must not fall below the floor
 * reached when the importer's breadth was last extended. The same for the
 * torch importer, all cases through one Python worker. They run in every
 * test run (about half a minute for tfjs, a minute for torch, on two cores),
 * in CI included.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { DEBIAN_NODE_TESTS, listCases } from '../src/conformance/cases.js';
import { runConformance } from '../src/conformance/run.js';
import { buildScoreboard } from '../src/conformance/scoreboard.js';
import { ONNX_TOLERANCE } from '../src/conformance/types.js';
import { skipTorch } from './torch-helpers.js';

/** Passed by `infermark conformance --runtime tfjs` on libonnx-testdata's 932 node tests (onnxruntime-node passes 843). */
const TFJS_PASS_FLOOR = 830;
/** `infermark conformance --runtime torch` passed 859 of the 932 (in 69 s, one worker for every case). */
const TORCH_PASS_FLOOR = 850;

for (const [runtime, floor] of [['tfjs', TFJS_PASS_FLOOR], ['torch', TORCH_PASS_FLOOR]] as const) {
  test(`${runtime} passes at least ${floor} ONNX backend node tests, and none hangs or crashes`, { timeout: 300_000, skip: runtime === 'torch' ? skipTorch : false }, async () => {
    assert.ok(existsSync(DEBIAN_NODE_TESTS), `${DEBIAN_NODE_TESTS} is missing: run scripts/setup-system.sh (it installs Debian's libonnx-testdata)`);
    const cases = listCases(DEBIAN_NODE_TESTS);
    const results = await runConformance({ runtimes: [runtime], cases, tolerance: ONNX_TOLERANCE, caseTimeoutMs: 60_000 });
    const totals = buildScoreboard(results).totals[runtime];
    assert.equal(totals.total, cases.length);
    const failures = results.filter((r) => r.status === 'timeout' || r.status === 'crash').map((r) => `${r.test}: ${r.status} ${r.reason}`);
    assert.deepEqual(failures, []);
    assert.ok(totals.pass >= floor, `${runtime} passed ${totals.pass} of ${cases.length} node tests, below the floor of ${floor}; run \`infermark conformance --runtime ${runtime}\` to see which`);
  });
}
