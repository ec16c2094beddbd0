/**
 * The command table. Each entry imports its command only when it is run, so
 * `infermark --help` stays fast. One line per command.
 */
import type { CommandEntry } from './command.js';

export const COMMANDS: Record<string, CommandEntry> = {
  run: { summary: 'benchmark a model (or a plan file) on runtimes and settings', load: () => import('./commands/run.js') },
  plan: { summary: 'print the JSON Schema of plan files, or check a plan file', load: () => import('./commands/plan.js') },
  runtimes: { summary: 'list runtimes, execution providers, availability and settings', load: () => import('./commands/runtimes.js') },
  runs: { summary: 'list the runs in the results database', load: () => import('./commands/runs.js') },
  report: { summary: 'write an HTML report with charts (or Markdown) of one or more runs', load: () => import('./commands/report.js') },
  compare: { summary: 'compare two runs with significance; --fail-on-regression gates CI', load: () => import('./commands/compare.js') },
  export: { summary: "export a run's results as CSV, JSON or JSON Lines", load: () => import('./commands/export.js') },
  import: { summary: 'import JSON Lines results into the results database', load: () => import('./commands/import.js') },
  db: { summary: 'copy results history between databases (an SQLite file into PostgreSQL)', load: () => import('./commands/db.js') },
  zoo: { summary: 'list the built-in model zoo, or write a zoo model as ONNX', load: () => import('./commands/zoo.js') },
  flops: { summary: 'count MACs and FLOPs per item of an ONNX model (or zoo:NAME), by operator type', load: () => import('./commands/flops.js') },
  conformance: { summary: 'run ONNX backend test folders through runtimes; a pass/wrong/unsupported/error scoreboard per operator', load: () => import('./commands/conformance.js') },
  completion: { summary: 'print a shell completion script for bash, zsh or fish', load: () => import('./commands/completion.js') },
  check: { summary: 'list, per runtime, whether it can run an ONNX model and which operators, types or attributes block it', load: () => import('./commands/check.js') },
  doctor: { summary: 'show what this machine can measure (memory, CPU, energy, GPUs, runtimes) and how to fix what it cannot', load: () => import('./commands/doctor.js') },
};

/** Commands a user does not type: started by other infermark commands (a Slurm array task runs `shard`). */
export const HIDDEN_COMMANDS: Record<string, CommandEntry> = {
  shard: { summary: 'run one shard of a fleet run', load: () => import('./commands/shard.js') },
};
