/** A comparison as terminal text: one line per configuration, regressions marked. */
import type { Comparison } from './compare.js';
import { sig3 } from './format-units.js';

const MARK: Record<string, string> = { regression: 'REGRESSION', improvement: 'improvement', unchanged: 'unchanged', inconclusive: 'inconclusive' };

export function formatComparison(c: Comparison, names: { baseline: string; candidate: string }): string {
  const out: string[] = [];
  out.push(`Comparing ${names.candidate} (candidate) with ${names.baseline} (baseline): median latency ratio candidate/baseline, ${Math.round(c.confidence * 100)}% bootstrap CI, Mann-Whitney p; threshold ${c.thresholdPct}%.`);
  if (c.rows.length === 0) {
    out.push('No configuration has ok samples in both runs: nothing to compare.');
  } else {
    const labelWidth = Math.min(70, Math.max(...c.rows.map((r) => r.label.length)));
    let model = '';
    for (const r of c.rows) {
      if (r.model !== model) {
        model = r.model;
        out.push(`${model}:`);
      }
      const label = r.label.length > labelWidth ? `${r.label.slice(0, labelWidth - 1)}…` : r.label.padEnd(labelWidth);
      const change = `${r.changePct >= 0 ? '+' : ''}${sig3(r.changePct)}%`;
      const p = r.pValue < 0.001 ? 'p<0.001' : `p=${r.pValue.toFixed(3)}`;
      const by = r.matchedBy === 'configuration' ? ' (matched by configuration: trial keys differ)' : '';
      out.push(`  ${label}  ${sig3(r.baselineMedianMs)} -> ${sig3(r.candidateMedianMs)} ms  x${r.ratio.toFixed(3)} [${r.ratioLow.toFixed(3)}..${r.ratioHigh.toFixed(3)}] ${change.padStart(7)} ${p.padEnd(8)} ${MARK[r.verdict]}${by}`);
    }
  }
  for (const n of c.notCompared) out.push(`not compared: ${n.label}: ${n.reason}`);
  if (c.onlyInBaseline.length) out.push(`only in ${names.baseline}: ${c.onlyInBaseline.join('; ')}`);
  if (c.onlyInCandidate.length) out.push(`only in ${names.candidate}: ${c.onlyInCandidate.join('; ')}`);
  out.push(`${c.regressions} regression(s), ${c.improvements} improvement(s) beyond ${c.thresholdPct}% and significant, of ${c.rows.length} compared.`);
  return `${out.join('\n')}\n`;
}
