import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { listProcessTree, parseProcStat } from '../src/probes/proc-stat.js';
import { ProcessTreeProbe } from '../src/probes/proc-tree.js';
import { cpuSnapshot, othersCores, parseCpuBusyTicks } from '../src/probes/cpu-contention.js';

function statLine(pid: number, ppid: number, comm: string, utime: number, stime: number, rssPages: number, cutime = 0): string {
  // Fields 3..24 as the kernel writes them; only state, ppid, times and rss matter here.
  const f = ['S', ppid, pid, pid, 0, -1, 4194304, 0, 0, 0, 0, utime, stime, cutime, 0, 20, 0, 1, 0, 1000, 1000000, rssPages];
  return `${pid} (${comm}) ${f.join(' ')} 0 0 0\n`;
}

interface FakeProc { pid: number; ppid: number; utime: number; stime: number; rssPages: number; cutime?: number; children?: number[] }

function writeFakeProc(root: string, p: FakeProc, withChildrenFiles = true): void {
  const dir = join(root, String(p.pid));
  mkdirSync(join(dir, 'task', String(p.pid)), { recursive: true });
  writeFileSync(join(dir, 'stat'), statLine(p.pid, p.ppid, 'node (runner) x', p.utime, p.stime, p.rssPages, p.cutime));
  writeFileSync(join(dir, 'status'), `Name:\tnode\nVmHWM:\t   ${p.rssPages * 4 + 100} kB\nVmRSS:\t   ${p.rssPages * 4} kB\n`);
  if (withChildrenFiles) writeFileSync(join(dir, 'task', String(p.pid), 'children'), (p.children ?? []).map((c) => `${c} `).join(''));
}

test('parseProcStat counts fields from the last parenthesis', () => {
  const st = parseProcStat(statLine(42, 7, 'a) (b c', 150, 50, 1000, 30));
  assert.ok(st);
  assert.equal(st.pid, 42);
  assert.equal(st.ppid, 7);
  assert.equal(st.ownTicks, 200);
  assert.equal(st.reapedChildrenTicks, 30);
  assert.equal(st.rssPages, 1000);
  assert.equal(parseProcStat('garbage'), undefined);
});

test('listProcessTree follows children files and skips vanished processes', () => {
  const root = mkdtempSync(join(tmpdir(), 'fakeproc-'));
  try {
    writeFakeProc(root, { pid: 100, ppid: 1, utime: 0, stime: 0, rssPages: 10, children: [101, 102] });
    writeFakeProc(root, { pid: 101, ppid: 100, utime: 0, stime: 0, rssPages: 10, children: [103] });
    writeFakeProc(root, { pid: 103, ppid: 101, utime: 0, stime: 0, rssPages: 10 });
    // 102 is listed as a child but has already gone.
    assert.deepEqual(listProcessTree(root, 100), [100, 101, 102, 103]);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('listProcessTree falls back to a ppid scan without children files', () => {
  const root = mkdtempSync(join(tmpdir(), 'fakeproc-'));
  try {
    writeFakeProc(root, { pid: 200, ppid: 1, utime: 0, stime: 0, rssPages: 1 }, false);
    writeFakeProc(root, { pid: 201, ppid: 200, utime: 0, stime: 0, rssPages: 1 }, false);
    writeFakeProc(root, { pid: 202, ppid: 201, utime: 0, stime: 0, rssPages: 1 }, false);
    writeFakeProc(root, { pid: 300, ppid: 1, utime: 0, stime: 0, rssPages: 1 }, false);
    assert.deepEqual(listProcessTree(root, 200).sort(), [200, 201, 202]);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('process probe on a fake tree: RSS after load, peak, CPU over the window, series', async () => {
  const root = mkdtempSync(join(tmpdir(), 'fakeproc-'));
  try {
    const probe = new ProcessTreeProbe({ procRoot: root, sampleIntervalMs: 100000, clockTicksPerS: 100, pageSizeBytes: 4096 });
    writeFakeProc(root, { pid: 100, ppid: 1, utime: 5, stime: 1, rssPages: 100, children: [] });
    probe.attach({ pid: 100 });
    writeFakeProc(root, { pid: 100, ppid: 1, utime: 50, stime: 10, rssPages: 1000, children: [101] });
    writeFakeProc(root, { pid: 101, ppid: 100, utime: 20, stime: 0, rssPages: 500 });
    probe.loaded();
    probe.windowStart();
    await sleep(5);
    // The child exited and was reaped: its 30 ticks moved into the parent's cutime.
    rmSync(join(root, '101'), { recursive: true });
    writeFakeProc(root, { pid: 100, ppid: 1, utime: 150, stime: 30, rssPages: 1200, cutime: 30, children: [] });
    probe.windowEnd();
    const out = await probe.finish();
    assert.equal(out.failures, undefined);
    assert.equal(out.memory?.rssAfterLoadBytes, 1500 * 4096);
    // VmHWM of the root (1200*4+100 kB) is below the sampled tree peak (1500 pages).
    assert.equal(out.memory?.peakRssBytes, 1500 * 4096);
    assert.ok(out.cpu);
    // Ticks 70 at start (60 + child 20 ... minus nothing) -> 210 at end.
    assert.equal(out.cpu.cpuTimeS, (150 + 30 + 30 - (50 + 10 + 20)) / 100);
    assert.equal(out.cpu.coresBusy, out.cpu.cpuTimeS / out.cpu.windowS);
    const rss = out.series?.find((s) => s.name === 'rssBytes');
    assert.ok(rss);
    assert.equal(rss.unit, 'bytes');
    assert.deepEqual(rss.values, [1500 * 4096, 1200 * 4096]);
    assert.equal(rss.tMs[0], 0);
    assert.ok((out.overheadMs ?? -1) >= 0);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('process probe records a failure, not an exception, when there is no such process', async () => {
  const root = mkdtempSync(join(tmpdir(), 'fakeproc-'));
  try {
    const probe = new ProcessTreeProbe({ procRoot: root, clockTicksPerS: 100, pageSizeBytes: 4096 });
    probe.attach({ pid: 999 });
    probe.loaded();
    probe.windowStart();
    probe.windowEnd();
    const out = await probe.finish();
    assert.equal(out.cpu, undefined);
    assert.equal(out.memory, undefined);
    assert.ok(out.failures && out.failures.length > 0);
    assert.equal(out.failures[0].probe, 'process');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('process probe watches a real child and its grandchild', async () => {
  const script = `
    const { spawn } = require('node:child_process');
    const g = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 5000)'], { stdio: 'ignore' });
    process.on('message', (m) => { if (m === 'stop') { g.kill(); process.exit(0); } });
    process.send('ready');`;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'ignore', 'ignore', 'ipc'] });
  try {
    await new Promise((resolve) => child.once('message', resolve));
    const probe = new ProcessTreeProbe({ sampleIntervalMs: 10 });
    probe.attach({ pid: child.pid! });
    probe.loaded();
    probe.windowStart();
    await sleep(30);
    probe.windowEnd();
    const out = await probe.finish();
    assert.equal(out.failures, undefined);
    assert.ok(out.memory && (out.memory.peakRssBytes ?? 0) > 0);
    assert.ok((out.memory.rssAfterLoadBytes ?? 0) > 0);
    assert.ok(out.cpu && out.cpu.cpuTimeS >= 0 && out.cpu.windowS > 0);
    assert.ok((out.series?.[0].values.length ?? 0) >= 2);
  } finally {
    child.send('stop');
    await new Promise((resolve) => child.once('exit', resolve));
  }
});

test('estimate probe: the runner tree\'s CPU seconds x watts per core, labelled', async () => {
  const { EstimateProbe } = await import('../src/probes/estimate.js');
  const root = mkdtempSync(join(tmpdir(), 'fakeproc-'));
  try {
    writeFakeProc(root, { pid: 100, ppid: 1, utime: 10, stime: 0, rssPages: 1 });
    const probe = new EstimateProbe({ procRoot: root, clockTicksPerS: 100, wattsPerCore: 8, noSensorReason: 'no powercap' });
    probe.attach({ pid: 100 });
    probe.windowStart();
    writeFakeProc(root, { pid: 100, ppid: 1, utime: 160, stime: 50, rssPages: 1 });
    probe.windowEnd();
    const out = await probe.finish();
    assert.deepEqual(out.energy, [{ source: 'estimate', domain: 'cpu', energyJ: 16, model: { name: 'cpu-seconds-x-watts-per-core', constants: { wattsPerCore: 8, cpuTimeS: 2 } } }]);
    assert.deepEqual(out.energyUnavailable, { rapl: 'no powercap' });
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('cpuSnapshot and othersCores: the machine\'s busy and stolen time, less the tree\'s own and reaped time', () => {
  const root = mkdtempSync(join(tmpdir(), 'fakeproc-'));
  try {
    // user nice system idle iowait irq softirq steal: busy 100+0+50+5+5, stolen 10.
    writeFileSync(join(root, 'stat'), 'cpu  100 0 50 1000 7 5 5 10 0 0\ncpu0 50 0 25 500 3 2 2 5 0 0\n');
    writeFakeProc(root, { pid: 400, ppid: 1, utime: 30, stime: 10, rssPages: 1, children: [401] });
    writeFakeProc(root, { pid: 401, ppid: 400, utime: 20, stime: 0, rssPages: 1 });
    const before = cpuSnapshot(400, root)!;
    assert.deepEqual({ machine: before.machineTicks, tree: before.treeTicks }, { machine: 170, tree: 60 });
    // One second later: the machine was busy 300 ticks more; the tree took 150 of them (401 ended and was reaped into 400).
    writeFileSync(join(root, 'stat'), 'cpu  350 0 90 1100 7 5 5 20 0 0\n');
    rmSync(join(root, '401'), { recursive: true });
    writeFakeProc(root, { pid: 400, ppid: 1, utime: 130, stime: 30, rssPages: 1, cutime: 50, children: [] });
    const after = { ...cpuSnapshot(400, root)!, atMs: before.atMs + 1000 };
    assert.equal(after.treeTicks, 210);
    // (300 busy - 150 tree) ticks at 100 per second, over one second: 1.5 cores.
    assert.ok(Math.abs(othersCores(before, after, 100) - 1.5) < 1e-9, String(othersCores(before, after, 100)));
    assert.equal(othersCores(before, { ...after, machineTicks: before.machineTicks + 100 }, 100), 0, 'never below 0');
    assert.equal(parseCpuBusyTicks('cpu0 1 2 3 4 5 6 7 8\n'), undefined, 'only the aggregate line counts');
    assert.equal(cpuSnapshot(400, join(root, 'missing')), undefined);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
