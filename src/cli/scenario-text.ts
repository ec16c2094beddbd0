/** What scenarios add to the terminal output: scan outcomes, server rates, ensemble figures, repetitions. */
import type { OkTrial, TrialResult } from '../results/types.js';
import { ensembleOf, scanOf, serverOf } from '../report/figures.js';
import { repetitionSummaries } from '../engine/repetitions.js';
import { fmtMs, fmtNum, fmtSettings } from './format.js';

function label(r: TrialResult): string {
  return `${r.model.path} ${r.runtime}/${r.provider} ${fmtSettings(r.settings)}`;
}

export function scenarioText(results: TrialResult[]): string {
  const lines: string[] = [];
  for (const r of results) {
    const scan = scanOf(r);
    if (scan) {
      lines.push(`batch scan, ${label(r)}: best batch ${scan.bestBatch ?? '-'} at ${fmtNum(scan.bestThroughputPerS ?? NaN)} items/s; stopped: ${scan.stoppedBecause} (${scan.detail})`);
    }
    const server = serverOf(r);
    if (server) {
      const attempts = server.attempts.map((a) => `${fmtNum(a.ratePerS)}/s: p99 ${fmtMs(a.p99Ms)} ms, queue ${fmtMs(a.meanQueueMs)} ms${a.held ? '' : ' (not held)'}`).join('; ');
      lines.push(server.held
        ? `server, ${label(r)}: ${server.p99BoundMs !== null ? `highest rate with p99 <= ${fmtMs(server.p99BoundMs)} ms` : 'rate held'}: ${fmtNum(server.maxRatePerS ?? NaN)} queries/s [${attempts}]`
        : `server, ${label(r)}: no rate tried was held; the highest rate reached was ${fmtNum(server.highestAchievedPerS)} queries/s [${attempts}]`);
    }
    const ens = ensembleOf(r);
    if (ens && r.status === 'ok') {
      const members = ens.members.map((m) => `${m.model} ${fmtMs(m.coLocatedMedianMs)} ms together vs ${fmtMs(m.aloneMedianMs)} ms alone`).join('; ');
      lines.push(`ensemble (${ens.mode}), ${(r as OkTrial).runtime}: ${fmtNum(ens.aggregateCoLocatedPerS)} inferences/s co-located vs ${fmtNum(ens.aggregateSequentialPerS)} one after another (x${ens.speedup.toFixed(2)}); ${members}`);
    }
  }
  for (const s of repetitionSummaries(results)) {
    lines.push(`repetitions, ${s.label}: median of medians ${fmtMs(s.medianOfMediansMs)} ms, mean ${fmtMs(s.meanMs)} ms [95% CI ${fmtMs(s.ciLowMs)}, ${fmtMs(s.ciHighMs)}], spread ${(s.spreadRel * 100).toFixed(1)}% over ${s.n} runs`);
  }
  return lines.length ? `${lines.join('\n')}\n` : '';
}
