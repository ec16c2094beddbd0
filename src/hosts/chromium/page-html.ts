/** The one HTML page a trial opens: the import map, the engine's scripts, then the harness module. */
import { assetRoots } from './assets.js';
import { importMap } from './shims.js';

export type Engine = 'ort' | 'tfjs';

export function pageHtml(engine: Engine): string {
  const scripts = engine === 'tfjs' ? assetRoots().tfjsScripts.map((s) => `<script src="${s}"></script>`).join('\n') : '';
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>infermark ${engine}</title>
<script type="importmap">${JSON.stringify(importMap())}</script>
${scripts}
<script type="module">
import '/dist/src/hosts/chromium/page/harness.js';
document.body.dataset.harness = 'ready';
</script>
</head><body></body></html>
`;
}
