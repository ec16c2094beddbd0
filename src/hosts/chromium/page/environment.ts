/**
 * What the page can see of its graphics stack: the WebGPU adapter (and
 * whether it is a fallback, i.e. software, adapter) and the WebGL renderer
 * string. Without a GPU both are SwiftShader, the CPU emulating a GPU, which
 * every result on them must say.
 */
export interface GpuAdapterInfo {
  /** Why there is no adapter, when there is none. */
  missing?: string;
  vendor?: string;
  architecture?: string;
  device?: string;
  description?: string;
  isFallbackAdapter?: boolean;
}

export interface PageEnvironment {
  userAgent: string;
  crossOriginIsolated: boolean;
  webassembly: boolean;
  /** UNMASKED_RENDERER_WEBGL, or why WebGL is unavailable. */
  webglRenderer: { renderer?: string; missing?: string };
  gpu: GpuAdapterInfo;
}

interface AdapterLike {
  info?: Record<string, unknown>;
  isFallbackAdapter?: boolean;
  requestAdapterInfo?: () => Promise<Record<string, unknown>>;
}

export async function gpuAdapterInfo(): Promise<GpuAdapterInfo> {
  const gpu = (globalThis as unknown as { navigator: { gpu?: { requestAdapter(): Promise<AdapterLike | null> } } }).navigator.gpu;
  if (!gpu) return { missing: 'navigator.gpu is undefined (WebGPU is off in this browser; infermark starts it with --enable-unsafe-webgpu)' };
  const adapter = await gpu.requestAdapter();
  if (!adapter) return { missing: 'requestAdapter() returned no adapter' };
  const info = adapter.info ?? (await adapter.requestAdapterInfo?.()) ?? {};
  const str = (k: string) => (typeof info[k] === 'string' && info[k] !== '' ? String(info[k]) : undefined);
  const fallback = typeof info.isFallbackAdapter === 'boolean' ? info.isFallbackAdapter : adapter.isFallbackAdapter;
  return { vendor: str('vendor'), architecture: str('architecture'), device: str('device'), description: str('description'), isFallbackAdapter: fallback === true };
}

export function webglRenderer(): { renderer?: string; missing?: string } {
  const doc = (globalThis as unknown as { document: { createElement(tag: string): { getContext(kind: string): unknown } } }).document;
  const canvas = doc.createElement('canvas');
  const gl = (canvas.getContext('webgl2') ?? canvas.getContext('webgl')) as
    | { getExtension(n: string): { UNMASKED_RENDERER_WEBGL: number } | null; getParameter(p: number): unknown; RENDERER: number }
    | null;
  if (!gl) return { missing: 'no WebGL context' };
  const ext = gl.getExtension('WEBGL_debug_renderer_info');
  return { renderer: String(gl.getParameter(ext ? ext.UNMASKED_RENDERER_WEBGL : gl.RENDERER)) };
}
