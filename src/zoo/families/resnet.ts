/** ResNet with bottleneck blocks (torchvision resnet50: v1.5, stride on the 3x3 convolution). */
import type { ZooBuildOptions } from '../build-options.js';
import { ZooBuilder, type FeatureMap } from '../layers.js';
import { imageInput, LOGITS_OUTPUT, logitsOutput } from './image-io.js';

export interface ResNetConfig {
  image: number;
  stem: number;
  /** Bottleneck blocks per stage. */
  blocks: number[];
  /** Bottleneck inner width per stage; a block's output is 4x this. */
  widths: number[];
  classes: number;
}

const EXPANSION = 4;

export const RESNET50: ResNetConfig = { image: 224, stem: 64, blocks: [3, 4, 6, 3], widths: [64, 128, 256, 512], classes: 1000 };
export const RESNET_TINY: ResNetConfig = { image: 32, stem: 8, blocks: [2, 1, 1, 1], widths: [4, 8, 8, 16], classes: 10 };

function bottleneck(zb: ZooBuilder, x: FeatureMap, prefix: string, width: number, stride: number): FeatureMap {
  let y = zb.relu(zb.batchNorm(zb.conv(x, `${prefix}.conv1`, { out: width, kernel: 1 }), `${prefix}.bn1`));
  y = zb.relu(zb.batchNorm(zb.conv(y, `${prefix}.conv2`, { out: width, kernel: 3, stride }), `${prefix}.bn2`));
  y = zb.batchNorm(zb.conv(y, `${prefix}.conv3`, { out: width * EXPANSION, kernel: 1 }), `${prefix}.bn3`);
  let identity = x;
  if (stride !== 1 || x.channels !== width * EXPANSION) {
    identity = zb.batchNorm(zb.conv(x, `${prefix}.downsample.0`, { out: width * EXPANSION, kernel: 1, stride }), `${prefix}.downsample.1`);
  }
  return zb.relu(zb.add(y, identity));
}

export function buildResNet(name: string, cfg: ResNetConfig, opts: ZooBuildOptions): ZooBuilder {
  const zb = new ZooBuilder(name, opts.seed, opts.opset);
  let x = imageInput(zb, cfg.image, opts);
  x = zb.relu(zb.batchNorm(zb.conv(x, 'conv1', { out: cfg.stem, kernel: 7, stride: 2, pad: 3 }), 'bn1'));
  x = zb.maxPool(x, 3, 2, 1);
  cfg.blocks.forEach((count, stage) => {
    for (let b = 0; b < count; b++) {
      x = bottleneck(zb, x, `layer${stage + 1}.${b}`, cfg.widths[stage], b === 0 && stage > 0 ? 2 : 1);
    }
  });
  const flat = zb.flatten(zb.globalAvgPool(x));
  logitsOutput(zb, zb.linear(flat.v, 'fc', flat.features, cfg.classes, 'glorot', LOGITS_OUTPUT), cfg.classes, opts);
  return zb;
}
