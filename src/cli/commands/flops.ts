/** `infermark flops MODEL`: MACs and FLOPs per item of any ONNX model, by operator type. */
import { parseArgs } from 'node:util';
import type { Command } from '../command.js';
import { InputError } from '../../errors/input-error.js';
import { parsePair, parsePositiveInt } from '../parse-values.js';
import { readModelFile } from '../../onnx/read.js';
import { toGraphIR } from '../../onnx/ir.js';
import { countFlops } from '../../onnx/flops.js';
import { flopsText } from '../../onnx/flops-format.js';
import { resolveModelRef } from '../../zoo/resolve.js';

const command: Command = {
  summary: 'count MACs and FLOPs per item of an ONNX model (or zoo:NAME), by operator type',
  usage: `Usage: infermark flops MODEL [--batch N] [--dim NAME=V ...] [--json]

MODEL is an .onnx file or zoo:NAME. Shapes are inferred from the inputs: a
symbolic first dimension (or one named 'batch') takes --batch; give other
symbolic dimensions with --dim, e.g. --dim sequence=128. Operators that cannot
be counted are counted as zero and listed.

Options:
  --batch N        items per run (default 1); figures are per item
  --dim NAME=V     the size of a symbolic dimension (repeatable)
  --json           print the report as JSON`,
  async run(argv, io) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { batch: { type: 'string' }, dim: { type: 'string', multiple: true }, json: { type: 'boolean' } },
      strict: true,
    });
    if (positionals.length !== 1) throw new InputError('model', `model: give one model (an .onnx file or zoo:NAME); got ${positionals.length}`);
    const asked = values.batch === undefined ? undefined : parsePositiveInt('batch', values.batch);
    const dims: Record<string, number> = {};
    for (const d of values.dim ?? []) {
      const [k, v] = parsePair('dim', d);
      dims[k] = parsePositiveInt(`dim ${k}`, v);
    }
    const { path } = await resolveModelRef(positionals[0]);
    const graph = toGraphIR(await readModelFile(path, 'model'), path);
    // A model written for a fixed batch processes that many items per run: per-item figures divide by it.
    const lead = graph.inputs[0]?.shape[0];
    const fixed = typeof lead === 'number' ? lead : undefined;
    if (fixed !== undefined && asked !== undefined && asked !== fixed) {
      throw new InputError('batch', `batch: the model has a fixed batch of ${fixed} (input ${graph.inputs[0].name}); leave out --batch or give --batch ${fixed}`);
    }
    const batch = asked ?? fixed ?? 1;
    const report = countFlops(graph, { batch, dims });
    io.stdout(values.json ? `${JSON.stringify({ model: positionals[0], batch, ...report }, null, 2)}\n` : flopsText(report, `${positionals[0]} (batch ${batch})`));
    return 0;
  },
};

export default command;
