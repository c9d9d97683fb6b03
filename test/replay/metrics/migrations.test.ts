import { describe, expect, it } from 'vitest';
import { migrationCount, migrationTime } from '../../../src/replay/metrics/migrations.js';

describe('migrations', () => {
  // Four 0.5 s ticks with 0, 3, 1, 0 migrations: 4 migrations in 2 s.
  const migrations = Float64Array.from([0, 3, 1, 0]);

  it('counts them and their rate (hand-worked)', () => {
    expect(migrationCount({ migrations, dt: 0.5 })).toEqual({ count: 4, perSecond: 2 });
    // Ticks of 1, 1, 1, 5 s: 4 in 8 s.
    expect(migrationCount({ migrations, dt: Float64Array.from([1, 1, 1, 5]) }).perSecond).toBe(0.5);
  });

  it('charges count × cost', () => {
    // 4 × 50 µs = 200 µs.
    expect(migrationTime({ migrations }, { costSeconds: 50e-6 })).toBeCloseTo(2e-4, 15);
  });
});
