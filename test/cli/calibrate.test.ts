import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ingest } from '../../src/ingest/ingest.js';
import { readModel } from '../../src/model/model-file.js';
import { openStore } from '../../src/store/store.js';
import { tempDb, vheatOrThrow } from '../helpers/cli.js';
import { syntheticTruth, syntheticWorkloads, tempDir, writePerfRecording } from '../helpers/model-traces.js';

const run = vheatOrThrow;

describe('vheat calibrate / evaluate', () => {
  const db = tempDb();
  const out = tempDir();
  beforeAll(async () => {
    const dir = tempDir();
    const store = await openStore(db);
    await ingest(store, syntheticWorkloads.map((w, i) => writePerfRecording(dir, w, syntheticTruth, i + 1)));
    store.close();
  });

  it('prints {model, cv, test} with --json and writes the model file', async () => {
    const file = join(out, 'model.json');
    const { stdout } = await run('--db', db, '--json', 'calibrate', '--train', 'compute.perf', 'memory.perf', '--test', 'mixed.perf',
      '--method', 'nnls', '--events', 'cycles,instructions,cache-misses,branch-misses', '--replicates', '50', '--out', file);
    const j = JSON.parse(stdout) as { model: { terms: unknown[] }; cv: { mape: number; rmse: number; r2: number };
      test: { trace: string; mape: number; rmse: number; r2: number }[] };
    expect(Object.keys(j)).toEqual(['model', 'cv', 'workloads', 'test', 'notes']);
    expect(Object.keys(j.cv)).toEqual(['mape', 'rmse', 'r2']);
    expect(j.test[0]).toMatchObject({ trace: 'mixed.perf' });
    expect(j.test[0]!.mape).toBeLessThan(2);
    expect(readModel(file)).toEqual(j.model);
  });

  it('prints a readable summary and evaluates with per-interval predictions', async () => {
    const file = join(out, 'model2.json');
    const cal = await run('--db', db, 'calibrate', '--train', '*.perf', '--out', file, '--replicates', '0');
    expect(cal.stdout).toMatch(/^package energy model \(host, nnls\)/);
    expect(cal.stdout).toContain('unseen compute');
    expect(cal.stdout).toContain(`model written to ${file}`);
    const csv = join(out, 'pred.csv');
    const ev = await run('--db', db, '--json', 'evaluate', '--model', file, '--trace', 'mixed.perf', '--predictions', csv);
    expect(JSON.parse(ev.stdout).test[0].trace).toBe('mixed.perf');
    expect(existsSync(csv)).toBe(true);
    const lines = readFileSync(csv, 'utf8').trim().split('\n');
    expect(lines[0]).toBe('trace_id,unit,t0,t1,measured_joules,predicted_joules,measured_watts,predicted_watts');
    expect(lines.length).toBe(60);
  });

  it('rejects bad option values before touching the store', async () => {
    await expect(run('--db', db, 'calibrate', '--train', 'x', '--out', 'm.json', '--interval', '-1')).rejects.toMatchObject({
      code: 'commander.invalidArgument',
    });
    await expect(run('--db', db, 'calibrate', '--train', 'x', '--out', 'm.json', '--method', 'lasso')).rejects.toMatchObject({
      code: 'commander.invalidArgument',
    });
  });
});
