/** Every bad input: one clear line naming field, value and what is allowed; exit 2; no stack; no trial started. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { addModelBytes, embeddingModelBytes, tempDir, writeModel } from './helpers/models.js';
import { runCli } from './helpers/cli.js';

const dir = tempDir();
const model = writeModel(dir, 'add.onnx', addModelBytes());
const text = writeModel(dir, 'embed.onnx', embeddingModelBytes());
const notOnnx = join(dir, 'notes.onnx');
writeFileSync(notOnnx, 'this is not a model at all, just some text\n'.repeat(20));
const truncated = join(dir, 'cut.onnx');
writeFileSync(truncated, addModelBytes().subarray(0, 40));

const cases: [string, string[], RegExp][] = [
  ['missing file', ['/nonexistent/m.onnx'], /does not exist/],
  ['not ONNX', [notOnnx], /not an ONNX model/],
  ['truncated ONNX', [truncated], /truncated|not an ONNX model/],
  ['unknown runtime', [model, '--runtime', 'tensorflow-9'], /"tensorflow-9" is not a runtime; runtimes: ort-node/],
  ['unknown provider', [model, '--runtime', 'ort-node:npu'], /no provider "npu"; its providers: cpu/],
  ['unknown setting', [model, '--set', 'threads=2'], /no selected runtime has this setting/],
  ['setting out of range', [model, '--set', 'intraOpNumThreads=-1'], /intraOpNumThreads: "-1" is not valid; allowed: an integer >= 0/],
  ['bad enum value', [model, '--set', 'graphOptimizationLevel=max'], /allowed: disabled, basic, extended, all/],
  ['shape that does not fit', [model, '--shape', 'x=1,4,4'], /--shape x=1,4,4: the input has 2 dimensions/],
  ['shape of an unknown input', [model, '--shape', 'pixels=1,4'], /no input "pixels"/],
  ['unbound symbolic dimension', [text], /symbolic \("seq"\) and unbound; give --dim seq=VALUE/],
  ['batch of 0', [model, '--batch', '0'], /--batch: "0" is not valid; allowed: integers >= 1/],
  ['negative batch', [model, '--batch=-3'], /--batch: "-3" is not valid/],
  ['bad duration', [model, '--timeout', 'soon'], /--timeout: "soon" is not valid; allowed: a duration/],
  ['unknown flag', [model, '--frobnicate'], /frobnicate/],
  ['resume without out', [model, '--resume'], /--resume needs --out/],
  ['unknown zoo model', ['zoo:resnet9000'], /zoo/],
];

for (const [name, args, pattern] of cases) {
  test(`bad input: ${name}`, () => {
    const out = join(dir, `${name.replace(/\W+/g, '-')}.jsonl`);
    const withOut = args.includes('--resume') ? [] : ['--out', out];
    const r = runCli(['run', ...args, ...withOut, '-q']);
    assert.equal(r.code, 2, `exit code; stderr: ${r.stderr}`);
    assert.match(r.stderr, pattern);
    assert.equal(r.stderr.trim().split('\n').length, 1, `one line: ${r.stderr}`);
    assert.doesNotMatch(r.stderr, /\n\s+at /);
    assert.equal(existsSync(out), false, 'no trial started');
  });
}
