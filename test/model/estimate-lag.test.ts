import { describe, expect, it } from 'vitest';
import { defaultAlignOptions } from '../../src/model/align.js';
import { estimateLag } from '../../src/model/estimate-lag.js';
import { laggedRecording } from '../helpers/model-series.js';

describe('estimateLag', () => {
  it.each([0.15, -0.08, 0.04])('recovers a RAPL lag of %s s at 100 ms resolution within 10 ms', (lag) => {
    const rec = laggedRecording(600, lag);
    const est = estimateLag([{ counters: rec.counters, energy: [rec.energy] }], defaultAlignOptions);
    expect(est.step).toBeCloseTo(0.1, 12);
    expect(Math.abs(est.estimate - lag)).toBeLessThan(0.01);
    expect(est.seconds).toBe(est.estimate); // clearly better than no shift: corrected
    expect(est.correlation).toBeGreaterThan(est.correlationAtZero);
  });

  it('does not correct a lag it cannot tell from zero', () => {
    const rec = laggedRecording(600, 0);
    const est = estimateLag([{ counters: rec.counters, energy: [rec.energy] }], defaultAlignOptions);
    expect(est.seconds).toBe(0);
    expect(Math.abs(est.estimate)).toBeLessThan(0.01);
  });
});
