/**
 * The zoo's table: one line per model. Tiny variants use the same builder
 * as their full family with smaller widths and depths, so tests that run a
 * tiny model exercise the real code path.
 */
import type { ZooBuildOptions } from './build-options.js';
import type { ZooBuilder } from './layers.js';
import { BERT_BASE, BERT_SMALL, BERT_TINY, buildBert } from './families/bert.js';
import { buildDenseNet, DENSENET201, DENSENET_TINY } from './families/densenet.js';
import { buildEfficientNet, EFFICIENTNET_B0, EFFICIENTNET_TINY } from './families/efficientnet.js';
import { buildMobileNetV2, MOBILENET_TINY, MOBILENETV2 } from './families/mobilenetv2.js';
import { buildResNet, RESNET50, RESNET_TINY } from './families/resnet.js';
import { buildVgg, VGG19, VGG_TINY } from './families/vgg.js';

export interface ZooDefinition {
  name: string;
  family: string;
  description: string;
  /** Bump when the graph or the weights a name produces change: it is part of the cache key. */
  archVersion: number;
  /** Text models: the sequence length used when none is given. */
  defaultSeq?: number;
  build(opts: ZooBuildOptions): ZooBuilder;
}

const image = (name: string, family: string, description: string, build: (n: string, o: ZooBuildOptions) => ZooBuilder): ZooDefinition =>
  ({ name, family, description, archVersion: 1, build: (o) => build(name, o) });

export const ZOO: readonly ZooDefinition[] = [
  image('resnet50', 'resnet', 'ResNet-50 v1.5, ImageNet 224x224 (torchvision resnet50)', (n, o) => buildResNet(n, RESNET50, o)),
  image('vgg19', 'vgg', 'VGG-19, ImageNet 224x224 (torchvision vgg19)', (n, o) => buildVgg(n, VGG19, o)),
  image('densenet201', 'densenet', 'DenseNet-201, ImageNet 224x224 (torchvision densenet201)', (n, o) => buildDenseNet(n, DENSENET201, o)),
  image('efficientnet-b0', 'efficientnet', 'EfficientNet-B0, ImageNet 224x224 (torchvision efficientnet_b0)', (n, o) => buildEfficientNet(n, EFFICIENTNET_B0, o)),
  image('mobilenetv2', 'mobilenet', 'MobileNetV2 1.0, ImageNet 224x224 (torchvision mobilenet_v2)', (n, o) => buildMobileNetV2(n, MOBILENETV2, o)),
  { name: 'bert-base', family: 'bert', description: 'BERT-base uncased encoder with pooler, 12 layers, hidden 768', archVersion: 1, defaultSeq: BERT_BASE.seq, build: (o) => buildBert('bert-base', BERT_BASE, o) },
  { name: 'bert-small', family: 'bert', description: 'BERT with 4 layers, hidden 256, 4 heads, intermediate 1024', archVersion: 1, defaultSeq: BERT_SMALL.seq, build: (o) => buildBert('bert-small', BERT_SMALL, o) },
  image('resnet-tiny', 'resnet', 'tiny ResNet (bottlenecks 2-1-1-1, 32x32, 10 classes) for tests', (n, o) => buildResNet(n, RESNET_TINY, o)),
  image('vgg-tiny', 'vgg', 'tiny VGG (6 convolutions, 32x32, 10 classes) for tests', (n, o) => buildVgg(n, VGG_TINY, o)),
  image('densenet-tiny', 'densenet', 'tiny DenseNet (growth 4, blocks 2-2-3-2, 32x32, 10 classes) for tests', (n, o) => buildDenseNet(n, DENSENET_TINY, o)),
  image('efficientnet-tiny', 'efficientnet', 'tiny EfficientNet (3 MBConv stages, 32x32, 10 classes) for tests', (n, o) => buildEfficientNet(n, EFFICIENTNET_TINY, o)),
  image('mobilenet-tiny', 'mobilenet', 'tiny MobileNetV2 (3 stages, 32x32, 10 classes) for tests', (n, o) => buildMobileNetV2(n, MOBILENET_TINY, o)),
  { name: 'bert-tiny', family: 'bert', description: 'tiny BERT (2 layers, hidden 32, vocabulary 1000, sequence 16) for tests', archVersion: 1, defaultSeq: BERT_TINY.seq, build: (o) => buildBert('bert-tiny', BERT_TINY, o) },
];
