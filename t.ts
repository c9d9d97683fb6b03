import { DuckDBInstance, DuckDBDataChunk, DOUBLE, VARCHAR, INTEGER } from '@duckdb/node-api';
import { rmSync } from 'node:fs';
rmSync('/tmp/tt.duckdb', {force:true}); rmSync('/tmp/tt.duckdb.wal', {force:true});
const inst = await DuckDBInstance.create('/tmp/tt.duckdb');
const c = await inst.connect();
await c.run('create table s (trace_id INTEGER, t0 DOUBLE, t1 DOUBLE, scope VARCHAR, entity VARCHAR, cpu INTEGER, event VARCHAR, value DOUBLE, enabled DOUBLE)');
const N = 1_000_000;
let t = performance.now();
await c.run('BEGIN');
const app = await c.createAppender('s');
const types = [INTEGER, DOUBLE, DOUBLE, VARCHAR, VARCHAR, INTEGER, VARCHAR, DOUBLE, DOUBLE];
const chunk = DuckDBDataChunk.create(types, 2048);
for (let off = 0; off < N; off += 2048) {
  const n = Math.min(2048, N - off);
  chunk.rowCount = n;
  const cols: any[][] = types.map(() => new Array(n));
  for (let i = 0; i < n; i++) {
    const r = off + i;
    cols[0]![i] = 1; cols[1]![i] = r * 0.1; cols[2]![i] = r * 0.1 + 0.1; cols[3]![i] = 'cpu'; cols[4]![i] = 'CPU' + (r % 64); cols[5]![i] = r % 64; cols[6]![i] = 'cycles'; cols[7]![i] = r * 3.0; cols[8]![i] = 1;
  }
  chunk.setColumns(cols);
  app.appendDataChunk(chunk);
}
app.flushSync(); app.closeSync();
if (process.argv[2] === 'rollback') { await c.run('ROLLBACK'); } else await c.run('COMMIT');
console.log('ms', performance.now() - t, (await c.runAndReadAll('select count(*) from s')).getRows());
