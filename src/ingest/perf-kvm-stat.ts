import { excerpt, TraceParseError } from '../errors.js';
import { messages } from '../messages.js';
import { kvmVcpuEntity } from './kvm-event-bins.js';
import { parseDecimal } from './numbers.js';
import { kvmIdentity } from './qemu-threads.js';
import type { FormatSpec, LineParser, ParseContext, SampleScope, SniffInput } from './types.js';

const FORMAT = 'perf-kvm-stat';
// `live` clears the screen (`ESC[H ESC[2J`) before each report; a captured stream keeps it.
const ESCAPES = /\x1b\[[0-9;]*[A-Za-z]/g;
const WALL_CLOCK = /^(\d{2}):(\d{2}):(\d{2})\.(\d{6})$/;
const ANALYZE =
  /^Analyze events for (?:(all VMs|pid\(s\) (.+?)|dazed and confused on what is monitored), )?(?:all VCPUs|VCPU (\d+)):$/;
const HEADER = /^\s*(.+?)\s+Samples\s+Samples%\s+Time%\s+(?:Min Time\s+Max Time\s+)?Avg time\s*$/;
// %f under a comma-decimal locale prints `2,34` (perf calls setlocale); `-nan` when a total is 0.
const NUM = String.raw`(-?nan|\d+(?:[.,]\d+)?)`;
const ROW = new RegExp(String.raw`^\s*(.+?)\s+(\d+)\s+${NUM}%\s+${NUM}%\s+(?:${NUM}us\s+${NUM}us\s+)?${NUM}us\s+\(\s*\+-\s*${NUM}%\s*\)\s*$`);
const TOTAL = new RegExp(String.raw`^Total Samples:(\d+), Total events handled time:${NUM}us\.$`);
const LOST = /^Lost events: (\d+)$/;

/** `samples.event` prefix per report kind (the header word of the key column). */
const FAMILIES: Record<string, string> = { 'VM-EXIT': 'kvm:exit', 'MMIO Access': 'kvm:mmio', 'IO Port Access': 'kvm:ioport' };

interface Row { key: string; count: number; timePercent: number; avgMicros: number }

interface Report {
  scope: SampleScope;
  entity: string;
  family: string | undefined;
  t0: number;
  t1: number;
  rows: Row[];
}

function num(text: string): number {
  return parseDecimal(text.replace(',', '.'));
}

function clean(text: string): string {
  return text.includes('\x1b') ? text.replace(ESCAPES, '') : text;
}

function sniff(input: SniffInput): number {
  return input.lines.slice(0, 4).some((l) => clean(l).startsWith('Analyze events for ')) ? 3 : 0;
}


/**
 * Handled time of one row in s: count × avg, or Time% × total when that is closer (both are
 * printed to 2 decimals: ±0.005 µs per event against ±0.005 % of the total); null when perf
 * printed `nan` for both.
 */
function handledSeconds(row: Row, totalMicros: number): number | null {
  const byAverage = row.count * row.avgMicros;
  const byShare = row.timePercent / 100 * totalMicros;
  const closer = Number.isFinite(byShare) && (!Number.isFinite(byAverage) || totalMicros * 5e-5 < row.count * 5e-3);
  const micros = closer ? byShare : byAverage;
  return Number.isFinite(micros) ? micros / 1e6 : null;
}

function create(ctx: ParseContext): LineParser {
  const { sink } = ctx;
  const identity = kvmIdentity(ctx.options);
  const interval = ctx.options.intervalSeconds;
  let report: Report | undefined;
  let reports = 0;
  let wall: number | undefined;
  let origin: number | undefined;
  let lastWall = -Infinity;
  let lastT1 = 0;
  let lostEvents = 0;
  let vmInferred = false;
  const targets = new Set<string>();

  const vmOfPid = (pid: string): string => {
    const named = identity.vmOfPid.get(Number(pid)) ?? identity.vmName;
    if (named !== undefined) return named;
    if (!vmInferred) sink.warn(messages.kvmVmInferred(`qemu-${pid}`));
    vmInferred = true;
    return `qemu-${pid}`;
  };

  const fail = (code: string, message: string, line: number, text: string, expected: string): never => {
    throw new TraceParseError(`${FORMAT}.${code}`, message, {
      context: { file: ctx.file, line, expected, found: excerpt(text) },
    });
  };

  function open(m: RegExpExecArray, line: number, text: string): void {
    if (report) fail('truncated', messages.truncatedRecord('report'), line, text, 'Total Samples:… before the next report');
    const pids = m[2]?.split(',').map((p) => p.trim()).filter((p) => p !== '');
    const vms = pids?.map(vmOfPid).join('+') ?? 'all-vms';
    const scope: SampleScope = m[3] !== undefined ? 'vcpu' : pids ? 'vm' : 'host';
    let t0 = 0;
    let t1 = interval ?? 0;
    if (wall !== undefined) {
      // live: each report holds the events since the previous one (perf clears its stats).
      origin ??= wall - (interval ?? 1);
      t0 = lastT1;
      t1 = lastT1 = wall - origin;
      wall = undefined;
    }
    targets.add(text.slice('Analyze events for '.length, -1));
    report = { scope, entity: m[3] !== undefined ? kvmVcpuEntity(vms, Number(m[3])) : vms, family: undefined, t0, t1, rows: [] };
  }

  function close(total: number, totalMicros: number, line: number, text: string): void {
    const r = report!;
    report = undefined;
    reports++;
    let sum = 0;
    for (const row of r.rows) sum += row.count;
    if (sum !== total) fail('totalMismatch', messages.kvmStatTotalMismatch(sum, total), line, text, `Total Samples:${sum}`);
    if (total === 0) sink.warn(messages.kvmStatEmpty(), line);
    const family = r.family ?? 'kvm:exit';
    for (const row of r.rows) {
      sink.sample(r.t0, r.t1, r.scope, r.entity, null, `${family}:${row.key}`, row.count, 1);
      sink.sample(r.t0, r.t1, r.scope, r.entity, null, `${family}_time_s:${row.key}`, handledSeconds(row, totalMicros), 1);
    }
  }

  return {
    line(raw, lineNo) {
      const text = clean(raw);
      if (text.trim() === '') return;
      let m: RegExpExecArray | null;
      if ((m = WALL_CLOCK.exec(text))) {
        let w = Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3]) + Number(m[4]) / 1e6;
        while (w < lastWall) w += 86400; // the clock is time of day: it wraps at midnight
        wall = lastWall = w;
      } else if ((m = ANALYZE.exec(text))) {
        open(m, lineNo, text);
      } else if (report && (m = HEADER.exec(text))) {
        report.family = FAMILIES[m[1]!] ?? `kvm:${m[1]!.toLowerCase().replace(/[^a-z0-9]+/g, '_')}`;
      } else if (report && (m = ROW.exec(text))) {
        report.rows.push({ key: m[1]!, count: Number(m[2]), timePercent: num(m[4]!), avgMicros: num(m[7]!) });
      } else if (report && (m = TOTAL.exec(text))) {
        close(Number(m[1]), num(m[2]!), lineNo, text);
      } else if ((m = LOST.exec(text))) {
        lostEvents += Number(m[1]);
      } else {
        sink.skip(lineNo);
      }
    },
    end() {
      if (report) {
        throw new TraceParseError(`${FORMAT}.truncated`, messages.truncatedRecord('report'), {
          context: { file: ctx.file, expected: 'a Total Samples:… line' },
        });
      }
      if (reports === 0) {
        throw new TraceParseError(`${FORMAT}.noRecords`, messages.noRecords(FORMAT), {
          context: { file: ctx.file }, hint: messages.hintFormatFlag(),
        });
      }
      if (lostEvents > 0) sink.warn(messages.kvmStatLostEvents(lostEvents));
      sink.meta({
        hypervisor: 'kvm',
        details: {
          mode: origin === undefined ? 'report' : 'live',
          reports,
          targets: [...targets],
          lostEvents,
          vmInferred,
          // report: one aggregate over the recording, [0, intervalSeconds] (0 when not given).
          aggregate: origin === undefined,
          handledTime: 'count × Avg time, or Time% × total handled time when closer (both printed to 2 decimals)',
        },
      });
    },
  };
}

/**
 * `perf kvm stat report` / `live` text (TRACE-FORMATS.md §5.4): per exit reason (or MMIO /
 * I/O-port key) counts and handled time, as `samples` rows `kvm:exit:<REASON>` (count) and
 * `kvm:exit_time_s:<REASON>` (s spent handling them); `kvm:mmio…`/`kvm:ioport…` for the other
 * report kinds. Scope `host` (entity `all-vms`) for all VMs, `vm` for `pid(s) …` (VM names from
 * the bundle, else `qemu-<pid>`), `vcpu` (`<vm>/vcpu<n>`) with `--vcpu`. A report is an
 * aggregate without timestamps: [0, intervalSeconds] (the recording length, if bundle.json gives
 * it; else [0, 0]). `live` prints a time of day before each report and resets its counts, so
 * each report covers [previous report, this report], the first one `intervalSeconds` (perf's
 * default display interval, 1 s). A report whose rows do not add up to `Total Samples` is an
 * error; an empty report (`Total Samples:0`) gives no rows and a warning.
 */
export const perfKvmStat: FormatSpec = {
  name: FORMAT,
  description: 'perf kvm stat report/live text (KVM exit counts and handling time per reason)',
  input: 'lines',
  sniff,
  create,
};
