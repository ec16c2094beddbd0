/** The detail rows of one trial (samples, energy readings, series) in PostgreSQL: the same layout as SQLite's. */
import type pg from 'pg';
import type { EnergyReading, TrialResult } from '../../results/types.js';
import { decodeFloats, encodeFloats, type TrialDetails } from '../codec.js';

export async function insertDetailsPg(c: pg.PoolClient, trialId: string, details: TrialDetails): Promise<void> {
  if (details.samplesMs) {
    await c.query('INSERT INTO samples (trial_id, count, latency_ms) VALUES ($1, $2, $3)', [trialId, details.samplesMs.length, encodeFloats(details.samplesMs)]);
  }
  for (const [i, r] of (details.readings ?? []).entries()) {
    await c.query(`INSERT INTO energy_readings (trial_id, idx, source, domain, energy_j, dynamic_energy_j, estimated, model_json)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [trialId, i, r.source, r.domain, r.energyJ, r.dynamicEnergyJ ?? null, r.source === 'estimate' ? 1 : 0, r.model ? JSON.stringify(r.model) : null]);
  }
  for (const [i, s] of (details.series ?? []).entries()) {
    await c.query('INSERT INTO series (trial_id, idx, name, unit, t_ms, vals) VALUES ($1, $2, $3, $4, $5, $6)',
      [trialId, i, s.name, s.unit, encodeFloats(s.tMs), encodeFloats(s.values)]);
  }
}

interface ReadingRow { source: string; domain: string; energy_j: number; dynamic_energy_j: number | null; model_json: string | null }
interface SeriesRow { name: string; unit: string; t_ms: Buffer; vals: Buffer }

export async function joinResultPg(c: pg.PoolClient, trialId: string, json: string): Promise<TrialResult> {
  const result = JSON.parse(json) as TrialResult;
  if (result.status !== 'ok') return result;
  const samples = (await c.query<{ latency_ms: Buffer }>('SELECT latency_ms FROM samples WHERE trial_id = $1', [trialId])).rows[0];
  result.samplesMs = samples ? decodeFloats(samples.latency_ms) : (result.samplesMs ?? []);
  if (result.energy && !result.energy.readings) {
    const rows = (await c.query<ReadingRow>('SELECT * FROM energy_readings WHERE trial_id = $1 ORDER BY idx', [trialId])).rows;
    result.energy.readings = rows.map((r) => {
      const reading: EnergyReading = { source: r.source as EnergyReading['source'], domain: r.domain as EnergyReading['domain'], energyJ: r.energy_j };
      if (r.dynamic_energy_j !== null) reading.dynamicEnergyJ = r.dynamic_energy_j;
      if (r.model_json) reading.model = JSON.parse(r.model_json);
      return reading;
    });
  }
  if (result.series) return result;
  const series = (await c.query<SeriesRow>('SELECT name, unit, t_ms, vals FROM series WHERE trial_id = $1 ORDER BY idx', [trialId])).rows;
  if (series.length) result.series = series.map((s) => ({ name: s.name, unit: s.unit, tMs: decodeFloats(s.t_ms), values: decodeFloats(s.vals) }));
  return result;
}
