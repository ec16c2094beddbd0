/** Result types of a conformance run: one entry per (runtime, test case). */

/**
 * pass: every output matched. wrong: ran, but an output differs (shape, type or values).
 * unsupported: the runtime refused the model at session creation because it lacks an operator or type,
 * or the test data holds values infermark's host tensors cannot carry.
 * error: any other failure while loading or running. timeout / crash: the case hung or killed its worker.
 */
export type CaseStatus = 'pass' | 'wrong' | 'unsupported' | 'error' | 'timeout' | 'crash';

export const CASE_STATUSES: CaseStatus[] = ['pass', 'wrong', 'unsupported', 'error', 'timeout', 'crash'];

export interface ConformanceCase {
  /** Folder name, e.g. test_conv_with_strides_padding. */
  name: string;
  dir: string;
  /** The operator the case is about (its model's main op type). */
  operator: string;
}

export interface CaseResult {
  runtime: string;
  test: string;
  operator: string;
  status: CaseStatus;
  /** Why it did not pass; absent on a pass. */
  reason?: string;
  /** Wall time of the case (load + all data sets), milliseconds. */
  wallMs: number;
}

/** Numeric tolerance of the comparison: |actual - expected| <= atol + rtol * |expected|. */
export interface Tolerance {
  rtol: number;
  atol: number;
}

/** The ONNX backend test runner's defaults. */
export const ONNX_TOLERANCE: Tolerance = { rtol: 1e-3, atol: 1e-7 };
