import { excerpt, TraceParseError } from '../errors.js';
import { messages } from '../messages.js';
import { splitXentopLine, xentopHeader, xentopVcpus } from './xentop-line.js';
import type { FormatSpec, LineParser, ParseContext } from './types.js';

/** Cumulative columns differenced per iteration, in this order. */
const COUNTERS = ['CPU(sec)', 'NETTX(k)', 'NETRX(k)', 'VBD_RD', 'VBD_WR', 'VBD_RSECT', 'VBD_WSECT'] as const;

/** One domain's (or vCPU's) cumulative counters at iteration `k`; `nets`/`vbds` say which exist. */
interface Reading { k: number; counters: (number | null)[]; nets: number; vbds: number }
/** Counter deltas over [t0, t1] s. */
interface Interval { t0: number; t1: number; d: (number | null)[] }

const delta = (a: number | null | undefined, b: number | null): number | null =>
  (a === null || a === undefined || b === null ? null : b - a);
const scaled = (v: number | null, factor: number): number | null => (v === null ? null : v * factor);

function createParser(ctx: ParseContext): LineParser {
  const { sink, file } = ctx;
  const given = ctx.options.intervalSeconds;
  const delay = given !== undefined && given > 0 ? given : 1;
  if (delay !== given) sink.warn(messages.xentopIntervalAssumed(delay));
  sink.meta({ hypervisor: 'xen', details: { intervalSeconds: delay, intervalAssumed: delay !== given } });
  let columns: string[] | undefined;
  let k = 0;
  let names = new Set<string>();
  let current: string | undefined;
  let inVcpus = false;
  const last = new Map<string, Reading>();

  const fail = (code: string, lineNo: number, text: string, message: string, expected: string): never => {
    throw new TraceParseError(code, message, { context: { file, line: lineNo, expected, found: excerpt(text) } });
  };

  /** Stores `cur` under `key`; the deltas since the previous reading, undefined when none or on a decrease. */
  const interval = (key: string, vm: string, cur: Reading): Interval | undefined => {
    const prev = last.get(key);
    last.set(key, cur);
    if (!prev || prev.k >= cur.k) return undefined;
    const d = cur.counters.map((v, i) => delta(prev.counters[i], v));
    if (d.some((v) => v !== null && v < 0)) {
      sink.warn(messages.xentopCounterDecrease(vm));
      return undefined;
    }
    return { t0: prev.k * delay, t1: cur.k * delay, d };
  };

  const emitDomain = (vm: string, cur: Reading, { t0, t1, d }: Interval): void => {
    const at = (col: (typeof COUNTERS)[number]): number | null => d[COUNTERS.indexOf(col)] ?? null;
    const [cpu, tx, rx, rd, wr] = [at('CPU(sec)'), at('NETTX(k)'), at('NETRX(k)'), at('VBD_RD'), at('VBD_WR')];
    if (cpu !== null) sink.sample(t0, t1, 'vm', vm, null, 'xen:cpu_seconds', cpu, null);
    // NETS/VBDS 0 means no device (or libxenstat lost it): its zero counters are missing data.
    if (cur.nets > 0) {
      if (tx !== null) sink.io(vm, t0, t1, 'net_tx', null, tx * 1024);
      if (rx !== null) sink.io(vm, t0, t1, 'net_rx', null, rx * 1024);
    }
    if (cur.vbds > 0) {
      if (rd !== null) sink.io(vm, t0, t1, 'vbd_read', rd, scaled(at('VBD_RSECT'), 512));
      if (wr !== null) sink.io(vm, t0, t1, 'vbd_write', wr, scaled(at('VBD_WSECT'), 512));
    }
  };

  const domainLine = (text: string, lineNo: number, cols: string[]): void => {
    const split = splitXentopLine(text);
    if (!split) return sink.skip(lineNo);
    if (split.fields.length !== cols.length) {
      fail('xentop.fieldCount', lineNo, text, messages.fieldCount(String(cols.length + 2), split.fields.length + 2), cols.join(' '));
    }
    const values = new Map<string, number | null>();
    split.fields.forEach((t, i) => {
      const n = t === 'n/a' || t === 'no limit' ? null : Number(t);
      if (n !== null && !Number.isFinite(n)) fail('xentop.number', lineNo, text, messages.badNumber(cols[i]!, t), cols[i]!);
      values.set(cols[i]!, n);
    });
    // A name seen twice means the next iteration began (with or without -r repeated headers).
    if (names.has(split.name)) {
      k++;
      names = new Set();
    }
    names.add(split.name);
    current = split.name;
    const cur: Reading = {
      k, counters: COUNTERS.map((c) => values.get(c) ?? null), nets: values.get('NETS') ?? 0, vbds: values.get('VBDS') ?? 0,
    };
    const iv = interval(split.name, split.name, cur);
    if (iv) emitDomain(split.name, cur, iv);
  };

  const vcpuLine = (vm: string, text: string): void => {
    for (const [vcpu, seconds] of xentopVcpus(text)) {
      const entity = `${vm}/v${vcpu}`;
      const iv = interval(`\0${entity}`, vm, { k, counters: [seconds], nets: 0, vbds: 0 });
      if (iv) sink.sample(iv.t0, iv.t1, 'vcpu', entity, null, 'xen:cpu_seconds', iv.d[0]!, null);
    }
  };

  return {
    line(text, lineNo) {
      const header = xentopHeader(text);
      const continuation = inVcpus && /^ {8}\s*\d+:\s+\d+s/.test(text);
      inVcpus = false;
      if (header) {
        columns = header;
      } else if (text.startsWith('VCPUs(sec):') || continuation) {
        inVcpus = true;
        if (current !== undefined) vcpuLine(current, text);
      } else if (text.trim() === '' || /^(Net\d+ RX:|VBD )/.test(text)) {
        // Per-device sub-lines repeat the domain totals already taken from the domain line.
      } else if (columns) {
        domainLine(text, lineNo, columns);
      } else {
        sink.skip(lineNo);
      }
    },
    end() {
      if (current === undefined) {
        throw new TraceParseError('xentop.noRecords', messages.noRecords('xentop -b'), {
          context: { file, line: 1, expected: 'a NAME STATE CPU(sec) … header, then domain lines' },
        });
      }
      sink.meta({ details: { iterations: k + 1, sectorColumns: columns?.includes('VBD_RSECT') ?? false } });
    },
  };
}

/**
 * `xentop -b` batch output (TRACE-FORMATS.md §4.5). No timestamps: iteration k is at
 * k × `intervalSeconds` (default 1 s, with a warning). Cumulative counters become per-iteration
 * deltas per domain name: CPU(sec) → `xen:cpu_seconds` samples (scope vm; `VCPUs(sec)` sub-lines
 * → scope vcpu, entity `<name>/v<i>`), NETTX/NETRX KiB → `io` bytes, VBD_RD/WR requests and
 * RSECT/WSECT 512-byte sectors → `io` ops/bytes. A decrease (domain restarted) drops the interval.
 */
export const xentop: FormatSpec = {
  name: 'xentop',
  description: 'xentop -b batch output: per-domain CPU seconds, network and block I/O',
  input: 'lines',
  sniff: ({ lines }) => (lines.slice(0, 4).some((l) => xentopHeader(l) !== undefined) ? 3 : 0),
  create: createParser,
};
