/**
 * The command table. Each entry imports its command only when it is run, so
 * `infermark --help` stays fast. One line per command.
 */
import type { CommandEntry } from './command.js';

export const COMMANDS: Record<string, CommandEntry> = {
  run: { summary: 'benchmark a model (or a plan file) on runtimes and settings', load: () => import('./commands/run.js') },
  plan: { summary: 'print the JSON Schema of plan files, or check a plan file', load: () => import('./commands/plan.js') },
  runtimes: { summary: 'list runtimes, execution providers, availability and settings', load: () => import('./commands/runtimes.js') },
};
