/**
 * `perf stat --metric-only -x SEP` (TRACE-FORMATS §1.2.6): a header line (`time` + aggregation
 * header + one column per metric unit, each cell followed by SEP), repeated every 26 intervals,
 * then rows of stamp, id and metric values only.
 *
 * Metrics are derived ratios (`insn per cycle`, `GHz`), not counter deltas; they are stored as
 * samples with event `metric:<unit text>` (the prefix keeps them apart from counter events in
 * queries), value null when perf printed nothing, enabled null.
 */
import { HOST_ID } from './perf-aggregation.js';
import type { AggregationIds, PerfEvent, PerfEvents } from './perf-aggregation.js';
import type { CsvAggregation } from './perf-csv-layout.js';
import { isStamp, SEPARATORS } from './perf-csv-layout.js';
import type { PerfStatRows } from './perf-stat-rows.js';

/** Layout of a metric-only file, from its header. */
export interface MetricOnlyLayout {
  sep: string;
  interval: boolean;
  aggregation: CsvAggregation;
  /** The header has a `ctrs`/`cpus` column: rows carry the counter count after the id. */
  counters: boolean;
  /** Header text, to recognise its repeats. */
  header: string;
  /** One event (`metric:<unit>`) per metric column. */
  events: PerfEvent[];
}

const AGGREGATION_HEADERS: Readonly<Record<string, CsvAggregation>> = {
  cpu: 'cpu', 'comm-pid': 'thread', core: 'id+nr', die: 'id+nr', socket: 'id+nr', node: 'id+nr', cluster: 'id+nr', cache: 'id+nr',
};

/** Prefix of the event name metric-only columns are stored under. */
export const METRIC_EVENT_PREFIX = 'metric:';

/** Parses a metric-only header line; null when the line is not one (any field numeric, no columns). */
export function parseMetricOnlyHeader(line: string, events: PerfEvents): MetricOnlyLayout | null {
  const sep = SEPARATORS.find((s) => line.endsWith(s)) ?? SEPARATORS.find((s) => line.startsWith(`time${s}`));
  if (!sep) return null;
  const f = line.split(sep);
  if (f[f.length - 1] === '') f.pop();
  let i = 0;
  const interval = f[0] === 'time';
  if (interval) i++;
  const aggregation = AGGREGATION_HEADERS[f[i] ?? ''] ?? 'global';
  if (aggregation !== 'global') i++;
  const counters = f[i] === 'ctrs' || f[i] === 'cpus';
  if (counters) i++;
  const units = f.slice(i);
  if (units.length === 0 || units.some((u) => u.trim() === '' || /^[\d.\s-]+$/.test(u))) return null;
  return {
    sep, interval, aggregation, counters, header: line,
    events: units.map((u) => events.get(METRIC_EVENT_PREFIX + u.trim())),
  };
}

/** What `metricOnlyRow` made of a line: stored, not a row at all, or a row that does not fit the header. */
export type MetricRowOutcome = 'row' | 'foreign' | 'broken';

/**
 * Stores one metric-only row. A line whose first field is not a stamp (with `-I`), an id or a
 * value is `foreign`; a wrong field count or a non-numeric value is `broken`. Fields the header
 * does not announce: the cgroup (one extra field before the values), and the counter count of
 * `--per-node` rows (newer perf prints `node,` without `ctrs,` but still prints the count).
 */
export function metricOnlyRow(line: string, lineNo: number, layout: MetricOnlyLayout, ids: AggregationIds,
  rows: PerfStatRows): MetricRowOutcome {
  const f = line.split(layout.sep);
  if (f.length < 2) return 'foreign';
  if (f[f.length - 1] === '') f.pop();
  let i = 0;
  let stamp = NaN;
  if (layout.interval) {
    if (!isStamp(f[0]!)) return 'foreign';
    stamp = Number(f[0]);
    i++;
  }
  let id = HOST_ID;
  if (layout.aggregation !== 'global') {
    const text = f[i++] ?? '';
    const got = layout.aggregation === 'thread' ? ids.thread(text) : ids.topo(text);
    if (!got) return i === 1 ? 'foreign' : 'broken';
    id = got;
  } else if (!layout.interval && !/^[\d.]*$/.test(f[0]!.trim())) return 'foreign';
  if (layout.counters) {
    if (!/^\d+$/.test(f[i] ?? '')) return 'broken';
    i++;
  }
  let extra = f.length - i - layout.events.length;
  if (extra > 0 && !layout.counters && layout.aggregation === 'id+nr' && /^\d+$/.test(f[i]!)) {
    i++;
    extra--;
  }
  if (extra === 1) {
    id = ids.cgroup(id, f[i++]!);
    extra--;
  }
  if (extra !== 0) return 'broken';
  const values: (number | null)[] = [];
  for (let c = 0; c < layout.events.length; c++) {
    const text = f[i + c]!.trim();
    const value = text === '' ? null : Number(text);
    if (value !== null && Number.isNaN(value)) return 'broken';
    values.push(value);
  }
  for (let c = 0; c < layout.events.length; c++) rows.row(lineNo, stamp, id, -1, layout.events[c]!, '', values[c]!, null);
  return 'row';
}
