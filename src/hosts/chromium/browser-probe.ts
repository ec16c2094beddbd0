/**
 * What this machine's browser offers, asked once per process: its version,
 * whether the page is crossOriginIsolated, WebGL's renderer and the WebGPU
 * adapter. `infermark runtimes` shows it; providers are available or not
 * from it.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { ProviderAvailability } from '../../runtimes/runtime.js';
import { findBrowser } from './browser-path.js';
import { PageHost } from './page-host.js';
import type { PageEnvironment } from './page/environment.js';
import { describeGpu } from './gpu-label.js';

export interface BrowserProbe {
  executablePath?: string;
  /** Why no browser page could be opened. */
  missing?: string;
  version?: string;
  env?: PageEnvironment;
}

let probed: Promise<BrowserProbe> | undefined;

export function probeBrowser(): Promise<BrowserProbe> {
  probed ??= (async (): Promise<BrowserProbe> => {
    const found = findBrowser();
    if ('reason' in found) return { missing: found.reason };
    let host: PageHost | undefined;
    try {
      host = await PageHost.open({ engine: 'ort', executablePath: found.path, files: {}, startTimeoutMs: 30_000 });
      const env = await host.call('environment', [], 30_000);
      return { executablePath: found.path, version: host.browserVersion, env };
    } catch (err) {
      return { executablePath: found.path, missing: `the browser at ${found.path} could not open a page: ${(err as Error).message.split('\n')[0]}` };
    } finally {
      await host?.close();
    }
  })();
  return probed;
}

/** The probe if this process has started one (as `infermark runtimes` does); a trial's runner never does. */
export function probeIfStarted(): Promise<BrowserProbe> | undefined {
  return probed;
}

/** The browser's version from `--version`, cheaply, without opening a page. */
export async function browserVersionLine(executablePath: string): Promise<string | undefined> {
  try {
    const { stdout } = await promisify(execFile)(executablePath, ['--version'], { timeout: 10_000 });
    return /(\d+\.\d+\.\d+\.\d+)/.exec(stdout)?.[1];
  } catch {
    return undefined;
  }
}

/** Availability of each provider from the probe. `needs` says what each provider needs of the page. */
export function providerAvailability(probe: BrowserProbe, providers: Record<string, 'wasm' | 'webgl' | 'webgpu' | 'none'>): ProviderAvailability[] {
  return Object.entries(providers).map(([name, need]): ProviderAvailability => {
    if (probe.missing || !probe.env) return { name, available: false, reason: probe.missing ?? 'the browser page did not answer' };
    const env = probe.env;
    if (need === 'wasm' && !env.webassembly) return { name, available: false, reason: 'the page has no WebAssembly' };
    if (need === 'webgl' && env.webglRenderer.missing) return { name, available: false, reason: `no WebGL in the page: ${env.webglRenderer.missing}` };
    if (need === 'webgpu' && env.gpu.missing) return { name, available: false, reason: `no WebGPU adapter: ${env.gpu.missing}` };
    if (need === 'webgpu' && env.gpu.isFallbackAdapter) return { name, available: true, reason: `fallback adapter only (${describeGpu(env.gpu)}): it proves the path works, its speed does not describe a GPU` };
    return { name, available: true };
  });
}
