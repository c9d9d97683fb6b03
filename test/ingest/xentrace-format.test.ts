import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseString } from '../../src/ingest/parse-string.js';
import type { ParseOptions } from '../../src/ingest/types.js';
import { xentraceFormat } from '../../src/ingest/xentrace-format.js';
import { messages } from '../../src/messages.js';
import { fixture, fixturePath } from '../helpers/fixtures.js';
import { fuzzTextFixture } from '../helpers/fuzz-text.js';
import { sinkToGolden } from '../helpers/golden.js';
import { hasRealTraces, realTrace } from '../helpers/real-traces.js';
import { sniffText } from '../helpers/parse-checks.js';

const GHZ: ParseOptions = { tscHz: 1e9 };
const text = fixture('xentrace-format', 'scenario.txt');
const parse = (t: string, options: ParseOptions = GHZ) => parseString(xentraceFormat, t, options, 'trace.txt');
const sniff = (text: string): number => sniffText(xentraceFormat, text);
describe('xentrace-format golden fixture', () => {
  it('scenario (the xentrace scenario printed with tools/xentrace/formats)', async () => {
    const sink = parse(text);
    await expect(sinkToGolden(sink)).toMatchFileSnapshot(fixturePath('xentrace-format', 'scenario.expected.csv'));
    expect(sniff(text)).toBe(3);
  });
});

describe('xentrace-format spot values', () => {
  it('merges the per-pCPU blocks by TSC and ends a lost span at the lost record (no first_tsc in text)', () => {
    const sink = parse(text);
    // As the binary, except: the text lost_records line gives neither first_tsc nor the vCPU
    // current afterwards, so d2v1 ends at +5 ms and the switch at +6 ms has no known `prev`.
    expect(sink.residencies).toEqual([
      { vm: 'd1', vcpu: 0, pcpu: 0, t0: 0.001, t1: 0.0034 },
      { vm: 'd2', vcpu: 1, pcpu: 1, t0: 0, t1: 0.005 },
      { vm: 'd1', vcpu: 1, pcpu: 0, t0: 0.0034, t1: 0.0060003 },
    ]);
    expect(sink.facts.details).toMatchObject({ originTick: 10_000_000_000, records: 15, switches: 4, lateEvents: 0 });
    expect(sink.warnings.map((w) => w.message)).toEqual([messages.xenLostRecords(1)]);
  });

  it('skips foreign lines, fails on a mangled switch payload', () => {
    const sink = parse(`TSC stepped backward cpu 0 !  5 6\n${text}`);
    expect(sink.skippedLines).toBe(1);
    expect(() => parse('CPU0  100 (+       0)  __enter_scheduler [ prev = 1 ]\n'))
      .toThrow(expect.objectContaining({ code: 'xentrace-format.payload', context: expect.objectContaining({ line: 1 }) }));
    expect(() => parse('hello\n')).toThrow(expect.objectContaining({ code: 'xentrace-format.noRecords' }));
  });

  it('sniffs its own lines only', () => {
    expect(sniff('TSC,CPU,DOM,vCPU,PKG,PP0,PP1,DRAM\n23496246876098,0,0,0,2297812109,708240439,161186555,0\n')).toBe(0);
    expect(sniff('      NAME  STATE   CPU(sec) CPU(%)\n')).toBe(0);
    expect(sniff('   0.001000000 x| d1v0 sched_switch prev d1v0 next d1v1\n')).toBe(0);
  });
});

describe.skipIf(!hasRealTraces)('xentrace-format real text (xentrace-rtds-modechange-penn)', () => {
  it('reads every grep-ed rtds file of the run: all lines are records, none is a switch', () => {
    const dir = realTrace('xentrace-rtds-modechange-penn', 'trace_proc_output');
    let total = 0;
    for (const name of readdirSync(dir)) {
      const body = readFileSync(`${dir}/${name}`, 'utf8');
      const sink = parse(body, { tscHz: 2.5e9 });
      const n = body.trim().split('\n').length;
      total += n;
      expect(sink.skippedLines).toBe(0);
      expect(sink.facts.details).toMatchObject({ records: n, switches: 0 });
      expect(sink.residencies).toEqual([]);
      expect(sink.warnings.map((w) => w.message)).toEqual([messages.xenNoSwitches('xentrace_format')]);
    }
    expect(total).toBe(183);
    // schedule.txt is CPU3 only: its first TSC is the origin.
    const sched = parse(readFileSync(`${dir}/schedule.txt`, 'utf8'));
    expect(sched.facts.details).toMatchObject({ originTick: 9981342051329 });
  });
});

describe('xentrace-format fuzzing', () => {
  it('truncated, flipped, shuffled and duplicated lines give rows or a VheatError', () => {
    fuzzTextFixture(xentraceFormat, text, GHZ);
  });
});
