import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { TraceParseError } from '../../src/errors.js';
import type { MemorySink } from '../../src/ingest/memory-sink.js';
import { parseString } from '../../src/ingest/parse-string.js';
import { turbostat } from '../../src/ingest/turbostat.js';
import type { ParseOptions } from '../../src/ingest/types.js';
import { messages } from '../../src/messages.js';
import { fuzzTextFixture } from '../helpers/fuzz-text.js';
import { fixture, fixturePath } from '../helpers/fixtures.js';
import { sinkToGolden } from '../helpers/golden.js';
import { hasRealTraces, realTrace } from '../helpers/real-traces.js';
import { sniffText } from '../helpers/parse-checks.js';

const parse = (name: string, options: ParseOptions = {}): MemorySink =>
  parseString(turbostat, fixture('turbostat', `${name}.txt`), options, `${name}.txt`);

const sniff = (text: string): number => sniffText(turbostat, text);
const cases: Record<string, ParseOptions> = {
  'snr0-excerpt': {},
  'genoa0-excerpt': {},
  'fork-package': {},
  'show-pkgwatt': { intervalSeconds: 60 },
  'summary-only': { intervalSeconds: 1 },
  'joules-leading-tab': {},
  'old-spaces': {},
  'sysfs-no-topology': {},
};

describe('turbostat golden fixtures', () => {
  for (const [name, options] of Object.entries(cases)) {
    it(name, async () => {
      const sink = parse(name, options);
      await expect(sinkToGolden(sink)).toMatchFileSnapshot(fixturePath('turbostat', `${name}.expected.csv`));
      expect(sniff(fixture('turbostat', `${name}.txt`))).toBeGreaterThanOrEqual(2);
    });
  }
});

describe('turbostat spot values', () => {
  it('anchors Time_Of_Day_Seconds one interval before the first block (snr0)', () => {
    const sink = parse('snr0-excerpt');
    expect(sink.facts.startEpochSeconds).toBeCloseTo(1737462036.826837 - 5, 6);
    expect(sink.facts.details).toMatchObject({ intervalSeconds: 5, tjMaxCelsius: 102, layout: 'tab', timeOfDay: true,
      raplUnits: { watts: 0.125, joules: 0.000061, seconds: 0.000977 } });
    // Block 2 ends at its summary stamp; its PkgWatt covers the measured 5.010159 s.
    expect(sink.energies).toEqual([
      { t0: 0, t1: 5, socket: 0, domain: 'package', joules: 28.36 * 5 },
      { t0: 5, t1: expect.closeTo(10.010159, 9), socket: 0, domain: 'package', joules: expect.closeTo(28.07 * 5.010159, 9) },
    ]);
    expect(sink.temps.filter((t) => t.t === 5)).toEqual([
      { t: 5, scope: 'core', entity: 'S0-C0', celsius: 47 },
      { t: 5, scope: 'socket', entity: 'S0', celsius: 51 },
      { t: 5, scope: 'core', entity: 'S0-C1', celsius: 47 },
      { t: 5, scope: 'core', entity: 'S0-C2', celsius: 47 },
    ]);
    // The summary row (Busy% 0.77) is not stored: every column it has, a detail row carries.
    expect(sink.samples.some((s) => s.scope === 'host')).toBe(false);
    expect(sink.samples.find((s) => s.entity === 'CPU1' && s.event === 'turbostat:Busy%')?.value).toBe(1.42);
    expect(sink.samples.find((s) => s.entity === 'CPU1' && s.event === 'turbostat:CPU%c1')?.value).toBe(98.58);
    expect(sink.samples.find((s) => s.entity === 'S0' && s.event === 'turbostat:PKG_%')?.value).toBe(0);
    expect(sink.warnings).toEqual([]);
  });

  it('splits AMD energy per package and keeps per-core CorWatt (genoa0)', () => {
    const sink = parse('genoa0-excerpt');
    const first = sink.energies.filter((e) => e.t1 === 5);
    expect(first).toEqual([
      { t0: 0, t1: 5, socket: 0, domain: 'core', joules: expect.closeTo(0.3, 12) },
      { t0: 0, t1: 5, socket: 0, domain: 'package', joules: 100.44 * 5 },
      { t0: 0, t1: 5, socket: 1, domain: 'core', joules: 0.02 * 5 },
      { t0: 0, t1: 5, socket: 1, domain: 'package', joules: 100.28 * 5 },
    ]);
    const corWatt = sink.samples.filter((s) => s.event === 'turbostat:CorWatt' && s.t1 === 5);
    expect(corWatt.map((s) => [s.scope, s.entity, s.value])).toEqual([
      ['core', 'S0-C0', 0.04], ['core', 'S0-C1', 0.02], ['core', 'S1-C0', 0.02]]);
    expect(sink.samples.find((s) => s.cpu === 96 && s.event === 'turbostat:C2%')?.value).toBe(99.99);
    expect(sink.samples.some((s) => s.cpu === 64 && s.event === 'turbostat:CorWatt')).toBe(false);
    expect(sink.temps).toEqual([]);
    expect(sink.facts.details).toMatchObject({ vendor: 'AuthenticAMD', family: 25 });
  });

  it('uses the fork-mode elapsed time and the Package column (constructed)', () => {
    const sink = parse('fork-package');
    const dt = 5.031399;
    expect(sink.energies).toEqual([
      { t0: 0, t1: dt, socket: 0, domain: 'package', joules: 100 * dt },
      { t0: 0, t1: dt, socket: 0, domain: 'dram', joules: 60 * dt },
      { t0: 0, t1: dt, socket: 1, domain: 'package', joules: 93.12 * dt },
      { t0: 0, t1: dt, socket: 1, domain: 'dram', joules: 51.17 * dt },
    ]);
    expect(sink.temps.map((t) => `${t.entity}=${t.celsius}`)).toEqual(['S0-C0=28', 'S0=31', 'S0-C1=29', 'S1-C0=30', 'S1=30']);
    // Ragged: CPU2 (second thread of core 0) has no core columns, so no CPU%c6 at all, not 0.
    expect(sink.samples.filter((s) => s.entity === 'CPU2').map((s) => s.event)).toEqual(
      ['turbostat:Avg_MHz', 'turbostat:Busy%', 'turbostat:Bzy_MHz', 'turbostat:TSC_MHz', 'turbostat:IRQ', 'turbostat:C6%']);
    expect(sink.samples.find((s) => s.entity === 'S1' && s.event === 'turbostat:Pkg%pc6')?.value).toBe(0);
    expect(sink.warnings).toEqual([]);
    // Which core each CPU is on, SMT siblings included (CPU 2 and 3 carry no core columns).
    expect(sink.facts.details.cpuCores).toEqual({ 0: 'S0-C0', 2: 'S0-C0', 4: 'S0-C1', 1: 'S1-C0', 3: 'S1-C0' });
  });

  it('keeps no CPU→core map without both CPU and Core columns', () => {
    expect(parse('show-pkgwatt', { intervalSeconds: 60 }).facts.details.cpuCores).toBeUndefined();
    expect(parse('summary-only', { intervalSeconds: 1 }).facts.details.cpuCores).toBeUndefined();
  });

  it('numbers packages in row order without topology columns (V3 shape)', () => {
    const sink = parse('show-pkgwatt', { intervalSeconds: 60 });
    expect(sink.energies.map((e) => [e.t0, e.t1, e.socket, e.joules])).toEqual([
      [0, 60, 0, 102.84 * 60], [0, 60, 1, 97.29 * 60], [60, 120, 0, 100 * 60], [60, 120, 1, 90 * 60]]);
    const fallback = parse('show-pkgwatt');
    expect(fallback.warnings).toEqual([{ message: messages.turbostatDefaultInterval(5), line: undefined }]);
    expect(fallback.energies.map((e) => e.t1)).toEqual([5, 5, 10, 10]);
  });

  it('stores summary-only (-S) output at host level, energy socket null', () => {
    const sink = parse('summary-only', { intervalSeconds: 1 });
    expect(sink.facts.startEpochSeconds).toBe(1699999999.5);
    expect(sink.energies.filter((e) => e.domain === 'package').map((e) => [e.t0, e.t1, e.socket, e.joules]))
      .toEqual([[0, 1, null, 20.5], [1, 2, null, 21], [2, 3.25, null, 19 * 1.25]]);
    expect(sink.temps.slice(0, 2)).toEqual([
      { t: 1, scope: 'host', entity: 'host:CoreTmp', celsius: 45 },
      { t: 1, scope: 'host', entity: 'host:PkgTmp', celsius: 47 }]);
    expect(new Set(sink.samples.map((s) => s.scope))).toEqual(new Set(['host']));
  });

  it('takes --Joules columns as joules and skips foreign lines', () => {
    const sink = parse('joules-leading-tab', { intervalSeconds: 2 });
    expect(sink.energies).toEqual([
      { t0: 0, t1: 2, socket: 0, domain: 'package', joules: 150.25 },
      { t0: 0, t1: 2, socket: 0, domain: 'core', joules: 90.1 },
      { t0: 0, t1: 2, socket: 0, domain: 'dram', joules: 12.5 },
    ]);
    expect(sink.skippedLines).toBe(1);
    expect(sink.samples.find((s) => s.entity === 'S0' && s.event === 'turbostat:UncMHz')?.value).toBe(3800);
    // An `--add` raw counter after the package group is a package-scope sample; `usec` is no data.
    expect(sink.samples.find((s) => s.event === 'turbostat:M0x611')).toMatchObject({ scope: 'socket', value: 0x1234 });
    expect(sink.samples.some((s) => s.event === 'turbostat:usec')).toBe(false);
  });

  it('reads the space-aligned layout with a blank summary and `*` marks', () => {
    const sink = parse('old-spaces');
    expect(sink.samples.find((s) => s.entity === 'CPU4' && s.event === 'turbostat:%c1')?.value).toBe(15.84);
    expect(sink.samples.find((s) => s.entity === 'S0-C1' && s.event === 'turbostat:%c6')?.value).toBe(87.6);
    expect(sink.temps.filter((t) => t.t === 5).map((t) => `${t.scope}:${t.entity}=${t.celsius}`))
      .toEqual(['core:S0-C0=40', 'socket:S0=42', 'core:S0-C1=38']);
    expect(sink.energies.map((e) => [e.t1, e.domain, e.joules])).toEqual([
      [5, 'package', 62.5], [5, 'core', 16], [10, 'package', 65], [10, 'core', 15]]);
    expect(sink.warnings.map((w) => w.message)).toEqual([
      messages.turbostatDefaultInterval(5), messages.turbostatSuspect('Pkg_W'), messages.turbostatSuspect('Cor_W')]);
  });

  it('keeps rows without a CPU column only as host totals (V4 shape)', () => {
    const sink = parse('sysfs-no-topology');
    expect(sink.warnings.map((w) => w.message)).toEqual([messages.turbostatNoCpuColumn()]);
    expect(sink.samples.map((s) => [s.scope, s.t1, s.event, s.value])[0]).toEqual(['host', 10.003837, 'turbostat:C1', 4]);
    expect(sink.samples).toHaveLength(8);
  });

  it('sniffs turbostat and nothing else', () => {
    expect(sniff('turbostat version 2024.12.03 - Len Brown <lenb@kernel.org>\n')).toBe(3);
    expect(sniff(' Performance counter stats for \'system wide\':\n\n  1.00 Joules power/energy-pkg/\n')).toBe(0);
    expect(sniff('cpu0: POLL: CPUIDLE CORE POLL IDLE\ncpu0: C1: MWAIT 0x00\n')).toBe(0);
  });
});

describe('turbostat errors', () => {
  const header = 'Core\tCPU\tAvg_MHz\tBusy%\n';
  const fails = (text: string, code: string, line?: number): void => {
    let error: unknown;
    try {
      parseString(turbostat, text, { intervalSeconds: 1 }, 'bad.txt');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(TraceParseError);
    expect((error as TraceParseError).code).toBe(code);
    if (line !== undefined) expect((error as TraceParseError).context).toMatchObject({ file: 'bad.txt', line });
  };
  it('rejects a row wider than its header', () => fails(`${header}-\t-\t1\t2\t3\n`, 'turbostat.fieldCount', 2));
  it('rejects a non-number', () => fails(`${header}-\t-\t1\t2\n0\t0\t1\tx\n`, 'turbostat.badNumber', 3));
  it('rejects a bad CPU id', () => fails(`${header}-\t-\t1\t2\n0\t0.5\t1\t2\n`, 'turbostat.badNumber', 3));
  it('rejects time going backwards', () => fails(
    'Time_Of_Day_Seconds\tCPU\tBusy%\n100.000000\t-\t1\n99.000000\t-\t1\n', 'turbostat.timeBackwards', 3));
  it('rejects a file without records', () => fails('turbostat version 2024.12.03\nhello\n', 'turbostat.noRecords'));
  it('rejects a corrupted header', () => fails(`x\n;junk${header}`, 'turbostat.badHeader', 2));
});

describe('turbostat fuzzing', () => {
  for (const name of ['snr0-excerpt', 'fork-package', 'old-spaces']) {
    it(`${name}: truncation at any byte, byte flips, shuffled and duplicated lines`, () => {
      fuzzTextFixture(turbostat, fixture('turbostat', `${name}.txt`));
    });
  }
});

/** Independent re-read: per block, the summary stamp and the PkgWatt of rows that carry it. */
function rereadPackageJoules(text: string, firstSeconds: number): { joules: Map<string, number>; blocks: number; rows: number } {
  let cols: string[] = [];
  let prevMicros: bigint | null = null;
  let dt = 0;
  let blocks = 0;
  let rows = 0;
  const joules = new Map<string, number>();
  for (const line of text.split('\n')) {
    const f = line.split('\t');
    if (f[0] === 'Time_Of_Day_Seconds') {
      cols = f;
      continue;
    }
    if (cols.length === 0 || !/^\d+\.\d{6}$/.test(f[0]!)) continue;
    if (f[cols.indexOf('CPU')] === '-') {
      const micros = BigInt(f[0]!.replace('.', ''));
      dt = prevMicros === null ? firstSeconds : Number(micros - prevMicros) / 1e6;
      prevMicros = micros;
      blocks++;
      continue;
    }
    rows++;
    const w = f[cols.indexOf('PkgWatt')];
    if (w === undefined || w === '') continue;
    const pkg = cols.includes('Package') ? f[cols.indexOf('Package')]! : '0';
    joules.set(pkg, (joules.get(pkg) ?? 0) + Number(w) * dt);
  }
  return { joules, blocks, rows };
}

describe.skipIf(!hasRealTraces)('turbostat on real traces (stats-collect-turbostat)', () => {
  const hosts = {
    adl0: { cpus: 16, sockets: 1, coreTemps: 12 },
    bdwup0: { cpus: 8, sockets: 1, coreTemps: 4 },
    genoa0: { cpus: 128, sockets: 2, coreTemps: 0 },
    snr0: { cpus: 24, sockets: 1, coreTemps: 24 },
  };
  for (const [host, expected] of Object.entries(hosts)) {
    it(`${host}: energy per package matches an independent re-read to 1e-9`, () => {
      const path = realTrace('stats-collect-turbostat', host, 'turbostat.raw.txt');
      const text = readFileSync(path, 'utf8');
      const sink = parseString(turbostat, text, {}, path);
      const ref = rereadPackageJoules(text, 5);
      expect(ref.rows).toBe(ref.blocks * expected.cpus);
      expect(ref.joules.size).toBe(expected.sockets);
      for (const [pkg, joules] of ref.joules) {
        const got = sink.energies.filter((e) => e.domain === 'package' && e.socket === Number(pkg)).reduce((s, e) => s + e.joules, 0);
        expect(Math.abs(got - joules) / joules).toBeLessThan(1e-9);
      }
      expect(sink.energies.some((e) => e.socket === null)).toBe(false);
      expect(new Set(sink.energies.map((e) => e.t1)).size).toBe(ref.blocks);
      expect(sink.samples.filter((s) => s.event === 'turbostat:Busy%')).toHaveLength(ref.rows);
      expect(sink.temps.filter((t) => t.scope === 'core')).toHaveLength(ref.blocks * expected.coreTemps);
      expect(sink.temps.filter((t) => t.scope === 'socket')).toHaveLength(expected.coreTemps ? ref.blocks : 0);
      expect(sink.skippedLines).toBe(0);
      expect(sink.warnings).toEqual([]);
    });
  }

  it('adl0: spot values of the first block', () => {
    const path = realTrace('stats-collect-turbostat', 'adl0', 'turbostat.raw.txt');
    const sink = parseString(turbostat, readFileSync(path, 'utf8'), {}, path);
    expect(sink.facts.startEpochSeconds).toBeCloseTo(1737461761.722216 - 5, 6);
    const at5 = (entity: string, event: string): number | null | undefined =>
      sink.samples.find((s) => s.t1 === 5 && s.entity === entity && s.event === `turbostat:${event}`)?.value;
    expect(at5('CPU0', 'Busy%')).toBe(0.94);
    expect(at5('CPU8', 'IPC')).toBe(0.33);
    expect(at5('S0-C16', 'CPU%c6')).toBe(99.65);
    expect(at5('S0', 'Pkg%pc3')).toBe(87.9);
    expect(sink.temps.find((t) => t.t === 5 && t.entity === 'S0-C16')?.celsius).toBe(22);
    expect(sink.energies.filter((e) => e.t1 === 5).map((e) => [e.domain, e.joules]))
      .toEqual([['package', 1.32 * 5], ['core', 0.06 * 5], ['gpu', 0], ['dram', 0]]);
  });

  it('genoa0: summary CorWatt agrees with the per-core sum within print rounding', () => {
    const path = realTrace('stats-collect-turbostat', 'genoa0', 'turbostat.raw.txt');
    const sink = parseString(turbostat, readFileSync(path, 'utf8'), {}, path);
    const core = sink.energies.filter((e) => e.t1 === 5 && e.domain === 'core').reduce((s, e) => s + e.joules, 0);
    // 2 × 32 cores, each printed to 0.01 W: the sum may differ from the 1.66 W summary by < 0.005 W × 64.
    expect(Math.abs(core / 5 - 1.66)).toBeLessThan(0.005 * 64);
    expect(sink.samples.filter((s) => s.event === 'turbostat:CorWatt' && s.t1 === 5)).toHaveLength(64);
  });

  it('bdwup0-corrupted: the corrupted first header is a located error', () => {
    const path = realTrace('stats-collect-turbostat', 'bdwup0-corrupted', 'turbostat.raw.txt');
    let error: unknown;
    try {
      parseString(turbostat, readFileSync(path, 'utf8'), {}, path);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(TraceParseError);
    expect((error as TraceParseError).code).toBe('turbostat.badHeader');
    expect((error as TraceParseError).context.line).toBe(64);
    expect((error as TraceParseError).message).toBe(messages.turbostatBadColumn(';alksdfTime_Of_Day_Seconds'));
  });
});
