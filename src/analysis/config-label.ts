/** Human names for configurations, shared by the recommendation, comparisons and reports. */
import type { TrialResult } from '../results/types.js';

type Config = Pick<TrialResult, 'runtime' | 'provider' | 'settings' | 'batchSize'> & { scenario: string };

function settingsText(settings: TrialResult['settings']): string {
  return Object.keys(settings).sort().map((k) => `${k}=${settings[k]}`).join(' ');
}

/** "ort-node/cpu intraOpNumThreads=2" — everything but the batch size: one line of a chart. */
export function seriesLabel(c: Config): string {
  const parts = [`${c.runtime}/${c.provider}`];
  const s = settingsText(c.settings);
  if (s) parts.push(s);
  if (c.scenario && c.scenario !== 'single-stream') parts.push(`[${c.scenario}]`);
  return parts.join(' ');
}

/** "ort-node/cpu batch=8 intraOpNumThreads=2": one configuration; the batch early, so a truncated label still shows it. */
export function configLabel(c: Config): string {
  const parts = [`${c.runtime}/${c.provider}`, `batch=${c.batchSize}`];
  const s = settingsText(c.settings);
  if (s) parts.push(s);
  if (c.scenario && c.scenario !== 'single-stream') parts.push(`[${c.scenario}]`);
  return parts.join(' ');
}
