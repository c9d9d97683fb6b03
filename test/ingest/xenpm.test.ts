import { describe, expect, it } from 'vitest';
import { parseString } from '../../src/ingest/parse-string.js';
import type { ParseOptions } from '../../src/ingest/types.js';
import { xenpm } from '../../src/ingest/xenpm.js';
import { messages } from '../../src/messages.js';
import { fixture, fixturePath } from '../helpers/fixtures.js';
import { fuzzTextFixture } from '../helpers/fuzz-text.js';
import { sinkToGolden } from '../helpers/golden.js';
import { sniffText } from '../helpers/parse-checks.js';

const parse = (text: string, options: ParseOptions = { intervalSeconds: 60 }) => parseString(xenpm, text, options, 'xenpm.txt');
const sniff = (text: string): number => sniffText(xenpm, text);
describe('xenpm golden fixtures', () => {
  for (const name of ['snapshots', 'start', 'core-temp']) {
    it(name, async () => {
      const text = fixture('xenpm', `${name}.txt`);
      await expect(sinkToGolden(parse(text))).toMatchFileSnapshot(fixturePath('xenpm', `${name}.expected.csv`));
      expect(sniff(text)).toBeGreaterThanOrEqual(2);
    });
  }
});

describe('xenpm spot values', () => {
  it('differences cumulative snapshots per CPU (snapshot i at i × interval)', () => {
    const sink = parse(fixture('xenpm', 'snapshots.txt'));
    const cpu0 = (event: string) => sink.samples.find((s) => s.entity === 'CPU0' && s.event === event);
    expect(cpu0('xenpm:C1_ms')).toEqual(
      { t0: 0, t1: 60, scope: 'cpu', entity: 'CPU0', cpu: 0, event: 'xenpm:C1_ms', value: 500, enabled: null });
    expect(cpu0('xenpm:idle_ms')!.value).toBe(800);
    expect(cpu0('xenpm:C2_transitions')!.value).toBe(1);
    expect(cpu0('xenpm:PC2_ms')!.value).toBe(250);
    // P-states of CPU 0: the '*' marking the current state does not change the label.
    expect(cpu0('xenpm:P1_ms')!.value).toBe(700);
    expect(cpu0('xenpm:P0_transitions')!.value).toBe(1);
    expect(sink.samples).toHaveLength(2 * 9 + 4);
  });

  it('stores `start` values over its measured window', () => {
    const sink = parse(fixture('xenpm', 'start.txt'), {});
    expect(sink.samples.find((s) => s.entity === 'S0-C1' && s.event === 'xenpm:CC6_ms')).toEqual(
      { t0: 0, t1: 10.003, scope: 'core', entity: 'S0-C1', cpu: 1, event: 'xenpm:CC6_ms', value: 500, enabled: null });
    expect(sink.samples.find((s) => s.entity === 'CPU1' && s.event === 'xenpm:avg_freq_khz')!.value).toBe(3100000);
    // No snapshot needs the interval: no warning.
    expect(sink.warnings).toEqual([]);
  });

  it('reads temperatures, with the interval assumed when not given', () => {
    const sink = parse(fixture('xenpm', 'core-temp.txt'), {});
    expect(sink.temps).toEqual([
      { t: 0, scope: 'cpu', entity: 'CPU0', celsius: 45 }, { t: 0, scope: 'cpu', entity: 'CPU1', celsius: 47 },
      { t: 0, scope: 'socket', entity: 'S0', celsius: 49 }, { t: 1, scope: 'cpu', entity: 'CPU0', celsius: 52 },
      { t: 1, scope: 'cpu', entity: 'CPU1', celsius: 55 }, { t: 1, scope: 'socket', entity: 'S0', celsius: 56 },
    ]);
    expect(sink.warnings.map((w) => w.message)).toEqual([messages.xenpmIntervalAssumed(1)]);
  });

  it('drops a decreasing counter, fails without a cpu id, skips foreign lines', () => {
    const text = fixture('xenpm', 'snapshots.txt');
    const [a, b] = [text.split('\n\n')[0]!, text.split('\n\n')[0]!.replace('90000', '10')];
    const sink = parse(`${a}\n\n${b}\n`);
    expect(sink.samples.some((s) => s.event === 'xenpm:idle_ms')).toBe(false);
    expect(sink.warnings.map((w) => w.message)).toContain(messages.xenpmCounterDecrease('CPU0', 'idle_ms'));
    expect(() => parse('idle time(ms)        : 5\n')).toThrow(expect.objectContaining({ code: 'xenpm.noCpu' }));
    expect(parse(`(XEN) hello\n${text}`).skippedLines).toBe(1);
    expect(() => parse('nothing here\n')).toThrow(expect.objectContaining({ code: 'xenpm.noRecords' }));
  });

  it('sniffs xenpm only', () => {
    expect(sniff('      NAME  STATE   CPU(sec) CPU(%)\n')).toBe(0);
    expect(sniff('CPU0  10001000000 (+       0)  __enter_scheduler [ ]\n')).toBe(0);
    expect(sniff('Total time: 8.72 seconds (using cpu speed 2.40 GHz)\n')).toBe(0);
  });
});

describe('xenpm fuzzing', () => {
  it('truncated, flipped, shuffled and duplicated lines give rows or a VheatError', () => {
    fuzzTextFixture(xenpm, fixture('xenpm', 'snapshots.txt'), { intervalSeconds: 1 });
    fuzzTextFixture(xenpm, fixture('xenpm', 'start.txt'));
  });
});
