/** Every ONNX operator the TensorFlow.js importer maps, by op type (default ONNX domain). */
import { CONSTANT_OPS } from './constants.js';
import { CONV_OPS } from './conv.js';
import { CONV_TRANSPOSE_OPS } from './conv-transpose.js';
import { DETECTION_OPS } from './detection.js';
import { ELEMENTWISE_OPS } from './elementwise.js';
import { INDEXING_OPS } from './indexing.js';
import { GRID_SAMPLE_OPS } from './grid-sample.js';
import { INTEGER_OPS } from './integer.js';
import { LOSS_OPS } from './loss.js';
import { MATH_OPS } from './math.js';
import { MATMUL_OPS } from './matmul.js';
import { NORMALIZATION_OPS } from './normalization.js';
import { POOL_OPS } from './pool.js';
import { REDUCE_OPS } from './reduce.js';
import { MATRIX_OPS } from './matrix.js';
import { SELECT_OPS } from './select.js';
import { RESIZE_OPS } from './resize.js';
import { QUANTIZE_OPS } from './quantize.js';
import { RECURRENT_OPS } from './recurrent.js';
import { REARRANGE_OPS } from './rearrange.js';
import { SIGNAL_OPS } from './signal.js';
import { NORM_EXTRA_OPS } from './norm-extra.js';
import { SCATTER_OPS } from './scatter.js';
import { SHAPE_OPS } from './shape.js';
import { STRING_OPS } from './strings.js';
import type { OpTable } from './types.js';

export const OPS: OpTable = {
  ...CONV_OPS, ...CONV_TRANSPOSE_OPS, ...POOL_OPS, ...NORMALIZATION_OPS, ...ELEMENTWISE_OPS, ...DETECTION_OPS, ...MATH_OPS, ...LOSS_OPS, ...INTEGER_OPS, ...GRID_SAMPLE_OPS, ...MATMUL_OPS,
  ...REDUCE_OPS, ...SHAPE_OPS, ...INDEXING_OPS, ...SCATTER_OPS, ...NORM_EXTRA_OPS, ...QUANTIZE_OPS, ...REARRANGE_OPS, ...RECURRENT_OPS, ...SIGNAL_OPS, ...RESIZE_OPS, ...MATRIX_OPS, ...SELECT_OPS, ...CONSTANT_OPS,
  ...STRING_OPS,
};

export function supportedOpTypes(): string[] {
  return Object.keys(OPS).sort();
}
