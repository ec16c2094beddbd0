/**
 * offline: the whole batch is one query, timed in the runner's loop; with
 * `--batch scan` the batch doubles until throughput stops improving
 * (batch-scan.ts), and the scan's outcome is its figures. The scan's
 * follow-up is also that of the other scenarios that allow a scan.
 */
import type { TrialSpec } from '../core/trial-spec.js';
import { withBatchSize } from '../core/trial-spec.js';
import type { TrialResult } from '../results/types.js';
import { withScan } from '../results/scenario-part.js';
import type { FollowUp, Scenario } from './scenario.js';
import { scanDecision, type BatchScan } from './batch-scan.js';

/** A batch scan's next step, or its outcome added to the last step. */
export function scanFollowUp(spec: TrialSpec, result: TrialResult, earlier: TrialResult[]): FollowUp {
  const scan = spec.scenarioOptions?.scan as BatchScan | undefined;
  if (!scan) return { result };
  const decision = scanDecision([...earlier, result], scan);
  return 'next' in decision ? { next: withBatchSize(spec, decision.next), result } : { result: withScan(result, decision.stop) };
}

export const offline: Scenario = {
  name: 'offline',
  description: 'throughput of whole batches; with --batch scan, the batch doubles until throughput plateaus',
  runsIn: () => 'runner',
  checks: { agreement: true, efficiency: true },
  latencyWarnings: true,
  batchScan: true,
  duration: { learnsSpeed: true },
  followUp: scanFollowUp,
};
