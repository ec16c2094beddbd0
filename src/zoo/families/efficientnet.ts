/** EfficientNet with MBConv blocks and squeeze-and-excitation (torchvision efficientnet_b0). */
import type { ZooBuildOptions } from '../build-options.js';
import { ZooBuilder, type FeatureMap } from '../layers.js';
import { imageInput, LOGITS_OUTPUT, logitsOutput } from './image-io.js';

export interface MBConvStage {
  expand: number;
  kernel: number;
  stride: number;
  out: number;
  layers: number;
}

export interface EfficientNetConfig {
  image: number;
  stem: number;
  stages: MBConvStage[];
  head: number;
  classes: number;
}

/** torchvision's EfficientNet batch norm epsilon. */
const BN_EPS = 1e-3;

export const EFFICIENTNET_B0: EfficientNetConfig = {
  image: 224,
  stem: 32,
  stages: [
    { expand: 1, kernel: 3, stride: 1, out: 16, layers: 1 },
    { expand: 6, kernel: 3, stride: 2, out: 24, layers: 2 },
    { expand: 6, kernel: 5, stride: 2, out: 40, layers: 2 },
    { expand: 6, kernel: 3, stride: 2, out: 80, layers: 3 },
    { expand: 6, kernel: 5, stride: 1, out: 112, layers: 3 },
    { expand: 6, kernel: 5, stride: 2, out: 192, layers: 4 },
    { expand: 6, kernel: 3, stride: 1, out: 320, layers: 1 },
  ],
  head: 1280,
  classes: 1000,
};

export const EFFICIENTNET_TINY: EfficientNetConfig = {
  image: 32,
  stem: 8,
  stages: [
    { expand: 1, kernel: 3, stride: 1, out: 8, layers: 1 },
    { expand: 4, kernel: 3, stride: 2, out: 12, layers: 2 },
    { expand: 4, kernel: 5, stride: 2, out: 16, layers: 1 },
  ],
  head: 32,
  classes: 10,
};

function convBnAct(zb: ZooBuilder, x: FeatureMap, prefix: string, out: number, kernel: number, stride: number, groups: number, act: boolean): FeatureMap {
  const y = zb.batchNorm(zb.conv(x, `${prefix}.0`, { out, kernel, stride, groups }), `${prefix}.1`, BN_EPS);
  return act ? zb.silu(y) : y;
}

function squeezeExcite(zb: ZooBuilder, x: FeatureMap, prefix: string, squeeze: number): FeatureMap {
  const s = zb.globalAvgPool(x);
  const fc1 = zb.silu(zb.conv(s, `${prefix}.fc1`, { out: squeeze, kernel: 1, bias: true }));
  const gate = zb.unary('Sigmoid', zb.conv(fc1, `${prefix}.fc2`, { out: x.channels, kernel: 1, bias: true, init: 'glorot' }));
  return { ...x, v: zb.g.node('Mul', [x.v, gate.v]) };
}

function mbconv(zb: ZooBuilder, x: FeatureMap, prefix: string, st: MBConvStage, stride: number): FeatureMap {
  const expanded = x.channels * st.expand;
  let y = x;
  let k = 0;
  if (st.expand !== 1) y = convBnAct(zb, y, `${prefix}.block.${k++}`, expanded, 1, 1, 1, true);
  y = convBnAct(zb, y, `${prefix}.block.${k++}`, expanded, st.kernel, stride, expanded, true);
  y = squeezeExcite(zb, y, `${prefix}.block.${k++}`, Math.max(1, Math.floor(x.channels / 4)));
  y = convBnAct(zb, y, `${prefix}.block.${k++}`, st.out, 1, 1, 1, false);
  // Stochastic depth is an identity at inference.
  return stride === 1 && x.channels === st.out ? zb.add(y, x) : y;
}

export function buildEfficientNet(name: string, cfg: EfficientNetConfig, opts: ZooBuildOptions): ZooBuilder {
  const zb = new ZooBuilder(name, opts.seed, opts.opset);
  let x = imageInput(zb, cfg.image, opts);
  x = convBnAct(zb, x, 'features.0', cfg.stem, 3, 2, 1, true);
  cfg.stages.forEach((st, s) => {
    for (let l = 0; l < st.layers; l++) x = mbconv(zb, x, `features.${s + 1}.${l}`, st, l === 0 ? st.stride : 1);
  });
  x = convBnAct(zb, x, `features.${cfg.stages.length + 1}`, cfg.head, 1, 1, 1, true);
  const flat = zb.flatten(zb.globalAvgPool(x));
  logitsOutput(zb, zb.linear(flat.v, 'classifier.1', flat.features, cfg.classes, 'glorot', LOGITS_OUTPUT), cfg.classes, opts);
  return zb;
}
