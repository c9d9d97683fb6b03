import type { Store } from './store.js';

/** A new `traces` row, before its rows are loaded. */
export interface NewTrace {
  name: string;
  bundle: string | null;
  host: string | null;
  hypervisor: string | null;
  source: string;
  contentHash: string;
  format: string;
}

/** The trace already holding content with this sha256, if any. */
export async function findTraceByHash(store: Store, contentHash: string): Promise<number | undefined> {
  const rows = await store.query('SELECT trace_id FROM traces WHERE content_hash = ?', [contentHash]);
  return rows.length ? Number(rows[0]!.trace_id) : undefined;
}

/** Inserts a `traces` row and returns its new id. Call inside the ingest transaction. */
export async function insertTrace(store: Store, t: NewTrace): Promise<number> {
  const rows = await store.query('SELECT coalesce(max(trace_id), 0) + 1 AS id FROM traces');
  const id = Number(rows[0]!.id);
  await store.run(
    `INSERT INTO traces (trace_id, name, bundle, host, hypervisor, source, content_hash, format,
       start_time, ingested_at, skipped_lines, meta)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, now()::TIMESTAMP, 0, NULL)`,
    [id, t.name, t.bundle, t.host, t.hypervisor, t.source, t.contentHash, t.format],
  );
  return id;
}

/** What parsing found out about a trace, written once its rows are loaded. */
export interface TraceOutcome {
  host: string | null;
  hypervisor: string | null;
  /** Unix epoch seconds. */
  startEpochSeconds: number | null;
  skippedLines: number;
  meta: Record<string, unknown>;
}

export async function completeTrace(store: Store, traceId: number, o: TraceOutcome): Promise<void> {
  await store.run(
    `UPDATE traces SET host = coalesce(?, host), hypervisor = coalesce(?, hypervisor),
       start_time = CASE WHEN ?::DOUBLE IS NULL THEN NULL ELSE make_timestamp((?::DOUBLE * 1e6)::BIGINT) END,
       skipped_lines = ?, meta = ?::JSON
     WHERE trace_id = ?`,
    [o.host, o.hypervisor, o.startEpochSeconds, o.startEpochSeconds, o.skippedLines, JSON.stringify(o.meta), traceId],
  );
}
