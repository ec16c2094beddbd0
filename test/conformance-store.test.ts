/** Conformance results go into the results database as a run of their own and show as a report section. */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { onnx } from '../src/onnx/read.js';
import { openResultsStore } from '../src/store/open.js';
import { addModelBytes, tempDir, unknownOpModelBytes } from './helpers/models.js';
import { runCli } from './helpers/cli.js';
import { BACKENDS, freshDb } from './helpers/store-backends.js';

const dir = tempDir();
after(() => rmSync(dir, { recursive: true, force: true }));
const data = join(dir, 'node');

function caseFolder(name: string, model: Uint8Array, expected: number[]): void {
  const set = join(data, name, 'test_data_set_0');
  mkdirSync(set, { recursive: true });
  writeFileSync(join(data, name, 'model.onnx'), model);
  writeFileSync(join(set, 'input_0.pb'), onnx.TensorProto.encode({ name: 'x', dims: [1, 4], dataType: 1, floatData: [1, 2, 3, 4] }).finish());
  writeFileSync(join(set, 'output_0.pb'), onnx.TensorProto.encode({ name: 'y', dims: [1, 4], dataType: 1, floatData: expected }).finish());
}

caseFolder('test_add_twice', addModelBytes(4), [2, 4, 6, 8]);
caseFolder('test_no_such_op', unknownOpModelBytes(), [1, 2, 3, 4]);

for (const backend of BACKENDS) {
  test(`${backend}: conformance records its cases in the database; the HTML report shows them as a section`, async (t) => {
    const db = freshDb(t, backend);
    if (!db) return;
    const r = runCli(['conformance', '--data', data, '--runtime', 'ort-node,tfjs', '--db', db], { timeoutMs: 180_000 });
    assert.equal(r.code, 0, r.stderr);
    const runId = /recorded as run (\S+) in/.exec(r.stderr)?.[1];
    assert.ok(runId, r.stderr);
    assert.ok(!r.stderr.includes('infermark_ci'), 'the password is never printed');
    const store = await openResultsStore(db, { mustExist: true });
    const stored = await store.getRun(runId);
    await store.close();
    const byKey = Object.fromEntries((stored.conformance ?? []).map((c) => [`${c.runtime}/${c.test}`, c]));
    assert.equal(Object.keys(byKey).length, 4);
    assert.equal(byKey['ort-node/test_add_twice'].status, 'pass');
    assert.equal(byKey['tfjs/test_add_twice'].status, 'pass');
    assert.notEqual(byKey['tfjs/test_no_such_op'].status, 'pass');
    assert.match(byKey['tfjs/test_no_such_op'].reason ?? '', /NoSuchOperator/);

    const html = join(dir, `report-${backend}.html`);
    const rep = runCli(['report', runId, '-o', html, '--db', db]);
    assert.equal(rep.code, 0, rep.stderr);
    const page = readFileSync(html, 'utf8');
    assert.match(page, /<section id="conformance">/);
    assert.match(page, /test_no_such_op/);
    assert.match(page, /<td>ort-node<\/td>(<td class="num">\d+<\/td>){7}<td class="num">50\.0%<\/td>/);
  });
}

test('conformance --no-db writes nothing to the database', () => {
  const db = join(dir, 'none.db');
  const r = runCli(['conformance', '--data', data, '--runtime', 'ort-node', '--no-db', '--db', db, '--quiet'], { timeoutMs: 120_000 });
  assert.equal(r.code, 0, r.stderr);
  assert.throws(() => readFileSync(db));
});
