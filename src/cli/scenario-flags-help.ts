/**
 * The scenario flags' lines of `run --help`, made from the scenario registry:
 * each scenario declares its flags and their schema (scenarios/<name>.ts), so
 * a new scenario's flags appear in the help and in shell completion (which
 * reads the help) without an edit here.
 */
import { getScenario, scenarioNames } from '../scenarios/registry.js';
import { durationSchema } from '../core/json-schema.js';

interface PropertySchema { type?: string; enum?: unknown[]; pattern?: string; description?: string; default?: unknown }

const COLUMN = 25;

/** The value a flag takes, as the help writes it: N, DUR, one|of|these, or VALUE. */
function valueWord(p: PropertySchema): string {
  if (p.enum) return p.enum.join('|');
  if (p.type === 'integer' || p.type === 'number') return 'N';
  if (p.pattern?.includes('ms|s|m|h')) return 'DUR';
  return 'VALUE';
}

function wrap(head: string, text: string, width = 78): string[] {
  const lines: string[] = [];
  let line = head.length < COLUMN ? head.padEnd(COLUMN) : `${head} `;
  for (const word of text.split(' ')) {
    if (line.length + word.length > width && line.trim().length > 0 && line.length > COLUMN) {
      lines.push(line.trimEnd());
      line = ' '.repeat(COLUMN);
    }
    line += `${word} `;
  }
  lines.push(line.trimEnd());
  return lines;
}

export function scenarioFlagHelp(): string {
  const lines: string[] = [];
  for (const scenario of scenarioNames().map(getScenario)) {
    const props = (scenario.options?.schema as { properties?: Record<string, PropertySchema> } | undefined)?.properties ?? {};
    for (const [flag, key] of Object.entries(scenario.flags ?? {})) {
      const p = props[key] ?? {};
      // A duration's own description only says how to write one; the value word says that already.
      const about = p.description && p.description !== durationSchema.description ? p.description : key;
      const fallback = p.default !== undefined ? ` (default ${String(p.default)})` : '';
      lines.push(...wrap(`  --${flag} ${valueWord(p)}`, `${scenario.name}: ${about}${fallback}`));
    }
  }
  return lines.join('\n');
}
