import type { SeenInTraces, VmIdentity } from '../ingest/vm-identity.js';
import type { Store } from './store.js';

const list = (ids: readonly number[]): string => `(${ids.map(() => '?').join(', ')})`;

async function column(store: Store, sql: string, params: readonly number[]): Promise<string[]> {
  return (await store.query(sql, params)).map((r) => String(r.v));
}

/**
 * The VM names, cgroups and Xen vCPU entities the measured rows of `traceIds` mention: names
 * from `residency`, `io`, `vm` samples and `<vm>/vcpu<n>` entities (what the parsers called
 * each VM), cgroup entities, and `d<domid>v<vcpu>` entities.
 */
export async function seenInTraces(store: Store, traceIds: readonly number[]): Promise<SeenInTraces> {
  if (traceIds.length === 0) return { names: [], cgroups: [], xenVcpus: [] };
  const ids = list(traceIds);
  const measured = `FROM samples WHERE trace_id IN ${ids} AND derivation IS NULL`;
  const names = await column(store,
    `SELECT vm AS v FROM residency WHERE trace_id IN ${ids}
     UNION SELECT vm FROM io WHERE trace_id IN ${ids}
     UNION SELECT entity ${measured} AND scope = 'vm'
     UNION SELECT regexp_extract(entity, '^(.+)/vcpu[0-9]+$', 1) ${measured} AND scope = 'vcpu'
       AND regexp_matches(entity, '^.+/vcpu[0-9]+$')
     ORDER BY 1`, [...traceIds, ...traceIds, ...traceIds, ...traceIds]);
  const cgroups = await column(store, `SELECT DISTINCT entity AS v ${measured} AND scope = 'cgroup' ORDER BY 1`, traceIds);
  const xenVcpus = await column(store,
    `SELECT DISTINCT entity AS v ${measured} AND scope = 'vcpu' AND regexp_matches(entity, '^d[0-9]+v[0-9]+$') ORDER BY 1`, traceIds);
  return { names, cgroups, xenVcpus };
}

/**
 * Records the recording's VM identity in `traces.meta.vms` of each of its traces `traceIds`
 * (name, how it was identified, and its ids), so a store answers "which VM is this and how does
 * vheat know" without the bundle at hand.
 */
export async function recordVms(store: Store, traceIds: readonly number[], vms: readonly VmIdentity[]): Promise<void> {
  if (traceIds.length === 0) return;
  await store.run(`UPDATE traces SET meta = json_merge_patch(coalesce(meta, '{}'::JSON), ?::JSON) WHERE trace_id IN ${list(traceIds)}`,
    [JSON.stringify({ vms }), ...traceIds]);
}
