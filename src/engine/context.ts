/** The machine a trial ran on, read once per process. */
import os from 'node:os';
import type { BrowserContext, MachineContext, TrialContext } from '../results/types.js';
import { TOOL_VERSION } from '../version.js';
import { gpuInventory } from '../probes/gpu-inventory.js';

let machine: MachineContext | undefined;

export function machineContext(): MachineContext {
  machine ??= {
    cpuModel: os.cpus()[0]?.model?.trim() ?? 'unknown',
    cpuCores: os.availableParallelism?.() ?? os.cpus().length,
    memoryBytes: os.totalmem(),
    os: `${os.type()} ${os.release()}`,
    arch: os.arch(),
    hostname: os.hostname(),
  };
  const gpus = gpuInventory();
  if (gpus.length) machine.gpus = gpus;
  return machine;
}

export function trialContext(runtimeVersions: Record<string, string>, startedAt: Date, browser?: BrowserContext): TrialContext {
  return {
    toolVersion: TOOL_VERSION,
    nodeVersion: process.version,
    // A runtime hosted by Python reports its interpreter's version with its packages.
    ...(runtimeVersions.python ? { pythonVersion: runtimeVersions.python } : {}),
    runtimeVersions,
    machine: machineContext(),
    ...(browser ? { browser } : {}),
    startedAt: startedAt.toISOString(),
  };
}
