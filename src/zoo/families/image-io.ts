/** Inputs and outputs shared by the image classifiers: `input` [batch, 3, H, W] in, `logits` [batch, classes] out. */
import type { ZooBuildOptions } from '../build-options.js';
import { batchDim, type FeatureMap, type ZooBuilder } from '../layers.js';

export const IMAGE_INPUT = 'input';
export const LOGITS_OUTPUT = 'logits';

export function imageInput(zb: ZooBuilder, image: number, opts: ZooBuildOptions): FeatureMap {
  return { v: zb.g.input(IMAGE_INPUT, 'float32', [batchDim(opts.batch), 3, image, image]), channels: 3, size: image };
}

export function logitsOutput(zb: ZooBuilder, v: string, classes: number, opts: ZooBuildOptions): void {
  zb.g.output(v, 'float32', [batchDim(opts.batch), classes]);
}

/** torchvision's AdaptiveAvgPool2d(pool) for the sizes the zoo meets: identity, or an exact average pool. */
export function adaptiveAvgPool(zb: ZooBuilder, x: FeatureMap, pool: number): FeatureMap {
  if (x.size === pool) return x;
  if (pool === 1) return zb.globalAvgPool(x);
  if (x.size % pool !== 0) throw new Error(`adaptive pooling from ${x.size} to ${pool} is not an exact pooling; pick an image size that gives a multiple of ${pool}`);
  const k = x.size / pool;
  return zb.avgPool(x, k, k);
}
