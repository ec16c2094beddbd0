/**
 * The Slurm commands a fleet run uses (sbatch, squeue, scontrol, scancel),
 * each returning what Slurm said. A refusal keeps Slurm's own words.
 */
import { spawn } from 'node:child_process';
import { InputError } from '../errors/input-error.js';

interface Ran { code: number | null; stdout: string; stderr: string; missing: boolean }

function exec(cmd: string, args: string[], input?: string, env?: NodeJS.ProcessEnv): Promise<Ran> {
  return new Promise((resolve) => {
    // Only sbatch reads its input; the others get none, so no pipe is left for them to close under us.
    const child = spawn(cmd, args, { stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'], env: env ?? process.env });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (d) => { stdout += d; });
    child.stderr?.on('data', (d) => { stderr += d; });
    child.on('error', (err: NodeJS.ErrnoException) => resolve({ code: null, stdout, stderr: err.message, missing: err.code === 'ENOENT' }));
    child.on('close', (code) => resolve({ code, stdout, stderr, missing: false }));
    if (child.stdin) {
      // A command that exits before reading its input closes the pipe: EPIPE then says nothing its exit code does not.
      child.stdin.on('error', () => {});
      child.stdin.end(input);
    }
  });
}

const lastLine = (text: string): string => text.trim().split('\n').filter(Boolean).pop() ?? '';

/** Slurm's own error line ("sbatch: error: ..."), else its last word on the matter. */
const slurmMessage = (text: string): string => text.split('\n').find((l) => /error:/.test(l))?.trim() ?? lastLine(text);

function notOnPath(cmd: string): InputError {
  return new InputError('--launcher', `--launcher slurm: ${cmd} is not on PATH; run on a Slurm login node (or load its module), or use --launcher local; nothing was submitted`);
}

/**
 * Submits the script (or, with testOnly, asks Slurm whether it would accept
 * it without submitting). Returns the job id. A refusal is an InputError
 * carrying Slurm's message: nothing was submitted.
 */
export async function sbatch(script: string, env: NodeJS.ProcessEnv, testOnly = false): Promise<string> {
  const r = await exec('sbatch', testOnly ? ['--test-only'] : ['--parsable'], script, env);
  if (r.missing) throw notOnPath('sbatch');
  if (r.code !== 0) throw new InputError('--launcher', `Slurm refused the job (${slurmMessage(r.stderr) || `sbatch exited ${r.code}`}); nothing was submitted`);
  if (testOnly) return '';
  const id = r.stdout.trim().split(';')[0];
  if (!/^\d+$/.test(id)) throw new InputError('--launcher', `sbatch answered ${JSON.stringify(r.stdout.trim())} instead of a job id`);
  return id;
}

export interface TaskState {
  task: number;
  /** PENDING, RUNNING, COMPLETED, FAILED, CANCELLED, TIMEOUT, NODE_FAIL, OUT_OF_MEMORY... */
  state: string;
  reason: string;
  exitCode?: string;
  node?: string;
}

/** The array's tasks still known to squeue (pending or running); an empty list once the job is gone. */
export async function queuedTasks(jobId: string): Promise<TaskState[] | undefined> {
  const r = await exec('squeue', ['-h', '-r', '-j', jobId, '-o', '%K|%T|%r|%N']);
  if (r.missing) throw notOnPath('squeue');
  if (r.code !== 0) return /Invalid job id/i.test(r.stderr) ? [] : undefined; // undefined: ask again later
  return r.stdout.trim().split('\n').filter(Boolean).map((line) => {
    const [task, state, reason, node] = line.split('|');
    return { task: Number(task), state, reason, node: node || undefined };
  });
}

/** Every task's final state, from scontrol (no accounting database needed). */
export async function taskStates(jobId: string): Promise<Map<number, TaskState>> {
  const r = await exec('scontrol', ['show', 'job', jobId, '-o']);
  const out = new Map<number, TaskState>();
  if (r.code !== 0) return out;
  for (const line of r.stdout.split('\n')) {
    const field = (name: string) => new RegExp(`(?:^|\\s)${name}=(\\S*)`).exec(line)?.[1];
    const task = field('ArrayTaskId');
    if (task === undefined || !/^\d+$/.test(task)) continue;
    out.set(Number(task), { task: Number(task), state: field('JobState') ?? 'UNKNOWN', reason: field('Reason') ?? 'None', exitCode: field('ExitCode'), node: field('BatchHost') });
  }
  return out;
}

export async function scancel(target: string): Promise<void> {
  const r = await exec('scancel', [target]);
  if (r.code !== 0) throw new InputError('job', `scancel ${target}: ${lastLine(r.stderr)}`);
}
