import { describe, expect, it } from 'vitest';
import type { HostAction, HostObservation, HostPolicy } from '../../src/policies/types.js';
import { setSlotRate, step } from '../../src/replay/engine.js';
import { bind, idleGuest, miniState, tickInput } from '../helpers/replay-engine.js';

const h = 0.001;

describe('observeHost', () => {
  it('shows each tick the VM × pCPU powers and budgets of the engine, refreshed only where they changed', () => {
    // vm0 has vCPU 0 on pCPU 0, vm1 has vCPU 1 on pCPU 1; 1 nJ per event, 1e9 and 2e9 events per running second.
    const s = miniState({ pcpus: 2, vms: [1, 1], weights: [1e-9] });
    setSlotRate(s, 0, 0, 1e9);
    setSlotRate(s, 1, 0, 2e9);
    const seen: { watts: number[]; budgets: number[] }[] = [];
    const script: Record<number, HostAction[]> = {
      1: [{ type: 'migrate', vcpu: 1, pcpu: 0 }, { type: 'set-budget', vm: 1, pcpu: 0, watts: 3 }],
      2: [{ type: 'set-budget', vm: 1, pcpu: 0, watts: null }],
    };
    const host: HostPolicy = {
      init() {},
      decide(obs: HostObservation) {
        seen.push({ watts: [...obs.vmPcpuWatts], budgets: [...obs.vmPcpuBudgetWatts] });
        return script[obs.tick] ?? [];
      },
    };
    const p = bind(s, host, () => idleGuest);
    const after: number[][] = [];
    // Tick 0: both run all of it; tick 1: vCPU 1 joins vCPU 0 on pCPU 0 (half a tick each, half left over);
    // tick 2: both run their half; tick 3: nothing; tick 4: vCPU 1 alone.
    for (const [t, arrive] of [[0, [h, h]], [1, [h, h]], [2, [0, 0]], [3, [0, 0]], [4, [0, h]]] as const) {
      step(s, tickInput(s, t, arrive), p);
      after.push([...s.vmPcpuWatts]);
    }
    // What each tick sees is the engine's table after the tick before (index vm × 2 + pcpu).
    expect(seen[0]!.watts).toEqual([0, 0, 0, 0]);
    for (let t = 1; t < 5; t++) expect(seen[t]!.watts).toEqual(after[t - 1]);
    expect(seen[1]!.watts.map((w) => +w.toFixed(9))).toEqual([1, 0, 0, 2]);
    expect(seen[2]!.watts.map((w) => +w.toFixed(9))).toEqual([0.5, 0, 1, 0]);
    expect(seen[3]!.watts.map((w) => +w.toFixed(9))).toEqual([0.5, 0, 1, 0]);
    expect(seen[4]!.watts).toEqual([0, 0, 0, 0]);
    expect(after[4]!.map((w) => +w.toFixed(9))).toEqual([0, 0, 2, 0]);
    expect(seen[1]!.budgets.every(Number.isNaN)).toBe(true);
    expect(seen[2]!.budgets.map((w) => (Number.isNaN(w) ? null : w))).toEqual([null, null, 3, null]);
    expect(seen[3]!.budgets.every(Number.isNaN)).toBe(true);
  });
});
