/**
 * hyperfine's export flags on `run`: --export-json, --export-markdown and
 * --export-csv. Each file is rewritten after every finished trial, so a sweep
 * that is stopped halfway still leaves every finished trial exported.
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { TrialResult } from '../results/types.js';
import type { StoredRun } from '../store/types.js';
import { recommend } from '../analysis/recommend.js';
import { renderCsv } from '../report/csv.js';
import { renderMarkdown } from '../report/markdown.js';
import { unsavedSummary } from './run-record.js';

export interface ExportPaths { json?: string; markdown?: string; csv?: string }

/** Write beside, then rename: a reader never sees half a file. */
function replaceFile(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}

export function hasExports(paths: ExportPaths): boolean {
  return Boolean(paths.json || paths.markdown || paths.csv);
}

/** Rewrites every requested export with the results so far. */
export function writeExports(paths: ExportPaths, results: TrialResult[], runId?: string): void {
  if (!hasExports(paths)) return;
  const run: StoredRun = { run: { ...unsavedSummary(results), id: runId ?? 'unsaved' }, trials: results };
  if (paths.json) replaceFile(paths.json, `${JSON.stringify({ runId: runId ?? null, results, recommendation: recommend(results) }, null, 2)}\n`);
  if (paths.markdown) replaceFile(paths.markdown, renderMarkdown([run]));
  if (paths.csv) replaceFile(paths.csv, renderCsv([run]));
}
