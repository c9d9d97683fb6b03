import { mkdirSync, mkdtempSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseString } from '../../src/ingest/parse-string.js';
import { powercap, powercapHeader } from '../../src/ingest/powercap.js';
import { recordPowercap } from '../../src/record/powercap-reader.js';

/** A tiny package range, so the counter wraps every 67 ms whatever the machine's load. */
const packageRange = 100_000;
const coreRange = 65_712_999_613;
let stop = (): void => undefined;
afterEach(() => stop());

/**
 * A powercap tree in a temp folder. Once started, a timer sets each counter from the elapsed
 * time: package 1500 µJ per ms (1.5 W, wrapping every 67 ms), core 500 µJ per ms.
 */
function fakePowercap(): { root: string; start: () => void } {
  const root = mkdtempSync(join(tmpdir(), 'vheat-powercap-'));
  const zones = [
    { zone: 'intel-rapl:0', name: 'package-0', range: packageRange, base: 0, perMs: 1_500 },
    { zone: 'intel-rapl:0:0', name: 'core', range: coreRange, base: 1_000, perMs: 500 },
  ];
  const write = (file: string, text: string): void => {
    // rename keeps each write atomic: the reader never sees a half-written counter
    writeFileSync(`${file}.tmp`, text);
    renameSync(`${file}.tmp`, file);
  };
  for (const z of zones) {
    mkdirSync(join(root, z.zone));
    writeFileSync(join(root, z.zone, 'name'), `${z.name}\n`);
    writeFileSync(join(root, z.zone, 'max_energy_range_uj'), `${z.range}\n`);
    write(join(root, z.zone, 'energy_uj'), `${z.base}\n`);
  }
  return {
    root,
    start() {
      const t0 = performance.now();
      const timer = setInterval(() => {
        const ms = performance.now() - t0;
        for (const z of zones) write(join(root, z.zone, 'energy_uj'), `${Math.floor(z.base + z.perMs * ms) % z.range}\n`);
      }, 3);
      stop = () => clearInterval(timer);
    },
  };
}

/** Joules per zone straight from the CSV: consecutive differences, one wrap at the zone's range (§3.3). */
function joulesFromCsv(text: string): Map<string, number> {
  const last = new Map<string, number>();
  const total = new Map<string, number>();
  for (const line of text.trim().split('\n').slice(1)) {
    const [, zone, , uj, range] = line.split(',');
    const cur = Number(uj);
    const prev = last.get(zone!);
    if (prev !== undefined) total.set(zone!, (total.get(zone!) ?? 0) + (cur >= prev ? cur - prev : Number(range) - prev + cur) / 1e6);
    last.set(zone!, cur);
  }
  return total;
}


describe('the built-in powercap reader', () => {
  it('writes the powercap dump that the powercap parser ingests, wrap included', async () => {
    const tree = fakePowercap();
    tree.start();
    const out = join(tree.root, 'powercap.csv');
    const rounds = await recordPowercap({ root: tree.root, zones: ['intel-rapl:0', 'intel-rapl:0:0'], intervalMs: 20, durationSeconds: 0.2, out });
    const text = readFileSync(out, 'utf8');
    const lines = text.trim().split('\n');
    expect(rounds).toBe(11);
    expect(lines[0]).toBe(powercapHeader);
    expect(lines).toHaveLength(1 + 2 * rounds);
    expect(lines[1]).toMatch(/^\d{10}\.\d{6},intel-rapl:0,package-0,\d+,100000$/);
    expect(lines[2]).toMatch(/^\d{10}\.\d{6},intel-rapl:0:0,core,\d+,65712999613$/);
    // epoch seconds of each read, in order (the spacing depends on the machine's load)
    const times = lines.slice(1).map((l) => Number(l.split(',')[0]));
    expect(times.every((t, i) => i === 0 || t >= times[i - 1]!)).toBe(true);
    expect(Math.abs(times[0]! - Date.now() / 1000)).toBeLessThan(60);

    const sink = parseString(powercap, text, {}, out);
    expect(sink.energies).toHaveLength(2 * (rounds - 1));
    const expected = joulesFromCsv(text);
    const byDomain = (domain: string): number => sink.energies.filter((e) => e.domain === domain).reduce((s, e) => s + e.joules, 0);
    expect(byDomain('package')).toBeCloseTo(expected.get('intel-rapl:0')!, 9);
    expect(byDomain('core')).toBeCloseTo(expected.get('intel-rapl:0:0')!, 9);
    // the package counter wrapped during the run, and the parser added the wrap back
    const packageUj = lines.slice(1).filter((l) => l.includes(',package-0,')).map((l) => Number(l.split(',')[3]));
    expect(packageUj.some((uj, i) => i > 0 && uj < packageUj[i - 1]!)).toBe(true);
    expect(byDomain('package')).toBeGreaterThan(0);
  });

  it('stops early on abort and leaves a well-formed file', async () => {
    const tree = fakePowercap();
    tree.start();
    const out = join(tree.root, 'powercap.csv');
    const abort = new AbortController();
    // abort once two readings are on disk, however slow the machine is
    const watch = setInterval(() => {
      if (readFileSync(out, { encoding: 'utf8', flag: 'a+' }).trim().split('\n').length >= 3) abort.abort();
    }, 5);
    const rounds = await recordPowercap({ root: tree.root, zones: ['intel-rapl:0:0'], intervalMs: 20, durationSeconds: 30, out, signal: abort.signal })
      .finally(() => clearInterval(watch));
    expect(rounds).toBeGreaterThanOrEqual(2);
    expect(rounds).toBeLessThan(100);
    const lines = readFileSync(out, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(1 + rounds);
    expect(parseString(powercap, lines.join('\n')).energies).toHaveLength(rounds - 1);
  });
});
