/** `infermark runtimes`: every runtime, its providers' availability and its settings. */
import { parseArgs } from 'node:util';
import type { Command } from '../command.js';
import { runtimeNames, runtimeStatus, type RuntimeStatus } from '../../runtimes/registry.js';
import { describeAllowed } from '../../runtimes/settings.js';

function text(statuses: RuntimeStatus[]): string {
  const out: string[] = [];
  for (const s of statuses) {
    const versions = Object.entries(s.versions).map(([k, v]) => `${k} ${v}`).join(', ');
    out.push(`${s.name}${versions ? ` (${versions})` : ''}: ${s.description}`);
    if (s.loadError) {
      out.push(`  unavailable: ${s.loadError}`);
      continue;
    }
    out.push('  providers:');
    for (const p of s.providers) out.push(`    ${p.name}: ${p.available ? (p.reason ? `available, but: ${p.reason.split('\n')[0]}` : 'available') : `unavailable: ${p.reason ?? ''}`}`);
    out.push('  settings:');
    for (const st of s.settings) {
      const def = st.default !== undefined ? ` (default ${st.default})` : '';
      out.push(`    ${st.name}: ${describeAllowed(st)}${def}: ${st.description}`);
    }
  }
  return `${out.join('\n')}\n`;
}

const command: Command = {
  summary: 'list runtimes, execution providers, availability and settings',
  usage: `Usage: infermark runtimes [--json]

Lists every runtime and execution provider with 'available' or
'unavailable: <reason>', and each runtime's settings with their allowed values.

Options:
  --json   print the same as JSON`,
  async run(argv, io) {
    const { values } = parseArgs({ args: argv, options: { json: { type: 'boolean' } }, strict: true });
    const statuses = [];
    for (const name of runtimeNames()) statuses.push(await runtimeStatus(name));
    io.stdout(values.json ? `${JSON.stringify(statuses, null, 2)}\n` : text(statuses));
    return 0;
  },
};

export default command;
