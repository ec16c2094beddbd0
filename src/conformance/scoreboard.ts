/**
 * The scoreboard, in the manner of the ONNX backend scoreboard: per runtime
 * how many cases pass, give wrong values, are unsupported or fail; per
 * operator, passes per runtime; and each failure with its reason. Pure:
 * results in, data or text out.
 */
import { CASE_STATUSES, type CaseResult, type CaseStatus } from './types.js';

export type StatusCounts = Record<CaseStatus, number> & { total: number };

export interface Scoreboard {
  runtimes: string[];
  totals: Record<string, StatusCounts>;
  /** operator -> runtime -> counts. */
  operators: Record<string, Record<string, StatusCounts>>;
  failures: CaseResult[];
}

function emptyCounts(): StatusCounts {
  return { pass: 0, wrong: 0, unsupported: 0, error: 0, timeout: 0, crash: 0, total: 0 };
}

export function buildScoreboard(results: CaseResult[]): Scoreboard {
  const runtimes = [...new Set(results.map((r) => r.runtime))];
  const totals: Record<string, StatusCounts> = Object.fromEntries(runtimes.map((r) => [r, emptyCounts()]));
  const operators: Record<string, Record<string, StatusCounts>> = {};
  for (const r of results) {
    totals[r.runtime][r.status]++;
    totals[r.runtime].total++;
    const perOp = (operators[r.operator] ??= {});
    const c = (perOp[r.runtime] ??= emptyCounts());
    c[r.status]++;
    c.total++;
  }
  const sortedOps = Object.fromEntries(Object.keys(operators).sort().map((op) => [op, operators[op]]));
  return { runtimes, totals, operators: sortedOps, failures: results.filter((r) => r.status !== 'pass') };
}

function table(rows: string[][]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ').trimEnd()).join('\n');
}

function percent(part: number, whole: number): string {
  return whole ? `${((100 * part) / whole).toFixed(1)}%` : '-';
}

/** The terminal scoreboard; `withFailures` adds one line per failed case with its reason. */
export function scoreboardText(board: Scoreboard, source: string, withFailures = true): string {
  const lines: string[] = [];
  const cases = Math.max(0, ...Object.values(board.totals).map((t) => t.total));
  lines.push(`ONNX backend test conformance: ${source} (${cases} cases)`, '');
  lines.push(table([
    ['runtime', 'pass', ...CASE_STATUSES.slice(1), 'total', 'pass rate'],
    ...board.runtimes.map((rt) => {
      const t = board.totals[rt];
      return [rt, ...CASE_STATUSES.map((s) => String(t[s])), String(t.total), percent(t.pass, t.total)];
    }),
  ]));
  lines.push('', 'Per operator (passed/cases):', '');
  lines.push(table([
    ['operator', ...board.runtimes],
    ...Object.entries(board.operators).map(([op, per]) => [op, ...board.runtimes.map((rt) => (per[rt] ? `${per[rt].pass}/${per[rt].total}` : '-'))]),
  ]));
  if (withFailures && board.failures.length > 0) {
    lines.push('', 'Failures:', '');
    for (const f of board.failures) lines.push(`${f.runtime}  ${f.test} (${f.operator})  ${f.status}: ${f.reason ?? ''}`);
  }
  return `${lines.join('\n')}\n`;
}
