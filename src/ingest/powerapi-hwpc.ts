import { TraceParseError, excerpt } from '../errors.js';
import { messages } from '../messages.js';
import { isoHasZone, isoToEpochSeconds } from './epoch.js';
import { JsonDocumentSplitter, isJsonObject, parseJsonDocument } from './json-documents.js';
import { parseDecimal } from './numbers.js';
import type { EnergyDomain, FormatSpec, LineParser, ParseContext, SniffInput } from './types.js';

/** One RAPL raw unit of hwpc-sensor (perf's `power` PMU count), in joules: 2^-32 J. */
export const hwpcRaplJoules = 2 ** -32;

/** Columns that open hwpc-sensor's CSV header; the event columns follow, sorted by name. */
const csvHead = ['timestamp', 'sensor', 'target', 'socket', 'cpu'];

const raplDomains: Record<string, EnergyDomain> = {
  RAPL_ENERGY_PKG: 'package', RAPL_ENERGY_DRAM: 'dram', RAPL_ENERGY_CORES: 'core',
  RAPL_ENERGY_GPU: 'gpu', RAPL_ENERGY_PSYS: 'psys',
};

/** hwpc `msr` group events under perf's `msr` PMU names, so they line up with perf stat input. */
const msrEvents: Record<string, string> = { TSC: 'msr/tsc/', APERF: 'msr/aperf/', MPERF: 'msr/mperf/' };

interface CpuState {
  /** Report time, Unix ms (hwpc's resolution; integers keep differences exact). */
  t: number;
  /** Cumulative perf time_enabled / time_running, ns (hwpc never resets them). */
  enabled: number;
  running: number;
}

/**
 * PowerAPI hwpc-sensor reports (JSON or CSV output).
 *
 * hwpc-sensor resets its perf counters at every tick (`PERF_EVENT_IOC_RESET`), so each report
 * holds per-period deltas, unscaled for multiplexing, plus perf's cumulative `time_enabled` and
 * `time_running` (ns). Shapes read:
 * - JSON reports `{timestamp, sensor, target, groups: {<group>: {<socket>: {<cpu>: {<event>: n}}}}}`,
 *   one after another (socket output, JSON lines, mongoexport with `{"$date"}`/`{"$numberLong"}`),
 *   or gathered in one array / `{"reports": [...]}` document. A gathering document is held whole
 *   and its reports are ordered by time (Mongo exports are not); loose reports must come in order.
 * - CSV, one file per group (named after the group): `timestamp,sensor,target,socket,cpu,<events…>`
 *   with the timestamp in ms.
 * `timestamp` is ISO 8601 (the socket output writes local time without a zone: read as UTC,
 * recorded in the details) or epoch ms.
 *
 * Rows: the interval of a report is [previous report of the same target/group/socket/cpu, this
 * report], so the first report of each only starts the clock. `RAPL_ENERGY_{PKG,DRAM,CORES,GPU,PSYS}`
 * → energy of that socket (psys: none) in 2^-32 J units (perf's RAPL scale; the real files give
 * ≈20 W per idle server socket and ≈1.2 W for an idle laptop package). Other events → samples:
 * target `all` → scope cpu, entity `CPU<n>`; any other target (a container) → scope cgroup,
 * entity the target name; event `msr/tsc/`, `msr/aperf/`, `msr/mperf/` for the msr group, else
 * the libpfm name as reported. value = delta × Δtime_enabled / Δtime_running, enabled =
 * Δtime_running / Δtime_enabled.
 */
export const powerapiHwpc: FormatSpec = {
  name: 'powerapi-hwpc',
  description: 'PowerAPI hwpc-sensor reports, JSON or CSV (RAPL energy, MSR/PMU counters)',
  input: 'lines',
  sniff: sniffHwpc,
  create: (ctx) => new HwpcParser(ctx),
};

function sniffHwpc({ lines }: SniffInput): number {
  if (lines[0]?.startsWith(csvHead.join(','))) return 3;
  const head = lines.join('\n');
  return /"groups"\s*:/.test(head) && /"timestamp"\s*:/.test(head) && /"(?:sensor|target)"\s*:/.test(head) ? 3 : 0;
}

class HwpcParser implements LineParser {
  private mode: 'json' | 'csv' | undefined;
  private readonly splitter: JsonDocumentSplitter;
  private columns: string[] | undefined;
  private readonly states = new Map<string, CpuState>();
  private start: number | undefined;
  private zoneLess = false;
  private reports = 0;
  private rows = 0;

  constructor(private readonly ctx: ParseContext) {
    this.splitter = new JsonDocumentSplitter((text, line) => this.document(text, line), (_, line) => ctx.sink.skip(line));
  }

  line(text: string, lineNo: number): void {
    if (this.mode === undefined) {
      if (text.trim() === '') return;
      this.mode = /^[\s\ufeff]*[{[]/.test(text) ? 'json' : 'csv';
      this.ctx.sink.meta({ details: { layout: this.mode } });
    }
    if (this.mode === 'json') this.splitter.line(text, lineNo);
    else this.csvLine(text, lineNo);
  }

  private document(text: string, line: number): void {
    const value = parseJsonDocument(text, 'powerapi-hwpc', this.ctx.file, line);
    const list = Array.isArray(value) ? value : isJsonObject(value) && Array.isArray(value['reports']) ? value['reports'] : undefined;
    if (list === undefined) {
      this.report(value, this.reportTime(value, line, text), line, text);
      return;
    }
    // the whole document is in memory anyway; Mongo exports list reports in any order
    const timed = list.map((r) => ({ r, t: this.reportTime(r, line, text) })).sort((a, b) => a.t - b.t);
    for (const { r, t } of timed) this.report(r, t, line, text);
  }

  private reportTime(report: unknown, line: number, text: string): number {
    const stamp = isJsonObject(report) ? report['timestamp'] : undefined;
    const t = epochMsOf(stamp);
    if (!Number.isFinite(t)) throw this.error('powerapi-hwpc.badTimestamp', messages.badNumber('timestamp', JSON.stringify(stamp) ?? ''), line, text);
    if (typeof stamp === 'string' && !isoHasZone(stamp)) this.zoneLess = true;
    return t;
  }

  private report(report: unknown, t: number, line: number, text: string): void {
    const target = isJsonObject(report) ? report['target'] : undefined;
    const groups = isJsonObject(report) ? report['groups'] : undefined;
    if (typeof target !== 'string' || !isJsonObject(groups)) {
      throw this.error('powerapi-hwpc.shape', messages.noRecords('hwpc report (target, groups)'), line, text);
    }
    this.reports++;
    for (const [group, sockets] of Object.entries(groups)) {
      for (const [socket, cpus] of Object.entries(isJsonObject(sockets) ? sockets : {})) {
        for (const [cpu, events] of Object.entries(isJsonObject(cpus) ? cpus : {})) {
          if (!isJsonObject(events)) continue;
          const values: Record<string, number> = {};
          for (const [name, v] of Object.entries(events)) {
            values[name] = jsonNumber(v);
            if (Number.isNaN(values[name])) throw this.error('powerapi-hwpc.badNumber', messages.badNumber(name, JSON.stringify(v)), line, text);
          }
          this.cpu(t, target, group, socket, cpu, values, line, text);
        }
      }
    }
  }

  private csvLine(text: string, lineNo: number): void {
    const fields = text.split(',').map((f) => f.trim());
    if (fields[0] === 'timestamp') {
      if (csvHead.some((c, i) => fields[i] !== c)) throw this.error('powerapi-hwpc.header', messages.fieldCount(csvHead.join(','), fields.length), lineNo, text);
      this.columns = fields;
      return;
    }
    if (this.columns === undefined || !/^\d+$/.test(fields[0]!)) {
      this.ctx.sink.skip(lineNo);
      return;
    }
    if (fields.length !== this.columns.length) {
      throw this.error('powerapi-hwpc.fieldCount', messages.fieldCount(String(this.columns.length), fields.length), lineNo, text);
    }
    const values: Record<string, number> = {};
    for (let i = csvHead.length; i < fields.length; i++) {
      const v = parseDecimal(fields[i]!);
      if (Number.isNaN(v)) throw this.error('powerapi-hwpc.badNumber', messages.badNumber(this.columns[i]!, fields[i]!), lineNo, text);
      values[this.columns[i]!] = v;
    }
    // hwpc writes one CSV file per event group and names the file after it
    const group = this.ctx.file.split('/').pop() ?? 'csv';
    this.reports++;
    this.cpu(Number(fields[0]), fields[2]!, group, fields[3]!, fields[4]!, values, lineNo, text);
  }

  private cpu(tMs: number, target: string, group: string, socketKey: string, cpuKey: string,
    events: Record<string, number>, line: number, text: string): void {
    if (!/^\d+$/.test(socketKey) || !/^\d+$/.test(cpuKey)) {
      throw this.error('powerapi-hwpc.badNumber', messages.badNumber('socket and cpu ids', `${socketKey}/${cpuKey}`), line, text);
    }
    if (this.start === undefined) {
      this.start = tMs;
      this.ctx.sink.meta({ startEpochSeconds: tMs / 1000 });
    }
    const key = `${target}\u0000${group}\u0000${socketKey}\u0000${cpuKey}`;
    const prev = this.states.get(key);
    const cur: CpuState = { t: tMs, enabled: events['time_enabled'] ?? NaN, running: events['time_running'] ?? NaN };
    if (prev !== undefined && tMs < prev.t) {
      throw this.error('powerapi-hwpc.timeBackwards', messages.timeBackwards((prev.t - this.start) / 1000, (tMs - this.start) / 1000), line, text);
    }
    if (prev !== undefined && tMs === prev.t) {
      this.ctx.sink.warn(messages.duplicateReading(`${target} ${group} cpu ${cpuKey}`), line);
      return;
    }
    this.states.set(key, cur);
    if (prev === undefined) return;
    const t0 = (prev.t - this.start) / 1000;
    const t1 = (tMs - this.start) / 1000;
    const socket = Number(socketKey);
    const cpu = Number(cpuKey);
    const fraction = runningFraction(prev, cur);
    for (const [name, raw] of Object.entries(events)) {
      if (name === 'time_enabled' || name === 'time_running') continue;
      const domain = raplDomains[name];
      if (domain !== undefined) {
        this.ctx.sink.energy(t0, t1, domain === 'psys' ? null : socket, domain, raw * hwpcRaplJoules);
      } else {
        const value = fraction === null ? raw : fraction > 0 ? raw / fraction : null;
        this.ctx.sink.sample(t0, t1, target === 'all' ? 'cpu' : 'cgroup', target === 'all' ? `CPU${cpu}` : target, cpu,
          msrEvents[name] ?? name, value, fraction);
      }
      this.rows++;
    }
  }

  end(): void {
    const open = this.splitter.openSince;
    if (open !== undefined) {
      throw new TraceParseError('powerapi-hwpc.truncated', messages.truncatedRecord('JSON document'), { context: { file: this.ctx.file, line: open } });
    }
    this.ctx.sink.meta({
      details: { reports: this.reports, raplUnitJoules: hwpcRaplJoules, ...(this.zoneLess ? { timeZone: 'none in the file; read as UTC' } : {}) },
    });
    if (this.rows === 0) {
      throw new TraceParseError('powerapi-hwpc.noRecords', messages.noRecords('powerapi-hwpc'), {
        context: { file: this.ctx.file }, hint: 'intervals need two reports of the same target',
      });
    }
  }

  private error(code: string, message: string, line: number, text: string): TraceParseError {
    return new TraceParseError(code, message, {
      context: { file: this.ctx.file, line, expected: 'an hwpc-sensor report', found: excerpt(text.slice(0, 200)) },
    });
  }
}

/** Fraction of the interval the counters ran, from perf's cumulative times; null when absent. */
function runningFraction(prev: CpuState, cur: CpuState): number | null {
  const enabled = cur.enabled - prev.enabled;
  const running = cur.running - prev.running;
  if (enabled > 0 && running >= 0) return Math.min(1, running / enabled);
  // the sensor restarted: fall back to the ratio since it did
  if (cur.enabled > 0 && cur.running >= 0) return Math.min(1, cur.running / cur.enabled);
  return null;
}

/** A JSON number, or MongoDB extended JSON `{"$numberLong": "…"}` (also Int/Double); else NaN. */
function jsonNumber(v: unknown): number {
  if (typeof v === 'number') return v;
  if (!isJsonObject(v)) return NaN;
  const text = v['$numberLong'] ?? v['$numberDouble'] ?? v['$numberInt'];
  return typeof text === 'string' ? parseDecimal(text) : NaN;
}

/** Unix ms of an hwpc timestamp: ISO text, epoch ms, or mongoexport's `{"$date": …}`; else NaN. */
function epochMsOf(stamp: unknown): number {
  // hwpc stamps are whole ms (zclock_time); rounding drops the float noise of seconds × 1000
  if (typeof stamp === 'string') return Math.round(isoToEpochSeconds(stamp) * 1000);
  if (isJsonObject(stamp) && '$date' in stamp) return epochMsOf(stamp['$date']);
  return jsonNumber(stamp);
}
