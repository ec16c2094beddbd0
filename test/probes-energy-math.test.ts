import { test } from 'node:test';
import assert from 'node:assert/strict';
import { trapezoidEnergyJ } from '../src/probes/trapezoid.js';
import { estimateCpuEnergy, DEFAULT_WATTS_PER_CORE, ESTIMATE_MODEL_NAME } from '../src/probes/estimate.js';
import { combineProbeOutputs } from '../src/probes/combine.js';
import { parseDurationMs } from '../src/core/parse-values.js';
import { parsePowerLine, powerQueryField } from '../src/probes/nvidia-smi.js';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError } from '../src/errors/input-error.js';
import type { IdleBaseline } from '../src/probes/baseline.js';

test('trapezoid: constant, ramp, uneven spacing, window edges held flat', () => {
  assert.equal(trapezoidEnergyJ([0, 1000, 2000], [50, 50, 50]), 100);
  assert.equal(trapezoidEnergyJ([0, 1000], [0, 100]), 50);
  assert.equal(trapezoidEnergyJ([0, 500, 2000], [10, 30, 30]), 10 + 45);
  assert.equal(trapezoidEnergyJ([1000, 2000], [20, 40], { startMs: 0, endMs: 3000 }), 20 + 30 + 40);
  assert.equal(trapezoidEnergyJ([], []), 0);
  assert.equal(trapezoidEnergyJ([5], [100]), 0);
  assert.throws(() => trapezoidEnergyJ([0, 1], [1]));
});

test('the estimate is labelled, with its model and constants', () => {
  const r = estimateCpuEnergy(2.5);
  assert.equal(r.source, 'estimate');
  assert.equal(r.domain, 'cpu');
  assert.equal(r.energyJ, 2.5 * DEFAULT_WATTS_PER_CORE);
  assert.deepEqual(r.model, { name: ESTIMATE_MODEL_NAME, constants: { wattsPerCore: DEFAULT_WATTS_PER_CORE, cpuTimeS: 2.5 } });
  assert.equal(estimateCpuEnergy(1, 7).energyJ, 7);
});

test('combine: measured and estimated energy never share a figure', () => {
  const c = combineProbeOutputs([
    { memory: { peakRssBytes: 100, rssAfterLoadBytes: 80 }, cpu: { coresBusy: 1, cpuTimeS: 2, windowS: 2 }, overheadMs: 1 },
    { energy: [{ source: 'nvml-energy', domain: 'gpu', energyJ: 40 }], memory: { gpuMemoryBytes: 1000 }, overheadMs: 2 },
    { energy: [estimateCpuEnergy(2, 10)], energyUnavailable: { rapl: 'no powercap' } },
  ], { items: 100, windowS: 2 });
  assert.deepEqual(c.memory, { peakRssBytes: 100, rssAfterLoadBytes: 80, gpuMemoryBytes: 1000 });
  assert.equal(c.cpu?.coresBusy, 1);
  assert.equal(c.overheadMs, 3);
  const e = c.energy!;
  assert.equal(e.totalEnergyJ, 40);
  assert.equal(e.estimatedEnergyJ, 20);
  assert.equal(e.estimated, false);
  assert.equal(e.averagePowerW, 20);
  assert.equal(e.energyPerItemJ, 0.4);
  assert.deepEqual(e.unavailable, { rapl: 'no powercap' });
});

test('combine: estimate only is flagged estimated; nothing at all gives the reasons only', () => {
  const est = combineProbeOutputs([{ energy: [estimateCpuEnergy(1, 10)] }], { items: 5, windowS: 1 });
  assert.equal(est.energy?.estimated, true);
  assert.equal(est.energy?.totalEnergyJ, undefined);
  assert.equal(est.energy?.energyPerItemJ, 2);
  const none = combineProbeOutputs([{ energyUnavailable: { rapl: 'no powercap', nvml: 'no driver' } }], { items: 5, windowS: 1 });
  assert.deepEqual(none.energy, { readings: [], estimated: false, windowS: 1, unavailable: { rapl: 'no powercap', nvml: 'no driver' } });
  assert.equal(combineProbeOutputs([], { items: 1, windowS: 1 }).energy, undefined);
});

test('combine: the idle baseline gives dynamic energy per reading and in total', () => {
  const baseline: IdleBaseline = { windowS: 10, domains: [{ domain: 'cpu', source: 'rapl', powerW: 5 }, { domain: 'gpu', source: 'nvml-energy', powerW: 30 }] };
  const c = combineProbeOutputs([
    { energy: [{ source: 'rapl', domain: 'cpu', energyJ: 25 }] },
    { energy: [{ source: 'nvml-power', domain: 'gpu', energyJ: 100 }] },
  ], { items: 10, windowS: 2, baseline });
  assert.deepEqual(c.energy?.readings.map((r) => r.dynamicEnergyJ), [15, 40]);
  assert.equal(c.energy?.dynamicEnergyJ, 55);
  assert.equal(c.energy?.baselinePowerW, 35);
  assert.equal(c.energy?.totalEnergyJ, 125);
});

test('combine: probe failures become one warning per probe, timing untouched', () => {
  const c = combineProbeOutputs([
    { failures: [{ probe: 'rapl', message: 'counter went backwards' }, { probe: 'rapl', message: 'unreadable' }] },
    { failures: [{ probe: 'nvml', message: 'GPU lost' }], warnings: [{ code: 'gpu-throttled', message: 'm', remedy: 'r' }] },
  ], { items: 1, windowS: 1 });
  assert.equal(c.probeFailures.length, 3);
  assert.deepEqual(c.warnings.map((w) => w.code), ['gpu-throttled', 'probe-failed', 'probe-failed']);
  assert.match(c.warnings[1].message, /counter went backwards; unreadable/);
});

test('parseDurationMs: units, bare seconds, and clear errors', () => {
  assert.equal(parseDurationMs('--idle-baseline', '10s'), 10_000);
  assert.equal(parseDurationMs('--sample-interval', '500ms'), 500);
  assert.equal(parseDurationMs('--x', '2m'), 120_000);
  assert.equal(parseDurationMs('--x', '1.5'), 1500);
  assert.equal(parseDurationMs('--sample-interval', '1ms', { minMs: 1 }), 1);
  for (const bad of ['0', '-5s', 'abc', '10 sec', '', '0.5ms']) {
    assert.throws(() => parseDurationMs('--sample-interval', bad, { minMs: 1 }), (err: unknown) => {
      assert.ok(err instanceof InputError);
      assert.equal(err.field, '--sample-interval');
      assert.match(err.message, /--sample-interval: .* is not valid; allowed: a duration of at least 1 ms, such as 500ms, 10s or 2m/);
      return true;
    });
  }
  assert.throws(() => parseDurationMs('--idle-baseline', '0s'), /above zero/);
});

test('nvidia-smi power lines', () => {
  assert.deepEqual(parsePowerLine('0, 61.23'), [0, 61.23]);
  assert.deepEqual(parsePowerLine('1, 300'), [1, 300]);
  assert.equal(parsePowerLine('0, [N/A]'), undefined);
});

test('nvidia-smi is sampled for its instantaneous power where the driver has it, else its averaged power', () => {
  const dir = mkdtempSync(join(tmpdir(), 'infermark-smi-'));
  try {
    const fake = (name: string, body: string) => {
      const path = join(dir, name);
      writeFileSync(path, `#!/bin/sh\n${body}\n`, { mode: 0o755 });
      return path;
    };
    const asked = join(dir, 'asked');
    const modern = fake('modern', `echo x >> ${asked}\ncase "$1" in --query-gpu=power.draw.instant) echo "612.40";; *) exit 9;; esac`);
    // What drivers before 530 answer for a field they do not know.
    const old = fake('old', 'echo \'Field "power.draw.instant" is not a valid field to query.\'; exit 2');
    const unsupported = fake('na', 'echo "[N/A]"');
    assert.equal(powerQueryField(modern), 'power.draw.instant');
    assert.equal(powerQueryField(modern), 'power.draw.instant');
    assert.equal(readFileSync(asked, 'utf8'), 'x\n', 'asked once per binary, not once per probe');
    assert.equal(powerQueryField(old), 'power.draw');
    assert.equal(powerQueryField(unsupported), 'power.draw');
    assert.equal(powerQueryField(join(dir, 'missing')), 'power.draw');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
