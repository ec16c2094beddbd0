/** Run ids: readable, sortable by time, unique enough for one machine and its friends. */
import { randomBytes } from 'node:crypto';

const ALPHABET = 'abcdefghijkmnpqrstuvwxyz23456789'; // no l/1/o/0: ids get read aloud and typed

/** e.g. "20251123-084812-k3f9": UTC date and time, then 4 random characters. */
export function newRunId(now: Date = new Date(), random: Uint8Array = randomBytes(4)): string {
  const iso = now.toISOString(); // 2025-11-23T08:48:12.345Z
  const stamp = `${iso.slice(0, 10).replaceAll('-', '')}-${iso.slice(11, 19).replaceAll(':', '')}`;
  const suffix = Array.from(random.slice(0, 4), (b) => ALPHABET[b % ALPHABET.length]).join('');
  return `${stamp}-${suffix}`;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length];
}

/** The ids most like `wanted`: a shared prefix counts most (people type the date), then edit distance. */
export function nearestIds(wanted: string, ids: string[], count = 5): string[] {
  const score = (id: string): number => {
    let common = 0;
    while (common < wanted.length && common < id.length && wanted[common] === id[common]) common++;
    return editDistance(wanted, id) - 2 * common;
  };
  return ids
    .map((id) => ({ id, s: score(id) }))
    .sort((x, y) => x.s - y.s || (x.id < y.id ? 1 : -1))
    .slice(0, count)
    .map((x) => x.id);
}
