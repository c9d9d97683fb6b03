import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BundleError } from '../../src/errors.js';
import { generate, listScenarios, loadScenario } from '../../src/generate/generate.js';
import { parseScenario, type ScenarioInput } from '../../src/generate/scenario.js';

const minimal = (over: Partial<ScenarioInput> = {}): ScenarioInput => ({
  name: 'mini', hypervisor: 'kvm', duration_seconds: 1, topology: { sockets: 1, cores_per_socket: 2 },
  vms: [{ name: 'a', vcpus: 1, tasks: [{ name: 't', phases: [{ kind: 'cpu', seconds: 1 }] }] }], ...over,
});

function issue(value: unknown): BundleError {
  try {
    parseScenario(value, 'mini.json');
  } catch (e) {
    expect(e).toBeInstanceOf(BundleError);
    expect((e as BundleError).code).toBe('generate.scenario');
    return e as BundleError;
  }
  throw new Error('expected the scenario to be rejected');
}

const dir = mkdtempSync(join(tmpdir(), 'vheat-scenario-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('scenario schema', () => {
  it('fills the defaults that depend on the hypervisor', () => {
    const kvm = parseScenario(minimal());
    expect(kvm.recorders).toMatchObject({ perf_thread: true, perf_cgroup: true, sched_switch: ['perf-script'], xentrace: false });
    expect(kvm.host_threads.length).toBeGreaterThan(0);
    expect(Object.keys(kvm.weights.package)).toEqual(kvm.events);
    const xen = parseScenario(minimal({ hypervisor: 'xen' }));
    expect(xen.recorders).toMatchObject({ perf_thread: false, sched_switch: [], xentrace: true, xenalyze: true, xentop: true });
    expect(xen.host_threads).toEqual([]);
  });

  it('rejects, with the path of the field, what does not fit the host', () => {
    expect(issue(minimal({ vms: [{ name: 'a', vcpus: 1, affinity: [7], tasks: [{ name: 't', phases: [{ kind: 'cpu', seconds: 1 }] }] }] })).message)
      .toContain('vms.0.affinity.0: CPU 7 does not exist (2 CPUs)');
    expect(issue(minimal({ events: ['cycles', 'my-event'] })).message).toContain('weights.package.my-event');
    expect(issue(minimal({ hypervisor: 'xen', recorders: { sched_switch: ['perf-script'] } })).message).toContain('KVM-host tools');
    expect(issue(minimal({ rapl: { update_ms: 300 } })).message).toContain('recorders.powercap_interval_ms');
    expect(issue({ ...minimal(), topology: { sockets: 0, cores_per_socket: 2 } }).message).toContain('topology.sockets');
    expect(issue(minimal({ vms: [{ name: 'a b', vcpus: 1, tasks: [] }] })).message).toContain('vms.0.name');
  });

  it('loads shipped scenarios by name, files by path, and applies a duration override', async () => {
    expect(listScenarios().map((s) => s.name)).toEqual(['demo-kvm', 'demo-xen', 'large', 'test-kvm', 'test-xen']);
    expect((await loadScenario('large', 600)).duration_seconds).toBe(600);
    const file = join(dir, 'mini.json');
    writeFileSync(file, JSON.stringify(minimal()));
    expect((await loadScenario(file)).name).toBe('mini');
    await expect(loadScenario('test-kvn')).rejects.toMatchObject({ code: 'generate.unknownScenario', hint: 'did you mean "test-kvm"?' });
    await expect(loadScenario(join(dir, 'missing.json'))).rejects.toMatchObject({ code: 'generate.scenarioFile' });
  });

  it('refuses to write into a folder holding other files', async () => {
    const out = join(dir, 'busy');
    await generate({ scenario: minimal(), outDir: out });
    writeFileSync(join(out, 'notes.txt'), 'mine');
    await expect(generate({ scenario: minimal(), outDir: out })).rejects.toMatchObject({ code: 'generate.outDirNotEmpty' });
  });
});
