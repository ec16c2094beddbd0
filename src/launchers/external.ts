/**
 * The external launcher: the run and its plan are recorded in the shared
 * store and nothing is submitted; workers started by another scheduler (a
 * Kubernetes Indexed Job) each run `infermark shard --run RUN --index I
 * --count C` and write their trials to the store.
 */
import type { ClusterJob, ClusterLauncher } from './cluster.js';

export class ExternalLauncher implements ClusterLauncher {
  readonly name = 'external';
  readonly scheduler = 'external';
  readonly needs = { sharedStore: true };

  jobText(job: ClusterJob): string {
    return `# each of ${job.shards.length} worker(s) runs, with INFERMARK_DB set and I from 0 to ${job.shards.length - 1} ($JOB_COMPLETION_INDEX on Kubernetes):\n${job.nodePath} ${job.mainPath} shard --run ${job.runId} --index I --count ${job.shards.length}${job.workerFlags.map((f) => ` ${f}`).join('')}\n`;
  }

  async check(): Promise<void> {
    // Nothing is submitted, so there is nothing to ask.
  }

  async submit(): Promise<undefined> {
    return undefined;
  }

  handOff(runId: string): string {
    return `each worker runs: infermark shard --run ${runId} --index I --count C (I from $JOB_COMPLETION_INDEX on Kubernetes)`;
  }

  async follow(): Promise<void> {
    // Its workers report to the store only; 'infermark runs RUN' shows what they wrote.
  }

  async cancel(): Promise<string> {
    return 'nothing: its workers belong to their own scheduler, stop them there';
  }
}
