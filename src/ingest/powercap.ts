import { TraceParseError, excerpt } from '../errors.js';
import { messages } from '../messages.js';
import { counterIncrement, defaultMaxPlausibleWatts } from './energy-counter.js';
import { TraceClock } from './trace-clock.js';
import { domainOfZoneName, isMmioZone, isPowercapSubzone, powercapTopIndex, socketOfPackageName } from './rapl-zones.js';
import type { EnergyDomain, FormatSpec, LineParser, ParseContext, SniffInput, Topology } from './types.js';

/** The header line of vheat's powercap dump (exact text). */
export const powercapHeader = 'time,zone,name,energy_uj,max_energy_range_uj';

interface Zone {
  name: string;
  /** Counter range in µJ, undefined when unknown. */
  range: number | undefined;
  socket: number | null;
  domain: EnergyDomain;
  prevUj: number;
  /** Time of the previous reading, s from the trace start. */
  prevT: number;
}

/** What the all-zero check needs per zone, kept across series restarts. */
interface ZoneHistory {
  first: number;
  varied: boolean;
  readings: number;
}

/**
 * Readings of Linux energy counters from sysfs (TRACE-FORMATS.md §3.1, §3.3; hwmon §3.2).
 *
 * The dump wrapper is vheat's own (§3.1 leaves it to the bundle). One reading of one zone per
 * line, five columns: `time` (Unix epoch seconds with decimals), `zone` (the powercap directory
 * name, e.g. `intel-rapl:0:1`), `name` (contents of its `name` file), `energy_uj` and
 * `max_energy_range_uj`, either as CSV after the exact header
 *
 *     time,zone,name,energy_uj,max_energy_range_uj
 *     1732467487.000123,intel-rapl:0,package-0,123456789,262143328850
 *     1732467487.000123,intel-rapl:0:0,core,2345678,262143328850
 *
 * or whitespace-separated without a header, as a shell loop prints it (a full path as zone is
 * reduced to its basename):
 *
 *     for z in /sys/class/powercap/intel-rapl:*; do
 *       echo "$(date +%s.%N) $z $(cat $z/name) $(cat $z/energy_uj) $(cat $z/max_energy_range_uj)"
 *     done
 *
 * hwmon `amd_energy` readings fit the same columns: `name` is the label (`Esocket<n>` → package
 * of socket n, `Ecore<k>` → core domain, socket k / coresPerSocket when the topology is known),
 * and the range is `0` or `-` (unknown: the driver accumulates to 64 bits).
 *
 * Rows: consecutive readings of a zone become `energy(t_prev, t_cur, socket, domain, J)`. A
 * decrease is one wrap, `Δ = (R − prev) + cur` (no +1, see `counterIncrement`); with no known
 * range (`max_energy_range_uj`, else `energyRangeMicrojoules`) it is a reset. An interval above
 * `maxPlausibleWatts` (default 2000 W) is dropped with a warning. A change of a zone's name or
 * range restarts its series. `intel-rapl-mmio:*` zones duplicate the package and are dropped.
 * Sockets come from `package-<n>[-die-<m>]`; subzones `intel-rapl:<p>:<k>` take their parent's
 * socket (p itself until the parent is seen); psys has none. A zone that reads 0 throughout, or
 * a file where no zone ever changes, is rejected (`powercap.allZero`, Xen dom0's RAPL); rows
 * are emitted as they come, so the rejection in `end()` relies on the driver's rollback.
 */
export const powercap: FormatSpec = {
  name: 'powercap',
  description: 'powercap / hwmon energy counter readings (time,zone,name,energy_uj,max_energy_range_uj)',
  input: 'lines',
  sniff: sniffPowercap,
  create: (ctx) => new PowercapParser(ctx),
};

const wsRow = /^\d+(?:\.\d+)?\s+\S*(?:intel-rapl|hwmon)\S*\s+(?:package-\d+(?:-die-\d+)?|core|uncore|dram|psys|E(?:socket|core)\d+)\s+\d+\s+(?:\d+|-)$/;

function sniffPowercap({ lines }: SniffInput): number {
  const first = lines.find((l) => !l.startsWith('#'))?.trim();
  if (first === undefined) return 0;
  if (first === powercapHeader) return 3;
  return wsRow.test(first) ? 3 : 0;
}

class PowercapParser implements LineParser {
  private layout: 'csv' | 'whitespace' | undefined;
  private readonly clock = new TraceClock();
  private readonly zones = new Map<string, Zone>();
  private readonly history = new Map<string, ZoneHistory>();
  /** Socket of each top-level zone index, from its `package-<n>` name. */
  private readonly topSocket = new Map<number, number>();
  private readonly mmio = new Set<string>();
  private readonly maxWatts: number;
  private rows = 0;

  constructor(private readonly ctx: ParseContext) {
    this.maxWatts = ctx.options.maxPlausibleWatts ?? defaultMaxPlausibleWatts;
  }

  line(text: string, lineNo: number): void {
    const line = text.trim();
    if (line === '') return;
    if (line === powercapHeader) {
      this.layout ??= 'csv';
      return;
    }
    // the first reading fixes the layout; a headerless CSV is accepted too
    const layout = this.layout ?? (/^[\d.]+\s*,/.test(line) ? 'csv' : 'whitespace');
    const fields = layout === 'csv' ? line.split(',').map((f) => f.trim()) : line.split(/\s+/);
    const time = fields[0]!;
    // lines that do not start with a time (shell errors, comments) are not readings
    if (!/^\d+(?:\.\d+)?$/.test(time)) {
      this.ctx.sink.skip(lineNo);
      return;
    }
    this.layout = layout;
    if (fields.length !== 5) {
      throw this.error('powercap.fieldCount', messages.fieldCount('5', fields.length), lineNo, line,
        fields.length === 4 ? messages.hintPowercapRoot() : undefined);
    }
    this.reading(time, fields as [string, string, string, string, string], lineNo, line);
  }

  private reading(time: string, [, zonePath, name, energyText, rangeText]: [string, string, string, string, string],
    lineNo: number, line: string): void {
    const zone = zonePath.replace(/\/+$/, '').split('/').pop()!;
    if (isMmioZone(zone)) {
      this.mmio.add(zone);
      return;
    }
    if (!/^\d+$/.test(energyText)) throw this.error('powercap.badNumber', messages.badNumber('energy_uj', energyText), lineNo, line);
    if (!/^(?:\d+|-)$/.test(rangeText)) {
      throw this.error('powercap.badNumber', messages.badNumber('max_energy_range_uj', rangeText), lineNo, line);
    }
    const uj = Number(energyText);
    const rangeField = rangeText === '-' ? 0 : Number(rangeText);
    const range = rangeField > 0 ? rangeField : this.ctx.options.energyRangeMicrojoules;
    const placed = this.place(zone, name);
    if (placed === undefined) {
      this.ctx.sink.warn(messages.unknownZoneName(zone, name), lineNo);
      return;
    }
    if (this.clock.origin === undefined) {
      this.ctx.sink.meta({ startEpochSeconds: Number(time), details: { layout: this.layout } });
    }
    // TraceClock keeps ns exact; it wants a fraction, `date +%s` prints none
    const t = this.clock.seconds(time.includes('.') ? time : `${time}.0`);
    this.track(zone, uj);
    const prev = this.zones.get(zone);
    const fresh: Zone = { name, range, ...placed, prevUj: uj, prevT: t };
    if (prev === undefined) {
      this.zones.set(zone, fresh);
      return;
    }
    if (prev.name !== name || prev.range !== range) {
      this.ctx.sink.warn(messages.seriesRestarted(zone, prev.name !== name ? 'name' : 'max_energy_range_uj'), lineNo);
      this.zones.set(zone, fresh);
      return;
    }
    const dt = t - prev.prevT;
    if (dt < 0) throw this.error('powercap.timeBackwards', messages.timeBackwards(prev.prevT, t), lineNo, line);
    if (dt === 0) {
      this.ctx.sink.warn(messages.duplicateReading(zone), lineNo);
      return;
    }
    const inc = counterIncrement(prev.prevUj, uj, range);
    prev.prevUj = uj;
    prev.prevT = t;
    if (Number.isNaN(inc)) {
      this.ctx.sink.warn(messages.counterReset(zone), lineNo);
      return;
    }
    const joules = inc / 1e6;
    if (joules / dt > this.maxWatts) {
      this.ctx.sink.warn(messages.energyImplausible(zone, joules / dt, this.maxWatts), lineNo);
      return;
    }
    this.ctx.sink.energy(t - dt, t, prev.socket, prev.domain, joules);
    this.rows++;
  }

  /** Domain and socket of a zone, or undefined for a name vheat does not know. */
  private place(zone: string, name: string): { domain: EnergyDomain; socket: number | null } | undefined {
    const hwmon = /^E(socket|core)(\d+)$/.exec(name);
    if (hwmon) {
      const n = Number(hwmon[2]);
      return hwmon[1] === 'socket' ? { domain: 'package', socket: n }
        : { domain: 'core', socket: coreSocket(n, this.ctx.options.topology) };
    }
    const domain = domainOfZoneName(name);
    if (domain === undefined) return undefined;
    if (domain === 'psys') return { domain, socket: null };
    const top = powercapTopIndex(zone);
    const own = socketOfPackageName(name);
    if (own !== undefined) {
      if (top !== undefined && !isPowercapSubzone(zone)) this.topSocket.set(top, own);
      return { domain, socket: own };
    }
    return { domain, socket: top === undefined ? null : this.topSocket.get(top) ?? top };
  }

  private track(zone: string, uj: number): void {
    const h = this.history.get(zone);
    if (h === undefined) {
      this.history.set(zone, { first: uj, varied: false, readings: 1 });
      return;
    }
    h.readings++;
    if (uj !== h.first) h.varied = true;
  }

  end(): void {
    const still = [...this.history].filter(([, h]) => !h.varied);
    const zero = still.find(([, h]) => h.first === 0);
    if (zero) throw this.rejection(messages.allZeroEnergy(zero[0]));
    const repeated = still.filter(([, h]) => h.readings > 1);
    // one snapshot is trivially constant; only repeated readings that never move are Xen's signature
    if (repeated.length > 0 && still.length === this.history.size) throw this.rejection(messages.constantEnergy(repeated[0]![0]));
    for (const [zone] of repeated) this.ctx.sink.warn(messages.constantEnergy(zone));
    this.ctx.sink.meta({ details: { zones: this.zones.size, droppedMmioZones: [...this.mmio] } });
    if (this.rows === 0) {
      throw new TraceParseError('powercap.noRecords', messages.noRecords('powercap'), {
        context: { file: this.ctx.file }, hint: messages.hintTwoReadings(),
      });
    }
  }

  private rejection(message: string): TraceParseError {
    return new TraceParseError('powercap.allZero', message, { context: { file: this.ctx.file }, hint: messages.hintXenRapl() });
  }

  private error(code: string, message: string, line: number, text: string, hint?: string): TraceParseError {
    return new TraceParseError(code, message, {
      context: { file: this.ctx.file, line, expected: powercapHeader, found: excerpt(text) }, ...(hint ? { hint } : {}),
    });
  }
}

/** Socket of hwmon core `k` when the topology says how many cores a socket has. */
function coreSocket(core: number, topology: Topology | undefined): number | null {
  return topology ? Math.floor(core / topology.coresPerSocket) : null;
}
