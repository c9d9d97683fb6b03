import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseString } from '../../src/ingest/parse-string.js';
import { xenalyze } from '../../src/ingest/xenalyze.js';
import { messages } from '../../src/messages.js';
import { fixture, fixturePath } from '../helpers/fixtures.js';
import { fuzzTextFixture } from '../helpers/fuzz-text.js';
import { sinkToGolden } from '../helpers/golden.js';
import { hasRealTraces, realTrace } from '../helpers/real-traces.js';
import { sniffText } from '../helpers/parse-checks.js';

const text = fixture('xenalyze', 'scenario.txt');
const parse = (t: string) => parseString(xenalyze, t, {}, 'dump.txt');
const sniff = (text: string): number => sniffText(xenalyze, text);
describe('xenalyze golden fixture', () => {
  it('scenario (the xentrace scenario as xenalyze --dump-all prints it)', async () => {
    const sink = parse(text);
    await expect(sinkToGolden(sink)).toMatchFileSnapshot(fixturePath('xenalyze', 'scenario.expected.csv'));
    expect(sniff(text)).toBe(3);
  });
});

describe('xenalyze spot values', () => {
  it('reads the pCPU from the strip, keeps blank-time lines and reopens after lost records', () => {
    const sink = parse(text);
    // Times are the dump's own; the lost line names d2v1 as current, so it runs on from +5 ms.
    expect(sink.residencies).toEqual([
      { vm: 'd1', vcpu: 0, pcpu: 0, t0: 0.001, t1: 0.0034 },
      { vm: 'd2', vcpu: 1, pcpu: 1, t0: 0, t1: 0.005 },
      { vm: 'd2', vcpu: 1, pcpu: 1, t0: 0.005, t1: 0.006 },
      { vm: 'd1', vcpu: 1, pcpu: 0, t0: 0.0034, t1: 0.0060003 },
    ]);
    // The two `lost_records end` lines carry no time and no current vCPU.
    expect(sink.skippedLines).toBe(2);
    expect(sink.facts.details).toMatchObject({ records: 11, switches: 4, switchPrevMismatches: 0, runstateMismatches: 0 });
    expect(sink.warnings.map((w) => w.message)).toEqual([messages.xenLostRecords(1)]);
  });

  it('handles times of 100 s and more, the 5-word runstate variant and power-state digits in the strip', () => {
    const sink = parse([
      ' 123.000000000 -3x d?v? sched_switch prev d32767v2 next d5v3',
      ' 123.000000100 -3x d5v3 runstate_change {17,42} d5v3 runnable->running',
      ' 1234.500000000 -3x d5v3 sched_switch prev d5v3 next d32767v2',
    ].join('\n'));
    expect(sink.residencies).toEqual([{ vm: 'd5', vcpu: 3, pcpu: 2, t0: 123, t1: 1234.5 }]);
  });

  it('fails on a mangled scheduler line, skips other text', () => {
    expect(() => parse('   0.000000100 x d0v0 sched_switch prev d0v0 next\n'))
      .toThrow(expect.objectContaining({ code: 'xenalyze.payload' }));
    expect(() => parse('Total time: 8.72 seconds (using cpu speed 2.40 GHz)\n'))
      .toThrow(expect.objectContaining({ code: 'xenalyze.noRecords' }));
  });

  it('sniffs dump lines only', () => {
    expect(sniff('CPU0  10001000000 (+       0)  __enter_scheduler [ prev<dom:vcpu> = 0x7fff0000 ]\n')).toBe(0);
    expect(sniff('Total time: 8.72 seconds (using cpu speed 2.40 GHz)\n--- Log volume summary ---\n')).toBe(0);
    expect(sniff('      NAME  STATE   CPU(sec) CPU(%)     MEM(k)\n')).toBe(0);
  });
});

describe.skipIf(!hasRealTraces)('xenalyze on a real summary file', () => {
  it('does not take summary output for a dump', () => {
    const body = readFileSync(realTrace('xenalyze-summary-64pcpu-niels', 'trace_nolibvmi.txt'), 'utf8');
    expect(sniff(body)).toBe(0);
    expect(() => parse(body)).toThrow(expect.objectContaining({ code: 'xenalyze.noRecords' }));
  });
});

describe('xenalyze fuzzing', () => {
  it('truncated, flipped, shuffled and duplicated lines give rows or a VheatError', () => {
    fuzzTextFixture(xenalyze, text);
  });
});
