/**
 * A failed kernel can leave a WebAssembly backend's memory corrupt: every
 * later op in the process then fails with "memory access out of bounds".
 * After any failure we check the active backend with one tiny op, and if it
 * is broken we replace it with a fresh instance, so one bad model never
 * makes tfjs unusable for the models that follow it.
 */
import * as tf from '@tensorflow/tfjs-core';

function healthy(): boolean {
  try {
    const sum = tf.tidy(() => tf.add(tf.tensor1d([1, 2]), tf.tensor1d([3, 4])).dataSync());
    return sum[0] === 4 && sum[1] === 6;
  } catch {
    return false;
  }
}

/** Makes sure the active backend still computes; rebuilds it when it does not. Returns whether it had to. */
export async function recoverBackend(): Promise<boolean> {
  if (healthy()) return false;
  const name = tf.getBackend();
  const factory = tf.findBackendFactory(name);
  if (!factory) return false;
  // Disposing a broken wasm backend itself faults; drop it without asking it to clean up.
  const broken = tf.findBackend(name);
  if (broken) broken.dispose = () => {};
  tf.removeBackend(name);
  tf.registerBackend(name, factory, 2);
  if (!(await tf.setBackend(name)) || !healthy()) {
    throw new Error(`tfjs ${name}: the backend broke after a failed load and could not be rebuilt; start a fresh process`);
  }
  return true;
}
