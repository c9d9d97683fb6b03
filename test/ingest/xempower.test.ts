import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseString } from '../../src/ingest/parse-string.js';
import type { ParseOptions } from '../../src/ingest/types.js';
import { XEMPOWER_ENERGY_UNIT_JOULES, xempower } from '../../src/ingest/xempower.js';
import { messages } from '../../src/messages.js';
import { fixture, fixturePath } from '../helpers/fixtures.js';
import { fuzzTextFixture } from '../helpers/fuzz-text.js';
import { sinkToGolden } from '../helpers/golden.js';
import { hasRealTraces, realTrace } from '../helpers/real-traces.js';
import { sniffText } from '../helpers/parse-checks.js';

const MILLI: ParseOptions = { tscHz: 1e9, extra: { energy_unit_joules: 0.001 } };
const parse = (text: string, options: ParseOptions = MILLI) => parseString(xempower, text, options, 'rapl.csv');
const sniff = (text: string): number => sniffText(xempower, text);
describe('xempower golden fixtures', () => {
  for (const name of ['rapl-wrap', 'pmc']) {
    it(name, async () => {
      const text = fixture('xempower', `${name}.csv`);
      await expect(sinkToGolden(parse(text))).toMatchFileSnapshot(fixturePath('xempower', `${name}.expected.csv`));
      expect(sniff(text)).toBe(3);
    });
  }
});

describe('xempower spot values', () => {
  it('gives each slice to the outgoing vCPU named by the row that ends it', () => {
    const sink = parse(fixture('xempower', 'rapl-wrap.csv'));
    // Origin = smallest TSC (1e9, pCPU 0); idle-domain slices give no rows.
    expect(sink.residencies).toEqual([
      { vm: 'd1', vcpu: 1, pcpu: 1, t0: 0.0005, t1: 0.002 },
      { vm: 'd1', vcpu: 0, pcpu: 0, t0: 0.001, t1: 0.003 },
      { vm: 'd0', vcpu: 1, pcpu: 1, t0: 0.002, t1: 0.004 },
    ]);
  });

  it('merges the pCPU blocks by TSC, resolves a 32-bit wrap and tiles energy between changes', () => {
    const sink = parse(fixture('xempower', 'rapl-wrap.csv'));
    const pkg = sink.energies.filter((e) => e.domain === 'package');
    // PKG 4294967000 → 4294967100 (+100) → 200 (wrap: 196 + 200 = 396) → 900 (+700), 1 mJ units.
    expect(pkg).toEqual([
      { t0: 0, t1: 0.002, socket: 0, domain: 'package', joules: expect.closeTo(0.1, 12) },
      { t0: 0.002, t1: 0.003, socket: 0, domain: 'package', joules: expect.closeTo(0.396, 12) },
      { t0: 0.003, t1: 0.004, socket: 0, domain: 'package', joules: expect.closeTo(0.7, 12) },
    ]);
    expect(sink.energies.filter((e) => e.domain === 'uncore').map((e) => [e.t0, e.t1])).toEqual([[0, 0.003], [0.003, 0.004]]);
    expect(sink.energies.some((e) => e.domain === 'dram')).toBe(false);
    expect(sink.warnings.map((w) => w.message)).toEqual([messages.allZeroEnergy('DRAM')]);
    expect(sink.facts.details).toMatchObject({ rows: 7, firstSlicesDropped: 2, lateRows: 0, energyUnitJoules: 0.001 });
  });

  it('defaults to 2^-16 J and 2.4 GHz with warnings; drops implausible power', () => {
    const sink = parse(fixture('xempower', 'rapl-wrap.csv'), {});
    expect(sink.warnings.map((w) => w.message)).toEqual(expect.arrayContaining([
      messages.xenTscHzAssumed(2.4e9), messages.xempowerUnitAssumed(XEMPOWER_ENERGY_UNIT_JOULES)]));
    expect(sink.energies[0]!.joules).toBe(100 * 2 ** -16);
    const capped = parse(fixture('xempower', 'rapl-wrap.csv'), { ...MILLI, maxPlausibleWatts: 300 });
    // 0.396 J in 1 ms and 0.7 J in 1 ms exceed 300 W.
    expect(capped.energies.filter((e) => e.domain === 'package')).toHaveLength(1);
  });

  it('uses the topology to keep sockets apart', () => {
    const topology = { sockets: 2, coresPerSocket: 1, threadsPerCore: 1 };
    const sink = parse(fixture('xempower', 'rapl-wrap.csv'), { ...MILLI, topology });
    expect(new Set(sink.energies.map((e) => e.socket))).toEqual(new Set([0, 1]));
  });

  it('fails on a bad header, a short row or a non-number', () => {
    expect(() => parse('TSC;CPU;DOM\n')).toThrow(expect.objectContaining({ code: 'xempower.header' }));
    expect(() => parse('TSC,CPU,DOM,vCPU,PKG\n1,0,0\n')).toThrow(expect.objectContaining({ code: 'xempower.row' }));
    expect(() => parse('TSC,CPU,DOM,vCPU,PKG\n1,0,0,x,5\n')).toThrow(expect.objectContaining({ code: 'xempower.row' }));
    expect(() => parse('TSC,CPU,DOM,vCPU,PKG\n')).toThrow(expect.objectContaining({ code: 'xempower.noRecords' }));
  });

  it('sniffs its header only', () => {
    expect(sniff('# started on Tue Mar  4 10:00:01 2025\n\n1.001,123,,cycles,1000,100.00,,\n')).toBe(0);
    expect(sniff('1.001,1234,Joules,power/energy-pkg/,1000,100.00,,\n')).toBe(0);
    expect(sniff('CPU0  10001000000 (+       0)  __enter_scheduler [ ]\n')).toBe(0);
  });
});

describe.skipIf(!hasRealTraces)('xempower real recording (xempower-xen-ctxswitch-rapl-pmc)', () => {
  const dir = 'xempower-xen-ctxswitch-rapl-pmc';
  const read = (name: string) => readFileSync(realTrace(dir, name), 'utf8');
  const table = (text: string) => text.trim().split('\n').slice(1).map((l) => l.split(',').map(Number));
  const hz = 3.4e9;

  it('energy totals equal the raw counters\' increase (independent re-read, 1e-9 relative)', () => {
    const sink = parse(read('rapl.csv'), { tscHz: hz });
    const rows = table(read('rapl.csv'));
    expect(rows).toHaveLength(29964);
    // No counter wraps in this file: the increase is max − min of each column.
    const increase = (col: number) => Math.max(...rows.map((r) => r[col]!)) - Math.min(...rows.map((r) => r[col]!));
    const total = (domain: string) => sink.energies.filter((e) => e.domain === domain).reduce((s, e) => s + e.joules, 0);
    expect(increase(4)).toBe(195292977);
    expect(Math.abs(total('package') / (increase(4) * 2 ** -16) - 1)).toBeLessThan(1e-9);
    expect(Math.abs(total('core') / (increase(5) * 2 ** -16) - 1)).toBeLessThan(1e-9);
    expect(Math.abs(total('uncore') / (increase(6) * 2 ** -16) - 1)).toBeLessThan(1e-9);
    // Plausibility: ≈2980 J over ≈111 s at 3.4 GHz, ≈26.8 W package.
    const span = (Math.max(...rows.map((r) => r[0]!)) - Math.min(...rows.map((r) => r[0]!))) / hz;
    expect(total('package') / span).toBeCloseTo(26.79, 2);
    expect(sink.facts.details).toMatchObject({ rows: 29964, firstSlicesDropped: 4, originTick: 23496246876098, lateRows: 16 });
  });

  it('residency: one slice per row after each pCPU\'s first, guests only, never on two pCPUs at once', () => {
    const sink = parse(read('rapl.csv'), { tscHz: hz });
    const rows = table(read('rapl.csv'));
    const seen = new Set<number>();
    let expected = 0;
    for (const r of rows) {
      if (seen.has(r[1]!) && r[2] !== 32767) expected++;
      seen.add(r[1]!);
    }
    expect(sink.residencies).toHaveLength(expected);
    expect(expected).toBe(22068);
    const byVcpu = new Map<string, { t0: number; t1: number }[]>();
    for (const r of sink.residencies) byVcpu.set(`${r.vm}v${r.vcpu}`, [...(byVcpu.get(`${r.vm}v${r.vcpu}`) ?? []), r]);
    for (const spans of byVcpu.values()) {
      spans.sort((a, b) => a.t0 - b.t0);
      for (let i = 1; i < spans.length; i++) expect(spans[i]!.t0).toBeGreaterThanOrEqual(spans[i - 1]!.t1);
    }
  });

  it('PMC samples: one per event and slice for the vCPU and one for the pCPU, each summing to the raw columns', () => {
    const sink = parse(read('pmc.csv'), { tscHz: hz });
    const rows = table(read('pmc.csv'));
    const first = new Set<number>();
    let uops = 0;
    for (const r of rows) {
      if (first.has(r[1]!)) uops += r[4]!;
      first.add(r[1]!);
    }
    expect(sink.samples).toHaveLength((29964 - 4) * 4 * 2);
    for (const scope of ['vcpu', 'cpu']) {
      expect(sink.samples.filter((s) => s.scope === scope && s.event === 'UOPS_RETIRED.ALL').reduce((s, r) => s + r.value!, 0)).toBe(uops);
    }
    expect(sink.residencies).toEqual([]);
    expect(sink.samples.filter((s) => s.entity.startsWith('d32767v') && s.event === 'UOPS_RETIRED.ALL')
      .every((s) => s.value === 0)).toBe(true);
  });
});

describe('xempower fuzzing', () => {
  it('truncated, flipped, shuffled and duplicated lines give rows or a VheatError', () => {
    fuzzTextFixture(xempower, fixture('xempower', 'rapl-wrap.csv'), MILLI);
    fuzzTextFixture(xempower, fixture('xempower', 'pmc.csv'), MILLI);
  });
});
