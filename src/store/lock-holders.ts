/**
 * Which other processes have the database open, so that "database is locked"
 * can name them. Linux only (reads /proc); elsewhere it finds nobody.
 */
import { readdirSync, readFileSync, readlinkSync, realpathSync } from 'node:fs';

export interface LockHolder {
  pid: number;
  command: string;
}

export function processesHolding(dbPath: string): LockHolder[] {
  let target: string;
  try {
    target = realpathSync(dbPath);
  } catch {
    return [];
  }
  const wanted = new Set([target, `${target}-wal`, `${target}-shm`, `${target}-journal`]);
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((d) => /^\d+$/.test(d));
  } catch {
    return [];
  }
  const holders: LockHolder[] = [];
  for (const pid of pids) {
    if (Number(pid) === process.pid) continue;
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue; // gone, or not ours to look at
    }
    const holds = fds.some((fd) => {
      try {
        return wanted.has(readlinkSync(`/proc/${pid}/fd/${fd}`));
      } catch {
        return false;
      }
    });
    if (!holds) continue;
    let command = '?';
    try {
      command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');
    } catch { /* exited meanwhile */ }
    holders.push({ pid: Number(pid), command });
  }
  return holders;
}
