import { describe, expect, it } from 'vitest';
import { TraceParseError } from '../../src/errors.js';
import { messages } from '../../src/messages.js';
import { parseString } from '../../src/ingest/parse-string.js';
import { powercap } from '../../src/ingest/powercap.js';
import type { SniffInput } from '../../src/ingest/types.js';
import { fixture, fixturePath } from '../helpers/fixtures.js';
import { fuzzTextFixture } from '../helpers/fuzz-text.js';
import { sinkToGolden } from '../helpers/golden.js';

const cases = ['two-socket.csv', 'wrap.csv', 'reset.csv', 'mmio-psys.csv', 'die.csv', 'whitespace.txt', 'crlf.csv', 'hwmon.txt'];

function sniffText(text: string, fileName = 'dump'): SniffInput {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '').slice(0, 64);
  return { fileName, head: new TextEncoder().encode(text), lines };
}

function parseFixture(name: string) {
  return parseString(powercap, fixture('powercap', name), {}, name);
}

function parseError(text: string): TraceParseError {
  try {
    parseString(powercap, text);
  } catch (e) {
    if (e instanceof TraceParseError) return e;
    throw e;
  }
  throw new Error('expected a TraceParseError');
}

describe('powercap', () => {
  describe('golden fixtures', () => {
    for (const name of cases) {
      it(name, async () => {
        const sink = parseFixture(name);
        await expect(sinkToGolden(sink)).toMatchFileSnapshot(fixturePath('powercap', `${name.replace(/\.\w+$/, '')}.expected.csv`));
      });
    }
  });

  it('differences consecutive readings per zone, in joules over exact intervals', () => {
    const sink = parseFixture('two-socket.csv');
    expect(sink.facts.startEpochSeconds).toBe(1732467487.000123);
    expect(sink.energies).toHaveLength(8);
    const [pkg0, dram0, pkg1, dram1] = sink.energies;
    expect(pkg0).toEqual({ t0: 0, t1: expect.closeTo(1.000333, 12), socket: 0, domain: 'package', joules: 60 });
    expect(dram0).toMatchObject({ socket: 0, domain: 'dram', joules: 10 });
    expect(pkg1).toMatchObject({ socket: 1, domain: 'package', joules: 55 });
    expect(dram1).toMatchObject({ socket: 1, domain: 'dram', joules: 8 });
    expect(sink.energies[4]).toMatchObject({ t0: expect.closeTo(1.000333, 12), t1: expect.closeTo(2.000879, 12), joules: 62 });
  });

  it('keeps nanosecond stamps exact when differencing', () => {
    const sink = parseFixture('whitespace.txt');
    expect(sink.energies.map((e) => e.t1)).toEqual([1, 1, 2.1, 2.1]);
    expect(sink.energies.map((e) => e.joules)).toEqual([45, 25, 49.5, 27.5]);
    expect(sink.skippedLines).toBe(1);
  });

  it('resolves one wrap as (R − prev) + cur, without +1', () => {
    const sink = parseFixture('wrap.csv');
    // package: (262143328850 − 262100000000) + 16671150 µJ = 60 J; core: 3328850 + 36671150 µJ = 40 J
    expect(sink.energies.map((e) => [e.domain, e.joules])).toEqual([['package', 60], ['core', 40], ['package', 60], ['core', 40]]);
  });

  it('drops an implausible interval and restarts a zone whose range or name changes', () => {
    const sink = parseFixture('reset.csv');
    expect(sink.energies.map((e) => [e.t0, e.t1, e.socket, e.joules])).toEqual([[0, 1, 0, 50], [2, 3, 0, 50], [4, 5, 0, 50], [6, 7, 1, 50]]);
    expect(sink.warnings.map((w) => w.message)).toEqual([
      messages.energyImplausible('intel-rapl:0', 212093.329, 2000),
      messages.seriesRestarted('intel-rapl:0', 'max_energy_range_uj'),
      messages.seriesRestarted('intel-rapl:0', 'name'),
    ]);
    expect(sink.warnings.map((w) => w.line)).toEqual([4, 6, 8]);
  });

  it('honours maxPlausibleWatts', () => {
    const sink = parseString(powercap, fixture('powercap', 'two-socket.csv'), { maxPlausibleWatts: 58 });
    expect(sink.energies.filter((e) => e.domain === 'package').map((e) => e.joules)).toEqual([55, 56.5]);
  });

  it('treats a decrease as a reset when the range is unknown, unless the bundle gives it', () => {
    const text = '1700000000 hwmon1/energy1_input Esocket0 900 -\n1700000001 hwmon1/energy1_input Esocket0 100 -\n'
      + '1700000002 hwmon1/energy1_input Esocket0 5000100 -\n';
    const reset = parseString(powercap, text);
    expect(reset.energies.map((e) => e.joules)).toEqual([5]);
    expect(reset.warnings[0]?.message).toBe(messages.counterReset('energy1_input'));
    const wrapped = parseString(powercap, text, { energyRangeMicrojoules: 1000 });
    expect(wrapped.energies.map((e) => e.joules)).toEqual([0.0002, 5]);
  });

  it('drops the MMIO duplicate of the package and gives psys no socket', () => {
    const sink = parseFixture('mmio-psys.csv');
    expect(sink.energies.map((e) => [e.socket, e.domain, e.joules])).toEqual([
      [0, 'package', 3], [0, 'core', 1.2], [0, 'uncore', 0.0005], [null, 'psys', 5]]);
    expect(sink.facts.details.droppedMmioZones).toEqual(['intel-rapl-mmio:0']);
  });

  it('gives subzones the socket of their parent package, also on multi-die parts', () => {
    const sink = parseFixture('die.csv');
    expect(sink.energies.map((e) => [e.socket, e.domain, e.joules])).toEqual([
      [0, 'package', 40], [0, 'dram', 5], [0, 'package', 38], [0, 'dram', 4]]);
  });

  it('maps hwmon amd_energy labels, with core sockets from the topology', () => {
    const sink = parseString(powercap, fixture('powercap', 'hwmon.txt'),
      { topology: { sockets: 2, coresPerSocket: 1, threadsPerCore: 2 } });
    expect(sink.energies.map((e) => [e.socket, e.domain, e.joules])).toEqual([[0, 'core', 2], [1, 'core', 1.5], [0, 'package', 60]]);
  });

  it('rejects an all-zero counter (Xen dom0) even though rows were emitted', () => {
    const e = parseError(fixture('powercap', 'all-zero.txt'));
    expect(e.code).toBe('powercap.allZero');
    expect(e.message).toBe(messages.allZeroEnergy('intel-rapl:0'));
    expect(e.hint).toBe(messages.hintXenRapl());
  });

  it('rejects a file where no counter ever moves, but only warns for one idle zone', () => {
    const still = '1 intel-rapl:0 package-0 5 9\n2 intel-rapl:0 package-0 5 9\n';
    expect(parseError(still)).toMatchObject({ code: 'powercap.allZero', message: messages.constantEnergy('intel-rapl:0') });
    const sink = parseString(powercap,
      '1 intel-rapl:0 package-0 5 99\n1 intel-rapl:0:1 uncore 7 99\n2 intel-rapl:0 package-0 6 99\n2 intel-rapl:0:1 uncore 7 99\n');
    expect(sink.energies).toHaveLength(2);
    expect(sink.warnings.map((w) => w.message)).toEqual([messages.constantEnergy('intel-rapl:0:1')]);
  });

  it('reports broken readings with their line', () => {
    expect(parseError('time,zone,name,energy_uj,max_energy_range_uj\n1,intel-rapl:0,package-0,,9\n'))
      .toMatchObject({ code: 'powercap.badNumber', context: { line: 2 } });
    const denied = parseError('1 /sys/class/powercap/intel-rapl:0 package-0  262143328850\n');
    expect(denied).toMatchObject({ code: 'powercap.fieldCount', hint: messages.hintPowercapRoot() });
    expect(parseError('2 intel-rapl:0 package-0 5 9\n1 intel-rapl:0 package-0 6 9\n').code).toBe('powercap.timeBackwards');
    expect(parseError('1 intel-rapl:0 package-0 5 9\n').code).toBe('powercap.noRecords');
    expect(parseError('hello\n').code).toBe('powercap.noRecords');
  });

  it('sniffs both layouts and nothing else', () => {
    expect(powercap.sniff(sniffText(fixture('powercap', 'two-socket.csv')))).toBe(3);
    expect(powercap.sniff(sniffText(fixture('powercap', 'hwmon.txt')))).toBe(3);
    expect(powercap.sniff(sniffText(fixture('powercap', 'whitespace.txt')))).toBe(3);
    expect(powercap.sniff(sniffText('1732467487.1 /sys/class/powercap/intel-rapl:0 package-0 1 2\n'))).toBe(3);
    expect(powercap.sniff(sniffText('time,zone,name\n1,2,3\n'))).toBe(0);
    expect(powercap.sniff(sniffText('# HELP node_rapl_package_joules_total x\n'))).toBe(0);
    expect(powercap.sniff(sniffText('{\n   "coretemp-isa-0000":{\n'))).toBe(0);
  });

  it('survives truncation, byte flips and shuffled lines', () => {
    fuzzTextFixture(powercap, fixture('powercap', 'reset.csv'));
    fuzzTextFixture(powercap, fixture('powercap', 'whitespace.txt'));
  });
});
