/** Text for `infermark zoo list`: pure, entries in, lines out. */
import type { TensorInfo } from '../runtimes/runtime.js';
import type { ZooEntry } from './catalog.js';

export function shapeText(info: TensorInfo): string {
  return `${info.name} ${info.dtype} [${info.shape.map((d) => d ?? '?').join(', ')}]`;
}

function millions(n: number): string {
  return `${(n / 1e6).toFixed(n < 1e6 ? 3 : 2)} M`;
}

function giga(n: number): string {
  return n < 1e7 ? `${(n / 1e6).toFixed(2)} M` : `${(n / 1e9).toFixed(2)} G`;
}

export function zooTable(entries: ZooEntry[]): string {
  const head = ['name', 'family', 'params', 'MACs/item', 'inputs', 'outputs'];
  const rows = entries.map((e) => [
    e.name, e.family, millions(e.params), giga(e.macs), e.inputs.map(shapeText).join('; '), e.outputs.map(shapeText).join('; '),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]))).join('  ');
  return `${[line(head), ...rows.map(line)].join('\n')}\n`;
}
