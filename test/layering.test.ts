/**
 * The layer order of src/, as docs/architecture.md writes it: every import
 * of a file in src/ points to its own layer or a lower one, and never breaks
 * a rule of the page's `forbidden` block. The table is read from the page,
 * so the page and this test cannot disagree.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SRC = join(ROOT, 'src');
const DOC = join(ROOT, 'docs', 'architecture.md');

function block(doc: string, lang: string): string[] {
  const m = new RegExp('```' + lang + '\\n([\\s\\S]*?)```').exec(doc);
  assert.ok(m, `docs/architecture.md has no \`\`\`${lang} block`);
  return m[1].split('\n').map((l) => l.trim()).filter(Boolean);
}

function layersOf(doc: string): Map<string, number> {
  const layers = new Map<string, number>();
  for (const line of block(doc, 'layers')) {
    const m = /^(\d+):\s*(.+)$/.exec(line);
    assert.ok(m, `bad layer line: ${line}`);
    for (const name of m[2].split(/\s+/)) layers.set(name, Number(m[1]));
  }
  return layers;
}

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

/** The layer unit of a file: its top folder under src/, or its own name at the top. */
function unit(file: string): string {
  const parts = relative(SRC, file).split(sep);
  return parts[0];
}

function imports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:import|export)\s[^'"]*?from\s*['"](\.[^'"]+)['"]/g)]
    .map((m) => resolve(dirname(file), m[1]).replace(/\.js$/, '.ts'));
}

function violations(layers: Map<string, number>, forbidden: [string, string][]): string[] {
  const out: string[] = [];
  for (const file of files(SRC)) {
    const from = unit(file);
    const fromLayer = layers.get(from);
    if (fromLayer === undefined) { out.push(`${relative(ROOT, file)}: ${from} has no layer in docs/architecture.md`); continue; }
    for (const target of imports(file)) {
      if (!target.startsWith(SRC)) continue;
      const to = unit(target);
      if (to === from) continue;
      const toLayer = layers.get(to);
      if (toLayer === undefined) out.push(`${relative(ROOT, file)} imports ${relative(ROOT, target)}: ${to} has no layer`);
      else if (toLayer > fromLayer) out.push(`${relative(ROOT, file)} (layer ${fromLayer}) imports ${relative(ROOT, target)} (layer ${toLayer})`);
      else if (forbidden.some(([a, b]) => a === from && b === to)) out.push(`${relative(ROOT, file)} imports ${relative(ROOT, target)}: ${from} -> ${to} is forbidden`);
    }
  }
  return out;
}

const doc = readFileSync(DOC, 'utf8');
const forbidden = block(doc, 'forbidden').map((l) => l.split(/\s*->\s*/) as [string, string]);

test('every import in src/ follows the layer order of docs/architecture.md', () => {
  assert.deepEqual(violations(layersOf(doc), forbidden), []);
});

test('the check fails on an import against the order', () => {
  // Swap two layers that import each other one way: the real imports now break the order.
  const swapped = layersOf(doc);
  swapped.set('onnx', 3);
  swapped.set('runtimes', 2);
  assert.ok(violations(swapped, forbidden).some((v) => v.includes('src/runtimes/') && v.includes('src/onnx/')));
  assert.ok(violations(layersOf(doc), [...forbidden, ['engine', 'runner']]).some((v) => v.includes('engine -> runner is forbidden')));
});
