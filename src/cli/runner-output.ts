/** --show-output: what a trial's runner wrote, under a header naming the trial. */
import type { TrialResult } from '../results/types.js';
import { configLabel } from '../analysis/config-label.js';

export function outputText(r: TrialResult): string {
  const text = r.status === 'failed' ? r.error.stderrTail?.trimEnd() : undefined;
  const head = `--- runner output, ${r.model.path} ${configLabel(r)} (${r.status})`;
  return text ? `${head}:\n${text}\n---\n` : `${head}: none captured\n`;
}
