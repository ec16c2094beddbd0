/**
 * Every instance of the Emscripten-built wasm backend adds process-wide
 * 'uncaughtException' and 'unhandledRejection' listeners that rethrow, so
 * that any later uncaught error anywhere in the process (not only in tfjs)
 * ends it with exit code 7 instead of going to the host's own handling; a
 * rebuilt backend adds another pair each time. infermark is a library too:
 * the listeners a backend start adds are removed again at once.
 */
const EVENTS = ['uncaughtException', 'unhandledRejection'] as const;

/** Runs `start` and removes the process listeners it added. */
export async function withoutProcessHooks<T>(start: () => Promise<T>): Promise<T> {
  const emitter: NodeJS.EventEmitter = process;
  const before = new Map(EVENTS.map((e) => [e, new Set(emitter.listeners(e))]));
  try {
    return await start();
  } finally {
    for (const e of EVENTS) {
      for (const l of emitter.listeners(e)) {
        if (!before.get(e)!.has(l)) emitter.removeListener(e, l as (...args: unknown[]) => void);
      }
    }
  }
}
