/**
 * The sbatch script of one fleet run: a job array whose task N runs shard N
 * with `infermark shard`. The database URL (it may hold a password) is not in
 * the script: the task inherits INFERMARK_DB from the submitting environment.
 */
import type { ClusterJob, ClusterOptions } from './cluster.js';

export type JobScriptInput = Pick<ClusterJob, 'runId' | 'shards' | 'nodePath' | 'mainPath' | 'workerFlags'> & { slurm: ClusterOptions };

const quote = (s: string): string => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replaceAll("'", "'\\''")}'`);

/** The #SBATCH lines, so the dry run, --test-only and the real submission say the same thing. */
export function sbatchDirectives(input: JobScriptInput): string[] {
  const { slurm, shards } = input;
  const throttle = slurm.maxParallel ? `%${slurm.maxParallel}` : '';
  const lines = [
    `--job-name=infermark-${input.runId}`,
    `--array=0-${shards.length - 1}${throttle}`,
    '--ntasks=1',
  ];
  if (slurm.partition) lines.push(`--partition=${slurm.partition}`);
  if (slurm.time) lines.push(`--time=${slurm.time}`);
  if (slurm.gpusPerTask) lines.push(`--gpus-per-task=${slurm.gpusPerTask}`);
  // Slurm would write slurm-JOB_TASK.out into the current folder: only where the user asks (--sbatch-arg=--output=...).
  if (!slurm.sbatchArgs.some((a) => /^(--output|-o)(=|$)/.test(a))) lines.push('--output=/dev/null');
  lines.push(...slurm.sbatchArgs);
  return lines;
}

export function jobScript(input: JobScriptInput): string {
  const shardList = input.shards.map((s) => `  ${s.join(',')}`).join('\n');
  return `#!/bin/bash
${sbatchDirectives(input).map((d) => `#SBATCH ${d}`).join('\n')}
# infermark run ${input.runId}: ${input.shards.reduce((n, s) => n + s.length, 0)} trials in ${input.shards.length} shard(s);
# shard N holds the trial numbers on line N (counted from 0) of SHARDS.
SHARDS=(
${shardList}
)
exec ${quote(input.nodePath)} ${quote(input.mainPath)} shard --run ${quote(input.runId)} --trials "\${SHARDS[$SLURM_ARRAY_TASK_ID]}"${input.workerFlags.map((f) => ` ${quote(f)}`).join('')}
`;
}
