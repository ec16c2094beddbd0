/**
 * Ensemble, one runner with a session per member: each measured round runs
 * every member concurrently; then members run one after another for the
 * comparison. The round's time is the ensemble's latency.
 */
import type { HostTensor, Session } from '../runtimes/runtime.js';
import type { TrialSpec } from '../core/trial-spec.js';
import type { LoopHooks } from '../runner/loop.js';
import type { ScenarioRun } from './scenario.js';
import { getRuntime } from '../runtimes/registry.js';
import { synthesizeInputs } from '../runner/inputs.js';
import { measureLoop } from '../runner/loop.js';
import { nowMs } from '../runner/clock.js';
import type { EnsembleFigures } from '../results/types.js';
import { median } from '../stats/index.js';
import { ensemblePrediction } from './ensemble-prediction.js';
import { ensembleFigures } from './ensemble-figures.js';
import type { EnsembleSpecOptions } from './ensemble-members.js';


/** Alone rounds are fewer than co-located ones: they only anchor the comparison. */
const MAX_ALONE_ROUNDS = 50;

export async function runEnsembleSessions(
  spec: TrialSpec, first: Session, feeds: Record<string, HostTensor>, hooks: LoopHooks,
): Promise<ScenarioRun> {
  const { members } = spec.scenarioOptions!.ensemble as EnsembleSpecOptions;
  const runtime = await getRuntime(spec.runtime);
  const sessions: Session[] = [first];
  for (const m of members.slice(1)) {
    sessions.push(await runtime.createSession({ path: m.path }, { provider: spec.provider, settings: spec.settings }));
  }
  try {
    const prepared = sessions.map((s, i) => s.prepare(i === 0 ? feeds : synthesizeInputs(s.inputs, members[i].inputShapes, spec.seed, members[i].intRanges)));
    const memberStart: number[][] = sessions.map(() => []);
    const memberEnd: number[][] = sessions.map(() => []);
    const round = async () => {
      const t0 = nowMs();
      await Promise.all(sessions.map((s, i) => s.run(prepared[i]).then(() => { memberStart[i].push(t0); memberEnd[i].push(nowMs()); })));
    };
    const measurement = await measureLoop(round, spec.stopping, hooks);
    // The first inference and the warm-up ran through `round` too; keep the measured rounds only.
    const skip = 1 + measurement.warmupRuns;
    const starts = memberStart.map((xs) => xs.slice(skip));
    const ends = memberEnd.map((xs) => xs.slice(skip));
    const coLocated = ends.map((xs, i) => xs.map((e, k) => e - starts[i][k]));

    const aloneMs: number[][] = sessions.map(() => []);
    const rounds = Math.min(MAX_ALONE_ROUNDS, measurement.samplesMs.length);
    for (let r = 0; r < rounds; r++) {
      for (const [i, s] of sessions.entries()) {
        const t0 = nowMs();
        await s.run(prepared[i]);
        aloneMs[i].push(nowMs() - t0);
      }
    }
    let prediction: EnsembleFigures['prediction'];
    try {
      const outs = [];
      for (const [i, s] of sessions.entries()) outs.push(Object.values(await s.readOutputs(await s.run(prepared[i])))[0]);
      prediction = ensemblePrediction(outs).check;
    } catch (err) {
      prediction = { error: (err as Error).message };
    }
    const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
    const figures = ensembleFigures(spec.batchSize, members.map((m, i) => ({
      model: m.ref, callStartMs: starts[i], callEndMs: ends[i],
      coLocatedMedianMs: median(coLocated[i]), aloneMedianMs: median(aloneMs[i]),
      // Alone, the member's calls ran back to back: its items over the time they took.
      alonePerS: sum(aloneMs[i]) > 0 ? (aloneMs[i].length * spec.batchSize * 1000) / sum(aloneMs[i]) : 0,
    })));
    return { measurement, figures: { mode: 'sessions', ...figures, prediction } };
  } finally {
    for (const s of sessions.slice(1)) await s.dispose();
  }
}
