/**
 * Estimate error: for each shipped example plan, the dry run's estimate
 * against the time the plan then takes. First with an empty database (the
 * stopping rule alone), then again after that run (learned from its measured
 * speed). The ETA's error is read from the progress lines: the ETA printed
 * at the second trial's start (the first one learned from this sweep's own
 * first trial) against the time the rest of the sweep then took, beside the
 * very first ETA (before any trial ended: the dry run's figure). Target: the
 * estimates learned from measured speed within +-30%.
 * Run alone, it takes plan files and, after `--`, flags given to every dry run and run
 * (a reduced reproduction on a busy machine): node dist/bench/estimate-error.js PLAN... -- --runtime ort-node
 * With INFERMARK_BENCH_KEEP=DIR, each plan's database is kept as DIR/<plan>.sqlite (both runs' results,
 * for `infermark report --db`), instead of being removed.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const CLI = fileURLToPath(new URL('../src/cli/main.js', import.meta.url));
const PLANS = ['examples/cnn-batch-study.yaml', 'examples/energy-study.yaml'];

/** "1h2m3s", "1m32s", "20s", "450ms" -> ms. */
export function parseDurationText(text: string): number {
  let ms = 0;
  for (const m of text.matchAll(/([\d.]+)\s*(ms|h|m|s)/g)) ms += Number(m[1]) * ({ ms: 1, s: 1000, m: 60_000, h: 3_600_000 } as Record<string, number>)[m[2]];
  return ms;
}

function dryRunMs(plan: string, db: string, extra: string[]): { lowMs: number; highMs: number } {
  const r = spawnSync(process.execPath, [CLI, 'run', plan, ...extra, '--dry-run', '--db', db], { encoding: 'utf8' });
  const m = /estimated duration (.+?)(?: to (.+?))? \(/.exec(r.stdout);
  if (!m) throw new Error(`no estimate in the dry run of ${plan}: ${r.stdout.slice(-300)}${r.stderr.slice(-300)}`);
  const lowMs = parseDurationText(m[1]);
  return { lowMs, highMs: m[2] ? parseDurationText(m[2]) : lowMs };
}

interface EtaSeen { atMs: number; etaMs: number }

function runPlan(plan: string, db: string, extra: string[]): Promise<{ wallMs: number; firstEta?: EtaSeen; learnedEta?: EtaSeen }> {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(process.execPath, [CLI, 'run', plan, ...extra, '--db', db, '--no-efficiency'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let firstEta: EtaSeen | undefined;
    let learnedEta: EtaSeen | undefined;
    let pending = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      const lines = (pending + chunk).split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        // "[K/N] runtime/provider ...: starting, ETA 1m02s": K counts the trials begun.
        const m = /^\[(\d+)\/\d+\].*ETA ([^\s,)]+)/.exec(line);
        if (!m) continue;
        const seen = { atMs: Date.now() - started, etaMs: parseDurationText(m[2]) };
        firstEta ??= seen;
        if (Number(m[1]) >= 2) learnedEta ??= seen;
      }
    });
    child.on('exit', () => resolve({ wallMs: Date.now() - started, firstEta, learnedEta }));
  });
}

const pct = (estimate: number, actual: number) => `${(((estimate - actual) / actual) * 100).toFixed(0)}%`;

export async function main(plans = PLANS, extra: string[] = []): Promise<void> {
  console.log(`estimate error: dry run and ETA against the time each example plan took${extra.length ? ` (with ${extra.join(' ')})` : ''}; load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} on ${availableParallelism()} cores`);
  for (const plan of plans) {
    const keep = process.env.INFERMARK_BENCH_KEEP;
    const dir = keep ?? mkdtempSync(join(tmpdir(), 'infermark-bench-estimate-'));
    try {
      const db = join(dir, keep ? `${basename(plan, '.yaml')}.sqlite` : 'db.sqlite');
      if (keep) { mkdirSync(keep, { recursive: true }); rmSync(db, { force: true }); }
      const rule = dryRunMs(plan, db, extra);
      const first = await runPlan(plan, db, extra);
      const loadFirst = loadavg()[0];
      const learned = dryRunMs(plan, db, extra);
      const second = await runPlan(plan, db, extra);
      const loadSecond = loadavg()[0];
      const mid = (rule.lowMs + rule.highMs) / 2;
      console.log(`  ${plan}: first run ${(first.wallMs / 1000).toFixed(0)} s (load average at its end ${loadFirst.toFixed(1)}); estimate with no history ${(rule.lowMs / 1000).toFixed(0)}..${(rule.highMs / 1000).toFixed(0)} s (midpoint ${pct(mid, first.wallMs)})`);
      console.log(`  ${plan}: second run ${(second.wallMs / 1000).toFixed(0)} s (load average at its end ${loadSecond.toFixed(1)}); learned estimate ${(learned.lowMs / 1000).toFixed(0)} s (error ${pct(learned.lowMs, second.wallMs)})`);
      for (const [name, r] of [['first', first], ['second', second]] as const) {
        for (const [what, eta] of [['first ETA', r.firstEta], ['ETA after its first trial', r.learnedEta]] as const) {
          if (eta) console.log(`  ${plan}: ${name} run's ${what} ${(eta.etaMs / 1000).toFixed(0)} s at ${(eta.atMs / 1000).toFixed(0)} s, the rest took ${((r.wallMs - eta.atMs) / 1000).toFixed(0)} s (error ${pct(eta.etaMs, r.wallMs - eta.atMs)})`);
        }
      }
    } finally {
      if (!keep) rmSync(dir, { recursive: true, force: true });
    }
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const cut = args.indexOf('--');
  await main(cut < 0 ? (args.length ? args : PLANS) : (cut > 0 ? args.slice(0, cut) : PLANS), cut < 0 ? [] : args.slice(cut + 1));
}
