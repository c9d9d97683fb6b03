import { describe, expect, it } from 'vitest';
import type { VmIdentity } from '../../src/ingest/vm-identity.js';
import { messages } from '../../src/messages.js';
import { deriveVmSamples } from '../../src/store/derive-vm-samples.js';
import { openStore, type Store } from '../../src/store/store.js';
import { completeTrace, insertTrace } from '../../src/store/traces.js';

/** A trace row with an absolute start (Unix s), or none. */
async function trace(store: Store, name: string, startEpochSeconds: number | null, format = 'perf-stat-csv'): Promise<number> {
  const id = await insertTrace(store, { name, bundle: 'b', host: null, hypervisor: null, source: name, contentHash: name, format });
  await completeTrace(store, id, { host: null, hypervisor: null, startEpochSeconds, skippedLines: 0, meta: {} });
  return id;
}

type SampleRow = [t0: number, t1: number, scope: string, entity: string, cpu: number | null, event: string, value: number | null];

async function samples(store: Store, traceId: number, rows: readonly SampleRow[]): Promise<void> {
  for (const r of rows) await store.run('INSERT INTO samples VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1, NULL)', [traceId, ...r]);
}

async function residency(store: Store, traceId: number, spans: readonly [string, number, number, number, number][]): Promise<void> {
  for (const s of spans) await store.run('INSERT INTO residency VALUES (?, ?, ?, ?, ?, ?)', [traceId, ...s]);
}

/** Derived rows as `scope entity cpu [t0,t1] value`, sorted, values rounded to 1e-9. */
async function derived(store: Store, derivation: string, event: string): Promise<string[]> {
  const rows = await store.query(`SELECT scope, entity, cpu, t0, t1, value FROM samples
    WHERE derivation = ? AND event = ? ORDER BY cpu, t0, scope, entity`, [derivation, event]);
  return rows.map((r) => `${r.scope} ${r.entity} ${r.cpu} [${r.t0},${r.t1}] ${r.value === null ? 'null' : +Number(r.value).toFixed(9)}`);
}

const vm = (name: string, extra: Partial<VmIdentity> = {}): VmIdentity => ({ name, inferred: false, sources: [], threads: [], ...extra });

describe('residency split', () => {
  // 2 pCPUs, 3 vCPUs (A/vcpu0, A/vcpu1, B/vcpu0), intervals [0,1] and [1,2] s on each pCPU.
  // The residency trace starts 0.5 s after the counts trace, so its spans are stored 0.5 s earlier.
  const spans: [string, number, number, number, number][] = [
    ['A', 0, 0, 0.2, 0.7], // p0 iv0: 0.5
    ['A', 1, 0, 0.7, 1.5], // p0 iv0: 0.3, iv1: 0.5
    ['B', 0, 0, 1.6, 2.4], // p0 iv1: 0.4 (beyond the last interval: clipped)
    ['B', 0, 1, -0.5, 0.25], // p1 iv0: 0.25 (before the first interval: clipped)
    ['A', 0, 1, 0.9, 1.1], // p1 iv0: 0.1, iv1: 0.1
    ['A', 1, 1, 1.5, 1.9], // p1 iv1: 0.4
    ['B', 0, 1, 2.5, 3], // after every interval: nothing
  ];

  async function setup(residencyStart: number | null) {
    const store = await openStore(':memory:');
    const counts = await trace(store, 'percpu.csv', 1_700_000_000);
    const sched = await trace(store, 'sched.txt', residencyStart, 'perf-script');
    await samples(store, counts, [
      [0, 1, 'cpu', 'CPU0', 0, 'cycles', 100], [1, 2, 'cpu', 'CPU0', 0, 'cycles', 200],
      [0, 1, 'cpu', 'CPU1', 1, 'cycles', 300], [1, 2, 'cpu', 'CPU1', 1, 'cycles', 400],
      [0, 1, 'cpu', 'CPU0', 0, 'instructions', null],
    ]);
    await residency(store, sched, spans.map(([v, c, p, t0, t1]) => [v, c, p, t0 - 0.5, t1 - 0.5]));
    return { store, ids: [counts, sched] };
  }

  it('splits each per-CPU interval by residency overlap (hand-worked)', async () => {
    const { store, ids } = await setup(1_700_000_000.5);
    const result = await deriveVmSamples(store, ids, [vm('A'), vm('B')]);
    expect(result).toEqual({ rows: { 'residency-split': 22 }, notes: [] });
    expect(await derived(store, 'residency-split', 'cycles')).toEqual([
      // p0 [0,1] = 100: A/vcpu0 0.5 → 50, A/vcpu1 0.3 → 30; host 0.2 → 20
      'host unattributed 0 [0,1] 20', 'vcpu A/vcpu0 0 [0,1] 50', 'vcpu A/vcpu1 0 [0,1] 30', 'vm A 0 [0,1] 80',
      // p0 [1,2] = 200: A/vcpu1 0.5 → 100, B/vcpu0 0.4 → 80; host 0.1 → 20
      'host unattributed 0 [1,2] 20', 'vcpu A/vcpu1 0 [1,2] 100', 'vcpu B/vcpu0 0 [1,2] 80', 'vm A 0 [1,2] 100', 'vm B 0 [1,2] 80',
      // p1 [0,1] = 300: B/vcpu0 0.25 → 75, A/vcpu0 0.1 → 30; host 0.65 → 195
      'host unattributed 1 [0,1] 195', 'vcpu A/vcpu0 1 [0,1] 30', 'vcpu B/vcpu0 1 [0,1] 75', 'vm A 1 [0,1] 30', 'vm B 1 [0,1] 75',
      // p1 [1,2] = 400: A/vcpu0 0.1 → 40, A/vcpu1 0.4 → 160; host 0.5 → 200
      'host unattributed 1 [1,2] 200', 'vcpu A/vcpu0 1 [1,2] 40', 'vcpu A/vcpu1 1 [1,2] 160', 'vm A 1 [1,2] 200',
    ]);
    // an uncounted interval stays uncounted in every share
    expect(await derived(store, 'residency-split', 'instructions')).toEqual([
      'host unattributed 0 [0,1] null', 'vcpu A/vcpu0 0 [0,1] null', 'vcpu A/vcpu1 0 [0,1] null', 'vm A 0 [0,1] null',
    ]);
    // VMs plus host close on the measured total of every interval
    const open = await store.query(`SELECT c.cpu, c.t0, c.value - sum(d.value) AS diff FROM samples c JOIN samples d
      ON d.derivation = 'residency-split' AND d.scope IN ('vm', 'host') AND d.cpu = c.cpu AND d.t0 = c.t0 AND d.event = c.event
      WHERE c.scope = 'cpu' AND c.value IS NOT NULL GROUP BY c.cpu, c.t0, c.value HAVING abs(diff) > 1e-9`);
    expect(open).toEqual([]);
    store.close();
  });

  it('splits by busy share when the residency covers every domain (Xen: dom0 in it; hand-worked)', async () => {
    const store = await openStore(':memory:');
    const counts = await trace(store, 'perf-stat-cpu.csv', 1_700_000_000);
    const xen = await trace(store, 'xentrace.bin', 1_700_000_000, 'xentrace');
    await samples(store, counts, [
      [0, 1, 'cpu', 'CPU0', 0, 'cycles', 100], [1, 2, 'cpu', 'CPU0', 0, 'cycles', 200], [0, 1, 'cpu', 'CPU1', 1, 'cycles', 300],
    ]);
    await residency(store, xen, [
      ['Domain-0', 0, 0, 0.1, 0.3], // p0 iv0: 0.2
      ['A', 0, 0, 0.5, 1.1], // p0 iv0: 0.5, iv1: 0.1
      ['B', 0, 0, 1.6, 1.9], // p0 iv1: 0.3
    ]);
    await deriveVmSamples(store, [counts, xen], [vm('Domain-0', { domid: 0 }), vm('A'), vm('B')]);
    expect(await derived(store, 'residency-split', 'cycles')).toEqual([
      // p0 [0,1] = 100, 0.7 s busy: Domain-0 0.2/0.7 → 28.571428571, A 0.5/0.7 → 71.428571429, nothing idle
      'host unattributed 0 [0,1] 0', 'vcpu A/vcpu0 0 [0,1] 71.428571429', 'vcpu Domain-0/vcpu0 0 [0,1] 28.571428571',
      'vm A 0 [0,1] 71.428571429', 'vm Domain-0 0 [0,1] 28.571428571',
      // p0 [1,2] = 200, 0.4 s busy: A 0.1/0.4 → 50, B 0.3/0.4 → 150 (by interval length they would get 20 and 60)
      'host unattributed 0 [1,2] 0', 'vcpu A/vcpu0 0 [1,2] 50', 'vcpu B/vcpu0 0 [1,2] 150', 'vm A 0 [1,2] 50', 'vm B 0 [1,2] 150',
      // p1 [0,1] = 300 with nothing resident: all of it stays with the host
      'host unattributed 1 [0,1] 300',
    ]);
    store.close();
  });

  it('does not split without a common clock or without residency, and says why', async () => {
    const { store, ids } = await setup(null);
    expect(await deriveVmSamples(store, ids, [vm('A')])).toEqual({
      rows: {}, notes: [messages.residencySplitNoClock(ids[0]!, ids[1]!, ['cycles', 'instructions'])],
    });
    expect(await deriveVmSamples(store, [ids[0]!], [vm('A')])).toEqual({
      rows: {}, notes: [messages.residencySplitNoResidency(['cycles', 'instructions'])],
    });
    expect(await deriveVmSamples(store, [ids[0]!], [])).toEqual({ rows: {}, notes: [] });
    store.close();
  });

  it('splits only counts: not the rates and percentages of per-CPU turbostat rows', async () => {
    const { store, ids } = await setup(1_700_000_000.5);
    const turbostat = await trace(store, 'turbostat.txt', 1_700_000_000, 'turbostat');
    await samples(store, turbostat, [[0, 1, 'cpu', 'CPU0', 0, 'turbostat:Busy%', 50]]);
    expect((await deriveVmSamples(store, [...ids, turbostat], [vm('A'), vm('B')])).rows).toEqual({ 'residency-split': 22 });
    expect(await derived(store, 'residency-split', 'turbostat:Busy%')).toEqual([]);
    store.close();
  });

  it('leaves events alone that per-thread counts already attribute', async () => {
    const { store, ids } = await setup(1_700_000_000.5);
    await samples(store, ids[0]!, [[0, 1, 'vcpu', 'CPU 0/KVM-11', null, 'cycles', 60]]);
    const result = await deriveVmSamples(store, ids, [vm('A', { threads: [{ tid: 11, role: 'vcpu', vcpu: 0 }] }), vm('B')]);
    expect(result.rows).toEqual({ 'per-thread': 2, 'residency-split': 4 });
    expect(await derived(store, 'residency-split', 'cycles')).toEqual([]);
    store.close();
  });
});

describe('per-thread, per-vCPU and cgroup rows', () => {
  it('sums a VM over its threads and relabels its vCPU threads', async () => {
    const store = await openStore(':memory:');
    const id = await trace(store, 'a1.csv', null);
    await samples(store, id, [
      [0, 0.2, 'vcpu', 'CPU 0/KVM-11', null, 'task-clock', 140], [0, 0.2, 'vcpu', 'CPU 1/KVM-12', null, 'task-clock', 50],
      [0, 0.2, 'thread', 'qemu-system-x86-10', null, 'task-clock', 2], [0, 0.2, 'thread', 'call_rcu-13', null, 'task-clock', null],
      [0, 0.2, 'thread', 'bash-99', null, 'task-clock', 1000],
      [0.2, 0.4, 'vcpu', 'CPU 0/KVM-11', null, 'task-clock', 150], [0.2, 0.4, 'vcpu', 'CPU 1/KVM-12', null, 'task-clock', null],
    ]);
    const web = vm('web', { pid: 10, threads: [{ tid: 11, role: 'vcpu', vcpu: 0 }, { tid: 12, role: 'vcpu', vcpu: 1 }, { tid: 13, role: 'helper' }] });
    expect((await deriveVmSamples(store, [id], [web])).rows).toEqual({ 'per-thread': 6 });
    expect(await derived(store, 'per-thread', 'task-clock')).toEqual([
      'vcpu web/vcpu0 null [0,0.2] 140', 'vcpu web/vcpu1 null [0,0.2] 50', 'vm web null [0,0.2] 192',
      'vcpu web/vcpu0 null [0.2,0.4] 150', 'vcpu web/vcpu1 null [0.2,0.4] null', 'vm web null [0.2,0.4] 150',
    ]);
    store.close();
  });

  it('takes a VM total from its own cgroup, else from its libvirt sub-cgroups', async () => {
    const store = await openStore(':memory:');
    const id = await trace(store, 'e.csv', null);
    const top = 'machine.slice/machine-qemu\\x2d1\\x2dweb.scope';
    await samples(store, id, [
      [0, 1, 'cgroup', `${top}/libvirt/vcpu0`, 0, 'task-clock', 10], [0, 1, 'cgroup', `${top}/libvirt/vcpu1`, 0, 'task-clock', 20],
      [0, 1, 'cgroup', `${top}/libvirt/emulator`, 0, 'task-clock', 3],
      [0, 1, 'cgroup', top, null, 'context-switches', 50], [0, 1, 'cgroup', `${top}/libvirt/vcpu0`, null, 'context-switches', 30],
    ]);
    const { rows } = await deriveVmSamples(store, [id], [vm('web', { cgroup: top })]);
    expect(rows).toEqual({ cgroup: 5 });
    expect(await derived(store, 'cgroup', 'task-clock')).toEqual([
      'vcpu web/vcpu0 0 [0,1] 10', 'vcpu web/vcpu1 0 [0,1] 20', 'vm web 0 [0,1] 33',
    ]);
    expect(await derived(store, 'cgroup', 'context-switches')).toEqual(['vcpu web/vcpu0 null [0,1] 30', 'vm web null [0,1] 50']);
    store.close();
  });

  it('sums Xen dom0 backend threads per guest, and still splits the per-CPU counts for the guests\' own work', async () => {
    const store = await openStore(':memory:');
    const counts = await trace(store, 'perf-stat-cpu.csv', 1_700_000_000);
    const xen = await trace(store, 'xentrace.bin', 1_700_000_000, 'xentrace');
    const dom0 = await trace(store, 'perf-stat-dom0.csv', 1_700_000_000);
    await samples(store, counts, [[0, 1, 'cpu', 'CPU0', 0, 'cycles', 100]]);
    await residency(store, xen, [['Domain-0', 0, 0, 0, 0.5], ['io', 0, 0, 0.5, 1]]);
    await samples(store, dom0, [
      [0, 1, 'thread', 'blkback.2.xvda-1034', null, 'cycles', 40], [0, 1, 'thread', 'vif2.0-q0-guest-1040', null, 'cycles', 10],
      [0, 1, 'thread', 'xenstored-300', null, 'cycles', 5],
    ]);
    const { rows } = await deriveVmSamples(store, [counts, xen, dom0], [vm('Domain-0', { domid: 0 }), vm('io', { domid: 2 })]);
    expect(rows).toEqual({ backend: 1, 'residency-split': 5 });
    expect(await derived(store, 'backend', 'cycles')).toEqual(['vm io null [0,1] 50']);
    expect(await derived(store, 'residency-split', 'cycles')).toContain('vm io 0 [0,1] 50');
    store.close();
  });

  it('sums Xen per-vCPU slices per domain, the idle domain to host', async () => {
    const store = await openStore(':memory:');
    const id = await trace(store, 'pmc.csv', null);
    await samples(store, id, [
      [0, 0.5, 'vcpu', 'd1v0', 0, 'uops', 7], [0.5, 1, 'vcpu', 'd32767v0', 0, 'uops', 1], [0, 1, 'vcpu', 'd2v1', 1, 'uops', 5],
    ]);
    await deriveVmSamples(store, [id], [vm('web', { domid: 1 })]);
    expect(await derived(store, 'per-vcpu', 'uops')).toEqual([
      'vm web 0 [0,0.5] 7', 'host unattributed 0 [0.5,1] 1', 'vm d2 1 [0,1] 5',
    ]);
    store.close();
  });
});
