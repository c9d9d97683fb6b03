import { describe, expect, it } from 'vitest';
import { ftrace } from '../../src/ingest/ftrace.js';
import type { MemorySink } from '../../src/ingest/memory-sink.js';
import { parseString } from '../../src/ingest/parse-string.js';
import type { ParseOptions } from '../../src/ingest/types.js';
import { messages } from '../../src/messages.js';
import { fixture, fixturePath } from '../helpers/fixtures.js';
import { fuzzTextFixture } from '../helpers/fuzz-text.js';
import { sinkToGolden } from '../helpers/golden.js';
import { sniffText } from '../helpers/parse-checks.js';

const parse = (name: string, options: ParseOptions = {}): MemorySink =>
  parseString(ftrace, fixture('ftrace', `${name}.txt`), options, `${name}.txt`);

const sniff = (text: string): number => sniffText(ftrace, text);
describe('ftrace golden fixtures', () => {
  for (const name of ['tgid-kernel', 'pipe-no-debug-threads']) {
    it(name, async () => {
      await expect(sinkToGolden(parse(name))).toMatchFileSnapshot(fixturePath('ftrace', `${name}.expected.csv`));
    });
  }
});

describe('ftrace spot values', () => {
  it('tgid-kernel: header facts, tgid naming, late buffer start and lost events', () => {
    const sink = parse('tgid-kernel');
    const us = (a: number, b: number) => [expect.closeTo(a / 1e6, 12), expect.closeTo(b / 1e6, 12)];
    expect(sink.residencies.map((r) => [r.vm, r.vcpu, r.pcpu, r.t0, r.t1])).toEqual([
      ['qemu-7280', 0, 1, ...us(0, 600)],
      // CPU 0/KVM came back at 642000 and was last seen at 642100 before 3 events of CPU 1 were lost.
      ['qemu-7280', 0, 1, ...us(1100, 1200)],
      // CPU 1/KVM left CPU 2 at its buffer's first record (641600): start unknown, no row;
      // it is back at 644000 and still running at the last record (644500).
      ['qemu-7280', 1, 2, ...us(3100, 3600)],
    ]);
    expect(sink.ios).toEqual([{ vm: 'qemu-7280', t0: expect.closeTo(0.0007, 12), t1: expect.closeTo(0.0008, 12),
      kind: 'oncpu-iothread', ops: null, bytes: null }]);
    expect(sink.samples.map((s) => [s.entity, s.event, s.value])).toEqual([
      ['qemu-7280/vcpu0', 'kvm:kvm_entry', 1], ['qemu-7280/vcpu0', 'kvm:exit:EXTERNAL_INTERRUPT', 1],
      ['qemu-7280/vcpu0', 'kvm:exit:HLT', 1], ['qemu-7280/vcpu1', 'kvm:kvm_entry', 1]]);
    expect(sink.facts.details).toMatchObject({ tracer: 'nop', entriesInBuffer: 11, entriesWritten: 14, cpus: 4,
      lostEventMarkers: 1, spansCut: 1, spansOpenAtEnd: 1, traceClockStart: '2925.640900' });
    expect(sink.warnings.map((w) => w.message)).toEqual([messages.ftraceOverwritten(3), messages.kvmVmInferred('qemu-7280'),
      messages.tracepointEventsLost(1)]);
    expect(sink.skippedLines).toBe(0);
  });

  it('pipe-no-debug-threads: the vCPU comes from kvm payloads; the span open at the start counts from the first record', () => {
    const sink = parse('pipe-no-debug-threads', { extra: { vmName: 'tdp' } });
    expect(sink.residencies.map((r) => [r.vm, r.vcpu, r.pcpu, +r.t0.toFixed(6), +r.t1.toFixed(6)])).toEqual([
      ['tdp', 0, 15, 0, 0.000961], ['tdp', 0, 15, 0.001061, 0.002961]]);
    expect(sink.facts.details).toMatchObject({ spansOpenAtStart: 1, kvmEvents: 3, qemuSecondsUnattributed: 0 });
    expect(sink.samples.map((s) => [s.entity, s.event, s.value])).toEqual([
      ['tdp/vcpu0', 'kvm:exit:EXCEPTION_NMI', 1], ['tdp/vcpu0', 'kvm:kvm_entry', 1], ['tdp/vcpu0', 'kvm:exit:EPT_VIOLATION', 1]]);
    expect(sink.warnings).toEqual([]);
  });

  it('an arm64 kvm_exit is counted without a reason, with one warning', () => {
    const line = (t: string) => `       CPU 0/KVM-7289    [001] d....  ${t}: kvm_exit: TRAP: HSR_EC: 0x0024 (DABT_LOW), PC: 0xffff800010a0`;
    const sink = parseString(ftrace, `# tracer: nop\n${line('1.000000')}\n${line('1.000001')}\n`);
    expect(sink.samples.map((s) => [s.event, s.value])).toEqual([['kvm:kvm_exit', 2]]);
    expect(sink.warnings.map((w) => w.message)).toEqual([messages.kvmExitUnparsed(), messages.kvmVmInferred('vm')]);
  });

  it('sniffs ftrace: certain with the header, weak without', () => {
    expect(sniff(fixture('ftrace', 'tgid-kernel.txt'))).toBe(3);
    expect(sniff(fixture('ftrace', 'pipe-no-debug-threads.txt'))).toBe(1);
    expect(sniff(fixture('trace-cmd-report', 'real-instance.txt'))).toBe(0);
    expect(sniff(fixture('perf-script', 'real-vcpu-start.txt'))).toBe(0);
    expect(sniff(fixture('perf-kvm-stat', 'live-pid.txt'))).toBe(0);
  });
});

describe('ftrace fuzzing', () => {
  it('mutated fixtures parse or fail with a VheatError', () => {
    fuzzTextFixture(ftrace, fixture('ftrace', 'tgid-kernel.txt'));
  });
});
