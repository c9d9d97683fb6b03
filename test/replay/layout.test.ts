import { describe, expect, it } from 'vitest';
import { buildLayout } from '../../src/replay/layout.js';
import type { RecordedLayout } from '../../src/store/replay-data.js';

const recording = (over: Partial<RecordedLayout>): RecordedLayout => ({
  vms: [{ name: 'a', vcpus: 2 }, { name: 'b', vcpus: 1 }], firstPcpu: Int32Array.from([3, -1, 1]), pcpus: 8, sockets: 2,
  coreEntities: [], cpuCores: new Map(), t0: 0, t1: 1, vcpuEvents: [], ...over,
});

describe('buildLayout', () => {
  it('numbers vCPUs over VMs and starts them where they first ran (else round-robin)', () => {
    const l = buildLayout(recording({}), 0.001);
    expect(l.vms).toEqual([{ name: 'a', vcpus: [0, 1] }, { name: 'b', vcpus: [2] }]);
    expect([...l.vcpuVm]).toEqual([0, 0, 1]);
    expect([...l.initialPcpu]).toEqual([3, 1, 1]);
  });

  it('takes cores from the recorded core temperatures and numbers SMT siblings the Linux way', () => {
    // 2 sockets × 2 cores × 2 threads: CPUs 0–3 are the first threads, 4–7 their siblings.
    const entities = ['S0-C0', 'S0-C1', 'S1-C0', 'S1-C1'];
    const l = buildLayout(recording({ coreEntities: entities }), 0.001);
    expect([l.sockets, l.coresPerSocket]).toEqual([2, 2]);
    expect(l.coreNames).toEqual(entities);
    expect([...l.pcpuCore]).toEqual([0, 1, 2, 3, 0, 1, 2, 3]);
    expect([...l.pcpuSocket]).toEqual([0, 0, 1, 1, 0, 0, 1, 1]);
  });

  it('follows a CPU → core map when it covers every pCPU, ordering cores by id per socket', () => {
    const cpuCores = new Map([[0, 'S0-C8'], [1, 'S0-C2'], [2, 'S0-C8'], [3, 'S0-C2']]);
    const l = buildLayout(recording({ pcpus: 4, sockets: 1, cpuCores, firstPcpu: Int32Array.from([0, 0, 0]) }), 0.001);
    expect(l.coreNames).toEqual(['S0-C2', 'S0-C8']);
    expect([...l.pcpuCore]).toEqual([1, 0, 1, 0]);
  });

  it('uses one core per pCPU without temperatures, and a given topology over the recording', () => {
    const l = buildLayout(recording({ sockets: 0 }), 0.001);
    expect([l.sockets, l.coresPerSocket, l.coreNames.length]).toEqual([1, 8, 8]);
    const t = buildLayout(recording({}), 0.001, { sockets: 1, coresPerSocket: 4 });
    expect([...t.pcpuCore]).toEqual([0, 1, 2, 3, 0, 1, 2, 3]);
  });
});
