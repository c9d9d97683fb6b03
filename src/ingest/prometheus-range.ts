import { TraceParseError } from '../errors.js';
import { messages } from '../messages.js';
import { isJsonObject, parseJsonDocument, type JsonObject } from './json-documents.js';
import { parseDecimal } from './numbers.js';
import { CounterDeltas, classifySeries, type SeriesTarget } from './prometheus-series.js';
import type { FormatSpec, LineParser, ParseContext, SniffInput } from './types.js';

/** Readings of one stored series at each time (Unix s), Kepler modes summed. */
interface Group {
  target: SeriesTarget;
  points: Map<number, { sum: number; members: number }>;
}

/** One exported series: its metric name, labels and `[unix_s, "value"]` pairs. */
interface RawSeries {
  name: string;
  labels: Record<string, string>;
  values: unknown[];
}

/**
 * Prometheus range-query exports of node_exporter rapl and Kepler counters (TRACE-FORMATS.md
 * §6.1; mapping in `classifySeries`): the HTTP API's
 * `{"status":"success","data":{"resultType":"matrix","result":[{"metric":{…},"values":[[t,"v"],…]}]}}`
 * (a `vector` result gives one point per series, hence no rows), or kepler-model-server's
 * `{"<metric>": [{"metric": {…}, "values": [[t, "v"], …]}, …]}`.
 *
 * The file is one JSON document, so its text is accumulated and parsed at the end; memory is
 * the size of the export. Rows are deltas between consecutive points of a series, in time order;
 * `NaN` points (stale markers) are skipped. A series missing a Kepler mode at some point restarts.
 */
export const prometheusRange: FormatSpec = {
  name: 'prometheus-range',
  description: 'Prometheus range-query JSON export (node_exporter rapl, Kepler)',
  input: 'lines',
  sniff: sniffPrometheusRange,
  create: (ctx) => new PrometheusRangeParser(ctx),
};

function sniffPrometheusRange({ lines }: SniffInput): number {
  const head = lines.join('\n');
  if (/"resultType"\s*:\s*"(?:matrix|vector)"/.test(head)) return 3;
  return /^\s*\{\s*"[a-zA-Z_:][\w:]*"\s*:\s*\[\s*\{\s*"metric"\s*:/.test(head) ? 3 : 0;
}

class PrometheusRangeParser implements LineParser {
  private readonly parts: string[] = [];

  constructor(private readonly ctx: ParseContext) {}

  line(text: string): void {
    this.parts.push(text);
  }

  end(): void {
    const text = this.parts.join('\n');
    if (text.trim() === '') throw this.noRecords();
    const doc = parseJsonDocument(text, 'prometheus-range', this.ctx.file, 1);
    const { shape, series } = this.seriesOf(doc);
    const groups = new Map<string, Group>();
    const ignored = new Set<string>();
    let mmio = 0;
    for (const s of series) {
      const c = classifySeries(s.name, s.labels, this.ctx.options);
      if (c === 'mmio') mmio++;
      if (c === 'mmio' || c === undefined) {
        if (c === undefined) ignored.add(s.name);
        continue;
      }
      let g = groups.get(c.key);
      if (g === undefined) groups.set(c.key, g = { target: c.target, points: new Map() });
      for (const pair of s.values) this.addPoint(g, s.name, pair);
    }
    if (groups.size === 0) throw this.noRecords();
    let origin = Infinity;
    for (const g of groups.values()) for (const t of g.points.keys()) origin = Math.min(origin, t);
    if (origin === Infinity) throw this.noRecords();
    this.ctx.sink.meta({ startEpochSeconds: origin, details: { shape, series: series.length, ignoredMetrics: [...ignored], droppedMmioSeries: mmio } });
    const deltas = new CounterDeltas(this.ctx, 'prometheus-range');
    deltas.origin = origin;
    for (const [key, g] of groups) {
      const times = [...g.points.keys()].sort((a, b) => a - b);
      for (const t of times) {
        const p = g.points.get(t)!;
        deltas.point(key, g.target, t, p.sum, p.members);
      }
    }
    this.ctx.sink.meta({ details: { unmeasured: [...deltas.unmeasured] } });
  }

  private addPoint(g: Group, name: string, pair: unknown): void {
    const [t, v] = Array.isArray(pair) ? pair : [];
    const value = typeof v === 'string' ? parseDecimal(v) : NaN;
    if (typeof t !== 'number' || !Number.isFinite(t) || (Number.isNaN(value) && !/^nan$/i.test(String(v)))) {
      throw this.error('prometheus-range.badNumber', messages.badNumber(`a point of ${name}`, JSON.stringify(pair) ?? ''));
    }
    if (!Number.isFinite(value)) return;
    const p = g.points.get(t);
    if (p === undefined) g.points.set(t, { sum: value, members: 1 });
    else {
      p.sum += value;
      p.members++;
    }
  }

  /** The series of either export shape. */
  private seriesOf(doc: unknown): { shape: string; series: RawSeries[] } {
    if (isJsonObject(doc) && isJsonObject(doc['data'])) {
      const data = doc['data'];
      const result = Array.isArray(data['result']) ? data['result'] : [];
      const vector = data['resultType'] === 'vector';
      return {
        shape: `prometheus-api-${vector ? 'vector' : 'matrix'}`,
        series: result.map((r) => this.rawSeries(undefined, r, vector)),
      };
    }
    if (isJsonObject(doc) && Object.values(doc).every(Array.isArray)) {
      return { shape: 'metric-map', series: Object.entries(doc).flatMap(([name, list]) => (list as unknown[]).map((r) => this.rawSeries(name, r, false))) };
    }
    throw this.error('prometheus-range.shape', messages.unknownPrometheusShape());
  }

  private rawSeries(name: string | undefined, r: unknown, vector: boolean): RawSeries {
    const metric = isJsonObject(r) ? r['metric'] : undefined;
    const values = isJsonObject(r) ? (vector ? [r['value']] : r['values']) : undefined;
    if (!isJsonObject(metric) || !Array.isArray(values)) throw this.error('prometheus-range.shape', messages.unknownPrometheusShape());
    const labels: Record<string, string> = {};
    for (const [k, v] of Object.entries(metric as JsonObject)) if (k !== '__name__') labels[k] = String(v);
    return { name: typeof metric['__name__'] === 'string' ? metric['__name__'] : name ?? '', labels, values };
  }

  private noRecords(): TraceParseError {
    return this.error('prometheus-range.noRecords', messages.noRecords('node_exporter rapl or Kepler counter'));
  }

  private error(code: string, message: string): TraceParseError {
    return new TraceParseError(code, message, { context: { file: this.ctx.file } });
  }
}
