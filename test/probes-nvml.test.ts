import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  NVML_ERROR_GPU_IS_LOST, NVML_ERROR_NOT_SUPPORTED, NvmlError, harmfulThrottleReasons,
  type NvmlDevice, type NvmlLike, type NvmlProcess,
} from '../src/probes/nvml-api.js';
import { NvmlProbe } from '../src/probes/nvml.js';
import { openNvml } from '../src/probes/nvml-session.js';
import { detectCapabilities } from '../src/probes/capabilities.js';

interface FakeGpuSpec {
  energyCounter: boolean;
  /** Successive readings of the energy counter, mJ. */
  energyMj?: number[];
  powerMw?: number;
  throttle?: bigint;
  processes?: NvmlProcess[];
  /** Functions that fail with an unknown error. */
  failing?: Set<string>;
}

class FakeGpu implements NvmlDevice {
  lost = false;
  private energyCalls = 0;
  constructor(readonly index: number, private readonly spec: FakeGpuSpec) {}
  private guard(fn: string): void {
    if (this.lost) throw new NvmlError(fn, NVML_ERROR_GPU_IS_LOST, 'GPU is lost');
    if (this.spec.failing?.has(fn)) throw new NvmlError(fn, 999, 'Unknown Error');
  }
  name(): string { this.guard('name'); return 'NVIDIA Fake 100'; }
  totalEnergyMj(): number {
    this.guard('energy');
    if (!this.spec.energyCounter) throw new NvmlError('nvmlDeviceGetTotalEnergyConsumption', NVML_ERROR_NOT_SUPPORTED, 'Not Supported');
    const seq = this.spec.energyMj ?? [0];
    return seq[Math.min(this.energyCalls++, seq.length - 1)];
  }
  powerMw(): number { this.guard('power'); return this.spec.powerMw ?? 100_000; }
  utilization() { this.guard('utilization'); return { gpuPercent: 80, memoryPercent: 30 }; }
  memoryInfo() { this.guard('memory'); return { totalBytes: 16 * 2 ** 30, usedBytes: 2 * 2 ** 30 }; }
  smClockMhz(): number { this.guard('clock'); return 1410; }
  maxSmClockMhz(): number { this.guard('maxClock'); return 1980; }
  cudaCores(): number { this.guard('cores'); return 16896; }
  temperatureC(): number { this.guard('temperature'); return 55; }
  throttleReasons(): bigint { this.guard('throttle'); return this.spec.throttle ?? 0n; }
  computeProcesses(): NvmlProcess[] { this.guard('processes'); return this.spec.processes ?? []; }
}

class FakeNvml implements NvmlLike {
  readonly gpus: FakeGpu[];
  initCalls = 0;
  constructor(specs: FakeGpuSpec[], private readonly initFails = false) {
    this.gpus = specs.map((s, i) => new FakeGpu(i, s));
  }
  init(): void {
    this.initCalls++;
    if (this.initFails) throw new NvmlError('nvmlInit_v2', 9, 'Driver Not Loaded');
  }
  shutdown(): void {}
  driverVersion(): string { return '550.54.15'; }
  deviceCount(): number { return this.gpus.length; }
  device(i: number): NvmlDevice { return this.gpus[i]; }
}

function probeFor(nvml: FakeNvml): NvmlProbe {
  const s = openNvml(nvml);
  assert.ok(s.ok);
  return new NvmlProbe({ nvml: s.nvml, deviceCount: s.deviceCount, sampleIntervalMs: 20 });
}

test('energy from the total-energy counter (nvml-energy), GPU memory of the runner\'s processes', async () => {
  const nvml = new FakeNvml([{
    energyCounter: true, energyMj: [10_000, 12_500],
    processes: [{ pid: process.pid, usedGpuMemoryBytes: 1_000_000_000 }, { pid: 1, usedGpuMemoryBytes: 5 }],
  }]);
  const probe = probeFor(nvml);
  probe.attach({ pid: process.pid });
  probe.loaded();
  probe.windowStart();
  probe.windowEnd();
  const out = await probe.finish();
  assert.equal(out.failures, undefined);
  assert.deepEqual(out.energy, [{ source: 'nvml-energy', domain: 'gpu', energyJ: 2.5 }]);
  assert.equal(out.memory?.gpuMemoryBytes, 1_000_000_000);
  const names = out.series?.map((s) => s.name) ?? [];
  for (const n of ['gpuPowerW', 'gpuUtilizationPercent', 'gpuMemoryUsedBytes', 'gpuSmClockMHz', 'gpuTemperatureC']) assert.ok(names.includes(n), n);
  // A window of milliseconds is far below NVML's update period.
  assert.ok(out.warnings?.some((w) => w.code === 'energy-window-short'));
  assert.equal(probe.minWindowMs, 1000);
});

test('without an energy counter, power samples are integrated (nvml-power)', async () => {
  const probe = probeFor(new FakeNvml([{ energyCounter: false, powerMw: 200_000 }]));
  probe.attach({ pid: process.pid });
  probe.windowStart();
  await new Promise((r) => setTimeout(r, 50));
  probe.windowEnd();
  const out = await probe.finish();
  assert.equal(out.failures, undefined, 'an unsupported counter is not a failure');
  assert.equal(out.energy?.length, 1);
  const r = out.energy![0];
  assert.equal(r.source, 'nvml-power');
  const power = out.series!.find((s) => s.name === 'gpuPowerW')!;
  // Constant 200 W held over the whole window: energy / 200 W is the window.
  const windowS = power.tMs[power.tMs.length - 1] / 1000;
  // Times are kept to the microsecond, so allow 1 us of 200 W.
  assert.ok(Math.abs(r.energyJ - 200 * windowS) <= 200 * 1e-6);
});

test('a failing call is recorded once; the other readings and the energy go on', async () => {
  const probe = probeFor(new FakeNvml([{ energyCounter: true, energyMj: [0, 1000], failing: new Set(['temperature']) }]));
  probe.attach({ pid: process.pid });
  probe.windowStart();
  await new Promise((r) => setTimeout(r, 50));
  probe.windowEnd();
  const out = await probe.finish();
  assert.equal(out.failures?.length, 1);
  assert.match(out.failures![0].message, /Unknown Error/);
  assert.equal(out.energy?.[0].energyJ, 1);
  assert.ok(!out.series?.some((s) => s.name === 'gpuTemperatureC'));
});

test('a GPU that disappears mid-window: no energy, the reason, no exception', async () => {
  const nvml = new FakeNvml([{ energyCounter: true, energyMj: [0, 1000] }]);
  const probe = probeFor(nvml);
  probe.attach({ pid: process.pid });
  probe.windowStart();
  nvml.gpus[0].lost = true;
  probe.windowEnd();
  const out = await probe.finish();
  assert.equal(out.energy, undefined);
  assert.match(out.energyUnavailable?.['nvml:gpu0'] ?? '', /disappeared/);
  assert.ok(out.failures?.some((f) => f.probe === 'nvml' && /disappeared/.test(f.message)));
});

test('throttling other than idle raises gpu-throttled', async () => {
  assert.deepEqual(harmfulThrottleReasons(0x1n), []);
  assert.deepEqual(harmfulThrottleReasons(0x20n | 0x1n), ['software thermal slowdown']);
  const probe = probeFor(new FakeNvml([{ energyCounter: true, energyMj: [0, 10], throttle: 0x4n }]));
  probe.attach({ pid: process.pid });
  probe.windowStart();
  probe.windowEnd();
  const out = await probe.finish();
  const w = out.warnings?.find((x) => x.code === 'gpu-throttled');
  assert.ok(w);
  assert.match(w.message, /software power cap/);
  assert.ok(w.remedy.length > 0);
});

test('NVML that cannot start, and the capabilities doctor shows for fakes', async () => {
  const broken = openNvml(new FakeNvml([{ energyCounter: true }], true));
  assert.equal(broken.ok, false);
  assert.match((broken as { reason: string }).reason, /Driver Not Loaded/);
  const caps = await detectCapabilities({
    powercapRoot: '/nonexistent-powercap',
    nvml: new FakeNvml([{ energyCounter: true }, { energyCounter: false }]),
  });
  assert.equal(caps.nvml.available, true);
  assert.equal(caps.nvml.driverVersion, '550.54.15');
  assert.deepEqual(caps.gpus.map((g) => [g.name, g.energyCounter, g.powerReadings]), [['NVIDIA Fake 100', true, true], ['NVIDIA Fake 100', false, true]]);
  assert.match(caps.gpus[1].notes?.join() ?? '', /Volta/);
  assert.equal(caps.gpus[0].peak?.derivation, "NVIDIA Fake 100: 16896 CUDA cores x 2 FLOP (FMA) x 1.98 GHz (NVML's maximum SM clock)");
  const coreless = await detectCapabilities({ powercapRoot: '/nonexistent-powercap', nvml: new FakeNvml([{ energyCounter: true, failing: new Set(['cores']) }]) });
  assert.equal(coreless.gpus[0].peak, undefined);
  assert.match(coreless.gpus[0].notes?.join() ?? '', /theoretical FP32 peak unknown/);
  assert.equal(caps.cpuEnergy.available, false);
  assert.match(caps.cpuEnergy.reason ?? '', /bare metal/);
  assert.equal(caps.nvidiaSmiFallback.available, false);
});

test('the machine context lists the GPUs NVML sees, and none where NVML is missing', async () => {
  const { gpuInventory } = await import('../src/probes/gpu-inventory.js');
  const device = (i: number) => ({ index: i, name: () => `NVIDIA H100 #${i}`, memoryInfo: () => ({ totalBytes: 80e9, usedBytes: 0 }) });
  const nvml = { driverVersion: () => '575.51', device } as unknown as import('../src/probes/nvml-api.js').NvmlLike;
  assert.deepEqual(gpuInventory({ ok: true, nvml, deviceCount: 2 }), [
    { name: 'NVIDIA H100 #0', driver: '575.51', memoryBytes: 80e9 },
    { name: 'NVIDIA H100 #1', driver: '575.51', memoryBytes: 80e9 },
  ]);
  assert.deepEqual(gpuInventory({ ok: false, reason: 'libnvidia-ml.so.1 not found', libraryMissing: true }), []);
});
