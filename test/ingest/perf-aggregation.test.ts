import { describe, expect, it } from 'vitest';
import { AggregationIds, parseThreadId, parseTopologyId, perfEvent, socketOfCpu } from '../../src/ingest/perf-aggregation.js';

describe('perf aggregation ids', () => {
  it('parses every topology id form', () => {
    const id = (text: string) => parseTopologyId(text, undefined);
    expect(id('CPU0')).toEqual({ scope: 'cpu', entity: 'CPU0', cpu: 0, socket: 0 });
    expect(id('CPU7')).toEqual({ scope: 'cpu', entity: 'CPU7', cpu: 7, socket: null });
    expect(id('S1')).toEqual({ scope: 'socket', entity: 'S1', cpu: null, socket: 1 });
    expect(id('S1-D2')).toMatchObject({ scope: 'die', socket: 1 });
    expect(id('S0-D0-C15')).toMatchObject({ scope: 'core', socket: 0 });
    expect(id('S0-C3')).toMatchObject({ scope: 'core', socket: 0 });
    expect(id('S0-D0-CLS2')).toMatchObject({ scope: 'core', entity: 'S0-D0-CLS2' });
    expect(id('S0-D1-L3-ID4')).toMatchObject({ scope: 'core', entity: 'S0-D1-L3-ID4', socket: 0 });
    expect(id('N3')).toEqual({ scope: 'node', entity: 'N3', cpu: null, socket: null });
    for (const bad of ['CPU', 'CPUx', 'S', 'S0-', 'S0-D', 'S0-C', 'S0-L3', 'S0-L3-ID', 'N', 'X1', 'S0-D0-C1x', '']) {
      expect(id(bad)).toBeNull();
    }
  });

  it('splits per-thread ids at the last dash and spots qemu vCPU threads', () => {
    expect(parseThreadId('CPU 0/KVM-4187')).toEqual({ scope: 'vcpu', entity: 'CPU 0/KVM-4187', cpu: null, socket: null });
    expect(parseThreadId('CPU 12/TCG-9')?.scope).toBe('vcpu');
    expect(parseThreadId('IO mon_iothread-4186')?.scope).toBe('thread');
    expect(parseThreadId('vhost-2931-2953')).toMatchObject({ scope: 'thread', entity: 'vhost-2931-2953' });
    expect(parseThreadId('CPU 0/KVM x-1')?.scope).toBe('thread');
    for (const bad of ['qemu', '-12', 'qemu-', 'qemu-12a']) expect(parseThreadId(bad)).toBeNull();
  });

  it('maps CPUs to sockets socket-major, by an explicit map, or only CPU 0 without topology', () => {
    const topo = { sockets: 2, coresPerSocket: 8, threadsPerCore: 2 };
    expect([0, 15, 16, 31, 32].map((c) => socketOfCpu(c, topo))).toEqual([0, 0, 1, 1, null]);
    expect(socketOfCpu(3, { ...topo, cpuSocket: [0, 1, 0, 1] })).toBe(1);
    expect(socketOfCpu(9, { ...topo, cpuSocket: [0, 1] })).toBeNull();
    expect([socketOfCpu(0, undefined), socketOfCpu(1, undefined)]).toEqual([0, null]);
  });

  it('caches one id per text and one cgroup id per (id, path)', () => {
    const ids = new AggregationIds(undefined);
    const cpu = ids.topo(`CPU${1}`)!;
    expect(ids.topo('CPU1')).toBe(cpu);
    expect(ids.cgroup(cpu, 'vm')).toBe(ids.cgroup(cpu, 'vm'));
    expect(ids.cgroup(cpu, 'vm')).toEqual({ scope: 'cgroup', entity: 'vm', cpu: 1, socket: null });
    expect(ids.cgroup(cpu, '')).toBe(cpu);
  });

  it('maps RAPL events to energy domains', () => {
    expect(['power/energy-pkg/', 'power/energy-cores/', 'power/energy-ram/', 'power/energy-psys/',
      'power/energy-gpu/', 'power_core/energy-core/', 'power/energy-uncore/'].map((e) => perfEvent(e).domain))
      .toEqual(['package', 'core', 'dram', 'psys', 'gpu', 'core', 'uncore']);
    expect(perfEvent('power/energy-foo/')).toEqual({ name: 'power/energy-foo/', rapl: true, domain: null });
    expect(perfEvent('msr/tsc/')).toEqual({ name: 'msr/tsc/', rapl: false, domain: null });
  });
});
