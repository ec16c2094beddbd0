import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createProbes, measureIdleBaseline } from '../src/probes/index.js';
import { doctorText } from '../src/cli/commands/doctor.js';
import { detectCapabilities } from '../src/probes/capabilities.js';
import type { NvmlLike } from '../src/probes/nvml-api.js';

const noGpu: NvmlLike = {
  init() { throw new Error('nvmlInit_v2 failed: Driver Not Loaded (NVML error 9)'); },
  shutdown() {},
  driverVersion: () => '',
  deviceCount: () => 0,
  device() { throw new Error('no device'); },
};

test('createProbes: the process and clock probes always, energy probes by mode', () => {
  const off = createProbes({ sampleIntervalMs: 20, energy: 'off' });
  assert.deepEqual(off.map((p) => p.name), ['process', 'clock']);
  const auto = createProbes({ sampleIntervalMs: 20, energy: 'auto' });
  assert.equal(auto[0].name, 'process');
  assert.ok(!auto.some((p) => p.name === 'estimate'), 'auto never estimates');
  const est = createProbes({ sampleIntervalMs: 20, energy: 'estimate' });
  // Where RAPL exists it is measured, elsewhere estimated: never both for the CPU.
  const names = est.map((p) => p.name);
  assert.ok(names.includes('rapl') !== names.includes('estimate'));
});

test('measureIdleBaseline off says why, and never throws', async () => {
  const b = await measureIdleBaseline(10, { sampleIntervalMs: 20, energy: 'off' });
  assert.deepEqual(b.domains, []);
  assert.ok(b.unavailable);
});

test('doctor text names each measurement, why not and what to do, and each runtime', async () => {
  const caps = await detectCapabilities({ powercapRoot: '/nonexistent-powercap', nvml: noGpu });
  const text = doctorText(caps, [
    { name: 'ort-node', description: 'd', providers: [{ name: 'cpu', available: true }, { name: 'cuda', available: false, reason: 'no CUDA' }], versions: { 'onnxruntime-node': '1.30.0' }, settings: [] },
    { name: 'broken', description: 'd', loadError: 'Cannot find package', providers: [], versions: {}, settings: [] },
  ]);
  assert.match(text, /CPU package energy: unavailable: no \/nonexistent-powercap: a virtual machine usually exposes none.*run on bare metal/);
  assert.match(text, /DRAM energy: unavailable/);
  assert.match(text, /NVIDIA GPUs \(NVML\): unavailable: NVML could not start: .*Driver Not Loaded/);
  assert.match(text, /CPU energy estimate: available/);
  assert.match(text, /ort-node \(onnxruntime-node 1\.30\.0\):\n {4}cpu: available\n {4}cuda: unavailable: no CUDA/);
  assert.match(text, /broken: unavailable: Cannot find package/);
});
