/**
 * `infermark run ... --launcher slurm`: the plan's trials as one Slurm job
 * array (each task runs its shard with the local launcher on its node, and
 * writes each result to the shared PostgreSQL store at once), followed to
 * its end with one progress line, then the same table, recommendation and
 * report as a local run.
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
import type { FleetArgs } from './fleet-args.js';
import { jobScript, type JobScriptInput } from './job-script.js';
import { sbatch } from './slurm.js';
import { dealShards, finishedIds, numberTrials, taskCount, type NumberedTrial } from './shards.js';
import { openSharedStore, sharedStoreUrl } from './open-shared-store.js';
import { followRun } from './follow.js';
import { fleetSummaryText } from './summary.js';

const MAIN_JS = fileURLToPath(new URL('../cli/main.js', import.meta.url));

function shardsText(numbered: NumberedTrial[], shards: number[][]): string {
  return shards.map((s, task) => `task ${task}: ${s.length} trial(s)\n${s.map((i) => {
    const t = numbered[i].spec;
    return `  #${i} ${t.modelRef} ${t.runtime}/${t.provider} ${fmtSettings(t.settings)} batch ${t.batchSize} ${t.scenario}${t.repetition !== undefined ? ` rep ${t.repetition + 1}` : ''}`;
  }).join('\n')}`).join('\n');
}

export async function runOnSlurm(fleet: FleetArgs, argv: string[], io: CommandIO): Promise<number> {
  const cli = parseRunArgs(fleet.rest);
  const { slurm } = fleet;
  if (cli.noDb) throw new InputError('--no-db', '--launcher slurm writes every trial to the shared store (--db postgres://...); --no-db does not apply');
  if (cli.resume) throw new InputError('--resume', '--launcher slurm resumes a run from the store: --resume RUN (see infermark runs)');
  const { entries: given, probes: planProbes } = runEntries(cli);
  const energy = cli.energy ?? planProbes.energy;
  const sampleIntervalMs = cli.sampleIntervalMs ?? planProbes.sampleIntervalMs;
  const idleBaselineMs = cli.idleBaselineMs ?? planProbes.idleBaselineMs;
  // Probes are each node's own: every task measures its node's idle power itself.
  const shardFlags = [
    ...(cli.checkOutputs ? [] : ['--no-check-outputs']),
    ...(cli.efficiency ? [] : ['--no-efficiency']),
    ...(energy ? [`--energy=${energy}`] : []),
    ...(sampleIntervalMs !== undefined ? [`--sample-interval=${sampleIntervalMs}ms`] : []),
    ...(idleBaselineMs !== undefined ? [`--idle-baseline=${idleBaselineMs}ms`] : []),
  ];
  const scriptFor = (runId: string, shards: number[][]): string => jobScript({ runId, shards, slurm, nodePath: process.execPath, mainPath: MAIN_JS, shardFlags } satisfies JobScriptInput);

  if (cli.dryRun) {
    const numbered = await numberTrials(given);
    const shards = dealShards(numbered.map((t) => t.index), taskCount(numbered.length, slurm.maxParallel));
    io.stdout(`# job script (RUN is the run id the store gives at submission)\n${scriptFor('RUN', shards)}\n# shards\n${shardsText(numbered, shards)}\n`);
    return 0;
  }

  const url = sharedStoreUrl(cli.db);
  const env = { ...process.env, INFERMARK_DB: url };
  const store = await openSharedStore(url);
  try {
    let runId: string;
    let entries: RunEntry[] = given;
    let existing: TrialResult[] = [];
    if (slurm.resumeRun) {
      runId = await store.resolveRun(slurm.resumeRun);
      const stored = await store.getRun(runId);
      // The run's own plan numbers its trials; the one given now must be the same plan.
      entries = stored.run.plan as RunEntry[];
      if (JSON.stringify(entries) !== JSON.stringify(JSON.parse(JSON.stringify(given)))) {
        io.stderr(`warning: the plan given differs from run ${runId}'s; resuming with the run's own plan\n`);
      }
      existing = stored.trials;
    }
    const numbered = await numberTrials(entries);
    if (fleet.launcher === 'external') {
      runId ??= await store.beginRun({ command: ['infermark', 'run', ...argv].join(' '), plan: entries, toolVersion: TOOL_VERSION, machine: machineContext() });
      io.stdout(`${JSON.stringify({ runId, trials: numbered.length })}\n`);
      if (!cli.quiet) io.stderr(`run ${runId} is in the store with ${numbered.length} trial(s); each worker runs: infermark shard --run ${runId} --index I --count C (I from $JOB_COMPLETION_INDEX on Kubernetes)\n`);
      return 0;
    }
    const finished = finishedIds(existing);
    const missing = numbered.filter((t) => !finished.has(resumeId(t.spec))).map((t) => t.index);
    const shards = dealShards(missing, taskCount(missing.length, slurm.maxParallel));
    // Ask Slurm first (no sbatch, unknown partition, over a limit): a refusal leaves nothing behind.
    if (missing.length) await sbatch(scriptFor('check', shards), env, true);
    runId ??= await store.beginRun({ command: ['infermark', 'run', ...argv].join(' '), plan: entries, toolVersion: TOOL_VERSION, machine: machineContext() });
    if (missing.length === 0) {
      io.stderr(`run ${runId}: all ${numbered.length} trials are already in the store; nothing to submit\n`);
    } else {
      const jobId = await sbatch(scriptFor(runId, shards), env);
      await store.addFleetJob({ runId, jobId, submittedAt: new Date().toISOString(), totalTrials: numbered.length, shards });
      if (!cli.quiet) io.stderr(`submitted Slurm job ${jobId}: ${missing.length} trial(s) in ${shards.length} array task(s), run ${runId}, results to ${redactUrl(url)}\n`);
      if (slurm.detach) {
        io.stdout(`${JSON.stringify({ jobId, runId })}\n`);
        if (!cli.quiet) io.stderr(`follow it with: infermark runs --watch ${runId} --db ${redactUrl(url)}\n`);
        return 0;
      }
    }
    const stored = await followRun(store, runId, { write: cli.quiet ? undefined : io.stderr, isTTY: io.isTTY });
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
