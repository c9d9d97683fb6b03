import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseString } from '../../src/ingest/parse-string.js';
import type { ParseOptions } from '../../src/ingest/types.js';
import { xenalyzeSummary } from '../../src/ingest/xenalyze-summary.js';
import { messages } from '../../src/messages.js';
import { fixture, fixturePath } from '../helpers/fixtures.js';
import { fuzzTextFixture } from '../helpers/fuzz-text.js';
import { sinkToGolden } from '../helpers/golden.js';
import { hasRealTraces, realTrace } from '../helpers/real-traces.js';
import { sniffText } from '../helpers/parse-checks.js';

const parse = (text: string, options: ParseOptions = {}) => parseString(xenalyzeSummary, text, options, 'summary.txt');
const sniff = (text: string): number => sniffText(xenalyzeSummary, text);
describe('xenalyze-summary golden fixtures', () => {
  for (const name of ['benchrunning-excerpt', 'no-percentiles-mhz']) {
    it(name, async () => {
      const text = fixture('xenalyze-summary', `${name}.txt`);
      await expect(sinkToGolden(parse(text))).toMatchFileSnapshot(fixturePath('xenalyze-summary', `${name}.expected.csv`));
      expect(sniff(text)).toBe(3);
    });
  }
});

describe('xenalyze-summary spot values', () => {
  it('computes seconds from count × mean cycles and ignores domain-level runstates', () => {
    const sink = parse(fixture('xenalyze-summary', 'benchrunning-excerpt.txt'));
    const running = sink.samples.find((s) => s.entity === 'd3v1' && s.event === 'xen:running_s')!;
    expect(running).toEqual({ t0: 0, t1: 8.72, scope: 'vcpu', entity: 'd3v1', cpu: null, event: 'xen:running_s',
      value: (1245 * 16682397) / 2.4e9, enabled: null });
    expect(running.value).toBeCloseTo(8.65, 2);
    // dom0's own "blocked" (1172) is a domain runstate: not a vCPU row.
    expect(sink.samples.filter((s) => s.entity === 'd0v0').map((s) => s.event))
      .toEqual(['xen:running_s', 'xen:runnable_s', 'xen:blocked_s']);
    expect(sink.warnings.map((w) => w.message)).toEqual([messages.xenalyzeSummaryHz(2.4e9)]);
  });

  it('rescales to the bundle TSC frequency (cycles are raw TSC)', () => {
    const sink = parse(fixture('xenalyze-summary', 'benchrunning-excerpt.txt'), { tscHz: 2e9 });
    const running = sink.samples.find((s) => s.entity === 'd3v1' && s.event === 'xen:running_s')!;
    expect(running.value).toBe((1245 * 16682397) / 2e9);
    expect(running.t1).toBeCloseTo(8.72 * 1.2, 12);
    expect(sink.warnings).toEqual([]);
  });

  it('reads MHz speeds and summaries without percentiles', () => {
    const sink = parse(fixture('xenalyze-summary', 'no-percentiles-mhz.txt'));
    expect(sink.samples.map((s) => [s.entity, s.event, s.value, s.t1])).toEqual([
      ['d0v0', 'xen:running_s', 0.5, 2], ['d0v0', 'xen:runnable_s', 1000 / 8e8, 2],
      ['d0v0', 'xen:blocked_s', 1.5, 2], ['d0v1', 'xen:running_s', 2, 2],
    ]);
  });

  it('needs the Total time line first; sniffs only that', () => {
    expect(() => parse('--- Log volume summary ---\n')).toThrow(expect.objectContaining({ code: 'xenalyze-summary.header' }));
    expect(() => parse('')).toThrow(expect.objectContaining({ code: 'xenalyze-summary.noRecords' }));
    expect(sniff('   0.001000000 x| d1v0 sched_switch prev d1v0 next d1v1\n')).toBe(0);
    expect(sniff('cpu id               : 0\n')).toBe(0);
  });
});

describe.skipIf(!hasRealTraces)('xenalyze-summary real files (xenalyze-summary-64pcpu-niels)', () => {
  for (const name of ['trace_nolibvmi.txt', 'trace_nolibvmi_benchrunning.txt']) {
    it(`${name}: every vCPU runstate line, within xenalyze's rounding of its printed seconds`, () => {
      const text = readFileSync(realTrace('xenalyze-summary-64pcpu-niels', name), 'utf8');
      const sink = parse(text);
      // Independent re-read: lines inside `-- vN --` blocks naming a runstate.
      const expected: [string, number, number][] = [];
      let dom = -1;
      let vcpu = -1;
      for (const line of text.split('\n')) {
        const d = /^\|-- Domain (\d+) --\|/.exec(line);
        if (d) [dom, vcpu] = [Number(d[1]), -1];
        const v = /^-- v(\d+) --/.exec(line);
        if (v) vcpu = Number(v[1]);
        const r = /^ {2,3}(running|runnable|blocked|offline|lost): +(\d+) +([\d.]+)s/.exec(line);
        if (r && vcpu >= 0) expected.push([`d${dom}v${vcpu}`, Number(r[3]), Number(r[2])]);
      }
      expect(sink.samples).toHaveLength(expected.length);
      expected.forEach(([entity, printed, count], i) => {
        const s = sink.samples[i]!;
        expect(s.entity).toBe(entity);
        expect(Math.abs(s.value! - printed)).toBeLessThanOrEqual(0.005 + count / 2.4e9 + 1e-12);
      });
      expect(new Set(sink.samples.map((s) => s.entity.replace(/v\d+$/, '')))).toEqual(new Set(['d0', 'd3', 'd32767']));
    });
  }
});

describe('xenalyze-summary fuzzing', () => {
  it('truncated, flipped, shuffled and duplicated lines give rows or a VheatError', () => {
    fuzzTextFixture(xenalyzeSummary, fixture('xenalyze-summary', 'no-percentiles-mhz.txt'));
  });
});
