/** Text for `infermark flops`: pure, report in, lines out. */
import type { FlopReport } from './flops.js';

function si(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(3)} G`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(3)} M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(3)} k`;
  return `${n.toFixed(0)}`;
}

export function flopsText(report: FlopReport, title: string): string {
  const lines = [
    `${title}`,
    `MACs per item:  ${si(report.macsPerItem)}`,
    `FLOPs per item: ${si(report.flopsPerItem)} (2 x MACs of conv/matmul/gemm, plus elementwise work)`,
    '',
  ];
  const rows = Object.entries(report.byOpType).sort((a, b) => b[1].flops - a[1].flops || a[0].localeCompare(b[0]));
  const head = ['operator', 'nodes', 'MACs/item', 'FLOPs/item', 'share of FLOPs'];
  const cells = rows.map(([op, c]) => [op, String(c.count), si(c.macs), si(c.flops), report.flopsPerItem > 0 ? `${((100 * c.flops) / report.flopsPerItem).toFixed(1)}%` : '-']);
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((r) => r[i].length)));
  const line = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  lines.push(line(head), ...cells.map(line));
  if (report.uncounted.length) lines.push('', `not counted (counted as zero): ${report.uncounted.join(', ')}`);
  return `${lines.join('\n')}\n`;
}
