/**
 * The probe set of a trial, the idle baseline, and folding probe outputs into
 * a result's figures. Probes know nothing of reports; this is their front door.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { performance } from 'node:perf_hooks';
import type { Probe, ProbeOutput } from './probe.js';
import type { IdleBaseline, IdlePower } from './baseline.js';
import { ProcessTreeProbe } from './proc-tree.js';
import { RaplProbe } from './rapl.js';
import { discoverRaplZones, type RaplDiscovery } from './rapl-zones.js';
import { NvmlProbe } from './nvml.js';
import { sharedNvmlSession, type NvmlSession } from './nvml-session.js';
import { NvidiaSmiProbe, nvidiaSmiAvailable } from './nvidia-smi.js';
import { EstimateProbe } from './estimate.js';
import { ClockProbe } from './clock.js';

export type { Probe, ProbeOutput, ProbeTarget } from './probe.js';
export type { IdleBaseline, IdlePower } from './baseline.js';
export { combineProbeOutputs, type CombineContext, type CombinedProbeFigures, type EnergyFiguresWithDynamic } from './combine.js';
export { parseDurationMs } from '../core/parse-values.js';
export { ProcessTreeProbe, DEFAULT_SAMPLE_INTERVAL_MS } from './proc-tree.js';
export { DEFAULT_WATTS_PER_CORE, ESTIMATE_MODEL_NAME } from './estimate.js';
export { detectCapabilities, type Capabilities } from './capabilities.js';

export interface ProbeOptions {
  /** How often power and memory are sampled, milliseconds. */
  sampleIntervalMs: number;
  /** auto: sensors where present; off: no energy probes; estimate: a labelled model where no CPU sensor exists. */
  energy: 'auto' | 'off' | 'estimate';
  baseline?: IdleBaseline;
  /** Watts per fully busy core for the estimate. */
  cpuWattsPerCore?: number;
}

/** Which sensors this process can use; found once, since they do not come and go between trials. */
interface Sensors {
  rapl: RaplDiscovery;
  nvml: NvmlSession;
  nvidiaSmi: boolean;
}

let sensors: Sensors | undefined;

function findSensors(): Sensors {
  if (!sensors) {
    const nvml = sharedNvmlSession();
    sensors = {
      rapl: discoverRaplZones(),
      nvml,
      // The command is only a fallback for a missing library, not for a machine without GPUs.
      nvidiaSmi: !nvml.ok && nvml.libraryMissing && nvidiaSmiAvailable(),
    };
  }
  return sensors;
}

function energyProbes(opts: ProbeOptions, s: Sensors): Probe[] {
  const probes: Probe[] = [];
  if (s.rapl.ok) probes.push(new RaplProbe({ discovery: s.rapl, sampleIntervalMs: opts.sampleIntervalMs, baseline: opts.baseline }));
  if (s.nvml.ok) probes.push(new NvmlProbe({ nvml: s.nvml.nvml, deviceCount: s.nvml.deviceCount, sampleIntervalMs: opts.sampleIntervalMs, baseline: opts.baseline }));
  else if (s.nvidiaSmi) probes.push(new NvidiaSmiProbe({ sampleIntervalMs: opts.sampleIntervalMs, baseline: opts.baseline }));
  return probes;
}

/** Reports, once per trial, why a sensor gave nothing, so the result says so. */
function unavailableProbe(reasons: Record<string, string>): Probe {
  return {
    name: 'energy-sensors',
    attach() {},
    windowStart() {},
    windowEnd() {},
    async finish(): Promise<ProbeOutput> {
      return { energyUnavailable: reasons };
    },
  };
}

/** A fresh probe set for one trial. */
export function createProbes(opts: ProbeOptions): Probe[] {
  const probes: Probe[] = [new ProcessTreeProbe({ sampleIntervalMs: opts.sampleIntervalMs }), new ClockProbe()];
  if (opts.energy === 'off') return probes;
  const s = findSensors();
  probes.push(...energyProbes(opts, s));
  const reasons: Record<string, string> = {};
  if (!s.nvml.ok && !s.nvidiaSmi) reasons.nvml = s.nvml.reason;
  if (!s.rapl.ok) {
    if (opts.energy === 'estimate') {
      probes.push(new EstimateProbe({ wattsPerCore: opts.cpuWattsPerCore, noSensorReason: s.rapl.reason }));
    } else {
      reasons.rapl = `${s.rapl.reason}`;
    }
  }
  if (Object.keys(reasons).length > 0) probes.push(unavailableProbe(reasons));
  return probes;
}

/**
 * Idle power per domain over `durationMs`, read by the same sensors the
 * trials use, before anything runs. Estimates have no baseline: they count
 * only the runner's own CPU time, so they hold no idle share to remove.
 */
export async function measureIdleBaseline(durationMs: number, opts: ProbeOptions): Promise<IdleBaseline> {
  const windowS = durationMs / 1000;
  if (opts.energy === 'off') return { windowS, domains: [], unavailable: { all: 'energy probes are off (--energy off)' } };
  const s = findSensors();
  const probes = energyProbes({ ...opts, baseline: undefined }, s);
  const unavailable: Record<string, string> = {};
  if (!s.rapl.ok) unavailable.rapl = s.rapl.reason;
  if (!s.nvml.ok && !s.nvidiaSmi) unavailable.nvml = s.nvml.reason;
  if (probes.length === 0) return { windowS, domains: [], unavailable };
  for (const p of probes) p.windowStart();
  const t0 = performance.now();
  await sleep(durationMs);
  for (const p of probes) p.windowEnd();
  const measuredS = (performance.now() - t0) / 1000;
  const domains: IdlePower[] = [];
  for (const p of probes) {
    const out = await p.finish();
    for (const r of out.energy ?? []) domains.push({ domain: r.domain, source: r.source, powerW: r.energyJ / measuredS });
    Object.assign(unavailable, out.energyUnavailable ?? {});
    for (const f of out.failures ?? []) unavailable[f.probe] = f.message;
  }
  return { windowS: measuredS, domains, ...(Object.keys(unavailable).length > 0 ? { unavailable } : {}) };
}
