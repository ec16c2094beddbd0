/** single-stream: one query of one batch after another, timed one by one in the runner's loop. */
import type { Scenario } from './scenario.js';
import { scanFollowUp } from './offline.js';

export const singleStream: Scenario = {
  name: 'single-stream',
  description: 'one query (one batch) at a time, back to back',
  runsIn: () => 'runner',
  checks: { agreement: true, efficiency: true },
  latencyWarnings: true,
  batchScan: true,
  duration: { learnsSpeed: true },
  followUp: scanFollowUp,
};
