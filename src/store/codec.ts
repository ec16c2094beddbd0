/**
 * How one TrialResult is laid out in the database: the result as JSON minus
 * its bulky parts (raw samples, energy readings, time series), which go to
 * their own tables, and back again.
 */
import type BetterSqlite3 from 'better-sqlite3';
import type { EnergyReading, TimeSeries, TrialResult } from '../results/types.js';
import { migrateResult } from '../results/migrate.js';

export interface TrialDetails {
  samplesMs?: number[];
  readings?: EnergyReading[];
  series?: TimeSeries[];
}

/** Float64 little-endian, whatever the machine: a database file may move between machines. */
export function encodeFloats(values: number[]): Buffer {
  const buf = Buffer.alloc(values.length * 8);
  values.forEach((v, i) => buf.writeDoubleLE(v, i * 8));
  return buf;
}

export function decodeFloats(buf: Buffer): number[] {
  const out = new Array<number>(buf.length / 8);
  for (let i = 0; i < out.length; i++) out[i] = buf.readDoubleLE(i * 8);
  return out;
}

/** Results of an older format (an imported file, a row of an older database) are stored as the current one. */
export function splitResult(record: TrialResult): { json: string; details: TrialDetails } {
  const result = migrateResult(record);
  if (result.status !== 'ok') return { json: JSON.stringify(result), details: {} };
  // Empty lists stay in the JSON so that a round trip gives back exactly what was stored.
  const { samplesMs, ...rest } = result;
  const details: TrialDetails = { samplesMs };
  const stored: Record<string, unknown> = { ...rest };
  if (rest.series?.length) {
    details.series = rest.series;
    delete stored.series;
  }
  if (rest.energy?.readings.length) {
    const { readings, ...energy } = rest.energy;
    details.readings = readings;
    stored.energy = energy;
  }
  return { json: JSON.stringify(stored), details };
}

export function insertDetails(db: BetterSqlite3.Database, trialId: number | bigint, details: TrialDetails): void {
  if (details.samplesMs) {
    db.prepare('INSERT INTO samples (trial_id, count, latency_ms) VALUES (?, ?, ?)')
      .run(trialId, details.samplesMs.length, encodeFloats(details.samplesMs));
  }
  if (details.readings?.length) {
    const ins = db.prepare(`INSERT INTO energy_readings (trial_id, idx, source, domain, energy_j, dynamic_energy_j, estimated, model_json)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?)`);
    details.readings.forEach((r, i) => ins.run(trialId, i, r.source, r.domain, r.energyJ, r.dynamicEnergyJ ?? null,
      r.source === 'estimate' ? 1 : 0, r.model ? JSON.stringify(r.model) : null));
  }
  if (details.series?.length) {
    const ins = db.prepare('INSERT INTO series (trial_id, idx, name, unit, t_ms, vals) VALUES (?, ?, ?, ?, ?, ?)');
    details.series.forEach((s, i) => ins.run(trialId, i, s.name, s.unit, encodeFloats(s.tMs), encodeFloats(s.values)));
  }
}

interface ReadingRow { idx: number; source: string; domain: string; energy_j: number; dynamic_energy_j: number | null; model_json: string | null }
interface SeriesRow { idx: number; name: string; unit: string; t_ms: Buffer; vals: Buffer }

/** Rebuilds the TrialResult from its JSON and its detail rows. */
export function joinResult(db: BetterSqlite3.Database, trialId: number, json: string): TrialResult {
  const result = migrateResult(JSON.parse(json));
  if (result.status !== 'ok') return result;
  const samples = db.prepare('SELECT latency_ms FROM samples WHERE trial_id = ?').get(trialId) as { latency_ms: Buffer } | undefined;
  result.samplesMs = samples ? decodeFloats(samples.latency_ms) : (result.samplesMs ?? []);
  if (result.energy && !result.energy.readings) {
    const rows = db.prepare('SELECT * FROM energy_readings WHERE trial_id = ? ORDER BY idx').all(trialId) as ReadingRow[];
    result.energy.readings = rows.map((r) => {
      const reading: EnergyReading = { source: r.source as EnergyReading['source'], domain: r.domain as EnergyReading['domain'], energyJ: r.energy_j };
      if (r.dynamic_energy_j !== null) reading.dynamicEnergyJ = r.dynamic_energy_j;
      if (r.model_json) reading.model = JSON.parse(r.model_json);
      return reading;
    });
  }
  if (result.series) return result;
  const series = db.prepare('SELECT * FROM series WHERE trial_id = ? ORDER BY idx').all(trialId) as SeriesRow[];
  if (series.length) result.series = series.map((s) => ({ name: s.name, unit: s.unit, tMs: decodeFloats(s.t_ms), values: decodeFloats(s.vals) }));
  return result;
}
