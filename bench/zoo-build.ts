/**
 * Time and peak memory to build each full zoo model. Each build runs in its
 * own Node process so its peak RSS is its own (process.resourceUsage().maxRSS
 * is a high-water mark for the whole process), then the file is deleted.
 *
 *   node dist/bench/zoo-build.js [NAME...]
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { listZoo } from '../src/zoo/catalog.js';

const BUILD_MODULE = pathToFileURL(fileURLToPath(new URL('../src/zoo/build.js', import.meta.url))).href;

/** Baseline: a Node process that loads the build module and builds nothing, to read the models' own cost against. */
const CHILD = `
const [name, path] = process.argv.slice(1);
const { writeZooModel } = await import(${JSON.stringify(BUILD_MODULE)});
const t0 = process.hrtime.bigint();
const written = name === '-' ? { sizeBytes: 0 } : await writeZooModel(name, path);
const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
process.stdout.write(JSON.stringify({ seconds, sizeBytes: written.sizeBytes, maxRssKB: process.resourceUsage().maxRSS }));
`;

interface Row {
  name: string;
  params: number;
  fileMB: number;
  buildS: number;
  peakRssMB: number;
}

function buildInChild(name: string, path: string): { seconds: number; sizeBytes: number; maxRssKB: number } {
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', CHILD, name, path], { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (r.status !== 0) throw new Error(`building ${name} failed: ${r.stderr.trim().split('\n').slice(-3).join(' ')}`);
  return JSON.parse(r.stdout);
}

function table(rows: Row[], baselineMB: number): string {
  const head = ['model', 'params', 'file MB', 'build s', 'peak RSS MB', 'RSS / file'];
  const cells = rows.map((r) => [
    r.name, r.params.toLocaleString('en-US'), r.fileMB.toFixed(1), r.buildS.toFixed(2), r.peakRssMB.toFixed(0), (r.peakRssMB / r.fileMB).toFixed(2),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c: string[]) => c.map((x, i) => (i === 0 ? x.padEnd(widths[i]) : x.padStart(widths[i]))).join('  ');
  return [line(head), ...cells.map(line), '', `baseline: an empty Node process loading the builder peaks at ${baselineMB.toFixed(0)} MB RSS`].join('\n');
}

export async function main(wanted: string[] = []): Promise<void> {
  const entries = listZoo().filter((e) => (wanted.length ? wanted.includes(e.name) : !e.name.endsWith('-tiny')));
  const dir = mkdtempSync(join(tmpdir(), 'infermark-zoo-bench-'));
  const rows: Row[] = [];
  try {
    const baselineMB = buildInChild('-', '').maxRssKB / 1024;
    for (const e of entries) {
      const path = join(dir, `${e.name}.onnx`);
      const m = buildInChild(e.name, path);
      rmSync(path, { force: true });
      rows.push({ name: e.name, params: e.params, fileMB: m.sizeBytes / 1e6, buildS: m.seconds, peakRssMB: m.maxRssKB / 1024 });
      process.stderr.write(`built ${e.name}\n`);
    }
    process.stdout.write(`${table(rows, baselineMB)}\n`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main(process.argv.slice(2));
