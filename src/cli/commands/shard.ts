/**
 * `infermark shard` (hidden): what one task of a Slurm array runs. It expands
 * the run's plan from the shared store, runs its own trials (by number) with
 * the local launcher, and writes each result to the store the moment it
 * exists. Trials already finished in the store are not run again.
 */
import { parseArgs } from 'node:util';
import type { Command } from '../command.js';
import type { RunEntry } from '../run-entries.js';
import { InputError } from '../../errors/input-error.js';
import { sweep } from '../../api/benchmark.js';
import { createProbes, measureIdleBaseline, type ProbeOptions } from '../../probes/index.js';
import { finishedIds, numberTrials } from '../../fleet/shards.js';
import { openSharedStore } from '../../fleet/open-shared-store.js';
import { resumeId } from '../../results/jsonl.js';
import { parseDurationMs } from '../parse-values.js';

const command: Command = {
  summary: 'run one shard of a fleet run (what a Slurm array task or a Kubernetes Indexed Job pod runs)',
  usage: `Usage: infermark shard --run RUN --trials N,N,... [--db URL] [--no-check-outputs] [--no-efficiency]
                       [--energy MODE] [--sample-interval DUR] [--idle-baseline DUR]
       infermark shard --run RUN --index I --count C [...]

Runs the given trials (numbers in the plan's expansion order) of RUN, whose
plan is in the shared results store (--db, else $INFERMARK_DB), and writes
each result there at once. With --index/--count it takes every C-th trial
from I (I defaults to $JOB_COMPLETION_INDEX, as a Kubernetes Indexed Job
sets it). Started by 'infermark run --launcher slurm'.`,
  async run(argv, io) {
    const { values } = parseArgs({
      args: argv, strict: true,
      options: {
        db: { type: 'string' }, run: { type: 'string' }, trials: { type: 'string' }, index: { type: 'string' }, count: { type: 'string' },
        'no-check-outputs': { type: 'boolean' }, 'no-efficiency': { type: 'boolean' }, energy: { type: 'string' }, 'sample-interval': { type: 'string' }, 'idle-baseline': { type: 'string' },
      },
    });
    if (!values.run) throw new InputError('--run', 'shard needs --run RUN');
    const store = await openSharedStore(values.db);
    try {
      const runId = await store.resolveRun(values.run);
      const stored = await store.getRun(runId);
      const entries = stored.run.plan as RunEntry[];
      if (!Array.isArray(entries)) throw new InputError('--run', `run ${runId} has no plan to shard`);
      const numbered = await numberTrials(entries);
      let mine: Set<number>;
      if (values.trials !== undefined) {
        mine = new Set(values.trials.split(',').filter(Boolean).map(Number));
      } else {
        const count = Number(values.count);
        const index = Number(values.index ?? process.env.JOB_COMPLETION_INDEX);
        if (!(count >= 1 && index >= 0 && index < count)) throw new InputError('--index', 'shard needs --trials N,N,... or --index I --count C (0 <= I < C)');
        mine = new Set(numbered.filter((t) => t.index % count === index).map((t) => t.index));
      }
      const finished = finishedIds(stored.trials);
      const done = stored.trials.filter((r) => finished.has(resumeId(r)));
      const probeOptions: ProbeOptions = {
        sampleIntervalMs: values['sample-interval'] ? parseDurationMs('--sample-interval', values['sample-interval']) : 20,
        energy: (values.energy as ProbeOptions['energy']) ?? 'auto',
      };
      if (values['idle-baseline']) probeOptions.baseline = await measureIdleBaseline(parseDurationMs('--idle-baseline', values['idle-baseline']), probeOptions);
      let failure: string | undefined;
      let writes: Promise<void> = Promise.resolve();
      let ran = 0;
      for (const [e, entry] of entries.entries()) {
        const inEntry = new Set(numbered.filter((t) => t.entry === e && mine.has(t.index)).map((t) => t.indexInEntry));
        if (inEntry.size === 0) continue;
        await sweep({
          ...entry.bench,
          select: (_spec, i) => inEntry.has(i),
          done,
          checkOutputs: !values['no-check-outputs'],
          efficiency: !values['no-efficiency'],
          probes: () => createProbes(probeOptions),
          onResult: async (r) => {
            ran++;
            io.stderr(`trial ${r.key}: ${r.status}\n`);
            // Committed before the next trial starts; a store lost past its retries ends the task (its trials are reported failed).
            writes = writes.then(() => store.addTrial(runId, r)).catch((err: Error) => { failure ??= err.message; });
            await writes;
          },
        });
        await writes;
        if (failure) break;
      }
      await writes;
      if (failure) {
        io.stderr(`infermark shard: the results store failed: ${failure}\n`);
        return 1;
      }
      io.stderr(`shard of run ${runId}: ${ran} trial(s) run, ${mine.size} assigned\n`);
      return 0;
    } finally {
      await store.close();
    }
  },
};

export default command;
