/** VGG without batch norm (torchvision vgg19: configuration "E"). */
import type { ZooBuildOptions } from '../build-options.js';
import { ZooBuilder } from '../layers.js';
import { adaptiveAvgPool, imageInput, LOGITS_OUTPUT, logitsOutput } from './image-io.js';

export interface VggConfig {
  image: number;
  /** Convolution widths, 'M' for a 2x2 max pool. */
  layers: (number | 'M')[];
  /** Spatial size after the adaptive average pool (7 in torchvision). */
  pool: number;
  hidden: number;
  classes: number;
}

export const VGG19: VggConfig = {
  image: 224,
  layers: [64, 64, 'M', 128, 128, 'M', 256, 256, 256, 256, 'M', 512, 512, 512, 512, 'M', 512, 512, 512, 512, 'M'],
  pool: 7,
  hidden: 4096,
  classes: 1000,
};
export const VGG_TINY: VggConfig = {
  image: 32, layers: [8, 'M', 16, 'M', 16, 16, 'M', 32, 'M', 32, 'M'], pool: 1, hidden: 32, classes: 10,
};

export function buildVgg(name: string, cfg: VggConfig, opts: ZooBuildOptions): ZooBuilder {
  const zb = new ZooBuilder(name, opts.seed, opts.opset);
  let x = imageInput(zb, cfg.image, opts);
  // Indices follow torchvision's `features` Sequential: conv, relu, ..., pool.
  let index = 0;
  for (const layer of cfg.layers) {
    if (layer === 'M') {
      x = zb.maxPool(x, 2, 2, 0);
      index += 1;
    } else {
      x = zb.relu(zb.conv(x, `features.${index}`, { out: layer, kernel: 3, pad: 1, bias: true }));
      index += 2;
    }
  }
  const flat = zb.flatten(adaptiveAvgPool(zb, x, cfg.pool));
  // Dropout layers are identities at inference and are left out.
  let v = zb.g.node('Relu', [zb.linear(flat.v, 'classifier.0', flat.features, cfg.hidden, 'he')]);
  v = zb.g.node('Relu', [zb.linear(v, 'classifier.3', cfg.hidden, cfg.hidden, 'he')]);
  logitsOutput(zb, zb.linear(v, 'classifier.6', cfg.hidden, cfg.classes, 'glorot', LOGITS_OUTPUT), cfg.classes, opts);
  return zb;
}
