import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { TraceParseError } from '../../src/errors.js';
import { messages } from '../../src/messages.js';
import { parseString } from '../../src/ingest/parse-string.js';
import { hwpcRaplJoules, powerapiHwpc } from '../../src/ingest/powerapi-hwpc.js';
import type { SniffInput } from '../../src/ingest/types.js';
import { fixture, fixturePath } from '../helpers/fixtures.js';
import { fuzzTextFixture } from '../helpers/fuzz-text.js';
import { sinkToGolden } from '../helpers/golden.js';
import { hasRealTraces, realTrace } from '../helpers/real-traces.js';

function sniffText(text: string, fileName = 'x'): SniffInput {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '').slice(0, 64);
  return { fileName, head: new TextEncoder().encode(text), lines };
}

function parseError(text: string, file?: string): TraceParseError {
  try {
    parseString(powerapiHwpc, text, {}, file);
  } catch (e) {
    if (e instanceof TraceParseError) return e;
    throw e;
  }
  throw new Error('expected a TraceParseError');
}

/** The fixture as hwpc names its CSV output: one file per group. */
const fixtureFile = (name: string): string => (name === 'csv-core.csv' ? '/hwpc-out/core' : `/rec/${name}`);

describe('powerapi-hwpc', () => {
  describe('golden fixtures', () => {
    for (const name of ['mongo-reports.json', 'socket-stream.json', 'mongoexport.json', 'csv-core.csv']) {
      it(name, async () => {
        const sink = parseString(powerapiHwpc, fixture('powerapi-hwpc', name), {}, fixtureFile(name));
        await expect(sinkToGolden(sink)).toMatchFileSnapshot(fixturePath('powerapi-hwpc', `${name.replace(/\.\w+$/, '')}.expected.csv`));
      });
    }
  });

  it('orders a Mongo export by time and starts each CPU clock at its first report', () => {
    const sink = parseString(powerapiHwpc, fixture('powerapi-hwpc', 'mongo-reports.json'));
    expect(sink.facts.startEpochSeconds).toBe(Date.parse('2020-09-08T15:46:42.849Z') / 1000);
    // three reports → two intervals; per interval 2 CPUs × 3 MSRs and one package
    expect(sink.samples).toHaveLength(12);
    expect(sink.energies.map((e) => [e.t0, e.t1, e.socket, e.domain])).toEqual([
      [0, 1.003, 0, 'package'], [1.003, 2.007, 0, 'package']]);
    expect(sink.energies[1]!.joules).toBe(4973133824 * 2 ** -32);
    expect(sink.samples.find((s) => s.t1 > 2 && s.entity === 'CPU0' && s.event === 'msr/tsc/'))
      .toMatchObject({ scope: 'cpu', cpu: 0, value: 2119604214, enabled: 1 });
  });

  it('reads zone-less socket output as UTC and says so', () => {
    const sink = parseString(powerapiHwpc, fixture('powerapi-hwpc', 'socket-stream.json'));
    expect(sink.facts.startEpochSeconds).toBe(Date.UTC(2021, 6, 12, 11, 33, 13, 520) / 1000);
    expect(sink.facts.details).toMatchObject({ layout: 'json', reports: 3, timeZone: 'none in the file; read as UTC' });
    expect(sink.energies.map((e) => [e.socket, +(e.joules).toFixed(6)])).toEqual([
      [0, +(88615682048 * hwpcRaplJoules).toFixed(6)], [1, +(82863980544 * hwpcRaplJoules).toFixed(6)],
      [0, +(88190484480 * hwpcRaplJoules).toFixed(6)], [1, +(81328340992 * hwpcRaplJoules).toFixed(6)]]);
  });

  it('reads mongoexport extended JSON', () => {
    const sink = parseString(powerapiHwpc, fixture('powerapi-hwpc', 'mongoexport.json'));
    expect(sink.energies.map((e) => [e.t1, e.domain, e.joules])).toEqual([
      [1, 'package', 1], [1, 'dram', 0.5], [2, 'package', 2], [2, 'dram', 0.25]]);
  });

  it('scales multiplexed CSV counters by Δenabled/Δrunning and keeps containers as cgroups', () => {
    const sink = parseString(powerapiHwpc, fixture('powerapi-hwpc', 'csv-core.csv'), {}, '/hwpc-out/core');
    const cpu0 = sink.samples.filter((s) => s.entity === 'CPU0');
    expect(cpu0.map((s) => [s.event, s.value, s.enabled])).toEqual([
      ['CPU_CLK_THREAD_UNHALTED:REF_P', 2000, 0.5], ['CPU_CLK_THREAD_UNHALTED:THREAD_P', 4000, 0.5],
      ['INSTRUCTIONS_RETIRED', 6000, 0.5], ['LLC_MISSES', 800, 0.5]]);
    const container = sink.samples.filter((s) => s.scope === 'cgroup');
    expect(container.map((s) => [s.entity, s.cpu, s.t0, s.t1, s.value])).toEqual([
      ['mycontainer', 0, 1, 2, 1000], ['mycontainer', 0, 1, 2, 1200], ['mycontainer', 0, 1, 2, 1400], ['mycontainer', 0, 1, 2, 160]]);
  });

  it('reports broken input', () => {
    const stream = fixture('powerapi-hwpc', 'socket-stream.json');
    const docs = stream.split(/(?=\{"timestamp")/);
    expect(parseError(`${docs[1]}${docs[0]}`).code).toBe('powerapi-hwpc.timeBackwards');
    expect(parseError(stream.slice(0, -3)).code).toBe('powerapi-hwpc.truncated');
    expect(parseError('{"timestamp":"yesterday","target":"all","groups":{}}').code).toBe('powerapi-hwpc.badTimestamp');
    expect(parseError('{"timestamp":"2021-07-12T11:33:13Z","groups":{}}').code).toBe('powerapi-hwpc.shape');
    expect(parseError('{"timestamp":1,"target":"all","groups":{"rapl":{"0":{"1":{"RAPL_ENERGY_PKG":"x"}}}}}').code)
      .toBe('powerapi-hwpc.badNumber');
    expect(parseError(stream.slice(0, stream.indexOf('}{') + 1)).code).toBe('powerapi-hwpc.noRecords');
    expect(parseError('timestamp,sensor,target,socket,cpu,LLC_MISSES\n1,s,all,0,0\n').code).toBe('powerapi-hwpc.fieldCount');
    const dup = parseString(powerapiHwpc, `${stream}${stream.slice(stream.lastIndexOf('{"timestamp"'))}`);
    expect(dup.warnings[0]?.message).toBe(messages.duplicateReading('all rapl cpu 11'));
  });

  it('sniffs hwpc JSON and CSV and nothing else', () => {
    expect(powerapiHwpc.sniff(sniffText(fixture('powerapi-hwpc', 'mongo-reports.json')))).toBe(3);
    expect(powerapiHwpc.sniff(sniffText(fixture('powerapi-hwpc', 'socket-stream.json')))).toBe(3);
    expect(powerapiHwpc.sniff(sniffText(fixture('powerapi-hwpc', 'csv-core.csv')))).toBe(3);
    expect(powerapiHwpc.sniff(sniffText(fixture('sensors-json', 'two-socket.json')))).toBe(0);
    expect(powerapiHwpc.sniff(sniffText('time,zone,name,energy_uj,max_energy_range_uj\n'))).toBe(0);
  });

  it('survives truncation, byte flips and shuffled lines', () => {
    fuzzTextFixture(powerapiHwpc, fixture('powerapi-hwpc', 'mongo-reports.json'));
    fuzzTextFixture(powerapiHwpc, fixture('powerapi-hwpc', 'mongoexport.json'));
    fuzzTextFixture(powerapiHwpc, fixture('powerapi-hwpc', 'csv-core.csv'));
  });
});

describe.skipIf(!hasRealTraces)('powerapi-hwpc on the PowerAPI test captures', () => {
  it('hwpc_reports.json: 8 CPUs of MSRs and the package, 1 s apart, reports in reverse order', () => {
    const text = readFileSync(realTrace('powerapi-hwpc', 'hwpc_reports.json'), 'utf8');
    const sink = parseString(powerapiHwpc, text);
    expect(sink.samples).toHaveLength(9 * 8 * 3);
    expect(sink.energies).toHaveLength(9);
    // independent: pair each report's stamp with its RAPL value in file order, drop the earliest
    const stamps = [...text.matchAll(/"timestamp" : "([^"]+)"/g)].map((m) => Date.parse(m[1]!));
    const raw = [...text.matchAll(/"RAPL_ENERGY_PKG" : (\d+)/g)].map((m) => Number(m[1]));
    const first = stamps.indexOf(Math.min(...stamps));
    const expected = raw.reduce((s, v, i) => (i === first ? s : s + v), 0) * 2 ** -32;
    const total = sink.energies.reduce((s, e) => s + e.joules, 0);
    expect(Math.abs(total - expected) / expected).toBeLessThan(1e-9);
    const seconds = sink.energies.at(-1)!.t1;
    expect(total / seconds).toBeGreaterThan(1);
    expect(total / seconds).toBeLessThan(1.5);
    // TSC rate of every CPU ≈ 2.12 GHz
    for (const s of sink.samples.filter((x) => x.event === 'msr/tsc/')) {
      expect(s.value! / (s.t1 - s.t0)).toBeGreaterThan(2.0e9);
      expect(s.value! / (s.t1 - s.t0)).toBeLessThan(2.2e9);
    }
  });

  it('hwpc_rapl_2_socket.json: two sockets, 53 reports', () => {
    const text = readFileSync(realTrace('powerapi-hwpc', 'hwpc_rapl_2_socket.json'), 'utf8');
    const sink = parseString(powerapiHwpc, text);
    expect(sink.energies).toHaveLength(52 * 2);
    const raw = [...text.matchAll(/"RAPL_ENERGY_PKG":([\d.e+]+)/g)].map((m) => Number(m[1]));
    expect(raw).toHaveLength(106);
    for (const socket of [0, 1]) {
      // reports list socket 0 then socket 1; the first report only starts the clock
      const expected = raw.filter((_, i) => i % 2 === socket && i >= 2).reduce((s, v) => s + v, 0) * 2 ** -32;
      const total = sink.energies.filter((e) => e.socket === socket).reduce((s, e) => s + e.joules, 0);
      expect(Math.abs(total - expected) / expected).toBeLessThan(1e-9);
      expect(total / sink.energies.at(-1)!.t1).toBeGreaterThan(15);
      expect(total / sink.energies.at(-1)!.t1).toBeLessThan(25);
    }
  });
});
