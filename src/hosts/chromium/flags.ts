/** The command-line flags every browser trial starts with, each with its reason. */
export const BASE_FLAGS: readonly string[] = [
  // WebGPU is behind this flag on Linux; without it navigator.gpu has no adapter.
  '--enable-unsafe-webgpu',
  // Exact (not bucketed) performance.memory figures.
  '--enable-precise-memory-info',
  // Chromium refuses WebGL on its software rasteriser unless told that is intended (the case without a GPU).
  '--enable-unsafe-swiftshader',
  // Nothing may reach the network: no update checks, sync, field trials or first-run pages.
  '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run',
  '--disable-default-apps', '--disable-domain-reliability', '--metrics-recording-only',
  // No spare renderer kept warm: the page's renderer is then the only web-content renderer, so its memory is the page's.
  '--disable-features=SpareRendererForSitePerProcess',
  // A page in a background tab would be throttled; the benchmark tab must never be.
  '--disable-background-timer-throttling', '--disable-renderer-backgrounding', '--disable-backgrounding-occluded-windows',
];

/** Chromium's sandbox cannot start as root (containers, CI): there it must be off. */
export function browserFlags(extra: readonly string[] = [], isRoot = process.getuid?.() === 0): string[] {
  return [...BASE_FLAGS, ...(isRoot ? ['--no-sandbox'] : []), ...extra];
}
