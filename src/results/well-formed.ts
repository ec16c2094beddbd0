/**
 * Whether a record read from a results file is a trial result the rest of infermark can use: the fields
 * every reader dereferences, with their types. A JSON Lines file may come from anywhere (`import`,
 * `--resume`); a record without them would crash a report or an estimate long after it was read.
 */
import type { LatencySummary } from './types.js';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

const LATENCY_FIELDS: (keyof LatencySummary)[] = ['median', 'mean', 'p90', 'p95', 'p99', 'min', 'max', 'stddev', 'mad', 'ciLow', 'ciHigh'];

/** Pure: what is wrong with the record (the first field found), or undefined when it is a well-formed result. */
export function resultProblem(rec: unknown): string | undefined {
  if (!isObject(rec)) return 'not a JSON object';
  for (const field of ['key', 'runtime', 'provider', 'scenario'] as const) {
    if (typeof rec[field] !== 'string') return `${field} must be a string`;
  }
  if (!['ok', 'failed', 'skipped'].includes(rec.status as string)) return `status ${JSON.stringify(rec.status)} is not ok, failed or skipped`;
  if (!isObject(rec.settings) || !Object.values(rec.settings).every((v) => ['string', 'number', 'boolean'].includes(typeof v))) return 'settings must be an object of strings, numbers and booleans';
  if (!Number.isInteger(rec.batchSize) || (rec.batchSize as number) < 1) return 'batchSize must be a positive integer';
  if (!isObject(rec.model) || typeof rec.model.path !== 'string') return 'model.path must be a string';
  if (!Array.isArray(rec.warnings)) return 'warnings must be a list';
  if (rec.context !== undefined && !isObject(rec.context)) return 'context must be an object';
  if (rec.status === 'failed') return isObject(rec.error) && typeof rec.error.message === 'string' ? undefined : 'a failed result needs error.message';
  if (rec.status === 'skipped') return typeof rec.reason === 'string' ? undefined : 'a skipped result needs a reason';
  if (!isObject(rec.latencyMs)) return 'an ok result needs latencyMs';
  const latency = rec.latencyMs;
  const missing = LATENCY_FIELDS.find((f) => !isNumber(latency[f]));
  if (missing) return `latencyMs.${missing} must be a number`;
  for (const field of ['throughputPerS', 'loadMs', 'firstInferenceMs', 'measuredS'] as const) {
    if (!isNumber(rec[field]) || (rec[field] as number) < 0) return `${field} must be a number, 0 or more`;
  }
  if (rec.samplesMs !== undefined && !(Array.isArray(rec.samplesMs) && rec.samplesMs.every(isNumber))) return 'samplesMs must be a list of numbers';
  return undefined;
}
