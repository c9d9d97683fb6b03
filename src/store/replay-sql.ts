/**
 * The SQL pieces the replay's reads share (`replay-data.ts`, `event-rates.ts`): bound VALUES
 * relations, the residency source, and the cutting of long reads into windows of time.
 */
import type { DuckDBValue } from '@duckdb/node-api';
import type { QueryRunner } from './columns.js';
import type { RecordedVm, TraceSelection } from './replay-data.js';

/** A `VALUES` list bound as parameters, joined into queries as a named relation. */
export interface Values {
  sql: string;
  params: DuckDBValue[];
}

/** `name AS (VALUES …)` with `columns` ([name, SQL type]) and `rows` bound as parameters. */
export function values(name: string, columns: readonly [string, string][], rows: readonly DuckDBValue[][]): Values {
  // An empty list still needs one typed row to define the columns; WHERE false drops it.
  const row = `(${columns.map(([, type]) => `?::${type}`).join(', ')})`;
  const body = rows.length ? rows.map(() => row).join(', ') : row;
  const params = rows.length ? rows.flat() : columns.map(() => null);
  return {
    sql: `${name} AS (SELECT * FROM (VALUES ${body}) AS v(${columns.map(([c]) => c).join(', ')})${rows.length ? '' : ' WHERE false'})`,
    params,
  };
}

/** Replay reads several streams in step, so each gets its own connection. */
export const own = { ownConnection: true };

/** The selection as relation `sel` (trace_id, shift). */
export const selectionValues = (sel: TraceSelection): Values =>
  values('sel', [['trace_id', 'INTEGER'], ['shift', 'DOUBLE']], sel.traceIds.map((id, i) => [id, sel.shifts[i]!]));

/** Each VM with the slot of its vCPU 0 (vCPUs numbered over all VMs in VM order). */
export function vmBases(vms: readonly RecordedVm[]): [RecordedVm, number][] {
  let base = 0;
  return vms.map((vm) => {
    const at = base;
    base += vm.vcpus;
    return [vm, at];
  });
}

/** Each VM's first vCPU slot as relation `vmb` (vm, base). */
export const vmValues = (vms: readonly RecordedVm[]): Values =>
  values('vmb', [['vm', 'VARCHAR'], ['base', 'INTEGER']], vmBases(vms).map(([vm, base]) => [vm.name, base]));

/**
 * The residency trace of the selection: the one with most spans (several sched_switch files of
 * one recording describe the same spans; reading two would count every span twice).
 */
export const residencySource = `rsel AS (SELECT trace_id, shift FROM residency JOIN sel USING (trace_id)
  GROUP BY trace_id, shift ORDER BY count(*) DESC, trace_id LIMIT 1)`;

/**
 * Source rows one windowed read holds at most (default): the replay reads the recording in
 * windows of time holding about this many rows each, so DuckDB sorts and joins one window at a
 * time and memory stays flat in the trace length.
 */
export const defaultWindowRows = 65_536;

/** How a windowed read is cut: `maxRows` source rows per window; `onWindow` sees each window's rows (for tests). */
export interface WindowOptions {
  maxRows?: number;
  onWindow?: (window: { from: number; to: number; sourceRows: number }) => void;
}

/**
 * Cuts time into windows of whole seconds holding at most `maxRows` rows each, from the rows
 * per one-second bucket (`bucketStart` s, ascending, and `bucketRows`): a window takes buckets
 * while they fit, and at least one (so a second holding more than `maxRows` is a window of its
 * own). Returns the windows as [from, to) in s, the first from −∞, the last to +∞, with the
 * rows each holds.
 */
export function timeWindows(bucketStart: ArrayLike<number>, bucketRows: ArrayLike<number>,
  maxRows: number): { from: number; to: number; sourceRows: number }[] {
  const out: { from: number; to: number; sourceRows: number }[] = [];
  let rows = 0;
  for (let b = 0; b < bucketStart.length; b++) {
    const n = bucketRows[b]!;
    if (b > 0 && rows + n > maxRows) {
      out.push({ from: out.length ? out[out.length - 1]!.to : -Infinity, to: bucketStart[b]!, sourceRows: rows });
      rows = 0;
    }
    rows += n;
  }
  out.push({ from: out.length ? out[out.length - 1]!.to : -Infinity, to: Infinity, sourceRows: rows });
  return out;
}

/** The windows of a time column `t` (s, already on the common axis) of the rows `body` selects. */
export async function windowsOf(on: QueryRunner, body: string, params: readonly DuckDBValue[],
  options: WindowOptions): Promise<{ from: number; to: number; sourceRows: number }[]> {
  const chunks = await on.readAll(`${body} SELECT floor(t) AS s, count(*) AS n FROM win GROUP BY 1 ORDER BY 1`, params);
  const starts = chunks.flatMap((c) => [...(c.columns.s as Float64Array)]);
  const rows = chunks.flatMap((c) => [...(c.columns.n as Float64Array)]);
  return timeWindows(starts, rows, options.maxRows ?? defaultWindowRows);
}

/** `residencySource` resolved once, as a VALUES relation `rsel` (a windowed read must not recount it per window). */
export async function fixedResidencySource(on: QueryRunner, s: Values): Promise<Values> {
  const [chunk] = await on.readAll(`WITH ${s.sql}, ${residencySource} SELECT trace_id, shift FROM rsel`, s.params);
  const rows = chunk ? [[chunk.columns.trace_id![0]!, chunk.columns.shift![0]!] as DuckDBValue[]] : [];
  return values('rsel', [['trace_id', 'INTEGER'], ['shift', 'DOUBLE']], rows);
}

/** A raw-column bound that keeps every row whose shifted time can fall in [from, to): lets DuckDB skip row groups. */
export function rawBounds(sel: TraceSelection, from: number, to: number): [number, number] {
  return [from - Math.max(0, ...sel.shifts), to - Math.min(0, ...sel.shifts)];
}
