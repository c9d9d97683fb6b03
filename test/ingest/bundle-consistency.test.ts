import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TraceParseError } from '../../src/errors.js';
import { ingest, type IngestResult } from '../../src/ingest/ingest.js';
import { openStore, type Store } from '../../src/store/store.js';
import { fixturePath } from '../helpers/fixtures.js';
import { hasRealTraces, realTrace } from '../helpers/real-traces.js';

const excerptDir = fixturePath('..', '..', 'traces', 'kvm-nested-burn5');
const kvmDir = realTrace('kvm-nested-2026-11-24', 'bundle-kvm-burn5');
const xempowerDir = realTrace('xempower-xen-ctxswitch-rapl-pmc');

/** Pairs of residency spans of one trace that overlap on one pCPU (SQL self-join). */
async function overlappingSpans(store: Store): Promise<number> {
  const [row] = await store.query(`SELECT count(*) AS n FROM residency a JOIN residency b
    ON a.trace_id = b.trace_id AND a.pcpu = b.pcpu AND a.rowid < b.rowid AND a.t0 < b.t1 AND b.t0 < a.t1`);
  return Number(row!.n);
}

/** Sum of the derived rows of one file of the recording, by `scope entity event`. */
async function derivedSums(store: Store, file: string, derivation: string): Promise<Record<string, number>> {
  const rows = await store.query(`SELECT s.scope || ' ' || s.entity || ' ' || s.event AS k, sum(s.value) AS v
    FROM samples s JOIN traces t USING (trace_id) WHERE t.name = ? AND s.derivation = ? GROUP BY ALL ORDER BY k`, [file, derivation]);
  return Object.fromEntries(rows.map((r) => [String(r.k), Number(r.v)]));
}

/**
 * Independent re-read of a `perf stat -x,` file: sums of the value column by `key(fields)`, for
 * rows where `key` returns a string (value column `valueAt`; `<not counted>` rows skipped).
 */
function rawSums(path: string, valueAt: number, key: (f: string[]) => string | undefined): Record<string, number> {
  const out: Record<string, number> = {};
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const f = line.trim().split(',');
    const k = line.startsWith('#') || f.length < 5 ? undefined : key(f);
    if (k === undefined || !/^[\d.]+$/.test(f[valueAt]!)) continue;
    out[k] = (out[k] ?? 0) + Number(f[valueAt]);
  }
  return out;
}

function expectClose(actual: Record<string, number>, expected: Record<string, number>): void {
  expect(Object.keys(actual).sort()).toEqual(Object.keys(expected).sort());
  for (const [k, v] of Object.entries(expected)) expect(Math.abs(actual[k]! - v)).toBeLessThanOrEqual(1e-9 * Math.abs(v) + 1e-9);
}

describe('KVM excerpt with bundle.json (traces/kvm-nested-burn5)', () => {
  let store: Store;
  let result: IngestResult;
  beforeAll(async () => {
    store = await openStore(':memory:');
    result = await ingest(store, [excerptDir]);
  });
  afterAll(() => store.close());

  it('names the VM as bundle.json does, in every table', async () => {
    expect(result.recordings.map((r) => r.vms.map((v) => [v.name, v.inferred]))).toEqual([[['spike-kvm', false]]]);
    const names = await store.query(`SELECT DISTINCT vm AS v FROM residency UNION SELECT DISTINCT vm FROM io
      UNION SELECT DISTINCT entity FROM samples WHERE scope = 'vm'`);
    expect(names).toEqual([{ v: 'spike-kvm' }]);
    const [meta] = await store.query("SELECT json_extract_string(meta, '$.vms[0].name') AS v FROM traces WHERE name = 'a1_perfstat_thread.csv'");
    expect(meta).toEqual({ v: 'spike-kvm' });
  });

  it('has no residency spans overlapping on a pCPU', async () => {
    expect(await store.query('SELECT count(*) AS n FROM residency')).toEqual([{ n: 2 * 1851 }]);
    expect(await overlappingSpans(store)).toBe(0);
  });

  it('per-VM and per-vCPU sums equal the per-thread totals of the VM threads (raw re-read)', async () => {
    const vmTids = new Set(['31316', '31319', '31325', '31330']);
    const vcpuOf: Record<string, string> = { 31325: 'vcpu0', 31330: 'vcpu1' };
    for (const file of ['a1_perfstat_thread.csv', 'a3_perfstat_thread_kvm.csv']) {
      const raw = rawSums(join(excerptDir, file), 2, (f) => {
        const tid = /-(\d+)$/.exec(f[1]!)?.[1];
        return tid !== undefined && vmTids.has(tid) ? f[4] : undefined;
      });
      const rawVcpu = rawSums(join(excerptDir, file), 2, (f) => {
        const vcpu = vcpuOf[/-(\d+)$/.exec(f[1]!)?.[1] ?? ''];
        return vcpu === undefined ? undefined : `${vcpu} ${f[4]}`;
      });
      const expected = {
        ...Object.fromEntries(Object.entries(raw).map(([e, v]) => [`vm spike-kvm ${e}`, v])),
        ...Object.fromEntries(Object.entries(rawVcpu).map(([k, v]) => [`vcpu spike-kvm/${k}`, v])),
      };
      expectClose(await derivedSums(store, file, 'per-thread'), expected);
    }
  });

  it('cgroup per-VM sums equal the cgroup totals (raw re-read)', async () => {
    const e = rawSums(join(excerptDir, 'e_perfstat_cgroup.csv'), 1, (f) => (f[4] === 'kvmspike' ? f[3] : undefined));
    expectClose(await derivedSums(store, 'e_perfstat_cgroup.csv', 'cgroup'),
      Object.fromEntries(Object.entries(e).map(([ev, v]) => [`vm spike-kvm ${ev}`, v])));
    const e2 = rawSums(join(excerptDir, 'e2_perfstat_cgroup_percpu.csv'), 2, (f) => (f[5] === 'kvmspike' ? f[4] : undefined));
    expectClose(await derivedSums(store, 'e2_perfstat_cgroup_percpu.csv', 'cgroup'),
      Object.fromEntries(Object.entries(e2).map(([ev, v]) => [`vm spike-kvm ${ev}`, v])));
  });

  it('agrees across recorders: vCPU residency seconds ≈ vCPU thread task-clock (within 1 %)', async () => {
    const rows = await store.query(`SELECT r.vcpu, r.s, c.ms FROM
      (SELECT vcpu, sum(t1 - t0) AS s FROM residency JOIN traces USING (trace_id) WHERE name = 'c1_perf_sched.txt' GROUP BY vcpu) r
      JOIN (SELECT entity, sum(value) AS ms FROM samples WHERE derivation = 'per-thread' AND scope = 'vcpu'
            AND event = 'task-clock' GROUP BY entity) c ON c.entity = 'spike-kvm/vcpu' || r.vcpu ORDER BY r.vcpu`);
    expect(rows).toHaveLength(2);
    for (const r of rows) expect(Math.abs(Number(r.s) - Number(r.ms) / 1000) / Number(r.s)).toBeLessThan(0.01);
  });
});

describe.skipIf(!hasRealTraces)('real KVM bundle without bundle.json (bundle-kvm-burn5)', () => {
  let store: Store;
  let excerpt: Store;
  let result: IngestResult;
  beforeAll(async () => {
    store = await openStore(':memory:');
    result = await ingest(store, [kvmDir]);
    excerpt = await openStore(':memory:');
    await ingest(excerpt, [excerptDir]);
  });
  afterAll(() => {
    store.close();
    excerpt.close();
  });

  it('infers the VM from qemu-cmdline.txt and threads.tsv and says so', () => {
    const [recording] = result.recordings;
    expect(recording!.vms).toHaveLength(1);
    expect(recording!.vms[0]).toMatchObject({ name: 'spike-kvm', inferred: true, pid: 31316, cgroup: 'kvmspike', vcpus: 2 });
    expect(recording!.vms[0]!.sources.map((s) => s.rule)).toEqual(['qemu-name', 'thread-listing']);
  });

  it('has no residency spans overlapping on a pCPU, all under the inferred name', async () => {
    expect(await overlappingSpans(store)).toBe(0);
    expect(await store.query('SELECT DISTINCT vm FROM residency')).toEqual([{ vm: 'spike-kvm' }]);
  });

  it('derives the same per-VM and per-vCPU tables as the hand-written bundle.json', async () => {
    const files = [['a1_perfstat_thread.csv', 'per-thread'], ['a3_perfstat_thread_kvm.csv', 'per-thread'],
      ['e_perfstat_cgroup.csv', 'cgroup'], ['e2_perfstat_cgroup_percpu.csv', 'cgroup']] as const;
    for (const [file, derivation] of files) {
      const inferred = await derivedSums(store, file, derivation);
      expect(Object.keys(inferred).length).toBeGreaterThan(0);
      expectClose(inferred, await derivedSums(excerpt, file, derivation));
    }
  });
});

describe.skipIf(!hasRealTraces)('XeMPower (xempower-xen-ctxswitch-rapl-pmc)', () => {
  let store: Store;
  let result: IngestResult;
  beforeAll(async () => {
    store = await openStore(':memory:');
    result = await ingest(store, [xempowerDir]);
  });
  afterAll(() => store.close());

  it('names the domains by id, as inferred', () => {
    expect(result.recordings[0]!.vms.map((v) => [v.name, v.domid, v.sources[0]!.rule])).toEqual([
      ['d0', 0, 'xen-domid'], ['d4', 4, 'xen-domid'], ['d5', 5, 'xen-domid'], ['d6', 6, 'xen-domid'],
    ]);
  });

  it('has no residency spans overlapping on a pCPU', async () => {
    expect(await store.query('SELECT count(*) AS n FROM residency')).toEqual([{ n: 22068 }]);
    expect(await overlappingSpans(store)).toBe(0);
  });

  it('per-VM PMC sums plus the idle share equal the per-CPU totals', async () => {
    const open = await store.query(`SELECT m.cpu, m.event, m.v - d.v AS diff FROM
      (SELECT cpu, event, sum(value) AS v FROM samples WHERE scope = 'vcpu' AND derivation IS NULL GROUP BY ALL) m
      FULL JOIN (SELECT cpu, event, sum(value) AS v FROM samples WHERE derivation = 'per-vcpu' GROUP BY ALL) d USING (cpu, event)
      WHERE d.v IS NULL OR m.v IS NULL OR abs(m.v - d.v) > 0`);
    expect(open).toEqual([]);
    expect(await store.query("SELECT count(DISTINCT cpu) AS n FROM samples WHERE derivation = 'per-vcpu'")).toEqual([{ n: 4 }]);
  });

  it('per-VM PMC sums equal the raw file per domain (first slice of each pCPU has no start)', async () => {
    const lines = readFileSync(join(xempowerDir, 'pmc.csv'), 'utf8').trim().split('\n');
    const names = lines[0]!.split(',');
    const seen = new Set<string>();
    const raw: Record<string, number> = {};
    for (const line of lines.slice(1)) {
      const f = line.split(',');
      if (!seen.has(f[1]!)) {
        seen.add(f[1]!);
        continue;
      }
      const owner = f[2] === '32767' ? 'host unattributed' : `vm d${f[2]}`;
      for (let c = 4; c < f.length; c++) raw[`${owner} ${names[c]}`] = (raw[`${owner} ${names[c]}`] ?? 0) + Number(f[c]);
    }
    expect(await derivedSums(store, 'pmc.csv', 'per-vcpu')).toEqual(raw);
  });

  it('has one PMC slice per residency span of each VM (two files, one per record type)', async () => {
    const rows = await store.query(`SELECT r.vm, r.n AS spans, s.n AS slices FROM
      (SELECT vm, count(*) AS n FROM residency GROUP BY vm) r
      JOIN (SELECT entity, count(*) AS n FROM samples WHERE derivation = 'per-vcpu' AND scope = 'vm'
            AND event = 'UOPS_RETIRED.ALL' GROUP BY entity) s ON s.entity = r.vm ORDER BY r.vm`);
    expect(rows).toEqual([
      { vm: 'd0', spans: 6135, slices: 6135 }, { vm: 'd4', spans: 7612, slices: 7612 },
      { vm: 'd5', spans: 2043, slices: 2043 }, { vm: 'd6', spans: 6278, slices: 6278 },
    ]);
  });
});

describe('malformed binary records', () => {
  it('xentrace: a typed error with the byte offset, through ingest, and the store untouched', async () => {
    // CPU-change record (12 bytes: pCPU 0, window of 4 bytes), then a 12-byte record that overruns it
    const words = [0x2001f003, 0, 4, 0x8002800a, 1000, 0];
    const bytes = new Uint8Array(words.length * 4);
    words.forEach((w, i) => new DataView(bytes.buffer).setUint32(i * 4, w >>> 0, true));
    const file = join(mkdtempSync(join(tmpdir(), 'vheat-xentrace-')), 'trace.bin');
    writeFileSync(file, bytes);
    const store = await openStore(':memory:');
    const error = await ingest(store, [file], { format: 'xentrace' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TraceParseError);
    expect(error).toMatchObject({ code: 'xentrace.windowOverrun', context: { file, offset: 12 } });
    expect((error as TraceParseError).located).toMatch(/trace\.bin@12: /);
    expect(await store.query('SELECT count(*) AS n FROM traces')).toEqual([{ n: 0 }]);
    store.close();
  });
});
