/** `infermark db copy FROM TO`: move results history between stores (an SQLite file into PostgreSQL). */
import { parseArgs } from 'node:util';
import type { Command } from '../command.js';
import { InputError } from '../../errors/input-error.js';
import { openResultsStore } from '../../store/open.js';
import { isPostgresUrl } from '../../store/results-store.js';

const command: Command = {
  summary: 'copy every run of one results database into a PostgreSQL one (db copy FROM postgres://...)',
  usage: `Usage: infermark db copy FROM TO

Copies every run of FROM (an SQLite file, or a postgres:// URL) into TO (a
postgres://USER:PASSWORD@HOST:PORT/DB URL), keeping run ids, plans, machine
contexts and every trial with its raw samples. A run already in TO is left
as it is, so copying again only adds what is new. FROM is only read.`,
  async run(argv, io) {
    const { positionals } = parseArgs({ args: argv, allowPositionals: true, strict: true, options: {} });
    const [action, from, to] = positionals;
    if (action !== 'copy') throw new InputError('db', `db: unknown action ${JSON.stringify(action ?? '')}; allowed: copy (infermark db copy FROM postgres://...)`);
    if (!from || !to || positionals.length !== 3) throw new InputError('db copy', 'db copy takes two places: FROM (SQLite file or postgres:// URL) and TO (a postgres:// URL)');
    if (!isPostgresUrl(to)) throw new InputError('TO', `db copy: TO must be a postgres:// URL, got ${JSON.stringify(to)}`);
    const source = await openResultsStore(from, { mustExist: true });
    try {
      const { PgResultsStore } = await import('../../store/postgres/pg-store.js');
      const target = await PgResultsStore.connect(to);
      try {
        let copied = 0;
        let trials = 0;
        const runs = await source.listRuns();
        for (const summary of runs.slice().reverse()) {
          const stored = await source.getRun(summary.id);
          if (await target.copyRun(stored)) {
            copied++;
            trials += stored.trials.length;
          }
        }
        io.stdout(`copied ${copied} run(s), ${trials} trial(s) from ${source.location} to ${target.location}; ${runs.length - copied} already there\n`);
      } finally {
        await target.close();
      }
    } finally {
      await source.close();
    }
    return 0;
  },
};

export default command;
