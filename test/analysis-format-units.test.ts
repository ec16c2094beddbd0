import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatBound, formatValue } from '../src/analysis/format-units.js';

test('a CI of a memory figure is written in MiB like the figure, not in bytes', () => {
  assert.equal(formatValue(136_314_880, 'bytes'), '130 MiB');
  assert.equal(formatBound(133_199_756, 'bytes'), '127 MiB');
  assert.equal(formatBound(12.345, 'ms'), '12.3');
});
