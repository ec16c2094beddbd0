/**
 * A dependency's installed version. Some packages' "exports" hide their
 * package.json, so walk up from the resolved entry point instead.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

export function packageRoot(name: string): string {
  let dir = dirname(require.resolve(name));
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && JSON.parse(readFileSync(pkg, 'utf8')).name === name) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`cannot find the package.json of ${name}`);
    dir = parent;
  }
}

export function packageVersion(name: string): string {
  return JSON.parse(readFileSync(join(packageRoot(name), 'package.json'), 'utf8')).version;
}
