import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseString } from '../../src/ingest/parse-string.js';
import type { ParseOptions } from '../../src/ingest/types.js';
import { xentop } from '../../src/ingest/xentop.js';
import { splitXentopLine } from '../../src/ingest/xentop-line.js';
import { messages } from '../../src/messages.js';
import { fixture, fixturePath } from '../helpers/fixtures.js';
import { fuzzTextFixture } from '../helpers/fuzz-text.js';
import { sinkToGolden } from '../helpers/golden.js';
import { hasRealTraces, realTrace } from '../helpers/real-traces.js';
import { sniffText } from '../helpers/parse-checks.js';

const parse = (text: string, options: ParseOptions = { intervalSeconds: 1 }) => parseString(xentop, text, options, 'xentop.txt');
const sniff = (text: string): number => sniffText(xentop, text);
const cases: Record<string, ParseOptions> = {
  'xcpng83-excerpt': { intervalSeconds: 1 },
  'old-layout': { intervalSeconds: 1 },
  'repeat-full-vcpus': { intervalSeconds: 2 },
};

describe('xentop golden fixtures', () => {
  for (const [name, options] of Object.entries(cases)) {
    it(name, async () => {
      const text = fixture('xentop', `${name}.txt`);
      await expect(sinkToGolden(parse(text, options))).toMatchFileSnapshot(fixturePath('xentop', `${name}.expected.csv`));
      expect(sniff(text)).toBe(3);
    });
  }
});

describe('xentop spot values', () => {
  it('tokenises names with spaces, `no limit` and n/a by finding STATE from the right', () => {
    expect(splitXentopLine('r-vm-06 pr --b---      13749    0.4    2097140')).toEqual(
      { name: 'r-vm-06 pr', state: '--b---', fields: ['13749', '0.4', '2097140'] });
    expect(splitXentopLine('  Domain-0 -----r       1414    0.0     768768    2.3   no limit       n/a     8')?.fields)
      .toEqual(['1414', '0.0', '768768', '2.3', 'no limit', 'n/a', '8']);
    expect(splitXentopLine('VBD BlkBack 51712 [ca: 0]  OO: 0')).toBeUndefined();
  });

  it('differences cumulative counters per domain: KiB → bytes, sectors → bytes', () => {
    const sink = parse(fixture('xentop', 'repeat-full-vcpus.txt'), { intervalSeconds: 2 });
    // web server 01, iteration 0 → 1 (t = 0 → 2 s): CPU 50 → 53, NETTX 100 → 104 KiB,
    // VBD_RD 10 → 12 with RSECT 80 → 96 (16 × 512 B), VBD_WR 20 → 25 with WSECT 160 → 200.
    expect(sink.samples.filter((s) => s.scope === 'vm')).toEqual([
      { t0: 0, t1: 2, scope: 'vm', entity: 'Domain-0', cpu: null, event: 'xen:cpu_seconds', value: 2, enabled: null },
      { t0: 0, t1: 2, scope: 'vm', entity: 'web server 01', cpu: null, event: 'xen:cpu_seconds', value: 3, enabled: null },
      { t0: 2, t1: 4, scope: 'vm', entity: 'Domain-0', cpu: null, event: 'xen:cpu_seconds', value: 3, enabled: null },
    ]);
    expect(sink.ios).toEqual([
      { vm: 'web server 01', t0: 0, t1: 2, kind: 'net_tx', ops: null, bytes: 4096 },
      { vm: 'web server 01', t0: 0, t1: 2, kind: 'net_rx', ops: null, bytes: 10240 },
      { vm: 'web server 01', t0: 0, t1: 2, kind: 'vbd_read', ops: 2, bytes: 8192 },
      { vm: 'web server 01', t0: 0, t1: 2, kind: 'vbd_write', ops: 5, bytes: 20480 },
    ]);
    expect(sink.samples.filter((s) => s.entity === 'web server 01/v5').map((s) => s.value)).toEqual([1]);
    // The restart (counters back to ~0) drops the domain's third interval, with a warning.
    expect(sink.warnings.map((w) => w.message)).toContain(messages.xentopCounterDecrease('web server 01'));
    expect(sink.facts.details).toMatchObject({ iterations: 3, intervalSeconds: 2, intervalAssumed: false, sectorColumns: true });
  });

  it('gives no io rows for domains without devices, and none for sectors in the old layout', () => {
    const sink = parse(fixture('xentop', 'old-layout.txt'));
    expect(sink.ios.filter((r) => r.vm === 'Domain-0')).toEqual([]);
    expect(sink.ios.find((r) => r.kind === 'vbd_read')).toEqual(
      { vm: 'guest1', t0: 0, t1: 1, kind: 'vbd_read', ops: 5, bytes: null });
    expect(sink.facts.details).toMatchObject({ sectorColumns: false });
  });

  it('assumes 1 s between iterations with a warning', () => {
    const sink = parse(fixture('xentop', 'old-layout.txt'), {});
    expect(sink.warnings.map((w) => w.message)).toEqual([messages.xentopIntervalAssumed(1)]);
    expect(sink.facts.details).toMatchObject({ intervalAssumed: true });
  });

  it('fails on a wrong field count or a non-number, skips lines before any header', () => {
    const h = fixture('xentop', 'old-layout.txt').split('\n')[0]!;
    expect(() => parse(`${h}\n  Domain-0 -----r       1414    0.0\n`)).toThrow(expect.objectContaining({ code: 'xentop.fieldCount' }));
    expect(() => parse(`${h}\n  Domain-0 -----r  14x14 0.0 768768 2.3 1 1 8 0 0 0 0 0 0 0 0\n`))
      .toThrow(expect.objectContaining({ code: 'xentop.number' }));
    expect(parse(`xentop: some warning\n${fixture('xentop', 'old-layout.txt')}`).skippedLines).toBe(1);
    expect(() => parse('')).toThrow(expect.objectContaining({ code: 'xentop.noRecords' }));
  });

  it('sniffs the header only', () => {
    expect(sniff('CPU0  10001000000 (+       0)  __enter_scheduler [ ]\n')).toBe(0);
    expect(sniff('cpu id               : 0\ntotal C-states       : 4\n')).toBe(0);
    expect(sniff('TSC,CPU,DOM,vCPU,PKG,PP0,PP1,DRAM\n')).toBe(0);
  });
});

describe.skipIf(!hasRealTraces)('xentop real capture (xentop-batch-xcpng83)', () => {
  it('reads 2 iterations of 9 domains and matches an independent re-read', () => {
    const text = readFileSync(realTrace('xentop-batch-xcpng83', 'xcpng-8.3-b-i2-d1.txt'), 'utf8');
    const sink = parse(text);
    expect(sink.skippedLines).toBe(0);
    expect(sink.facts.details).toMatchObject({ iterations: 2 });
    expect(sink.samples).toHaveLength(9);
    expect(sink.samples.every((s) => s.value === 0 && s.t0 === 0 && s.t1 === 1)).toBe(true);
    // Independent: fixed columns from the right (SSID last): WR is 4th, WSECT 2nd from the end.
    const rows = text.trim().split('\n').filter((l) => !l.includes('NAME')).map((l) => l.trim().split(/\s+/).reverse());
    const wsect = (r: string[]) => Number(r[1]);
    const wr = (r: string[]) => Number(r[3]);
    const expectedWriteBytes = rows.slice(9).reduce((s, r, i) => s + (wsect(r) - wsect(rows[i]!)) * 512, 0);
    const expectedWrites = rows.slice(9).reduce((s, r, i) => s + wr(r) - wr(rows[i]!), 0);
    const writes = sink.ios.filter((r) => r.kind === 'vbd_write');
    expect(writes).toHaveLength(8);
    expect(writes.reduce((s, r) => s + r.bytes!, 0)).toBe(expectedWriteBytes);
    expect(writes.reduce((s, r) => s + r.ops!, 0)).toBe(expectedWrites);
    expect(writes.find((r) => r.vm === 's-vm 007')).toEqual(
      { vm: 's-vm 007', t0: 0, t1: 1, kind: 'vbd_write', ops: 3, bytes: 32 * 512 });
    expect(sink.ios.filter((r) => r.kind.startsWith('net'))).toEqual([]);
  });
});

describe('xentop fuzzing', () => {
  it('truncated, flipped, shuffled and duplicated lines give rows or a VheatError', () => {
    fuzzTextFixture(xentop, fixture('xentop', 'repeat-full-vcpus.txt'), { intervalSeconds: 1 });
  });
});
