/**
 * Reading one process's figures, and the list of a process's descendants,
 * from a /proc tree. The root is injectable so tests can use a fake tree.
 * A process that vanishes between listing and reading is simply absent.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

export interface ProcStat {
  pid: number;
  ppid: number;
  state: string;
  /** User + system time of the process itself, in clock ticks. */
  ownTicks: number;
  /** User + system time of children it has waited for, in clock ticks. */
  reapedChildrenTicks: number;
  rssPages: number;
}

/**
 * Parses /proc/<pid>/stat. The command name (field 2) is in parentheses and
 * may itself hold spaces and parentheses, so fields are counted from the
 * last ')'.
 */
export function parseProcStat(text: string): ProcStat | undefined {
  const close = text.lastIndexOf(')');
  const open = text.indexOf('(');
  if (close < 0 || open < 0) return undefined;
  const pid = Number(text.slice(0, open).trim());
  // After ')': state(3) ppid(4) ... utime(14) stime(15) cutime(16) cstime(17) ... rss(24).
  const f = text.slice(close + 2).trim().split(/\s+/);
  if (f.length < 22) return undefined;
  const num = (i: number): number => Number(f[i]);
  const stat: ProcStat = {
    pid,
    ppid: num(1),
    state: f[0],
    ownTicks: num(11) + num(12),
    reapedChildrenTicks: num(13) + num(14),
    rssPages: num(21),
  };
  return Object.values(stat).every((v) => typeof v === 'string' || Number.isFinite(v)) ? stat : undefined;
}

export function readProcStat(procRoot: string, pid: number): ProcStat | undefined {
  try {
    return parseProcStat(readFileSync(join(procRoot, String(pid), 'stat'), 'utf8'));
  } catch {
    return undefined;
  }
}

/** VmHWM (the kernel's own peak RSS of one process) in bytes, or undefined. */
export function readVmHwmBytes(procRoot: string, pid: number): number | undefined {
  try {
    const m = /^VmHWM:\s+(\d+)\s+kB/m.exec(readFileSync(join(procRoot, String(pid), 'status'), 'utf8'));
    return m ? Number(m[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

function childrenFromTasks(procRoot: string, pid: number): number[] | undefined {
  let tids: string[];
  try {
    tids = readdirSync(join(procRoot, String(pid), 'task'));
  } catch {
    return [];
  }
  const out: number[] = [];
  let seenFile = false;
  for (const tid of tids) {
    try {
      const text = readFileSync(join(procRoot, String(pid), 'task', tid, 'children'), 'utf8');
      seenFile = true;
      for (const c of text.split(/\s+/)) if (c) out.push(Number(c));
    } catch {
      // The thread ended, or the kernel lacks CONFIG_PROC_CHILDREN; told apart below.
    }
  }
  return seenFile || tids.length === 0 ? out : undefined;
}

function childrenByPpidScan(procRoot: string): Map<number, number[]> {
  const byParent = new Map<number, number[]>();
  let entries: string[];
  try {
    entries = readdirSync(procRoot);
  } catch {
    return byParent;
  }
  for (const e of entries) {
    if (!/^\d+$/.test(e)) continue;
    const st = readProcStat(procRoot, Number(e));
    if (!st) continue;
    const list = byParent.get(st.ppid) ?? [];
    list.push(st.pid);
    byParent.set(st.ppid, list);
  }
  return byParent;
}

/**
 * The root and all its descendants, root first. Uses the cheap
 * task/<tid>/children files, and scans every /proc/<pid>/stat for ppids
 * only where the kernel offers no children files.
 */
export function listProcessTree(procRoot: string, rootPid: number): number[] {
  const tree: number[] = [rootPid];
  const seen = new Set(tree);
  let scan: Map<number, number[]> | undefined;
  for (let i = 0; i < tree.length; i++) {
    const pid = tree[i];
    let kids = scan ? undefined : childrenFromTasks(procRoot, pid);
    if (!kids) {
      scan ??= childrenByPpidScan(procRoot);
      kids = scan.get(pid) ?? [];
    }
    for (const k of kids) {
      if (!seen.has(k)) {
        seen.add(k);
        tree.push(k);
      }
    }
  }
  return tree;
}
