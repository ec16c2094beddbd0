/** DenseNet-BC (torchvision densenet201: growth 32, blocks 6-12-48-32). */
import type { ZooBuildOptions } from '../build-options.js';
import { ZooBuilder, type FeatureMap } from '../layers.js';
import { imageInput, LOGITS_OUTPUT, logitsOutput } from './image-io.js';

export interface DenseNetConfig {
  image: number;
  growth: number;
  blocks: number[];
  /** Channels after the stem. */
  init: number;
  /** Bottleneck width factor: the 1x1 convolution gives bnSize * growth channels. */
  bnSize: number;
  classes: number;
}

export const DENSENET201: DenseNetConfig = { image: 224, growth: 32, blocks: [6, 12, 48, 32], init: 64, bnSize: 4, classes: 1000 };
export const DENSENET_TINY: DenseNetConfig = { image: 32, growth: 4, blocks: [2, 2, 3, 2], init: 8, bnSize: 2, classes: 10 };

function denseLayer(zb: ZooBuilder, features: FeatureMap[], prefix: string, cfg: DenseNetConfig): FeatureMap {
  // Every layer reads the concatenation of all earlier feature maps of its block.
  let y = zb.relu(zb.batchNorm(zb.concat(features), `${prefix}.norm1`));
  y = zb.conv(y, `${prefix}.conv1`, { out: cfg.bnSize * cfg.growth, kernel: 1 });
  y = zb.relu(zb.batchNorm(y, `${prefix}.norm2`));
  return zb.conv(y, `${prefix}.conv2`, { out: cfg.growth, kernel: 3 });
}

export function buildDenseNet(name: string, cfg: DenseNetConfig, opts: ZooBuildOptions): ZooBuilder {
  const zb = new ZooBuilder(name, opts.seed, opts.opset);
  let x = imageInput(zb, cfg.image, opts);
  x = zb.relu(zb.batchNorm(zb.conv(x, 'features.conv0', { out: cfg.init, kernel: 7, stride: 2, pad: 3 }), 'features.norm0'));
  x = zb.maxPool(x, 3, 2, 1);
  cfg.blocks.forEach((layers, b) => {
    const features = [x];
    for (let l = 0; l < layers; l++) features.push(denseLayer(zb, features, `features.denseblock${b + 1}.denselayer${l + 1}`, cfg));
    x = zb.concat(features);
    if (b < cfg.blocks.length - 1) {
      const p = `features.transition${b + 1}`;
      x = zb.conv(zb.relu(zb.batchNorm(x, `${p}.norm`)), `${p}.conv`, { out: Math.floor(x.channels / 2), kernel: 1 });
      x = zb.avgPool(x, 2, 2);
    }
  });
  x = zb.relu(zb.batchNorm(x, 'features.norm5'));
  const flat = zb.flatten(zb.globalAvgPool(x));
  logitsOutput(zb, zb.linear(flat.v, 'classifier', flat.features, cfg.classes, 'glorot', LOGITS_OUTPUT), cfg.classes, opts);
  return zb;
}
