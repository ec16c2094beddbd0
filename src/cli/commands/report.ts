/** `infermark report [RUN...] -o report.html`: an HTML report with charts, or a Markdown summary. */
import { parseArgs } from 'node:util';
import type { Command } from '../command.js';
import { InputError, invalidValue } from '../../errors/input-error.js';
import { DB_OPTION, DB_USAGE, openForReading } from '../../store/db-option.js';
import { formatFromPath, writeReport, type ReportFormat } from '../../report/write.js';
import { renderMarkdown } from '../../report/markdown.js';
import type { StoredRun } from '../../store/types.js';

const command: Command = {
  summary: 'write an HTML report with charts (or a Markdown summary) of one or more runs',
  usage: `Usage: infermark report [RUN...] -o report.html [--format html|md] [--title TEXT] [--db PATH]

RUN is a run id from 'infermark runs', a unique prefix, 'latest' (the
default) or 'latest~N' (the Nth run before it). Several runs go into one
report, side by side.

The HTML file is self-contained: it opens with no network. It holds the best
configuration per objective, then a section per model with what each
scenario measured (single-stream percentiles, the offline batch scan, the
server's rate search, an ensemble's members alone and together),
efficiency (GFLOP/s, share of the measured peak), output agreement per
trial, memory and CPU timelines, energy when there is any, and a labelled
Pareto chart; then the full results table (sort, filter, choose columns),
failed trials with their reasons, warnings grouped by kind, and the
environment.

Options:
  -o FILE          where to write; the format follows the extension (.html or .md)
  --format F       html or md, whatever the extension; md without -o prints to stdout
  --title TEXT     the report's title
${DB_USAGE}`,
  async run(argv, io) {
    const { values, positionals } = parseArgs({
      args: argv, allowPositionals: true, strict: true,
      options: { ...DB_OPTION, output: { type: 'string', short: 'o' }, format: { type: 'string' }, title: { type: 'string' } },
    });
    if (values.format !== undefined && values.format !== 'html' && values.format !== 'md') throw invalidValue('--format', values.format, 'html, md');
    const format: ReportFormat | undefined = values.format as ReportFormat | undefined;
    if (!values.output && format !== 'md') throw new InputError('-o', "report needs -o FILE (e.g. -o report.html), or '--format md' to print Markdown");
    const store = await openForReading(values.db);
    let runs: StoredRun[];
    try {
      const ids = positionals.length ? positionals : ['latest'];
      runs = [];
      for (const id of ids) runs.push(await store.getRun(id));
    } finally {
      await store.close();
    }
    const opts = values.title ? { title: values.title } : {};
    if (!values.output) {
      io.stdout(renderMarkdown(runs, opts));
      return 0;
    }
    const fmt = format ?? formatFromPath(values.output);
    await writeReport(values.output, runs, fmt, opts);
    const trials = runs.reduce((n, r) => n + r.trials.length, 0);
    io.stderr(`wrote ${values.output} (${fmt}, ${runs.length} run(s), ${trials} trial(s))\n`);
    return 0;
  },
};

export default command;
