import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingest } from '../../src/ingest/ingest.js';
import { calibrate } from '../../src/model/calibrate.js';
import { evaluate } from '../../src/model/evaluate.js';
import { openStore, type Store } from '../../src/store/store.js';
import { syntheticTruth, syntheticWorkloads, tempDir, writePerfRecording } from '../helpers/model-traces.js';

describe('evaluate', () => {
  let store: Store;
  beforeAll(async () => {
    const dir = tempDir();
    store = await openStore(':memory:');
    await ingest(store, syntheticWorkloads.map((w, i) => writePerfRecording(dir, w, syntheticTruth, i + 1)));
  });
  afterAll(() => store.close());

  it('scores unseen traces exactly as calibrate --test does, and returns each interval', async () => {
    const r = await calibrate(store, { train: ['compute.perf', 'memory.perf'], test: ['mixed.perf'], bootstrap: false,
      events: ['cycles', 'instructions', 'cache-misses', 'branch-misses'] });
    const e = await evaluate(store, r.model, ['mixed.perf'], { predictions: true });
    expect(e.traces).toHaveLength(1);
    expect(e.traces[0]!.mape).toBe(r.test[0]!.mape);
    expect(e.traces[0]!.rmse).toBe(r.test[0]!.rmse);
    expect(e.traces[0]!.mape).toBeLessThan(2);
    const p = e.predictions!;
    expect(p.t0.length).toBe(e.traces[0]!.n);
    expect(p.t1[0]! - p.t0[0]!).toBe(1);
    expect(p.predicted[3]! / p.measured[3]!).toBeGreaterThan(0.95);
    expect(p.predicted[3]! / p.measured[3]!).toBeLessThan(1.05);
  });

  it('scores at another interval with the same per-event weights', async () => {
    const r = await calibrate(store, { train: ['compute.perf', 'memory.perf'], bootstrap: false, interval: 0.5,
      events: ['cycles', 'instructions', 'cache-misses', 'branch-misses'] });
    const fine = await evaluate(store, r.model, ['mixed.perf']);
    const coarse = await evaluate(store, r.model, ['mixed.perf'], { interval: 2 });
    expect(coarse.traces[0]!.n).toBe(29);
    expect(fine.traces[0]!.n).toBe(119);
    expect(coarse.traces[0]!.mape).toBeLessThan(fine.traces[0]!.mape);
  });

  it('refuses traces without the events the model needs', async () => {
    const r = await calibrate(store, { train: ['compute.perf'], bootstrap: false, events: ['cycles'] });
    const missing = { ...r.model, terms: [{ ...r.model.terms[0]!, name: 'LLC-loads', event: 'LLC-loads' }] };
    await expect(evaluate(store, missing, ['mixed.perf'])).rejects.toMatchObject({ code: 'model.eventMissing' });
  });
});
