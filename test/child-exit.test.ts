import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { onChildEnd } from '../src/launchers/child-exit.js';

const SENDER = fileURLToPath(new URL('./fixtures/send-and-exit.js', import.meta.url));

test('a child\'s end waits for the messages still in its channel when it exited', () => {
  // The order Node produces under load: 'exit', then the last message, then the channel's end.
  const child = Object.assign(new EventEmitter(), { connected: true }) as unknown as ChildProcess;
  const seen: string[] = [];
  child.on('message', () => seen.push('message'));
  onChildEnd(child, (code) => seen.push(`end ${code}`));
  child.emit('exit', 0, null);
  assert.deepEqual(seen, []);
  child.emit('message', { type: 'result' });
  (child as unknown as { connected: boolean }).connected = false;
  child.emit('disconnect');
  assert.deepEqual(seen, ['message', 'end 0']);
});

test('a child whose channel had closed before it exited ends at once', () => {
  const child = Object.assign(new EventEmitter(), { connected: false }) as unknown as ChildProcess;
  let ended: [number | null, NodeJS.Signals | null] | undefined;
  onChildEnd(child, (code, signal) => { ended = [code, signal]; });
  child.emit('exit', null, 'SIGKILL');
  assert.deepEqual(ended, [null, 'SIGKILL']);
});

test('real children that send a large message and exit at once: every message arrives before the end', async () => {
  let lost = 0;
  for (let round = 0; round < 10; round++) {
    await Promise.all([0, 1, 2, 3].map(() => new Promise<void>((resolve) => {
      const child = fork(SENDER, [], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'], serialization: 'advanced' });
      let got = false;
      child.on('message', () => { got = true; });
      onChildEnd(child, () => { if (!got) lost++; resolve(); });
      child.send({ type: 'go' });
    })));
  }
  assert.equal(lost, 0);
});
