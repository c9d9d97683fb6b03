import { describe, expect, it } from 'vitest';
import type { VegaLiteSpec } from '../../src/charts/spec.js';
import { compileLog, goldenText, schemaErrors } from './check-spec.js';

const good = {
  $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
  data: { values: [{ a: 1 }] },
  mark: 'point',
  encoding: { x: { field: 'a', type: 'quantitative' } },
} as VegaLiteSpec;

describe('the spec checks themselves', () => {
  it('accept a valid spec', () => {
    expect(schemaErrors(good)).toEqual([]);
    expect(compileLog(good)).toEqual([]);
  });

  it('catch a misspelt property, a wrong type and a bad enum value', () => {
    expect(schemaErrors({ ...good, mark: { type: 'point', colr: 'red' } } as never).join()).toMatch(/colr|alternatives/);
    expect(schemaErrors({ ...good, width: 'wide' } as never)).not.toEqual([]);
    expect(schemaErrors({ ...good, mark: 'dot' } as never)).not.toEqual([]);
  });

  it('records compile warnings', () => {
    const warns = compileLog({ ...good, encoding: { x: { field: 'a', type: 'quantitative' }, size: { field: 'a', type: 'nominal' } } } as never);
    expect(warns.length).toBeGreaterThan(0);
  });

  it('rounds long decimals to 3 places in goldens', () => {
    expect(goldenText({ ...good, width: 1.23456 } as never)).toContain('"width": 1.235');
  });
});
