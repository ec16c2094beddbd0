/**
 * A Node child process with a temp folder of its own as TMPDIR (what it and the frameworks it starts
 * write there), removed here when it exits: a child killed by a timeout never cleans up after itself.
 */
import { fork, type ChildProcess, type StdioOptions } from 'node:child_process';
import { makeTempDir, removeTempDir } from '../files/temp-dirs.js';

export function forkWithOwnTemp(modulePath: string, stdio: StdioOptions): ChildProcess {
  const tmp = makeTempDir('infermark-child-');
  const child = fork(modulePath, [], { stdio, serialization: 'advanced', env: { ...process.env, TMPDIR: tmp } });
  child.once('exit', () => removeTempDir(tmp));
  return child;
}
