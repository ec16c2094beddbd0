/** `infermark doctor`: what this machine can measure, and for each thing it cannot, why and what to do. */
import { parseArgs } from 'node:util';
import type { Command } from '../command.js';
import { detectCapabilities, type Capabilities, type Capability } from '../../probes/capabilities.js';
import { runtimeNames, runtimeStatus, type RuntimeStatus } from '../../runtimes/registry.js';
import { machinePeak, type CpuPeak } from '../../probes/cpu-peak.js';
import { readClockMHz, readClockPolicy, readTemperaturesC, type ClockPolicy } from '../../probes/cpu-clock.js';

export interface MachineFacts {
  /** The machine's theoretical FP32 peak (a ceiling, from what the CPU declares), named so beside any measured peak. */
  theoreticalPeak?: CpuPeak;
  clock: ClockPolicy & { currentMHz?: number; temperaturesC: Record<string, number> };
}

export function machineFacts(): MachineFacts {
  const peak = machinePeak();
  const current = readClockMHz();
  return { ...(peak ? { theoreticalPeak: peak } : {}), clock: { ...readClockPolicy(), ...(current ? { currentMHz: current.mhz } : {}), temperaturesC: readTemperaturesC() } };
}

function machineLines(m: MachineFacts): string[] {
  const out = ['machine:'];
  out.push(m.theoreticalPeak
    ? `  theoretical FP32 peak: ${m.theoreticalPeak.gflops.toFixed(0)} GFLOP/s = ${m.theoreticalPeak.derivation}`
    : '  theoretical FP32 peak: unknown (no clock in /proc/cpuinfo or cpufreq)');
  const c = m.clock;
  const parts = [c.governor ? `governor ${c.governor}` : undefined, c.boost === undefined ? undefined : `boost ${c.boost ? 'on' : 'off'}`,
    c.currentMHz ? `now ${c.currentMHz.toFixed(0)} MHz` : undefined].filter(Boolean);
  out.push(`  clock: ${parts.join(', ') || 'unknown'}${c.note ? ` (${c.note})` : ''}`);
  const temps = Object.entries(c.temperaturesC);
  out.push(`  temperatures: ${temps.length ? temps.map(([k, v]) => `${k} ${v.toFixed(0)} °C`).join(', ') : 'none exposed (/sys/class/thermal and hwmon are empty here)'}`);
  return out;
}

function line(label: string, c: Capability): string {
  return c.available ? `  ${label}: available: ${c.detail ?? ''}` : `  ${label}: unavailable: ${c.reason ?? 'unknown reason'}`;
}

function gib(bytes: number): string {
  return `${(bytes / 2 ** 30).toFixed(1)} GiB`;
}

export function doctorText(caps: Capabilities, runtimes: RuntimeStatus[], machine?: MachineFacts): string {
  const out: string[] = machine ? machineLines(machine) : [];
  out.push('measurements:');
  out.push(line('memory and CPU (runner process tree)', caps.processTree));
  out.push(line('CPU package energy', caps.cpuEnergy));
  out.push(line('DRAM energy', caps.dramEnergy));
  out.push(line('NVIDIA GPUs (NVML)', caps.nvml));
  for (const g of caps.gpus) {
    const mem = g.memoryTotalBytes !== undefined ? `, ${gib(g.memoryTotalBytes)}` : '';
    const energy = g.energyCounter ? 'total-energy counter supported (nvml-energy)'
      : g.powerReadings ? 'no total-energy counter: power samples integrated (nvml-power)' : 'no energy or power readings';
    out.push(`    GPU ${g.index}: ${g.name}${mem}${caps.nvml.driverVersion ? `, driver ${caps.nvml.driverVersion}` : ''}: ${energy}`);
    if (g.peak) out.push(`      theoretical FP32 peak: ${g.peak.gflops.toFixed(0)} GFLOP/s = ${g.peak.derivation}`);
    for (const n of g.notes ?? []) out.push(`      ${n}`);
  }
  out.push(line('nvidia-smi fallback', caps.nvidiaSmiFallback));
  out.push(line('CPU energy estimate', caps.estimate));
  out.push('runtimes:');
  for (const r of runtimes) {
    const versions = Object.entries(r.versions).map(([k, v]) => `${k} ${v}`).join(', ');
    if (r.loadError) {
      out.push(`  ${r.name}: unavailable: ${r.loadError}`);
      continue;
    }
    out.push(`  ${r.name}${versions ? ` (${versions})` : ''}:`);
    for (const p of r.providers) out.push(`    ${p.name}: ${p.available ? 'available' : `unavailable: ${p.reason ?? 'unknown reason'}`}`);
  }
  return `${out.join('\n')}\n`;
}

async function allRuntimeStatuses(): Promise<RuntimeStatus[]> {
  const statuses: RuntimeStatus[] = [];
  for (const name of runtimeNames()) {
    // runtimeStatus never throws; the guard keeps doctor alive if a registry entry breaks that promise.
    try {
      statuses.push(await runtimeStatus(name));
    } catch (err) {
      statuses.push({ name, description: '', loadError: (err as Error).message, providers: [], versions: {}, settings: [] });
    }
  }
  return statuses;
}

const command: Command = {
  summary: 'show what this machine can measure (memory, CPU, energy sensors, GPUs, runtimes) and how to fix what it cannot',
  usage: `Usage: infermark doctor [--json]

Prints, for each measurement, 'available' with what was found, or
'unavailable' with why and what to do: memory and CPU of the runner (/proc),
CPU package and DRAM energy (RAPL powercap counters), NVIDIA GPUs through
NVML (name, memory, driver, whether the total-energy counter works), the
nvidia-smi fallback, the CPU energy estimate, and each runtime's execution
providers.

Options:
  --json   print the same as JSON ({ machine, measurements, runtimes })

The machine section gives the theoretical FP32 peak and how it was derived
(cores x SIMD lanes x FMA units x 2 x maximum clock), the clock governor and
boost state, and the temperatures the machine exposes.

Exit code: 0 (doctor reports; it does not fail on a missing sensor).`,
  async run(argv, io) {
    const { values } = parseArgs({ args: argv, options: { json: { type: 'boolean' } }, strict: true });
    const [caps, runtimes] = await Promise.all([detectCapabilities(), allRuntimeStatuses()]);
    if (values.json) {
      const slim = runtimes.map(({ name, description, loadError, providers, versions }) => ({ name, description, ...(loadError ? { loadError } : {}), providers, versions }));
      io.stdout(`${JSON.stringify({ machine: machineFacts(), measurements: caps, runtimes: slim }, null, 2)}\n`);
    } else {
      io.stdout(doctorText(caps, runtimes, machineFacts()));
    }
    return 0;
  },
};

export default command;
