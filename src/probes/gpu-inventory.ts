/** The machine's NVIDIA GPUs (name, driver, memory) as NVML lists them, for every result's machine context. */
import type { MachineContext } from '../results/types.js';
import { sharedNvmlSession, type NvmlSession } from './nvml-session.js';

/** Empty where NVML cannot be loaded (no NVIDIA driver): a machine without GPUs lists none. */
export function gpuInventory(session: NvmlSession = sharedNvmlSession()): NonNullable<MachineContext['gpus']> {
  if (!session.ok) return [];
  const gpus: NonNullable<MachineContext['gpus']> = [];
  let driver: string | undefined;
  try {
    driver = session.nvml.driverVersion() || undefined;
  } catch {
    driver = undefined;
  }
  for (let i = 0; i < session.deviceCount; i++) {
    try {
      const d = session.nvml.device(i);
      let memoryBytes: number | undefined;
      try {
        memoryBytes = d.memoryInfo().totalBytes;
      } catch {
        memoryBytes = undefined;
      }
      gpus.push({ name: d.name(), ...(driver ? { driver } : {}), ...(memoryBytes ? { memoryBytes } : {}) });
    } catch {
      gpus.push({ name: `GPU ${i}`, ...(driver ? { driver } : {}) });
    }
  }
  return gpus;
}
