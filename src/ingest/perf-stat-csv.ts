import { excerpt, TraceParseError } from '../errors.js';
import { messages } from '../messages.js';
import { parseCtime, startedOnText } from './ctime.js';
import type { AggregationId, PerfEvent } from './perf-aggregation.js';
import { AggregationIds, HOST_ID, PerfEvents } from './perf-aggregation.js';
import type { MetricOnlyLayout } from './perf-csv-metric-only.js';
import { metricOnlyRow, parseMetricOnlyHeader } from './perf-csv-metric-only.js';
import type { CsvLayout } from './perf-csv-layout.js';
import { detectCsvLayout, isNotCountedText, isStamp, SEPARATORS, sniffPerfCsv } from './perf-csv-layout.js';
import { decimalAt } from './decimal-at.js';
import type { RightFields } from './perf-csv-fields.js';
import { isDigitAt, rightFields, sepBefore } from './perf-csv-fields.js';
import { PerfStatRows } from './perf-stat-rows.js';
import type { FormatSpec, LineParser, ParseContext } from './types.js';

const FORMAT = 'perf-stat-csv';
// What a line turned out to be: a record, a foreign line, the first part of a split record, an extra metric.
const ROW = 0;
const FOREIGN = 1;
const FRAGMENT = 2;
const METRIC = 3;
/** The other tails to try when a row's percentage is not where the layout puts it (optional threshold field). */
const TAILS = [2, 3, 0] as const;

/**
 * Streaming parser for one `perf stat -x SEP` file. Layout (separator, stamps, aggregation,
 * cgroup, variance, metric columns, locale) is detected from the first counter row; each later
 * line is split from both ends (`perf-csv-fields.ts`) and its id and event strings come from
 * per-file caches. State: the layout, the last stamp, the id/event caches and at most one held
 * line (perf 4.1 split some records after the unit; a line starting with SEP continues it).
 */
class PerfStatCsvParser implements LineParser {
  private readonly rows: PerfStatRows;
  private readonly ids: AggregationIds;
  private readonly events = new PerfEvents();
  private readonly forcedSep: string | undefined;
  private layout: CsvLayout | null = null;
  private metricOnly: MetricOnlyLayout | null = null;
  private tentativeHeader: { layout: MetricOnlyLayout; lineNo: number } | null = null;
  private held: { text: string; lineNo: number } | null = null;
  private stampPrefix = '';
  private stamp = NaN;
  private intervalSeen = false;
  private readonly right: RightFields = { enabled: 0, middleEnd: 0 };
  // Hot-path caches: `CPU<n>` ids by n, and the last event and unit (rows come grouped by event).
  private readonly cpuIds: (AggregationId | undefined)[] = [];
  private lastEvent: PerfEvent | null = null;
  private lastUnit = '';

  constructor(private readonly ctx: ParseContext) {
    this.rows = new PerfStatRows(ctx.sink, ctx.file, FORMAT);
    this.ids = new AggregationIds(ctx.options.topology);
    const sep = ctx.options.extra?.separator;
    this.forcedSep = typeof sep === 'string' && sep !== '' ? sep : undefined;
  }

  line(text: string, lineNo: number): void {
    let i = 0;
    while (i < text.length && text.charCodeAt(i) <= 32) i++;
    if (i === text.length) return;
    if (text.charCodeAt(0) === 35 /* # */) {
      this.release(false);
      const ctime = startedOnText(text);
      if (ctime === null) this.ctx.sink.skip(lineNo);
      else this.rows.block(parseCtime(ctime));
      this.stampPrefix = '';
      return;
    }
    if (this.held) {
      const held = this.held;
      const sep = this.layout?.sep ?? SEPARATORS.find((s) => text.startsWith(s));
      if (sep !== undefined && text.startsWith(sep)) {
        this.held = null;
        this.dispatch(held.text + text, held.lineNo, true);
        return;
      }
      this.release(false);
    }
    this.dispatch(text, lineNo, false);
  }

  end(): void {
    this.release(true);
    if (this.tentativeHeader) this.ctx.sink.skip(this.tentativeHeader.lineNo);
    if (this.rows.records === 0) {
      throw new TraceParseError(`${FORMAT}.noRecords`, messages.noRecords('perf stat CSV'), {
        context: { file: this.ctx.file, line: 1, expected: 'perf stat -x rows' },
      });
    }
    const L = this.layout;
    const M = this.metricOnly;
    Object.assign(this.rows.details, {
      separator: (L ?? M)!.sep, interval: (L ?? M)!.interval, aggregation: (L ?? M)!.aggregation,
      ...(L ? { cgroup: L.cgroup, variance: L.variance, metricColumns: L.tail > 0, locale: L.decimalComma ? 'decimal-comma' : 'C' }
        : { metricOnly: true }),
    });
    this.rows.end();
  }

  /**
   * A held fragment that nothing continued: a broken record (an error), a foreign line before the
   * layout is known, or a last line cut short (perf killed mid-write: warned and skipped).
   */
  private release(atEnd: boolean): void {
    const held = this.held;
    if (!held) return;
    this.held = null;
    if (this.layout && !atEnd) this.failFields(held.text, held.lineNo);
    if (this.layout) this.ctx.sink.warn(messages.truncatedRecord('perf stat row'), held.lineNo);
    this.ctx.sink.skip(held.lineNo);
  }

  private dispatch(text: string, lineNo: number, joined: boolean): void {
    if (this.layout) {
      const outcome = this.parse(text, lineNo);
      if (outcome === FOREIGN) this.ctx.sink.skip(lineNo);
      else if (outcome === FRAGMENT) {
        if (joined) this.failFields(text, lineNo);
        this.held = { text, lineNo };
      }
      return;
    }
    if (this.metricOnly) {
      if (text === this.metricOnly.header) return; // repeated every 26 intervals
      const outcome = metricOnlyRow(text, lineNo, this.metricOnly, this.ids, this.rows);
      if (outcome === 'foreign') this.ctx.sink.skip(lineNo);
      else if (outcome === 'broken') this.failFields(text, lineNo);
      return;
    }
    this.detect(text, lineNo, joined);
  }

  /** Before the layout is known: a counter row fixes it, a header starts metric-only mode. */
  private detect(text: string, lineNo: number, joined: boolean): void {
    const layout = detectCsvLayout(text, this.forcedSep);
    if (layout) {
      if (this.tentativeHeader) this.ctx.sink.skip(this.tentativeHeader.lineNo);
      this.tentativeHeader = null;
      this.layout = layout;
      this.dispatch(text, lineNo, joined);
      return;
    }
    const header = this.tentativeHeader;
    if (header && metricOnlyRow(text, lineNo, header.layout, this.ids, this.rows) === 'row') {
      this.metricOnly = header.layout;
      this.tentativeHeader = null;
      return;
    }
    if (header) this.ctx.sink.skip(header.lineNo);
    const next = parseMetricOnlyHeader(text, this.events);
    this.tentativeHeader = next ? { layout: next, lineNo } : null;
    if (!next && !joined) this.held = { text, lineNo };
    else if (!next) this.ctx.sink.skip(lineNo);
  }

  /** The fields a row of this file has, for messages (`T A V U E G R P MV MU`). */
  private expected(): string {
    const L = this.layout;
    if (!L) return 'a perf stat -x row';
    const id = L.aggregation === 'global' ? '' : L.aggregation === 'id+nr' ? 'A nr ' : 'A ';
    return `${L.interval ? 'T ' : ''}${id}V U E ${L.cgroup ? 'G ' : ''}${L.variance ? 'N ' : ''}R P${L.tail ? ' MV MU' : ''}`;
  }

  private failFields(text: string, lineNo: number): never {
    const sep = this.layout?.sep ?? this.metricOnly?.sep ?? ',';
    this.fail('fieldCount', messages.fieldCount(this.expected(), text.split(sep).length), text, lineNo);
  }

  private fail(code: string, message: string, text: string, lineNo: number): never {
    throw new TraceParseError(`${FORMAT}.${code}`, message, {
      context: { file: this.ctx.file, line: lineNo, expected: this.expected(), found: excerpt(text) },
    });
  }

  /** Parses one line under the detected layout (the hot path: no regex, no per-line objects). */
  private parse(line: string, lineNo: number): number {
    const L = this.layout!;
    const sep = L.sep;
    const sl = sep.length;
    let pos = 0;
    let stamp = NaN;
    let summary = false;
    if (L.interval) {
      if (this.stampPrefix !== '' && line.startsWith(this.stampPrefix)) {
        pos = this.stampPrefix.length;
        stamp = this.stamp;
      } else {
        const k = line.indexOf(sep);
        const first = k < 0 ? line : line.slice(0, k);
        if (isStamp(first)) {
          stamp = this.stamp = Number(first);
          this.stampPrefix = line.slice(0, k + sl);
          pos = k + sl;
        } else if (k >= 0 && first.trim() === 'summary') {
          summary = true;
          pos = k + sl;
        } else if (this.intervalSeen && this.startsRecord(line, 0)) {
          summary = true; // `--no-csv-summary`: the final totals come without a stamp
        } else return FOREIGN;
      }
    } else if (!this.startsRecord(line, 0)) return FOREIGN;

    let id: AggregationId = HOST_ID;
    let nr = -1;
    let k: number;
    if (L.aggregation !== 'global') {
      k = line.indexOf(sep, pos);
      if (k < 0) return FRAGMENT;
      const cpu = L.aggregation === 'cpu' && line.startsWith('CPU', pos) ? decimalAt(line, pos + 3, k) : NaN;
      const cached = cpu === cpu ? this.cpuIds[cpu] : undefined;
      if (cached) id = cached;
      else {
        const text = line.slice(pos, k);
        const got = L.aggregation === 'thread' ? this.ids.thread(text) : this.ids.topo(text);
        if (!got) this.fail('id', messages.perfBadId(text), line, lineNo);
        if (got.cpu !== null && got.scope === 'cpu') this.cpuIds[got.cpu] = got;
        id = got;
      }
      pos = k + sl;
      if (L.aggregation === 'id+nr') {
        k = line.indexOf(sep, pos);
        if (k < 0) return FRAGMENT;
        nr = Number(line.slice(pos, k));
        if (nr !== nr) this.fail('value', messages.badNumber('the counter count', line.slice(pos, k)), line, lineNo);
        pos = k + sl;
      }
    }
    // V
    k = line.indexOf(sep, pos);
    if (k < 0) return FRAGMENT;
    if (k === pos) return METRIC; // continuation line: extra metric of the previous row
    let value: number | null;
    if (line.charCodeAt(pos) === 60 /* < */) {
      if (!isNotCountedText(line.slice(pos, k))) this.failValue(line, lineNo, pos, k);
      value = null;
    } else {
      value = decimalAt(line, pos, k);
      if (value !== value) value = Number(line.slice(pos, k));
      if (L.decimalComma) {
        if (sep === ',') {
          // `19,63` printed with `-x,`: the two decimals are the next field.
          const k2 = line.indexOf(sep, k + 1);
          if (k2 === k + 3 && isDigitAt(line, k + 1) && isDigitAt(line, k + 2)) {
            value = Number(`${line.slice(pos, k)}.${line.slice(k + 1, k2)}`);
            k = k2;
          }
        } else if (value !== value) value = Number(line.slice(pos, k).replace(',', '.'));
      }
      if (value !== value) {
        const t = line.slice(pos, k).trim().toLowerCase();
        if (t !== 'nan' && t !== '-nan') this.failValue(line, lineNo, pos, k);
        value = null;
      }
    }
    pos = k + sl;
    // U
    k = line.indexOf(sep, pos);
    if (k < 0) return FRAGMENT;
    const unit = k === pos ? '' : k - pos === this.lastUnit.length && line.startsWith(this.lastUnit, pos)
      ? this.lastUnit : (this.lastUnit = line.slice(pos, k));
    pos = k + sl;
    // MU MV [TH] … P R [N] from the right; what remains is E [G].
    const right = this.right;
    if (!rightFields(line, pos, L.tail, L, right) && !TAILS.some((t) => t !== L.tail && rightFields(line, pos, t, L, right))) {
      return FRAGMENT;
    }
    let end = right.middleEnd;
    let cgroup = '';
    if (L.cgroup) {
      const g = sepBefore(line, end, sep);
      if (g < pos) return FRAGMENT;
      cgroup = line.slice(g + sl, end);
      end = g;
    }
    if (end <= pos) return METRIC;
    let event = this.lastEvent;
    if (event === null || end - pos !== event.name.length || !line.startsWith(event.name, pos)) {
      event = this.lastEvent = this.events.get(line.slice(pos, end));
    }
    if (cgroup !== '') id = this.ids.cgroup(id, cgroup);
    if (summary) stamp = NaN; // `PerfStatRows` drops it after interval rows
    else if (L.interval) this.intervalSeen = true;
    this.rows.row(lineNo, stamp, id, nr, event, unit, value, right.enabled);
    return ROW;
  }

  private failValue(line: string, lineNo: number, from: number, to: number): never {
    this.fail('value', messages.badNumber('the counter value', line.slice(from, to)), line, lineNo);
  }

  /** Whether the line's first field can start a record of this layout (else it is a foreign line). */
  private startsRecord(line: string, pos: number): boolean {
    const L = this.layout!;
    const k = line.indexOf(L.sep, pos);
    if (k < 0) return false;
    if (L.aggregation === 'global') {
      const c = line.charCodeAt(pos);
      return k === pos || (c >= 48 && c <= 57) || c === 60 /* < */ || c === 45 /* - */;
    }
    const text = line.slice(pos, k);
    return (L.aggregation === 'thread' ? this.ids.thread(text) : this.ids.topo(text)) !== null;
  }
}

/**
 * `perf stat -x SEP` output (TRACE-FORMATS §1.1, §1.2): any separator, with or without `-I`,
 * every aggregation mode, `-G`, `-r`, `--metric-only`, comma-decimal locales, perf 4.1 records
 * split after the unit. Counter rows → samples, RAPL rows → energy (see `PerfStatRows`).
 * `options.extra.separator` names a separator the detection cannot guess (multi-character `-x`).
 */
export const perfStatCsv: FormatSpec = {
  name: FORMAT,
  description: 'perf stat -x CSV output (counters and RAPL energy; -I, -A, --per-*, -G, --metric-only)',
  input: 'lines',
  sniff: (input) => sniffPerfCsv(input.lines),
  create: (ctx) => new PerfStatCsvParser(ctx),
};
