/** `infermark compare A B`: each configuration of run B against run A, with CIs and a significance test. */
import { parseArgs } from 'node:util';
import type { Command } from '../command.js';
import { InputError, invalidValue } from '../../errors/input-error.js';
import { DB_OPTION, DB_USAGE, openForReading } from '../../store/db-option.js';
import { compareRuns } from '../../analysis/compare.js';
import { formatComparison } from '../../analysis/format-comparison.js';
import { machineLabel } from '../../fleet/summary.js';
import type { TrialResult } from '../../results/types.js';
import { runStateText } from '../../store/recorder.js';

/** "5%", "5" or "0.5%": a percentage of the baseline median. */
export function parseThreshold(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*%?\s*$/.exec(text);
  const pct = m ? Number(m[1]) : NaN;
  if (!(pct >= 0 && pct < 1000)) throw invalidValue('--threshold', text, 'a percentage such as 5% or 2.5%');
  return pct;
}

/**
 * Configurations are matched by key, whatever machine ran them: when the
 * machines differ (a fleet run spans nodes, or the runs come from different
 * hosts), say so, since the difference then includes the machine.
 */
function machineNote(a: TrialResult[], b: TrialResult[]): string | undefined {
  const where = new Map(a.map((r) => [r.key, machineLabel(r)]));
  const pairs = b.filter((r) => where.has(r.key) && where.get(r.key) !== machineLabel(r));
  if (pairs.length === 0) return undefined;
  const examples = [...new Set(pairs.map((r) => `${where.get(r.key)} -> ${machineLabel(r)}`))].slice(0, 3).join('; ');
  return `note: ${pairs.length} configuration(s) ran on a different machine in B than in A (${examples}): those differences include the machine's`;
}

const command: Command = {
  summary: 'compare two runs configuration by configuration, with significance; gate CI on regressions',
  usage: `Usage: infermark compare A B [--threshold 5%] [--fail-on-regression] [--json] [--db PATH]

A is the baseline, B the candidate (run ids, unique prefixes, 'latest' or 'latest~N').
Configurations are matched by trial key (else by model path and
configuration). For each: the ratio of median latencies B/A with a 95%
bootstrap CI, and a Mann-Whitney test on the raw samples. A change is flagged
when it is beyond the threshold AND significant (p < 0.05 and the CI
excludes 1): 'regression' (slower) or 'improvement'; beyond the threshold but
not significant is 'inconclusive'.

Options:
  --threshold P          smallest change that counts, percent of A's median (default 5%)
  --fail-on-regression   exit 1 when any configuration regressed (for CI)
  --json                 print the comparison as JSON
${DB_USAGE}`,
  async run(argv, io) {
    const { values, positionals } = parseArgs({
      args: argv, allowPositionals: true, strict: true,
      options: { ...DB_OPTION, threshold: { type: 'string' }, 'fail-on-regression': { type: 'boolean' }, json: { type: 'boolean' } },
    });
    if (positionals.length !== 2) throw new InputError('RUN', `compare takes two run ids (baseline, candidate), got ${positionals.length}: see 'infermark runs'`);
    const thresholdPct = values.threshold === undefined ? 5 : parseThreshold(values.threshold);
    const store = await openForReading(values.db);
    let a, b;
    try {
      a = await store.getRun(positionals[0]);
      b = await store.getRun(positionals[1]);
    } finally {
      await store.close();
    }
    const comparison = compareRuns(a.trials, b.trials, { thresholdPct });
    const machines = machineNote(a.trials, b.trials);
    // A run that did not finish compares only the trials it kept: say so, rather than let a short run pass as whole.
    const unfinished = [a.run, b.run].filter((r) => !r.endedAt).map((r) => `note: run ${r.id} is ${runStateText(r.state, r.trialCount, r.recorder)}\n`).join('');
    if (unfinished) io.stderr(unfinished);
    io.stdout(values.json
      ? `${JSON.stringify({ baseline: a.run.id, candidate: b.run.id, ...comparison, ...(machines ? { machines } : {}) }, null, 2)}\n`
      : `${formatComparison(comparison, { baseline: a.run.id, candidate: b.run.id })}${machines ? `${machines}\n` : ''}`);
    return values['fail-on-regression'] && comparison.regressions > 0 ? 1 : 0;
  },
};

export default command;
