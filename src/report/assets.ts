/**
 * The chart library's prebuilt browser bundles, read from node_modules and
 * inlined into the report so it opens with no network.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface VegaBundles {
  vega: string;
  vegaLite: string;
  vegaEmbed: string;
}

const FILES = {
  vega: 'vega/build/vega.min.js',
  vegaLite: 'vega-lite/build/vega-lite.min.js',
  vegaEmbed: 'vega-embed/build/vega-embed.min.js',
} as const;

/** The packages' "exports" hide their build folders from require.resolve, so walk up to node_modules. */
function findNodeModules(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'node_modules');
    if (existsSync(join(candidate, FILES.vega))) return candidate;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`report: cannot find ${FILES.vega} in any node_modules above ${fileURLToPath(import.meta.url)}; reinstall infermark's dependencies (npm ci)`);
    dir = parent;
  }
}

let cached: VegaBundles | undefined;

export function loadVegaBundles(): VegaBundles {
  if (!cached) {
    const nm = findNodeModules();
    cached = {
      vega: readFileSync(join(nm, FILES.vega), 'utf8'),
      vegaLite: readFileSync(join(nm, FILES.vegaLite), 'utf8'),
      vegaEmbed: readFileSync(join(nm, FILES.vegaEmbed), 'utf8'),
    };
  }
  return cached;
}
