import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { MemorySink } from '../../src/ingest/memory-sink.js';
import { parseString } from '../../src/ingest/parse-string.js';
import { perfStatCsv } from '../../src/ingest/perf-stat-csv.js';
import type { ParseOptions, Topology } from '../../src/ingest/types.js';
import { messages } from '../../src/messages.js';
import { fixture, fixturePath } from '../helpers/fixtures.js';
import { fuzzTextFixture } from '../helpers/fuzz-text.js';
import { errorOf, sniffText } from '../helpers/parse-checks.js';
import { sinkToGolden } from '../helpers/golden.js';
import { hasRealTraces, realTrace } from '../helpers/real-traces.js';

/** 2 sockets × 10 cores × 2 threads, socket-major: CPU20 is the first CPU of socket 1. */
const twoSockets: Topology = { sockets: 2, coresPerSocket: 10, threadsPerCore: 2 };

const parseText = (text: string, options: ParseOptions = {}): MemorySink =>
  parseString(perfStatCsv, text, options, 'test.csv');
const parse = (name: string, options: ParseOptions = {}): MemorySink =>
  parseString(perfStatCsv, fixture('perf-stat-csv', `${name}.csv`), options, `${name}.csv`);
const sniff = (text: string): number => sniffText(perfStatCsv, text);

const cases: Record<string, ParseOptions> = {
  'interval-global': {},
  'percpu-rapl': { topology: twoSockets },
  'per-socket-totals': {},
  'per-core-old': {},
  'per-die-node-cluster-cache': {},
  'per-thread': {},
  cgroup: {},
  'cgroup-percpu': {},
  'semicolon-decimal-comma': {},
  'comma-decimal-comma': {},
  tab: {},
  'colon-tracepoints': {},
  'pipe-raw-event': {},
  'raw-event-comma': {},
  'variance-totals': {},
  summary: {},
  'no-csv-summary': {},
  'metric-only': {},
  'split-records': {},
  append: {},
};

describe('perf-stat-csv golden fixtures', () => {
  for (const [name, options] of Object.entries(cases)) {
    it(name, async () => {
      await expect(sinkToGolden(parse(name, options))).toMatchFileSnapshot(fixturePath('perf-stat-csv', `${name}.expected.csv`));
      expect(sniff(fixture('perf-stat-csv', `${name}.csv`))).toBeGreaterThanOrEqual(1);
    });
  }
});

describe('perf-stat-csv spot values', () => {
  it('maps interval stamps, the ctime anchor, multiplexing and missing values (global -I)', () => {
    const sink = parse('interval-global');
    expect(sink.facts.startEpochSeconds).toBe(Date.UTC(2025, 2, 4, 10, 0, 1) / 1000);
    expect(sink.facts.details).toMatchObject({ separator: ',', interval: true, aggregation: 'global', locale: 'C' });
    expect(sink.samples[0]).toEqual({ t0: 0, t1: 1.001048308, scope: 'host', entity: 'host', cpu: null,
      event: 'cycles', value: 2201234567, enabled: 0.6354 });
    // `<not supported>` and `<not counted>` are missing values, never 0; the continuation line is no sample.
    expect(sink.samples.filter((s) => s.event === 'instructions:G').map((s) => [s.value, s.enabled]))
      .toEqual([[null, 1], [null, 0], [null, 0]]);
    expect(sink.samples).toHaveLength(6);
    // Partial last interval: Δt = 2.500120001 − 2.002369058.
    expect(sink.energies.at(-2)).toEqual({ t0: 2.002369058, t1: 2.500120001, socket: null, domain: 'package', joules: 9.61 });
    expect(sink.skippedLines).toBe(5); // WARNING, NMI hint and its 3 indented lines
  });

  it('maps -A RAPL rows to sockets through the topology, or warns without one', () => {
    const withTopology = parse('percpu-rapl', { topology: twoSockets });
    expect(withTopology.energies.map((e) => e.socket)).toEqual([0, 1, 0, 1, 0, 1, 0, 1]);
    expect(withTopology.warnings).toEqual([]);
    // msr/ events are ordinary samples (thermal margin in C, not a temperature row).
    expect(withTopology.samples.filter((s) => s.event === 'msr/cpu_thermal_margin/').map((s) => s.value)).toEqual([57, 56]);
    const interleaved = parse('percpu-rapl', { topology: { ...twoSockets, cpuSocket: Array.from({ length: 40 }, (_, c) => (c >= 20 ? 0 : 1)) } });
    expect(interleaved.energies.map((e) => e.socket)).toEqual([1, 0, 1, 0, 1, 0, 1, 0]);
    const bare = parse('percpu-rapl');
    expect(bare.energies.map((e) => e.socket)).toEqual([0, null, 0, null, 0, null, 0, null]);
    expect(bare.warnings).toEqual([{ message: messages.perfEnergyNoSocket('CPU20'), line: 11 }]);
  });

  it('stores a totals block over [0, duration_time] and flags an unknown duration', () => {
    const sink = parse('per-socket-totals');
    expect(new Set(sink.samples.map((s) => s.t1))).toEqual(new Set([450.266015517]));
    expect(sink.energies.map((e) => [e.socket, e.domain, e.joules])).toEqual([
      [0, 'package', 485.05], [1, 'package', 470.1], [0, 'dram', 61.2], [1, 'dram', 58.7]]);
    expect(sink.facts.details.durationUnknown).toBeUndefined();
    const unknown = parse('variance-totals');
    expect(unknown.facts.details).toMatchObject({ durationUnknown: true, variance: true });
    expect(unknown.samples.map((s) => [s.t0, s.t1, s.value, s.enabled])).toEqual([[0, 0, 1234.56, 1], [0, 0, 7303786493, 0.975]]);
  });

  it('drops older --per-core nr=0 package rows silently and per-thread/cgroup energy with a warning', () => {
    const perCore = parse('per-core-old');
    expect(perCore.energies).toEqual([{ t0: 0, t1: 0, socket: 0, domain: 'package', joules: 3.73 }]);
    expect(perCore.warnings).toEqual([]);
    const thread = parse('per-thread');
    expect(thread.energies).toEqual([]);
    expect(thread.warnings).toEqual([{ message: messages.perfEnergyNotAttributable('vcpu', 'power/energy-pkg/'), line: 9 }]);
    const cgroup = parse('cgroup');
    expect(cgroup.energies.map((e) => e.joules)).toEqual([9.9, 9.8]); // empty cgroup field: host energy
    expect(cgroup.warnings).toEqual([{ message: messages.perfEnergyNotAttributable('cgroup', 'power/energy-pkg/'), line: 5 }]);
  });

  it('maps every aggregation id form to scope, entity and cpu', () => {
    const ids = (name: string): string[] => parse(name).samples.map((s) => `${s.scope}|${s.entity}|${s.cpu}`);
    expect(ids('per-die-node-cluster-cache')).toEqual(['die|S0-D0|null', 'die|S0-D1|null', 'core|S0-D0-CLS1|null',
      'core|S0-D0-L3-ID0|null', 'node|N1|null', 'core|S1-D0-C3|null']);
    expect(new Set(ids('per-thread'))).toEqual(new Set(['vcpu|CPU 0/KVM-31325|null', 'thread|call_rcu-31319|null',
      'thread|qemu-system-x86-31316|null', 'vcpu|CPU 1/KVM-31330|null', 'thread|qemu-system-x86-28300|null',
      'thread|vhost-2931-2953|null', 'vcpu|CPU 1/TCG-2954|null']));
    expect(ids('cgroup-percpu')).toEqual(['cgroup|kvmspike|1', 'cgroup|kvmspike|0', 'cgroup|kvmspike|1']);
    expect(ids('cgroup')).toContain('cgroup|machine.slice/machine-qemu\\x2d3\\x2dweb01.scope/libvirt/vcpu0|null');
  });

  it('hands the sink one string instance per entity and event', () => {
    const sink = parse('percpu-rapl', { topology: twoSockets });
    const cpu0 = sink.samples.filter((s) => s.entity === 'CPU0');
    expect(cpu0.every((s) => Object.is(s.entity, cpu0[0]!.entity))).toBe(true);
  });

  it('re-joins comma-decimal values under -x, and reads them under -x;', () => {
    for (const name of ['comma-decimal-comma', 'semicolon-decimal-comma']) {
      const sink = parse(name);
      expect(sink.facts.details.locale).toBe('decimal-comma');
      expect(sink.energies.map((e) => e.joules)).toEqual([19.63, 18.07]);
      expect(sink.samples.find((s) => s.event === 'cycles')?.enabled).toBe(0.5025);
    }
    expect(parse('comma-decimal-comma').samples.filter((s) => s.event === 'task-clock').map((s) => s.value)).toEqual([25.4, 26]);
  });

  it('keeps separators inside event names (raw PMU terms, tracepoints under -x:)', () => {
    expect(parse('raw-event-comma').samples.map((s) => s.event)).toEqual([
      'cpu/event=0x3c,umask=0x0/', 'cpu/event=0xc0,umask=0x0/u', 'power/energy-foo/', 'duration_time']);
    expect(parse('colon-tracepoints').samples.map((s) => s.event).slice(0, 3)).toEqual(['kvm:kvm_exit', 'kvm:kvm_emulate_insn', 'cycles:u']);
    expect(parse('pipe-raw-event').samples[0]!.event).toBe('cpu/event=0x3c,umask=0x0/');
    expect(parse('raw-event-comma').energies.map((e) => e.domain)).toEqual(['psys', 'gpu', 'uncore']);
  });

  it('ignores summary rows (they repeat the interval totals) with or without the keyword', () => {
    expect(parse('summary').facts.details.summaryRowsIgnored).toBe(2);
    expect(parse('summary').energies.map((e) => e.joules)).toEqual([0.55, 0.56]);
    expect(parse('no-csv-summary').samples).toHaveLength(2);
  });

  it('stores --metric-only columns as metric: samples and skips repeated headers', () => {
    const sink = parse('metric-only');
    expect(sink.facts.details).toMatchObject({ metricOnly: true, interval: true });
    expect(sink.samples.filter((s) => s.entity === 'S1').map((s) => [s.event, s.value, s.t1])).toEqual([
      ['metric:insn per cycle', 0.29, 1.001], ['metric:GHz', null, 1.001], ['metric:insn per cycle', 0.3, 2.002], ['metric:GHz', 2, 2.002]]);
    const text = fixture('perf-stat-csv', 'metric-only.csv');
    expect(parseText(`${text}WARNING: foreign\n`).skippedLines).toBe(1);
    expect(errorOf(() => parseText(`${text}     3.003000000,S0,20,0.31,\n`))).toMatchObject({ code: 'perf-stat-csv.fieldCount', context: { line: 9 } });
    expect(errorOf(() => parseText(`${text}     3.003000000,S0,20,x,1.0,\n`))).toMatchObject({ code: 'perf-stat-csv.fieldCount' });
  });

  it('joins records perf 4.1 split after the unit, and offsets --append blocks by their start', () => {
    expect(parse('split-records').energies.map((e) => [e.t0, e.t1, e.joules])).toEqual([
      [0, 0.100170268, 0.161438], [0.100170268, 0.200420566, 0.178223], [0.200420566, 0.300120566, 0.170001]]);
    expect(parse('append').energies.map((e) => [e.t0, e.t1])).toEqual([
      [0, 1.0001], [1.0001, 2.0001], [60, 61.0002], [61.0002, 62.0002]]);
  });

  it('throws located errors for broken rows, and warns on a last line cut short', () => {
    const head = '# started on Tue Mar  4 10:00:01 2025\n\n     1.000000000,5,,cycles,100,100.00,,\n';
    expect(errorOf(() => parseText(`${head}     0.500000000,5,,cycles,100,100.00,,\n`)))
      .toMatchObject({ code: 'perf-stat-csv.timeBackwards', context: { line: 4 } });
    expect(errorOf(() => parseText(`${head}     2.000000000,abc,,cycles,100,100.00,,\n`)))
      .toMatchObject({ code: 'perf-stat-csv.value', message: messages.badNumber('the counter value', 'abc') });
    expect(errorOf(() => parseText(`${head}     2.000000000,5,,cycles\n     2.000000000,6,,instructions,100,100.00,,\n`)))
      .toMatchObject({ code: 'perf-stat-csv.fieldCount', context: { line: 4, file: 'test.csv' } });
    expect(errorOf(() => parseText('1.000000000,CPU0,5,,cycles,100,100.00,,\n1.000000000,S0-X,5,,cycles,100,100.00,,\n')))
      .toMatchObject({ code: 'perf-stat-csv.id', message: messages.perfBadId('S0-X') });
    expect(errorOf(() => parseText('WARNING: nothing here\n'))).toMatchObject({ code: 'perf-stat-csv.noRecords' });
    const cut = parseText(`${head}     2.000000000,5,,cyc`);
    expect(cut.samples).toHaveLength(1);
    expect(cut.warnings).toEqual([{ message: messages.truncatedRecord('perf stat row'), line: 4 }]);
  });

  it('sniffs perf CSV only', () => {
    expect(sniff(fixture('perf-stat-csv', 'interval-global.csv'))).toBe(3);
    expect(sniff(fixture('perf-stat-csv', 'per-core-old.csv'))).toBe(2);
    expect(sniff(fixture('perf-stat-csv', 'metric-only.csv'))).toBe(3);
    expect(sniff(fixture('perf-stat-json', 'interval-percpu.json'))).toBe(0);
    expect(sniff('\n Performance counter stats for \'system wide\':\n\n          3,352.31 Joules power/energy-pkg/\n')).toBe(0);
    expect(sniff('#           time             counts unit events\n     1.001048308              19.63 Joules power/energy-pkg/\n')).toBe(0);
    expect(sniff('1440102987,25.7, 121.1, 21.1, 0.0, 0.0\n0.475066,0.533958,0.530619,-5.12333,\n')).toBe(0);
    expect(sniff('Core\tCPU\tAvg_MHz\tBusy%\tBzy_MHz\n-\t-\t10\t0.5\t2000\n')).toBe(0);
  });

  it('survives truncation, byte flips and shuffled lines', () => {
    fuzzTextFixture(perfStatCsv, fixture('perf-stat-csv', 'interval-global.csv'));
    fuzzTextFixture(perfStatCsv, fixture('perf-stat-csv', 'comma-decimal-comma.csv'), {}, 100);
    fuzzTextFixture(perfStatCsv, fixture('perf-stat-csv', 'metric-only.csv'), {}, 100);
    fuzzTextFixture(perfStatCsv, fixture('perf-stat-csv', 'cgroup-percpu.csv'), { topology: twoSockets }, 100);
  });
});

/** Independent re-read of a perf CSV file: plain split on ',', RAPL rows summed per event. */
function rawJoules(text: string): Map<string, { rows: number; joules: number }> {
  const sums = new Map<string, { rows: number; joules: number }>();
  for (const m of text.replace(/Joules\n,/g, 'Joules,').matchAll(/^[^\n]*?,([\d.]+),Joules,(power\/energy-\w+\/),/gm)) {
    const s = sums.get(m[2]!) ?? { rows: 0, joules: 0 };
    s.rows++;
    s.joules += Number(m[1]);
    sums.set(m[2]!, s);
  }
  return sums;
}

const DOMAIN: Record<string, string> = { 'power/energy-pkg/': 'package', 'power/energy-cores/': 'core', 'power/energy-ram/': 'dram' };

describe.skipIf(!hasRealTraces)('perf-stat-csv on real traces', () => {
  const raplFiles = [
    ...readdirSync(realTrace('rapl-validation-haswell-i5')).filter((f) => f.endsWith('.perf')).map((f) => `rapl-validation-haswell-i5/${f}`),
    ...readdirSync(realTrace('rapl-validation-haswell-ep-phase')).filter((f) => f.endsWith('.perf.phase')).map((f) => `rapl-validation-haswell-ep-phase/${f}`),
  ];
  it.each(raplFiles)('%s: energy per domain matches an independent re-read to 1e-9', (name) => {
    const text = readFileSync(realTrace(...name.split('/')), 'utf8');
    const sink = parseString(perfStatCsv, text, {}, name);
    const raw = rawJoules(text);
    expect(raw.size).toBeGreaterThan(0);
    for (const [event, { rows, joules }] of raw) {
      const mine = sink.energies.filter((e) => e.domain === DOMAIN[event]);
      expect(mine).toHaveLength(rows);
      const total = mine.reduce((a, e) => a + e.joules, 0);
      expect(Math.abs(total - joules) / joules).toBeLessThan(1e-9);
    }
    const lines = text.split('\n').filter((l) => /^ *\d+\.\d{9},/.test(l)).length;
    expect(sink.samples.length + sink.energies.length).toBe(lines);
    expect(sink.skippedLines).toBe(0);
    expect(sink.warnings).toEqual([]);
    const lastStamp = Number(/^ *(\d+\.\d{9}),/m.exec(text.trimEnd().split('\n').filter((l) => /^ *\d/.test(l)).at(-1)!)![1]);
    expect(sink.energies.at(-1)!.t1).toBe(lastStamp);
  });

  it('hpl_mkl (Haswell i5): hand-checked first interval and mean package power', () => {
    const sink = parseString(perfStatCsv, readFileSync(realTrace('rapl-validation-haswell-i5', 'hpl_mkl.perf')), {}, 'hpl_mkl.perf');
    expect(sink.samples.slice(0, 2).map((s) => [s.t0, s.t1, s.event, s.value])).toEqual([
      [0, 0.100571655, 'cycles', 7872215], [0, 0.100571655, 'instructions', 4554978]]);
    expect(sink.energies.slice(0, 3).map((e) => [e.domain, e.joules])).toEqual([['core', 0.005676], ['package', 0.927496], ['dram', 0.156494]]);
    const pkg = sink.energies.filter((e) => e.domain === 'package');
    const watts = pkg.reduce((a, e) => a + e.joules, 0) / pkg.at(-1)!.t1;
    expect(watts).toBeGreaterThan(40); // PROVENANCE: mean package ≈ 47 W
    expect(watts).toBeLessThan(55);
  });

  const kvm = 'kvm-nested-2026-11-24';
  const kvmFiles = [
    ...readdirSync(realTrace(kvm, 'bundle-kvm-burn5')).filter((f) => f.endsWith('.csv')).map((f) => `bundle-kvm-burn5/${f}`),
    ...['kvm-burn20', 'tcg-burn20'].flatMap((run) => readdirSync(realTrace(kvm, 'samples', run))
      .filter((f) => f.endsWith('.csv')).map((f) => `samples/${run}/${f}`)),
  ];
  it.each(kvmFiles)('%s: one sample per row, values as in the file', (name) => {
    const text = readFileSync(realTrace(kvm, ...name.split('/')), 'utf8');
    const sink = parseString(perfStatCsv, text, {}, name);
    const rows = text.split('\n').filter((l) => /^ *\d+\.\d{9},/.test(l));
    expect(sink.samples).toHaveLength(rows.length);
    expect(sink.energies).toEqual([]);
    expect(sink.skippedLines).toBe(0);
    // Independent total: the value field is the 2nd, 3rd or 4th depending on the id/cgroup columns.
    const valueField = name.includes('thread') || name.includes('percpu') ? 2 : 1;
    const rawTotal = rows.reduce((a, l) => a + (Number(l.split(',')[valueField]) || 0), 0);
    const mine = sink.samples.reduce((a, s) => a + (s.value ?? 0), 0);
    expect(Math.abs(mine - rawTotal)).toBeLessThanOrEqual(1e-9 * Math.max(1, rawTotal));
    const started = /^# started on (.*)$/m.exec(text);
    if (started) expect(sink.facts.startEpochSeconds).toBe(Date.parse(`${started[1]} UTC`) / 1000);
  });

  it('a1 per-thread: vCPU threads get scope vcpu, task-clock per vCPU sums as in the file', () => {
    const text = readFileSync(realTrace(kvm, 'bundle-kvm-burn5', 'a1_perfstat_thread.csv'), 'utf8');
    const sink = parseString(perfStatCsv, text, {}, 'a1');
    const vcpu0 = sink.samples.filter((s) => s.entity === 'CPU 0/KVM-31325' && s.event === 'task-clock');
    expect(vcpu0.every((s) => s.scope === 'vcpu')).toBe(true);
    const raw = text.split('\n').filter((l) => l.includes(',CPU 0/KVM-31325,') && l.includes(',task-clock,'))
      .reduce((a, l) => a + (Number(l.split(',')[2]) || 0), 0);
    expect(vcpu0.reduce((a, s) => a + (s.value ?? 0), 0)).toBeCloseTo(raw, 9);
    expect(new Set(sink.samples.map((s) => s.scope))).toEqual(new Set(['vcpu', 'thread']));
  });

  it('e2 cgroup -A: scope cgroup, entity the cgroup path, cpu kept', () => {
    const sink = parseString(perfStatCsv, readFileSync(realTrace(kvm, 'bundle-kvm-burn5', 'e2_perfstat_cgroup_percpu.csv')), {}, 'e2');
    expect(new Set(sink.samples.map((s) => `${s.scope}|${s.entity}|${s.cpu}`))).toEqual(new Set(['cgroup|kvmspike|0', 'cgroup|kvmspike|1']));
    expect(sink.facts.details).toMatchObject({ aggregation: 'cpu', cgroup: true });
  });

  it('peakler idle .stat is human-readable perf output, not CSV', () => {
    const text = readFileSync(realTrace('peakler-stress-ng-rapl', 'perf.kube-worker-68-idle-power.stat'), 'utf8');
    expect(sniff(text)).toBe(0);
    expect(errorOf(() => parseString(perfStatCsv, text))).toMatchObject({ code: 'perf-stat-csv.noRecords' });
  });
});
