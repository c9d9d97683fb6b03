import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { TraceParseError } from '../../src/errors.js';
import type { MemorySink } from '../../src/ingest/memory-sink.js';
import { parseString } from '../../src/ingest/parse-string.js';
import { perfKvmStat } from '../../src/ingest/perf-kvm-stat.js';
import type { ParseOptions } from '../../src/ingest/types.js';
import { messages } from '../../src/messages.js';
import { fixture, fixturePath } from '../helpers/fixtures.js';
import { fuzzTextFixture } from '../helpers/fuzz-text.js';
import { sinkToGolden } from '../helpers/golden.js';
import { hasRealTraces, realTrace } from '../helpers/real-traces.js';
import { sniffText } from '../helpers/parse-checks.js';

const parse = (name: string, options: ParseOptions = {}): MemorySink =>
  parseString(perfKvmStat, fixture('perf-kvm-stat', `${name}.txt`), options, `${name}.txt`);

const sniff = (text: string): number => sniffText(perfKvmStat, text);
const value = (sink: MemorySink, event: string, t1?: number): number | null | undefined =>
  sink.samples.find((s) => s.event === event && (t1 === undefined || s.t1 === t1))?.value;

describe('perf-kvm-stat golden fixtures', () => {
  for (const name of ['report-vmexit', 'live-pid', 'old-mmio-locale', 'real-empty']) {
    it(name, async () => {
      await expect(sinkToGolden(parse(name))).toMatchFileSnapshot(fixturePath('perf-kvm-stat', `${name}.expected.csv`));
      expect(sniff(fixture('perf-kvm-stat', `${name}.txt`))).toBe(3);
    });
  }
});

describe('perf-kvm-stat spot values', () => {
  it('report: counts, and handled time from the closer of Time% × total and count × avg', () => {
    const sink = parse('report-vmexit', { intervalSeconds: 60 });
    expect(sink.samples.map((s) => [s.t0, s.t1, s.scope, s.entity])).toEqual(Array(4).fill([0, 60, 'host', 'all-vms']));
    expect(value(sink, 'kvm:exit:EXTERNAL_INTERRUPT')).toBe(471831);
    expect(value(sink, 'kvm:exit:MSR_WRITE')).toBe(238932);
    // 74.76 % of 1476818.46 µs (±74 µs) beats 471831 × 2.34 µs (±2359 µs).
    expect(value(sink, 'kvm:exit_time_s:EXTERNAL_INTERRUPT')).toBeCloseTo(0.7476 * 1.47681846, 12);
    expect(value(sink, 'kvm:exit_time_s:MSR_WRITE')).toBeCloseTo(0.2524 * 1.47681846, 12);
    expect(sink.facts).toMatchObject({ hypervisor: 'kvm', details: { mode: 'report', reports: 1, aggregate: true,
      targets: ['all VMs, all VCPUs'] } });
    expect(sink.warnings).toEqual([]);
  });

  it('live: a time of day per report, across midnight; each report covers the interval since the last', () => {
    const sink = parse('live-pid', { extra: { vmByPid: { 4180: 'web01' } } });
    expect(new Set(sink.samples.map((s) => `${s.scope}|${s.entity}`))).toEqual(new Set(['vm|web01']));
    expect(sink.samples.filter((s) => s.event === 'kvm:exit:HLT').map((s) => [s.t0, s.t1, s.value])).toEqual([[0, 1, 120], [1, 2, 10]]);
    // Small counts: 120 × 791.67 µs (±0.6 µs) beats 95 % × 100000 µs (±5 µs).
    expect(value(sink, 'kvm:exit_time_s:HLT', 1)).toBeCloseTo(120 * 791.67e-6, 12);
    expect(value(sink, 'kvm:exit_time_s:EPT_VIOLATION', 1)).toBeCloseTo(80 * 62.5e-6, 12);
    expect(sink.facts.details).toMatchObject({ mode: 'live', reports: 2, lostEvents: 3, aggregate: false, vmInferred: false });
    expect(sink.warnings.map((w) => w.message)).toEqual([messages.kvmStatLostEvents(3)]);
    expect(sink.skippedLines).toBe(0);
  });

  it('old layout without Min/Max, mmio keys, --vcpu, comma decimals', () => {
    const sink = parse('old-mmio-locale');
    expect(sink.samples.map((s) => [s.scope, s.entity, s.event, s.value])).toEqual([
      ['vcpu', 'all-vms/vcpu2', 'kvm:mmio:0xfee000b0:W', 21],
      ['vcpu', 'all-vms/vcpu2', 'kvm:mmio_time_s:0xfee000b0:W', expect.closeTo(84e-6, 15)],
      ['vcpu', 'all-vms/vcpu2', 'kvm:mmio:0xfee00300:W', 7],
      ['vcpu', 'all-vms/vcpu2', 'kvm:mmio_time_s:0xfee00300:W', expect.closeTo(56e-6, 15)],
    ]);
    expect(sink.samples.every((s) => s.t0 === 0 && s.t1 === 0)).toBe(true);
  });

  it('pid(s) without a bundle name become qemu-<pid>, with a warning', () => {
    const sink = parse('live-pid');
    expect(new Set(sink.samples.map((s) => s.entity))).toEqual(new Set(['qemu-4180']));
    expect(sink.warnings.map((w) => w.message)).toContain(messages.kvmVmInferred('qemu-4180'));
  });

  it('errors: rows that do not add up, a report cut short, no report at all', () => {
    const text = fixture('perf-kvm-stat', 'report-vmexit.txt');
    expect(() => parseString(perfKvmStat, text.replace('238932', '238933'))).toThrow(expect.objectContaining({
      code: 'perf-kvm-stat.totalMismatch', message: messages.kvmStatTotalMismatch(710764, 710763) }));
    const cut = text.slice(0, text.indexOf('Total'));
    expect(() => parseString(perfKvmStat, cut)).toThrow(expect.objectContaining({ code: 'perf-kvm-stat.truncated' }));
    expect(() => parseString(perfKvmStat, `${cut}${cut}`)).toThrow(expect.objectContaining({ code: 'perf-kvm-stat.truncated' }));
    expect(() => parseString(perfKvmStat, 'hello\n')).toThrow(TraceParseError);
  });

  it('sniffs perf kvm stat only', () => {
    expect(sniff(fixture('perf-script', 'real-kvm-events.txt'))).toBe(0);
    expect(sniff(fixture('trace-cmd-report', 'multi-file.txt'))).toBe(0);
    expect(sniff(fixture('ftrace', 'tgid-kernel.txt'))).toBe(0);
  });
});

describe.skipIf(!hasRealTraces)('perf-kvm-stat on real traces (kvm-nested-2026-11-24)', () => {
  it.each(['d2_perf_kvm_stat_report.txt', 'd2_perf_kvm_stat_report_ioport.txt'])('bundle %s: an empty report', (file) => {
    const sink = parseString(perfKvmStat, readFileSync(realTrace('kvm-nested-2026-11-24', 'bundle-kvm-burn5', file), 'utf8'));
    expect(sink.samples).toEqual([]);
    expect(sink.skippedLines).toBe(0);
    expect(sink.warnings.map((w) => w.message)).toEqual([messages.kvmStatEmpty()]);
    expect(sink.facts.details).toMatchObject({ mode: 'report', reports: 1, targets: ['all VMs, all VCPUs'] });
  });
});

describe('perf-kvm-stat fuzzing', () => {
  it('mutated fixtures parse or fail with a VheatError', () => {
    fuzzTextFixture(perfKvmStat, fixture('perf-kvm-stat', 'live-pid.txt'));
    fuzzTextFixture(perfKvmStat, fixture('perf-kvm-stat', 'report-vmexit.txt'), {}, 100);
  });
});
