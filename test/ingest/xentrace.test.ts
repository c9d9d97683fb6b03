import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TraceParseError, VheatError } from '../../src/errors.js';
import { sniffFormat } from '../../src/ingest/formats.js';
import { MemorySink } from '../../src/ingest/memory-sink.js';
import { parseString } from '../../src/ingest/parse-string.js';
import { readSniffInput } from '../../src/ingest/sniff.js';
import type { ParseOptions } from '../../src/ingest/types.js';
import { xentrace } from '../../src/ingest/xentrace.js';
import { messages } from '../../src/messages.js';
import { fixturePath } from '../helpers/fixtures.js';
import { sinkToGolden } from '../helpers/golden.js';
import { hasRealTraces, realTrace } from '../helpers/real-traces.js';
import { scenario, T0, xentraceBytes } from '../helpers/xentrace-bytes.js';

const GHZ: ParseOptions = { tscHz: 1e9 };
const bytes = xentraceBytes(scenario);
const parse = (b: Uint8Array, options: ParseOptions = GHZ) => parseString(xentrace, b, options, 'trace.bin');
const sniff = (head: Uint8Array, text = new TextDecoder().decode(head)) =>
  xentrace.sniff({ fileName: 'x', head, lines: text.split('\n').filter((l) => l.trim() !== '') });

describe('xentrace golden fixture', () => {
  it('scenario: two pCPUs, interleaved windows, lost records', async () => {
    const sink = parse(bytes);
    await expect(sinkToGolden(sink)).toMatchFileSnapshot(fixturePath('xentrace', 'scenario.expected.csv'));
    expect(sink.warnings.map((w) => w.message)).toEqual([messages.xenLostRecords(1)]);
  });
});

describe('xentrace spot values', () => {
  it('merges windows by TSC, takes the smallest TSC as origin and closes lost spans at first_tsc', () => {
    const sink = parse(bytes);
    // By hand (1 GHz, origin T0): d1v0 on p0 1→3.4 ms; d2v1 on p1 0→4 ms (loss began at +4 ms),
    // reopened for the vCPU named by the lost record 5→6 ms; d1v1 on p0 from 3.4 ms to the last TSC.
    expect(sink.residencies).toEqual([
      { vm: 'd1', vcpu: 0, pcpu: 0, t0: 0.001, t1: 0.0034 },
      { vm: 'd2', vcpu: 1, pcpu: 1, t0: 0, t1: 0.004 },
      { vm: 'd2', vcpu: 1, pcpu: 1, t0: 0.005, t1: 0.006 },
      { vm: 'd1', vcpu: 1, pcpu: 0, t0: 0.0034, t1: 0.0060003 },
    ]);
    expect(sink.facts.hypervisor).toBe('xen');
    expect(sink.facts.details).toMatchObject({
      originTick: T0, lastTick: T0 + 6_000_300, records: 11, windows: 4, switches: 4, lateEvents: 0,
      switchesPerPcpu: { 0: 2, 1: 2 }, tscHzAssumed: false, switchPrevMismatches: 0, runstateMismatches: 0,
    });
  });

  it('names VMs from the bundle domain map and warns when the TSC frequency is assumed', () => {
    const sink = parse(bytes, { extra: { domains: { 1: 'web', 2: 'db' } } });
    expect(sink.residencies.map((r) => r.vm)).toEqual(['web', 'db', 'db', 'web']);
    // 2.4 GHz default: 3.4 ms of 1 GHz ticks read as 3.4e6 / 2.4e9 s.
    expect(sink.residencies[0]!.t1).toBeCloseTo(3.4e6 / 2.4e9, 15);
    expect(sink.facts.details.tscHzAssumed).toBe(true);
    expect(sink.warnings[0]!.message).toBe(messages.xenTscHzAssumed(2.4e9));
    expect(() => parse(bytes, { extra: { domains: ['web'] } })).toThrow(VheatError);
  });

  it('decodes the constructed vector of TRACE-FORMATS.md §4.1 (one switch, no closed span)', () => {
    const vector = xentraceBytes([[2, [
      { event: 0x21021, tsc: 1000, data: [0x00010000] },
      { event: 0x2800a, tsc: 1100, data: [32767, 2, 1, 0] },
    ]]]);
    expect([...vector.subarray(0, 12)]).toEqual([0x03, 0xf0, 0x01, 0x20, 2, 0, 0, 0, 0x2c, 0, 0, 0]);
    expect([...vector.subarray(12, 16)]).toEqual([0x21, 0x10, 0x02, 0x90]);
    expect([...vector.subarray(28, 32)]).toEqual([0x0a, 0x80, 0x02, 0xc0]);
    const sink = parse(vector);
    // d1v0 starts on pCPU 2 at the last TSC of the file: a zero-length span gives no row.
    expect(sink.residencies).toEqual([]);
    expect(sink.facts.details).toMatchObject({ records: 2, switches: 1, switchesPerPcpu: { 2: 1 } });
  });

  it('gives a record without TSC its pCPU\'s previous stamp, and skips unknown ids by size', () => {
    const sink = parse(xentraceBytes([[0, [
      { event: 0x2800a, tsc: 500, data: [32767, 0, 3, 1] },
      { event: 0x0fedcba, tsc: 700, data: [1, 2, 3, 4, 5, 6, 7] },
      { event: 0x2800a, data: [3, 1, 32767, 0] },
    ]]]));
    expect(sink.residencies).toEqual([{ vm: 'd3', vcpu: 1, pcpu: 0, t0: 0, t1: 2e-7 }]);
  });

  it('warns about a truncated final record and keeps what came before', () => {
    const sink = parse(bytes.subarray(0, bytes.length - 6));
    expect(sink.warnings.map((w) => w.message)).toContain(messages.truncatedRecord('xentrace record'));
    expect(sink.residencies).toHaveLength(4);
    // The last record (TSC +6.0003 ms) is gone: the open d1v1 span closes at the switch at +6 ms.
    expect(sink.residencies[3]!.t1).toBe(0.006);
  });

  it('streams: any chunking gives the same rows', () => {
    const whole = sinkToGolden(parse(bytes));
    for (const size of [1, 3, 5, 7, 13, 40]) {
      const sink = new MemorySink();
      const parser = xentrace.create({ file: 'x', sink, options: GHZ });
      if (!('bytes' in parser)) throw new Error('xentrace must be a byte parser');
      for (let i = 0; i < bytes.length; i += size) parser.bytes(bytes.subarray(i, i + size));
      parser.end();
      expect(sinkToGolden(sink)).toBe(whole);
    }
  });

  it('fails cleanly on records outside a window, windows that overrun and empty files', () => {
    const noWindow = bytes.subarray(12);
    expect(() => parse(noWindow)).toThrow(expect.objectContaining({ code: 'xentrace.noCpuChange' }));
    const shortWindow = bytes.slice();
    new DataView(shortWindow.buffer).setUint32(8, 20, true);
    expect(() => parse(shortWindow)).toThrow(expect.objectContaining({ code: 'xentrace.windowOverrun' }));
    expect(() => parse(new Uint8Array(0))).toThrow(TraceParseError);
    expect(() => parse(xentraceBytes([[0, []]]))).toThrow(expect.objectContaining({ code: 'xentrace.noRecords' }));
  });

  it('sniffs only the CPU-change magic', () => {
    expect(sniff(bytes)).toBe(3);
    const text = (s: string) => new TextEncoder().encode(s);
    expect(sniff(text('TSC,CPU,DOM,vCPU,PKG,PP0,PP1,DRAM\n1,0,0,0,1,1,1,0\n'))).toBe(0);
    expect(sniff(text('# started on Tue Mar  4 10:00:01 2025\n\n1.001,123,,cycles,1000,100.00,,\n'))).toBe(0);
    expect(sniff(text('CPU0  10001000000 (+       0)  __enter_scheduler [ ]\n'))).toBe(0);
  });
});

/** Records of a xentrace file, decoded by a plain loop independent of the parser. */
function decodeAll(buf: Uint8Array): { cpu: number; tsc: number; event: number; data: number[] }[] {
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const out: { cpu: number; tsc: number; event: number; data: number[] }[] = [];
  let cpu = -1;
  for (let p = 0; p + 4 <= buf.length;) {
    const h = view.getUint32(p, true);
    const n = (h >>> 28) & 7;
    const hasTsc = h >>> 31 === 1;
    const tsc = hasTsc ? Number(view.getBigUint64(p + 4, true)) : NaN;
    const data = Array.from({ length: n }, (_, i) => view.getUint32(p + 4 + (hasTsc ? 8 : 0) + 4 * i, true));
    if ((h & 0x0fffffff) === 0x1f003) cpu = data[0]!;
    else out.push({ cpu, tsc, event: h & 0x0fffffff, data });
    p += 4 + (hasTsc ? 8 : 0) + 4 * n;
  }
  return out;
}

describe.skipIf(!hasRealTraces)('xentrace real trace (xentrace-rtds-modechange-penn)', () => {
  const raw = new Uint8Array(readFileSync(realTrace('xentrace-rtds-modechange-penn', 'trace.bin')));
  const records = decodeAll(raw);
  const hz = 2.5e9;
  const sink = parseString(xentrace, raw, { tscHz: hz }, 'trace.bin');

  it('matches an independent decode (PROVENANCE: 5,730 records, 24 windows, TSC span)', () => {
    expect(records).toHaveLength(5706);
    const tscs = records.map((r) => r.tsc).filter((t) => !Number.isNaN(t));
    expect(Math.min(...tscs)).toBe(9981338238898);
    expect(Math.max(...tscs)).toBe(9982342939240);
    const perCpu: Record<string, number> = {};
    for (const r of records) if (r.event === 0x2800a) perCpu[r.cpu] = (perCpu[r.cpu] ?? 0) + 1;
    expect(sink.facts.details).toMatchObject({
      records: 5706, windows: 24, switches: 794, switchesPerPcpu: perCpu,
      originTick: 9981338238898, lastTick: 9982342939240, lateEvents: 0, lostRecordEvents: 0,
      switchPrevMismatches: 0, runstateMismatches: 0,
    });
    expect(sink.warnings).toEqual([]);
  });

  it('agrees with the xentrace_format text of the same run (every rtds:schedule line is a record)', () => {
    const text = readFileSync(realTrace('xentrace-rtds-modechange-penn', 'trace_proc_output', 'schedule.txt'), 'utf8');
    const lines = text.trim().split('\n');
    expect(lines).toHaveLength(92);
    const byKey = new Map(records.filter((r) => r.event === 0x22802).map((r) => [`${r.cpu}/${r.tsc}`, r]));
    for (const line of lines) {
      const m = /^CPU(\d+)\s+(\d+) .*dom:vcpu = 0x([0-9a-f]{8})/.exec(line)!;
      expect(byKey.get(`${m[1]}/${m[2]}`)?.data[0]).toBe(parseInt(m[3]!, 16));
    }
  });

  it('derives the same residency as a direct per-pCPU replay of the switches', () => {
    // Independent rule: per pCPU in file order, a switch closes the previous switch's `next`
    // when it is named `prev`; the last guest `next` runs to the last TSC of the file.
    const origin = 9981338238898;
    const last = 9982342939240;
    const expected: { vm: string; vcpu: number; pcpu: number; t0: number; t1: number }[] = [];
    const open = new Map<number, number[]>();
    for (const r of records) {
      if (r.event !== 0x2800a) continue;
      const prev = open.get(r.cpu);
      if (prev && prev[0] === r.data[0] && prev[1] === r.data[1] && prev[0]! < 0x7ff0) {
        expected.push({ vm: `d${prev[0]}`, vcpu: prev[1]!, pcpu: r.cpu, t0: (prev[2]! - origin) / hz, t1: (r.tsc - origin) / hz });
      }
      open.set(r.cpu, [r.data[2]!, r.data[3]!, r.tsc]);
    }
    for (const [cpu, [dom, vcpu, since]] of open) {
      if (dom! < 0x7ff0) expected.push({ vm: `d${dom}`, vcpu: vcpu!, pcpu: cpu, t0: (since! - origin) / hz, t1: (last - origin) / hz });
    }
    const key = (r: { pcpu: number; t0: number }) => `${r.pcpu}/${r.t0.toFixed(12)}`;
    const sorted = (rows: typeof expected) => [...rows].sort((a, b) => (key(a) < key(b) ? -1 : 1));
    expect(sink.residencies).toHaveLength(424);
    expect(sorted(sink.residencies)).toEqual(sorted(expected));
    const d2 = sink.residencies.filter((r) => r.vm === 'd2').reduce((s, r) => s + r.t1 - r.t0, 0);
    expect(d2).toBeCloseTo(expected.filter((r) => r.vm === 'd2').reduce((s, r) => s + r.t1 - r.t0, 0), 12);
  });
});

describe.skipIf(!hasRealTraces)('Xen real traces are detected as their own format', () => {
  const cases: [string[], string][] = [
    [['xentrace-rtds-modechange-penn', 'trace.bin'], 'xentrace'],
    [['xentrace-rtds-modechange-penn', 'trace_proc_output', 'schedule.txt'], 'xentrace-format'],
    [['xentop-batch-xcpng83', 'xcpng-8.3-b-i2-d1.txt'], 'xentop'],
    [['xenalyze-summary-64pcpu-niels', 'trace_nolibvmi.txt'], 'xenalyze-summary'],
    [['xempower-xen-ctxswitch-rapl-pmc', 'rapl.csv'], 'xempower'],
    [['xempower-xen-ctxswitch-rapl-pmc', 'pmc.csv'], 'xempower'],
  ];
  for (const [parts, name] of cases) {
    it(`${parts.join('/')} → ${name}`, async () => {
      expect(sniffFormat(await readSniffInput(realTrace(...parts)))?.name).toBe(name);
    });
  }
});

describe('xentrace fuzzing', () => {
  const outcome = (b: Uint8Array): void => {
    try {
      parse(b);
    } catch (e) {
      expect(e).toBeInstanceOf(VheatError);
    }
  };
  it('truncation at any byte, byte flips and shuffled windows give rows or a VheatError', () => {
    fc.assert(fc.property(fc.nat(bytes.length), (cut) => outcome(bytes.subarray(0, cut))), { numRuns: 200 });
    fc.assert(fc.property(
      fc.array(fc.tuple(fc.nat(bytes.length - 1), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }),
      (flips) => {
        const copy = bytes.slice();
        for (const [at, v] of flips) copy[at] = v;
        outcome(copy);
      }), { numRuns: 200 });
    fc.assert(fc.property(fc.array(fc.nat(scenario.length - 1), { maxLength: 8 }),
      (picks) => outcome(xentraceBytes(picks.map((i) => scenario[i]!)))), { numRuns: 200 });
  });
});
