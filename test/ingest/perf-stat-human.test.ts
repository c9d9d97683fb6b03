import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TraceParseError } from '../../src/errors.js';
import { humanNumber, plainNumber } from '../../src/ingest/perf-human-row.js';
import type { MemorySink } from '../../src/ingest/memory-sink.js';
import { parseString } from '../../src/ingest/parse-string.js';
import { perfStatHuman } from '../../src/ingest/perf-stat-human.js';
import type { SniffInput } from '../../src/ingest/types.js';
import { messages } from '../../src/messages.js';
import { fuzzTextFixture } from '../helpers/fuzz-text.js';
import { fixture, fixturePath } from '../helpers/fixtures.js';
import { sinkToGolden } from '../helpers/golden.js';
import { hasRealTraces, realTrace } from '../helpers/real-traces.js';

const parse = (name: string): MemorySink =>
  parseString(perfStatHuman, fixture('perf-stat-human', `${name}.txt`), {}, `${name}.txt`);

const sniffInput = (text: string): SniffInput => ({
  fileName: 'x', head: new TextEncoder().encode(text),
  lines: text.split('\n').filter((l) => l.trim() !== '').slice(0, 64),
});

const cases = ['totals-broken-line', 'totals-runs', 'totals-per-cpu', 'totals-comma-locale', 'totals-cgroup',
  'interval-global', 'interval-per-socket', 'interval-per-core', 'interval-per-thread'];

describe('perf-stat-human golden fixtures', () => {
  for (const name of cases) {
    it(name, async () => {
      const text = fixture('perf-stat-human', `${name}.txt`);
      const sink = parse(name);
      await expect(sinkToGolden(sink)).toMatchFileSnapshot(fixturePath('perf-stat-human', `${name}.expected.csv`));
      expect(perfStatHuman.sniff(sniffInput(text))).toBe(3);
    });
  }
});

describe('perf-stat-human numbers', () => {
  it('reads thousands separators and either decimal mark', () => {
    expect(humanNumber('229,570,665,834')).toBe(229570665834);
    expect(humanNumber('3,352.31')).toBe(3352.31);
    expect(humanNumber('1.234.567,89')).toBe(1234567.89);
    expect(humanNumber('0,05')).toBe(0.05);
    expect(humanNumber('1.234')).toBe(1234); // counters print 0 or 2 decimals, so 3 digits are a group
    expect(humanNumber("1'234.50")).toBe(1234.5);
    expect(humanNumber('12\u202f345,60')).toBe(12345.6);
    expect(humanNumber('1,234.567,8')).toBeNaN();
    expect(humanNumber('1,2,3')).toBeNaN();
    expect(plainNumber('0,000869161')).toBe(0.000869161);
    expect(plainNumber('1.501')).toBe(1.501);
  });
});

describe('perf-stat-human spot values', () => {
  it('joins records broken after the unit and skips build noise (perf 4.1, Haswell-EP shape)', () => {
    const sink = parse('totals-broken-line');
    expect(sink.energies).toEqual([
      { t0: 0, t1: 10.5, socket: null, domain: 'core', joules: 0 },
      { t0: 0, t1: 10.5, socket: null, domain: 'package', joules: 401.25 },
      { t0: 0, t1: 10.5, socket: null, domain: 'dram', joules: 12.5 },
    ]);
    expect(sink.samples.map((s) => [s.event, s.value, s.scope, s.enabled])).toEqual([
      ['cycles', 41234567890, 'host', 1], ['instructions', 52345678901, 'host', 1],
      ['uncore_imc_0/cas_count_read/', 1234.56, 'host', 1]]);
    expect(sink.skippedLines).toBe(4);
    expect(sink.facts.details).toMatchObject({ brokenRecords: 3, mode: 'totals', aggregation: 'global' });
  });

  it('lays consecutive runs end to end and keeps -r details', () => {
    const sink = parse('totals-runs');
    expect(sink.energies).toEqual([
      { t0: 0, t1: 60.002, socket: null, domain: 'package', joules: 3352.31 },
      { t0: 0, t1: 60.002, socket: null, domain: 'dram', joules: 4048.05 },
      { t0: 60.002, t1: 60.002 + 1.501, socket: null, domain: 'package', joules: 100 },
    ]);
    const cycles = sink.samples.filter((s) => s.event.startsWith('cycles'));
    expect(cycles.map((s) => [s.event, s.value, s.enabled])).toEqual([
      ['cycles', 229570665834, 0.6354], ['cycles [cpu_core]', 12345678, 36.46 / 100], ['cycles [cpu_atom]', null, 0]]);
    expect(sink.samples.find((s) => s.event === 'task-clock')?.value).toBe(1500.25);
    expect(sink.facts.details!.runs).toEqual([
      { target: 'system wide', repeats: 1, t0: 0, elapsedSeconds: 60.002 },
      { target: './bench', repeats: 5, t0: 60.002, elapsedSeconds: 1.501,
        variancePercent: { cycles: 0.83, 'task-clock': 0.1, 'power/energy-pkg/': 1.5, 'seconds time elapsed': 0.13 } },
    ]);
    // The gpu domain is <not supported>: no energy row, and no warning since nothing was measured.
    expect(sink.energies.some((e) => e.domain === 'gpu')).toBe(false);
    // Shell prompt + the NMI hint (4 lines).
    expect(sink.skippedLines).toBe(5);
  });

  it('maps -A rows to CPUs and RAPL on CPU0 to socket 0', () => {
    const sink = parse('totals-per-cpu');
    expect(sink.samples.map((s) => [s.scope, s.entity, s.cpu, s.value])).toEqual([
      ['cpu', 'CPU0', 0, 1000000], ['cpu', 'CPU1', 1, 900000]]);
    expect(sink.energies).toEqual([{ t0: 0, t1: 2, socket: 0, domain: 'package', joules: 25.5 }]);
  });

  it('reads a comma-decimal locale (V6)', () => {
    const sink = parse('totals-comma-locale');
    expect(sink.energies).toEqual([{ t0: 0, t1: 0.000869161, socket: null, domain: 'package', joules: 0.05 }]);
    expect(sink.samples[0]).toMatchObject({ event: 'cycles', value: 1234567, enabled: 0.6354 });
    expect(sink.facts.details).toMatchObject({ locale: 'decimal-comma' });
  });

  it('keeps -G cgroups as entities', () => {
    const sink = parse('totals-cgroup');
    expect(sink.samples.map((s) => [s.scope, s.entity, s.value])).toEqual([
      ['cgroup', 'machine.slice/machine-qemu\\x2d3\\x2dweb01.scope', 1234567], ['cgroup', 'system.slice', 7654]]);
    expect(sink.energies).toHaveLength(1);
  });

  it('takes -I stamps as interval ends and the # started on line as the anchor', () => {
    const sink = parse('interval-global');
    expect(sink.facts.startEpochSeconds).toBe(Date.UTC(2025, 2, 4, 10, 0, 1) / 1000);
    expect(sink.energies.map((e) => [e.t0, e.t1, e.domain, e.joules])).toEqual([
      [0, 0.100167441, 'core', 0.14], [0, 0.100167441, 'package', 1.25],
      [0.100167441, 0.200167441, 'core', 0.09], [0.100167441, 0.200167441, 'package', 1.2]]);
    expect(sink.samples).toHaveLength(4);
    expect(sink.skippedLines).toBe(0);
  });

  it('puts --per-socket RAPL on its socket', () => {
    const sink = parse('interval-per-socket');
    expect(sink.energies.filter((e) => e.t0 === 0).map((e) => [e.socket, e.joules])).toEqual([[0, 19.63], [1, 18.41]]);
    expect(sink.samples.filter((s) => s.t0 === 0).map((s) => [s.scope, s.entity, s.value]))
      .toEqual([['socket', 'S0', 2e9], ['socket', 'S1', 1e9]]);
  });

  it('reads --per-die and --per-node prefixes', () => {
    const row = (id: string, value: string, rest: string): string => `     1.000100000 ${id.padEnd(12)} 4 ${value.padStart(18)} ${rest}\n`;
    const sink = parseString(perfStatHuman, `${row('S1-D0', '7.25', 'Joules power/energy-pkg/')}${row('N1', '1,000', '     cycles')}`);
    expect(sink.energies).toEqual([{ t0: 0, t1: 1.0001, socket: 1, domain: 'package', joules: 7.25 }]);
    expect(sink.samples.map((s) => [s.scope, s.entity, s.value])).toEqual([['node', 'N1', 1000]]);
  });

  it('drops V5 per-core RAPL rows with nr 0 silently, keeps uncounted counters as null', () => {
    const sink = parse('interval-per-core');
    expect(sink.energies).toEqual([{ t0: 0, t1: 1.000512345, socket: 0, domain: 'package', joules: 3.73 }]);
    expect(sink.samples.map((s) => [s.entity, s.value, s.enabled])).toEqual([['S0-D0-C0', 1234567, 1], ['S0-D0-C1', null, null]]);
    expect(sink.warnings).toEqual([]);
  });

  it('maps --per-thread qemu vCPU threads to vcpu scope', () => {
    const sink = parse('interval-per-thread');
    expect(sink.samples.slice(0, 4).map((s) => [s.scope, s.entity, s.value])).toEqual([
      ['vcpu', 'CPU 0/KVM-4187', 5000000], ['vcpu', 'CPU 1/KVM-4188', null],
      ['thread', 'IO mon_iothread-4186', 1000], ['thread', 'qemu-system-x86-4180', 2500]]);
    expect(sink.facts.details).toMatchObject({ mode: 'interval', aggregation: 'thread' });
  });

  it('ignores the end-of-run summary after interval rows', () => {
    const text = `${fixture('perf-stat-human', 'interval-global.txt')}\n Performance counter stats for 'system wide':\n\n${
      ' '.repeat(10)}2.45 Joules power/energy-pkg/\n\n       0.200000000 seconds time elapsed\n`;
    const sink = parseString(perfStatHuman, text);
    expect(sink.energies).toHaveLength(4);
    expect(sink.facts.details).toMatchObject({ summaryRowsIgnored: 1 });
  });

  it('sniffs only human perf output', () => {
    expect(perfStatHuman.sniff(sniffInput('     1.001048308,19.63,Joules,power/energy-pkg/,2002406532,100.00,,\n'))).toBe(0);
    expect(perfStatHuman.sniff(sniffInput('turbostat version 2024.12.03\nCore\tCPU\tAvg_MHz\n'))).toBe(0);
    expect(perfStatHuman.sniff(sniffInput('     0,000869161 seconds time elapsed\n'))).toBe(2);
  });
});

describe('perf-stat-human errors', () => {
  const fails = (text: string, code: string, line?: number): void => {
    let error: unknown;
    try {
      parseString(perfStatHuman, text, {}, 'bad.txt');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(TraceParseError);
    expect((error as TraceParseError).code).toBe(code);
    if (line !== undefined) expect((error as TraceParseError).context).toMatchObject({ file: 'bad.txt', line });
  };
  const row = (value: string, rest: string): string => `${value.padStart(18)} ${rest}\n`;
  it('rejects a malformed value', () => fails(row('1,23,4', '     cycles'), 'perf-stat-human.badNumber', 1));
  it('rejects a broken record whose event line is missing', () =>
    fails(`${row('1.00', 'Joules')}\n`, 'perf-stat-human.brokenRecord', 2));
  it('rejects stamps going backwards', () =>
    fails(`     2.000000000 ${row('5', '     cycles')}     1.000000000 ${row('5', '     cycles')}`, 'perf-stat-human.timeBackwards', 2));
  it('rejects a file without counter rows', () => fails('hello\n\n', 'perf-stat-human.noRecords'));
  it('warns about a broken record cut off at the end of the file', () => {
    const sink = parseString(perfStatHuman, `${row('5', '     cycles')}${row('1.00', 'Joules')}`);
    expect(sink.warnings).toEqual([{ message: messages.truncatedRecord('perf stat record'), line: 2 }]);
    expect(sink.samples).toHaveLength(1);
  });
});

describe('perf-stat-human fuzzing', () => {
  for (const name of ['totals-broken-line', 'totals-runs', 'interval-per-thread']) {
    it(`${name}: truncation at any byte, byte flips, shuffled and duplicated lines`, () => {
      fuzzTextFixture(perfStatHuman, fixture('perf-stat-human', `${name}.txt`));
    });
  }
});

/**
 * Independent re-read of a totals file: glue a unit line to its event line, then take every
 * `<number> Joules power/energy-<domain>/` and every `seconds time elapsed`.
 */
function reread(text: string): { joules: Map<string, number>; elapsed: number[]; counters: number } {
  const glued = text.replace(/Joules[ \t]*\r?\n[ \t]*power/g, 'Joules power');
  const joules = new Map<string, number>();
  for (const m of glued.matchAll(/^ *([\d,]+\.\d\d) Joules power\/energy-(\w+)\//gm)) {
    joules.set(m[2]!, (joules.get(m[2]!) ?? 0) + Number(m[1]!.replaceAll(',', '')));
  }
  const elapsed = [...glued.matchAll(/^ *([\d.]+) seconds time elapsed/gm)].map((m) => Number(m[1]));
  const counters = [...glued.matchAll(/^ {2,}[\d,.]+ +(MiB +)?[a-z_][\w/-]*\/? *(#.*)?(\(\d+\.\d\d%\))? *$/gm)].length;
  return { joules, elapsed, counters };
}

const domainOf: Record<string, string> = { pkg: 'package', cores: 'core', ram: 'dram' };

describe.skipIf(!hasRealTraces)('perf-stat-human on real traces', () => {
  const root = realTrace('rapl-validation-run-totals');
  const files = hasRealTraces
    ? ['haswell-i7', 'haswell-ep'].flatMap((m) => readdirSync(join(root, m)).flatMap((b) =>
      readdirSync(join(root, m, b)).filter((f) => /\.perf\.\d+$/.test(f)).map((f) => join(root, m, b, f))))
    : [];

  it('rapl-validation-run-totals: 130 runs, energy per domain matches an independent re-read to 1e-9', () => {
    expect(files).toHaveLength(130);
    const total = new Map<string, { got: number; ref: number }>();
    let broken = 0;
    for (const path of files) {
      const text = readFileSync(path, 'utf8');
      const sink = parseString(perfStatHuman, text, {}, path);
      const ref = reread(text);
      expect(ref.elapsed).toHaveLength(1);
      expect(sink.energies.map((e) => e.t1)).toEqual([ref.elapsed[0], ref.elapsed[0], ref.elapsed[0]]);
      expect(sink.samples).toHaveLength(ref.counters);
      expect(sink.samples).toHaveLength(6);
      for (const [d, j] of ref.joules) {
        const acc = total.get(d) ?? { got: 0, ref: 0 };
        acc.ref += j;
        acc.got += sink.energies.filter((e) => e.domain === domainOf[d]).reduce((s, e) => s + e.joules, 0);
        total.set(d, acc);
      }
      broken += (sink.facts.details!.brokenRecords as number | undefined) ?? 0;
      expect(sink.warnings).toEqual([]);
    }
    expect([...total.keys()].sort()).toEqual(['cores', 'pkg', 'ram']);
    for (const { got, ref } of total.values()) expect(Math.abs(got - ref) / ref).toBeLessThan(1e-9);
    expect(broken).toBe(60 * 3); // 6 Haswell-EP benchmarks × 10 runs × 3 RAPL domains
  });

  it('rapl-validation-run-totals: DRAM energy and duration agree with the authors\' rapl_results', () => {
    for (const machine of ['haswell-i7', 'haswell-ep']) {
      for (const bench of readdirSync(join(root, machine))) {
        const results = readFileSync(join(root, machine, bench, 'rapl_results'), 'utf8');
        for (const m of results.matchAll(/^Trace (\d+) ([\d.]+)J, ([\d.]+) seconds/gm)) {
          const path = join(root, machine, bench, `${bench}.perf.${m[1]}`);
          const sink = parseString(perfStatHuman, readFileSync(path, 'utf8'), {}, path);
          const dram = sink.energies.find((e) => e.domain === 'dram')!;
          expect(dram.joules).toBeCloseTo(Number(m[2]), 9);
          expect(dram.t1).toBeCloseTo(Number(m[3]), 5);
        }
      }
    }
  });

  it('haswell-i7 gcc_papi run 1: spot values', () => {
    const path = join(root, 'haswell-i7', 'gcc_papi', 'gcc_papi.perf.1');
    const sink = parseString(perfStatHuman, readFileSync(path, 'utf8'), {}, path);
    expect(sink.samples.map((s) => [s.event, s.value])).toEqual([
      ['cycles', 91342970384], ['instructions', 115056104447], ['cache-misses', 157256609],
      ['cache-references', 910082412], ['uncore_imc/data_reads/', 13997.33], ['uncore_imc/data_writes/', 9842.75]]);
    expect(sink.energies.map((e) => [e.domain, e.joules, e.t1])).toEqual([
      ['core', 270.85, 8.904992494], ['package', 337.67, 8.904992494], ['dram', 10.2, 8.904992494]]);
    expect(sink.skippedLines).toBe(24); // compiler output before the run
  });

  it('peakler idle: three 60 s runs with thousands separators, end to end', () => {
    const path = realTrace('peakler-stress-ng-rapl', 'perf.kube-worker-68-idle-power.stat');
    const text = readFileSync(path, 'utf8');
    const sink = parseString(perfStatHuman, text, {}, path);
    const ref = [...text.matchAll(/^ *([\d,]+\.\d\d) Joules power\/energy-(pkg|ram)\//gm)];
    expect(sink.energies.map((e) => e.joules)).toEqual(ref.map((m) => Number(m[1]!.replaceAll(',', ''))));
    const ends = [60.002888474, 60.002888474 + 60.002917793, 60.002888474 + 60.002917793 + 60.002906953];
    expect(sink.energies.map((e) => e.t1)).toEqual([ends[0], ends[0], ends[1], ends[1], ends[2], ends[2]]);
    expect(sink.energies[2]!.t0).toBe(ends[0]);
    expect(sink.skippedLines).toBe(1); // the shell prompt line
    expect(sink.facts.details).toMatchObject({ appendedBlocks: 2 });
  });
});
