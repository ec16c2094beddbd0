/**
 * Where a plan may make the tool write: inside the plan's own folder tree,
 * the cache folder or the working folder. A plan is a file someone else may
 * have written; it must not make onnxruntime (or anything else) write to
 * /etc or a home folder. Paths typed on the command line are the user's own
 * choice and are not checked here.
 */
import { existsSync, realpathSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { defaultCacheRoot } from '../zoo/resolve.js';
import { isInside } from '../files/safe-read.js';

/** Settings whose value is a path the runtime writes to. */
export const WRITE_PATH_SETTINGS = ['optimizedModelCache'];

/** The real path of `path`, resolving symlinks in the longest existing part of it. */
export function realTarget(path: string): string {
  const abs = resolve(path);
  let existing = abs;
  while (!existsSync(existing) && dirname(existing) !== existing) existing = dirname(existing);
  const real = realpathSync(existing);
  return resolve(real, abs.slice(existing.length).replace(/^[/\\]+/, ''));
}

function realRoot(path: string): string {
  try {
    return realTarget(path);
  } catch {
    return resolve(path);
  }
}

/** Folders a plan at `planDir` may write into. */
export function allowedWriteRoots(planDir: string): string[] {
  return [planDir, defaultCacheRoot(), process.cwd()].map(realRoot);
}

/** Undefined when `path` lies under one of `roots`, else why not (one line). */
export function writeRefusal(field: string, path: string, roots: string[]): string | undefined {
  let target: string;
  try {
    target = realTarget(path);
  } catch (err) {
    return `${field}: cannot resolve ${JSON.stringify(path)} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`;
  }
  if (roots.some((root) => isInside(root, target))) return undefined;
  return `${field}: ${JSON.stringify(path)} resolves to ${target}, outside the plan's folder, the cache folder and the working folder; a plan may only write inside those (give the path with --set to write elsewhere)`;
}

interface SettingsHolder { settings?: Record<string, unknown> }

/** Every write path a plan's settings name, checked against the allowed roots. */
export function planWriteErrors(plan: SettingsHolder & { entries?: SettingsHolder[] }, planDir: string): string[] {
  const roots = allowedWriteRoots(planDir);
  const holders: [string, SettingsHolder][] = [['', plan], ...(plan.entries ?? []).map((e, i) => [`/entries/${i}`, e] as [string, SettingsHolder])];
  const errors: string[] = [];
  for (const [prefix, holder] of holders) {
    for (const [key, value] of Object.entries(holder.settings ?? {})) {
      if (!WRITE_PATH_SETTINGS.includes(key.split('.').pop() ?? '')) continue;
      for (const v of Array.isArray(value) ? value : [value]) {
        if (typeof v !== 'string' || v === '') continue;
        const refusal = writeRefusal(`${prefix}/settings/${key}`, v, roots);
        if (refusal) errors.push(refusal);
      }
    }
  }
  return errors;
}
