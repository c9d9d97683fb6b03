import type { Store } from './store.js';

/**
 * SQL of the relation `(trace_id, cpu, entity)`: which core (`S<p>-C<c>`) each logical CPU is on,
 * as the traces say it: core-scope samples that name their CPU, and the `cpuCores` map a parser
 * keeps in `traces.meta` (turbostat's CPU and Core columns). Join it to a trace selection.
 */
export const cpuCoresSql = `SELECT trace_id, cpu, entity FROM samples WHERE scope = 'core' AND cpu IS NOT NULL
  UNION SELECT t.trace_id, CAST(j.key AS INTEGER) AS cpu, j.value ->> '$' AS entity
  FROM traces AS t, json_each(t.meta, '$.cpuCores') AS j`;

/**
 * Logical CPU → core entity over the traces `traceIds` (see `cpuCoresSql`); a CPU the traces
 * place on two cores keeps the first entity in name order. Empty when no trace says.
 */
export async function readCpuCores(store: Store, traceIds: readonly number[]): Promise<Map<number, string>> {
  const out = new Map<number, string>();
  if (traceIds.length === 0) return out;
  const rows = await store.query(`SELECT DISTINCT cpu, entity FROM (${cpuCoresSql})
    WHERE trace_id IN (${traceIds.map(() => '?').join(', ')}) ORDER BY cpu, entity`, traceIds);
  for (const r of rows) if (!out.has(Number(r.cpu))) out.set(Number(r.cpu), String(r.entity));
  return out;
}
