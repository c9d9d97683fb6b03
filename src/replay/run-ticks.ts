import { applyRateChanges, step, type TickInput } from './engine.js';
import type { Engine } from './build-engine.js';

/**
 * Phase 3 of `replay`: steps every tick, block by block. Only the block boundaries await (the
 * recording's next rows); the ticks themselves run synchronously through `step` and the
 * accumulators. `onProgress` gets the fraction done after each block.
 */
export async function runTicks(engine: Engine, onProgress?: (fraction: number) => void): Promise<void> {
  const { state, feed, policies, metrics, series, energyCheck, tempCheck, blockTicks } = engine;
  const { clock, ticks } = engine.inputs;
  const input: TickInput = { tick: 0, timeSeconds: 0, arriveSeconds: feed.arriveViews[0]!, recordedPcpu: feed.recordedViews[0]! };
  try {
    for (let first = 0; first < ticks; first += blockTicks) {
      const n = Math.min(blockTicks, ticks - first);
      await feed.fill(first, n);
      const until = clock.startSeconds + (first + n) * clock.tickSeconds;
      await energyCheck?.prefetch(until);
      await tempCheck?.prefetch(until);
      let c = 0;
      for (let k = 0; k < n; k++) {
        const t = first + k;
        const from = c;
        while (c < feed.changes && feed.changeTick[c]! <= t) c++;
        if (c > from) applyRateChanges(state, feed.changeSlot, feed.changeEvent, feed.changeRate, from, c);
        input.tick = t;
        input.timeSeconds = clock.startSeconds + t * clock.tickSeconds;
        input.arriveSeconds = feed.arriveViews[k]!;
        input.recordedPcpu = feed.recordedViews[k]!;
        step(state, input, policies);
        metrics.record(t);
        series?.record(t);
        energyCheck?.record(state, t);
        tempCheck?.record(state, t);
      }
      onProgress?.((first + n) / ticks);
    }
    series?.flush();
  } finally {
    await feed.close();
    await energyCheck?.close();
    await tempCheck?.close();
  }
}
