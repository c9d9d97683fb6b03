import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { TraceParseError } from '../../src/errors.js';
import { messages } from '../../src/messages.js';
import { parseString } from '../../src/ingest/parse-string.js';
import { prometheusRange } from '../../src/ingest/prometheus-range.js';
import type { ParseOptions, SniffInput } from '../../src/ingest/types.js';
import { fixture, fixturePath } from '../helpers/fixtures.js';
import { fuzzTextFixture } from '../helpers/fuzz-text.js';
import { sinkToGolden } from '../helpers/golden.js';
import { hasRealTraces, realTrace } from '../helpers/real-traces.js';

function sniffText(text: string, fileName = 'range.json'): SniffInput {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '').slice(0, 64);
  return { fileName, head: new TextEncoder().encode(text), lines };
}

function parseError(text: string): TraceParseError {
  try {
    parseString(prometheusRange, text);
  } catch (e) {
    if (e instanceof TraceParseError) return e;
    throw e;
  }
  throw new Error('expected a TraceParseError');
}

const parseFixture = (name: string, options: ParseOptions = {}) => parseString(prometheusRange, fixture('prometheus-range', name), options);

describe('prometheus-range', () => {
  describe('golden fixtures', () => {
    for (const name of ['kepler-excerpt', 'api-matrix']) {
      it(name, async () => {
        const sink = parseFixture(`${name}.json`);
        await expect(sinkToGolden(sink)).toMatchFileSnapshot(fixturePath('prometheus-range', `${name}.expected.csv`));
      });
    }
  });

  it('sums the dynamic and idle modes of Kepler node energy per package', () => {
    const sink = parseFixture('kepler-excerpt.json');
    expect(sink.facts.startEpochSeconds).toBe(1702462599);
    // package 0: (7641.736 + 15252.116) − (7150.525 + 14762.883)
    expect(sink.energies[0]).toMatchObject({ t0: 0, t1: 15, socket: 0, domain: 'package' });
    expect(sink.energies[0]!.joules).toBeCloseTo(980.444, 9);
    expect(sink.energies.map((e) => e.domain)).toEqual(['package', 'package', 'package', 'package']);
    expect(sink.facts.details).toMatchObject({
      shape: 'metric-map', ignoredMetrics: ['kepler_node_info'], unmeasured: ['kepler_node_core_joules_total socket 0'] });
    expect(sink.samples.map((s) => [s.entity.slice(0, 8), s.event, s.value])).toEqual([
      ['1fd2d7e9', 'cycles', 89778], ['1fd2d7e9', 'cycles', 1701561]]);
  });

  it('reads the HTTP API matrix: NaN points skipped, resets dropped, psys without socket', () => {
    const sink = parseFixture('api-matrix.json');
    expect(sink.energies.map((e) => [e.t0, e.t1, e.socket, e.domain, e.joules])).toEqual([
      [0, 15, 0, 'package', 1500], [45, 60, 0, 'package', 1500],
      [0, 15, 0, 'dram', 150], [15, 30, 0, 'dram', 150], [45, 60, 0, 'dram', 150],
      [0, 15, null, 'psys', 2100], [15, 30, null, 'psys', 2100.25]]);
    expect(sink.warnings.map((w) => w.message)).toEqual([
      messages.counterReset('node_rapl_package_joules_total socket 0'), messages.counterReset('node_rapl_dram_joules_total socket 0')]);
    expect(sink.facts.details).toMatchObject({ shape: 'prometheus-api-matrix', ignoredMetrics: ['node_memory_MemFree_bytes'] });
  });

  it('wraps with a known range, and drops what would be implausible power', () => {
    const sink = parseFixture('api-matrix.json', { energyRangeMicrojoules: 262143328850 });
    const pkg = sink.energies.filter((e) => e.domain === 'package');
    expect(pkg.map((e) => [e.t0, e.t1])).toEqual([[0, 15], [15, 45], [45, 60]]);
    expect(pkg[1]!.joules).toBeCloseTo((262143.32885 - 261500.5) + 640.5, 9);
    // dram: (262143.33 − 6300) + 10 J in 15 s is far above 2000 W
    expect(sink.warnings.map((w) => w.message)).toEqual([
      messages.energyImplausible('node_rapl_dram_joules_total socket 0', (262143.32885 - 6300 + 10) / 15, 2000)]);
  });

  it('gives a vector result no rows', () => {
    const sink = parseString(prometheusRange, JSON.stringify({ status: 'success', data: { resultType: 'vector', result: [
      { metric: { __name__: 'node_rapl_package_joules_total', index: '0' }, value: [1732467480, '5'] }] } }));
    expect(sink.energies).toHaveLength(0);
    expect(sink.facts.details['shape']).toBe('prometheus-api-vector');
  });

  it('reports broken input', () => {
    expect(parseError('').code).toBe('prometheus-range.noRecords');
    expect(parseError('{"a": [1,').code).toBe('prometheus-range.badJson');
    expect(parseError('[1, 2]').code).toBe('prometheus-range.shape');
    expect(parseError('{"kepler_node_package_joules_total": [{"metric": {"package": "0"}, "values": [[1, "x"]]}]}').code)
      .toBe('prometheus-range.badNumber');
    expect(parseError('{"up": [{"metric": {}, "values": [[1, "1"]]}]}').code).toBe('prometheus-range.noRecords');
  });

  it('sniffs both JSON shapes and nothing else', () => {
    expect(prometheusRange.sniff(sniffText(fixture('prometheus-range', 'kepler-excerpt.json')))).toBe(3);
    expect(prometheusRange.sniff(sniffText(fixture('prometheus-range', 'api-matrix.json')))).toBe(3);
    expect(prometheusRange.sniff(sniffText(fixture('powerapi-hwpc', 'mongo-reports.json')))).toBe(0);
    expect(prometheusRange.sniff(sniffText(fixture('sensors-json', 'two-socket.json')))).toBe(0);
    expect(prometheusRange.sniff(sniffText(fixture('prometheus-text', 'node-exporter.prom')))).toBe(0);
  });

  it('survives truncation, byte flips and shuffled lines', () => {
    fuzzTextFixture(prometheusRange, fixture('prometheus-range', 'api-matrix.json'));
    fuzzTextFixture(prometheusRange, fixture('prometheus-range', 'kepler-excerpt.json'), {}, 100);
  });
});

describe.skipIf(!hasRealTraces)('prometheus-range on kepler-model-server idle.json (2-socket Broadwell, 7 points)', () => {
  const text = readFileSync(realTrace('kepler-prometheus', 'kepler-model-server_idle.json'), 'utf8');

  it('node RAPL energy per socket and domain matches an independent sum over modes', () => {
    const sink = parseString(prometheusRange, text);
    // independent: for each node metric and package, (Σ modes at the last point) − (Σ modes at the first)
    const raw = JSON.parse(text) as Record<string, { metric: Record<string, string>; values: [number, string][] }[]>;
    for (const domain of ['package', 'dram']) {
      for (const socket of [0, 1]) {
        const series = raw[`kepler_node_${domain}_joules_total`]!.filter((s) => s.metric['package'] === String(socket));
        expect(series).toHaveLength(2);
        const expected = series.reduce((sum, s) => sum + Number(s.values.at(-1)![1]) - Number(s.values[0]![1]), 0);
        const rows = sink.energies.filter((e) => e.domain === domain && e.socket === socket);
        expect(rows).toHaveLength(6);
        const got = rows.reduce((sum, e) => sum + e.joules, 0);
        expect(Math.abs(got - expected) / expected).toBeLessThan(1e-9);
        if (domain === 'package') {
          // ≈ 55 W per idle Broadwell package over 87 s
          expect(got / 87).toBeGreaterThan(40);
          expect(got / 87).toBeLessThan(70);
        }
      }
    }
    expect(sink.energies).toHaveLength(24);
    expect(sink.facts.details['unmeasured']).toEqual(['kepler_node_core_joules_total socket 0', 'kepler_node_core_joules_total socket 1',
      'kepler_node_uncore_joules_total socket 0', 'kepler_node_uncore_joules_total socket 1']);
  });

  it('per-container cycles: one row per consecutive pair of points', () => {
    const sink = parseString(prometheusRange, text);
    const raw = JSON.parse(text) as Record<string, { metric: Record<string, string>; values: [number, string][] }[]>;
    const cycles = raw['kepler_container_cpu_cycles_total']!;
    expect(cycles).toHaveLength(51);
    const pairs = cycles.reduce((n, s) => n + s.values.length - 1, 0);
    const total = cycles.reduce((sum, s) => sum + Number(s.values.at(-1)![1]) - Number(s.values[0]![1]), 0);
    const rows = sink.samples.filter((s) => s.event === 'cycles');
    expect(rows).toHaveLength(pairs);
    expect(rows.every((r) => r.scope === 'cgroup')).toBe(true);
    expect(Math.abs(rows.reduce((sum, r) => sum + r.value!, 0) - total) / total).toBeLessThan(1e-9);
    expect(sink.warnings).toEqual([]);
  });
});
