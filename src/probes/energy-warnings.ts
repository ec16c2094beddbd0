/** Warnings shared by the energy probes. */
import type { BenchWarning } from '../results/types.js';

/** A window shorter than the sensor's update period is mostly noise. */
export function windowShortWarning(sensor: string, windowMs: number, minWindowMs: number): BenchWarning {
  return {
    code: 'energy-window-short',
    message: `the measured window (${windowMs.toFixed(0)} ms) is shorter than ${sensor} needs (${minWindowMs} ms): its energy figure is mostly noise`,
    remedy: `raise --min-time to at least ${Math.ceil(minWindowMs / 1000)}s`,
  };
}
