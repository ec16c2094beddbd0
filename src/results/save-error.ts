/**
 * A sweep stopped because a finished trial could not be saved (a full disk,
 * an I/O error). It carries every result the sweep had, so the command can
 * still print its table and say exactly which trials are where.
 */
import type { TrialResult } from './types.js';
import type { JsonlWriteError } from './jsonl.js';

export class SweepStoppedError extends Error {
  constructor(readonly cause: JsonlWriteError, readonly results: TrialResult[]) {
    super(cause.message);
    this.name = 'SweepStoppedError';
  }
}
