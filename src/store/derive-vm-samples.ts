import { indexVms, sampleOwners, type Derivation } from '../ingest/sample-owners.js';
import type { VmIdentity } from '../ingest/vm-identity.js';
import { DOM0_NAMES } from '../ingest/xen-names.js';
import { messages } from '../messages.js';
import type { Store } from './store.js';

/** Owner map of one derivation run; lives and dies inside the ingest transaction. */
const mapTable = 'vheat_vm_owners';

/** What `deriveVmSamples` added. */
export interface DerivedSamples {
  /** Rows added per derivation. */
  rows: Partial<Record<Derivation, number>>;
  /** Why a possible derivation was not made (no residency, no common clock…), for the user. */
  notes: string[];
}

/**
 * Formats whose per-CPU samples are event counts over the interval (perf stat, PowerAPI HWPC),
 * the only ones a residency split is meaningful for: turbostat's per-CPU values are rates and
 * percentages, xenpm's are C-/P-state residencies of the CPU itself.
 */
export const splittableFormats: readonly string[] = ['perf-stat-csv', 'perf-stat-json', 'perf-stat-human', 'powerapi-hwpc'];

/** `(?, ?, …)` for `n` bound values. */
const placeholders = (n: number): string => `(${Array.from({ length: n }, () => '?').join(', ')})`;

/** Fills the owner map from the measured thread, vCPU and cgroup series of `traceIds`. */
async function fillOwnerMap(store: Store, traceIds: readonly number[], vms: readonly VmIdentity[]): Promise<number> {
  await store.run(`CREATE OR REPLACE TABLE ${mapTable} (scope VARCHAR, entity VARCHAR, target_scope VARCHAR,
    target_entity VARCHAR, derivation VARCHAR, fallback BOOLEAN)`);
  const series = await store.query(`SELECT DISTINCT scope, entity FROM samples
    WHERE trace_id IN ${placeholders(traceIds.length)} AND derivation IS NULL AND scope IN ('thread', 'vcpu', 'cgroup')`, traceIds);
  const index = indexVms(vms);
  const appender = await store.appender(mapTable);
  let n = 0;
  for (const s of series) {
    for (const o of sampleOwners(String(s.scope), String(s.entity), index)) {
      appender.appendVarchar(String(s.scope));
      appender.appendVarchar(String(s.entity));
      appender.appendVarchar(o.scope);
      appender.appendVarchar(o.entity);
      appender.appendVarchar(o.derivation);
      appender.appendBoolean(o.fallback);
      appender.endRow();
      n++;
    }
  }
  appender.closeSync();
  return n;
}

/**
 * Per-thread, per-vCPU and cgroup series → VM and vCPU series, interval by interval (sums over
 * the owner's series; `enabled` is the smallest of theirs). Fallback owners (a VM total from
 * its libvirt sub-cgroups) count only when the VM's own series of that event is missing.
 */
async function deriveFromOwners(store: Store, traceIds: readonly number[]): Promise<void> {
  await store.run(
    `INSERT INTO samples (trace_id, t0, t1, scope, entity, cpu, event, value, enabled, derivation)
     WITH src AS (
       SELECT s.trace_id, s.t0, s.t1, s.cpu, s.event, s.value, s.enabled,
              m.target_scope, m.target_entity, m.derivation, m.fallback
       FROM samples s JOIN ${mapTable} m ON s.scope = m.scope AND s.entity = m.entity
       WHERE s.trace_id IN ${placeholders(traceIds.length)} AND s.derivation IS NULL),
     whole AS (SELECT DISTINCT trace_id, target_scope, target_entity, derivation, event FROM src WHERE NOT fallback)
     SELECT trace_id, t0, t1, target_scope, target_entity, cpu, event, sum(value), min(enabled), derivation
     FROM src
     WHERE NOT fallback OR NOT EXISTS (SELECT 1 FROM whole w WHERE w.trace_id = src.trace_id
       AND w.target_scope = src.target_scope AND w.target_entity = src.target_entity
       AND w.derivation = src.derivation AND w.event = src.event)
     GROUP BY trace_id, t0, t1, target_scope, target_entity, cpu, event, derivation`,
    traceIds,
  );
}

/**
 * Splits the per-CPU rows of `events` in trace `countsTrace` among the vCPUs resident on each
 * CPU (residency of trace `residencyTrace`, shifted by `shiftSeconds` into the counts' clock):
 * a vCPU gets value × its share of the interval; its VM the sum of its vCPUs' shares; the rest
 * goes to host `unattributed`, so the split rows of each interval add up to the measured one.
 *
 * The share is the vCPU's overlap with the interval over the interval's length when the
 * residency covers only the VMs (KVM: host threads ran in the rest of the time and counted
 * too), and over the time anything in the residency ran on that CPU when it covers every
 * domain (Xen, dom0 included): a CPU no domain ran was halted and counted nothing, so the
 * whole count is the residents' work, and `unattributed` keeps only counts of intervals in
 * which nothing ran.
 *
 * One statement: each span is matched to the intervals it touches by two ASOF joins (first and
 * last interval) and a series between them, so the cost grows with spans + intervals, not
 * their product.
 */
export async function splitByResidency(store: Store, countsTrace: number, residencyTrace: number,
  shiftSeconds: number, events: readonly string[]): Promise<void> {
  if (events.length === 0) return;
  const [dom0] = await store.query(`SELECT count(*) > 0 AS found FROM residency
    WHERE trace_id = ? AND vm IN ${placeholders(DOM0_NAMES.length)}`, [residencyTrace, ...DOM0_NAMES]);
  const busyShare = Boolean(dom0?.found);
  await store.run(
    `INSERT INTO samples (trace_id, t0, t1, scope, entity, cpu, event, value, enabled, derivation)
     WITH cpu_rows AS (
       SELECT t0, t1, cpu, event, value, enabled FROM samples
       WHERE trace_id = ? AND scope = 'cpu' AND derivation IS NULL AND cpu IS NOT NULL AND t1 > t0
         AND event IN ${placeholders(events.length)}),
     iv AS (SELECT cpu, t0, t1, row_number() OVER (PARTITION BY cpu ORDER BY t0, t1) AS k
            FROM (SELECT DISTINCT cpu, t0, t1 FROM cpu_rows)),
     res AS (SELECT vm, vcpu, pcpu, t0 + ? AS r0, t1 + ? AS r1 FROM residency WHERE trace_id = ? AND t1 > t0),
     first_iv AS (SELECT res.*, f.k AS kf FROM res ASOF LEFT JOIN iv f ON f.cpu = res.pcpu AND f.t0 <= res.r0),
     last_iv AS (SELECT a.*, l.k AS kl FROM first_iv a ASOF JOIN iv l ON l.cpu = a.pcpu AND l.t0 < a.r1),
     touched AS (SELECT vm, vcpu, pcpu, r0, r1, unnest(generate_series(coalesce(kf, 1), kl)) AS k FROM last_iv),
     ran AS (SELECT i.cpu, i.t0, i.t1, t.vm, t.vcpu, sum(least(i.t1, t.r1) - greatest(i.t0, t.r0)) AS run
            FROM touched t JOIN iv i ON i.cpu = t.pcpu AND i.k = t.k
            WHERE least(i.t1, t.r1) > greatest(i.t0, t.r0)
            GROUP BY i.cpu, i.t0, i.t1, t.vm, t.vcpu),
     ov AS (SELECT cpu, t0, t1, vm, vcpu,
                   run / CASE WHEN ? THEN sum(run) OVER (PARTITION BY cpu, t0, t1) ELSE t1 - t0 END AS share FROM ran),
     vm_share AS (SELECT cpu, t0, t1, vm, sum(share) AS share FROM ov GROUP BY cpu, t0, t1, vm),
     all_share AS (SELECT cpu, t0, t1, sum(share) AS share FROM ov GROUP BY cpu, t0, t1)
     -- vCPU entity spelled as kvmVcpuEntity() does: <vm>/vcpu<n>
     SELECT ?, r.t0, r.t1, 'vcpu', o.vm || '/vcpu' || o.vcpu, r.cpu, r.event, r.value * o.share, r.enabled, 'residency-split'
       FROM cpu_rows r JOIN ov o USING (cpu, t0, t1)
     UNION ALL
     SELECT ?, r.t0, r.t1, 'vm', v.vm, r.cpu, r.event, r.value * v.share, r.enabled, 'residency-split'
       FROM cpu_rows r JOIN vm_share v USING (cpu, t0, t1)
     UNION ALL
     SELECT ?, r.t0, r.t1, 'host', 'unattributed', r.cpu, r.event, r.value * (1 - coalesce(a.share, 0)), r.enabled,
            'residency-split'
       FROM cpu_rows r LEFT JOIN all_share a USING (cpu, t0, t1)`,
    [countsTrace, ...events, shiftSeconds, shiftSeconds, residencyTrace, busyShare, countsTrace, countsTrace, countsTrace],
  );
}

/** Absolute start of a trace in s (Unix epoch), or null when its file carried none. */
async function startSeconds(store: Store, traceId: number): Promise<number | null> {
  const rows = await store.query('SELECT epoch_us(start_time) AS us FROM traces WHERE trace_id = ?', [traceId]);
  const us = rows[0]?.us;
  return us === null || us === undefined ? null : Number(us) / 1e6;
}

/**
 * Residency split for the events measured only per CPU: those with per-CPU rows in `traceIds`
 * (of `splittableFormats`) and no VM rows derived another way (Xen `backend` rows count only the
 * I/O work done for a VM in dom0, so they do not stand in for its own). The residency comes from the
 * trace of the recording with the most spans (several sched_switch files of one recording
 * describe the same spans; using two would count them twice); clocks are aligned by the
 * traces' absolute starts.
 */
async function splitPerCpuOnly(store: Store, traceIds: readonly number[], hasVms: boolean, notes: string[]): Promise<void> {
  const ids = placeholders(traceIds.length);
  const pending = await store.query(
    `SELECT DISTINCT trace_id, event FROM samples JOIN traces USING (trace_id)
     WHERE trace_id IN ${ids} AND format IN ${placeholders(splittableFormats.length)}
       AND scope = 'cpu' AND derivation IS NULL AND cpu IS NOT NULL AND t1 > t0
       AND event NOT IN (SELECT DISTINCT event FROM samples WHERE trace_id IN ${ids} AND scope = 'vm' AND derivation IS NOT NULL
         AND derivation <> 'backend')
     ORDER BY trace_id, event`, [...traceIds, ...splittableFormats, ...traceIds]);
  if (pending.length === 0) return;
  const [source] = await store.query(
    `SELECT trace_id FROM residency WHERE trace_id IN ${ids} GROUP BY trace_id ORDER BY count(*) DESC, trace_id LIMIT 1`, traceIds);
  const byTrace = new Map<number, string[]>();
  for (const r of pending) byTrace.set(Number(r.trace_id), [...(byTrace.get(Number(r.trace_id)) ?? []), String(r.event)]);
  if (!source) {
    // a host recording without VMs has nothing to split for, so nothing to say
    if (hasVms) notes.push(messages.residencySplitNoResidency([...new Set(pending.map((r) => String(r.event)))]));
    return;
  }
  const residencyTrace = Number(source.trace_id);
  const residencyStart = await startSeconds(store, residencyTrace);
  for (const [countsTrace, events] of byTrace) {
    const countsStart = countsTrace === residencyTrace ? residencyStart : await startSeconds(store, countsTrace);
    if (countsTrace !== residencyTrace && (countsStart === null || residencyStart === null)) {
      notes.push(messages.residencySplitNoClock(countsTrace, residencyTrace, events));
      continue;
    }
    const shift = countsTrace === residencyTrace ? 0 : residencyStart! - countsStart!;
    await splitByResidency(store, countsTrace, residencyTrace, shift, events);
  }
}

/**
 * Adds per-VM and per-vCPU `samples` for the traces `traceIds` of one recording, whose VMs are
 * `vms`: from per-thread, per-vCPU and cgroup series (see `sampleOwners`), then by residency
 * split for events measured only per CPU. Derived rows keep the source's trace, interval, CPU
 * and event, and name their rule in `samples.derivation`. Call inside the ingest transaction.
 */
export async function deriveVmSamples(store: Store, traceIds: readonly number[], vms: readonly VmIdentity[]): Promise<DerivedSamples> {
  const notes: string[] = [];
  if (traceIds.length === 0) return { rows: {}, notes };
  if (await fillOwnerMap(store, traceIds, vms) > 0) await deriveFromOwners(store, traceIds);
  await store.run(`DROP TABLE ${mapTable}`);
  await splitPerCpuOnly(store, traceIds, vms.length > 0, notes);
  const counts = await store.query(`SELECT derivation, count(*) AS n FROM samples
    WHERE trace_id IN ${placeholders(traceIds.length)} AND derivation IS NOT NULL GROUP BY derivation ORDER BY derivation`, traceIds);
  return { rows: Object.fromEntries(counts.map((r) => [String(r.derivation), Number(r.n)])), notes };
}
