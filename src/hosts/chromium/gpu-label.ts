/** One line describing the page's GPU, saying plainly when it is software (SwiftShader, a fallback adapter). */
import type { GpuAdapterInfo } from './page/environment.js';

export function isSoftwareRenderer(renderer: string | undefined): boolean {
  return /swiftshader|llvmpipe|software/i.test(renderer ?? '');
}

export function describeGpu(gpu: GpuAdapterInfo): string {
  if (gpu.missing) return `none (${gpu.missing})`;
  const name = [gpu.vendor, gpu.architecture, gpu.device, gpu.description].filter(Boolean).join(' ') || 'unnamed adapter';
  const software = gpu.isFallbackAdapter || isSoftwareRenderer(name);
  return `${name}${gpu.isFallbackAdapter ? ', isFallbackAdapter: true' : ''}${software ? ', software-emulated GPU' : ''}`;
}
