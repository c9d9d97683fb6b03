import { describe, expect, it } from 'vitest';
import type { MemorySink } from '../../src/ingest/memory-sink.js';
import { parseString } from '../../src/ingest/parse-string.js';
import { perfStatCsv } from '../../src/ingest/perf-stat-csv.js';
import { jsonObjectTexts, perfStatJson } from '../../src/ingest/perf-stat-json.js';
import type { ParseOptions, Topology } from '../../src/ingest/types.js';
import { messages } from '../../src/messages.js';
import { fixture, fixturePath } from '../helpers/fixtures.js';
import { fuzzTextFixture } from '../helpers/fuzz-text.js';
import { errorOf, sniffText } from '../helpers/parse-checks.js';
import { sinkToGolden } from '../helpers/golden.js';

const twoSockets: Topology = { sockets: 2, coresPerSocket: 10, threadsPerCore: 2 };

const parse = (name: string, options: ParseOptions = {}): MemorySink =>
  parseString(perfStatJson, fixture('perf-stat-json', `${name}.json`), options, `${name}.json`);
const parseText = (text: string): MemorySink => parseString(perfStatJson, text, {}, 'test.json');
const sniff = (text: string): number => sniffText(perfStatJson, text);

const cases: Record<string, ParseOptions> = {
  'global-newer': {},
  'per-core-older': {},
  'interval-percpu': { topology: twoSockets },
  'thread-cgroup': {},
  'metric-only': {},
  'glued-runtime': {},
};

describe('perf-stat-json golden fixtures', () => {
  for (const [name, options] of Object.entries(cases)) {
    it(name, async () => {
      await expect(sinkToGolden(parse(name, options))).toMatchFileSnapshot(fixturePath('perf-stat-json', `${name}.expected.csv`));
      expect(sniff(fixture('perf-stat-json', `${name}.json`))).toBeGreaterThanOrEqual(2);
    });
  }
});

describe('perf-stat-json spot values', () => {
  it('reads string values and metrics (V7), skips extra-metric objects, times totals by duration_time', () => {
    const sink = parse('global-newer');
    expect(sink.samples[0]).toEqual({ t0: 0, t1: 1.001234567, scope: 'host', entity: 'host', cpu: null,
      event: 'cpu-clock', value: 225904.823297, enabled: 1 });
    expect(sink.samples.find((s) => s.event === 'cycles:u')?.value).toBeNull();
    expect(sink.samples.find((s) => s.event === 'TOPDOWN.SLOTS')?.enabled).toBe(0.625);
    expect(sink.samples).toHaveLength(5); // the tma_frontend_bound extra metric is no sample
    expect(sink.energies).toEqual([{ t0: 0, t1: 1.001234567, socket: null, domain: 'package', joules: 485.05 }]);
  });

  it('reads older aggregate-number objects (V8), several per line and with a trailing ", }"', () => {
    const sink = parse('per-core-older');
    expect(sink.samples.map((s) => [s.entity, s.event, s.value])).toEqual([
      ['S0-D0-C15', 'instructions', 233533], ['S0-D0-C14', 'instructions', 200000], ['S0-D0-C15', 'cycles', 783891]]);
    // nr = 0 `<not counted>` package rows are dropped without a warning (V5).
    expect(sink.energies).toEqual([{ t0: 0, t1: 0, socket: 0, domain: 'package', joules: 3.73 }]);
    expect(sink.warnings).toEqual([]);
    expect(sink.facts.details).toMatchObject({ aggregation: 'core', durationUnknown: true });
  });

  it('maps interval objects with cpu strings and the (null) unit bug (V9) like the CSV rows', () => {
    const sink = parse('interval-percpu', { topology: twoSockets });
    expect(sink.facts.startEpochSeconds).toBe(Date.UTC(2025, 2, 4, 10, 0, 1) / 1000);
    expect(sink.samples.map((s) => [s.t0, s.t1, s.entity, s.cpu, s.value, s.enabled])).toEqual([
      [0, 1.001089747, 'CPU0', 0, 85715898, 1], [0, 1.001089747, 'CPU20', 20, 75715898, 0.5],
      [1.001089747, 2.002369058, 'CPU0', 0, 85000000, 1], [1.001089747, 2.002369058, 'CPU20', 20, null, 0]]);
    expect(sink.energies.map((e) => [e.socket, e.joules])).toEqual([[0, 19.63], [1, 18.01], [0, 19.41], [1, 18.2]]);
  });

  it('agrees with the CSV parser on the same rows', () => {
    const csv = parseString(perfStatCsv, '     1.001089747,CPU20,75715898,,IDQ.MITE_UOPS,988376123,50.00,,\n'
      + '     1.001089747,CPU20,18.01,Joules,power/energy-pkg/,1001000000,100.00,,\n', { topology: twoSockets });
    const json = parse('interval-percpu', { topology: twoSockets });
    expect(json.samples[1]).toEqual(csv.samples[0]);
    expect(json.energies[1]).toEqual(csv.energies[0]);
  });

  it('keeps per-thread and cgroup energy out of the energy table', () => {
    const sink = parse('thread-cgroup');
    expect(sink.energies.map((e) => e.joules)).toEqual([9.9]);
    expect(sink.warnings.map((w) => w.message)).toEqual([
      messages.perfEnergyNotAttributable('vcpu', 'power/energy-pkg/'), messages.perfEnergyNotAttributable('cgroup', 'power/energy-pkg/')]);
    expect(sink.samples.map((s) => `${s.scope}|${s.entity}|${s.cpu}`)).toEqual([
      'vcpu|CPU 0/KVM-31325|null', 'thread|qemu-system-x86-31316|null', 'cgroup|machine.slice/machine-qemu\\x2d3\\x2dweb01.scope|1']);
  });

  it('stores --metric-only keys as metric: samples ("none" → null)', () => {
    const sink = parse('metric-only');
    expect(sink.samples.map((s) => [s.entity, s.event, s.value])).toEqual([
      ['S0', 'metric:insn per cycle', 0.31], ['S0', 'metric:GHz', 2.1], ['S1', 'metric:insn per cycle', 0.29], ['S1', 'metric:GHz', null]]);
  });

  it('repairs perf JSON bugs before parsing', () => {
    expect(jsonObjectTexts('{"a" : 1} {"b" : 2, }')).toEqual(['{"a" : 1}', '{"b" : 2}']);
    expect(jsonObjectTexts('{"metric-unit" : "(null)"}')).toEqual(['{"metric-unit" : null}']);
    expect(parse('glued-runtime').samples[0]).toMatchObject({ event: 'cpu-clock', value: 3805.723968, enabled: null });
  });

  it('ignores --summary objects (no interval key) after interval objects', () => {
    const row = (interval: string) => `{${interval}"counter-value" : "5.000000", "unit" : "", "event" : "cycles", "event-runtime" : 1, "pcnt-running" : 100.00}`;
    const sink = parseText(`${row('"interval" : 1.000000000, ')}\n${row('"interval" : 2.000000000, ')}\n${row('')}\n`);
    expect(sink.samples.map((s) => [s.t0, s.t1])).toEqual([[0, 1], [1, 2]]);
    expect(sink.facts.details.summaryRowsIgnored).toBe(1);
  });

  it('throws located errors for broken objects', () => {
    expect(errorOf(() => parseText('{"counter-value" : "1.0", "event" : "cycles"\n')))
      .toMatchObject({ code: 'perf-stat-json.json', context: { line: 1, file: 'test.json' } });
    expect(errorOf(() => parseText('{"counter-value" : "abc", "unit" : "", "event" : "cycles"}\n')))
      .toMatchObject({ code: 'perf-stat-json.value', message: messages.badNumber('counter-value', 'abc') });
    expect(errorOf(() => parseText('{"core" : "S0-Q1", "counter-value" : "1.0", "unit" : "", "event" : "cycles"}\n')))
      .toMatchObject({ code: 'perf-stat-json.id', message: messages.perfBadId('S0-Q1') });
    expect(errorOf(() => parseText('{"interval" : 2.0, "counter-value" : "1", "unit" : "", "event" : "cycles"}\n'
      + '{"interval" : 1.0, "counter-value" : "1", "unit" : "", "event" : "cycles"}\n')))
      .toMatchObject({ code: 'perf-stat-json.timeBackwards', context: { line: 2 } });
    expect(errorOf(() => parseText('[1, 2]\n'))).toMatchObject({ code: 'perf-stat-json.noRecords' });
    expect(errorOf(() => parseText('{"a" : [1]}\n{"metric-value" : "1.0", "metric-unit" : "GHz"}\n')))
      .toMatchObject({ code: 'perf-stat-json.value' });
  });

  it('sniffs perf JSON only', () => {
    expect(sniff(fixture('perf-stat-json', 'global-newer.json'))).toBe(3);
    expect(sniff(fixture('perf-stat-csv', 'interval-global.csv'))).toBe(0);
    expect(sniff('{"reports": [\n    {"timestamp":"2021-07-12T11:33:13.520",\n')).toBe(0);
    expect(sniff('{"status":"success","data":{"resultType":"matrix","result":[]}}\n')).toBe(0);
  });

  it('survives truncation, byte flips and shuffled lines', () => {
    fuzzTextFixture(perfStatJson, fixture('perf-stat-json', 'interval-percpu.json'), { topology: twoSockets });
    fuzzTextFixture(perfStatJson, fixture('perf-stat-json', 'per-core-older.json'), {}, 100);
    fuzzTextFixture(perfStatJson, fixture('perf-stat-json', 'metric-only.json'), {}, 100);
  });
});
