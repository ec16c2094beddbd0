import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { counterDelta, WrappingCounter } from '../src/probes/energy-counter.js';
import { discoverRaplZones, nodePowercapIo, type PowercapIo } from '../src/probes/rapl-zones.js';
import { RaplProbe } from '../src/probes/rapl.js';

function zone(root: string, id: string, name: string, energyUj: number, maxUj = 262143328850): void {
  const dir = join(root, id);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'name'), `${name}\n`);
  writeFileSync(join(dir, 'energy_uj'), `${energyUj}\n`);
  writeFileSync(join(dir, 'max_energy_range_uj'), `${maxUj}\n`);
}

function setEnergy(root: string, id: string, energyUj: number): void {
  writeFileSync(join(root, id, 'energy_uj'), `${energyUj}\n`);
}

function fakeServer(): string {
  const root = mkdtempSync(join(tmpdir(), 'powercap-'));
  zone(root, 'intel-rapl:0', 'package-0', 1_000_000);
  zone(root, 'intel-rapl:0:0', 'core', 500_000);
  zone(root, 'intel-rapl:0:1', 'uncore', 100_000);
  zone(root, 'intel-rapl:0:2', 'dram', 2_000_000);
  zone(root, 'intel-rapl:1', 'package-1', 3_000_000);
  zone(root, 'intel-rapl:1:0', 'dram', 4_000_000);
  zone(root, 'intel-rapl:2', 'psys', 9_000_000);
  // The mmio twin of package-0 on newer Intel parts must not be counted again.
  zone(root, 'intel-rapl-mmio:0', 'package-0', 1_000_000);
  return root;
}

test('counterDelta: forward, one wrap, and backwards beyond a wrap', () => {
  assert.deepEqual(counterDelta(100, 250, 1000), { ok: true, deltaUj: 150, wrapped: false });
  assert.deepEqual(counterDelta(900, 50, 1000), { ok: true, deltaUj: 150, wrapped: true });
  const back = counterDelta(500, 400, 1000);
  assert.equal(back.ok, false);
  assert.match((back as { reason: string }).reason, /backwards/);
  assert.equal(counterDelta(500, 400, undefined).ok, false);
  const c = new WrappingCounter(1000);
  for (const raw of [900, 950, 20, 300]) assert.ok(c.update(raw).ok);
  assert.equal(c.totalUj, 400);
  assert.equal(c.wraps, 1);
});

test('discovery picks packages and dram, not core, uncore, psys or mmio twins', () => {
  const root = fakeServer();
  try {
    const d = discoverRaplZones(root);
    assert.ok(d.ok);
    assert.deepEqual(d.zones.map((z) => `${z.id}=${z.name}/${z.domain}`), [
      'intel-rapl:0=package-0/cpu', 'intel-rapl:0:2=dram/dram', 'intel-rapl:1=package-1/cpu', 'intel-rapl:1:0=dram/dram',
    ]);
    assert.ok(d.skipped.some((s) => s.includes('psys')));
    assert.ok(d.skipped.some((s) => s.includes('core')));
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('psys is used for the CPU only where no package zone exists', () => {
  const root = mkdtempSync(join(tmpdir(), 'powercap-'));
  try {
    zone(root, 'intel-rapl:0', 'psys', 10);
    const d = discoverRaplZones(root);
    assert.ok(d.ok);
    assert.deepEqual(d.zones.map((z) => z.name), ['psys']);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('discovery: no powercap tree, and permission denied, each say why and what to do', () => {
  const missing = discoverRaplZones(join(tmpdir(), 'no-such-powercap-here'));
  assert.equal(missing.ok, false);
  assert.match((missing as { reason: string }).reason, /virtual machine/);
  const root = fakeServer();
  try {
    // Denied even when the tests run as root: the io layer answers as the kernel would to a user.
    const denying: PowercapIo = {
      readdir: nodePowercapIo.readdir,
      readFile: (p) => {
        if (p.endsWith('energy_uj')) throw Object.assign(new Error(`EACCES: permission denied, open '${p}'`), { code: 'EACCES' });
        return nodePowercapIo.readFile(p);
      },
    };
    const d = discoverRaplZones(root, denying);
    assert.equal(d.ok, false);
    assert.equal((d as { kind: string }).kind, 'permission');
    assert.match((d as { reason: string }).reason, /root only since Linux 5\.10.*chmod/);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('RAPL probe sums zones per domain across a wrap-around, with power series', async () => {
  const root = fakeServer();
  try {
    zone(root, 'intel-rapl:0', 'package-0', 900_000, 1_000_000);
    const probe = new RaplProbe({ powercapRoot: root, sampleIntervalMs: 10 });
    probe.attach();
    probe.windowStart();
    setEnergy(root, 'intel-rapl:0', 950_000);
    await new Promise((r) => setTimeout(r, 30));
    setEnergy(root, 'intel-rapl:0', 50_000); // wrapped: 100_000 + 50_000 since 950_000
    setEnergy(root, 'intel-rapl:1', 3_500_000);
    setEnergy(root, 'intel-rapl:0:2', 2_250_000);
    setEnergy(root, 'intel-rapl:1:0', 4_250_000);
    probe.windowEnd();
    const out = await probe.finish();
    assert.equal(out.failures, undefined);
    const cpu = out.energy?.find((r) => r.domain === 'cpu');
    const dram = out.energy?.find((r) => r.domain === 'dram');
    assert.equal(cpu?.source, 'rapl');
    assert.equal(cpu?.energyJ, (150_000 + 500_000) / 1e6);
    assert.equal(dram?.energyJ, 0.5);
    assert.ok(out.series?.some((s) => s.name === 'cpuPowerW' && s.unit === 'W' && s.values.length >= 1));
    // A window of milliseconds is shorter than the probe's minimum.
    assert.ok(out.warnings?.some((w) => w.code === 'energy-window-short'));
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('RAPL probe: a counter going backwards or becoming unreadable drops that domain with the reason', async () => {
  const root = fakeServer();
  try {
    let failReads = false;
    const io: PowercapIo = {
      readdir: nodePowercapIo.readdir,
      readFile: (p) => {
        if (failReads && p.includes('intel-rapl:0:2')) throw Object.assign(new Error('EIO: i/o error'), { code: 'EIO' });
        return nodePowercapIo.readFile(p);
      },
    };
    const probe = new RaplProbe({ powercapRoot: root, io });
    probe.attach();
    probe.windowStart();
    setEnergy(root, 'intel-rapl:1', 1_000); // far below the start, no single wrap explains it
    failReads = true;
    probe.windowEnd();
    const out = await probe.finish();
    assert.equal(out.energy, undefined);
    assert.match(out.energyUnavailable?.['rapl:cpu'] ?? '', /backwards/);
    assert.match(out.energyUnavailable?.['rapl:dram'] ?? '', /unreadable/);
    assert.equal(out.failures?.length, 2);
    assert.ok(out.failures?.every((f) => f.probe === 'rapl'));
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('RAPL probe on a machine without powercap reports unavailable, never throws', async () => {
  const probe = new RaplProbe({ powercapRoot: join(tmpdir(), 'no-such-powercap-here') });
  probe.attach();
  probe.windowStart();
  probe.windowEnd();
  const out = await probe.finish();
  assert.equal(out.energy, undefined);
  assert.match(out.energyUnavailable?.rapl ?? '', /powercap/);
});
