import { describe, expect, it } from 'vitest';
import { PolicyError } from '../../src/errors.js';
import { Rng } from '../../src/generate/rng.js';
import { messages } from '../../src/messages.js';
import { energyBalancePolicy } from '../../src/policies/energy-balance.js';
import { pinnedPolicy } from '../../src/policies/pinned.js';
import { hostRun, thermalRun, total, type HostScenario } from '../helpers/host-scenario.js';
import { hostContext, miniState } from '../helpers/replay-engine.js';

/** vCPUs on each pCPU, each list sorted. */
function byPcpu(placement: ArrayLike<number>, pcpus: number): number[][] {
  const out: number[][] = Array.from({ length: pcpus }, () => []);
  for (let v = 0; v < placement.length; v++) out[placement[v]!]!.push(v);
  return out;
}

// Tiny half-life: profiles and demand equal the last tick's, so expected watts are hand-computable.
const exact = { halflife_ms: '0.001', interval_ms: '10' };

describe('energy-balance', () => {
  it('swaps a hot and a cool vCPU when both hot ones share a core: one of each per core after one interval', () => {
    // vCPUs 0, 1 draw 10 W, 2, 3 draw 2 W, each wants 40 % of a pCPU. Moving one vCPU would load
    // a pCPU to 120 %, so the balancer must swap: 2 migrations, then nothing more.
    const run = hostRun({ pcpus: 2, watts: [10, 10, 2, 2], demand: [0.4, 0.4, 0.4, 0.4], initial: [0, 0, 1, 1] }, energyBalancePolicy());
    run.advance(100);
    expect([...run.state.vcpuPcpu]).toEqual([0, 0, 1, 1]);
    run.advance(1); // tick 100: the first 100 ms interval
    const [on0, on1] = byPcpu(run.state.vcpuPcpu, 2);
    expect(on0!.filter((v) => v < 2)).toHaveLength(1);
    expect(on1!.filter((v) => v < 2)).toHaveLength(1);
    expect(total(run.migrations)).toBe(2);
    run.advance(500);
    expect(total(run.migrations)).toBe(2);
  });

  it('leaves an already balanced placement alone', () => {
    const run = hostRun({ pcpus: 2, watts: [10, 10, 2, 2], demand: [0.4, 0.4, 0.4, 0.4], initial: [0, 1, 0, 1] }, energyBalancePolicy());
    run.advance(600);
    expect(total(run.migrations)).toBe(0);
    expect([...run.state.vcpuPcpu]).toEqual([0, 1, 0, 1]);
  });

  it('migrates only when the spread falls by more than resist_w per migration', () => {
    // pCPU 0: 10 W + 6 W, pCPU 1: 4 W + 2 W, all at 40 %: cores 6.4 W and 2.4 W, spread 4.0 W.
    // The best swaps (10↔4 or 6↔2) leave 4.0 / 4.8 W: spread 0.8 W, a 3.2 W cut for two
    // migrations; single moves would load a pCPU to 120 %. Net of resistance: 3.2 − 2 × 1.55 > 0,
    // 3.2 − 2 × 1.65 < 0. After the swap no move cuts the spread further.
    const sc = (resist: string): HostScenario => ({
      pcpus: 2, watts: [10, 6, 4, 2], demand: [0.4, 0.4, 0.4, 0.4], initial: [0, 0, 1, 1], params: { ...exact, resist_w: resist },
    });
    const moves = hostRun(sc('1.55'), energyBalancePolicy());
    moves.advance(100);
    expect(total(moves.migrations)).toBe(2);
    const [on0] = byPcpu(moves.state.vcpuPcpu, 2);
    expect([[1, 2], [0, 3]]).toContainEqual(on0);
    const stays = hostRun(sc('1.65'), energyBalancePolicy());
    stays.advance(100);
    expect(total(stays.migrations)).toBe(0);
  });

  it('resistance stops ping-pong on noisy profiles that are equal on average', () => {
    // Four 5 W vCPUs whose power jitters by ±0.5 W each interval: any swap cuts the spread by at
    // most 0.4 × 2 × 1 W = 0.8 W, under the default resistance of 2 × 0.5 W; without resistance
    // the noise alone makes vCPUs change places interval after interval.
    const runWith = (params: Record<string, string>): number => {
      const run = hostRun({ pcpus: 2, watts: [5, 5, 5, 5], demand: [0.4, 0.4, 0.4, 0.4], initial: [0, 0, 1, 1], params }, energyBalancePolicy());
      const noise = new Rng(7, 'noise');
      for (let k = 0; k < 30; k++) {
        for (let v = 0; v < 4; v++) run.setWatts(v, 5 + (noise.uniform() - 0.5));
        run.advance(10);
      }
      return total(run.migrations);
    };
    expect(runWith(exact)).toBe(0);
    expect(runWith({ ...exact, resist_w: '0' })).toBeGreaterThan(10);
  });

  it('never piles vCPUs onto a pCPU beyond load_cap, however uneven the power', () => {
    // pCPU 0: two 10 W vCPUs at 50 % (full); pCPU 1: one 1 W vCPU at 90 %. Every move or swap
    // would load a pCPU to 140 % or more, so the 9.1 W spread stays under the default cap of 0.9.
    const sc = (params: Record<string, string>): HostScenario => ({
      pcpus: 2, watts: [10, 10, 1], demand: [0.5, 0.5, 0.9], initial: [0, 0, 1], params: { ...exact, ...params },
    });
    const capped = hostRun(sc({}), energyBalancePolicy());
    capped.advance(300);
    expect(total(capped.migrations)).toBe(0);
    const uncapped = hostRun(sc({ load_cap: '2' }), energyBalancePolicy());
    uncapped.advance(300);
    expect(total(uncapped.migrations)).toBeGreaterThan(0);
  });

  it('makes at most max_migrations migrations per interval', () => {
    // Four 10 W vCPUs on pCPUs 0, 1 and four 2 W on pCPUs 2, 3: two swaps are needed; with a
    // budget of 2 per interval they take two intervals.
    const run = hostRun({
      pcpus: 4, watts: [10, 10, 10, 10, 2, 2, 2, 2], demand: Array(8).fill(0.4) as number[], initial: [0, 0, 1, 1, 2, 2, 3, 3],
      params: { ...exact, max_migrations: '2' },
    }, energyBalancePolicy());
    run.advance(50);
    const perInterval = [0, 1, 2, 3, 4].map((k) => total(run.migrations.slice(k * 10, k * 10 + 10)));
    expect(perInterval).toEqual([0, 2, 2, 0, 0]);
    for (const on of byPcpu(run.state.vcpuPcpu, 4)) expect(on.map((v) => (v < 4 ? 'hot' : 'cool'))).toEqual(['hot', 'cool']);
  });

  it('balances SMT cores, not pCPUs: siblings share a core', () => {
    // pCPUs 0 and 2 are core 0, pCPUs 1 and 3 core 1. The hot vCPUs 0, 1 sit on pCPUs 0 and 2,
    // each pCPU balanced but core 0 drawing all the heat; a swap puts one hot vCPU on each core.
    const run = hostRun({
      pcpus: 4, pcpuCore: [0, 1, 0, 1], watts: [10, 10, 2, 2], demand: [0.8, 0.8, 0.8, 0.8], initial: [0, 2, 1, 3], params: exact,
    }, energyBalancePolicy());
    run.advance(50);
    const core = (v: number): number => run.state.config.layout.pcpuCore[run.state.vcpuPcpu[v]!]!;
    expect(core(0)).not.toBe(core(1));
    expect(total(run.migrations)).toBe(2);
  });

  it('balances package power across sockets', () => {
    // Two sockets of one core each: the per-package core spread is 0, only the package term acts.
    const run = hostRun({ pcpus: 2, sockets: 2, watts: [10, 10, 2, 2], demand: [0.4, 0.4, 0.4, 0.4], initial: [0, 0, 1, 1], params: exact },
      energyBalancePolicy());
    run.advance(20);
    const [on0] = byPcpu(run.state.vcpuPcpu, 2);
    expect(on0!.filter((v) => v < 2)).toHaveLength(1);
    expect(total(run.migrations)).toBe(2);
  });

  it('breaks ties with its random stream: seeds differ, a seed repeats', () => {
    const placement = (seed: number): string => {
      const run = hostRun({ pcpus: 2, watts: [10, 10, 2, 2], demand: [0.4, 0.4, 0.4, 0.4], initial: [0, 0, 1, 1], params: exact, seed },
        energyBalancePolicy());
      run.advance(11);
      return [...run.state.vcpuPcpu].join(',');
    };
    expect(new Set([1, 2, 3, 4, 5, 6, 7, 8].map(placement)).size).toBeGreaterThan(1);
    expect(placement(3)).toBe(placement(3));
  });

  it('rejects out-of-range parameters with a PolicyError naming the key', () => {
    const s = miniState({ pcpus: 2, vms: [2] });
    const init = (params: Record<string, string>): unknown => {
      try {
        energyBalancePolicy().init(hostContext(s, params));
        return null;
      } catch (e) {
        return e;
      }
    };
    const e = init({ interval_ms: '0' }) as PolicyError;
    expect(e).toBeInstanceOf(PolicyError);
    expect(e.message).toBe(messages.policyParamRange('interval_ms', 0, '> 0'));
    expect(init({ resist_w: '-1' })).toBeInstanceOf(PolicyError);
    expect(init({ resist_w: '0', max_migrations: '0' })).toBeNull();
  });
});

describe('energy-balance through the engine with the RC thermal model', () => {
  it('cuts the thermal imbalance that pinned leaves, with migrations bounded', () => {
    // Two cores, two 20 W and two 2 W vCPUs at 40 % each; `pinned` deals vCPUs 0 and 2 (both hot) onto pCPU 0.
    const sc = { pcpus: 2, watts: [20, 2, 20, 2], demand: [0.4, 0.4, 0.4, 0.4] };
    const pinned = thermalRun(sc, pinnedPolicy());
    const balanced = thermalRun(sc, energyBalancePolicy());
    // pinned: 16 W against 1.6 W, about 0.41 K/W × 14.4 W ≈ 5.8 °C apart all run long.
    expect(pinned.imbalance).toBeGreaterThan(4);
    expect(pinned.migrations).toBe(0);
    // energy-balance: imbalanced only until the first interval (100 ms of 1 s), then mixed.
    expect(balanced.imbalance).toBeLessThan(pinned.imbalance / 4);
    expect(balanced.migrations).toBe(2);
  });
});
