import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decimalAt } from '../../src/ingest/decimal-at.js';

describe('decimalAt', () => {
  it('parses plain decimals exactly like Number, and refuses the rest', () => {
    for (const t of ['0', '7', '100.00', '0.1', '19.63', '0.161438', '123456789012345', '1.001048308', '99999.9999999999']) {
      expect(decimalAt(`,${t},`, 1, t.length + 1)).toBe(Number(t));
    }
    for (const t of ['', '.5', '5.', '1.2.3', '-1', '1e5', ' 1', '1234567890123456', '12345678901234567']) {
      expect(decimalAt(t, 0, t.length)).toBeNaN();
    }
  });

  it('agrees with Number on random decimals of up to 15 digits', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 99_999_999 }), fc.integer({ min: 0, max: 9_999_999 }), fc.nat(7),
      (int, frac, width) => {
        const t = width === 0 ? String(int) : `${int}.${String(frac).padStart(7, '0').slice(0, width)}`;
        expect(decimalAt(t, 0, t.length)).toBe(Number(t));
      }), { numRuns: 500 });
  });
});
