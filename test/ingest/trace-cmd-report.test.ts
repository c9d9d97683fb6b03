import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { MemorySink } from '../../src/ingest/memory-sink.js';
import { parseString } from '../../src/ingest/parse-string.js';
import { perfScript } from '../../src/ingest/perf-script-sched.js';
import { traceCmdReport } from '../../src/ingest/trace-cmd-report.js';
import type { ParseOptions } from '../../src/ingest/types.js';
import { messages } from '../../src/messages.js';
import { fixture, fixturePath } from '../helpers/fixtures.js';
import { fuzzTextFixture } from '../helpers/fuzz-text.js';
import { sinkToGolden } from '../helpers/golden.js';
import { hasRealTraces, realTrace } from '../helpers/real-traces.js';
import { oracleOnCpuSeconds } from '../helpers/sched-switch-oracle.js';
import { sniffText } from '../helpers/parse-checks.js';

const parse = (name: string, options: ParseOptions = {}): MemorySink =>
  parseString(traceCmdReport, fixture('trace-cmd-report', `${name}.txt`), options, `${name}.txt`);

const residencySeconds = (sink: MemorySink, vcpu: number): number =>
  sink.residencies.filter((r) => r.vcpu === vcpu).reduce((a, r) => a + (r.t1 - r.t0), 0);

const sniff = (text: string): number => sniffText(traceCmdReport, text);
describe('trace-cmd-report golden fixtures', () => {
  for (const name of ['real-instance', 'multi-file']) {
    it(name, async () => {
      await expect(sinkToGolden(parse(name))).toMatchFileSnapshot(fixturePath('trace-cmd-report', `${name}.expected.csv`));
      expect(sniff(fixture('trace-cmd-report', `${name}.txt`))).toBe(3);
    });
  }
});

describe('trace-cmd-report spot values', () => {
  it('real-instance: plugin rendering under the kvmspike: prefix', () => {
    const sink = parse('real-instance');
    // bash→CPU 0/KVM at 12611.842983, out at …843328; …880438 → …880585; …880597 → …880618.
    expect(residencySeconds(sink, 0)).toBeCloseTo((843328 - 842983 + 880585 - 880438 + 880618 - 880597) / 1e6, 12);
    expect(sink.facts.details).toMatchObject({ cpus: 2, traceClockStart: '12611.842507', records: 12 });
  });

  it('multi-file: CPUs are kept per input, a prefixed drop marker passes its input to the next line', () => {
    const sink = parse('multi-file', { extra: { vmByPid: { 38600: 'web01' }, vmName: 'web01' } });
    expect(sink.residencies).toEqual([
      { vm: 'web01', vcpu: 0, pcpu: 3, t0: 0, t1: expect.closeTo(0.000894877, 15) },
      { vm: 'web01', vcpu: 3, pcpu: 1, t0: expect.closeTo(0.000094877, 15), t1: expect.closeTo(0.002394877, 15) },
    ]);
    // vhost ran from 098000000 and was last seen at 098400000 before 12 records of CPU 3 were lost.
    expect(sink.ios).toEqual([{ vm: 'web01', t0: expect.closeTo(0.000894877, 15), t1: expect.closeTo(0.001294877, 15),
      kind: 'oncpu-vhost', ops: null, bytes: null }]);
    expect(sink.facts.details).toMatchObject({ traceCmdFileVersion: 6, cpusBySource: { 'host.dat': 4, 'guest.dat': 2 },
      lostEventMarkers: 1, spansCut: 1,
      spansOpenAtStart: 0, traceClockStart: '1212277.097105123' });
    expect(sink.warnings.map((w) => w.message)).toEqual([messages.tracepointEventsLost(1)]);
    expect(sink.skippedLines).toBe(0);
  });

  it('sniffs trace-cmd report only', () => {
    expect(sniff('cpus=8\nCPU:7 [204600 EVENTS DROPPED]\n           <...>-3979  [007]   217.975284: sched_stat_runtime:   comm=T pid=3979\n')).toBe(3);
    expect(sniff('cpus=2\n')).toBe(2);
    expect(sniff(fixture('perf-script', 'real-vcpu-start.txt'))).toBe(0);
    expect(sniff(fixture('ftrace', 'tgid-kernel.txt'))).toBe(0);
    expect(sniff(fixture('ftrace', 'pipe-no-debug-threads.txt'))).toBe(0);
    expect(sniff(fixture('perf-kvm-stat', 'report-vmexit.txt'))).toBe(0);
  });
});

describe.skipIf(!hasRealTraces)('trace-cmd-report on real traces (kvm-nested-2026-11-24)', () => {
  const kvm = (...parts: string[]): string => readFileSync(realTrace('kvm-nested-2026-11-24', ...parts), 'utf8');

  it('bundle c2_tracecmd.txt: vCPU residency equals an independent re-reading and the perf script recording', () => {
    const text = kvm('bundle-kvm-burn5', 'c2_tracecmd.txt');
    const sink = parseString(traceCmdReport, text, {}, 'c2_tracecmd.txt');
    expect(sink.skippedLines).toBe(0);
    expect(sink.facts.details).toMatchObject({ cpus: 2, records: 8627, traceClockStart: '12706.581616', lostEventMarkers: 0 });
    const oracle = oracleOnCpuSeconds(text);
    const c1 = parseString(perfScript, kvm('bundle-kvm-burn5', 'c1_perf_sched.txt'));
    for (const [vcpu, tid] of [[0, 31325], [1, 31330]] as const) {
      const mine = residencySeconds(sink, vcpu);
      expect(Math.abs(mine - oracle.get(tid)!.seconds)).toBeLessThanOrEqual(1e-9 * mine);
      // perf and the tracefs instance recorded the same switches with one clock: within 1 ms.
      expect(Math.abs(mine - residencySeconds(c1, vcpu))).toBeLessThan(1e-3);
    }
    expect(residencySeconds(sink, 0)).toBeCloseTo(6.959801, 6);
  });

  it.each(['kvm-burn20', 'tcg-burn20'])('samples/%s c2 vcpu-lines excerpt (no cpus= line) and head', (run) => {
    const text = kvm('samples', run, 'c2_tracecmd.vcpu-lines.txt');
    const sink = parseString(traceCmdReport, text, {}, 'vcpu-lines');
    expect(sink.skippedLines).toBe(0);
    const oracle = oracleOnCpuSeconds(text);
    const accel = run.startsWith('kvm') ? 'KVM' : 'TCG';
    for (const vcpu of [0, 1]) {
      const complete = sink.residencies.filter((r) => r.vcpu === vcpu && r.t0 > 0).reduce((a, r) => a + r.t1 - r.t0, 0);
      const tid = [...oracle].find(([, v]) => v.comms.has(`CPU ${vcpu}/${accel}`))?.[0];
      expect(complete).toBeCloseTo(tid === undefined ? 0 : oracle.get(tid)!.seconds, 9);
    }
    const head = parseString(traceCmdReport, kvm('samples', run, 'c2_tracecmd.txt'), {}, 'head');
    expect(head.skippedLines).toBe(0);
    expect(head.facts.details).toMatchObject({ cpus: 2, records: 39 });
  });
});

describe('trace-cmd-report fuzzing', () => {
  it('mutated fixtures parse or fail with a VheatError', () => {
    fuzzTextFixture(traceCmdReport, fixture('trace-cmd-report', 'multi-file.txt'));
  });
});
