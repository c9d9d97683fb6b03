import { describe, expect, it } from 'vitest';
import { noActions, type GuestObservation, type GuestPolicy, type HostAction, type HostObservation, type HostPolicy } from '../../src/policies/types.js';
import { setSlotRate, step } from '../../src/replay/engine.js';
import { bind, idleGuest, miniState, scriptedHost, tickInput } from '../helpers/replay-engine.js';

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

describe('lazy observations', () => {
  // vm0: vCPUs 0, 1 on pCPUs 0, 1; vm1: vCPU 2 on pCPU 2. 1 nJ per event, 1e9 events per running second each.
  function threeVcpus() {
    const s = miniState({ pcpus: 3, vms: [2, 1], weights: [1e-9] });
    for (let j = 0; j < 3; j++) setSlotRate(s, j, 0, 1e9);
    return s;
  }
  const demand: Record<number, number[]> = { 0: [h, h, 0], 1: [0, 0, h], 2: [0, h, 0], 3: [0, 0, 0], 4: [h, 0, 0] };

  it('a host field read after ticks it skipped shows the engine as of this tick, not what it copied before', () => {
    const s = threeVcpus();
    const seen = new Map<number, { watts: number[]; run: number[]; backlog: number[] }>();
    const host: HostPolicy = {
      init() {},
      // Reads on ticks 1 and 4 only: the entries copied at tick 1 must be gone at tick 4.
      decide(obs: HostObservation) {
        if (obs.tick === 1 || obs.tick === 4) {
          seen.set(obs.tick, { watts: [...obs.vmPcpuWatts], run: [...obs.vcpuRunSeconds], backlog: [...obs.vcpuBacklogSeconds] });
        }
        return noActions;
      },
    };
    const p = bind(s, host, () => idleGuest);
    const before: number[][] = [];
    for (let t = 0; t < 5; t++) {
      before.push([...s.vmPcpuWatts]);
      step(s, tickInput(s, t, demand[t]!), p);
    }
    expect(seen.get(1)!.watts.map((w) => +w.toFixed(9))).toEqual([1, 1, 0, 0, 0, 0]);
    expect(seen.get(1)!.watts).toEqual(before[1]);
    // Tick 3 ran nothing, so at tick 4 every entry is 0 again: vm0's tick-1 entries included.
    expect(seen.get(4)!.watts).toEqual([0, 0, 0, 0, 0, 0]);
    expect(seen.get(4)!.run).toEqual([0, 0, 0]);
    expect(seen.get(1)!.run).toEqual([h, h, 0]);
    expect(seen.get(4)!.backlog).toEqual([h, 0, 0]);
  });

  it("a policy's writes into its observation change nothing in the engine, and a guest sees its own tasks afresh each tick", () => {
    const s = threeVcpus();
    const backlogs: number[][] = [];
    const host: HostPolicy = {
      init() {},
      decide(obs: HostObservation) {
        obs.vcpuPcpu.fill(0);
        obs.vcpuRunSeconds.fill(9);
        return noActions;
      },
    };
    const guest: GuestPolicy = {
      init() {},
      decide(obs: GuestObservation) {
        if (obs.taskVcpu.length === 3) {
          // vm0 (two vCPU streams and its balloon): read on even ticks only, then scribble.
          if (obs.tick % 2 === 0) backlogs.push([...obs.taskBacklogSeconds]);
          obs.taskBacklogSeconds.fill(7);
          obs.taskVcpu.fill(1);
        }
        return noActions;
      },
    };
    const p = bind(s, host, () => guest);
    for (let t = 0; t < 5; t++) step(s, tickInput(s, t, demand[t]!), p);
    expect([...s.vcpuPcpu]).toEqual([0, 1, 2]);
    expect([...s.taskVcpu]).toEqual([0, 1, 2, 0, 2]);
    // What each even tick's guest saw: the demand that arrived in it (each tick's work ran in full).
    expect(backlogs).toEqual([[h, h, 0], [0, h, 0], [h, 0, 0]]);
  });

  it('a guest sees a plug in the tick the host makes it and its own task move from the next tick on', () => {
    const s = threeVcpus();
    const seen: { vm: number; tick: number; taskVcpu: number[]; online: number[] }[] = [];
    // Tick 1: the host unplugs vm0's vCPU 1; tick 3: vm0's guest moves task 0 to vCPU 1 after the host plugs it back at tick 2.
    const host = scriptedHost(s, [], (tick) => (tick === 1 ? [{ type: 'plug-vcpu', vcpu: 1, online: false }]
      : tick === 2 ? [{ type: 'plug-vcpu', vcpu: 1, online: true }] : noActions));
    let vm = 0;
    const guest = (): GuestPolicy => {
      const mine = vm++;
      return {
        init() {},
        decide(obs: GuestObservation) {
          seen.push({ vm: mine, tick: obs.tick, taskVcpu: [...obs.taskVcpu], online: [...obs.vcpuOnline] });
          return mine === 0 && obs.tick === 3 ? [{ type: 'move-task', task: 0, vcpu: 1 }] : noActions;
        },
      };
    };
    const p = bind(s, host, guest);
    for (let t = 0; t < 5; t++) step(s, tickInput(s, t, [0, 0, 0]), p);
    const vm0 = seen.filter((o) => o.vm === 0);
    expect(vm0.map((o) => o.online)).toEqual([[1, 1], [1, 0], [1, 1], [1, 1], [1, 1]]);
    expect(vm0.map((o) => o.taskVcpu)).toEqual([[0, 1, 0], [0, 1, 0], [0, 1, 0], [0, 1, 0], [1, 1, 0]]);
    expect(seen.filter((o) => o.vm === 1).map((o) => o.taskVcpu)).toEqual(Array(5).fill([0, 0]));
  });
});
