/**
 * The JSON Lines results file. Every finished trial is appended and flushed
 * to disk at once (fsync), so a SIGKILL of the tool loses nothing finished.
 * A line cut short by such a kill is ignored on reading and never glued to
 * the next record.
 */
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, writeSync } from 'node:fs';
import type { TrialResult } from './types.js';
import { migrateResult } from './migrate.js';

export class JsonlWriter {
  private readonly fd: number;

  constructor(readonly path: string) {
    const endsCleanly = !existsSync(path) || (() => {
      const text = readFileSync(path, 'utf8');
      return text.length === 0 || text.endsWith('\n');
    })();
    this.fd = openSync(path, 'a');
    // A previous run killed mid-write left half a line: start ours on a fresh one.
    if (!endsCleanly) writeSync(this.fd, '\n');
  }

  append(result: TrialResult): void {
    writeSync(this.fd, `${JSON.stringify(result)}\n`);
    fsyncSync(this.fd);
  }

  close(): void {
    closeSync(this.fd);
  }
}

export interface ReadResults {
  results: TrialResult[];
  /** Lines that were not valid JSON records (e.g. cut short by a kill). */
  badLines: number;
}

export function readJsonl(path: string): ReadResults {
  if (!existsSync(path)) return { results: [], badLines: 0 };
  const results: TrialResult[] = [];
  let badLines = 0;
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    try {
      const rec = JSON.parse(line) as TrialResult;
      if (rec && typeof rec.key === 'string' && typeof rec.status === 'string') results.push(migrateResult(rec));
      else badLines++;
    } catch {
      badLines++;
    }
  }
  return { results, badLines };
}

/** What identifies a finished trial for --resume: its key and repetition. */
export function resumeId(r: { key: string; repetition?: number }): string {
  return `${r.key}#${r.repetition ?? 0}`;
}
