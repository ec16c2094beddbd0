/** Seeded inputs are synthesised in the runner (runner/inputs.ts); the parent reads the same rules. */
export * from '../runner/inputs.js';
