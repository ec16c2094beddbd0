/**
 * A forked child's end, after the messages it sent before it: Node can emit 'exit' before the
 * parent has read the last messages still in the IPC channel (seen under load: a runner's result
 * lost as "exited with code 0 before reporting a result"). The channel's 'disconnect' comes after
 * its last message has been read, so the handler waits for it, bounded in case it never comes.
 */
import type { ChildProcess } from 'node:child_process';

const CHANNEL_DRAIN_MS = 5000;

export function onChildEnd(child: ChildProcess, handler: (code: number | null, signal: NodeJS.Signals | null) => void): void {
  child.once('exit', (code, signal) => {
    if (!child.connected) return handler(code, signal);
    let ended = false;
    const end = () => {
      if (ended) return;
      ended = true;
      clearTimeout(timer);
      handler(code, signal);
    };
    const timer = setTimeout(end, CHANNEL_DRAIN_MS);
    child.once('disconnect', end);
  });
}
