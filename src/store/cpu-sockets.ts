import { BundleError } from '../errors.js';
import { messages } from '../messages.js';
import { cpuCoresSql } from './cpu-cores.js';
import type { Store } from './store.js';

/** The host's CPU → socket map as a recording gives it, and where it says so. */
export interface RecordedCpuSockets {
  /** Socket of each logical CPU, index = CPU number (0 … n−1, no gaps). */
  cpuSocket: number[];
  /** Who says it, for a note: `bundle.json of <bundle>`, `the core ids of <bundle>/<trace>`. */
  sources: string[];
}

/**
 * SQL of the relation `(trace_id, cpu, socket, source)`: the socket of each logical CPU as the
 * traces say it: the `cpuSocket` map ingest keeps in `traces.meta` from bundle.json's topology,
 * and the package of the core each CPU is on (`cpuCoresSql`, e.g. turbostat's `S<p>-C<c>`).
 */
export const cpuSocketsSql = `SELECT t.trace_id, CAST(j.key AS INTEGER) AS cpu, CAST(j.value AS INTEGER) AS socket,
    'bundle.json of ' || coalesce(t.bundle, t.name) AS source
  FROM traces AS t, json_each(t.meta, '$.cpuSocket') AS j
  UNION ALL SELECT c.trace_id, c.cpu, TRY_CAST(regexp_extract(c.entity, '^S(\\d+)', 1) AS INTEGER) AS socket,
    'the core ids of ' || coalesce(t.bundle || '/', '') || t.name AS source
  FROM (${cpuCoresSql}) AS c JOIN traces AS t ON t.trace_id = c.trace_id`;

/**
 * CPU → socket over the traces `traceIds` (see `cpuSocketsSql`), or null when none of them says.
 * Throws `bundle.cpuSocketConflict` when two of them place a CPU on different sockets, and
 * `bundle.cpuSocketGap` when they skip a CPU below the highest they name (a map with a hole
 * would misplace counts); `--cpu-socket` is the way out of both.
 */
export async function readCpuSockets(store: Store, traceIds: readonly number[]): Promise<RecordedCpuSockets | null> {
  if (traceIds.length === 0) return null;
  const rows = await store.query(`SELECT DISTINCT cpu, socket, source FROM (${cpuSocketsSql})
    WHERE socket IS NOT NULL AND trace_id IN (${traceIds.map(() => '?').join(', ')}) ORDER BY cpu, socket, source`, traceIds);
  if (rows.length === 0) return null;
  // cpu → socket → the sources that say so
  const claims = new Map<number, Map<number, string[]>>();
  for (const r of rows) {
    const bySocket = claims.get(Number(r.cpu)) ?? new Map<number, string[]>();
    claims.set(Number(r.cpu), bySocket);
    bySocket.set(Number(r.socket), [...bySocket.get(Number(r.socket)) ?? [], String(r.source)]);
  }
  const sources = [...new Set(rows.map((r) => String(r.source)))];
  const cpuSocket: number[] = [];
  const highest = Math.max(...claims.keys());
  for (let cpu = 0; cpu <= highest; cpu++) {
    const said = [...claims.get(cpu) ?? []];
    if (said.length === 0) throw new BundleError('bundle.cpuSocketGap', messages.cpuSocketGap(cpu, highest, sources), { hint: messages.hintCpuSocket() });
    if (said.length > 1) throw new BundleError('bundle.cpuSocketConflict', messages.cpuSocketConflict(cpu, said), { hint: messages.hintCpuSocket() });
    cpuSocket.push(said[0]![0]);
  }
  return { cpuSocket, sources };
}
