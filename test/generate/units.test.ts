import { describe, expect, it } from 'vitest';
import { AsciiBuffer } from '../../src/generate/ascii-buffer.js';
import type { ChunkWriter } from '../../src/generate/chunk-writer.js';
import { RaplModel } from '../../src/generate/rapl.js';
import { hashUniform, Rng } from '../../src/generate/rng.js';
import { parseScenario } from '../../src/generate/scenario.js';
import { ThermalNetwork } from '../../src/generate/thermal-truth.js';
import { hostTopology } from '../../src/generate/topology.js';

const scenario = (over: Record<string, unknown> = {}) => parseScenario({
  name: 'u', hypervisor: 'kvm', duration_seconds: 1, topology: { sockets: 2, cores_per_socket: 3, threads_per_core: 2 },
  vms: [{ name: 'a', vcpus: 1, tasks: [{ name: 't', phases: [{ kind: 'cpu', seconds: 1 }] }] }], ...over,
});

describe('rng', () => {
  it('gives one reproducible stream per seed and purpose', () => {
    const draw = (seed: number, purpose: string) => { const r = new Rng(seed, purpose); return [r.uint32(), r.uint32(), r.uint32()]; };
    expect(draw(1, 'a')).toEqual(draw(1, 'a'));
    expect(draw(1, 'a')).not.toEqual(draw(1, 'b'));
    expect(draw(1, 'a')).not.toEqual(draw(2, 'a'));
    expect(hashUniform(9, 123)).toBe(hashUniform(9, 123));
  });

  it('draws with the advertised moments', () => {
    const r = new Rng(3, 'moments');
    const n = 20000;
    let u = 0;
    let c2 = 0;
    let e = 0;
    for (let i = 0; i < n; i++) {
      const x = r.uniform();
      expect(x >= 0 && x < 1).toBe(true);
      u += x;
      c2 += r.centred() ** 2;
      e += r.exponential(5);
    }
    expect(u / n).toBeCloseTo(0.5, 1);
    expect(c2 / n).toBeCloseTo(1, 1);
    expect(e / n).toBeGreaterThan(4.7);
    expect(e / n).toBeLessThan(5.3);
  });
});

describe('topology', () => {
  it('numbers SMT siblings k and k + cores, as Linux does on Intel servers', () => {
    const t = hostTopology(2, 3, 2);
    expect(Array.from(t.cpuSocket)).toEqual([0, 0, 0, 1, 1, 1, 0, 0, 0, 1, 1, 1]);
    expect(Array.from(t.cpuCore)).toEqual([0, 1, 2, 3, 4, 5, 0, 1, 2, 3, 4, 5]);
    expect(Array.from(t.socketFirstCpu)).toEqual([0, 3]);
    expect(Array.from(t.turbostatOrder)).toEqual([0, 6, 1, 7, 2, 8, 3, 9, 4, 10, 5, 11]);
  });
});

describe('RAPL model', () => {
  it('has the kernel\'s units and ranges: 61035 nJ → 262143328850 µJ, 15258 nJ → 65532610987 µJ', () => {
    const r = new RaplModel(scenario(), 1);
    expect(Array.from(r.unitNj)).toEqual([61035, 61035, 15258]);
    expect(Array.from(r.rangeUj)).toEqual([262143328850, 262143328850, 65532610987]);
    expect(Array.from(r.esuJoules)).toEqual([2 ** -14, 2 ** -14, 2 ** -16]);
  });

  it('reads the value of the last refresh (about every ms) and wraps energy_uj at the register width', () => {
    const r = new RaplModel(scenario({ rapl: { counter_bits: 20 } }), 1);
    let prev = -Infinity;
    for (let t = 0; t < 20000; t += 37) {
      const u = r.lastUpdate(1, t);
      expect(u).toBeLessThanOrEqual(t);
      expect(u).toBeGreaterThan(t - 1000 - 2 * 50);
      expect(u).toBeGreaterThanOrEqual(prev);
      prev = u;
    }
    expect(r.microjoules(0, r.modulus + 10)).toBe(Math.floor((10 * 61035) / 1000));
    expect(r.count(0, 0, 1)).toBe(r.initial[0]! + 16384);
  });
});

describe('thermal network', () => {
  it('settles to the hand-worked steady state under uniform power', () => {
    const s = scenario();
    const p = s.thermal;
    const net = new ThermalNetwork(s, hostTopology(2, 3, 2));
    const perCore = 5;
    const sink = 10;
    net.settle(new Float64Array(6).fill(perCore), new Float64Array(2).fill(sink));
    // no flow between equal cores: heatsink carries n·P + P_sink to ambient, each core P to the heatsink
    const hs = p.ambient_celsius + (3 * perCore + sink) / p.heatsink_to_ambient_w_per_k;
    expect(net.heatsinks[0]).toBeCloseTo(hs, 6);
    expect(net.cores[2]).toBeCloseTo(hs + perCore / p.core_to_heatsink_w_per_k, 6);
  });

  it('stays stable and monotone for any step length', () => {
    const s = scenario();
    const net = new ThermalNetwork(s, hostTopology(2, 3, 2));
    const hot = new Float64Array(6);
    hot[0] = 20;
    let prev = net.cores[0]!;
    for (const dt of [0.01, 1, 100, 1e4]) {
      net.step(dt, hot, new Float64Array(2));
      expect(net.cores[0]!).toBeGreaterThanOrEqual(prev);
      expect(net.cores[0]!).toBeLessThan(200);
      expect(net.cores[1]!).toBeLessThanOrEqual(net.cores[0]!);
      prev = net.cores[0]!;
    }
  });
});

describe('ASCII buffer', () => {
  it('prints whole numbers and %.2f as C would', () => {
    const chunks: Uint8Array[] = [];
    const out = { pushBytes: (b: Uint8Array) => chunks.push(b.slice()) } as unknown as ChunkWriter;
    const b = new AsciiBuffer(out, 64);
    const rng = new Rng(5, 'ascii');
    const ints = [0, 9, 10, 99, 100, 12345678, 99999999, 1e8, 100000007, 2400000000, 123456789012, 2 ** 53 - 1,
      ...Array.from({ length: 500 }, () => Math.floor(rng.uniform() * 10 ** rng.int(16)))];
    const fixed = [0, 0.004, 0.996, 1.5, 42.4242, 99.994, 99.996, 100, 1234.567, 2e6 + 0.125,
      ...Array.from({ length: 500 }, () => rng.uniform() * 10 ** rng.int(7))];
    for (const n of ints) { b.uint(n); b.byte(44); }
    for (const x of fixed) { b.fixed2(x); b.byte(44); }
    b.hand();
    const text = chunks.map((c) => new TextDecoder().decode(c)).join('');
    expect(text).toBe([...ints.map(String), ...fixed.map((x) => x.toFixed(2))].map((s) => `${s},`).join(''));
  });
});
