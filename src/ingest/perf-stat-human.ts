import { excerpt, TraceParseError } from '../errors.js';
import { messages } from '../messages.js';
import { parseCtime, startedOnText } from './ctime.js';
import { decimalCommaOf, humanNumber, plainNumber, splitCounter, splitTail, startsWithValue } from './perf-human-row.js';
import type { AggregationId } from './perf-aggregation.js';
import { AggregationIds, HOST_ID, PerfEvents } from './perf-aggregation.js';
import { PerfStatRows } from './perf-stat-rows.js';
import type { FormatSpec, LineParser, ParseContext, SniffInput } from './types.js';

const FORMAT = 'perf-stat-human';
const STAMP = /^[ \t]*(\d+\.\d{9})(?=[ \t]|$)/;
const RUN_HEADER = /^\s*Performance counter stats for (.*?)(?: \((\d+) runs\))?:\s*$/;
// `-r N` prints the mean, its standard deviation and the relative noise.
const ELAPSED = /^\s*([\d.,]+)(?: \+- [\d.,]+)? seconds time elapsed(?:\s+\(\s*\+-\s*([\d.,]+)\s*%\s*\))?\s*$/;
const USER_SYS = /^\s*[\d.,]+ seconds (?:user|sys)\s*$/;
const INTERVAL_HEADER = /^#\s+time\s/;
// `--per-thread`: `%16s-%-7d ` — the comm may hold spaces and dashes, so the tid is the first
// `-<digits>` that a value follows.
const THREAD = /^(\S.*?)-(\d+)[ \t]+(?=<not |-?\d)/;
const NR = /^(\d+)[ \t]+/;

/** One ` Performance counter stats for …` block, kept in `details.runs`. */
interface Run {
  target: string;
  /** `-r N` repeats averaged into this block. */
  repeats: number;
  /** Start, s from the trace start. */
  t0: number;
  elapsedSeconds: number | null;
  /** `( +- x% )` per event (`<entity> <event>` when aggregated), percent. */
  variancePercent?: Record<string, number>;
}

/** A value + unit line whose event perf 4.1 printed on the next line (unit string held a newline). */
interface Pending {
  lineNo: number; stamp: number; id: AggregationId; nr: number; value: string | null; unit: string;
}

/**
 * Streaming parser for one human-readable `perf stat` file. State: the interval flag, the
 * detected locale, at most one broken record, the id/event caches and one entry per run.
 */
class PerfStatHumanParser implements LineParser {
  private readonly rows: PerfStatRows;
  private readonly ids: AggregationIds;
  private readonly events = new PerfEvents();
  /** A `# started on` line opened the current block, so the run header must not open another. */
  private opened = false;
  private interval = false;
  private pending: Pending | null = null;
  private decimalComma: boolean | null = null;
  private aggregation: string | null = null;
  private cgroups = false;
  private readonly runs: Run[] = [];
  private summaryRows = 0;
  private brokenRecords = 0;

  constructor(private readonly ctx: ParseContext) {
    this.rows = new PerfStatRows(ctx.sink, ctx.file, FORMAT);
    this.ids = new AggregationIds(ctx.options.topology);
  }

  line(text: string, lineNo: number): void {
    if (this.pending && this.completePending(text, lineNo)) return;
    if (text.charCodeAt(0) === 35 /* # */) {
      const ctime = startedOnText(text);
      if (ctime !== null) {
        this.rows.block(parseCtime(ctime));
        this.opened = true;
      } else if (!INTERVAL_HEADER.test(text)) this.ctx.sink.skip(lineNo);
      return;
    }
    if (text.trim() === '' || USER_SYS.test(text)) return;
    let m = RUN_HEADER.exec(text);
    if (m) return this.onRunHeader(m[1]!, m[2]);
    m = ELAPSED.exec(text);
    if (m) return this.onElapsed(m[1]!, m[2], text, lineNo);
    this.onRecord(text, lineNo);
  }

  end(): void {
    if (this.pending) {
      // perf killed between the two lines of a broken record: keep what came before.
      this.ctx.sink.warn(messages.truncatedRecord('perf stat record'), this.pending.lineNo);
      this.ctx.sink.skip(this.pending.lineNo);
      this.pending = null;
    }
    if (this.rows.records === 0) {
      throw new TraceParseError(`${FORMAT}.noRecords`, messages.noRecords('perf stat'), {
        context: { file: this.ctx.file, line: 1, expected: 'perf stat counter rows' },
      });
    }
    Object.assign(this.rows.details, {
      mode: this.interval ? 'interval' : 'totals',
      aggregation: this.aggregation,
      cgroup: this.cgroups,
      locale: this.decimalComma ? 'decimal-comma' : 'C',
      ...(this.runs.length > 0 ? { runs: this.runs, runLayout: 'consecutive unless # started on says otherwise' } : {}),
      ...(this.summaryRows > 0 ? { summaryRowsIgnored: this.summaryRows } : {}),
      ...(this.brokenRecords > 0 ? { brokenRecords: this.brokenRecords } : {}),
    });
    this.rows.end();
  }

  private onRunHeader(target: string, repeats: string | undefined): void {
    // A run after interval rows is perf's end-of-run summary: its rows are ignored, no new block.
    if (!this.opened && !this.interval) this.rows.block(null);
    this.opened = false;
    const quoted = /^'(.*)'$/.exec(target);
    this.runs.push({ target: quoted ? quoted[1]! : target, repeats: repeats ? Number(repeats) : 1,
      t0: this.rows.blockStart, elapsedSeconds: null });
  }

  private onElapsed(secondsText: string, variance: string | undefined, text: string, lineNo: number): void {
    const seconds = this.number(secondsText, 'seconds time elapsed', text, lineNo, false);
    if (this.interval) return;
    this.rows.duration(seconds);
    const run = this.runs[this.runs.length - 1];
    if (!run) return;
    run.elapsedSeconds = seconds;
    if (variance !== undefined) this.variance(run, 'seconds time elapsed', variance, text, lineNo);
  }

  private onRecord(text: string, lineNo: number): void {
    let rest = text;
    let stamp = NaN;
    const sm = STAMP.exec(text);
    if (sm) {
      stamp = Number(sm[1]);
      rest = text.slice(sm[0].length);
    }
    rest = rest.trimStart();
    // An extra metric on its own line (`… # 0.50 stalled cycles per insn`) is not a sample.
    if (rest.startsWith('#')) return;
    let id = HOST_ID;
    let nr = -1;
    if (!startsWithValue(rest)) {
      const end = rest.search(/[ \t]/);
      const topo = end > 0 ? this.ids.topo(rest.slice(0, end)) : null;
      if (topo) {
        id = topo;
        rest = rest.slice(end).trimStart();
        const n = NR.exec(rest);
        if (n && startsWithValue(rest.slice(n[0].length))) {
          nr = Number(n[1]);
          rest = rest.slice(n[0].length);
        }
      } else {
        const t = THREAD.exec(rest);
        const thread = t && this.ids.thread(`${t[1]}-${t[2]}`);
        if (!thread) return this.ctx.sink.skip(lineNo);
        id = thread;
        rest = rest.slice(t![0].length);
      }
    }
    const c = startsWithValue(rest) ? splitCounter(rest) : null;
    if (!c) return this.ctx.sink.skip(lineNo);
    if (c.event === '') {
      this.pending = { lineNo, stamp, id, nr, value: c.value, unit: c.unit };
      return;
    }
    this.emit(text, lineNo, stamp, id, nr, c.value, c.unit, c.event, c.cgroup, c.running, c.variance);
  }

  /** Joins a broken record with its event line; false (and an error) when the line is something else. */
  private completePending(text: string, lineNo: number): boolean {
    const p = this.pending!;
    this.pending = null;
    const tail = /^[ \t]/.test(text) ? splitTail(text, false) : null;
    if (!tail || tail.event === '' || tail.unit !== '') {
      throw new TraceParseError(`${FORMAT}.brokenRecord`, messages.perfHumanMissingEvent(p.unit), {
        context: { file: this.ctx.file, line: lineNo, expected: 'the event name of the record on the line before', found: excerpt(text) },
      });
    }
    this.brokenRecords++;
    this.emit(text, lineNo, p.stamp, p.id, p.nr, p.value, p.unit, tail.event, tail.cgroup, tail.running, tail.variance);
    return true;
  }

  private emit(text: string, lineNo: number, stamp: number, id: AggregationId, nr: number, valueText: string | null,
    unit: string, eventName: string, cgroup: string, running: string | null, variance: string | null): void {
    if (stamp === stamp) this.interval = true;
    else if (this.interval) {
      this.summaryRows++;
      return;
    }
    const value = valueText === null ? null : this.number(valueText, 'the counter value', text, lineNo, true);
    const enabled = running !== null ? this.number(running, 'the running percentage', text, lineNo, false) / 100
      : value === null ? null : 1;
    this.aggregation ??= id.scope === 'host' ? 'global' : id.scope === 'vcpu' ? 'thread' : id.scope;
    if (cgroup !== '') {
      this.cgroups = true;
      id = this.ids.cgroup(id, cgroup);
    }
    const run = this.runs[this.runs.length - 1];
    if (variance !== null && run) {
      this.variance(run, id.scope === 'host' ? eventName : `${id.entity} ${eventName}`, variance, text, lineNo);
    }
    this.rows.row(lineNo, stamp, id, nr, this.events.get(eventName), unit, value, enabled);
  }

  private variance(run: Run, key: string, text: string, line: string, lineNo: number): void {
    (run.variancePercent ??= {})[key] = this.number(text, '( +- x% )', line, lineNo, false);
  }

  /**
   * A counter value (`grouped`: thousands separators) or a plain `%f` number (times, percentages);
   * records the locale its marks reveal; garbage throws.
   */
  private number(text: string, what: string, line: string, lineNo: number, grouped: boolean): number {
    const v = grouped ? humanNumber(text) : plainNumber(text);
    if (v !== v) {
      throw new TraceParseError(`${FORMAT}.badNumber`, messages.badNumber(what, text), {
        context: { file: this.ctx.file, line: lineNo, found: excerpt(line) },
      });
    }
    if (this.decimalComma === null) this.decimalComma = decimalCommaOf(text, grouped);
    return v;
  }
}

/** Sniff: 3 on a run header or the `-I` column header, 2 on a `seconds time elapsed` line. */
function sniff({ lines }: SniffInput): number {
  let score = 0;
  for (const line of lines) {
    if (RUN_HEADER.test(line) || INTERVAL_HEADER.test(line)) return 3;
    if (ELAPSED.test(line)) score = 2;
  }
  return score;
}

/**
 * Human-readable `perf stat` output (TRACE-FORMATS §1.3, §1.7-1.9): `-I` rows with their repeated
 * `#  time …` header, `-A`/`--per-*`/`--per-thread` prefixes, `-G` cgroups, and per-run totals
 * blocks (` Performance counter stats for …`, several per file with `-r` or `--append`).
 * Thousands separators and comma-decimal locales, `<not counted>` (→ null), `(63.54%)`
 * (→ enabled fraction), `( +- x% )` (→ `details.runs[k].variancePercent`), records broken after
 * the unit (perf 4.1), foreign lines and footer hints (skipped). Rows go through `PerfStatRows`:
 * counters → samples, RAPL `power…/energy-…/` Joules → energy.
 *
 * Times: interval rows cover [previous stamp, stamp]. A totals block covers [t0, t0 + its
 * `seconds time elapsed`]; the first starts at 0 and each next one where the previous ended
 * (the gap between runs is unknown), unless `# started on` lines place them (`--append`).
 * `details.runs` lists the blocks in order (run index = position) with their t0, so samples map
 * back to runs. Totals printed after `-I` rows (`--summary`) repeat the intervals and are ignored.
 */
export const perfStatHuman: FormatSpec = {
  name: FORMAT,
  description: 'perf stat human-readable output (counters and RAPL energy; -I, -A, --per-*, -r totals)',
  input: 'lines',
  sniff,
  create: (ctx) => new PerfStatHumanParser(ctx),
};
