import { excerpt, TraceParseError } from '../errors.js';
import { messages } from '../messages.js';
import { parseCtime, startedOnText } from './ctime.js';
import type { AggregationId } from './perf-aggregation.js';
import { AggregationIds, HOST_ID, PerfEvents } from './perf-aggregation.js';
import { METRIC_EVENT_PREFIX } from './perf-csv-metric-only.js';
import { isNotCountedText } from './perf-csv-layout.js';
import { PerfStatRows } from './perf-stat-rows.js';
import type { FormatSpec, LineParser, ParseContext, SniffInput } from './types.js';

const FORMAT = 'perf-stat-json';
/** Keys of the aggregation id whose value is a topology id string (`"S0-D0-C15"`, `"N0"`). */
const TOPOLOGY_KEYS = ['core', 'die', 'socket', 'node', 'cluster', 'cache'] as const;
/** Keys that are not metric columns of a `--metric-only` object. */
const KNOWN_KEYS = new Set<string>([
  'interval', 'cpu', 'thread', 'cgroup', 'counters', 'aggregate-number', ...TOPOLOGY_KEYS,
  'counter-value', 'unit', 'event', 'variance', 'event-runtime', 'pcnt-running',
  'metric-value', 'metric-unit', 'metric-threshold', 'metricgroup',
]);

type JsonObject = Record<string, unknown>;

/**
 * Repairs the known perf JSON bugs (TRACE-FORMATS §1.4) and splits a line into object texts:
 * several objects on one line (`} {`), a trailing `, }`, `(null)` strings.
 */
export function jsonObjectTexts(line: string): string[] {
  let t = line.trim();
  if (t.includes('(null)')) t = t.replace(/"\(null\)"|\(null\)/g, 'null');
  if (/,\s*}/.test(t)) t = t.replace(/,\s*}/g, '}');
  if (!/}\s*{/.test(t)) return [t];
  const parts = t.split(/}\s*{/);
  return parts.map((p, i) => `${i > 0 ? '{' : ''}${p}${i < parts.length - 1 ? '}' : ''}`);
}

/**
 * Streaming parser for `perf stat -j` output: one JSON object per line (JSON Lines), mapped to the
 * sink like the CSV rows (see `PerfStatRows`). Objects with `counter-value` are counter rows;
 * objects with only `metric-*` keys are extra metrics (not stored); objects with other keys are
 * `--metric-only` rows, stored as `metric:<unit>` samples. `pcnt-running` missing (the first JSON
 * release glued it onto `event-runtime`) gives enabled null.
 */
class PerfStatJsonParser implements LineParser {
  private readonly rows: PerfStatRows;
  private readonly ids: AggregationIds;
  private readonly events = new PerfEvents();
  private readonly seen = { interval: false, aggregation: new Set<string>(), cgroup: false, metricOnly: false };

  constructor(private readonly ctx: ParseContext) {
    this.rows = new PerfStatRows(ctx.sink, ctx.file, FORMAT);
    this.ids = new AggregationIds(ctx.options.topology);
  }

  line(text: string, lineNo: number): void {
    const t = text.trimStart();
    if (t === '') return;
    if (t.charCodeAt(0) !== 123 /* { */) {
      const ctime = startedOnText(t);
      if (ctime === null) this.ctx.sink.skip(lineNo);
      else this.rows.block(parseCtime(ctime));
      return;
    }
    for (const part of jsonObjectTexts(t)) {
      let obj: unknown;
      try {
        obj = JSON.parse(part);
      } catch (e) {
        this.fail('json', messages.badJson((e as Error).message), text, lineNo);
      }
      if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) {
        this.fail('json', messages.badJson('expected an object'), text, lineNo);
      }
      this.object(obj as JsonObject, text, lineNo);
    }
  }

  end(): void {
    if (this.rows.records === 0) {
      throw new TraceParseError(`${FORMAT}.noRecords`, messages.noRecords('perf stat JSON'), {
        context: { file: this.ctx.file, line: 1, expected: 'perf stat -j objects' },
      });
    }
    const aggregation = [...this.seen.aggregation];
    Object.assign(this.rows.details, {
      interval: this.seen.interval, aggregation: aggregation.length ? aggregation.join('+') : 'global',
      cgroup: this.seen.cgroup, ...(this.seen.metricOnly ? { metricOnly: true } : {}),
    });
    this.rows.end();
  }

  private object(o: JsonObject, text: string, lineNo: number): void {
    let stamp = NaN;
    if (o.interval !== undefined && o.interval !== null) {
      stamp = typeof o.interval === 'number' ? o.interval : Number(o.interval);
      if (!(stamp >= 0)) this.fail('value', messages.badNumber('interval', String(o.interval)), text, lineNo);
      this.seen.interval = true;
    }
    let id = this.aggregationId(o, text, lineNo);
    if (typeof o.cgroup === 'string') {
      id = this.ids.cgroup(id, o.cgroup);
      this.seen.cgroup = true;
    }
    const nrRaw = o.counters ?? o['aggregate-number'];
    const nr = typeof nrRaw === 'number' ? nrRaw : -1;

    if (o['counter-value'] !== undefined) {
      if (typeof o.event !== 'string' || o.event === '') this.fail('json', messages.badJson('"counter-value" without an "event" name'), text, lineNo);
      const value = this.number(o['counter-value'], 'counter-value', text, lineNo);
      const pcnt = o['pcnt-running'];
      const enabled = typeof pcnt === 'number' ? pcnt / 100 : null;
      const unit = typeof o.unit === 'string' ? o.unit : '';
      this.rows.row(lineNo, stamp, id, nr, this.events.get(o.event), unit, value, enabled);
      return;
    }
    // Not a counter row: an extra metric (nothing to store) or a --metric-only row.
    for (const key in o) {
      if (KNOWN_KEYS.has(key)) continue;
      this.seen.metricOnly = true;
      const raw = o[key];
      const value = raw === 'none' || raw === null ? null : this.number(raw, key, text, lineNo);
      this.rows.row(lineNo, stamp, id, nr, this.events.get(METRIC_EVENT_PREFIX + key), '', value, null);
    }
  }

  private aggregationId(o: JsonObject, text: string, lineNo: number): AggregationId {
    let idText: string | null = null;
    let id: AggregationId | null = HOST_ID;
    if (o.thread !== undefined) {
      idText = String(o.thread);
      id = this.ids.thread(idText);
      this.seen.aggregation.add('thread');
    } else if (o.cpu !== undefined) {
      idText = `CPU${String(o.cpu).trim()}`;
      id = this.ids.topo(idText);
      this.seen.aggregation.add('cpu');
    } else {
      for (const key of TOPOLOGY_KEYS) {
        if (o[key] === undefined) continue;
        idText = String(o[key]);
        id = this.ids.topo(idText);
        this.seen.aggregation.add(key);
        break;
      }
    }
    if (!id) this.fail('id', messages.perfBadId(idText ?? ''), text, lineNo);
    return id;
  }

  /** A counter or metric value: a `"%f"` string, a bare number, or `<not counted>` → null. */
  private number(raw: unknown, key: string, text: string, lineNo: number): number | null {
    if (typeof raw === 'number') return raw;
    if (typeof raw === 'string') {
      if (isNotCountedText(raw.trim())) return null;
      const v = raw.trim() === '' ? NaN : Number(raw);
      if (v === v) return v;
      const lower = raw.trim().toLowerCase();
      if (lower === 'nan' || lower === '-nan') return null;
    }
    this.fail('value', messages.badNumber(key, String(raw)), text, lineNo);
  }

  private fail(code: string, message: string, text: string, lineNo: number): never {
    throw new TraceParseError(`${FORMAT}.${code}`, message, {
      context: { file: this.ctx.file, line: lineNo, expected: 'a perf stat JSON object', found: excerpt(text) },
    });
  }
}

/** Sniff: 3 when a line is a perf stat JSON object (`{"` … `"counter-value"`), 2 for `"interval"` metric-only lines. */
function sniff(input: SniffInput): number {
  let score = 0;
  for (const line of input.lines) {
    const t = line.trimStart();
    if (!t.startsWith('{"')) continue;
    if (t.includes('"counter-value"')) return 3;
    if (/^\{"interval" : \d+\.\d{9}, /.test(t)) score = 2;
  }
  return score;
}

/** `perf stat -j` / `--json-output` JSON Lines (TRACE-FORMATS §1.4), with perf's known JSON bugs repaired. */
export const perfStatJson: FormatSpec = {
  name: FORMAT,
  description: 'perf stat -j JSON Lines output (counters and RAPL energy)',
  input: 'lines',
  sniff,
  create: (ctx) => new PerfStatJsonParser(ctx),
};
