/** `infermark import FILE.jsonl`: earlier JSON Lines results into the database, as a run. */
import { parseArgs } from 'node:util';
import type { Command } from '../command.js';
import { InputError } from '../../errors/input-error.js';
import { openResultsStore } from '../../store/open.js';
import { DB_OPTION, DB_USAGE } from '../../store/db-option.js';

const command: Command = {
  summary: 'import JSON Lines results (from run --out) into the results database',
  usage: `Usage: infermark import FILE.jsonl... [--db PATH]

Each file becomes one run. Importing the same file again, or the --out file
of a run that was recorded in the database already, is a no-op that prints
the run that holds it. Lines cut short (by a killed run) are
skipped and counted.

Options:
${DB_USAGE}`,
  async run(argv, io) {
    const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, strict: true, options: { ...DB_OPTION } });
    if (positionals.length === 0) throw new InputError('FILE', "import needs a JSON Lines file, e.g. 'infermark import results.jsonl'");
    const store = await openResultsStore(values.db);
    try {
      for (const file of positionals) {
        const r = await store.importJsonlDetailed(file);
        const bad = r.badLines ? ` (${r.badLines} unreadable line(s) skipped; ${r.firstProblem})` : '';
        io.stdout(r.alreadyImported
          ? `${file}: already in the database as run ${r.runId} (nothing added)\n`
          : `${file}: imported ${r.trials} trial(s) as run ${r.runId}${bad}\n`);
      }
    } finally {
      await store.close();
    }
    return 0;
  },
};

export default command;
