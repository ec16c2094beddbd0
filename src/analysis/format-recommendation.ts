/** The recommendation as terminal text, printed at the end of a sweep. */
import type { Recommendation } from './recommend.js';
import { formatBound, formatValue, sig3 } from './format-units.js';

export function formatRecommendation(rec: Recommendation): string {
  if (rec.models.length === 0) return 'Recommendation: no ok trials, nothing to recommend.\n';
  const out: string[] = [];
  for (const m of rec.models) {
    out.push(`Recommendation for ${m.model.path} (${m.configurations} configuration${m.configurations === 1 ? '' : 's'}):`);
    for (const o of m.objectives) {
      if (!o.winner) {
        out.push(`  ${o.title}: none (${o.note ?? 'no data'})`);
        continue;
      }
      const ci = o.winner.ciLow !== undefined && o.winner.ciHigh !== undefined
        ? ` [95% CI ${formatBound(o.winner.ciLow, o.unit)}..${formatBound(o.winner.ciHigh, o.unit)}]` : '';
      const reps = o.winner.repetitions > 1 ? `, mean of ${o.winner.repetitions} repetitions` : '';
      out.push(`  ${o.title}: ${o.winner.label}: ${formatValue(o.winner.value, o.unit)}${ci}${reps}`);
      if (o.runnerUp && o.marginPct !== undefined) {
        const verdict = o.significant ? 'significant' : 'not significant';
        out.push(`    ${sig3(o.marginPct)}% better than ${o.runnerUp.label} (${formatValue(o.runnerUp.value, o.unit)}): ${verdict}`);
      }
      if (o.note && (o.runnerUp || o.winner)) out.push(`    note: ${o.note}`);
    }
    if (m.pareto.length) {
      out.push(`  Pareto set over ${m.paretoObjectives.join(', ')} (${m.pareto.length}):`);
      for (const p of m.pareto) out.push(`    ${p.label}`);
    }
    if (m.excluded.length) {
      out.push(`  Not recommended (${m.excluded.length}):`);
      for (const e of m.excluded) out.push(`    ${e.label}: ${e.reason}`);
    }
  }
  return `${out.join('\n')}\n`;
}
