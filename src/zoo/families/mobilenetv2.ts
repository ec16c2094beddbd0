/** MobileNetV2 with inverted residuals and linear bottlenecks (torchvision mobilenet_v2, width 1.0). */
import type { ZooBuildOptions } from '../build-options.js';
import { ZooBuilder, type FeatureMap } from '../layers.js';
import { imageInput, LOGITS_OUTPUT, logitsOutput } from './image-io.js';

export interface InvertedResidualStage {
  /** Expansion factor t. */
  expand: number;
  /** Output channels c. */
  out: number;
  /** Repeats n. */
  layers: number;
  /** Stride s of the first repeat. */
  stride: number;
}

export interface MobileNetV2Config {
  image: number;
  stem: number;
  stages: InvertedResidualStage[];
  last: number;
  classes: number;
}

const stage = (expand: number, out: number, layers: number, stride: number): InvertedResidualStage => ({ expand, out, layers, stride });

export const MOBILENETV2: MobileNetV2Config = {
  image: 224,
  stem: 32,
  stages: [stage(1, 16, 1, 1), stage(6, 24, 2, 2), stage(6, 32, 3, 2), stage(6, 64, 4, 2), stage(6, 96, 3, 1), stage(6, 160, 3, 2), stage(6, 320, 1, 1)],
  last: 1280,
  classes: 1000,
};

export const MOBILENET_TINY: MobileNetV2Config = {
  image: 32, stem: 8, stages: [stage(1, 8, 1, 1), stage(4, 12, 2, 2), stage(4, 16, 2, 2)], last: 32, classes: 10,
};

function convBnRelu6(zb: ZooBuilder, x: FeatureMap, prefix: string, out: number, kernel: number, stride: number, groups: number): FeatureMap {
  return zb.relu6(zb.batchNorm(zb.conv(x, `${prefix}.0`, { out, kernel, stride, groups }), `${prefix}.1`));
}

function invertedResidual(zb: ZooBuilder, x: FeatureMap, prefix: string, expand: number, out: number, stride: number): FeatureMap {
  const hidden = Math.round(x.channels * expand);
  let y = x;
  let k = 0;
  if (expand !== 1) y = convBnRelu6(zb, y, `${prefix}.conv.${k++}`, hidden, 1, 1, 1);
  y = convBnRelu6(zb, y, `${prefix}.conv.${k++}`, hidden, 3, stride, hidden);
  y = zb.batchNorm(zb.conv(y, `${prefix}.conv.${k}`, { out, kernel: 1 }), `${prefix}.conv.${k + 1}`);
  return stride === 1 && x.channels === out ? zb.add(y, x) : y;
}

export function buildMobileNetV2(name: string, cfg: MobileNetV2Config, opts: ZooBuildOptions): ZooBuilder {
  const zb = new ZooBuilder(name, opts.seed, opts.opset);
  let x = imageInput(zb, cfg.image, opts);
  x = convBnRelu6(zb, x, 'features.0', cfg.stem, 3, 2, 1);
  let index = 1;
  for (const st of cfg.stages) {
    for (let l = 0; l < st.layers; l++) x = invertedResidual(zb, x, `features.${index++}`, st.expand, st.out, l === 0 ? st.stride : 1);
  }
  x = convBnRelu6(zb, x, `features.${index}`, cfg.last, 1, 1, 1);
  const flat = zb.flatten(zb.globalAvgPool(x));
  logitsOutput(zb, zb.linear(flat.v, 'classifier.1', flat.features, cfg.classes, 'glorot', LOGITS_OUTPUT), cfg.classes, opts);
  return zb;
}
