import type { DuckDBValue } from '@duckdb/node-api';
import { ModelError } from '../errors.js';
import { messages } from '../messages.js';
import { streamColumns } from './columns.js';
import { readCpuCores } from './cpu-cores.js';
import type { Store } from './store.js';

/**
 * What the thermal fit needs from one recording, as columns. Times are seconds from the start
 * of the earliest of the recording's traces (each trace shifted by its `start_time`).
 */
export interface RecordedThermal {
  /** RAPL `package` and `core` energy per socket and interval, J. */
  energy: { t0: Float64Array; t1: Float64Array; socket: Float64Array; domain: string[]; joules: Float64Array };
  /** turbostat `Busy%` per logical CPU and interval, percent. */
  busy: { t0: Float64Array; t1: Float64Array; cpu: Float64Array; percent: Float64Array };
  /** Core temperatures (`temps` scope core, entity `S<p>-C<c>`), °C at t. */
  temps: { t: Float64Array; entity: string[]; celsius: Float64Array };
  /** Which core each logical CPU belongs to, where the traces say (see `readCpuCores`). */
  cpuCores: ReadonlyMap<number, string>;
  /** The trace the energy was read from (one source only; see `readThermalData`), null when none has any. */
  energyTrace: number | null;
}

/** The event holding per-CPU busy percent (turbostat `Busy%`). */
export const busyEvent = 'turbostat:Busy%';

type Columns = Record<string, Float64Array | string[]>;

function joinNumbers(parts: readonly Float64Array[]): Float64Array {
  const out = new Float64Array(parts.reduce((n, a) => n + a.length, 0));
  let at = 0;
  for (const a of parts) {
    out.set(a, at);
    at += a.length;
  }
  return out;
}

/** Runs `sql` and joins its chunks into whole columns (NULL strings become ''). */
async function collect(store: Store, sql: string, params: readonly DuckDBValue[]): Promise<Columns> {
  const parts: Record<string, (Float64Array | (string | null)[])[]> = {};
  for await (const chunk of streamColumns(store, sql, params)) {
    for (const [name, values] of Object.entries(chunk.columns)) (parts[name] ??= []).push(values);
  }
  const out: Columns = {};
  for (const [name, list] of Object.entries(parts)) {
    out[name] = list[0] instanceof Float64Array
      ? joinNumbers(list as Float64Array[])
      : (list as (string | null)[][]).flat().map((v) => v ?? '');
  }
  return out;
}

const num = (c: Columns, name: string): Float64Array => {
  const v = c[name];
  return v instanceof Float64Array ? v : new Float64Array(0);
};
const str = (c: Columns, name: string): string[] => {
  const v = c[name];
  return Array.isArray(v) ? v : [];
};

/**
 * Reads the power, busy and temperature series of the traces `traceIds` (one recording, e.g.
 * turbostat plus `sensors -j`) for `fitThermal`. Several traces must each carry an absolute
 * start time so their clocks can be aligned.
 */
export async function readThermalData(store: Store, traceIds: readonly number[]): Promise<RecordedThermal> {
  if (traceIds.length === 0) throw new ModelError('thermal.noTraces', messages.thermalNoTraces());
  const starts: number[] = [];
  for (const id of traceIds) {
    const rows = await store.query('SELECT epoch_us(start_time) AS start_us FROM traces WHERE trace_id = ?', [id]);
    if (rows.length === 0) throw new ModelError('thermal.unknownTrace', messages.thermalUnknownTrace(id));
    const start = rows[0]!.start_us;
    if (start === null && traceIds.length > 1) {
      throw new ModelError('thermal.noTimeAnchor', messages.thermalNoTimeAnchor(id), { hint: messages.hintThermalOneTrace() });
    }
    starts.push(start === null ? 0 : Number(start) / 1e6);
  }
  const origin = Math.min(...starts);
  // Each trace's clock shift joins in as a bound VALUES list, so one query per table covers all.
  const shifts = `(VALUES ${traceIds.map(() => '(?::INTEGER, ?::DOUBLE)').join(', ')}) AS o(trace_id, shift)`;
  const params = traceIds.flatMap((id, i) => [id, starts[i]! - origin]);
  // A recording often measures the same energy several times (perf, powercap, turbostat): read
  // one source only — the one that also holds the temperatures, else the one with most rows —
  // since overlapping intervals of several sources would count the energy more than once.
  const marks = traceIds.map(() => '?').join(', ');
  const source = await store.query(
    `SELECT trace_id FROM energy WHERE trace_id IN (${marks}) AND socket IS NOT NULL
     GROUP BY trace_id ORDER BY bool_or(trace_id IN (SELECT trace_id FROM temps)) DESC, count(*) DESC, trace_id LIMIT 1`,
    traceIds);
  const energyTrace = source[0] ? Number(source[0].trace_id) : null;
  const e = await collect(store, `SELECT t0 + shift AS t0, t1 + shift AS t1, socket, domain, joules
    FROM energy JOIN ${shifts} USING (trace_id)
    WHERE trace_id = ? AND domain IN ('package', 'core') AND socket IS NOT NULL ORDER BY t0, socket, domain`,
    [...params, energyTrace ?? -1]);
  const b = await collect(store, `SELECT t0 + shift AS t0, t1 + shift AS t1, cpu, value
    FROM samples JOIN ${shifts} USING (trace_id)
    WHERE scope = 'cpu' AND event = ? AND cpu IS NOT NULL AND value IS NOT NULL ORDER BY t0, cpu`, [...params, busyEvent]);
  const t = await collect(store, `SELECT t + shift AS t, entity, celsius FROM temps JOIN ${shifts} USING (trace_id)
    WHERE scope = 'core' ORDER BY t, entity`, params);
  return {
    energy: { t0: num(e, 't0'), t1: num(e, 't1'), socket: num(e, 'socket'), domain: str(e, 'domain'), joules: num(e, 'joules') },
    busy: { t0: num(b, 't0'), t1: num(b, 't1'), cpu: num(b, 'cpu'), percent: num(b, 'value') },
    temps: { t: num(t, 't'), entity: str(t, 'entity'), celsius: num(t, 'celsius') },
    cpuCores: await readCpuCores(store, traceIds),
    energyTrace,
  };
}
