/** The value parsers every flag and plan field shares live in core/parse-values.ts: one duration parser for all. */
export * from '../core/parse-values.js';
