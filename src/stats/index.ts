/** Statistics over raw samples: pure functions, importing nothing above results types and the PRNG. */
export { quantile, median, medianOfSorted, sortedCopy } from './quantile.js';
export { medianCI, medianCIRank, EXACT_BINOMIAL_MAX_N } from './median-ci.js';
export { mad, modifiedZScores, outlierCount, OUTLIER_Z_THRESHOLD } from './robust.js';
export { summarize, ciRelHalfWidth, mean, sampleStddev, SUMMARY_CONFIDENCE } from './summary.js';
export { latencyWarnings, HIGH_CV, HIGH_OUTLIER_SHARE, SLOW_FIRST_RUN_FACTOR, MIN_TIMER_STEPS } from './warnings.js';
export type { LatencyWarningInput } from './warnings.js';
export { mannWhitney } from './mann-whitney.js';
export { bootstrapRatioCI, bootstrapRatioOfSumsCI, BOOTSTRAP_DEFAULT_ITERATIONS, BOOTSTRAP_DEFAULT_SEED } from './bootstrap.js';
export { meanCI } from './mean-ci.js';
export { studentTCritical, studentTTwoSidedCdf, CORNISH_FISHER_MIN_DF } from './student-t.js';
export { normalCdf, normalSf, normalPdf, normalQuantile } from './normal.js';
export { boundedMeanCI, MIN_VALUES_FOR_INTERVAL } from './bounded-ci.js';
export type { BoundedMeanCI } from './bounded-ci.js';
