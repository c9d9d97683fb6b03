import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Store } from './store.js';

/** One replay run as `replay_runs` keeps it. */
export interface RunRecord {
  runId: string;
  traces: string;
  traceIds: readonly number[];
  /** sha256 of the energy model. */
  model: string;
  hostPolicy: string;
  guestPolicy: string;
  params: Readonly<Record<string, string>>;
  seed: number;
  tickSeconds: number;
  /** Replayed span, s. */
  t0: number;
  t1: number;
  /** The printed summary (`vheat replay --json`). */
  summary: unknown;
}

/** One `replay_metrics` row; `entity` '' for the whole run, else a VM. */
export interface MetricRow {
  metric: string;
  entity: string;
  value: number | null;
}

/** The three result tables, in the order they are written and exported. */
export const resultTables = ['replay_runs', 'replay_metrics', 'replay_series'] as const;

/** Removes every row of `runId` (a run replayed again replaces its earlier results). */
export async function deleteRun(store: Store, runId: string): Promise<void> {
  for (const table of resultTables) await store.run(`DELETE FROM ${table} WHERE run_id = ?`, [runId]);
}

/** Appends `replay_series` rows of one run through a DuckDB appender (columnar, bounded memory). */
export interface SeriesWriter {
  row(t0: number, t1: number, entity: string, metric: string, value: number): void;
  close(): void;
}

/** A `SeriesWriter` for run `runId`; non-finite values are stored as NULL. Close it before committing. */
export async function openSeriesWriter(store: Store, runId: string): Promise<SeriesWriter> {
  const appender = await store.appender('replay_series');
  return {
    row(t0, t1, entity, metric, value) {
      appender.appendVarchar(runId);
      appender.appendDouble(t0);
      appender.appendDouble(t1);
      appender.appendVarchar(entity);
      appender.appendVarchar(metric);
      if (Number.isFinite(value)) appender.appendDouble(value);
      else appender.appendNull();
      appender.endRow();
    },
    close() {
      appender.closeSync();
    },
  };
}

/** Writes a run's `replay_runs` row and its `replay_metrics` rows (replacing earlier ones). */
export async function saveRun(store: Store, run: RunRecord, metrics: readonly MetricRow[]): Promise<void> {
  await store.run('DELETE FROM replay_runs WHERE run_id = ?', [run.runId]);
  await store.run('DELETE FROM replay_metrics WHERE run_id = ?', [run.runId]);
  await store.run(
    `INSERT INTO replay_runs VALUES (?, ?, ?::JSON, ?, ?, ?, ?::JSON, ?, ?, ?, ?, now()::TIMESTAMP, ?::JSON)`,
    [run.runId, run.traces, JSON.stringify(run.traceIds), run.model, run.hostPolicy, run.guestPolicy,
      JSON.stringify(run.params), run.seed, run.tickSeconds, run.t0, run.t1, JSON.stringify(run.summary)],
  );
  const appender = await store.appender('replay_metrics');
  for (const m of metrics) {
    appender.appendVarchar(run.runId);
    appender.appendVarchar(m.metric);
    appender.appendVarchar(m.entity);
    if (m.value !== null && Number.isFinite(m.value)) appender.appendDouble(m.value);
    else appender.appendNull();
    appender.endRow();
  }
  appender.closeSync();
}

/**
 * Writes the result rows of `runIds` as Parquet under `dir`, Hive-partitioned by run:
 * `<dir>/<table>/run_id=<id>/data_0.parquet`. Runs of different shards or machines land in
 * different folders, so `read_parquet('<dir>/replay_metrics/*\/*.parquet', hive_partitioning = true)`
 * over the copied folders merges them. Returns the table folders written.
 */
export async function exportRunsParquet(store: Store, runIds: readonly string[], dir: string): Promise<string[]> {
  // Run ids are hex digests made by vheat; checked anyway, since COPY takes no bound parameters.
  const ids = runIds.filter((id) => /^[0-9a-f]+$/.test(id));
  if (ids.length === 0) return [];
  const out = resolve(dir);
  mkdirSync(out, { recursive: true });
  const list = ids.map((id) => `'${id}'`).join(', ');
  const written: string[] = [];
  for (const table of resultTables) {
    const path = join(out, table);
    await store.run(`COPY (SELECT * FROM ${table} WHERE run_id IN (${list}) ORDER BY ALL)
      TO '${path.replace(/'/g, "''")}' (FORMAT parquet, PARTITION_BY (run_id), OVERWRITE_OR_IGNORE true)`);
    written.push(path);
  }
  return written;
}
