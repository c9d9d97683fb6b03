import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { TraceParseError } from '../../src/errors.js';
import type { MemorySink } from '../../src/ingest/memory-sink.js';
import { parseString } from '../../src/ingest/parse-string.js';
import { perfScript } from '../../src/ingest/perf-script-sched.js';
import { ioLinkRules } from '../../src/ingest/sched-switch-spans.js';
import type { ParseOptions } from '../../src/ingest/types.js';
import { messages } from '../../src/messages.js';
import { fixture, fixturePath } from '../helpers/fixtures.js';
import { fuzzTextFixture } from '../helpers/fuzz-text.js';
import { sinkToGolden } from '../helpers/golden.js';
import { hasRealTraces, realTrace } from '../helpers/real-traces.js';
import { oracleOnCpuSeconds } from '../helpers/sched-switch-oracle.js';
import { sniffText } from '../helpers/parse-checks.js';

const parse = (name: string, options: ParseOptions = {}): MemorySink =>
  parseString(perfScript, fixture('perf-script', `${name}.txt`), options, `${name}.txt`);

const residencySeconds = (sink: MemorySink, vcpu: number): number =>
  sink.residencies.filter((r) => r.vcpu === vcpu).reduce((a, r) => a + (r.t1 - r.t0), 0);

const cases = ['real-vcpu-start', 'real-qemu-exit', 'real-kvm-events', 'plugin-pid-tid'];

describe('perf-script golden fixtures', () => {
  for (const name of cases) {
    it(name, async () => {
      await expect(sinkToGolden(parse(name))).toMatchFileSnapshot(fixturePath('perf-script', `${name}.expected.csv`));
    });
  }
});

describe('perf-script spot values', () => {
  it('real-vcpu-start: the new thread switches in as qemu-system-x86 and leaves as CPU 0/KVM', () => {
    const sink = parse('real-vcpu-start');
    // 12707.625354 → 12707.625391 (renamed while running), …625589 → …625901, …625908 → …625916.
    expect(sink.residencies.map((r) => [r.vcpu, r.pcpu, +(r.t1 - r.t0).toFixed(6)])).toEqual([
      [0, 0, 0.000037], [0, 0, 0.000312], [0, 0, 0.000008]]);
    expect(sink.residencies[0]!.t0).toBeCloseTo(12707.625354 - 12707.623578, 9);
    // The last record lets CPU 0/KVM in again: a zero-length span at the end, dropped.
    expect(sink.facts.details).toMatchObject({ traceClockStart: '12707.623578', records: 23, residencySpans: 3,
      spansOpenAtEnd: 0, vmInferred: true });
    // The main thread (qemu-system-x86, pid 31316) counts as emulator once CPU 0/KVM has shown its name.
    expect(sink.ios.map((r) => r.kind)).toEqual(['oncpu-emulator', 'oncpu-emulator', 'oncpu-emulator']);
    expect(sink.facts.details?.['qemuSecondsUnattributed']).toBeCloseTo((623615 - 623578 + 623643 - 623628 + 623870 - 623654
      + 625354 - 623883) / 1e6, 9);
    expect(sink.facts.hypervisor).toBe('kvm');
    expect(sink.facts.startEpochSeconds).toBeUndefined();
  });

  it('real-qemu-exit: `:-1  -1` heads still give the payload\'s threads', () => {
    const sink = parse('real-qemu-exit');
    expect(sink.skippedLines).toBe(0);
    // CPU 0/KVM: 12717.601289 → 12717.601333 on CPU 1 (prev_state X, head `:-1 -1`).
    expect(sink.residencies.find((r) => r.vcpu === 0 && r.t0 > 0)).toMatchObject({ pcpu: 1 });
    expect(residencySeconds(sink, 0)).toBeCloseTo((12717.601137 - 12717.601137) + (12717.601333 - 12717.601289), 9);
  });

  it('plugin-pid-tid: pids give qemu-<pid>, kvm events give vCPU ids and 1 s bins', () => {
    const sink = parse('plugin-pid-tid');
    expect(sink.residencies).toEqual([
      { vm: 'qemu-4180', vcpu: 1, pcpu: 2, t0: 0, t1: expect.closeTo(0.00195, 12) },
      { vm: 'qemu-4180', vcpu: 0, pcpu: 3, t0: expect.closeTo(0.0013, 12), t1: expect.closeTo(0.0029, 12) },
      { vm: 'qemu-4180', vcpu: 1, pcpu: 2, t0: expect.closeTo(1.5, 12), t1: expect.closeTo(1.5001, 12) },
    ]);
    expect(sink.ios.map((r) => [r.kind, +r.t0.toFixed(6), +r.t1.toFixed(6)])).toEqual([
      ['oncpu-emulator', 0.00095, 0.001], ['oncpu-vhost', 0.001, 0.0012]]);
    const bins = sink.samples.map((s) => [s.entity, s.t0, +s.t1.toFixed(6), s.event, s.value]);
    expect(bins).toEqual([
      ['qemu-4180/vcpu1', 0, 1, 'kvm:kvm_entry', 2],
      ['qemu-4180/vcpu1', 0, 1, 'kvm:exit:EXTERNAL_INTERRUPT', 1],
      ['qemu-4180/vcpu1', 0, 1, 'kvm:exit:HLT', 1],
      ['qemu-4180/vcpu1', 1, 1.5001, 'kvm:exit:MSR_WRITE', 1],
      // The first EPT_VIOLATION came before any kvm_entry named thread 4188's vCPU: not counted.
      ['qemu-4180/vcpu0', 0, 1, 'kvm:kvm_entry', 1],
      ['qemu-4180/vcpu0', 0, 1, 'kvm:exit:EPT_VIOLATION', 1],
    ]);
    expect(sink.samples.every((s) => s.scope === 'vcpu' && s.cpu === null && s.enabled === 1)).toBe(true);
    expect(sink.skippedLines).toBe(1); // the perf warning; header, blank and call-chain lines are grammar
    expect(sink.facts.details).toMatchObject({ kvmEvents: 7, kvmEventsWithoutVcpu: 1, spansOpenAtEnd: 1, ioLinkRules });
    expect(sink.warnings.map((w) => w.message)).toEqual([messages.kvmVmInferred('qemu-4180')]);
  });

  it('bundle identity names the VM', () => {
    const sink = parse('plugin-pid-tid', { extra: { vmByPid: { 4180: 'web01' } } });
    expect(new Set([...sink.residencies, ...sink.ios].map((r) => r.vm))).toEqual(new Set(['web01']));
    expect(new Set(sink.samples.map((s) => s.entity))).toEqual(new Set(['web01/vcpu0', 'web01/vcpu1']));
    expect(sink.warnings).toEqual([]);
  });

  it('errors: time going backwards, a broken sched_switch payload, a file without records', () => {
    const text = fixture('perf-script', 'real-vcpu-start.txt').split('\n');
    const swapped = [text[1], text[0], ...text.slice(2)].join('\n');
    expect(() => parseString(perfScript, swapped)).toThrow(expect.objectContaining({ code: 'perf-script.timeBackwards',
      context: expect.objectContaining({ line: 2 }) }));
    const broken = text[0]!.replace('next_pid=31316', 'next_pid=?');
    expect(() => parseString(perfScript, broken)).toThrow(expect.objectContaining({ code: 'perf-script.badPayload',
      message: messages.badTracepointPayload('sched_switch') }));
    expect(() => parseString(perfScript, '# only a header\n\n')).toThrow(TraceParseError);
    expect(() => parseString(perfScript, '# only a header\n\n')).toThrow(expect.objectContaining({ code: 'perf-script.noRecords' }));
  });

  it('sniffs perf script only', () => {
    const sniff = (text: string): number => sniffText(perfScript, text);
    for (const name of cases) expect(sniff(fixture('perf-script', `${name}.txt`))).toBe(2);
    expect(sniff(fixture('trace-cmd-report', 'real-instance.txt'))).toBe(0);
    expect(sniff(fixture('ftrace', 'tgid-kernel.txt'))).toBe(0);
    expect(sniff(fixture('perf-kvm-stat', 'report-vmexit.txt'))).toBe(0);
  });
});

describe.skipIf(!hasRealTraces)('perf-script on real traces (kvm-nested-2026-11-24)', () => {
  const kvm = (...parts: string[]): string => readFileSync(realTrace('kvm-nested-2026-11-24', ...parts), 'utf8');

  it('bundle c1_perf_sched.txt: vCPU residency equals an independent re-reading and matches perf stat task-clock', () => {
    const text = kvm('bundle-kvm-burn5', 'c1_perf_sched.txt');
    const sink = parseString(perfScript, text, {}, 'c1_perf_sched.txt');
    expect(sink.skippedLines).toBe(0);
    expect(sink.facts.details).toMatchObject({ records: 7616, traceClockStart: '12707.074339', switchMismatches: 51,
      spansOpenAtStart: 0, spansOpenAtEnd: 0 });
    const oracle = oracleOnCpuSeconds(text);
    // a1 (perf stat --per-thread -p qemu) covers the same threads: task-clock in ms per interval.
    const a1 = kvm('bundle-kvm-burn5', 'a1_perfstat_thread.csv').split('\n');
    for (const [vcpu, tid] of [[0, 31325], [1, 31330]] as const) {
      const mine = residencySeconds(sink, vcpu);
      expect(oracle.get(tid)!.comms).toContain(`CPU ${vcpu}/KVM`);
      expect(Math.abs(mine - oracle.get(tid)!.seconds)).toBeLessThanOrEqual(1e-9 * mine);
      const taskClock = a1.filter((l) => l.includes(`,CPU ${vcpu}/KVM-${tid},`) && l.includes(',task-clock,'))
        .reduce((a, l) => a + (Number(l.split(',')[2]) || 0), 0) / 1000;
      // Different tools, windows and clocks: a sanity bound, not equality (6.960 s vs 6.971 s for vCPU 0).
      expect(Math.abs(mine - taskClock) / taskClock).toBeLessThan(0.02);
    }
    expect(residencySeconds(sink, 0)).toBeCloseTo(6.959934, 6);
    expect(new Set(sink.residencies.map((r) => r.pcpu))).toEqual(new Set([0, 1]));
    expect(sink.residencies.every((r) => r.t1 > r.t0 && r.t0 >= 0)).toBe(true);
    // kvm-pit/31316 is KVM's PIT worker for that qemu process.
    expect(sink.ios.filter((r) => r.kind === 'oncpu-kvm-pit').length).toBeGreaterThan(0);
  });

  it.each(['kvm-burn20', 'tcg-burn20'])('samples/%s c1 vcpu-lines excerpt and head', (run) => {
    const text = kvm('samples', run, 'c1_perf_sched.vcpu-lines.txt');
    const sink = parseString(perfScript, text, {}, 'vcpu-lines');
    expect(sink.skippedLines).toBe(0);
    const oracle = oracleOnCpuSeconds(text);
    const accel = run.startsWith('kvm') ? 'KVM' : 'TCG';
    for (const vcpu of [0, 1]) {
      // The excerpt opens with a vCPU already running (its switch-in named it qemu-system-x86 and
      // was filtered out): the parser counts that span from the first record, the oracle does not.
      const complete = sink.residencies.filter((r) => r.vcpu === vcpu && r.t0 > 0).reduce((a, r) => a + r.t1 - r.t0, 0);
      const tid = [...oracle].find(([, v]) => v.comms.has(`CPU ${vcpu}/${accel}`))?.[0];
      const expected = tid === undefined ? 0 : oracle.get(tid)!.seconds;
      // The oracle subtracts doubles near 12611 s (ulp 2e-12): compare to 1e-9 s.
      expect(complete).toBeCloseTo(expected, 9);
    }
    expect(sink.residencies.length).toBeGreaterThan(5);
    const head = parseString(perfScript, kvm('samples', run, 'c1_perf_sched.txt'), {}, 'head');
    expect(head.skippedLines).toBe(0);
    expect(head.facts.details).toMatchObject({ records: 40 });
  });

  it('bundle d3/d4: every kvm event of a vCPU thread is counted in its bins', () => {
    for (const [file, events] of [['d3_perf_kvm_tp.txt', 3049], ['d4_perf_emulate_insn.txt', 16440]] as const) {
      const text = kvm('bundle-kvm-burn5', file);
      const sink = parseString(perfScript, text, {}, file);
      const raw = new Map<string, number>();
      for (const line of text.split('\n')) {
        const m = / +CPU (\d)\/KVM \d+ \[\d+\] [\d.]+: +kvm:(\w+):/.exec(line);
        if (m) raw.set(`vm/vcpu${m[1]} kvm:${m[2]}`, (raw.get(`vm/vcpu${m[1]} kvm:${m[2]}`) ?? 0) + 1);
      }
      const mine = new Map<string, number>();
      for (const s of sink.samples) mine.set(`${s.entity} ${s.event}`, (mine.get(`${s.entity} ${s.event}`) ?? 0) + s.value!);
      expect(mine).toEqual(raw);
      expect([...raw.values()].reduce((a, b) => a + b, 0)).toBe(events);
      expect(sink.residencies).toEqual([]);
      // Bins are 1 s of trace time; the last one ends at the last record.
      expect(sink.samples.every((s) => s.t1 - s.t0 <= 1 && Number.isInteger(s.t0))).toBe(true);
    }
  });
});

describe('perf-script fuzzing', () => {
  it('mutated fixtures parse or fail with a VheatError', () => {
    fuzzTextFixture(perfScript, fixture('perf-script', 'plugin-pid-tid.txt'));
    fuzzTextFixture(perfScript, fixture('perf-script', 'real-vcpu-start.txt'), {}, 100);
  });
});
