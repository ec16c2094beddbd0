/**
 * Builds a Runtime whose sessions run in a fresh Chromium page: one browser
 * per session (so per trial), one page per browser (so the renderer is
 * known). ort-web@chromium and tfjs@chromium are two uses of this.
 */
import { readFile } from 'node:fs/promises';
import type { Runtime, SettingSpec, TensorInfo } from '../../runtimes/runtime.js';
import type { Settings } from '../../results/types.js';
import { packageVersion } from '../../runtimes/package-version.js';
import { findBrowser } from './browser-path.js';
import { browserVersionLine, probeBrowser, probeIfStarted, providerAvailability } from './browser-probe.js';
import { BrowserSession } from './browser-session.js';
import { describeGpu } from './gpu-label.js';
import { browserContext, browserVersionEntries } from './browser-context.js';
import { PageHost } from './page-host.js';
import type { Engine } from './page-html.js';
import type { PageFiles } from './server.js';

/** Starting a browser and loading the session (a 14 MB wasm compile) take seconds, far more on a loaded machine; a short call limit must not cut them off. */
const START_TIMEOUT_MS = 60_000;

export const HOST_SETTINGS: SettingSpec[] = [
  { name: 'browser', type: 'string', description: 'path of the Chromium-family executable (default: chromium, chromium-browser or google-chrome on PATH)' },
  { name: 'browserFlags', type: 'string', default: '', description: "extra browser command-line flags, space-separated (e.g. '--use-angle=vulkan')" },
  { name: 'headed', type: 'bool', default: false, description: 'show the browser window (for debugging; needs a display)' },
  { name: 'callTimeoutS', type: 'int', min: 1, max: 3600, default: 120, description: 'limit for one call into the page (upload, one run; the loop gets its time limits plus twice this), s; past it the page counts as hung and the browser is closed. Starting the browser and loading the model get at least 60 s' },
];

export interface ChromiumRuntimeSpec {
  name: string;
  description: string;
  engine: Engine;
  /** Provider → what it needs of the page. */
  providers: Record<string, 'wasm' | 'webgl' | 'webgpu' | 'none'>;
  settings: SettingSpec[];
  packages: string[];
  /** The files the page needs for this model. */
  pageFiles(modelPath: string | undefined, bytes: Uint8Array): Promise<PageFiles>;
  /** The model's inputs and outputs read in Node, for engines that cannot always report them. */
  modelIO?(bytes: Uint8Array): { inputs: TensorInfo[]; outputs: TensorInfo[] };
}

function splitFlags(s: unknown): string[] {
  return typeof s === 'string' ? s.split(/\s+/).filter(Boolean) : [];
}

export function chromiumRuntime(spec: ChromiumRuntimeSpec): Runtime {
  /*
   * The runner asks for versions() before it creates the session and sends
   * the object with the result after the session has run; the session adds
   * the browser's context (version, flags, adapter) to this same object, so
   * every result says on what browser and GPU it was measured.
   */
  const context: Record<string, string> = { host: 'chromium' };

  const setContext = (values: Record<string, string | undefined>) => {
    for (const [k, v] of Object.entries(values)) if (v !== undefined) context[k] = v;
  };

  return {
    name: spec.name,
    host: 'chromium',
    description: spec.description,
    providerNames: Object.keys(spec.providers),
    settings: [...spec.settings, ...HOST_SETTINGS],

    async availability() {
      return providerAvailability(await probeBrowser(), spec.providers);
    },

    async versions() {
      for (const p of spec.packages) setContext({ [p]: safeVersion(p) });
      setContext({ 'playwright-core': safeVersion('playwright-core') });
      const found = findBrowser();
      if ('path' in found && !context.chromium) setContext({ chromium: await browserVersionLine(found.path) });
      const probe = await probeIfStarted();
      if (probe?.env) {
        setContext({ chromium: probe.version, 'chromium.gpuAdapter': describeGpu(probe.env.gpu), 'chromium.webglRenderer': probe.env.webglRenderer.renderer ?? probe.env.webglRenderer.missing });
      }
      return context;
    },

    async createSession(model, { provider, settings }) {
      const found = findBrowser(typeof settings.browser === 'string' && settings.browser ? settings.browser : undefined);
      if ('reason' in found) throw new Error(`${spec.name}: ${found.reason}`);
      const bytes = model.bytes ?? new Uint8Array(await readFile(model.path!));
      const callTimeoutMs = Number(settings.callTimeoutS ?? 120) * 1000;
      const startTimeoutMs = Math.max(callTimeoutMs, START_TIMEOUT_MS);
      const host = await PageHost.open({
        engine: spec.engine, executablePath: found.path, files: await spec.pageFiles(model.path, bytes),
        extraFlags: splitFlags(settings.browserFlags), headed: settings.headed === true, startTimeoutMs,
      });
      try {
        const env = await host.call('environment', [], startTimeoutMs);
        const browser = browserContext({ version: host.browserVersion, executablePath: found.path, flags: host.flags, env, provider });
        setContext(browserVersionEntries(browser));
        const loaded = await host.call('load', [{ engine: spec.engine, provider, settings: pageSettings(settings), io: spec.modelIO?.(bytes) }], startTimeoutMs);
        setContext({ [`${spec.engine}.backend`]: loaded.backend, ...(loaded.threads !== undefined ? { [`${spec.engine}.threads`]: String(loaded.threads) } : {}) });
        return new BrowserSession(host, loaded.inputs, loaded.outputs, loaded.loadMs, { callTimeoutMs }, browser);
      } catch (err) {
        await host.close();
        throw err;
      }
    },
  };
}

/** Settings the page needs: the runtime's own, not the host's. */
function pageSettings(settings: Settings): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (const [k, v] of Object.entries(settings)) {
    if (HOST_SETTINGS.some((h) => h.name === k) || v === undefined || v === null) continue;
    out[k] = v as string | number | boolean;
  }
  return out;
}

function safeVersion(name: string): string | undefined {
  try {
    return packageVersion(name);
  } catch {
    return undefined;
  }
}
