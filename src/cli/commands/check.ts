/** `infermark check MODEL`: per runtime, whether it can run the model and what blocks it. */
import { parseArgs } from 'node:util';
import type { Command } from '../command.js';
import { InputError, invalidValue } from '../../errors/input-error.js';
import { splitList } from '../parse-values.js';
import { readModelFile } from '../../onnx/read.js';
import { runtimeNames } from '../../runtimes/registry.js';
import { resolveModelRef } from '../../zoo/resolve.js';
import { checkModel, checkText } from '../../conformance/check-model.js';

const DEFAULT_RUNTIMES = ['ort-node', 'ort-web', 'tfjs', 'torch'];

const command: Command = {
  summary: 'list, per runtime, whether it can run an ONNX model and which operators, types or attributes block it',
  usage: `Usage: infermark check MODEL [--runtime R,...] [--json]

MODEL is an .onnx file or zoo:NAME. For each runtime: the TensorFlow.js and
torch importers compare the model's operators (with their opsets) and its
input and output types with what they map; every available runtime then tries
to create a session, which also catches unsupported attributes and
onnxruntime's missing kernels. Exit 0 when every runtime checked can run the
model, 1 otherwise.

Options:
  --runtime R,...   runtimes to check (default ${DEFAULT_RUNTIMES.join(',')}; known: ${runtimeNames().join(', ')})
  --json            print the report as JSON`,
  async run(argv, io) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { runtime: { type: 'string', multiple: true }, json: { type: 'boolean' } },
      strict: true,
    });
    if (positionals.length !== 1) throw new InputError('model', `model: give one model (an .onnx file or zoo:NAME); got ${positionals.length}`);
    const runtimes = (values.runtime ?? []).flatMap(splitList);
    for (const r of runtimes) if (!runtimeNames().includes(r)) throw invalidValue('--runtime', r, runtimeNames().join(', '));
    const { path } = await resolveModelRef(positionals[0]);
    const model = await readModelFile(path, 'model');
    const report = await checkModel(model, path, runtimes.length > 0 ? runtimes : DEFAULT_RUNTIMES);
    io.stdout(values.json ? `${JSON.stringify(report, null, 2)}\n` : checkText(report));
    return report.runtimes.every((v) => v.status === 'runs') ? 0 : 1;
  },
};

export default command;
