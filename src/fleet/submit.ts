/**
 * `infermark run ... --launcher NAME` for a launcher that hands the whole
 * plan to a scheduler (slurm, external; see the launcher registry). The
 * launcher states what it needs; both need a shared store, which is opened
 * here and handed to them. With slurm, the plan's trials become one job array
 * (each task runs its shard with the local launcher on its node and writes
 * each result to the shared PostgreSQL store at once), followed to its end
 * with one progress line, then the same table, recommendation and report as
 * a local run. Ctrl-C (or SIGTERM) while following cancels the job.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { CommandIO } from '../cli/command.js';
import { parseRunArgs } from '../cli/run-args.js';
import { runEntries, type RunEntry } from '../cli/run-entries.js';
import { InputError } from '../errors/input-error.js';
import { resumeId } from '../results/jsonl.js';
import type { TrialResult } from '../results/types.js';
import { writeReport } from '../report/write.js';
import { redactUrl } from '../store/results-store.js';
import { TOOL_VERSION } from '../version.js';
import { machineContext } from '../engine/context.js';
import { fmtSettings } from '../cli/format.js';
import { dealShards, taskCount, type ClusterJob, type ClusterLauncher } from '../launchers/cluster.js';
import { createClusterLauncher, launcherInfo } from '../launchers/registry.js';
import type { FleetArgs } from './fleet-args.js';
import { finishedIds, numberTrials, type NumberedTrial } from './shards.js';
import { openSharedStore, sharedStoreUrl } from './open-shared-store.js';
import { followRun } from './follow.js';
import { fleetSummaryText } from './summary.js';

const MAIN_JS = fileURLToPath(new URL('../cli/main.js', import.meta.url));

/** Exit status of a command ended by a signal, as shells report it. */
const SIGNAL_EXIT: Record<string, number> = { SIGINT: 130, SIGTERM: 143 };

function shardsText(numbered: NumberedTrial[], shards: number[][]): string {
  return shards.map((s, task) => `task ${task}: ${s.length} trial(s)\n${s.map((i) => {
    const t = numbered[i].spec;
    return `  #${i} ${t.modelRef} ${t.runtime}/${t.provider} ${fmtSettings(t.settings)} batch ${t.batchSize} ${t.scenario}${t.repetition !== undefined ? ` rep ${t.repetition + 1}` : ''}`;
  }).join('\n')}`).join('\n');
}

/**
 * The first SIGINT or SIGTERM while `during` runs cancels the job (one line
 * says so) and resolves `stop`; a second one ends the process at once, as
 * the handlers are gone by then.
 */
async function cancelOnSignal<T>(launcher: ClusterLauncher, jobId: string, runId: string, io: CommandIO,
  during: (stop: Promise<void>) => Promise<T>): Promise<{ value: T; signal?: string }> {
  let signal: string | undefined;
  let resolveStop!: () => void;
  const stop = new Promise<void>((r) => { resolveStop = r; });
  const onSignal = (sig: NodeJS.Signals) => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    signal = sig;
    const nl = io.isTTY ? '\n' : ''; // ends the progress line a terminal shows
    void launcher.cancel(jobId).then(
      (how) => io.stderr(`${nl}${sig}: cancelled ${launcher.scheduler} job ${jobId} (${how}); the finished trials stay in run ${runId}; resume with 'infermark run PLAN --launcher ${launcher.name} --resume ${runId}'\n`),
      (err: Error) => io.stderr(`${nl}${sig}: could not cancel ${launcher.scheduler} job ${jobId} (${err.message}); cancel it with the scheduler's own command\n`),
    ).finally(resolveStop);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    return { value: await during(stop), signal };
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

export async function runOnCluster(fleet: FleetArgs, argv: string[], io: CommandIO): Promise<number> {
  const cli = parseRunArgs(fleet.rest);
  const info = launcherInfo(fleet.launcher);
  const launcher = createClusterLauncher(info.name, fleet.cluster);
  const opts = fleet.cluster;
  const flag = `--launcher ${info.name}`;
  if (cli.noDb) throw new InputError('--no-db', `${flag} writes every trial to the shared store (--db postgres://...); --no-db does not apply`);
  if (cli.resume) throw new InputError('--resume', `${flag} resumes a run from the store: --resume RUN (see infermark runs)`);
  const { entries: given, probes: planProbes } = runEntries(cli);
  const energy = cli.energy ?? planProbes.energy;
  const sampleIntervalMs = cli.sampleIntervalMs ?? planProbes.sampleIntervalMs;
  const idleBaselineMs = cli.idleBaselineMs ?? planProbes.idleBaselineMs;
  // Probes are each node's own: every worker measures its node's idle power itself.
  const workerFlags = [
    ...(cli.checkOutputs ? [] : ['--no-check-outputs']),
    ...(cli.efficiency ? [] : ['--no-efficiency']),
    ...(energy ? [`--energy=${energy}`] : []),
    ...(sampleIntervalMs !== undefined ? [`--sample-interval=${sampleIntervalMs}ms`] : []),
    ...(idleBaselineMs !== undefined ? [`--idle-baseline=${idleBaselineMs}ms`] : []),
  ];
  const jobFor = (runId: string, shards: number[][], env: NodeJS.ProcessEnv): ClusterJob => ({ runId, shards, nodePath: process.execPath, mainPath: MAIN_JS, workerFlags, env });

  if (cli.dryRun) {
    const numbered = await numberTrials(given);
    const shards = dealShards(numbered.map((t) => t.index), taskCount(numbered.length, opts.maxParallel));
    io.stdout(`# job script (RUN is the run id the store gives at submission)\n${launcher.jobText(jobFor('RUN', shards, process.env))}\n# shards\n${shardsText(numbered, shards)}\n`);
    return 0;
  }

  // Every plan launcher's workers run elsewhere and write to the store the launcher says it needs.
  if (!info.needs.sharedStore) throw new Error(`launcher ${info.name} hands a plan out without a shared store, which 'run' cannot follow`);
  const url = sharedStoreUrl(cli.db, info.name);
  const env = { ...process.env, INFERMARK_DB: url };
  const store = await openSharedStore(url);
  try {
    let runId: string | undefined;
    let entries: RunEntry[] = given;
    let existing: TrialResult[] = [];
    if (opts.resumeRun) {
      runId = await store.resolveRun(opts.resumeRun);
      const stored = await store.getRun(runId);
      // The run's own plan numbers its trials; the one given now must be the same plan.
      entries = stored.run.plan as RunEntry[];
      if (JSON.stringify(entries) !== JSON.stringify(JSON.parse(JSON.stringify(given)))) {
        io.stderr(`warning: the plan given differs from run ${runId}'s; resuming with the run's own plan\n`);
      }
      existing = stored.trials;
    }
    const numbered = await numberTrials(entries);
    const finished = finishedIds(existing);
    const missing = numbered.filter((t) => !finished.has(resumeId(t.spec))).map((t) => t.index);
    const shards = dealShards(missing, taskCount(missing.length, opts.maxParallel));
    // Ask the scheduler first (no sbatch, unknown partition, over a limit): a refusal leaves nothing behind.
    if (missing.length) await launcher.check(jobFor('check', shards, env));
    runId ??= await store.beginRun({ command: ['infermark', 'run', ...argv].join(' '), plan: entries, toolVersion: TOOL_VERSION, machine: machineContext() });
    const handOff = launcher.handOff(runId);
    if (handOff !== undefined) {
      io.stdout(`${JSON.stringify({ runId, trials: numbered.length })}\n`);
      if (!cli.quiet) io.stderr(`run ${runId} is in the store with ${numbered.length} trial(s); ${handOff}\n`);
      return 0;
    }
    let jobId: string | undefined;
    if (missing.length === 0) {
      io.stderr(`run ${runId}: all ${numbered.length} trials are already in the store; nothing to submit\n`);
    } else {
      jobId = await launcher.submit(jobFor(runId, shards, env));
      if (jobId === undefined) throw new Error(`launcher ${info.name} submitted nothing and named no hand-off`);
      await store.addFleetJob({ runId, jobId, submittedAt: new Date().toISOString(), totalTrials: numbered.length, shards });
      if (!cli.quiet) io.stderr(`submitted ${launcher.scheduler} job ${jobId}: ${missing.length} trial(s) in ${shards.length} array task(s), run ${runId}, results to ${redactUrl(url)}\n`);
      if (opts.detach) {
        io.stdout(`${JSON.stringify({ jobId, runId })}\n`);
        if (!cli.quiet) io.stderr(`follow it with: infermark runs --watch ${runId} --db ${redactUrl(url)}\n`);
        return 0;
      }
    }
    const follow = (stop?: Promise<void>) => followRun(store, runId, { write: cli.quiet ? undefined : io.stderr, isTTY: io.isTTY, stop });
    const { value: stored, signal } = jobId ? await cancelOnSignal(launcher, jobId, runId, io, follow) : { value: await follow(), signal: undefined };
    if (signal) return SIGNAL_EXIT[signal] ?? 1;
    const results = stored.trials;
    if (cli.out) writeFileSync(cli.out, results.map((r) => `${JSON.stringify(r)}\n`).join(''));
    if (cli.json) io.stdout(`${JSON.stringify({ runId, results }, null, 2)}\n`);
    else io.stdout(fleetSummaryText(results));
    if (cli.report) {
      await writeReport(cli.report, [stored], cli.reportFormat);
      if (!cli.quiet) io.stderr(`report: ${cli.report}\n`);
    }
    if (!cli.quiet) io.stderr(`recorded as run ${runId} in ${redactUrl(url)} (infermark runs --db URL, infermark report ${runId} -o report.html --db URL)\n`);
    return results.some((r) => r.status === 'failed') ? 1 : 0;
  } finally {
    await store.close();
  }
}
