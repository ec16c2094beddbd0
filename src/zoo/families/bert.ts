/** BERT encoder with pooler (bert-base-uncased layout: post-LN, exact GELU, tanh pooler). */
import type { ZooBuildOptions } from '../build-options.js';
import { batchDim, ZooBuilder } from '../layers.js';
import { int64 } from '../../onnx/tensors.js';
import { EMBEDDING_BOUND, uniformTensor } from '../weights.js';

export interface BertConfig {
  vocab: number;
  hidden: number;
  layers: number;
  heads: number;
  intermediate: number;
  maxPositions: number;
  typeVocab: number;
  /** Default sequence length (tokens) when the build options give none. */
  seq: number;
}

const LN_EPS = 1e-12;
/** Added to attention scores of masked tokens (the classic BERT constant: finite, so no NaN on all-masked rows). */
const MASK_VALUE = -10000;

export const BERT_BASE: BertConfig = { vocab: 30522, hidden: 768, layers: 12, heads: 12, intermediate: 3072, maxPositions: 512, typeVocab: 2, seq: 128 };
export const BERT_SMALL: BertConfig = { vocab: 30522, hidden: 256, layers: 4, heads: 4, intermediate: 1024, maxPositions: 512, typeVocab: 2, seq: 128 };
export const BERT_TINY: BertConfig = { vocab: 1000, hidden: 32, layers: 2, heads: 2, intermediate: 64, maxPositions: 64, typeVocab: 2, seq: 16 };

export const BERT_INPUTS = ['input_ids', 'attention_mask', 'token_type_ids'] as const;

function embedding(zb: ZooBuilder, name: string, rows: number, width: number): string {
  return zb.param(name, uniformTensor(zb.seed, name, [rows, width], -EMBEDDING_BOUND, EMBEDDING_BOUND));
}

/** [B, S, H] -> [B, heads, S, dh], or [B, heads, dh, S] for keys (so scores are one MatMul). */
function splitHeads(zb: ZooBuilder, v: string, cfg: BertConfig, keys: boolean): string {
  const shaped = zb.g.node('Reshape', [v, zb.ints('heads_shape', [0, 0, cfg.heads, cfg.hidden / cfg.heads])]);
  return zb.g.node('Transpose', [shaped], { perm: keys ? [0, 2, 3, 1] : [0, 2, 1, 3] });
}

function selfAttention(zb: ZooBuilder, x: string, mask: string, prefix: string, cfg: BertConfig): string {
  const h = cfg.hidden;
  const q = splitHeads(zb, zb.dense(x, `${prefix}.self.query`, h, h), cfg, false);
  const k = splitHeads(zb, zb.dense(x, `${prefix}.self.key`, h, h), cfg, true);
  const v = splitHeads(zb, zb.dense(x, `${prefix}.self.value`, h, h), cfg, false);
  const scores = zb.g.node('Div', [zb.g.node('MatMul', [q, k]), zb.scalar(Math.sqrt(h / cfg.heads))]);
  const probs = zb.g.node('Softmax', [zb.g.node('Add', [scores, mask])], { axis: -1 });
  const context = zb.g.node('Transpose', [zb.g.node('MatMul', [probs, v])], { perm: [0, 2, 1, 3] });
  const merged = zb.g.node('Reshape', [context, zb.ints('merge_shape', [0, 0, h])]);
  const out = zb.dense(merged, `${prefix}.output.dense`, h, h);
  return zb.layerNorm(zb.g.node('Add', [out, x]), `${prefix}.output.LayerNorm`, h, LN_EPS);
}

function encoderLayer(zb: ZooBuilder, x: string, mask: string, prefix: string, cfg: BertConfig): string {
  const attended = selfAttention(zb, x, mask, `${prefix}.attention`, cfg);
  const inner = zb.gelu(zb.dense(attended, `${prefix}.intermediate.dense`, cfg.hidden, cfg.intermediate));
  const out = zb.dense(inner, `${prefix}.output.dense`, cfg.intermediate, cfg.hidden);
  return zb.layerNorm(zb.g.node('Add', [out, attended]), `${prefix}.output.LayerNorm`, cfg.hidden, LN_EPS);
}

export function buildBert(name: string, cfg: BertConfig, opts: ZooBuildOptions): ZooBuilder {
  const seq = opts.seq ?? cfg.seq;
  if (!Number.isInteger(seq) || seq < 1 || seq > cfg.maxPositions) {
    throw new RangeError(`sequence length ${seq} is out of range for ${name}; allowed: 1..${cfg.maxPositions}`);
  }
  const zb = new ZooBuilder(name, opts.seed, opts.opset);
  const g = zb.g;
  const shape = [batchDim(opts.batch), seq];
  const [ids, maskIn, types] = BERT_INPUTS.map((n) => g.input(n, 'int64', shape));

  const words = g.node('Gather', [embedding(zb, 'embeddings.word_embeddings.weight', cfg.vocab, cfg.hidden), ids], { axis: 0 });
  const typeRows = g.node('Gather', [embedding(zb, 'embeddings.token_type_embeddings.weight', cfg.typeVocab, cfg.hidden), types], { axis: 0 });
  const positionIds = zb.buffer('embeddings.position_ids', int64(Array.from({ length: seq }, (_, i) => i)));
  const positions = g.node('Gather', [embedding(zb, 'embeddings.position_embeddings.weight', cfg.maxPositions, cfg.hidden), positionIds], { axis: 0 });
  let x = zb.layerNorm(g.node('Add', [g.node('Add', [words, typeRows]), positions]), 'embeddings.LayerNorm', cfg.hidden, LN_EPS);

  // (1 - mask) * -10000, shaped [B, 1, 1, S] to broadcast over heads and query positions.
  const maskFloat = g.node('Cast', [maskIn], { to: 1 /* FLOAT */ });
  const blocked = g.node('Mul', [g.node('Sub', [zb.scalar(1), maskFloat]), zb.scalar(MASK_VALUE)]);
  const mask = g.node('Unsqueeze', [blocked, zb.ints('mask_axes', [1, 2])]);

  for (let l = 0; l < cfg.layers; l++) x = encoderLayer(zb, x, mask, `encoder.layer.${l}`, cfg);
  const last = g.node('Identity', [x], {}, { outputs: ['last_hidden_state'] });

  const first = g.node('Gather', [last, zb.buffer('pooler.first_token', int64([0], []))], { axis: 1 });
  const pooled = g.node('Tanh', [zb.linear(first, 'pooler.dense', cfg.hidden, cfg.hidden, 'glorot')], {}, { outputs: ['pooler_output'] });
  g.output(last, 'float32', [...shape, cfg.hidden]);
  g.output(pooled, 'float32', [batchDim(opts.batch), cfg.hidden]);
  return zb;
}
