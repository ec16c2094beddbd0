/** --show-output: each line a runner writes, prefixed with the trial it belongs to. */
import type { TrialSpec } from '../engine/trial-spec.js';
import { configLabel } from '../analysis/config-label.js';

export function outputText(spec: TrialSpec, text: string): string {
  const who = `[${spec.runtime}/${spec.provider} ${configLabel({ ...spec, settings: spec.settings }).split(' ').slice(1).join(' ')}]`;
  return text.split('\n').filter((l, i, all) => l !== '' || i < all.length - 1).map((l) => `${who} ${l}\n`).join('');
}
