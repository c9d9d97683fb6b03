import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { messages } from '../../src/messages.js';
import { ParamSet, splitParamKey } from '../../src/policies/params.js';

describe('scoped parameters (POLICY:key=value)', () => {
  it('parses a scope before the last colon of the key, never in the value', () => {
    expect(ParamSet.parse([' budget : budget_w = 4', 'warmup_events=cache-misses:16384', './my:x.ts:k=1'])).toEqual({
      'budget:budget_w': '4', warmup_events: 'cache-misses:16384', './my:x.ts:k': '1',
    });
    expect(splitParamKey('./my:x.ts:k')).toEqual({ scope: './my:x.ts', key: 'k' });
    expect(splitParamKey('slice_ms')).toEqual({ scope: null, key: 'slice_ms' });
    for (const bad of [':k=1', 'budget:=1', 'budget: =1']) {
      expect(() => ParamSet.parse([bad])).toThrow(messages.replayParamSyntax(bad));
    }
  });

  it('gives each reader its own values over the shared ones, and other scopes none', () => {
    const params = new ParamSet({ halflife_ms: '10', 'energy-balance:halflife_ms': '50', 'default:balance_ms': '8' });
    const host = params.scoped('energy-balance');
    const guest = params.scoped('default');
    expect(host.number('halflife_ms', 32)).toBe(50);
    expect(guest.number('halflife_ms', 32)).toBe(10);
    expect(params.number('halflife_ms', 32)).toBe(10);
    expect(guest.number('balance_ms', 4)).toBe(8);
    expect(host.number('balance_ms', 4)).toBe(4);
    expect(params.number('balance_ms', 4)).toBe(4);
    params.assertAllUsed();
  });

  it('counts a scoped key as read only when its own policy read it, suggesting that policy\'s keys', () => {
    const params = new ParamSet({ 'budget:budgt_w': '4', budget_w: '8' });
    params.scoped('budget').number('budget_w', 0);
    params.scoped('default').number('halflife_ms', 32);
    expect(params.readKeys()).toEqual(['budget:budget_w', 'budget_w', 'default:halflife_ms', 'halflife_ms']);
    const e = (() => { try { params.assertAllUsed(); } catch (x) { return x; } })() as UsageError;
    expect(e).toBeInstanceOf(UsageError);
    expect(e.message).toBe(messages.replayUnknownParam('budget:budgt_w', ['budget_w']));
    expect(e.hint).toBe('did you mean "budget:budget_w"?');
    // The key another policy read is not this one's: balloon never read budget_w here.
    const other = new ParamSet({ 'balloon:budget_w': '4' });
    other.scoped('budget').number('budget_w', 0);
    expect(() => other.assertAllUsed()).toThrow(messages.replayUnknownParam('balloon:budget_w', []));
  });
});
