/** The machine's idle power, measured once before a sweep and subtracted per trial. */
import type { EnergyReading, EnergySource } from '../results/types.js';

export type EnergyDomain = EnergyReading['domain'];

export interface IdlePower {
  domain: EnergyDomain;
  source: EnergySource;
  /** Average power over the idle window, watts. */
  powerW: number;
}

export interface IdleBaseline {
  /** Length of the idle window, seconds. */
  windowS: number;
  domains: IdlePower[];
  /** Why a domain has no baseline, by source name. */
  unavailable?: Record<string, string>;
}

/** Idle watts of a domain as measured by the same source, or undefined. */
export function idlePowerW(baseline: IdleBaseline | undefined, domain: EnergyDomain, source: EnergySource): number | undefined {
  if (!baseline) return undefined;
  // Any sensor of the same domain will do (nvml-energy and nvml-power read the
  // same board), but a measured baseline is never taken off an estimate.
  const measured = source !== 'estimate';
  return baseline.domains.find((d) => d.domain === domain && (d.source !== 'estimate') === measured)?.powerW;
}

/** Energy minus idle power over the window; never below zero. */
export function dynamicEnergyJ(energyJ: number, idleW: number, windowS: number): number {
  return Math.max(0, energyJ - idleW * windowS);
}
