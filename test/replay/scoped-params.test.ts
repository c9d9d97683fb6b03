import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { messages } from '../../src/messages.js';
import { replay } from '../../src/replay/replay.js';
import { assertParamScopes, paramsFor, scopedParams, type ScopeTarget } from '../../src/replay/scoped-params.js';
import type { Store } from '../../src/store/store.js';
import { miniStore } from '../helpers/replay-store.js';

const budget: ScopeTarget = { kind: 'host', name: 'budget', aliases: ['budget'] };
const file: ScopeTarget = { kind: 'host', name: '/abs/mine.ts', aliases: ['./mine.ts', '/abs/mine.ts'] };
const guest: ScopeTarget = { kind: 'guest', name: 'default', aliases: ['default'] };

const thrown = (f: () => unknown): UsageError => {
  try {
    f();
  } catch (e) {
    return e as UsageError;
  }
  throw new Error('expected an error');
};

describe('scopedParams: a run\'s effective parameters', () => {
  it('keeps unscoped keys and puts a policy\'s own values under its resolved name', () => {
    expect(scopedParams({ 'budget:budget_w': '4', budget_w: '8', 'default:halflife_ms': '50' }, budget, guest))
      .toEqual({ budget_w: '8', 'budget:budget_w': '4', 'default:halflife_ms': '50' });
    // A scope given as the path the user typed becomes the policy's resolved name.
    expect(scopedParams({ './mine.ts:margin_c': '1' }, file, guest)).toEqual({ '/abs/mine.ts:margin_c': '1' });
    // A scoped value equal to the unscoped one adds nothing (the same run, the same id).
    expect(scopedParams({ budget_w: '4', 'budget:budget_w': '4' }, budget, guest)).toEqual({ budget_w: '4' });
    expect(scopedParams({ slice_ms: '5' }, budget, guest)).toEqual({ slice_ms: '5' });
  });

  it('rejects a scope naming neither policy of the run, with the run\'s policies and a suggestion', () => {
    const e = thrown(() => scopedParams({ 'bugdet:budget_w': '4' }, budget, guest));
    expect(e).toBeInstanceOf(UsageError);
    expect(e).toMatchObject({ code: 'replay.paramScope', hint: 'did you mean "budget"?' });
    expect(e.message).toBe(messages.paramScopeUnknown('bugdet', 'run', ['host budget', 'guest default']));
  });

  it('keeps engine parameters unscoped', () => {
    for (const text of ['budget:limit_c', 'default:migration_cost_us', 'engine:warmup_events']) {
      const e = thrown(() => scopedParams({ [text]: '1' }, budget, guest));
      expect(e).toMatchObject({ code: 'replay.scopedEngineParam', message: messages.paramScopedEngine(text, text.split(':')[1]!) });
    }
  });
});

describe('paramsFor and assertParamScopes: a comparison\'s policies', () => {
  it('passes each policy the unscoped keys and its own', () => {
    const sweep = { 'budget:budget_w': ['1', '2'], slice_ms: ['5'], './mine.ts:margin_c': ['1'] };
    expect(paramsFor(sweep, [budget, guest])).toEqual({ 'budget:budget_w': ['1', '2'], slice_ms: ['5'] });
    expect(paramsFor(sweep, [file, guest])).toEqual({ slice_ms: ['5'], './mine.ts:margin_c': ['1'] });
  });

  it('names the comparison\'s policies when a scope matches none, with a hint', () => {
    const e = thrown(() => assertParamScopes(['hotplug:budget_w'], [budget, file, guest], 'compare.paramScope', 'comparison'));
    expect(e).toMatchObject({ code: 'compare.paramScope', hint: messages.hintParamScope() });
    expect(e.message).toBe(messages.paramScopeUnknown('hotplug', 'comparison', ['host budget', 'host ./mine.ts', 'guest default']));
  });
});

describe('replay with scoped parameters on the mini recording', () => {
  let store: Store;
  let modelPath: string;
  beforeAll(async () => {
    ({ store, modelPath } = await miniStore());
  });
  afterAll(() => store.close());

  it('runs a host-scoped value as the unscoped one would, and rejects a scope of another policy', async () => {
    const run = (params: Record<string, string>) =>
      replay(store, { trace: 'mini', model: modelPath, hostPolicy: 'budget', params, tickSeconds: 0.002, save: false });
    const scoped = await run({ budget_w: '4', 'budget:budget_w': '0.5' });
    expect(scoped.run.params).toEqual({ budget_w: '4', 'budget:budget_w': '0.5' });
    // 0.5 W per VM and pCPU binds (vCPUs draw up to 2 W); 4 W does not.
    expect(scoped.summary.metrics).toEqual((await run({ budget_w: '0.5' })).summary.metrics);
    expect(scoped.summary.metrics.throttled_core_s).toBeGreaterThan(1);
    expect((await run({ budget_w: '4' })).summary.metrics.throttled_core_s).toBe(0);
    await expect(run({ budget_w: '1', 'balloon:budget_w': '4' })).rejects.toMatchObject({
      code: 'replay.paramScope', message: messages.paramScopeUnknown('balloon', 'run', ['host budget', 'guest default']),
    });
  });
});
