/**
 * ES modules the page gets in place of Node-only imports. infermark's
 * importer does `import * as tf from '@tensorflow/tfjs-core'`; in the page
 * that name maps (import map) to a module re-exporting the global `tf` that
 * the UMD build defines, with the same export names as the package. The
 * ONNX reader's Node imports (file reading, protobuf) are never called in
 * the page — the graph arrives decoded — so they map to inert modules.
 */
const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

export async function tfjsCoreShim(): Promise<string> {
  const names = Object.keys(await import('@tensorflow/tfjs-core')).filter((n) => n !== 'default' && IDENTIFIER.test(n));
  return `const tf = globalThis.tf;\nexport default tf;\nexport const { ${names.join(', ')} } = tf;\n`;
}

const notInPage = (what: string) => `() => { throw new Error('${what} is not available in the browser page'); }`;

/** A Node built-in whose every export throws if called: the file-reading code it serves never runs in the page. */
function inertNodeModule(name: string, names: string[]): string {
  const body = names.map((n) => `export const ${n} = ${notInPage(`${name} ${n}`)};`).join('\n');
  return `${body}\nexport const constants = {};\nexport const sep = '/';\nexport default { ${names.join(', ')}, constants, sep };\n`;
}

export const STATIC_SHIMS: Record<string, string> = {
  'node:fs/promises': `export const readFile = ${notInPage('node:fs/promises readFile')};\nexport default { readFile };\n`,
  // The safe model-file reader (files/safe-read.ts) and the IR's external-data paths import these.
  'node:fs': inertNodeModule('node:fs', ['closeSync', 'fstatSync', 'openSync', 'readSync', 'realpathSync', 'readFileSync', 'existsSync', 'statSync']),
  'node:path': inertNodeModule('node:path', ['dirname', 'isAbsolute', 'join', 'relative', 'resolve', 'basename']),
  'onnx-proto': `export default { onnx: {} };\n`,
};

/** The import map: bare names → shim URLs. */
export function importMap(): { imports: Record<string, string> } {
  const imports: Record<string, string> = { '@tensorflow/tfjs-core': '/shim/tfjs-core.js' };
  for (const name of Object.keys(STATIC_SHIMS)) imports[name] = `/shim/${encodeURIComponent(name)}.js`;
  return { imports };
}
