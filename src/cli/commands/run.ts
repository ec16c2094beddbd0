/** `infermark run`: expand, run each trial in its own process, save each result at once, print the table. */
import type { Command } from '../command.js';
import type { TrialResult } from '../../results/types.js';
import { parseRunArgs } from '../run-args.js';
import { sweep, planTrials } from '../../api/benchmark.js';
import { runEntries } from '../run-entries.js';
import { dryRunText } from '../dry-run.js';
import { readHistory } from '../../api/history.js';
import { scenarioText } from '../scenario-text.js';
import { createProgressPrinter } from '../progress.js';
import { resultsTable } from '../results-table.js';
import { warningsText } from '../../report/warning-groups.js';
import { hasExports, writeExports } from '../run-exports.js';
import { outputText } from '../runner-output.js';
import { InputError } from '../../errors/input-error.js';
import { createProbes, measureIdleBaseline, type ProbeOptions } from '../../probes/index.js';
import { fmtDuration } from '../format.js';
import { splitFleetArgs } from '../../fleet/fleet-args.js';
import { launcherInfo } from '../../launchers/registry.js';
import { RunRecorder, stoppedText } from '../run-record.js';
import { SweepStoppedError } from '../../results/save-error.js';
import { checkTrialCount, DEFAULT_MAX_TRIALS } from '../../api/trial-count.js';
import { recommend } from '../../analysis/recommend.js';
import { formatRecommendation } from '../../analysis/format-recommendation.js';
import { scenarioFlagHelp } from '../scenario-flags-help.js';
import { scenarioNames } from '../../scenarios/registry.js';

// A function: scenarios registered at run time add flags of their own.
const usage = (): string => `Usage: infermark run MODEL... [options]
       infermark run PLAN.yaml [options]
       infermark run [options]            (the embedded defaults: zoo:mobilenetv2
                                           on every runtime, batch 1 and 8)

MODEL is an .onnx file or zoo:NAME (see 'infermark zoo list'). A plan file
(YAML or JSON, see 'infermark plan --schema') names models, runtimes, grids,
batches, scenarios and stopping rules; flags given here override it.
Every combination of runtime, provider, setting values, batch size and
scenario is one trial, run in a fresh child process.

Options:
  --runtime LIST         runtimes, or runtime:provider pairs (default ort-node);
                         see 'infermark runtimes'
  --provider LIST        execution providers for every runtime that has them
  --batch LIST           batch sizes (default 1), e.g. 1,8,32
  --set NAME=V1,V2       a setting's values (repeatable); NAME applies to every
                         runtime that has it, RUNTIME.NAME to one
  --browser PATH         Chromium-family executable for ort-web@chromium and
                         tfjs@chromium (default: chromium on PATH)
  --browser-flag FLAG    an extra browser flag (repeatable)
  --headed               show the browser window (debugging)
  --dim NAME=VALUE       bind a symbolic input dimension (repeatable)
  --batch-dim NAME       the symbolic dimension that carries the batch (default: one named
                         like 'batch', else the first input's symbolic first dimension);
                         inputs without it keep their declared shape
  --input NAME=VALUE     a constant for one input, broadcast to its shape (repeatable)
  --input NAME=FILE      one input's value from .npy, an ONNX TensorProto .pb, or JSON
  --inputs DIR           input values from a test_data_set folder (input_0.pb, ...);
                         inputs not given are synthesised from the seed
  --shape INPUT=D0,D1..  one input's whole shape; D0 follows --batch
  --scenario LIST        ${scenarioNames().map((n) => (n === 'single-stream' ? `${n} (default)` : n)).join(', ')}
  --batch scan           double the batch from 1 until throughput gains less
                         than --scan-threshold (5%), memory runs out, or
                         --scan-max (1024) is reached
${scenarioFlagHelp()}
  --dry-run              print the expanded trials and an estimated duration
  --no-efficiency        skip MACs per item, GFLOP/s and the share of the
                         runtime's peak on a large matrix product (measured
                         once per runtime, provider and thread count, cached)
  --check-outputs        compare each trial's outputs with onnxruntime-node
                         (cpu, no graph optimisation) on the same input (default)
  --no-check-outputs     skip that comparison
  --out FILE.jsonl       append every finished trial at once (flushed)
  --resume               continue the run that wrote --out: skip its finished trials, make --out and the database agree, keep its run id
  --timeout DUR          per-trial limit (default 300s); e.g. 90s, 5m
  --warmup N             warm-up runs after the first inference (default 3)
  --min-samples N        at least N measured runs (default 10)
  --min-time DUR         measure at least this long (default 1s)
  --max-time DUR         stop measuring after this long (default 10s)
  --target-ci PCT        stop once the median's 95% CI half-width is within
                         PCT of the median (default 2%)
  --repeat N             run each trial N times in fresh processes
  --max-trials N         refuse sweeps that expand to more than N trials (default 100000)
  --seed N               seed of the synthetic inputs (default 42)
  --cpus 0,1             pin each runner and every thread it starts to these
                         cores; the result records the cores they ran on
  --sample-interval DUR  how often memory and power are sampled (default 20ms)
  --idle-baseline DUR    measure idle power this long before the sweep, and
                         report dynamic energy too
  --energy MODE          auto (sensors when present), off, or estimate (a
                         labelled model when no sensor exists)
  --db PATH|URL          the results database every run is recorded in: a file,
                         or postgres://USER:PASSWORD@HOST:PORT/DB
                         (default: $INFERMARK_DB, else the user's data folder)
  --launcher slurm       run the trials as one Slurm job array (needs --db
                         postgres://...); see docs/fleets.md. With it:
    --partition P  --time T  --gpus-per-task N  --sbatch-arg=--FLAG=V
    --max-parallel N     N array tasks (shards), at most N at once
    --detach             submit, print the job and run ids, return
    --resume RUN         submit only the trials RUN lacks (or lost)
    --dry-run            print the job script and the shards
  --launcher external    only record the run and its plan in the shared store,
                         for workers started elsewhere ('infermark shard', e.g.
                         a Kubernetes Indexed Job; see docs/fleets.md)
  --no-db                do not record this run in the database
  --report FILE          write a report of this run: FILE.html (self-contained,
                         charts) or FILE.md (Markdown); --format html|md
  --json                 print { runId, results, recommendation } as JSON
  --export-json FILE     { runId, results, recommendation } as JSON,
                         rewritten after every trial (as hyperfine does)
  --export-markdown FILE the Markdown summary, rewritten after every trial
  --export-csv FILE      one row per trial, rewritten after every trial
  --show-output          print each trial's runner output (stdout and stderr)
  -q, --quiet            no progress line, no notes; the table and errors stay
  -v, --verbose          every trial under each warning with its own message

Exit code: 0 when every trial is ok (or skipped), 1 when any failed,
2 on a usage or input error (nothing runs then).`;

const command: Command = {
  summary: 'benchmark models (or a plan file) on runtimes and settings, one process per trial',
  get usage() { return usage(); },
  async run(argv, io) {
    const fleet = splitFleetArgs(argv);
    // A launcher that hands the whole plan to a scheduler (the registry says which) runs it from src/fleet/.
    if (launcherInfo(fleet.launcher).scope === 'plan') return (await import('../../fleet/submit.js')).runOnCluster(fleet, argv, io);
    const cli = parseRunArgs(fleet.rest);
    if (cli.resume && !cli.out) throw new InputError('--resume', '--resume needs --out FILE.jsonl: the file whose finished trials are skipped');
    const { entries, probes: planProbes } = runEntries(cli);
    // Validate every entry before anything runs.
    const planned = [];
    // Counted from the option lists over all entries, before any trial object is built.
    const maxTrials = cli.bench.maxTrials ?? DEFAULT_MAX_TRIALS;
    checkTrialCount(entries.map((e) => e.bench), maxTrials);
    for (const e of entries) planned.push(await planTrials({ ...e.bench, maxTrials }));
    if (cli.dryRun) {
      io.stdout(await dryRunText(planned.flat(), cli.noDb ? [] : await readHistory(cli.db), cli.checkOutputs !== false));
      return 0;
    }
    const probeOptions: ProbeOptions = {
      sampleIntervalMs: cli.sampleIntervalMs ?? planProbes.sampleIntervalMs ?? 20,
      energy: cli.energy ?? planProbes.energy ?? 'auto',
    };
    const idleBaselineMs = cli.idleBaselineMs ?? planProbes.idleBaselineMs;
    if (idleBaselineMs !== undefined) {
      if (!cli.quiet) io.stderr(`measuring idle power for ${fmtDuration(idleBaselineMs)}...\n`);
      probeOptions.baseline = await measureIdleBaseline(idleBaselineMs, probeOptions);
      if (probeOptions.baseline.domains.length === 0) {
        const why = Object.entries(probeOptions.baseline.unavailable ?? {}).map(([k, v]) => `${k}: ${v}`).join('; ');
        io.stderr(`idle baseline: nothing measured, so nothing will be subtracted: no energy sensor could be read${why ? ` (${why})` : ''}; 'infermark doctor' shows what this machine can measure\n`);
      }
    }
    const progress = cli.quiet ? undefined : createProgressPrinter(io.stderr, io.isTTY);
    // Earlier runs' measured speed: the ETA holds from the first trial on (read before this run is begun).
    const history = cli.noDb ? [] : await readHistory(cli.db);
    const recorder = await RunRecorder.open(cli.db, !cli.noDb, { command: ['infermark', 'run', ...argv].join(' '), plan: entries }, cli.resume ? cli.out : undefined);
    const fixed = recorder.reconciled;
    if (fixed && !cli.quiet && (fixed.toJsonl || fixed.toDb)) io.stderr(`resuming run ${fixed.runId}: ${fixed.toJsonl} trial(s) copied from the database to ${cli.out}, ${fixed.toDb} from ${cli.out} to the database\n`);
    const results: TrialResult[] = [];
    const done: TrialResult[] = [];
    let stopped: SweepStoppedError | undefined;
    try {
      for (const [i, e] of entries.entries()) {
        if (!cli.quiet && entries.length > 1) io.stderr(`entry ${i + 1}/${entries.length}${e.name ? `: ${e.name}` : ''}\n`);
        results.push(...await sweep({
          ...e.bench,
          maxTrials,
          history,
          out: cli.out,
          resume: cli.resume,
          checkOutputs: cli.checkOutputs,
          onResult: async (r) => {
            await recorder.add(r);
            done.push(r);
            // Rewritten after every trial: a sweep stopped halfway still leaves its finished trials exported.
            writeExports(cli.exports, done, recorder.id);
          },
          efficiency: cli.efficiency,
          probes: () => createProbes(probeOptions),
          onProgress: progress,
          ...(cli.showOutput ? { onOutput: (spec, text) => io.stderr(outputText(spec, text)) } : {}),
          onPlan: (trials, done) => {
            if (!cli.quiet && done > 0) io.stderr(`resuming: ${done} of ${trials.length} trials already in ${cli.out}\n`);
          },
        }));
      }
    } catch (err) {
      if (!(err instanceof SweepStoppedError)) throw err;
      stopped = err;
      results.push(...err.results);
    } finally {
      const dbWarning = await recorder.finish();
      if (dbWarning) io.stderr(`warning: ${dbWarning}\n`);
    }
    const recommendation = recommend(results);
    if (cli.json) io.stdout(`${JSON.stringify({ runId: recorder.id, results, recommendation }, null, 2)}\n`);
    else io.stdout(`${resultsTable(results)}\n${scenarioText(results)}${warningsText(results, { verbose: cli.verbose })}\n${formatRecommendation(recommendation)}\n`);
    if (hasExports(cli.exports)) writeExports(cli.exports, results, recorder.id);
    if (cli.report) {
      await recorder.report(cli.report, results, cli.reportFormat);
      if (!cli.quiet) io.stderr(`report: ${cli.report}\n`);
    }
    await recorder.close();
    if (!cli.quiet) {
      if (cli.out) io.stderr(`results: ${cli.out}\n`);
      for (const [what, path] of Object.entries(cli.exports)) if (path) io.stderr(`export (${what}): ${path}\n`);
      if (recorder.id) io.stderr(`recorded as run ${recorder.id} (infermark runs, infermark report ${recorder.id} -o report.html)\n`);
    }
    if (stopped) io.stderr(`error: ${stoppedText(stopped, recorder, planned.flat().length - results.length)}\n`);
    return stopped || results.some((r) => r.status === 'failed') ? 1 : 0;
  },
};

export default command;
