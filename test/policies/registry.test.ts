import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PolicyError, UsageError } from '../../src/errors.js';
import { messages } from '../../src/messages.js';
import {
  guestPolicyNames, hostPolicyNames, registerHostPolicy, resolveGuestPolicy, resolveHostPolicy,
} from '../../src/policies/index.js';
import { ParamSet } from '../../src/policies/params.js';
import { PolicyRegistry } from '../../src/policies/registry.js';
import { noActions, type HostPolicy } from '../../src/policies/types.js';

const idle = (): HostPolicy => ({ init() {}, decide: () => noActions });

describe('policy registry', () => {
  it('holds the built-in policies', () => {
    expect(hostPolicyNames()).toEqual(expect.arrayContaining(['load-balance', 'pinned', 'recorded']));
    expect(guestPolicyNames()).toContain('default');
  });

  it('refuses a second policy under a taken name unless told to override', () => {
    const registry = new PolicyRegistry<HostPolicy>('host');
    registry.register('mine', idle);
    expect(() => registry.register('mine', idle)).toThrow(expect.objectContaining({
      code: 'policy.duplicate', message: messages.policyDuplicate('host', 'mine'), hint: 'pass { override: true } to replace it',
    }));
    expect(() => registerHostPolicy('recorded', idle)).toThrow(PolicyError);
    const other = (): HostPolicy => ({ init() {}, decide: () => [] });
    registry.register('mine', other, { override: true });
    return registry.resolve('mine').then((r) => expect(r.create).toBe(other));
  });

  it('resolves a name, a factory and an object', async () => {
    expect((await resolveHostPolicy('pinned')).spec).toBe('pinned');
    const factory = await resolveHostPolicy(idle);
    expect(factory.spec).toBeNull();
    expect(factory.create()).not.toBe(factory.create());
    const object = idle();
    expect((await resolveHostPolicy(object)).create()).toBe(object);
  });

  it('names the known policies and a close match for an unknown name', async () => {
    const e = await resolveHostPolicy('load-balanse').catch((x: unknown) => x) as PolicyError;
    expect(e).toBeInstanceOf(PolicyError);
    expect(e.code).toBe('policy.unknown');
    expect(e.message).toBe(messages.policyUnknown('host', 'load-balanse', hostPolicyNames()));
    expect(e.hint).toBe('did you mean "load-balance"?');
    const far = await resolveGuestPolicy('zzzzzzzz').catch((x: unknown) => x) as PolicyError;
    expect(far.hint).toBe(messages.hintPolicyPath());
  });

  it('rejects an object that is not a policy', async () => {
    await expect(resolveHostPolicy({ decide: () => [] } as unknown as HostPolicy)).rejects.toThrow(messages.policyNotPolicy('host', '(object)'));
  });

  it('imports a policy file: a default-exported factory, or a named hostPolicy object', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vheat-policy-'));
    const factoryFile = join(dir, 'factory.mjs');
    writeFileSync(factoryFile, 'export default function mine() { return { init() {}, decide() { return []; } }; }\n');
    const named = join(dir, 'named.mjs');
    writeFileSync(named, 'export const hostPolicy = { init() {}, decide() { return []; } };\n');
    const broken = join(dir, 'broken.mjs');
    writeFileSync(broken, 'export default 42;\n');
    const r = await resolveHostPolicy(factoryFile);
    expect(r.spec).toBe(factoryFile);
    expect(typeof r.create().decide).toBe('function');
    expect((await resolveHostPolicy(named)).create()).toBe((await resolveHostPolicy(named)).create());
    await expect(resolveHostPolicy(broken)).rejects.toThrow(messages.policyNotPolicy('host', broken));
    await expect(resolveHostPolicy(join(dir, 'missing.mjs'))).rejects.toMatchObject({ code: 'policy.import' });
  });
});

describe('ParamSet', () => {
  it('parses key=value pairs, reads numbers and strings, and rejects unread keys with a suggestion', () => {
    const params = new ParamSet(ParamSet.parse(['slice_ms=10', 'mode = fast', 'slice_ms=20', 'resist_ms=3']));
    expect(params.number('slice_ms', 30)).toBe(20);
    expect(params.number('absent', 7)).toBe(7);
    expect(params.string('mode', 'slow')).toBe('fast');
    params.number('resist_us', 500);
    const e = (() => { try { params.assertAllUsed(); } catch (x) { return x; } })() as UsageError;
    expect(e).toBeInstanceOf(UsageError);
    expect(e.message).toBe(messages.replayUnknownParam('resist_ms', ['absent', 'mode', 'resist_us', 'slice_ms']));
    expect(e.hint).toBe('did you mean "resist_us"?');
  });

  it('rejects malformed pairs and non-numbers', () => {
    expect(() => ParamSet.parse(['novalue'])).toThrow(messages.replayParamSyntax('novalue'));
    expect(() => new ParamSet({ x: 'abc' }).number('x', 1)).toThrow(messages.policyParamNotNumber('x', 'abc'));
  });
});
