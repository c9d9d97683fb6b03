import { TraceParseError, excerpt } from '../errors.js';
import { messages } from '../messages.js';
import { parseDecimal } from './numbers.js';
import { Col, badColumnName, looksLikeHeader, parseHeader, splitFields, type TurbostatHeader } from './turbostat-columns.js';
import { preambleFacts } from './turbostat-preamble.js';
import type { EnergyDomain, FormatSpec, LineParser, ParseContext, TraceSink } from './types.js';

/** Interval assumed when neither the file nor the options give one, seconds (turbostat's default). */
export const defaultTurbostatIntervalSeconds = 5;

const forkRe = /^\s*(\d+\.\d+) sec\s*$/;
const stampRe = /^(\d+)(?:\.(\d{1,6}))?$/;
const intRe = /^\d+$/;
const nanRe = /^-?nan$/i;

/** Time_Of_Day_Seconds (`%10ld.%06ld`) as integer microseconds, exact in a double; NaN if malformed. */
function stampMicros(text: string): number {
  const m = stampRe.exec(text);
  if (!m) return NaN;
  return Number(m[1]) * 1e6 + Number((m[2] ?? '').padEnd(6, '0'));
}

class TurbostatParser implements LineParser {
  private readonly sink: TraceSink;
  private readonly facts: Record<string, unknown> = {};
  private header: TurbostatHeader | null = null;
  private expectSummary = false;
  private forkSeconds: number | null = null;
  private intervalSeconds: number | null = null;
  private readonly warned = new Set<string>();
  // Block state: one block = one interval (summary row + detail rows).
  private inBlock = false;
  private blocks = 0;
  private t0 = 0;
  private t1 = 0;
  private startMicros = NaN;
  private summary = new Float64Array(0);
  private seen = new Uint8Array(0);
  private packageOrdinal = -1;
  private readonly energy = new Map<string, { socket: number; domain: EnergyDomain; joules: number }>();
  /** Core entity of each logical CPU, as its detail rows name them (first seen wins). */
  private readonly cpuCores = new Map<number, string>();

  constructor(private readonly ctx: ParseContext) {
    this.sink = ctx.sink;
  }

  line(text: string, lineNo: number): void {
    const fork = forkRe.exec(text);
    if (fork) {
      this.forkSeconds = Number(fork[1]);
      return;
    }
    const tabs = text.includes('\t');
    const fields = splitFields(text, tabs);
    if (fields.length === 0) return;
    if (looksLikeHeader(fields)) return this.onHeader(fields, tabs, text, lineNo);
    const h = this.header;
    if (!h) return this.onPreamble(text);
    const first = fields[0]!;
    const dataLike = first === '-' || !Number.isNaN(parseDecimal(first.replace(/\*+$/, '')));
    // A TAB layout's rows always hold TABs unless they have one field; spaced text is foreign.
    if (!dataLike || (h.tabs && !tabs && fields.length > 1)) return this.sink.skip(lineNo);
    this.onRow(h, fields, text, lineNo);
  }

  end(): void {
    this.endBlock();
    // The samples have no column for it, so the topology goes into the trace's meta (see `readCpuCores`).
    if (this.cpuCores.size) this.sink.meta({ details: { cpuCores: Object.fromEntries(this.cpuCores) } });
    if (this.blocks === 0) {
      throw new TraceParseError('turbostat.noRecords', messages.noRecords('turbostat'), {
        context: { file: this.ctx.file, expected: 'a turbostat header line and data rows' },
        hint: messages.hintFormatFlag(),
      });
    }
  }

  private onPreamble(text: string): void {
    const found = preambleFacts(text, this.facts);
    if (!found) return;
    Object.assign(this.facts, found);
    this.sink.meta({ details: found });
  }

  private onHeader(fields: string[], tabs: boolean, text: string, lineNo: number): void {
    const bad = badColumnName(fields);
    if (bad !== undefined) {
      throw new TraceParseError('turbostat.badHeader', messages.turbostatBadColumn(bad), {
        context: { file: this.ctx.file, line: lineNo, expected: 'TAB- or space-separated column names', found: excerpt(text) },
        hint: messages.hintTurbostatHeader(),
      });
    }
    this.endBlock();
    const amd = /AMD|Hygon/i.test(String(this.facts.vendor ?? ''));
    const h = parseHeader(fields, tabs, amd);
    if (!this.header) this.sink.meta({ details: { layout: tabs ? 'tab' : 'space', timeOfDay: h.time >= 0 } });
    this.header = h;
    if (this.summary.length !== fields.length) {
      this.summary = new Float64Array(fields.length);
      this.seen = new Uint8Array(fields.length);
    }
    this.expectSummary = true;
  }

  private onRow(h: TurbostatHeader, fields: string[], text: string, lineNo: number): void {
    if (fields.length > h.names.length) {
      throw new TraceParseError('turbostat.fieldCount', messages.fieldCount(`at most ${h.names.length}`, fields.length), {
        context: { file: this.ctx.file, line: lineNo, expected: h.names.join(' '), found: excerpt(text) },
      });
    }
    const marked = h.firstTopology >= 0 && fields[h.firstTopology] === '-';
    if (!marked && !this.expectSummary) return this.onDetail(h, fields, lineNo);
    // The oldest space-aligned output leaves the summary's topology columns blank.
    if (!marked && !h.tabs && h.topologyCount > 0 && fields.length === h.names.length - h.topologyCount) {
      fields.splice(h.firstTopology, 0, ...new Array<string>(h.topologyCount).fill('-'));
    }
    this.endBlock();
    this.beginBlock(h, fields, lineNo);
  }

  /** The interval between rows when the file has no timestamps, seconds. */
  private interval(): number {
    if (this.intervalSeconds !== null) return this.intervalSeconds;
    const fromFile = this.facts.intervalSeconds;
    let s: number;
    if (typeof fromFile === 'number' && fromFile > 0) s = fromFile;
    else if (this.ctx.options.intervalSeconds !== undefined && this.ctx.options.intervalSeconds > 0) {
      s = this.ctx.options.intervalSeconds;
      this.sink.meta({ details: { intervalSeconds: s, intervalSource: 'options' } });
    } else {
      s = defaultTurbostatIntervalSeconds;
      this.sink.warn(messages.turbostatDefaultInterval(s));
      this.sink.meta({ details: { intervalSeconds: s, intervalSource: 'default' } });
    }
    this.intervalSeconds = s;
    return s;
  }

  private beginBlock(h: TurbostatHeader, fields: readonly string[], lineNo: number): void {
    const step = this.forkSeconds ?? -1;
    this.forkSeconds = null;
    let t1: number;
    if (h.time >= 0) {
      const stamp = stampMicros(fields[h.time] ?? '');
      if (Number.isNaN(stamp)) this.fail('turbostat.badNumber', messages.badNumber('Time_Of_Day_Seconds', fields[h.time] ?? ''), lineNo, fields);
      if (Number.isNaN(this.startMicros)) {
        // The first row closes the first interval, so the trace starts one interval earlier.
        this.startMicros = stamp - Math.round((step > 0 ? step : this.interval()) * 1e6);
        this.sink.meta({ startEpochSeconds: this.startMicros / 1e6 });
      }
      t1 = (stamp - this.startMicros) / 1e6;
    } else {
      t1 = this.t1 + (step > 0 ? step : this.interval());
    }
    if (this.blocks > 0 && t1 <= this.t1) this.fail('turbostat.timeBackwards', messages.timeBackwards(this.t1, t1), lineNo, fields);
    this.t0 = this.blocks > 0 ? this.t1 : 0;
    this.t1 = t1;
    this.blocks++;
    this.inBlock = true;
    this.expectSummary = false;
    this.packageOrdinal = -1;
    this.seen.fill(0);
    this.summary.fill(NaN);
    for (let i = 0; i < fields.length; i++) {
      if (h.kind[i]! < Col.cpuValue) continue;
      const v = this.value(h, fields[i]!, i, lineNo, fields);
      if (v !== null) this.summary[i] = v;
    }
  }

  private onDetail(h: TurbostatHeader, fields: readonly string[], lineNo: number): void {
    const cpu = this.id(h, h.cpuId, fields, lineNo);
    const core = this.id(h, h.coreId, fields, lineNo);
    if (h.firstPackage >= 0 && fields.length > h.firstPackage) this.packageOrdinal++;
    // Without a Package column (single-package hosts, or `--show` hiding it) packages come in order.
    const pkg = this.id(h, h.packageId, fields, lineNo) ?? Math.max(this.packageOrdinal, 0);
    const coreEntity = core === null ? null : `S${pkg}-C${core}`;
    if (cpu !== null && coreEntity !== null && !this.cpuCores.has(cpu)) this.cpuCores.set(cpu, coreEntity);
    const { sink, t0, t1 } = this;
    for (let i = 0; i < fields.length; i++) {
      const kind = h.kind[i]!;
      if (kind < Col.cpuValue) continue;
      const v = this.value(h, fields[i]!, i, lineNo, fields);
      if (v === null) continue;
      const event = `turbostat:${h.names[i]!}`;
      switch (kind) {
        case Col.cpuValue:
          if (cpu === null) {
            this.warnOnce('noCpu', messages.turbostatNoCpuColumn());
            continue;
          }
          sink.sample(t0, t1, 'cpu', `CPU${cpu}`, cpu, event, v, null);
          break;
        case Col.coreValue:
          if (coreEntity === null) continue;
          sink.sample(t0, t1, 'core', coreEntity, null, event, v, null);
          break;
        case Col.packageValue:
          sink.sample(t0, t1, 'socket', `S${pkg}`, null, event, v, null);
          break;
        case Col.coreTemp:
          if (coreEntity === null) continue;
          sink.temp(t1, 'core', coreEntity, v);
          break;
        case Col.packageTemp:
          sink.temp(t1, 'socket', `S${pkg}`, v);
          break;
        case Col.coreEnergy:
          // The energy table has no core column: keep the per-core reading as a sample too.
          if (coreEntity !== null) sink.sample(t0, t1, 'core', coreEntity, null, event, v, null);
          this.addEnergy(pkg, h, i, v);
          break;
        default:
          this.addEnergy(pkg, h, i, v);
      }
      this.seen[i] = 1;
    }
  }

  private addEnergy(socket: number, h: TurbostatHeader, i: number, v: number): void {
    const domain = h.domain[i]!;
    const joules = h.joules[i] ? v : v * (this.t1 - this.t0);
    const key = `${socket}:${domain}`;
    const acc = this.energy.get(key);
    if (acc) acc.joules += joules;
    else this.energy.set(key, { socket, domain, joules });
  }

  /**
   * Closes the current block. Summary values stand in, at host level, only for columns no detail
   * row carried (turbostat `-S`, `--cpu` subsets): everything else would be stored twice.
   */
  private endBlock(): void {
    if (!this.inBlock) return;
    this.inBlock = false;
    const { sink, t0, t1 } = this;
    for (const e of this.energy.values()) sink.energy(t0, t1, e.socket, e.domain, e.joules);
    this.energy.clear();
    const h = this.header!;
    for (let i = 0; i < this.summary.length; i++) {
      const v = this.summary[i]!;
      if (this.seen[i] || Number.isNaN(v)) continue;
      const kind = h.kind[i]!;
      const name = h.names[i]!;
      if (kind === Col.coreTemp || kind === Col.packageTemp) sink.temp(t1, 'host', `host:${name}`, v);
      else if (kind === Col.coreEnergy || kind === Col.packageEnergy) {
        sink.energy(t0, t1, null, h.domain[i]!, h.joules[i] ? v : v * (t1 - t0));
      } else sink.sample(t0, t1, 'host', 'host', null, `turbostat:${name}`, v, null);
    }
  }

  /** A topology id (CPU, Core, Package) of a detail row, or null when the column is absent. */
  private id(h: TurbostatHeader, col: number, fields: readonly string[], lineNo: number): number | null {
    if (col < 0) return null;
    const text = fields[col] ?? '';
    if (!intRe.test(text)) this.fail('turbostat.badNumber', messages.badNumber(h.names[col]!, text), lineNo, fields);
    return Number(text);
  }

  /** A counter field: null when empty or not applicable, the number otherwise; garbage throws. */
  private value(h: TurbostatHeader, text: string, i: number, lineNo: number, fields: readonly string[]): number | null {
    if (text === '' || text === '-' || nanRe.test(text)) return null;
    let body = text;
    if (body.endsWith('*')) {
      // Old turbostat flags doubtful values with `*` (e.g. RAPL interval beyond the counter range).
      this.warnOnce(`suspect:${h.names[i]}`, messages.turbostatSuspect(h.names[i]!), lineNo);
      body = body.replace(/\*+$/, '');
      if (body === '') return null;
    }
    const v = parseDecimal(body);
    if (Number.isNaN(v)) this.fail('turbostat.badNumber', messages.badNumber(h.names[i]!, text), lineNo, fields);
    return v;
  }

  private warnOnce(key: string, message: string, line?: number): void {
    if (this.warned.has(key)) return;
    this.warned.add(key);
    this.sink.warn(message, line);
  }

  private fail(code: string, message: string, lineNo: number, fields: readonly string[]): never {
    throw new TraceParseError(code, message, {
      context: { file: this.ctx.file, line: lineNo, found: excerpt(fields.join(' ')) },
    });
  }
}

/**
 * `turbostat` text output (TRACE-FORMATS.md §2): verbose preamble, repeated header + summary +
 * per-CPU blocks, TAB- or space-separated, ragged rows, fork-mode `N.NNNNNN sec` lines.
 *
 * Times: with `Time_Of_Day_Seconds` each block ends at its summary row's stamp, and the trace
 * starts one interval before the first (`startEpochSeconds`); without it block k ends at
 * k × interval (preamble `Measurement interval`, else `options.intervalSeconds`, else 5 s with a
 * warning); a fork-mode line gives the next block's length. Every row of a block covers [t0, t1].
 * `usec` is the time turbostat took to read the row, not a timestamp, and is dropped.
 *
 * Rows: per-CPU columns → samples scope `cpu`, entity `CPU<n>`; per-core (`CPU%c6`, …) → scope
 * `core`, entity `S<pkg>-C<core>`; per-package (`Pkg%pc2`, `UncMHz`, …) → scope `socket`,
 * entity `S<pkg>`. Events are `turbostat:<column>`, values as printed (MHz, %, counts), enabled
 * null. `CoreTmp` → temps scope `core`, `PkgTmp` → scope `socket` (°C, at t1).
 * `*Watt` × Δt or `*_J` → energy in joules per package (Package column, else packages in row
 * order; AMD per-core `CorWatt` summed per package and also kept as per-core samples).
 * Summary rows are not stored, except for columns no detail row carried in that block
 * (`-S`, `--cpu`): then scope `host` (energy socket null, temps entity `host:<column>`).
 * Topology: rows with both CPU and Core columns give each CPU's core, kept in the trace's meta as
 * `cpuCores` (`{"<cpu>": "S<pkg>-C<core>"}`), which the thermal fit and replay split power by.
 */
export const turbostat: FormatSpec = {
  name: 'turbostat',
  description: 'turbostat output: per-CPU frequency, C-states, temperatures, RAPL power',
  input: 'lines',
  sniff({ lines }) {
    if (lines[0]?.startsWith('turbostat version')) return 3;
    return lines.some((l) => looksLikeHeader(splitFields(l, l.includes('\t')))) ? 2 : 0;
  },
  create: (ctx) => new TurbostatParser(ctx),
};
