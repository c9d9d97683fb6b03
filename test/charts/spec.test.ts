import { describe, expect, it } from 'vitest';
import { niceCeil, niceDomain, round, roundSig, siScale, withUnit } from '../../src/charts/spec.js';
import { stableJson } from '../../src/charts/stable-json.js';
import { chartThemes, okabeIto, resolveTheme, themeConfig } from '../../src/charts/themes.js';

describe('chart spec helpers', () => {
  it('chooses SI prefixes that put the largest value in [1, 1000)', () => {
    expect(siScale(2.4e-9, 'J')).toEqual({ factor: 1e9, unit: 'nJ' });
    expect(siScale(999, 'J')).toEqual({ factor: 1, unit: 'J' });
    expect(siScale(13450, 'J')).toEqual({ factor: 1e-3, unit: 'kJ' });
    expect(siScale(0, 'J')).toEqual({ factor: 1, unit: 'J' });
  });

  it('rounds without -0 and keeps significant digits', () => {
    expect(Object.is(round(-0.0001, 2), 0)).toBe(true);
    expect(round(1.23456, 3)).toBe(1.235);
    expect(roundSig(0.000123456, 3)).toBe(0.000123);
    expect(niceCeil(1.3)).toBe(2);
    expect(niceCeil(5)).toBe(5);
    expect(niceCeil(0.06)).toBe(0.1);
  });

  it('widens domains to nice steps', () => {
    expect(niceDomain(9.3, 81.7)).toEqual({ domain: [0, 90], step: 10 });
    expect(niceDomain(-2.65, 2.65, 4)).toEqual({ domain: [-3, 3], step: 1 });
    expect(niceDomain(5, 5)).toEqual({ domain: [4.4, 5.6], step: 0.2 }); // ±10 % around a single value
  });

  it('writes units in parentheses and JSON with sorted keys', () => {
    expect(withUnit('Power', 'W')).toBe('Power (W)');
    expect(stableJson({ b: 1, a: { d: [{ z: 1, y: 2 }], c: null } })).toBe(
      '{\n  "a": {\n    "c": null,\n    "d": [\n      {\n        "y": 2,\n        "z": 1\n      }\n    ]\n  },\n  "b": 1\n}\n');
  });
});

describe('chart themes', () => {
  it('are 3.5 in, 7 in and 10 in wide with print-size type', () => {
    expect([chartThemes['paper-1col'].widthInches, chartThemes['paper-2col'].widthInches, chartThemes.slides.widthInches]).toEqual([3.5, 7, 10]);
    expect(chartThemes['paper-1col'].labelSize).toBeGreaterThanOrEqual(7);
    expect(themeConfig(resolveTheme('paper-1col')).font).toBe('DejaVu Serif, serif');
    expect(themeConfig(resolveTheme('paper-1col'), 'sans').font).toBe('DejaVu Sans, sans-serif');
  });

  it('use the eight Okabe–Ito colours, yellow last', () => {
    expect(new Set(okabeIto).size).toBe(8);
    expect(okabeIto.at(-1)).toBe('#F0E442');
    expect(themeConfig(resolveTheme('slides')).range?.category).toEqual([...okabeIto]);
  });
});
