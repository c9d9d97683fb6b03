import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/generate/rng.js';
import { loadBalancePolicy } from '../../src/policies/load-balance.js';
import { pinnedPolicy } from '../../src/policies/pinned.js';
import { recordedPolicy } from '../../src/policies/recorded.js';
import type { HostAction, HostObservation, HostPolicy } from '../../src/policies/types.js';
import { applyHostActions } from '../../src/replay/actions.js';
import { step } from '../../src/replay/engine.js';
import { bind, hostContext, miniState, tickInput } from '../helpers/replay-engine.js';

/** A host policy acting at random (but always validly): migrations, throttles, (un)plugs, balloons. */
function chaosPolicy(seed: number): HostPolicy {
  const rng = new Rng(seed, 'chaos');
  let vcpuVm: Int32Array = new Int32Array(0);
  return {
    init(ctx) {
      vcpuVm = ctx.vcpuVm;
    },
    decide(obs: HostObservation) {
      const V = obs.vcpuPcpu.length;
      const P = obs.pcpuWatts.length;
      const out: HostAction[] = [];
      // Its own view of which vCPUs are online, so two unplugs in one tick never empty a VM.
      const online = Uint8Array.from(obs.vcpuOnline);
      for (let k = rng.int(4); k > 0; k--) {
        const v = rng.int(V);
        switch (rng.int(5)) {
          case 0: out.push({ type: 'migrate', vcpu: v, pcpu: rng.int(P) }); break;
          case 1: out.push({ type: 'throttle-vcpu', vcpu: v, fraction: rng.uniform() }); break;
          case 2: out.push({ type: 'throttle-pcpu', pcpu: rng.int(P), fraction: rng.uniform() * 0.5 }); break;
          case 3: {
            let up = 0;
            for (let u = 0; u < V; u++) if (vcpuVm[u] === vcpuVm[v] && online[u]) up++;
            const plug = !online[v] || up === 1;
            online[v] = plug ? 1 : 0;
            out.push({ type: 'plug-vcpu', vcpu: v, online: plug });
            break;
          }
          default: out.push({ type: 'balloon', vm: vcpuVm[v]!, fraction: rng.uniform() * 0.3 });
        }
      }
      return out;
    },
  };
}

const scenario = fc.record({
  pcpus: fc.integer({ min: 1, max: 4 }),
  vms: fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 1, maxLength: 3 }),
  ticks: fc.integer({ min: 5, max: 40 }),
  policy: fc.constantFrom('recorded', 'pinned', 'load-balance', 'chaos'),
  seed: fc.integer({ min: 0, max: 1_000_000 }),
  migrationUs: fc.constantFrom(0, 50, 300),
});

describe('every policy, any demand', () => {
  it('never over-commits a pCPU and never loses demand', () => {
    fc.assert(fc.property(scenario, (sc) => {
      const h = 0.001;
      const s = miniState({ pcpus: sc.pcpus, vms: sc.vms, migrationSeconds: sc.migrationUs * 1e-6 });
      const V = s.vcpus;
      const rng = new Rng(sc.seed, 'demand');
      const host = sc.policy === 'recorded' ? recordedPolicy() : sc.policy === 'pinned' ? pinnedPolicy()
        : sc.policy === 'load-balance' ? loadBalancePolicy() : chaosPolicy(sc.seed);
      const ctx = hostContext(s, sc.policy === 'load-balance' ? { slice_ms: '3' } : {}, sc.seed);
      applyHostActions(s, host.init(ctx) ?? [], { kind: 'host', name: sc.policy, tick: -1 }, new Int32Array(V).fill(-1), true);
      const policies = bind(s, host);
      let arrived = 0;
      let delivered = 0;
      for (let t = 0; t < sc.ticks; t++) {
        const arrive = Array.from({ length: V }, () => (rng.uniform() < 0.3 ? 0 : rng.uniform() * 1.2 * h));
        const recorded = Array.from({ length: V }, () => rng.int(sc.pcpus + 1) - 1);
        step(s, tickInput(s, t, arrive, recorded), policies);
        arrived += arrive.reduce((a, b) => a + b, 0);
        const load = new Float64Array(sc.pcpus);
        for (let v = 0; v < V; v++) {
          load[s.vcpuPcpu[v]!]! += s.vcpuRun[v]!;
          expect(s.vcpuRun[v]!).toBeLessThanOrEqual((1 - s.vcpuThrottle[v]!) * h + 1e-15);
          if (!s.vcpuOnline[v]) expect(s.vcpuRun[v]).toBe(0);
        }
        for (let p = 0; p < sc.pcpus; p++) expect(load[p]!).toBeLessThanOrEqual((1 - s.pcpuThrottle[p]!) * h + 1e-15);
        for (let j = 0; j < V; j++) {
          delivered += s.taskRun[j]!;
          expect(s.taskBacklog[j]!).toBeGreaterThanOrEqual(-1e-15);
        }
      }
      let backlog = 0;
      for (let j = 0; j < V; j++) backlog += s.taskBacklog[j]!;
      expect(Math.abs(arrived - delivered - backlog)).toBeLessThan(1e-12);
    }), { numRuns: 200 });
  });
});
