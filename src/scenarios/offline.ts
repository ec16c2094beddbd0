/**
 * offline: the whole batch is one query, timed in the runner's loop; with
 * `--batch scan` the batch doubles until throughput stops improving
 * (batch-scan.ts), and the scan's outcome is its figures.
 */
import type { Scenario } from './scenario.js';

export const offline: Scenario = {
  name: 'offline',
  description: 'throughput of whole batches; with --batch scan, the batch doubles until throughput plateaus',
  runsIn: () => 'runner',
  checks: { agreement: true, efficiency: true },
  latencyWarnings: true,
  batchScan: true,
};
