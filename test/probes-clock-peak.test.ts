import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { tempDir } from './helpers/models.js';
import { join } from 'node:path';
import { theoreticalPeak } from '../src/probes/cpu-peak.js';
import { ClockProbe } from '../src/probes/clock.js';
import { clockDropShare, readClockPolicy, readTemperaturesC } from '../src/probes/cpu-clock.js';

const cpu = (n: number, core: number, flags: string, extra = '') =>
  `processor\t: ${n}\nmodel name\t: Some CPU${extra}\nphysical id\t: 0\ncore id\t\t: ${core}\ncpu MHz\t\t: 2000.000\nflags\t\t: ${flags}\n`;

test('theoretical peak: AVX2+FMA, hyperthreads counted once, cpufreq maximum preferred', () => {
  const info = [cpu(0, 0, 'fpu sse2 avx avx2 fma'), cpu(1, 0, 'fpu sse2 avx avx2 fma'), cpu(2, 1, 'fpu sse2 avx avx2 fma'), cpu(3, 1, 'fpu sse2 avx avx2 fma')].join('\n');
  const p = theoreticalPeak(info, 3_000_000)!;
  assert.equal(p.cores, 2);
  assert.equal(p.simdLanesFp32, 8);
  assert.equal(p.fmaUnitsPerCore, 2);
  assert.equal(p.gflops, 2 * 8 * 2 * 2 * 3);
  assert.match(p.derivation, /2 cores x 8 fp32 lanes \(AVX\) x 2 FMA units x 2 FLOP x 3\.00 GHz \(cpufreq/);
  const avx512 = theoreticalPeak(cpu(0, 0, 'avx512f avx2 fma', ' @ 2.50GHz'))!;
  assert.equal(avx512.gflops, 1 * 16 * 2 * 2 * 2.5);
  assert.match(avx512.clockSource, /model name/);
  const old = theoreticalPeak(cpu(0, 0, 'fpu sse sse2'))!;
  assert.equal(old.gflops, 1 * 4 * 1 * 2 * 2);
  assert.equal(theoreticalPeak('processor\t: 0\nflags\t: avx\n'), undefined, 'no clock: no peak');
});

function fakeSys(mhz: () => number): { procRoot: string; sysRoot: string } {
  const root = tempDir('im-clock-');
  const sysRoot = join(root, 'sys');
  for (const c of ['cpu0', 'cpu1']) mkdirSync(join(sysRoot, 'devices/system/cpu', c, 'cpufreq'), { recursive: true });
  writeFileSync(join(sysRoot, 'devices/system/cpu/cpu0/cpufreq/scaling_governor'), 'powersave\n');
  mkdirSync(join(sysRoot, 'devices/system/cpu/intel_pstate'), { recursive: true });
  writeFileSync(join(sysRoot, 'devices/system/cpu/intel_pstate/no_turbo'), '0\n');
  mkdirSync(join(sysRoot, 'class/thermal/thermal_zone0'), { recursive: true });
  writeFileSync(join(sysRoot, 'class/thermal/thermal_zone0/type'), 'x86_pkg_temp\n');
  writeFileSync(join(sysRoot, 'class/thermal/thermal_zone0/temp'), '61000\n');
  const write = () => {
    for (const c of ['cpu0', 'cpu1']) writeFileSync(join(sysRoot, 'devices/system/cpu', c, 'cpufreq/scaling_cur_freq'), `${Math.round(mhz() * 1000)}\n`);
  };
  write();
  (fakeSys as unknown as { write: () => void }).write = write;
  return { procRoot: join(root, 'proc'), sysRoot };
}

test('clock policy and temperatures are read from /sys', () => {
  const roots = fakeSys(() => 3000);
  assert.deepEqual(readClockPolicy(roots), { governor: 'powersave', boost: true });
  assert.deepEqual(readTemperaturesC(roots), { x86_pkg_temp: 61 });
});

test('the clock probe records the frequency series and warns when the clock falls more than 10%', async () => {
  let mhz = 3000;
  const roots = fakeSys(() => mhz);
  const write = (fakeSys as unknown as { write: () => void }).write;
  const probe = new ClockProbe({ roots, sampleIntervalMs: 5 });
  probe.attach();
  probe.windowStart();
  mhz = 2500;
  write();
  await new Promise((r) => setTimeout(r, 30));
  probe.windowEnd();
  const out = await probe.finish();
  const clock = out.series!.find((s) => s.name === 'cpuClockMHz')!;
  assert.equal(clock.values[0], 3000);
  assert.equal(clock.values.at(-1), 2500);
  assert.ok(out.series!.some((s) => s.name === 'temperatureC:x86_pkg_temp' && s.values[0] === 61));
  assert.equal(out.warnings![0].code, 'clock-drop');
  assert.match(out.warnings![0].message, /fell 17% .*3000 -> 2500 MHz/);
  assert.equal(clockDropShare([3000, 2900, 2800]), 1 - 2800 / 3000);
  assert.equal(clockDropShare([3000, 3100]), 0);
});
