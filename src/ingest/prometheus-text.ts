import { TraceParseError, excerpt } from '../errors.js';
import { messages } from '../messages.js';
import { stampLineSeconds } from './epoch.js';
import { parseDecimal } from './numbers.js';
import { parseExpositionLine } from './prometheus-exposition.js';
import { CounterDeltas, classifySeries, type SeriesTarget } from './prometheus-series.js';
import type { FormatSpec, LineParser, ParseContext, SniffInput } from './types.js';

/** One series of the scrape being read (Kepler modes already summed). */
interface Pending {
  target: SeriesTarget;
  sum: number;
  members: number;
  /** Sample timestamp, Unix s; NaN when the line has none. */
  t: number;
  line: number;
}

/**
 * Prometheus text exposition scrapes (`curl host:9102/metrics`) of node_exporter's rapl collector
 * and Kepler (TRACE-FORMATS.md §6.1; mapping in `classifySeries`).
 *
 * A file holds one scrape or several back to back. A new scrape starts at a line holding only a
 * time stamp (`date +%s.%N`, which also times the scrape that follows), or when a series already
 * seen in the current scrape comes again (`cat START END`). A reading's time is its own sample
 * timestamp, else its scrape's stamp line, else bundle.json `scrape_epoch_seconds` (a number
 * for the first scrape, or one per scrape).
 *
 * Counters are cumulative, so rows are deltas between consecutive scrapes of a series. One
 * scrape alone yields no rows: vheat does not store running totals as if they were intervals.
 * The file is still accepted (details `singleScrape: true`, with a warning saying how to pair
 * START and END scrapes into one file), because the driver reads files one at a time and cannot
 * pair two files itself. State: one reading per series (the previous scrape) plus the current
 * scrape.
 */
export const prometheusText: FormatSpec = {
  name: 'prometheus-text',
  description: 'Prometheus text exposition scrapes (node_exporter rapl, Kepler)',
  input: 'lines',
  sniff: sniffPrometheusText,
  create: (ctx) => new PrometheusTextParser(ctx),
};

const sampleLine = /^[a-zA-Z_:][a-zA-Z0-9_:]*(?:\{.*\})?\s+[-+]?(?:\d[\d.]*(?:[eE][-+]?\d+)?|\.\d+|Inf|NaN)(?:\s+-?\d+)?$/;

function sniffPrometheusText({ lines }: SniffInput): number {
  const samples = lines.filter((l) => !l.startsWith('#') && sampleLine.test(l));
  if (samples.some((l) => /^(?:kepler_|node_rapl_)/.test(l))) return 3;
  if (lines.some((l) => /^# (?:TYPE|HELP) [a-zA-Z_:]/.test(l))) return 2;
  return samples.length > 0 && samples.length >= lines.length / 2 ? 1 : 0;
}

class PrometheusTextParser implements LineParser {
  private readonly deltas: CounterDeltas;
  private scrape = new Map<string, Pending>();
  private seen = new Set<string>();
  private scrapes = 0;
  private stamp = NaN;
  private started = false;
  private recognised = 0;
  private mmio = 0;
  private readonly ignored = new Set<string>();

  constructor(private readonly ctx: ParseContext) {
    this.deltas = new CounterDeltas(ctx, 'prometheus-text');
  }

  line(text: string, lineNo: number): void {
    const line = text.trim();
    if (line === '') return;
    const stamp = stampLineSeconds(line);
    if (!Number.isNaN(stamp)) {
      this.finishScrape();
      this.stamp = stamp;
      return;
    }
    if (line.startsWith('#')) return;
    const s = parseExpositionLine(line);
    if (s === undefined) {
      this.ctx.sink.skip(lineNo);
      return;
    }
    const value = parseDecimal(s.valueText);
    if (!Number.isFinite(value)) {
      // NaN and ±Inf are legal exposition values, but no counter reading
      if (/^(?:[+-]?inf|nan)$/i.test(s.valueText)) return;
      throw new TraceParseError('prometheus-text.badNumber', messages.badNumber(s.name, s.valueText), {
        context: { file: this.ctx.file, line: lineNo, expected: 'name{labels} value [timestamp]', found: excerpt(line) },
      });
    }
    // the series as printed (name and label set) tells a repeated series, hence a new scrape
    const brace = line.lastIndexOf('}');
    const raw = brace < 0 ? s.name : line.slice(0, brace + 1);
    if (this.seen.has(raw)) this.finishScrape();
    this.seen.add(raw);
    const series = classifySeries(s.name, s.labels, this.ctx.options);
    if (series === 'mmio') this.mmio++;
    if (series === 'mmio' || series === undefined) {
      if (series === undefined && this.ignored.size < 50) this.ignored.add(s.name);
      return;
    }
    this.recognised++;
    const t = s.timestampMs === undefined ? NaN : s.timestampMs / 1000;
    const entry = this.scrape.get(series.key);
    if (entry === undefined) this.scrape.set(series.key, { target: series.target, sum: value, members: 1, t, line: lineNo });
    else {
      entry.sum += value;
      entry.members++;
    }
  }

  /** Hands the current scrape to the differencer and starts the next. */
  private finishScrape(): void {
    if (this.seen.size === 0) return;
    const scrapeTime = Number.isNaN(this.stamp) ? this.configuredTime(this.scrapes) : this.stamp;
    const entries = [...this.scrape.entries()].map(([key, e]) => ({ key, e, t: Number.isNaN(e.t) ? scrapeTime : e.t }));
    if (!this.started) {
      const times = entries.map((x) => x.t).filter((t) => !Number.isNaN(t));
      if (times.length > 0) {
        this.started = true;
        this.deltas.origin = Math.min(...times);
        this.ctx.sink.meta({ startEpochSeconds: this.deltas.origin });
      }
    }
    for (const { key, e, t } of entries) this.deltas.point(key, e.target, t, e.sum, e.members, e.line);
    this.scrapes++;
    this.scrape = new Map();
    this.seen = new Set();
    this.stamp = NaN;
  }

  /** bundle.json `scrape_epoch_seconds` for scrape `index`, else NaN. */
  private configuredTime(index: number): number {
    const given = this.ctx.options.extra?.['scrape_epoch_seconds'];
    const t = Array.isArray(given) ? given[index] : index === 0 ? given : undefined;
    return typeof t === 'number' ? t : NaN;
  }

  end(): void {
    this.finishScrape();
    if (this.recognised === 0) {
      throw new TraceParseError('prometheus-text.noRecords', messages.noRecords('node_exporter rapl or Kepler counter'), {
        context: { file: this.ctx.file },
      });
    }
    const single = this.scrapes === 1;
    if (single) this.ctx.sink.warn(messages.singleScrape());
    this.ctx.sink.meta({
      details: { scrapes: this.scrapes, singleScrape: single, ignoredMetrics: [...this.ignored], droppedMmioSeries: this.mmio, unmeasured: [...this.deltas.unmeasured] },
    });
  }
}
