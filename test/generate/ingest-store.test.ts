import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingest } from '../../src/ingest/ingest.js';
import { openStore, type Store } from '../../src/store/store.js';
import { generateTemp, type TempBundle } from '../helpers/generated.js';

/**
 * Generate → `vheat ingest` → store: the tables hold what truth.json says each file holds
 * (energy per domain, counter totals per event, I/O), and the residency of every vCPU.
 */
describe('generated bundles ingested into a store', () => {
  const bundles: Record<string, TempBundle> = {};
  let store: Store;
  beforeAll(async () => {
    for (const s of ['test-kvm', 'test-xen']) bundles[s] = await generateTemp(s);
    store = await openStore(':memory:');
    await ingest(store, Object.values(bundles).map((b) => b.dir));
  });
  afterAll(() => {
    store?.close();
    Object.values(bundles).forEach((b) => b.remove());
  });

  it.each(['test-kvm', 'test-xen'])('%s: one trace per file, energy and counter totals as truth.json says', async (s) => {
    const b = bundles[s]!;
    const bundleName = b.dir.split('/').pop()!;
    const traces = await store.query('SELECT trace_id, name, format FROM traces WHERE bundle = ? ORDER BY name', [bundleName]);
    expect(traces.map((t) => t.name)).toEqual(Object.keys(b.bundle.files!).sort());
    for (const [name, summary] of Object.entries(b.truth.files as Record<string, any>)) {
      const id = traces.find((t) => t.name === name)!.trace_id as number;
      if (summary.energy_joules) {
        const rows = await store.query('SELECT domain, sum(joules) AS j FROM energy WHERE trace_id = ? GROUP BY domain', [id]);
        for (const r of rows) expect(r.j, `${name} ${r.domain}`).toBeCloseTo(summary.energy_joules[r.domain as string], 6);
        expect(rows.length).toBe(3);
      }
      if (summary.event_totals) {
        // rows the parser wrote, not those the store derives from them (per-VM sums)
        const rows = await store.query('SELECT event, sum(value) AS v FROM samples WHERE trace_id = ? AND derivation IS NULL GROUP BY event', [id]);
        for (const [event, total] of Object.entries(summary.event_totals as Record<string, number>)) {
          expect(rows.find((r) => r.event === event)?.v, `${name} ${event}`).toBe(total);
        }
      }
      if (summary.io_ops) {
        const rows = await store.query('SELECT vm, sum(ops) AS n FROM io WHERE trace_id = ? GROUP BY vm', [id]);
        for (const [vm, n] of Object.entries(summary.io_ops as Record<string, number>)) {
          expect(rows.find((r) => r.vm === vm)?.n ?? 0, `${name} ${vm}`).toBe(n);
        }
      }
    }
  });

  it.each(['test-kvm', 'test-xen'])('%s: residency per vCPU as truth.json says (open spans end at the last record)', async (s) => {
    const b = bundles[s]!;
    const bundleName = b.dir.split('/').pop()!;
    const rows = await store.query(`SELECT t.name, r.vm, r.vcpu, sum(r.t1 - r.t0) AS s, count(*) AS n FROM residency r
      JOIN traces t USING (trace_id) WHERE t.bundle = ? AND t.format <> 'xenalyze' GROUP BY 1, 2, 3`, [bundleName]);
    const truth = b.truth.residency_seconds as Record<string, Record<string, Record<string, number>>>;
    const open = b.truth.open_spans as { vm?: string; vcpu?: number; t0_seconds: number }[];
    let compared = 0;
    for (const [vm, vcpus] of Object.entries(truth)) {
      for (const [vcpu, pcpus] of Object.entries(vcpus)) {
        const total = Object.values(pcpus).reduce((a, x) => a + x, 0);
        const unseen = open.filter((o) => o.vm === vm && String(o.vcpu) === vcpu)
          .reduce((a, o) => a + (b.truth.duration_seconds - o.t0_seconds), 0);
        for (const r of rows.filter((x) => x.vm === vm && String(x.vcpu) === vcpu)) {
          // between the closed spans and the whole truth: an open span counts up to the last record
          expect(r.s as number, `${r.name} ${vm}/${vcpu}`).toBeGreaterThanOrEqual(total - unseen - 1e-6);
          expect(r.s as number, `${r.name} ${vm}/${vcpu}`).toBeLessThanOrEqual(total + 1e-6);
          compared++;
        }
      }
    }
    expect(compared).toBeGreaterThanOrEqual(s === 'test-kvm' ? 6 : 4);
  });
});
