/**
 * A failed kernel can leave a WebAssembly backend's memory corrupt: every
 * later op in the process then fails with "memory access out of bounds".
 * After any failure we check the active backend with one tiny op, and if it
 * is broken we replace it with a fresh instance, so one bad model never
 * makes tfjs unusable for the models that follow it.
 */
import * as tf from '@tensorflow/tfjs-core';
import { withoutProcessHooks } from './process-hooks.js';

function healthy(): boolean {
  try {
    const sum = tf.tidy(() => tf.add(tf.tensor1d([1, 2]), tf.tensor1d([3, 4])).dataSync());
    return sum[0] === 4 && sum[1] === 6;
  } catch {
    return false;
  }
}

/** Whether `err` (or what it wraps) is a WebAssembly trap: the backend's memory may be corrupt even if a tiny op still works. */
export function isWasmFault(err: unknown): boolean {
  for (let e = err; e instanceof Error; e = e.cause) {
    if (e instanceof WebAssembly.RuntimeError || /memory access out of bounds|Aborted\(|unreachable/.test(e.message)) return true;
  }
  return false;
}

/**
 * Makes sure the active backend still computes; rebuilds it when it does not,
 * or always when `fault` says a kernel trapped. Returns whether it rebuilt.
 */
export async function recoverBackend(fault = false): Promise<boolean> {
  if (!fault && healthy()) return false;
  const name = tf.getBackend();
  const factory = tf.findBackendFactory(name);
  if (!factory) return false;
  // Disposing a broken wasm backend itself faults; drop it without asking it to clean up.
  const broken = tf.findBackend(name);
  if (broken) broken.dispose = () => {};
  tf.removeBackend(name);
  tf.registerBackend(name, factory, 2);
  let started = false;
  try {
    started = await withoutProcessHooks(() => tf.setBackend(name));
  } catch {
    started = false;
  }
  if (!started || !healthy()) {
    // Left registered, so that the next load() tries a fresh instance again instead of failing for good.
    throw new Error(`tfjs ${name}: the backend broke after a failed kernel and could not be rebuilt now; the next load() tries a fresh instance`);
  }
  return true;
}

/** The error a fault is reported with: what failed, and that the backend was replaced. */
export function faultError(err: unknown, rebuilt: boolean): unknown {
  if (!rebuilt || !(err instanceof Error)) return err;
  return new Error(`${err.message} (the tfjs ${tf.getBackend()} backend faulted and was replaced by a fresh instance; later models in this process run normally)`, { cause: err });
}
