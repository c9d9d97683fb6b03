import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attribute, type AttributeResult } from '../../src/attribute/attribute.js';
import { ingest } from '../../src/ingest/ingest.js';
import { calibrate } from '../../src/model/calibrate.js';
import { openStore, type Store } from '../../src/store/store.js';
import { fixturePath } from '../helpers/fixtures.js';
import { truthModel } from '../helpers/truth-model.js';

const domains = ['package', 'core', 'dram'] as const;

/**
 * The committed two-minute demo bundles (traces/), attributed with their true models: every
 * VM within 1 % of truth.json except where the recording cannot tell, each listed with why and
 * the bound it does meet.
 * - demo-xen: an I/O guest served by dom0's backend thread (recorded inside dom0); `cool` and
 *   `hot` DRAM come from 1 s per-CPU counts split by residency, so a small VM sharing a pCPU
 *   with the memory-bound one inherits part of its cache misses (cool: 0.41 J true).
 * - demo-kvm: socket 1 changes clock half-way, so counts are priced at the clock of the CPUs
 *   they ran on; `web`'s vhost thread ran on a CPU of socket 1 while its vCPUs mostly ran on
 *   socket 0, and the store keeps no CPU for I/O-thread spans: its I/O is priced where the
 *   vCPUs ran.
 */
describe.each([
  { name: 'demo-xen', limited: { 'dram cool': 0.25, 'dram hot': 0.06 } as Record<string, number> },
  { name: 'demo-kvm', limited: { 'package web': 0.03, 'core web': 0.03 } as Record<string, number> },
])('attribute on the committed $name bundle', ({ name, limited }) => {
  const dir = fixturePath('..', '..', 'traces', name);
  const truth = JSON.parse(readFileSync(join(dir, 'truth.json'), 'utf8'));
  let store: Store;
  let r: AttributeResult;
  beforeAll(async () => {
    store = await openStore(':memory:');
    await ingest(store, [dir]);
    r = await attribute(store, { traces: ['*'], models: domains.map((d) => truthModel(truth, d)), write: false });
  }, 120_000);
  afterAll(() => store?.close());

  it('matches truth.json per VM within 1 % (the I/O share too), except where listed', () => {
    for (const d of domains) {
      for (const v of r.domains[d]!.vms) {
        const key = `${d} ${v.vm}`;
        const error = Math.abs((v.joules - v.idle_joules) / truth.vm_energy_joules[v.vm][d] - 1);
        expect(error, key).toBeLessThan(limited[key] ?? 0.01);
        const io = truth.vm_io_joules[v.vm][d] as number;
        if (io > 0 && !(key in limited)) expect(Math.abs(v.io_joules / io - 1), `${key} io`).toBeLessThan(0.01);
      }
    }
  });

  it('closes every interval, with a residual within the files\' rounding', () => {
    for (const d of domains) {
      const s = r.domains[d]!;
      expect(s.closure_gap_joules).toBeLessThan(1e-9);
      expect(Math.abs(s.residual_joules!), d).toBeLessThan(r.intervals * 0.005);
    }
  });

  /**
   * demo-kvm has two sockets, and a per-socket model (`calibrate --cpu-socket`) has its static
   * power once per socket: with the bundle's CPU → socket map, or the socket count of the energy
   * trace without it, the books close as with the machine-scope model. Before, one socket's
   * static power (18 W × 120 s = 2160 J of truth; 2119 J calibrated) was left in the residual.
   */
  it.runIf(name === 'demo-kvm')('a per-socket model closes like the machine-scope one, with or without --cpu-socket', async () => {
    const cpuSocket = JSON.parse(readFileSync(join(dir, 'bundle.json'), 'utf8')).topology.cpu_socket as number[];
    const models = domains.map((d) => truthModel(truth, d, 'socket'));
    for (const map of [cpuSocket, undefined]) {
      const s = await attribute(store, { traces: ['*'], models, write: false, ...(map ? { cpuSocket: map } : {}) });
      for (const d of domains) {
        const books = s.domains[d]!;
        expect(books.closure_gap_joules).toBeLessThan(1e-9);
        expect(Math.abs(books.residual_joules!), `${d} ${map ? 'map' : 'no map'}`).toBeLessThan(s.intervals * 0.005);
        // the same static energy as the machine-scope model's; VM energy within 0.1 % (priced at the socket's mean clock,
        // which differs from a CPU's own only around socket 1's clock change)
        const staticOf = (b: typeof books) => b.idle_joules + b.vms.reduce((a, v) => a + v.idle_joules, 0);
        expect(staticOf(books)).toBeCloseTo(staticOf(r.domains[d]!), 6);
        books.vms.forEach((v, i) => expect(Math.abs(v.joules / r.domains[d]!.vms[i]!.joules - 1), `${d} ${v.vm}`).toBeLessThan(0.001));
      }
    }
    // calibrated on the recording: it closes to the model's own error (in-sample total error ~0 %)
    const { model } = await calibrate(store, { train: ['demo-kvm/perf-stat-cpu.csv'], cpuSocket, scope: 'socket', bootstrap: false });
    expect(model.scope).toBe('socket');
    const fitted = await attribute(store, { traces: ['*'], models: [model], cpuSocket, write: false });
    expect(Math.abs(fitted.residual_joules! / fitted.measured_joules!)).toBeLessThan(0.001);
    expect(fitted.idle_joules + fitted.vms.reduce((a, v) => a + v.idle_joules, 0)).toBeCloseTo(2 * model.staticWatts.value * 120, 0);
  }, 120_000);
});
