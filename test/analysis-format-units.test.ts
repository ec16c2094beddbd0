import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatBound, formatValue } from '../src/analysis/format-units.js';

test('a CI of a memory figure is written in MiB like the figure, not in bytes', () => {
  assert.equal(formatValue(136_314_880, 'bytes'), '130 MiB');
  assert.equal(formatBound(133_199_756, 'bytes'), '127 MiB');
  assert.equal(formatBound(12.345, 'ms'), '12.3');
});

test('the terminal forms come from the same module the reports use, and the CLI re-exports them unchanged', async () => {
  const units = await import('../src/analysis/format-units.js');
  const cli = await import('../src/cli/format.js');
  assert.equal(cli.fmtMs, units.fmtMs);
  assert.equal(cli.fmtNum, units.fmtNum);
  assert.equal(units.fmtMs(0.12345), '0.123');
  assert.equal(units.fmtMs(12.345), '12.35');
  assert.equal(units.fmtMs(Number.NaN), '-');
  assert.equal(units.fmtNum(1234.5), '1235');
  assert.equal(units.fmtDuration(125_000), '2m05s');
});
