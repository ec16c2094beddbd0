/**
 * The machine's theoretical FP32 peak, from what the CPU declares: cores that
 * own their vector units, SIMD lanes and fused multiply-add from the flags,
 * and the highest clock the CPU reports. A share of this peak can never
 * exceed 100%, unlike a share of a measured GEMM peak, which is only as high
 * as the load on the machine allowed when it was measured.
 */
import { readFileSync } from 'node:fs';

export interface CpuPeak {
  /** FP32 GFLOP/s of all cores together. */
  gflops: number;
  /** How the figure was derived, term by term, so a reader can check it. */
  derivation: string;
  cores: number;
  simdLanesFp32: number;
  fmaUnitsPerCore: number;
  flopsPerLanePerCycle: number;
  clockGHz: number;
  clockSource: string;
}

/**
 * FMA units per core: cores with AVX-512 or AVX2+FMA (Intel since Haswell, AMD since Zen 2) issue two
 * vector FMAs per cycle. /proc/cpuinfo cannot tell the one-port AVX-512 parts apart: the figure is a
 * ceiling, which is what a theoretical peak is.
 */
const FMA_UNITS_WITH_FMA = 2;

function flagsOf(cpuinfo: string): Set<string> {
  const m = /^(?:flags|Features)\s*:\s*(.*)$/m.exec(cpuinfo);
  return new Set((m?.[1] ?? '').trim().split(/\s+/));
}

/** Physical cores: distinct (physical id, core id) pairs; hyperthreads share their core's vector units. */
function physicalCores(cpuinfo: string): number {
  const blocks = cpuinfo.split(/\n\s*\n/).filter((b) => /^processor\s*:/m.test(b));
  const pairs = new Set<string>();
  for (const b of blocks) {
    const phys = /^physical id\s*:\s*(\d+)/m.exec(b)?.[1];
    const core = /^core id\s*:\s*(\d+)/m.exec(b)?.[1];
    if (phys === undefined || core === undefined) return blocks.length;
    pairs.add(`${phys}:${core}`);
  }
  return pairs.size || blocks.length;
}

function clockOf(cpuinfo: string, maxFreqKHz?: number): { ghz: number; source: string } | undefined {
  if (maxFreqKHz && maxFreqKHz > 0) return { ghz: maxFreqKHz / 1e6, source: 'cpufreq cpuinfo_max_freq' };
  const named = /^model name\s*:.*@\s*([\d.]+)\s*GHz/m.exec(cpuinfo);
  if (named) return { ghz: Number(named[1]), source: 'the model name' };
  const mhz = [...cpuinfo.matchAll(/^cpu MHz\s*:\s*([\d.]+)/gm)].map((m) => Number(m[1]));
  if (mhz.length) return { ghz: Math.max(...mhz) / 1000, source: "the highest 'cpu MHz' in /proc/cpuinfo (no cpufreq: the current clock, not the boost clock)" };
  return undefined;
}

/** Pure: /proc/cpuinfo text and cpufreq's maximum (kHz) in, the peak out; undefined when the clock is unknown. */
export function theoreticalPeak(cpuinfo: string, maxFreqKHz?: number): CpuPeak | undefined {
  const flags = flagsOf(cpuinfo);
  const clock = clockOf(cpuinfo, maxFreqKHz);
  const cores = physicalCores(cpuinfo);
  if (!clock || cores === 0) return undefined;
  const simdLanesFp32 = flags.has('avx512f') ? 16 : flags.has('avx') || flags.has('avx2') ? 8 : flags.has('sse') || flags.has('sse2') || flags.has('asimd') ? 4 : 1;
  const hasFma = flags.has('fma') || flags.has('avx512f') || flags.has('asimd');
  const fmaUnitsPerCore = hasFma ? FMA_UNITS_WITH_FMA : 1;
  // An FMA is two FLOPs; without FMA, one add and one multiply port give two FLOPs per lane per cycle too, at one unit.
  const flopsPerLanePerCycle = 2;
  const gflops = cores * simdLanesFp32 * fmaUnitsPerCore * flopsPerLanePerCycle * clock.ghz;
  const simdName = simdLanesFp32 === 16 ? 'AVX-512' : simdLanesFp32 === 8 ? 'AVX' : simdLanesFp32 === 4 ? 'SSE/NEON' : 'scalar';
  const derivation = `${cores} cores x ${simdLanesFp32} fp32 lanes (${simdName}) x ${fmaUnitsPerCore} ${hasFma ? 'FMA' : 'add+mul'} unit${fmaUnitsPerCore === 1 ? '' : 's'} x 2 FLOP x ${clock.ghz.toFixed(2)} GHz (${clock.source})`;
  return { gflops, derivation, cores, simdLanesFp32, fmaUnitsPerCore, flopsPerLanePerCycle, clockGHz: clock.ghz, clockSource: clock.source };
}

function readOr(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** This machine's theoretical peak, read from /proc and /sys. */
export function machinePeak(): CpuPeak | undefined {
  const cpuinfo = readOr('/proc/cpuinfo');
  if (!cpuinfo) return undefined;
  const maxKHz = Number(readOr('/sys/devices/system/cpu/cpu0/cpufreq/cpuinfo_max_freq')?.trim());
  return theoreticalPeak(cpuinfo, Number.isFinite(maxKHz) ? maxKHz : undefined);
}
