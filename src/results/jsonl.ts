/**
 * The JSON Lines results file. Every finished trial is appended and flushed
 * to disk at once (fsync), so a SIGKILL of the tool loses nothing finished.
 * A line cut short by such a kill is ignored on reading and never glued to
 * the next record.
 */
import { closeSync, existsSync, fstatSync, fsyncSync, ftruncateSync, openSync, readFileSync, readSync, writeSync } from 'node:fs';
import type { TrialResult } from './types.js';
import { migrateResult } from './migrate.js';
import { resultProblem } from './well-formed.js';

/** The file calls the writer makes; tests swap in failing ones (a full disk, a short write). */
export interface JsonlFs {
  writeSync(fd: number, buf: Uint8Array, offset: number, length: number): number;
  fsyncSync(fd: number): void;
  ftruncateSync(fd: number, len: number): void;
}

const realFs: JsonlFs = {
  writeSync: (fd, buf, offset, length) => writeSync(fd, buf, offset, length),
  fsyncSync,
  ftruncateSync,
};

/**
 * A line could not be written whole (ENOSPC, a short write, an I/O error).
 * The partial line has been cut back, so the file holds exactly the trials
 * appended before `trialKey`.
 */
export class JsonlWriteError extends Error {
  constructor(readonly path: string, readonly trialKey: string, readonly reason: string, readonly linesWritten: number) {
    super(`the JSON Lines file ${path} could not take trial ${trialKey} (${reason}); it was cut back to its last whole line and holds every trial before that one (${linesWritten} written by this writer)`);
    this.name = 'JsonlWriteError';
  }
}

export class JsonlWriter {
  private readonly fd: number;
  private size: number;
  /** Lines this writer has written whole. */
  written = 0;
  /** Set once a write failed; later appends are refused so no line follows a gap. */
  failure?: JsonlWriteError;

  constructor(readonly path: string, private readonly fs: JsonlFs = realFs) {
    this.fd = openSync(path, 'a+');
    this.size = fstatSync(this.fd).size;
    // Only the last byte tells whether the file ends cleanly; reading more is waste (or endless, for a device).
    const last = Buffer.alloc(1);
    const endsCleanly = this.size === 0 || (readSync(this.fd, last, 0, 1, this.size - 1) === 1 && last[0] === 0x0a);
    // A previous run killed mid-write left half a line: start ours on a fresh one.
    if (!endsCleanly) this.writeWhole(Buffer.from('\n'), '(line end)');
  }

  /** Writes all of `bytes` or cuts the file back to where it was and throws. */
  private writeWhole(bytes: Buffer, trialKey: string): void {
    if (this.failure) throw this.failure;
    let done = 0;
    try {
      while (done < bytes.length) {
        const n = this.fs.writeSync(this.fd, bytes, done, bytes.length - done);
        if (n <= 0) throw Object.assign(new Error('the write made no progress'), { code: 'EIO' });
        done += n;
      }
      this.fs.fsyncSync(this.fd);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      let reason = code === 'ENOSPC' ? 'ENOSPC: no space left on the device' : `${code ?? 'error'}: ${(err as Error).message}`;
      if (done > 0) {
        try {
          this.fs.ftruncateSync(this.fd, this.size);
        } catch (cutErr) {
          reason += `; cutting the partial line back failed too (${(cutErr as Error).message}), so the file ends with a partial line that reading skips`;
        }
      }
      this.failure = new JsonlWriteError(this.path, trialKey, reason, this.written);
      throw this.failure;
    }
    this.size += bytes.length;
  }

  append(result: TrialResult): void {
    this.writeWhole(Buffer.from(`${JSON.stringify(result)}\n`), result.key);
    this.written++;
  }

  close(): void {
    closeSync(this.fd);
  }
}

export interface ReadResults {
  results: TrialResult[];
  /** Lines that were not well-formed results (e.g. cut short by a kill, or a field missing). */
  badLines: number;
  /** The first of them: its line number and what is wrong with it. */
  firstProblem?: string;
}

export function readJsonl(path: string): ReadResults {
  if (!existsSync(path)) return { results: [], badLines: 0 };
  const results: TrialResult[] = [];
  let badLines = 0;
  let firstProblem: string | undefined;
  readFileSync(path, 'utf8').split('\n').forEach((line, i) => {
    if (!line.trim()) return;
    let problem: string | undefined;
    try {
      const rec = JSON.parse(line) as TrialResult;
      const migrated = rec && typeof rec.key === 'string' && typeof rec.status === 'string' ? migrateResult(rec) : rec;
      problem = resultProblem(migrated);
      if (!problem) results.push(migrated);
    } catch (err) {
      problem = err instanceof SyntaxError ? 'not valid JSON (cut short?)' : (err as Error).message;
    }
    if (problem) {
      badLines++;
      firstProblem ??= `line ${i + 1}: ${problem}`;
    }
  });
  return { results, badLines, ...(firstProblem ? { firstProblem } : {}) };
}

/** What identifies a finished trial for --resume: its key and repetition. */
export function resumeId(r: { key: string; repetition?: number }): string {
  return `${r.key}#${r.repetition ?? 0}`;
}
