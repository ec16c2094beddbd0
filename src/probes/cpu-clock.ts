/**
 * Where the CPU's clock and heat can be read: cpufreq (per-core current
 * frequency, governor, boost), /proc/cpuinfo's 'cpu MHz' where cpufreq is
 * absent (virtual machines), and temperatures from /sys/class/thermal and
 * hwmon. Readers take their roots as arguments so tests can use a fake tree.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface ClockRoots {
  procRoot: string;
  sysRoot: string;
}

export const DEFAULT_CLOCK_ROOTS: ClockRoots = { procRoot: '/proc', sysRoot: '/sys' };

function read(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return undefined;
  }
}

function list(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

/** Mean current clock over all cores, MHz, and where it was read; undefined when nothing tells. */
export function readClockMHz(roots: ClockRoots = DEFAULT_CLOCK_ROOTS): { mhz: number; source: 'cpufreq' | 'cpuinfo' } | undefined {
  const cpuDir = join(roots.sysRoot, 'devices/system/cpu');
  const khz = list(cpuDir).filter((d) => /^cpu\d+$/.test(d))
    .map((d) => Number(read(join(cpuDir, d, 'cpufreq/scaling_cur_freq'))))
    .filter((v) => Number.isFinite(v) && v > 0);
  if (khz.length) return { mhz: khz.reduce((a, b) => a + b, 0) / khz.length / 1000, source: 'cpufreq' };
  const cpuinfo = read(join(roots.procRoot, 'cpuinfo'));
  const mhz = [...(cpuinfo ?? '').matchAll(/^cpu MHz\s*:\s*([\d.]+)/gm)].map((m) => Number(m[1]));
  if (mhz.length) return { mhz: mhz.reduce((a, b) => a + b, 0) / mhz.length, source: 'cpuinfo' };
  return undefined;
}

/** Every temperature sensor, °C, by a readable name (thermal zone type or hwmon name/label). */
export function readTemperaturesC(roots: ClockRoots = DEFAULT_CLOCK_ROOTS): Record<string, number> {
  const out: Record<string, number> = {};
  const thermal = join(roots.sysRoot, 'class/thermal');
  for (const z of list(thermal).filter((d) => d.startsWith('thermal_zone'))) {
    const milli = Number(read(join(thermal, z, 'temp')));
    if (Number.isFinite(milli)) out[`${read(join(thermal, z, 'type')) ?? z}`] = milli / 1000;
  }
  const hwmon = join(roots.sysRoot, 'class/hwmon');
  for (const h of list(hwmon)) {
    const name = read(join(hwmon, h, 'name')) ?? h;
    for (const f of list(join(hwmon, h)).filter((x) => /^temp\d+_input$/.test(x))) {
      const milli = Number(read(join(hwmon, h, f)));
      const label = read(join(hwmon, h, f.replace('_input', '_label'))) ?? f.replace('_input', '');
      if (Number.isFinite(milli)) out[`${name}/${label}`] = milli / 1000;
    }
  }
  return out;
}

export interface ClockPolicy {
  governor?: string;
  /** true: boost/turbo on; false: off; undefined: not exposed. */
  boost?: boolean;
  /** Why the governor or boost state is unknown. */
  note?: string;
}

export function readClockPolicy(roots: ClockRoots = DEFAULT_CLOCK_ROOTS): ClockPolicy {
  const cpu = join(roots.sysRoot, 'devices/system/cpu');
  const governor = read(join(cpu, 'cpu0/cpufreq/scaling_governor'));
  const boostFile = read(join(cpu, 'cpufreq/boost'));
  const noTurbo = read(join(cpu, 'intel_pstate/no_turbo'));
  const boost = boostFile !== undefined ? boostFile === '1' : noTurbo !== undefined ? noTurbo === '0' : undefined;
  const policy: ClockPolicy = {};
  if (governor) policy.governor = governor;
  if (boost !== undefined) policy.boost = boost;
  if (!governor) policy.note = 'no cpufreq in /sys (a virtual machine usually has none): the governor and boost are set by the host';
  return policy;
}

/** Share by which the clock fell during a window: 1 - lowest / first sample (0 when it did not fall). */
export function clockDropShare(mhz: readonly number[]): number {
  if (mhz.length < 2 || !(mhz[0] > 0)) return 0;
  let lowest = mhz[0];
  for (const v of mhz) lowest = Math.min(lowest, v);
  return Math.max(0, 1 - lowest / mhz[0]);
}
