import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseBundle } from '../../src/ingest/bundle.js';
import { decodeVmCgroup, normalizeCgroup, unescapeSystemd } from '../../src/ingest/cgroup-path.js';
import { parseQemuCmdlines, shellWords } from '../../src/ingest/qemu-cmdline.js';
import { indexVms, sampleOwners, UNATTRIBUTED } from '../../src/ingest/sample-owners.js';
import { completeVms, identifyVms, identityOptions, type VmIdentity } from '../../src/ingest/vm-identity.js';
import { parseThreadListing, parseXlList } from '../../src/ingest/vm-listings.js';
import { messages } from '../../src/messages.js';
import { fixturePath } from '../helpers/fixtures.js';

const excerpt = (name: string): string => readFileSync(fixturePath('..', '..', 'traces', 'kvm-nested-burn5', name), 'utf8');
const sideFiles = [
  { name: 'qemu-cmdline.txt', text: excerpt('qemu-cmdline.txt') },
  { name: 'threads.tsv', text: excerpt('threads.tsv') },
];

describe('cgroup paths', () => {
  it.each([
    ['machine.slice/machine-qemu\\x2d3\\x2dweb01.scope', 'web01', 3, 'machine.slice/machine-qemu\\x2d3\\x2dweb01.scope', null],
    ['/machine.slice/machine-qemu\\x2d12\\x2dmy\\x2dvm.scope/libvirt/vcpu1', 'my-vm', 12,
      'machine.slice/machine-qemu\\x2d12\\x2dmy\\x2dvm.scope', { kind: 'vcpu', index: 1 }],
    ['0::/machine.slice/machine-qemu\\x2d3\\x2dweb01.scope/libvirt/emulator', 'web01', 3,
      'machine.slice/machine-qemu\\x2d3\\x2dweb01.scope', { kind: 'emulator' }],
    ['machine.slice/machine-qemu\\x2d3\\x2dweb01.scope/libvirt/iothread2', 'web01', 3,
      'machine.slice/machine-qemu\\x2d3\\x2dweb01.scope', { kind: 'iothread', index: 2 }],
    ['machine.slice/machine-qemu\\x2d3\\x2dweb01.scope/libvirt', 'web01', 3,
      'machine.slice/machine-qemu\\x2d3\\x2dweb01.scope', { kind: 'other' }],
    ['/machine/qemu-3-web01.libvirt-qemu/vcpu0', 'web01', 3, 'machine/qemu-3-web01.libvirt-qemu', { kind: 'vcpu', index: 0 }],
    ['/machine/web01.libvirt-qemu', 'web01', undefined, 'machine/web01.libvirt-qemu', null],
    ['machine.slice/machine-qemu\\x2dold.scope', 'old', undefined, 'machine.slice/machine-qemu\\x2dold.scope', null],
  ])('%s → %s', (path, vm, domid, cgroup, part) => {
    expect(decodeVmCgroup(path)).toMatchObject({ vm, domid, cgroup, part });
  });

  it('does not take plain or non-QEMU cgroups for VMs', () => {
    for (const path of ['kvmspike', 'system.slice/sshd.service', 'machine.slice/machine-lxc\\x2d5\\x2dc1.scope', '']) {
      expect(decodeVmCgroup(path)).toBeNull();
    }
  });

  it('normalizes /proc/<pid>/cgroup lines and decodes systemd escapes', () => {
    expect(normalizeCgroup('0::/kvmspike')).toBe('kvmspike');
    expect(normalizeCgroup('4:perf_event:/machine/x.libvirt-qemu/')).toBe('machine/x.libvirt-qemu');
    expect(unescapeSystemd('machine-qemu\\x2d3\\x2dweb\\x2e01')).toBe('machine-qemu-3-web.01');
  });
});

describe('QEMU command lines', () => {
  it('reads -name from the recorded command line (shell-escaped comma)', () => {
    expect(parseQemuCmdlines(excerpt('qemu-cmdline.txt'), 'qemu-cmdline.txt')).toEqual([{ name: 'spike-kvm', pid: undefined }]);
  });

  it('reads libvirt guest=, quotes, QEMU ,, escapes, ps pids and /proc dumps', () => {
    const text = [
      '/usr/bin/qemu-system-x86_64 -name guest=web01,debug-threads=on -S -machine pc',
      "qemu-system-x86_64 -name 'my vm' -m 512",
      '4242 qemu-system-aarch64 -name guest=a,,b,debug-threads=on',
      'qemu-system-x86_64 -m 256',
      'bash -c "qemu-system-x86_64 -name ignored"',
    ].join('\n');
    expect(parseQemuCmdlines(text, 'cmdlines.txt')).toEqual([
      { name: 'web01', pid: undefined }, { name: 'my vm', pid: undefined }, { name: 'a,b', pid: 4242 },
      { name: undefined, pid: undefined },
    ]);
    const proc = ['qemu-system-x86_64', '-name', 'guest=db,debug-threads=on', '-m', '1024', ''].join('\u0000');
    expect(parseQemuCmdlines(proc, 'proc/31316/cmdline')).toEqual([{ name: 'db', pid: 31316 }]);
    expect(shellWords('a\\ b "c d" \'e\'')).toEqual(['a b', 'c d', 'e']);
  });
});

describe('listings', () => {
  it('reads the recorded thread listing and xl list', () => {
    expect(parseThreadListing(excerpt('threads.tsv'))).toEqual([
      { tid: 31316, comm: 'qemu-system-x86', pid: undefined, cgroup: '0::/kvmspike' },
      { tid: 31319, comm: 'call_rcu', pid: undefined, cgroup: '0::/kvmspike' },
      { tid: 31325, comm: 'CPU 0/KVM', pid: undefined, cgroup: '0::/kvmspike' },
      { tid: 31330, comm: 'CPU 1/KVM', pid: undefined, cgroup: '0::/kvmspike' },
      { tid: 31335, comm: 'kvm-nx-lpage-re', pid: undefined, cgroup: '0::/kvmspike' },
    ]);
    expect(parseThreadListing('a\tb\n1\t2\n')).toBeNull();
    const xl = 'Name                                        ID   Mem VCPUs\tState\tTime(s)\n'
      + 'Domain-0                                     0  1024     4     r-----     123.4\n'
      + 'web01                                        3  2048     2     -b----      12.0\n';
    expect(parseXlList(xl)).toEqual([{ name: 'Domain-0', domid: 0, vcpus: 4 }, { name: 'web01', domid: 3, vcpus: 2 }]);
  });
});

describe('identifyVms', () => {
  it('takes bundle.json vms as given and reads no side file', () => {
    const bundle = parseBundle(JSON.parse(excerpt('bundle.json')));
    const [vm, ...rest] = identifyVms(bundle, [{ name: 'threads.tsv', text: 'tid\tcomm\n1\tCPU 0/KVM\n' }]);
    expect(rest).toEqual([]);
    expect(vm).toEqual({
      name: 'spike-kvm', inferred: false, sources: [{ rule: 'bundle.json', detail: messages.vmFromBundle() }],
      pid: 31316, cgroup: 'kvmspike', vcpus: 2,
      threads: [{ tid: 31316, role: 'main' }, { tid: 31325, role: 'vcpu', vcpu: 0 }, { tid: 31330, role: 'vcpu', vcpu: 1 },
        { tid: 31319, role: 'helper' }],
    });
  });

  it('infers the recorded VM from its command line and thread listing', () => {
    const [vm, ...rest] = identifyVms(undefined, sideFiles);
    expect(rest).toEqual([]);
    expect(vm).toMatchObject({ name: 'spike-kvm', inferred: true, pid: 31316, cgroup: 'kvmspike', vcpus: 2 });
    expect(vm!.sources.map((s) => s.rule)).toEqual(['qemu-name', 'thread-listing']);
    expect(vm!.threads).toEqual([{ tid: 31316, role: 'main' }, { tid: 31319, role: 'helper' },
      { tid: 31325, role: 'vcpu', vcpu: 0 }, { tid: 31330, role: 'vcpu', vcpu: 1 }, { tid: 31335, role: 'helper' }]);
    // what the parsers get: the same shape as the hand-written bundle.json, plus the name fallback
    expect(identityOptions([vm!])).toEqual({
      vms: [{ name: 'spike-kvm', pid: 31316, cgroup: 'kvmspike', vcpus: 2, vcpu_tids: [31325, 31330], io_tids: [31319, 31335] }],
      vmName: 'spike-kvm',
    });
  });

  it('groups a libvirt listing by machine cgroup; vCPU threads by sub-cgroup when unnamed', () => {
    const scope = (id: number, name: string, sub: string) => `0::/machine.slice/machine-qemu\\x2d${id}\\x2d${name}.scope/libvirt/${sub}`;
    const text = ['tid\tcomm\tcgroup',
      `100\tqemu-system-x86\t${scope(1, 'web', 'emulator')}`, `101\tqemu-system-x86\t${scope(1, 'web', 'vcpu0')}`,
      `200\tqemu-system-x86\t${scope(2, 'db', 'emulator')}`, `203\tCPU 1/KVM\t${scope(2, 'db', 'vcpu1')}`,
      `204\tCPU 0/KVM\t${scope(2, 'db', 'vcpu0')}`, '300\tsshd\t0::/system.slice/ssh.service'].join('\n');
    const vms = identifyVms(undefined, [{ name: 'threads.tsv', text }]);
    expect(vms.map((v) => [v.name, v.domid, v.pid, v.vcpus, v.cgroup])).toEqual([
      ['web', 1, 100, 1, 'machine.slice/machine-qemu\\x2d1\\x2dweb.scope'],
      ['db', 2, 200, 2, 'machine.slice/machine-qemu\\x2d2\\x2ddb.scope'],
    ]);
    expect(vms[0]!.threads).toEqual([{ tid: 100, role: 'main' }, { tid: 101, role: 'vcpu', vcpu: 0 }]);
    expect(vms[0]!.sources.map((s) => s.rule)).toEqual(['cgroup-path', 'thread-listing']);
    expect(identityOptions(vms).vmName).toBeUndefined();
  });

  it('names a VM qemu-<pid> when nothing names it, and does not guess between two commands', () => {
    const vms = identifyVms(undefined, [
      { name: 'threads.tsv', text: 'tid\tcomm\tpid\n7\tqemu-system-x86\t7\n8\tCPU 0/KVM\t7\n' },
      { name: 'qemu-cmdline.txt', text: 'qemu-system-x86_64 -name a\nqemu-system-x86_64 -name b\n' },
    ]);
    expect(vms.map((v) => [v.name, v.pid])).toEqual([['qemu-7', 7], ['a', undefined], ['b', undefined]]);
  });

  it('reads Xen names and domain ids from xl list', () => {
    const text = 'Name  ID   Mem VCPUs\tState\tTime(s)\nDomain-0  0  1024  4  r-----  1.0\nweb01  3  2048  2  -b----  1.0\n';
    const vms = identifyVms(undefined, [{ name: 'xl-list.txt', text }]);
    expect(vms.map((v) => [v.name, v.domid, v.vcpus])).toEqual([['Domain-0', 0, 4], ['web01', 3, 2]]);
    expect(identityOptions(vms).vms).toEqual([{ name: 'Domain-0', domid: 0, vcpus: 4 }, { name: 'web01', domid: 3, vcpus: 2 }]);
  });
});

describe('side files are hints', () => {
  it('any text, mutated listings or command lines included, gives VMs and never throws', () => {
    const seeds = [...sideFiles.map((f) => f.text), 'Name ID Mem VCPUs State Time(s)\nweb 3 1 2 r 1\n'];
    const text = fc.oneof(fc.string(), fc.constantFrom(...seeds).chain((t) =>
      fc.tuple(fc.nat(t.length), fc.string({ maxLength: 8 })).map(([at, s]) => t.slice(0, at) + s + t.slice(at))));
    fc.assert(fc.property(fc.array(fc.tuple(fc.constantFrom('threads.tsv', 'qemu-cmdline.txt', 'proc/1/cmdline', 'x.txt'), text),
      { maxLength: 3 }), (files) => {
      const vms = identifyVms(undefined, files.map(([name, t]) => ({ name, text: t })));
      completeVms(vms, { names: files.map(([, t]) => t), cgroups: files.map(([, t]) => t), xenVcpus: [] });
      for (const v of vms) expect(v.name).not.toBe('');
    }), { numRuns: 200 });
  });
});

describe('completeVms', () => {
  it('adds VMs seen only in the traces, with their rule, and leaves its input alone', () => {
    const known = identifyVms(undefined, sideFiles);
    const before = structuredClone(known);
    const vms = completeVms(known, {
      names: ['spike-kvm', 'qemu-4242', 'vm', 'd7'],
      cgroups: ['kvmspike', 'machine.slice/machine-qemu\\x2d3\\x2dweb01.scope/libvirt/vcpu0'],
      xenVcpus: ['d7v0', 'd9v1', 'd32767v0'],
    });
    expect(known).toEqual(before);
    expect(vms.map((v) => [v.name, v.sources.map((s) => s.rule).join('+'), v.domid ?? v.pid])).toEqual([
      ['spike-kvm', 'qemu-name+thread-listing', 31316],
      ['web01', 'cgroup-path', 3],
      ['d7', 'xen-domid', 7],
      ['d9', 'xen-domid', 9],
      ['qemu-4242', 'trace-name', 4242],
      ['vm', 'trace-name', undefined],
    ]);
    expect(vms.slice(-2).map((v) => v.sources[0]!.detail)).toEqual([messages.vmFromMadeUpName(4242), messages.vmFromMadeUpName(undefined)]);
    expect(completeVms([], { names: ['Domain-0'], cgroups: [], xenVcpus: [] })[0]!.sources)
      .toEqual([{ rule: 'trace-name', detail: messages.vmFromTraceName('Domain-0') }]);
  });
});

describe('sampleOwners', () => {
  const web: VmIdentity = {
    name: 'web', inferred: false, sources: [], pid: 10, domid: 4, cgroup: 'kvmspike',
    threads: [{ tid: 10, role: 'main' }, { tid: 11, role: 'vcpu', vcpu: 0 }, { tid: 12, role: 'vcpu', vcpu: 1 }, { tid: 13, role: 'helper' }],
  };
  const db: VmIdentity = { name: 'db', inferred: false, sources: [], pid: 20, threads: [] };
  const one = indexVms([web]);
  const two = indexVms([web, db]);
  const owners = (scope: string, entity: string, index = two) =>
    sampleOwners(scope, entity, index).map((o) => `${o.scope}:${o.entity}:${o.derivation}${o.fallback ? '?' : ''}`);

  it('maps per-thread rows by thread id, then by name', () => {
    expect(owners('vcpu', 'CPU 1/KVM-12')).toEqual(['vcpu:web/vcpu1:per-thread', 'vm:web:per-thread']);
    expect(owners('thread', 'qemu-system-x86-12')).toEqual(['vcpu:web/vcpu1:per-thread', 'vm:web:per-thread']);
    expect(owners('thread', 'call_rcu-13')).toEqual(['vm:web:per-thread']);
    expect(owners('thread', 'qemu-system-x86-10')).toEqual(['vm:web:per-thread']);
    expect(owners('thread', 'vhost-20')).toEqual(['vm:db:per-thread']);
    expect(owners('vcpu', 'CPU 3/KVM-99')).toEqual([]);
    expect(owners('vcpu', 'CPU 3/KVM-99', one)).toEqual(['vcpu:web/vcpu3:per-thread', 'vm:web:per-thread']);
    expect(owners('thread', 'bash-99', one)).toEqual([]);
  });

  it('maps cgroups, Xen vCPUs and KVM vCPU bins', () => {
    expect(owners('cgroup', 'kvmspike')).toEqual(['vm:web:cgroup']);
    expect(owners('cgroup', 'kvmspike/vcpu1')).toEqual(['vcpu:web/vcpu1:cgroup', 'vm:web:cgroup?']);
    expect(owners('cgroup', 'machine.slice/machine-qemu\\x2d5\\x2dapp.scope/libvirt/emulator')).toEqual(['vm:app:cgroup?']);
    expect(owners('cgroup', 'user.slice')).toEqual([]);
    expect(owners('vcpu', 'd4v1')).toEqual(['vm:web:per-vcpu']);
    expect(owners('vcpu', 'd6v0')).toEqual(['vm:d6:per-vcpu']);
    expect(owners('vcpu', 'd32767v2')).toEqual([`host:${UNATTRIBUTED}:per-vcpu`]);
    expect(owners('vcpu', 'web/vcpu0')).toEqual(['vm:web:per-vcpu']);
    expect(owners('cpu', 'CPU0')).toEqual([]);
  });

  it('maps Xen dom0 backend threads to the guest whose domain id they carry', () => {
    expect(owners('thread', 'blkback.4.xvda-1068')).toEqual(['vm:web:backend']);
    expect(owners('thread', 'blkback.4.xvda--911')).toEqual(['vm:web:backend']); // `blkback.4.xvda-0` cut to 15 characters
    expect(owners('thread', 'vif4.0-q0-guest-1201')).toEqual(['vm:web:backend']);
    expect(owners('thread', 'vif7.1-q0-deall-1202')).toEqual(['vm:d7:backend']);
    expect(owners('thread', 'blkback.32767.x-5')).toEqual([]);
    expect(owners('thread', 'xenstored-300')).toEqual([]);
    expect(owners('thread', 'vifname-3')).toEqual([]);
  });
});
