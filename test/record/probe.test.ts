import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { describeCapabilities, describePlan } from '../../src/record/describe.js';
import { nodeHostEnv } from '../../src/record/host-env.js';
import { planRecording } from '../../src/record/plan.js';
import { parseCpuList, tscFromDmesg, tscFromModelName, xlTopology } from '../../src/record/probe-cpu.js';
import { vmCgroup } from '../../src/record/probe-cgroup.js';
import { probeHost } from '../../src/record/probe.js';
import { fakeHostEnv } from '../helpers/fake-host.js';
import { kvmLibvirt, kvmNested, xenDom0 } from './fake-hosts.js';

describe('probe helpers', () => {
  it('reads kernel cpu lists', () => {
    expect(parseCpuList('0-3,8,10-11\n')).toEqual([0, 1, 2, 3, 8, 10, 11]);
    expect(parseCpuList('')).toEqual([]);
  });

  it('takes the TSC rate from dmesg exactly (kHz precision), preferring the refined calibration', () => {
    expect(tscFromDmesg('[    0.000271] tsc: Detected 2096.007 MHz processor\n')).toBe(2_096_007_000);
    expect(tscFromDmesg('tsc: Detected 2100.000 MHz processor\ntsc: Refined TSC clocksource calibration: 2095.078 MHz\n')).toBe(2_095_078_000);
    expect(tscFromDmesg('nothing here')).toBeUndefined();
    expect(tscFromModelName('Intel(R) Xeon(R) Silver 4208 CPU @ 2.10GHz')).toBe(2_100_000_000);
    expect(tscFromModelName('AMD EPYC')).toBeUndefined();
  });

  it('derives the Xen topology from xl info, and refuses inconsistent numbers', () => {
    const info = (cpus: string) => new Map([['nr_cpus', cpus], ['cores_per_socket', '4'], ['threads_per_core', '2']]);
    expect(xlTopology(info('16'))).toEqual({ cpus: 16, topology: { sockets: 2, coresPerSocket: 4, threadsPerCore: 2 } });
    expect(xlTopology(info('12'))).toEqual({ cpus: 12, topology: undefined });
  });

  it('prefers a cgroup v1 perf_event hierarchy, as perf does', async () => {
    const host = kvmNested();
    host.files['/proc/30539/cgroup'] = '5:perf_event:/vms/spike\n0::/kvmspike\n';
    host.files['/proc/mounts'] += 'cgroup /sys/fs/cgroup/perf_event cgroup rw,relatime,perf_event 0 0\n';
    host.files['/sys/fs/cgroup/perf_event/vms/spike/cgroup.procs'] = '30539\n';
    expect(await vmCgroup(fakeHostEnv(host), 30539, 'spike-kvm')).toEqual({ cgroup: 'vms/spike' });
  });
});

describe('probeHost on the fake hosts', () => {
  it('Xen dom0: pCPUs and TSC from xl info, not from dom0\'s 4 vCPUs; domains from xl list', async () => {
    const caps = await probeHost(fakeHostEnv(xenDom0()));
    expect(caps).toMatchObject({ hypervisor: 'xen', xenDom0: true, nested: false, root: true, cpus: 8 });
    expect(caps.tsc).toEqual({ hz: 2_095_076_000, source: 'xl info cpu_mhz' });
    expect(caps.vms.map((vm) => `${vm.name}/${vm.domid}/${vm.vcpus}`)).toEqual(['Domain-0/0/4', 'web01/1/2', 'db01/2/4']);
  });

  it('libvirt KVM: Intel CPU numbering gives a cpu → socket map; VMs with their threads and scopes', async () => {
    const caps = await probeHost(fakeHostEnv(kvmLibvirt()));
    expect(caps.cpus).toBe(16);
    expect(caps.topology).toEqual({ sockets: 2, coresPerSocket: 4, threadsPerCore: 2, cpuSocket: [0, 0, 0, 0, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 1, 1] });
    expect(caps.perf).toMatchObject({ hardwarePmu: true, msrEvents: ['aperf', 'mperf', 'tsc'], powerEvents: ['energy-pkg', 'energy-ram'] });
    expect(caps.powercap.zones.map((z) => z.zone)).toEqual(['intel-rapl:0', 'intel-rapl:0:0', 'intel-rapl:0:1', 'intel-rapl:1', 'intel-rapl:1:0', 'intel-rapl:1:1']);
    expect(caps.vms[1]).toEqual({
      name: 'db01', pid: 5230, uid: 64055, vcpus: 4, vcpuTids: [5236, 5237, 5238, 5239], ioTids: [5233, 5250],
      cgroup: 'machine.slice/machine-qemu\\x2d2\\x2ddb01.scope',
    });
  });

  it('a cpu PMU folder whose cycles answer <not supported> counts as no PMU', async () => {
    const host = kvmLibvirt();
    host.commands['/usr/bin/perf stat -x, -e cycles true'] = { stderr: '<not supported>,,cycles,0,100.00,,\n' };
    expect((await probeHost(fakeHostEnv(host))).perf?.hardwarePmu).toBe(false);
  });

  it('an unprivileged user: uid from /proc/self/status, energy_uj unreadable', async () => {
    const caps = await probeHost(fakeHostEnv(kvmLibvirt({ uid: 1000 })));
    expect(caps).toMatchObject({ uid: 1000, root: false, powercap: { readable: false } });
  });
});

describe('the nodeHostEnv', () => {
  it('answers "absent" instead of throwing, and runs commands with a timeout', async () => {
    expect(await nodeHostEnv.readFile('/definitely/not/here')).toBeUndefined();
    expect(await nodeHostEnv.listDir('/definitely/not/here')).toEqual([]);
    expect(await nodeHostEnv.exists('/proc/self/status')).toBe(true);
    expect(await nodeHostEnv.which('sh')).toMatch(/\/sh$/);
    expect(await nodeHostEnv.which('definitely-not-a-command')).toBeUndefined();
    expect(await nodeHostEnv.run('sh', ['-c', 'echo out; echo err >&2; exit 3'])).toEqual({ code: 3, stdout: 'out\n', stderr: 'err\n' });
    expect((await nodeHostEnv.run('sleep', ['5'], 100)).code).toBeNull();
    expect((await nodeHostEnv.run('definitely-not-a-command', [])).code).toBeNull();
  });
});

// This machine is a nested-KVM guest with perf and no hardware PMU (see kvm-nested-2026-11-24).
const perfHere = existsSync('/usr/bin/perf') || existsSync('/usr/local/bin/perf');
const pmuHere = ['cpu', 'cpu_core', 'cpu_atom'].some((p) => existsSync(`/sys/bus/event_source/devices/${p}`));

describe.skipIf(!perfHere || pmuHere)('vheat record --dry-run logic on this machine (perf, no PMU)', () => {
  it('probes, plans and describes without throwing, and reports the missing PMU', async () => {
    const caps = await probeHost(nodeHostEnv);
    const plan = planRecording(caps, { durationSeconds: 5, intervalMs: 100, outDir: '/tmp/vheat-record-dry-run' });
    expect(describeCapabilities(caps).length).toBeGreaterThan(5);
    expect(describePlan(plan)).toContain('wait');
    expect(caps.perf?.hardwarePmu).toBe(false);
    expect(plan.skipped.find((s) => s.recorder === 'hardware-counters')?.reason).toMatch(/^no hardware PMU: /);
  });
});
