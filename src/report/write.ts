/** Writes a report file: HTML or Markdown, chosen by the format or the file's extension. */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, extname } from 'node:path';
import type { StoredRun } from '../store/types.js';
import { invalidValue } from '../errors/input-error.js';
import { renderHtmlReport } from './html.js';
import { renderMarkdown } from './markdown.js';

export type ReportFormat = 'html' | 'md';

export function formatFromPath(path: string): ReportFormat {
  const ext = extname(path).toLowerCase();
  if (ext === '.md' || ext === '.markdown') return 'md';
  if (ext === '.html' || ext === '.htm' || ext === '') return 'html';
  throw invalidValue('--format', ext, 'a file ending in .html or .md, or --format html|md');
}

export async function writeReport(path: string, runs: StoredRun[], format?: ReportFormat, opts: { title?: string } = {}): Promise<void> {
  const fmt = format ?? formatFromPath(path);
  const text = fmt === 'md' ? renderMarkdown(runs, opts) : renderHtmlReport(runs, opts);
  mkdirSync(dirname(path), { recursive: true });
  // Write beside, then rename: a browser reloading the report never sees half a file.
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}
