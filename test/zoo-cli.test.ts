/** `infermark zoo` and `infermark flops` as a user runs them. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './helpers/cli.js';

test('zoo list prints a table, and --json an array with name, params, macs, inputs', () => {
  const table = runCli(['zoo', 'list']);
  assert.equal(table.code, 0, table.stderr);
  assert.match(table.stdout, /resnet50\s+resnet\s+25\.56 M\s+4\.09 G\s+input float32 \[batch, 3, 224, 224\]\s+logits float32 \[batch, 1000\]/);
  const json = runCli(['zoo', 'list', '--json']);
  const entries = JSON.parse(json.stdout) as { name: string; params: number; macs: number; inputs: unknown[] }[];
  const bert = entries.find((e) => e.name === 'bert-base')!;
  assert.equal(bert.params, 109_482_240);
  assert.equal(bert.inputs.length, 3);
});

test('zoo build writes a model; flops counts it; bad names, opsets and files are clear input errors', () => {
  const dir = mkdtempSync(join(tmpdir(), 'infermark-zoo-cli-'));
  try {
    const out = join(dir, 'r.onnx');
    const built = runCli(['zoo', 'build', 'resnet-tiny', '-o', out, '--opset', '15', '--seed', '4', '--batch', '2']);
    assert.equal(built.code, 0, built.stderr);
    assert.match(built.stdout, /wrote .*r\.onnx \(.* MB, sha256 [0-9a-f]{64}\)/);
    assert.ok(existsSync(out));

    const flops = runCli(['flops', out, '--json']);
    assert.equal(flops.code, 0, flops.stderr);
    const report = JSON.parse(flops.stdout);
    assert.ok(report.macsPerItem > 3e5 && report.macsPerItem < 5e5);
    assert.deepEqual(report.uncounted, []);

    const viaZoo = runCli(['flops', 'zoo:bert-tiny', '--batch', '4'], { env: { INFERMARK_CACHE_DIR: dir } });
    assert.equal(viaZoo.code, 0, viaZoo.stderr);
    assert.match(viaZoo.stdout, /MACs per item: +\d/);
    assert.match(viaZoo.stdout, /MatMul/);

    const unknown = runCli(['zoo', 'build', 'resnet51', '-o', out]);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /unknown zoo model "resnet51"; known: resnet50, vgg19/);
    const opset = runCli(['zoo', 'build', 'resnet-tiny', '-o', out, '--opset', '11']);
    assert.equal(opset.code, 2);
    assert.match(opset.stderr, /opset: 11 is not valid; allowed: 13, 14, 15, 16, 17, 18/);

    const junk = join(dir, 'junk.onnx');
    writeFileSync(junk, 'this is not a model at all, just text');
    const bad = runCli(['flops', junk]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /not an ONNX model|truncated/);
    const missing = runCli(['flops', join(dir, 'nope.onnx')]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /does not exist/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
