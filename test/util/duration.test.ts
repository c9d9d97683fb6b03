import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { parseDuration } from '../../src/util/duration.js';

describe('parseDuration', () => {
  it('reads seconds and unit-suffixed durations', () => {
    expect(parseDuration('90')).toBe(90);
    expect(parseDuration('2.5')).toBe(2.5);
    expect(parseDuration('30s')).toBe(30);
    expect(parseDuration('10min')).toBe(600);
    expect(parseDuration('1h30m')).toBe(5400);
    expect(parseDuration('24h')).toBe(86400);
    expect(parseDuration('250ms')).toBe(0.25);
  });

  it('rejects anything else as a usage error', () => {
    for (const bad of ['', 'abc', '10 parsecs', '1h junk', '0', '-5s']) {
      expect(() => parseDuration(bad), bad).toThrow(UsageError);
    }
  });
});
