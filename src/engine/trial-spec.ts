/** A trial's spec lives with the other low-level types (core/trial-spec.ts). */
export * from '../core/trial-spec.js';
