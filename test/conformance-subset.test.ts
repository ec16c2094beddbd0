/**
 * `infermark conformance` on a fixed subset of the ONNX backend node tests
 * (Debian's libonnx-testdata, installed by scripts/setup-system.sh), and the
 * pieces it is built from: comparison, operator naming, classification of
 * hangs and crashes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './helpers/cli.js';
import { compareTensor } from '../src/conformance/compare.js';
import { DEBIAN_NODE_TESTS, listCases, operatorOf } from '../src/conformance/cases.js';
import { runConformance } from '../src/conformance/run.js';
import { buildScoreboard } from '../src/conformance/scoreboard.js';
import { ONNX_TOLERANCE, type CaseResult } from '../src/conformance/types.js';

const SUBSET = [
  'test_abs', 'test_add_bcast', 'test_argmin_default_axis_random_select_last_index', 'test_conv_with_strides_padding',
  'test_convtranspose_1d', 'test_cumsum_1d', 'test_einsum_inner_prod', 'test_gathernd_example_int32', 'test_layer_normalization_2d_axis0',
  'test_maxpool_3d_default', 'test_nllloss_NCd1_weight', 'test_quantizelinear', 'test_resize_upsample_scales_linear', 'test_scatternd',
  'test_top_k', 'test_tril', 'test_gridsample',
];
/** The tfjs importer has no RoiAlign: the case must come out 'unsupported' with the operator named. */
const TFJS_UNSUPPORTED = 'test_roialign_aligned_true';

function needData(): void {
  assert.ok(existsSync(DEBIAN_NODE_TESTS), `${DEBIAN_NODE_TESTS} is missing: run scripts/setup-system.sh (it installs Debian's libonnx-testdata)`);
}

test('comparison: ONNX tolerances, NaN equals NaN, shape and dtype must match', () => {
  const f = (data: number[], shape = [data.length]) => ({ dtype: 'float32' as const, shape, data: Float32Array.from(data) });
  assert.equal(compareTensor(f([1, NaN, 100]), f([1.0005, NaN, 100.09]), ONNX_TOLERANCE), null);
  assert.match(compareTensor(f([1, 2]), f([1, 2.01]), ONNX_TOLERANCE)!, /1\/2 values differ \(first at 1: got 2, expected 2\.01/);
  assert.match(compareTensor(f([1, 0]), f([1, NaN]), ONNX_TOLERANCE)!, /1\/2 values differ/);
  assert.match(compareTensor(f([1, 2], [1, 2]), f([1, 2]), ONNX_TOLERANCE)!, /shape \[1,2\] != expected \[2\]/);
  assert.match(compareTensor({ dtype: 'int64', shape: [1], data: BigInt64Array.from([1n]) }, f([1]), ONNX_TOLERANCE)!, /dtype int64 != expected float32/);
  // Near zero only atol (1e-7) counts.
  assert.equal(compareTensor(f([5e-8]), f([0]), ONNX_TOLERANCE), null);
  assert.match(compareTensor(f([1e-6]), f([0]), ONNX_TOLERANCE)!, /1\/1 values differ/);
});

test('a case is named after the operator it tests, also when expanded into many nodes', () => {
  assert.equal(operatorOf('test_abs', ['Abs']), 'Abs');
  assert.equal(operatorOf('test_layer_normalization_2d_axis0_expanded', ['ReduceMean', 'Sub', 'LayerNormalization', 'Mul']), 'LayerNormalization');
  assert.equal(operatorOf('test_sce_mean_expanded', ['Constant', 'LogSoftmax', 'NegativeLogLikelihoodLoss']), 'NegativeLogLikelihoodLoss');
});

test('conformance on a fixed subset: ort-node and tfjs pass every case, tfjs refuses RoiAlign by name', () => {
  needData();
  const dir = mkdtempSync(join(tmpdir(), 'infermark-conformance-'));
  try {
    const filter = `^(${[...SUBSET, TFJS_UNSUPPORTED].join('|')})$`;
    const report = join(dir, 'c.json');
    const r = runCli(['conformance', '--runtime', 'ort-node,tfjs', '--filter', filter, '--report', report, '--quiet'], { timeoutMs: 170_000 });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /ort-node\s+18\s+0\s+0\s+0\s+0\s+0\s+18\s+100\.0%/);
    assert.match(r.stdout, /tfjs\s+17\s+0\s+1\s+0\s+0\s+0\s+18\s+94\.4%/);
    assert.match(r.stdout, /tfjs\s+test_roialign_aligned_true \(RoiAlign\)\s+unsupported: load: tfjs cannot run operator RoiAlign \(opset \d+\): not implemented/);
    const json = JSON.parse(readFileSync(report, 'utf8')) as { results: CaseResult[]; totals: Record<string, { pass: number }> };
    assert.equal(json.results.length, 36);
    assert.equal(json.totals.tfjs.pass, 17);
    for (const name of SUBSET) assert.ok(json.results.some((x) => x.test === name && x.runtime === 'tfjs' && x.status === 'pass'), name);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a hang becomes a timeout and a crash a crash; a fresh worker runs the cases after them', async () => {
  needData();
  const cases = listCases(DEBIAN_NODE_TESTS, /^test_(abs|add|relu)$/);
  assert.equal(cases.length, 3);
  const hang = await runConformance({ runtimes: ['fake'], cases, tolerance: ONNX_TOLERANCE, caseTimeoutMs: 1500, settings: { fake: { hang: 'load' } } });
  assert.deepEqual(hang.map((r) => r.status), ['timeout', 'timeout', 'timeout']);
  assert.match(hang[0].reason!, /no result within 1\.5 s/);
  const crash = await runConformance({ runtimes: ['fake'], cases, tolerance: ONNX_TOLERANCE, caseTimeoutMs: 20_000, settings: { fake: { crash: 'exit' } } });
  assert.deepEqual(crash.map((r) => r.status), ['crash', 'crash', 'crash']);
  assert.match(crash[0].reason!, /worker exited \(code 3\) during the case: fake runtime: exiting with code 3 on purpose/);
  const board = buildScoreboard([...hang, ...crash]);
  assert.equal(board.totals.fake.timeout, 3);
  assert.equal(board.totals.fake.crash, 3);
  assert.equal(board.operators.Relu.fake.total, 2);
});

test('bad input: a missing data folder, a bad regex, an unknown runtime are one-line errors', () => {
  const missing = runCli(['conformance', '--data', '/nonexistent/folder']);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /--data: "\/nonexistent\/folder" does not exist/);
  const regex = runCli(['conformance', '--filter', '(']);
  assert.equal(regex.code, 2);
  assert.match(regex.stderr, /--filter: "\(" is not a regular expression/);
  const rt = runCli(['conformance', '--runtime', 'nope']);
  assert.equal(rt.code, 2);
  assert.match(rt.stderr, /--runtime: "nope" is not valid; allowed: ort-node/);
});
