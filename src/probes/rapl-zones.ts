/**
 * Finding the RAPL zones under a powercap tree (Intel and AMD use the same
 * one) and choosing those that can be added without counting energy twice:
 * a package already contains its core and uncore sub-zones; dram is a
 * sub-zone that is NOT part of its package; psys covers the whole platform
 * and is used for the CPU only where no package zone exists.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

export const DEFAULT_POWERCAP_ROOT = '/sys/class/powercap';

export interface RaplZone {
  /** e.g. intel-rapl:0 or intel-rapl:0:2 */
  id: string;
  /** The zone's name file: package-0, dram, core, uncore, psys, package-0-die-1. */
  name: string;
  domain: 'cpu' | 'dram';
  energyPath: string;
  /** The counter wraps to 0 after this many microjoules. */
  maxEnergyRangeUj?: number;
}

/** The file reads the RAPL code makes, injectable so tests can deny permission even as root. */
export interface PowercapIo {
  readFile(path: string): string;
  readdir(path: string): string[];
}

export const nodePowercapIo: PowercapIo = {
  readFile: (path) => readFileSync(path, 'utf8'),
  readdir: (path) => readdirSync(path),
};

export type RaplDiscovery =
  | { ok: true; zones: RaplZone[]; skipped: string[] }
  | { ok: false; reason: string; kind: 'no-powercap' | 'no-zones' | 'permission' | 'unreadable' };

function readText(io: PowercapIo, path: string): string | undefined {
  try {
    return io.readFile(path).trim();
  } catch {
    return undefined;
  }
}

export function permissionRemedy(root: string): string {
  return `energy_uj is readable by root only since Linux 5.10: run as root, or \`sudo chmod o+r ${root}/intel-rapl:*/energy_uj ${root}/intel-rapl:*:*/energy_uj\` (resets at reboot)`;
}

/** Every intel-rapl zone under root, depth-first; sub-zones are ids with two colons. */
function listZoneIds(io: PowercapIo, root: string): string[] {
  // The class folder lists every zone flat (intel-rapl:0, intel-rapl:0:0, ...); not the mmio twins.
  return io.readdir(root).filter((e) => /^intel-rapl:\d+(:\d+)?$/.test(e)).sort();
}

function domainOf(name: string): 'cpu' | 'dram' | 'psys' | 'inside-package' | 'unknown' {
  if (/^package-\d+(-die-\d+)?$/.test(name)) return 'cpu';
  if (name === 'dram') return 'dram';
  if (name === 'psys') return 'psys';
  if (name === 'core' || name === 'uncore') return 'inside-package';
  return 'unknown';
}

export function discoverRaplZones(root: string = DEFAULT_POWERCAP_ROOT, io: PowercapIo = nodePowercapIo): RaplDiscovery {
  let ids: string[];
  try {
    ids = listZoneIds(io, root);
  } catch {
    return { ok: false, kind: 'no-powercap', reason: `no ${root}: a virtual machine usually exposes none (and non-Linux systems have none); run on bare metal for CPU energy, or use --energy estimate` };
  }
  if (ids.length === 0) {
    return { ok: false, kind: 'no-zones', reason: `no intel-rapl zones under ${root}: load the intel_rapl_common (or, on AMD, the rapl) kernel module, e.g. \`sudo modprobe intel_rapl_msr\`, or use --energy estimate` };
  }
  const zones: RaplZone[] = [];
  const skipped: string[] = [];
  const psys: RaplZone[] = [];
  const seenNames = new Set<string>();
  let denied = false;
  for (const id of ids) {
    const dir = join(root, id);
    const name = readText(io, join(dir, 'name')) ?? id;
    const kind = domainOf(name);
    if (kind === 'inside-package' || kind === 'unknown') {
      skipped.push(`${id} (${name}): ${kind === 'unknown' ? 'unknown zone' : 'already counted in its package'}`);
      continue;
    }
    const energyPath = join(dir, 'energy_uj');
    try {
      io.readFile(energyPath);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EACCES' || (err as NodeJS.ErrnoException).code === 'EPERM') denied = true;
      skipped.push(`${id} (${name}): energy_uj unreadable (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
      continue;
    }
    // Top-level names are unique per package, so a repeat is an overlapping view
    // (seen on multi-die parts); sub-zone names repeat legitimately per package.
    const parts = id.split(':');
    const key = parts.length > 2 ? `${name}@${parts[1]}` : name;
    if (seenNames.has(key)) {
      skipped.push(`${id} (${name}): same zone listed twice`);
      continue;
    }
    seenNames.add(key);
    const max = Number(readText(io, join(dir, 'max_energy_range_uj')));
    const zone: RaplZone = { id, name, domain: kind === 'dram' ? 'dram' : 'cpu', energyPath, ...(max > 0 ? { maxEnergyRangeUj: max } : {}) };
    if (kind === 'psys') psys.push(zone);
    else zones.push(zone);
  }
  // Where a whole package zone exists, its per-die zones would count it twice.
  const packages = new Set(zones.filter((z) => /^package-\d+$/.test(z.name)).map((z) => z.name));
  const chosen = zones.filter((z) => {
    const m = /^(package-\d+)-die-\d+$/.exec(z.name);
    if (m && packages.has(m[1])) {
      skipped.push(`${z.id} (${z.name}): part of ${m[1]}, already counted`);
      return false;
    }
    return true;
  });
  const hasCpu = chosen.some((z) => z.domain === 'cpu');
  for (const p of psys) {
    if (hasCpu) skipped.push(`${p.id} (psys): covers the whole platform, overlaps the package zones`);
    else chosen.push(p);
  }
  if (chosen.length === 0) {
    if (denied) return { ok: false, kind: 'permission', reason: permissionRemedy(root) };
    return { ok: false, kind: 'unreadable', reason: `no usable RAPL zone under ${root}: ${skipped.join('; ')}` };
  }
  return { ok: true, zones: chosen, skipped };
}

/** The zone's counter in microjoules; throws with the errno on failure. */
export function readEnergyUj(zone: RaplZone, io: PowercapIo = nodePowercapIo): number {
  const text = io.readFile(zone.energyPath).trim();
  const v = Number(text);
  if (!/^\d+$/.test(text) || !Number.isFinite(v)) throw new Error(`${zone.energyPath}: not a counter: ${JSON.stringify(text)}`);
  return v;
}
