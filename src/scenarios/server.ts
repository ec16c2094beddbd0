/**
 * server: queries arrive at a Poisson rate and are served in dynamic batches
 * (up to maxBatch, waiting at most maxWait); the rate is searched for the
 * highest one whose p99 holds. Its loop (server-loop.ts) runs in the runner.
 */
import type { Scenario } from './scenario.js';
import { durationSchema } from '../core/json-schema.js';
import { parseDurationMs } from '../core/parse-values.js';

export interface ServerOptions { ratePerS?: number; p99Ms?: number; maxBatch: number; maxWaitMs: number; queries: number }

export const server: Scenario = {
  name: 'server',
  description: 'Poisson arrivals served in dynamic batches; finds the highest rate whose p99 holds',
  options: {
    key: 'server',
    schema: {
      type: 'object',
      additionalProperties: false,
      properties: {
        ratePerS: { type: 'number', exclusiveMinimum: 0, description: 'Poisson arrivals per second; omit it to search for the highest rate whose p99 holds' },
        p99: { ...durationSchema, description: 'the p99 latency bound of the rate search' },
        maxBatch: { type: 'integer', minimum: 1, default: 1, description: 'largest batch formed from queued queries' },
        maxWait: { ...durationSchema, default: '0ms', description: 'longest wait for a batch to fill' },
        queries: { type: 'integer', minimum: 10, default: 500, description: 'queries per rate tried' },
      },
    },
    resolve: (s, fieldOf): ServerOptions => ({
      ...(s.ratePerS !== undefined ? { ratePerS: s.ratePerS as number } : {}),
      ...(s.p99 !== undefined ? { p99Ms: parseDurationMs(fieldOf('p99'), s.p99 as string) } : {}),
      maxBatch: (s.maxBatch as number | undefined) ?? 1,
      maxWaitMs: s.maxWait !== undefined ? parseDurationMs(fieldOf('maxWait'), s.maxWait as string, { minMs: 0 }) : 0,
      queries: (s.queries as number | undefined) ?? 500,
    }),
  },
  flags: { rate: 'ratePerS', p99: 'p99', 'max-batch': 'maxBatch', 'max-wait': 'maxWait', queries: 'queries' },
  runsIn: () => 'runner',
  // Outputs are checked on the batch it serves; a FLOP rate over queueing latencies would mean nothing.
  checks: { agreement: true, efficiency: false },
  latencyWarnings: false,
  batchScan: false,
  duration: {
    predictMs(spec, [s], ctx) {
      const o = spec.scenarioOptions?.server as ServerOptions | undefined;
      const queries = o?.queries ?? 500;
      const capacityPerS = (spec.batchSize * 1000) / s.latencyMs;
      // A fixed rate serves its queries once; a search tries six rates around half the capacity.
      const serveMs = o?.ratePerS !== undefined ? (queries / o.ratePerS) * 1000 : 6 * (queries / (0.4 * capacityPerS)) * 1000;
      return ctx.startupMs + s.loadMs + 6 * s.latencyMs + serveMs;
    },
    windows: () => 6,
  },
  // A server trial's batch is the largest batch the server may form.
  batches: (_requested, options) => [(options?.server as ServerOptions | undefined)?.maxBatch ?? 1],
  async runInRunner(spec, session, feeds, hooks) {
    const { runServerScenario } = await import('./server-loop.js');
    return runServerScenario(spec, session, feeds, hooks);
  },
};
