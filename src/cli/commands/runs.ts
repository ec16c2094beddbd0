/** `infermark runs`: the runs in the results database, newest first. */
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { defaultDbPath } from '../../store/default-path.js';
import type { Command, CommandIO } from '../command.js';
import type { RunSummary } from '../../store/types.js';
import { runStateText } from '../../store/recorder.js';
import { DB_OPTION, DB_USAGE, openForReading } from '../../store/db-option.js';
import { isPostgresUrl } from '../../store/results-store.js';

function machineName(machine: unknown): string {
  if (!machine || typeof machine !== 'object') return '';
  const m = machine as { hostname?: string; cpuModel?: string; cpuCores?: number };
  return [m.hostname, m.cpuModel && `${m.cpuModel}${m.cpuCores ? ` x${m.cpuCores}` : ''}`].filter(Boolean).join(', ');
}

function planText(r: RunSummary): string {
  const what = `${r.models.join(', ')} on ${r.runtimes.join(', ')}`;
  return r.command ? `${what} (${r.command})` : what;
}

export function runsTable(runs: RunSummary[]): string {
  if (runs.length === 0) return "No runs yet: run 'infermark run MODEL' or 'infermark import FILE.jsonl'.\n";
  const rows = runs.map((r) => [
    r.id,
    r.startedAt.replace('T', ' ').slice(0, 19),
    `${r.trialCount}${r.failedCount ? ` (${r.failedCount} failed)` : ''}${r.endedAt ? '' : ` ${runStateText(r.state, r.trialCount, r.recorder)}`}`,
    machineName(r.machine),
    planText(r),
  ]);
  const head = ['id', 'date (UTC)', 'trials', 'machine', 'plan'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  widths[4] = 0; // the last column runs on
  const line = (cells: string[]) => cells.map((c, i) => (i < 4 ? c.padEnd(widths[i]) : c)).join('  ').trimEnd();
  return `${[line(head), ...rows.map(line)].join('\n')}\n`;
}

/** Follows a fleet run to its end, as the submitting command would have (it may have been --detach'ed). */
async function watchRun(id: string, db: string | undefined, io: CommandIO): Promise<number> {
  const { openSharedStore } = await import('../../fleet/open-shared-store.js');
  const { followRun } = await import('../../fleet/follow.js');
  const { fleetSummaryText } = await import('../../fleet/summary.js');
  const store = await openSharedStore(db);
  try {
    const stored = await followRun(store, await store.resolveRun(id), { write: io.stderr, isTTY: io.isTTY });
    io.stdout(fleetSummaryText(stored.trials));
    return stored.trials.some((r) => r.status === 'failed') ? 1 : 0;
  } finally {
    await store.close();
  }
}

const command: Command = {
  summary: 'list the runs in the results database',
  usage: `Usage: infermark runs [--db PATH|URL] [--json]
       infermark runs --watch RUN --db postgres://...

Lists every run, newest first: id, date, trial count, machine and plan.
A run id (or a unique prefix of it, 'latest', or 'latest~N') is what export, report and
compare take.

Options:
${DB_USAGE}
  --json      print the runs as JSON
  --watch RUN follow a fleet run (--launcher slurm) until its Slurm job ends: one
              progress line, then its table and recommendation`,
  async run(argv, io) {
    const { values } = parseArgs({ args: argv, options: { ...DB_OPTION, json: { type: 'boolean' }, watch: { type: 'string' } }, strict: true });
    if (values.watch !== undefined) return watchRun(values.watch, values.db, io);
    const path = values.db ?? defaultDbPath();
    if (!isPostgresUrl(path) && !existsSync(path)) {
      // Not an error: on a fresh machine "no runs yet" is the true answer.
      io.stdout(values.json ? '[]\n' : `No runs yet (no results database at ${path}): run 'infermark run MODEL' or 'infermark import FILE.jsonl'.\n`);
      return 0;
    }
    const store = await openForReading(path);
    try {
      const runs = await store.listRuns();
      io.stdout(values.json ? `${JSON.stringify(runs, null, 2)}\n` : runsTable(runs));
    } finally {
      await store.close();
    }
    return 0;
  },
};

export default command;
