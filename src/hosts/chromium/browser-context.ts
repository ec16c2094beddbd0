/**
 * The browser a trial's page ran in, typed for the result's context, and the
 * same facts as the runtime's string entries that records have carried since
 * before the typed field (the terminal table and older readers use them).
 */
import type { BrowserContext } from '../../results/types.js';
import type { PageEnvironment } from './page/environment.js';
import { describeGpu, isSoftwareRenderer } from './gpu-label.js';

export function browserContext(opts: { version: string; executablePath: string; flags: string[]; env: PageEnvironment; provider: string }): BrowserContext {
  const { env, provider } = opts;
  const gpuAdapter = describeGpu(env.gpu);
  const softwareGpu = provider === 'webgpu' ? env.gpu.isFallbackAdapter === true || isSoftwareRenderer(gpuAdapter)
    : provider === 'webgl' ? isSoftwareRenderer(env.webglRenderer.renderer) : undefined;
  return {
    name: 'chromium',
    version: opts.version,
    executablePath: opts.executablePath,
    flags: opts.flags,
    crossOriginIsolated: env.crossOriginIsolated,
    gpuAdapter,
    ...(env.gpu.missing ? {} : { isFallbackAdapter: env.gpu.isFallbackAdapter === true }),
    webglRenderer: env.webglRenderer.renderer ?? env.webglRenderer.missing,
    ...(softwareGpu !== undefined ? { softwareGpu } : {}),
  };
}

/** The runtime-version entries for the same facts ('chromium', 'chromium.gpuAdapter', ...). */
export function browserVersionEntries(b: BrowserContext): Record<string, string | undefined> {
  return {
    chromium: b.version,
    'chromium.executable': b.executablePath,
    'chromium.flags': b.flags?.join(' '),
    'chromium.crossOriginIsolated': b.crossOriginIsolated === undefined ? undefined : String(b.crossOriginIsolated),
    'chromium.gpuAdapter': b.gpuAdapter,
    'chromium.adapter.isFallbackAdapter': b.isFallbackAdapter === undefined ? undefined : String(b.isFallbackAdapter),
    'chromium.webglRenderer': b.webglRenderer,
    ...(b.softwareGpu !== undefined ? { 'chromium.gpu': b.softwareGpu ? 'software-emulated (SwiftShader on the CPU): the path works; the speed does not describe a GPU' : 'hardware' } : {}),
  };
}
