import type { Store } from './store.js';

/** Staging tables of one ingest; they live and die inside its transaction. */
export const stagingTable = 'vheat_staging_samples';
export const seriesTable = 'vheat_staging_series';

/** Creates empty staging tables for one trace's samples (see `StoreSink`). */
export async function createStaging(store: Store): Promise<void> {
  await store.run(`CREATE OR REPLACE TABLE ${stagingTable} (t0 DOUBLE, t1 DOUBLE, series INTEGER, value DOUBLE, enabled DOUBLE)`);
  await store.run(`CREATE OR REPLACE TABLE ${seriesTable} (series INTEGER, scope VARCHAR, entity VARCHAR, cpu INTEGER, event VARCHAR)`);
}

/** Joins staged samples with their series into `samples` for `traceId`, then drops the staging tables. */
export async function moveStagedSamples(store: Store, traceId: number): Promise<void> {
  await store.run(
    `INSERT INTO samples (trace_id, t0, t1, scope, entity, cpu, event, value, enabled)
     SELECT ?, st.t0, st.t1, se.scope, se.entity, se.cpu, se.event, st.value, st.enabled
     FROM ${stagingTable} st JOIN ${seriesTable} se USING (series)`,
    [traceId],
  );
  await store.run(`DROP TABLE ${stagingTable}`);
  await store.run(`DROP TABLE ${seriesTable}`);
}
