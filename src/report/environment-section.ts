/** The report's environment: per run, the machine, the browser, Node.js, Python and each runtime's packages. */
import type { BrowserContext, MachineContext, TrialContext } from '../results/types.js';
import type { StoredRun } from '../store/types.js';
import { formatBytes } from '../analysis/format-units.js';
import { escapeHtml as h } from './escape.js';
import { runStateText } from '../store/recorder.js';

export function machineText(m: MachineContext): string {
  const gpus = m.gpus?.length ? `; GPUs: ${m.gpus.map((g) => `${g.name}${g.driver ? ` (driver ${g.driver})` : ''}${g.memoryBytes ? `, ${formatBytes(g.memoryBytes)}` : ''}`).join(', ')}` : '';
  return `${m.cpuModel}, ${m.cpuCores} logical cores, ${formatBytes(m.memoryBytes)} memory; ${m.os} ${m.arch}; host ${m.hostname}${gpus}`;
}

/**
 * Records written before the typed field carried the browser's facts as
 * runtime entries ('chromium', 'chromium.gpuAdapter', ...): read those back.
 */
function browserFromVersions(v: Record<string, string>): BrowserContext | undefined {
  if (v.chromium === undefined && v['chromium.gpuAdapter'] === undefined) return undefined;
  const gpu = v['chromium.gpu'];
  return {
    name: 'chromium',
    version: v.chromium,
    executablePath: v['chromium.executable'],
    gpuAdapter: v['chromium.gpuAdapter'],
    webglRenderer: v['chromium.webglRenderer'],
    ...(gpu !== undefined ? { softwareGpu: gpu.startsWith('software-emulated') } : {}),
  };
}

export function browserOf(c: TrialContext): BrowserContext | undefined {
  return c.browser ?? browserFromVersions(c.runtimeVersions);
}

/** One line: the browser, its version, and the GPU its page saw, saying plainly when that GPU was the CPU emulating one. */
export function browserText(b: BrowserContext): string {
  const name = b.name.charAt(0).toUpperCase() + b.name.slice(1);
  const parts = [`${name} ${b.version ?? '(version not recorded)'}${b.executablePath ? ` (${b.executablePath})` : ''}`];
  if (b.gpuAdapter) parts.push(`WebGPU adapter: ${b.gpuAdapter}`);
  if (b.webglRenderer) parts.push(`WebGL renderer: ${b.webglRenderer}`);
  if (b.softwareGpu !== undefined) parts.push(b.softwareGpu ? 'GPU backends ran on a software-emulated GPU (SwiftShader on the CPU): their speed does not describe a GPU' : 'GPU backends ran on a hardware GPU');
  if (b.crossOriginIsolated !== undefined) parts.push(`crossOriginIsolated ${b.crossOriginIsolated}`);
  if (b.flags?.length) parts.push(`flags ${b.flags.join(' ')}`);
  return parts.join('; ');
}

/** Runtime entries the browser row already says, and the host marker: not repeated as package versions. */
const isBrowserEntry = (k: string) => k === 'host' || k === 'chromium' || k.startsWith('chromium.');

export function environmentSection(runs: StoredRun[]): string {
  const parts: string[] = [];
  for (const { run, trials } of runs) {
    const contexts = trials.map((t) => t.context).filter((c): c is TrialContext => c !== undefined);
    const machines = [...new Set(contexts.map((c) => machineText(c.machine)))];
    const machineFromRun = run.machine && typeof run.machine === 'object' && 'cpuModel' in (run.machine as object) ? machineText(run.machine as MachineContext) : undefined;
    if (machines.length === 0 && machineFromRun) machines.push(machineFromRun);
    const browsers = [...new Set(contexts.map(browserOf).filter((b): b is BrowserContext => b !== undefined).map(browserText))];
    const node = [...new Set(contexts.map((c) => c.nodeVersion))];
    const python = [...new Set(contexts.map((c) => c.pythonVersion).filter((x): x is string => Boolean(x)))];
    const versions = new Map<string, Set<string>>();
    for (const c of contexts) {
      for (const [k, v] of Object.entries(c.runtimeVersions)) if (!isBrowserEntry(k)) (versions.get(k) ?? versions.set(k, new Set()).get(k)!).add(v);
    }
    const energyNotes = new Map<string, string>();
    for (const t of trials) if (t.status === 'ok') for (const [k, v] of Object.entries(t.energy?.unavailable ?? {})) energyNotes.set(k, v);
    const rows = [
      ['machine', machines.join(' | ') || 'not recorded'],
      ...browsers.map((b) => ['browser', b]),
      ['infermark', run.toolVersion],
      ['Node.js', node.join(', ') || 'not recorded'],
      ...(python.length ? [['Python', python.join(', ')]] : []),
      ...[...versions].map(([k, v]) => [k, [...v].join(', ')]),
      ...[...energyNotes].map(([k, v]) => [`energy: ${k} unavailable`, v]),
      ...(run.command ? [['command', run.command]] : []),
      ['started / ended (UTC)', `${run.startedAt} / ${run.endedAt ?? `not ended: ${runStateText(run.state, run.trialCount, run.recorder)}`}`],
    ];
    parts.push(`${runs.length > 1 ? `<h3>run ${h(run.id)}</h3>` : ''}<table class="compact env"><tbody>${rows.map(([k, v]) => `<tr><th scope="row">${h(k)}</th><td>${h(v)}</td></tr>`).join('')}</tbody></table>`);
  }
  return parts.join('\n');
}
