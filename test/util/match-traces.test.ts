import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { globToRegExp, matchTraces, type NamedTrace } from '../../src/util/match-traces.js';

const traces: NamedTrace[] = [
  { id: 1, name: 'hpl_mkl.perf', bundle: null }, { id: 2, name: 'sleep.perf', bundle: null },
  { id: 3, name: 'perf-stat-cpu.csv', bundle: 'run-a' }, { id: 4, name: 'turbostat.txt', bundle: 'run-a' },
  { id: 5, name: 'perf-stat-cpu.csv', bundle: 'run-b' },
];
const noMatch = (sel: string, hint: string) => new UsageError('test.noMatch', `nothing for ${sel}`, { hint });
const ids = (sels: string[]) => matchTraces(traces, sels, noMatch).map((t) => t.id);
const failure = (sels: string[]): UsageError => {
  try {
    matchTraces(traces, sels, noMatch);
  } catch (e) {
    return e as UsageError;
  }
  throw new Error('expected no match');
};

describe('matchTraces', () => {
  it('takes comma-separated ids as one id SEL each, with spaces, next to other SELs', () => {
    expect(ids(['4,1'])).toEqual([1, 4]);
    expect(ids([' 2 , 5 ', 'run-a'])).toEqual([2, 3, 4, 5]);
    expect(ids(['run-[b]', '**.txt'])).toEqual([4, 5]);
  });

  it('throws the caller\'s error for the first SEL that matches nothing, naming that id or the closest name', () => {
    const missing = failure(['1,9,2']);
    expect(missing.code).toBe('test.noMatch');
    expect(missing.message).toBe('nothing for 9');
    expect(failure(['run-c']).hint).toBe('did you mean "run-a" or "run-b"?');
    expect(failure(['run-a/turbostat.tx']).hint).toBe('did you mean "run-a/turbostat.txt"?');
    expect(failure(['zzzzzzzzzz']).hint).toBe('list the traces with `vheat info`');
  });
});

describe('globToRegExp', () => {
  it('keeps * and ? within a path segment and lets ** cross', () => {
    expect(globToRegExp('a/*.csv').test('a/b.csv')).toBe(true);
    expect(globToRegExp('*.csv').test('a/b.csv')).toBe(false);
    expect(globToRegExp('**.csv').test('a/b.csv')).toBe(true);
    expect(globToRegExp('run-[ab]').test('run-b')).toBe(true);
    expect(globToRegExp('x.c?v').test('x.csv')).toBe(true);
  });
});
