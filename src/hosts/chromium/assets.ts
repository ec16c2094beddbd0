/**
 * Where the page's files come from: infermark's own compiled ES modules and
 * the dist folders of onnxruntime-web and TensorFlow.js in node_modules.
 * Nothing is downloaded. Each URL prefix maps to one folder.
 */
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { packageRoot } from '../../runtimes/package-version.js';

/** dist/src of this very build: the page imports the harness, the loop and the importer from here. */
export const DIST_SRC_DIR = fileURLToPath(new URL('../../', import.meta.url));

export interface AssetRoots {
  /** URL prefix → folder. */
  folders: Record<string, string>;
  /** Classic scripts the tfjs page loads, in order (UMD builds that fill in globalThis.tf). */
  tfjsScripts: string[];
}

let cached: AssetRoots | undefined;

export function assetRoots(): AssetRoots {
  if (cached) return cached;
  const tf = (pkg: string) => join(packageRoot(`@tensorflow/${pkg}`), 'dist');
  cached = {
    folders: {
      '/dist/src/': DIST_SRC_DIR,
      '/ort/': join(packageRoot('onnxruntime-web'), 'dist'),
      '/tfjs/core/': tf('tfjs-core'),
      '/tfjs/cpu/': tf('tfjs-backend-cpu'),
      '/tfjs/wasm/': tf('tfjs-backend-wasm'),
      '/tfjs/webgl/': tf('tfjs-backend-webgl'),
      '/tfjs/webgpu/': tf('tfjs-backend-webgpu'),
    },
    tfjsScripts: [
      '/tfjs/core/tf-core.min.js', '/tfjs/cpu/tf-backend-cpu.min.js', '/tfjs/wasm/tf-backend-wasm.min.js',
      '/tfjs/webgl/tf-backend-webgl.min.js', '/tfjs/webgpu/tf-backend-webgpu.min.js',
    ],
  };
  return cached;
}
