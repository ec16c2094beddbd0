/**
 * The end of a fleet run, as a local run ends: the table, the scenario and
 * warning notes, and the recommendation. Results from different machines are
 * never pooled: each machine gets its own recommendation.
 */
import type { TrialResult } from '../results/types.js';
import { resultsTable } from '../cli/results-table.js';
import { warningsText } from '../report/warning-groups.js';
import { scenarioText } from '../cli/scenario-text.js';
import { recommend } from '../analysis/recommend.js';
import { formatRecommendation } from '../analysis/format-recommendation.js';

/** One machine: its host name, CPU model and core count, as each trial recorded it. */
export function machineLabel(r: TrialResult): string {
  const m = r.context?.machine;
  if (!m) return 'unknown machine';
  return `${m.hostname ?? '?'} (${m.cpuModel} x${m.cpuCores})`;
}

export function byMachine(results: TrialResult[]): Map<string, TrialResult[]> {
  const groups = new Map<string, TrialResult[]>();
  for (const r of results) {
    if (!r.context?.machine) continue; // lost trials never ran anywhere
    const label = machineLabel(r);
    groups.set(label, [...(groups.get(label) ?? []), r]);
  }
  return groups;
}

export function fleetSummaryText(results: TrialResult[]): string {
  const head = `${resultsTable(results)}\n${scenarioText(results)}${warningsText(results)}\n`;
  const groups = byMachine(results);
  if (groups.size <= 1) return `${head}${formatRecommendation(recommend(results))}\n`;
  const parts = [...groups.entries()].map(([label, rs]) => `On ${label}, ${rs.length} trial(s):\n${formatRecommendation(recommend(rs))}\n`);
  return `${head}These trials ran on ${groups.size} different machines; each machine gets its own recommendation (figures from different machines are not pooled).\n\n${parts.join('\n')}`;
}
