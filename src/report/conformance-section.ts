/**
 * The HTML report's conformance section, present when a run holds ONNX
 * backend test results (infermark conformance): per runtime pass / wrong /
 * unsupported / error counts, passes per operator, and each failure with its
 * reason. Pure: stored runs in, HTML out.
 */
import type { StoredConformanceCase, StoredRun } from '../store/types.js';
import { escapeHtml as h } from './escape.js';

const STATUSES = ['pass', 'wrong', 'unsupported', 'error', 'timeout', 'crash'];

function counts(cases: StoredConformanceCase[]): Map<string, Map<string, number>> {
  const out = new Map<string, Map<string, number>>();
  for (const c of cases) {
    const m = out.get(c.runtime) ?? new Map<string, number>();
    m.set(c.status, (m.get(c.status) ?? 0) + 1);
    out.set(c.runtime, m);
  }
  return out;
}

function runBlock(run: StoredRun): string {
  const cases = run.conformance ?? [];
  const byRuntime = counts(cases);
  const runtimes = [...byRuntime.keys()];
  const totals = runtimes.map((rt) => {
    const m = byRuntime.get(rt)!;
    const total = [...m.values()].reduce((a, b) => a + b, 0);
    return `<tr><td>${h(rt)}</td>${STATUSES.map((s) => `<td class="num">${m.get(s) ?? 0}</td>`).join('')}<td class="num">${total}</td><td class="num">${total ? ((100 * (m.get('pass') ?? 0)) / total).toFixed(1) : '0.0'}%</td></tr>`;
  }).join('');
  const operators = [...new Set(cases.map((c) => c.operator))].sort();
  const perOp = operators.map((op) => `<tr><td>${h(op)}</td>${runtimes.map((rt) => {
    const mine = cases.filter((c) => c.operator === op && c.runtime === rt);
    const pass = mine.filter((c) => c.status === 'pass').length;
    return `<td class="num${mine.length && pass < mine.length ? ' bad' : ''}">${mine.length ? `${pass}/${mine.length}` : '–'}</td>`;
  }).join('')}</tr>`).join('');
  const failures = cases.filter((c) => c.status !== 'pass').map((c) => `<tr><td>${h(c.runtime)}</td><td>${h(c.test)}</td><td>${h(c.status)}</td><td>${h(c.reason ?? '')}</td></tr>`).join('');
  return `<h3>Run ${h(run.run.id)}</h3>
<table><thead><tr><th>runtime</th>${STATUSES.map((s) => `<th>${s}</th>`).join('')}<th>cases</th><th>pass rate</th></tr></thead><tbody>${totals}</tbody></table>
<details><summary>Passes per operator (${operators.length} operators)</summary>
<table><thead><tr><th>operator</th>${runtimes.map((rt) => `<th>${h(rt)}</th>`).join('')}</tr></thead><tbody>${perOp}</tbody></table></details>
<details><summary>Cases that did not pass (${cases.length - cases.filter((c) => c.status === 'pass').length})</summary>
<table><thead><tr><th>runtime</th><th>test</th><th>status</th><th>reason</th></tr></thead><tbody>${failures}</tbody></table></details>`;
}

/** The whole section, or '' when no run holds conformance results. */
export function conformanceSection(runs: StoredRun[]): string {
  const withCases = runs.filter((r) => r.conformance?.length);
  if (withCases.length === 0) return '';
  return `<section id="conformance"><h2>Conformance: ONNX backend tests per runtime</h2>
<p class="muted">Each case runs the test's model on its inputs and compares every output with the expected one (|got − expected| ≤ 1e-7 + 1e-3·|expected|). unsupported: the runtime refused an operator or type at load.</p>
${withCases.map(runBlock).join('\n')}</section>`;
}
