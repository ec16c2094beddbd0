/**
 * Which python runs the workers: INFERMARK_PYTHON if set, else the project's
 * own environment (<package root>/.venv, made by scripts/setup-python.sh),
 * else python3 on the PATH.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

/** What to do when a Python package is missing or the environment is broken. */
export const SETUP_REMEDY = 'run bash scripts/setup-python.sh (it creates .venv with every Python runtime), or set INFERMARK_PYTHON to a python that has the package';

/** The package root: four levels up from dist/src/runtimes/python-worker/, three from src/runtimes/python-worker/. */
export function packageRoot(): string {
  const candidates = ['../../../../', '../../../'].map((rel) => fileURLToPath(new URL(rel, import.meta.url)));
  return candidates.find((p) => existsSync(join(p, 'python'))) ?? candidates[0];
}

export function venvPython(root = packageRoot()): string {
  return join(root, '.venv', 'bin', 'python');
}

/** The pythons to try, in order. */
export function pythonCandidates(env: NodeJS.ProcessEnv = process.env): string[] {
  if (env.INFERMARK_PYTHON) return [env.INFERMARK_PYTHON];
  const venv = venvPython();
  return existsSync(venv) ? [venv] : ['python3'];
}

/** How the candidates were chosen, for messages. */
export function pythonSource(env: NodeJS.ProcessEnv = process.env): string {
  if (env.INFERMARK_PYTHON) return `INFERMARK_PYTHON=${env.INFERMARK_PYTHON}`;
  return existsSync(venvPython()) ? venvPython() : 'python3 (no .venv in the project)';
}

/** python/NAME at the package root. */
export function pythonScript(name: string): string {
  return join(packageRoot(), 'python', name);
}
