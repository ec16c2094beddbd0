/** `infermark export RUN`: a run's results as CSV, JSON or JSON Lines. */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { Command } from '../command.js';
import { InputError, invalidValue } from '../../errors/input-error.js';
import { DB_OPTION, DB_USAGE, openForReading } from '../../store/db-option.js';
import { renderCsv } from '../../report/csv.js';

const FORMATS = ['csv', 'json', 'jsonl'] as const;

const command: Command = {
  summary: "export a run's results as CSV, JSON or JSON Lines",
  usage: `Usage: infermark export RUN --format csv|json|jsonl [-o FILE] [--db PATH]

RUN is a run id from 'infermark runs', a unique prefix of one, 'latest', or
'latest~N' (the Nth run before the latest).

Formats:
  csv     one row per trial: configuration and summary figures, units in the column names
  json    { run, trials }: the run's summary and every TrialResult, raw samples included
  jsonl   one TrialResult per line, as 'run --out' writes (can be imported again)

Options:
  --format F  csv, json or jsonl (required)
  -o FILE     write to FILE instead of stdout
${DB_USAGE}`,
  async run(argv, io) {
    const { values, positionals } = parseArgs({
      args: argv, allowPositionals: true, strict: true,
      options: { ...DB_OPTION, format: { type: 'string' }, output: { type: 'string', short: 'o' } },
    });
    if (positionals.length !== 1) throw new InputError('RUN', `export takes one run id, got ${positionals.length}: see 'infermark runs'`);
    const format = values.format;
    if (!format) throw new InputError('--format', '--format is required: csv, json or jsonl');
    if (!(FORMATS as readonly string[]).includes(format)) throw invalidValue('--format', format, FORMATS.join(', '));
    const store = await openForReading(values.db);
    let text: string;
    try {
      const run = await store.getRun(positionals[0]);
      text = format === 'csv' ? renderCsv([run])
        : format === 'json' ? `${JSON.stringify(run, null, 2)}\n`
          : run.trials.map((t) => `${JSON.stringify(t)}\n`).join('');
    } finally {
      await store.close();
    }
    if (values.output) writeFileSync(values.output, text);
    else io.stdout(text);
    return 0;
  },
};

export default command;
