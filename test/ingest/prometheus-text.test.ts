import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { TraceParseError } from '../../src/errors.js';
import { messages } from '../../src/messages.js';
import { parseString } from '../../src/ingest/parse-string.js';
import { parseExpositionLine } from '../../src/ingest/prometheus-exposition.js';
import { prometheusText } from '../../src/ingest/prometheus-text.js';
import type { ParseOptions, SniffInput } from '../../src/ingest/types.js';
import { fixture, fixturePath } from '../helpers/fixtures.js';
import { fuzzTextFixture } from '../helpers/fuzz-text.js';
import { sinkToGolden } from '../helpers/golden.js';
import { hasRealTraces, realTrace } from '../helpers/real-traces.js';

function sniffText(text: string, fileName = 'metrics'): SniffInput {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '').slice(0, 64);
  return { fileName, head: new TextEncoder().encode(text), lines };
}

function parseError(text: string, options: ParseOptions = {}): TraceParseError {
  try {
    parseString(prometheusText, text, options);
  } catch (e) {
    if (e instanceof TraceParseError) return e;
    throw e;
  }
  throw new Error('expected a TraceParseError');
}

const parseFixture = (name: string, options: ParseOptions = {}) => parseString(prometheusText, fixture('prometheus-text', name), options);

describe('prometheus exposition lines', () => {
  it('reads names, escaped labels, values and timestamps', () => {
    expect(parseExpositionLine('a_total{x="say \\"hi\\"",y="a\\\\b\\nc"} 1.5e3 1700000000000')).toEqual({
      name: 'a_total', labels: { x: 'say "hi"', y: 'a\\b\nc' }, valueText: '1.5e3', timestampMs: 1700000000000 });
    expect(parseExpositionLine('up 1')).toEqual({ name: 'up', labels: {}, valueText: '1', timestampMs: undefined });
    expect(parseExpositionLine('a{x="1",} NaN')?.valueText).toBe('NaN');
    for (const bad of ['# HELP a b', 'a{x="1} 2', 'a{x=1} 2', 'a 1 2 3', 'a 1 1.5', '{x="1"} 2', 'a{x="1"}']) {
      expect(parseExpositionLine(bad)).toBeUndefined();
    }
  });
});

describe('prometheus-text', () => {
  describe('golden fixtures', () => {
    for (const name of ['node-exporter', 'kepler-legacy', 'kepler-010', 'single']) {
      it(name, async () => {
        const sink = parseFixture(`${name}.prom`);
        await expect(sinkToGolden(sink)).toMatchFileSnapshot(fixturePath('prometheus-text', `${name}.expected.csv`));
      });
    }
  });

  it('differences node_exporter rapl between stamped scrapes, without the MMIO copy', () => {
    const sink = parseFixture('node-exporter.prom');
    expect(sink.facts.startEpochSeconds).toBe(1732467480);
    expect(sink.energies.slice(0, 4).map((e) => [e.t0, e.t1, e.socket, e.domain, e.joules])).toEqual([
      [0, 15, 0, 'dram', 150], [0, 15, 1, 'dram', 135], [0, 15, 0, 'package', 1500], [0, 15, 1, 'package', 1350]]);
    // package 0 went from 251500.125 to 800.125: a reset without a known range
    expect(sink.warnings.map((w) => w.message)).toEqual([messages.counterReset('node_rapl_package_joules_total socket 0')]);
    expect(sink.facts.details).toMatchObject({ scrapes: 3, singleScrape: false, ignoredMetrics: ['go_goroutines', 'node_cpu_seconds_total'] });
    expect(sink.samples).toHaveLength(0);
  });

  it('wraps node_exporter rapl per §3.3 when the bundle gives the range', () => {
    const sink = parseFixture('node-exporter.prom', { energyRangeMicrojoules: 262143328850 });
    const wrapped = sink.energies.find((e) => e.t0 === 15 && e.socket === 0 && e.domain === 'package');
    expect(wrapped?.joules).toBeCloseTo((262143.32885 - 251500.125) + 800.125, 9);
    expect(sink.warnings).toEqual([]);
  });

  it('sums Kepler modes into node RAPL energy and keeps workload joules as kepler: samples', () => {
    const sink = parseFixture('kepler-legacy.prom');
    expect(sink.facts.startEpochSeconds).toBe(1700000000);
    expect(sink.energies).toEqual([{ t0: 0, t1: 60, socket: 0, domain: 'package', joules: 3500 }]);
    expect(sink.facts.details['unmeasured']).toEqual(['kepler_node_core_joules_total socket 0']);
    expect(sink.samples.map((s) => [s.scope, s.entity, s.event, s.value])).toEqual([
      ['cgroup', 'aa11', 'cycles', 1e10], ['cgroup', 'bb22', 'cycles', 500], ['cgroup', 'aa11', 'instructions', 2.5e10],
      ['cgroup', 'aa11', 'kepler:package_joules:dynamic', 60], ['cgroup', 'aa11', 'kepler:package_joules:idle', 10],
      ['host', 'node1', 'kepler:platform_joules:estimator0:idle', 30]]);
  });

  it('maps Kepler ≥0.10 node zones, VMs and processes', () => {
    const sink = parseFixture('kepler-010.prom');
    expect(sink.facts.startEpochSeconds).toBe(Date.UTC(2026, 10, 24, 12) / 1000);
    expect(sink.energies.map((e) => [e.t1, e.socket, e.domain, e.joules])).toEqual([[5, 0, 'package', 225.5], [5, 0, 'dram', 30]]);
    expect(sink.samples.map((s) => [s.scope, s.entity, s.event, s.value])).toEqual([
      ['host', 'kvm-a', 'kepler:cpu_active_joules:package:intel-rapl:0', 120],
      ['vm', '6f0c1e8e-0b5e-4f0a-9d1a-3c2b1a0f9e8d', 'kepler:cpu_joules:package', 100],
      ['thread', 'qemu-system-x86-4242', 'kepler:cpu_joules:package', 95],
      ['thread', 'qemu-system-x86-4242', 'kepler:cpu_seconds', 4.75]]);
  });

  it('accepts one scrape without rows, and says so', () => {
    const sink = parseFixture('single.prom');
    expect(sink.energies).toHaveLength(0);
    expect(sink.samples).toHaveLength(0);
    expect(sink.facts.details).toMatchObject({ scrapes: 1, singleScrape: true });
    expect(sink.warnings.map((w) => w.message)).toEqual([messages.singleScrape()]);
  });

  it('splits concatenated scrapes at a repeated series, timed from bundle.json', () => {
    const single = fixture('prometheus-text', 'single.prom');
    const pair = `${single}${single.replace('35000', '35600').replace('2.5e+11', '3e+11')}`;
    const sink = parseString(prometheusText, pair, { extra: { scrape_epoch_seconds: [100, 130] } });
    expect(sink.energies).toEqual([{ t0: 0, t1: 30, socket: 0, domain: 'package', joules: 600 }]);
    expect(sink.samples.map((s) => s.value)).toEqual([5e10]);
    const e = parseError(pair);
    expect(e).toMatchObject({ code: 'prometheus-text.noTimestamps', hint: messages.hintScrapeTimes() });
  });

  it('reports broken input', () => {
    expect(parseError('kepler_node_package_joules_total{package="0"} lots\n')).toMatchObject({ code: 'prometheus-text.badNumber', context: { line: 1 } });
    expect(parseError('1700000010\nnode_rapl_package_joules_total{index="0"} 1\n1700000000\nnode_rapl_package_joules_total{index="0"} 2\n').code)
      .toBe('prometheus-text.timeBackwards');
    expect(parseError('go_goroutines 8\n').code).toBe('prometheus-text.noRecords');
    expect(parseString(prometheusText, 'node_rapl_package_joules_total{index="0"} NaN\nnode_rapl_package_joules_total{index="1"} 5\n')
      .facts.details['scrapes']).toBe(1);
  });

  it('sniffs exposition text and nothing else', () => {
    expect(prometheusText.sniff(sniffText(fixture('prometheus-text', 'node-exporter.prom')))).toBe(3);
    expect(prometheusText.sniff(sniffText(fixture('prometheus-text', 'kepler-010.prom')))).toBe(3);
    expect(prometheusText.sniff(sniffText('# HELP up x\n# TYPE up gauge\nup 1\n'))).toBe(2);
    expect(prometheusText.sniff(sniffText(fixture('powercap', 'whitespace.txt')))).toBe(0);
    expect(prometheusText.sniff(sniffText(fixture('sensors-json', 'two-socket.json')))).toBe(0);
    expect(prometheusText.sniff(sniffText('time,zone,name,energy_uj,max_energy_range_uj\n1,intel-rapl:0,package-0,1,2\n'))).toBe(0);
  });

  it('survives truncation, byte flips and shuffled lines', () => {
    fuzzTextFixture(prometheusText, fixture('prometheus-text', 'node-exporter.prom'));
    fuzzTextFixture(prometheusText, fixture('prometheus-text', 'kepler-legacy.prom'));
  });
});

describe.skipIf(!hasRealTraces)('prometheus-text on the peakler ALU run (Kepler 0.7 START/END scrapes)', () => {
  const dir = ['kepler-prometheus', 'peakler-alu-run'];
  const read = (which: string): string => readFileSync(realTrace(...dir, `runALU.ITER18000.PARALLEL1.ROUND0.${which}`), 'utf8');

  /** Independent re-read: per node metric, the sum of its mode values in one scrape. */
  function nodeTotals(text: string): Map<string, number> {
    const totals = new Map<string, number>();
    for (const m of text.matchAll(/^kepler_node_(package|core|dram|uncore)_joules_total\{[^}]*\} (\S+)$/gm)) {
      totals.set(m[1]!, (totals.get(m[1]!) ?? 0) + Number(m[2]));
    }
    return totals;
  }

  it('one file is one scrape: accepted, no rows', () => {
    const sink = parseString(prometheusText, read('END'));
    expect(sink.facts.details['singleScrape']).toBe(true);
    expect(sink.energies.length + sink.samples.length).toBe(0);
  });

  it('START and END joined after stamp lines give the run totals', () => {
    const start = read('START');
    const end = read('END');
    const sink = parseString(prometheusText, `1711000000\n${start}\n1711000100\n${end}`);
    const before = nodeTotals(start);
    const after = nodeTotals(end);
    for (const domain of ['package', 'core', 'dram']) {
      const expected = after.get(domain)! - before.get(domain)!;
      const got = sink.energies.filter((e) => e.domain === domain).reduce((s, e) => s + e.joules, 0);
      expect(expected).toBeGreaterThan(0);
      expect(Math.abs(got - expected) / expected).toBeLessThan(1e-9);
    }
    // uncore reads 0 in both scrapes: an unmeasured domain, not 0 J
    expect(sink.energies.map((e) => e.domain).sort()).toEqual(['core', 'dram', 'package']);
    expect(sink.energies[0]).toMatchObject({ t0: 0, t1: 100, socket: 0 });
    // the ALU pod's cycles over the run, re-read independently
    const cycles = (text: string): number => Number(/^kepler_container_cpu_cycles_total\{container_id="1c75[^}]*\} (\S+)$/m.exec(text)![1]);
    const alu = sink.samples.find((s) => s.event === 'cycles' && s.entity.startsWith('1c75'));
    expect(alu?.value).toBe(cycles(end) - cycles(start));
    expect(alu?.value).toBeGreaterThan(1e11);
    expect(new Set(sink.samples.map((s) => s.scope))).toEqual(new Set(['cgroup', 'host']));
  });
});
