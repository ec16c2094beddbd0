/** The progress line: the trial in hand, its phase, and the sweep's ETA. */
import type { SweepProgress } from '../engine/sweep.js';
import { fmtDuration, fmtSettings } from './format.js';

export function progressText(p: SweepProgress): string {
  const s = p.spec;
  const eta = p.etaMs !== undefined ? `, ETA ${fmtDuration(p.etaMs)}` : '';
  const rep = s.repetition !== undefined ? ` rep ${s.repetition + 1}` : '';
  return `[${p.index + 1}/${p.total}] ${s.runtime}/${s.provider} ${fmtSettings(s.settings)} batch ${s.batchSize} ${s.scenario}${rep}: ${p.phase}${eta}`;
}

/** On a terminal the line redraws in place; elsewhere each trial's start is one line. */
export function createProgressPrinter(write: (t: string) => void, isTTY: boolean): (p: SweepProgress) => void {
  let lastLen = 0;
  return (p) => {
    const text = progressText(p);
    if (isTTY) {
      write(`\r${text.padEnd(lastLen)}`);
      lastLen = text.length;
      if (p.phase === 'done' && p.index + 1 === p.total) write('\n');
    } else if (p.phase === 'starting') {
      write(`${text}\n`);
    }
  };
}
