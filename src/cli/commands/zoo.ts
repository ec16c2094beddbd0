/** `infermark zoo list | build`: the networks infermark writes itself. */
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { rm } from 'node:fs/promises';
import type { Command } from '../command.js';
import { InputError, invalidValue } from '../../errors/input-error.js';
import { parsePositiveInt } from '../parse-values.js';
import { listZoo } from '../../zoo/catalog.js';
import { writeZooModel } from '../../zoo/build.js';
import { zooTable } from '../../zoo/format.js';
import { DEFAULT_SEED, DEFAULT_ZOO_OPSET, SUPPORTED_OPSETS } from '../../zoo/build-options.js';

const USAGE = `Usage: infermark zoo list [--json]
       infermark zoo build NAME -o PATH [--opset N] [--seed S] [--batch dynamic|N] [--seq N]

list   every zoo model: name, family, parameters, MACs per item, inputs, outputs
build  write a zoo model as an .onnx file (weights seeded, the same bytes on any machine)

Options of build:
  -o, --output PATH   where to write the model (required)
  --opset N           ONNX opset, one of ${SUPPORTED_OPSETS.join(', ')} (default ${DEFAULT_ZOO_OPSET})
  --seed S            weight seed, an integer (default ${DEFAULT_SEED})
  --batch dynamic|N   a symbolic batch dimension named 'batch' (default) or a fixed one
  --seq N             sequence length of BERT models (default 128; 16 for bert-tiny)

Anywhere a model path is accepted, zoo:NAME builds the model into a cache folder
once and reuses it (e.g. infermark run zoo:resnet50 --runtime ort-node).`;

function parseBatch(text: string | undefined): 'dynamic' | number {
  if (text === undefined || text === 'dynamic') return 'dynamic';
  if (!/^\d+$/.test(text) || Number(text) < 1) throw invalidValue('batch', text, "'dynamic' or an integer >= 1");
  return Number(text);
}

async function build(argv: string[], io: Parameters<Command['run']>[1]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      output: { type: 'string', short: 'o' },
      opset: { type: 'string' },
      seed: { type: 'string' },
      batch: { type: 'string' },
      seq: { type: 'string' },
    },
    strict: true,
  });
  if (positionals.length !== 1) throw new InputError('name', `name: give one model name (see 'infermark zoo list'); got ${positionals.length}`);
  if (!values.output) throw new InputError('output', 'output: give the file to write with -o PATH');
  const name = positionals[0].replace(/^zoo:/, '');
  const started = process.hrtime.bigint();
  const path = resolve(values.output);
  const options = {
    opset: values.opset === undefined ? undefined : parsePositiveInt('opset', values.opset),
    seed: values.seed === undefined ? undefined : parsePositiveInt('seed', values.seed, 0),
    batch: parseBatch(values.batch),
    seq: values.seq === undefined ? undefined : parsePositiveInt('seq', values.seq),
  };
  let written;
  try {
    written = await writeZooModel(name, path, options);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === undefined) throw err;
    await rm(path, { force: true }).catch(() => undefined); // no half-written model left behind
    throw new InputError('output', `output: cannot write ${JSON.stringify(path)} (${code}); give a path in an existing, writable folder with room for the model`);
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  io.stdout(`wrote ${written.path} (${(written.sizeBytes / 1e6).toFixed(1)} MB, sha256 ${written.sha256}) in ${seconds.toFixed(2)} s\n`);
  return 0;
}

const command: Command = {
  summary: 'list the built-in model zoo, or write a zoo model as ONNX',
  usage: USAGE,
  async run(argv, io) {
    const [sub, ...rest] = argv;
    if (sub === 'list') {
      const { values } = parseArgs({ args: rest, options: { json: { type: 'boolean' } }, strict: true });
      const entries = listZoo();
      io.stdout(values.json ? `${JSON.stringify(entries, null, 2)}\n` : zooTable(entries));
      return 0;
    }
    if (sub === 'build') return build(rest, io);
    throw new InputError('subcommand', `${sub === undefined ? 'a subcommand is needed' : `${JSON.stringify(sub)} is not a subcommand`}; allowed: list, build (see infermark zoo --help)`);
  },
};

export default command;
