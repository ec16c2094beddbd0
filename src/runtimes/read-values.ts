/** Reading a session's outputs with string tensors included wherever the session can produce them. */
import type { Session, Tensor } from './runtime.js';

export function readAllOutputs(session: Session, raw: unknown): Promise<Record<string, Tensor>> {
  return session.readValues ? session.readValues(raw) : session.readOutputs(raw);
}
