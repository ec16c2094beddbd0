/**
 * ensemble: several models co-located on one device, as sessions of one
 * runner (ensemble-sessions.ts) or as runners of their own started together
 * by the parent (ensemble-processes.ts). Each checks its own prediction.
 */
import type { Scenario } from './scenario.js';
import type { TrialSpec } from '../core/trial-spec.js';
import { scanFollowUp } from './offline.js';
import { nonEmptyStringsSchema } from '../core/json-schema.js';
import { InputError } from '../errors/input-error.js';

export interface EnsembleOptions { members: string[]; mode: 'sessions' | 'processes' }

/** A trial's members, once expanded (ensemble-members.ts). */
const membersOf = (spec: TrialSpec) => (spec.scenarioOptions?.ensemble as { members?: { ref: string }[] } | undefined)?.members;

const mode = (options: Record<string, unknown> | undefined) => (options?.ensemble as EnsembleOptions | undefined)?.mode ?? 'processes';

export const ensemble: Scenario = {
  name: 'ensemble',
  description: 'several models co-located on one device, against the same models one after another',
  options: {
    key: 'ensemble',
    schema: {
      type: 'object',
      additionalProperties: false,
      properties: {
        members: { ...nonEmptyStringsSchema, description: 'models co-located on one device' },
        mode: { enum: ['sessions', 'processes'], default: 'processes', description: 'one runner per member, started together (processes), or all members in one runner (sessions)' },
      },
    },
    resolve: (e): EnsembleOptions => ({ members: (e.members as string[] | undefined) ?? [], mode: (e.mode as EnsembleOptions['mode'] | undefined) ?? 'processes' }),
  },
  flags: { 'ensemble-mode': 'mode' },
  positionals: 'members',
  async expand(ctx) {
    const options = ctx.options?.ensemble as EnsembleOptions | undefined;
    if (!options || options.members.length < 2) {
      throw new InputError('--scenario', '--scenario ensemble: give at least two member models (as MODEL arguments, or ensemble.members in a plan)');
    }
    // Expanded over the first member, then each trial becomes one over the whole set.
    const members = await ctx.inspect(options.members);
    const { toEnsembleTrials } = await import('./ensemble-members.js');
    return toEnsembleTrials(await ctx.expand([members[0]]), members, options.mode, ctx.bindings);
  },
  runsIn: (spec) => (mode(spec.scenarioOptions) === 'processes' ? 'parent' : 'runner'),
  checks: { agreement: false, efficiency: false },
  latencyWarnings: true,
  batchScan: true,
  duration: {
    models: (spec) => membersOf(spec)?.map((m) => m.ref) ?? [spec.modelRef],
    predictMs(_spec, at, ctx) {
      // Together (the slowest member sets the pace, sharing the cores), then each alone.
      const together = Math.max(...at.map((s) => s.loadMs)) + at.length * Math.max(...at.map((s) => ctx.windowMs(s.latencyMs)));
      return ctx.startupMs * (1 + at.length) + together + at.reduce((ms, s) => ms + ctx.plainMs(s), 0);
    },
    windows: (spec) => 2 * (membersOf(spec)?.length ?? 2),
  },
  followUp: scanFollowUp,
  async runInRunner(spec, session, feeds, hooks) {
    const { runEnsembleSessions } = await import('./ensemble-sessions.js');
    return runEnsembleSessions(spec, session, feeds, hooks);
  },
  async runInParent(spec, run) {
    const { executeEnsembleProcesses } = await import('./ensemble-processes.js');
    return executeEnsembleProcesses(spec, run.probes, run.onPhase);
  },
};
