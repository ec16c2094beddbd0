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
      const points = server.curve ?? server.attempts.filter((a) => !a.retried);
      const attempts = points.map((a) => `offered ${fmtNum(a.ratePerS)}/s: achieved ${fmtNum(a.achievedPerS)}/s, p50 ${fmtMs(a.p50Ms)} ms, p99 ${fmtMs(a.p99Ms)} ms${a.held ? '' : ' (not held)'}`).join('; ');
      lines.push(server.held
        ? `server, ${label(r)}: ${server.p99BoundMs !== null ? `highest rate with p99 <= ${fmtMs(server.p99BoundMs)} ms` : 'rate held'}: ${fmtNum(server.maxRatePerS ?? NaN)} queries/s [${attempts}]`
        : `server, ${label(r)}: no rate tried was held; the highest rate reached was ${fmtNum(server.highestAchievedPerS)} queries/s [${attempts}]`);
    }
    const ens = ensembleOf(r);
    if (ens && r.status === 'ok') {
      const members = ens.members.map((m) => `${m.model} ${fmtMs(m.coLocatedMedianMs)} ms together vs ${fmtMs(m.aloneMedianMs)} ms alone`).join('; ');
      const counted = ens.commonWindowS !== undefined ? ` (${ens.itemsCompletedTogether} items in a common ${ens.commonWindowS.toFixed(2)} s window)` : '';
      lines.push(`ensemble (${ens.mode}), ${(r as OkTrial).runtime}: ${fmtNum(ens.aggregateCoLocatedPerS)} inferences/s co-located${counted} vs ${fmtNum(ens.aggregateSequentialPerS)} one after another (x${ens.speedup.toFixed(2)}); ${members}`);
    }
  }
  for (const s of repetitionSummaries(results)) {
    lines.push(`repetitions, ${s.label}: median of medians ${fmtMs(s.medianOfMediansMs)} ms, mean ${fmtMs(s.meanMs)} ms ${s.ciLowMs !== undefined ? `[between-process 95% CI ${fmtMs(s.ciLowMs)}, ${fmtMs(s.ciHighMs!)}]` : `(no interval: ${s.tooFew})`}, spread ${(s.spreadRel * 100).toFixed(1)}% over ${s.n} runs`);
  }
  return lines.length ? `${lines.join('\n')}\n` : '';
}
